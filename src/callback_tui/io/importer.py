"""The visits / messages CSV import (SPEC §4.1): every row is checked before any is written."""

from __future__ import annotations

import csv
import heapq
import io
import os
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

from callback_tui.config import Clinic
from callback_tui.domain import text
from callback_tui.domain.intake import CLIENT_COLUMNS, REQUIRED, VisitForm
from callback_tui.domain.messages import MessageForm
from callback_tui.domain.vocab import Role
from callback_tui.io import halves
from callback_tui.store import queries
from callback_tui.store.services import FrontDesk, Imported

MESSAGE_COLUMNS = ("request_type", "message", "received_at")
"""What an intake row (a message: a row with a `message`) has besides the visit's columns:
its request type, the message, and when it came (else `occurred_at`, else now)."""
MESSAGE_REQUIRED = ("source", "client", "phone", "request_type", "message")
"""The columns a file of messages needs (a file with a `message` column)."""

IMPORT_COLUMNS = (
    "source_id", "occurred_at", "source", "reason", "patient", "client", "phone", "species",
    "assisted_by", "doctor", "doctor_calls", "interval_days", "priority", "notes",
    *CLIENT_COLUMNS, *MESSAGE_COLUMNS,
)  # fmt: skip
FIELD_LIMIT = text.NOTE_LIMIT
"""No value of an import is longer than a note may be."""

Record = tuple[int, dict[str | None, str | None]]
"""A data row of the file as read: its number (1 for the first) and its values by column."""


@dataclass(frozen=True)
class Problem:
    row: int
    """1 is the first data row; 0 is the header."""
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


SUMMED_PAST = 20
"""More problems than this (more than a terminal shows at once): those that repeat are
counted after the list, so the few things to mend are seen without scrolling back."""


def repeated(problems: Sequence[Problem]) -> list[tuple[int, Problem]]:
    """The problems found in more than one row, as (rows, the first row's problem), most
    rows first; none when the list is short enough to read whole (SUMMED_PAST)."""
    if len(problems) <= SUMMED_PAST:
        return []
    rows: dict[tuple[str, str], set[int]] = {}
    for problem in problems:
        rows.setdefault((problem.column, problem.message), set()).add(problem.row)
    many = [
        (len(found), Problem(min(found), column, message))
        for (column, message), found in rows.items()
        if len(found) > 1
    ]
    return sorted(many, key=lambda pair: (-pair[0], pair[1].row))


class ImportFailed(Exception):
    """The file was refused whole; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{text.counted(len(problems), 'problem')}; nothing was imported")
        self.problems = problems


@dataclass(frozen=True)
class Report:
    imported: Imported
    rows: int
    refused: tuple[Problem, ...]
    """Rows left out under --skip-invalid."""
    ignored_columns: tuple[str, ...]


@dataclass(frozen=True)
class _Checked:
    forms: list[VisitForm]
    problems: list[Problem]
    rows: int
    ignored: tuple[str, ...]
    messages: tuple[MessageForm, ...] = ()


def import_file(
    desk: FrontDesk,
    path: Path,
    *,
    actor: str,
    skip_invalid: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Check every row of `path`, then create all callbacks in one transaction.

    Raises ImportFailed listing every problem, unless `skip_invalid` (then bad rows are left
    out and reported). File-level problems (encoding, header) always refuse the whole file.
    """
    checked = check_file(desk, path)
    file_level = [p for p in checked.problems if p.row == 0]
    if file_level or (checked.problems and not skip_invalid):
        raise ImportFailed(checked.problems)
    total = len(checked.forms) + len(checked.messages)
    told = None if progress is None else (lambda done: progress(done, total))
    if checked.messages:
        imported = desk.messages.import_rows(actor, checked.forms, checked.messages, told)
    else:
        imported = desk.callbacks.import_visits(actor, checked.forms, told)
    return Report(
        imported=imported,
        rows=checked.rows,
        refused=tuple(checked.problems),
        ignored_columns=checked.ignored,
    )


def check_file(desk: FrontDesk, path: Path) -> _Checked:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return _Checked([], [Problem(0, "-", f"cannot read {path} ({exc.strerror})")], 0, ())
    content, problems = _decode(raw)
    if problems:
        return _Checked([], problems, 0, ())
    with _fields_up_to(len(content)):
        reader = csv.DictReader(io.StringIO(content, newline=""), delimiter=_delimiter(content))
        header = [name.strip() for name in reader.fieldnames or []]
        problems = _header_problems(header, messages="message" in header)
        if problems:
            return _Checked([], problems, 0, ())
        reader.fieldnames = header
        ignored = tuple(name for name in header if name and name not in IMPORT_COLUMNS)

        roles = queries.staff_roles(desk.database)
        records = list(enumerate(reader, start=1))
        forms: list[VisitForm] = []
        messages: list[MessageForm] = []
        seen: dict[str, int] = {}
        seen_visits: dict[tuple[object, ...], int] = {}
        """Rows without a source_id, by what tells their visit apart."""
        for number, form, message, found in _checked(desk.clinic, roles, records):
            problems.extend(found)
            if message is not None:
                messages.append(message)
            if form is None:
                continue
            if form.source_id is not None:
                if form.source_id in seen:
                    problems.append(
                        Problem(number, "source_id", f"repeats row {seen[form.source_id]}")
                    )
                    continue
                seen[form.source_id] = number
            else:
                if form.identity in seen_visits:
                    repeated = seen_visits[form.identity]
                    problems.append(Problem(number, "-", f"repeats row {repeated}"))
                    continue
                seen_visits[form.identity] = number
            forms.append(form)
        rows = len(records)
    return _Checked(forms, problems, rows, ignored, tuple(messages))


_Row = tuple[int, VisitForm | None, MessageForm | None, list[Problem]]
"""A row checked: its number, and the visit or message it is, or the problems found in it."""

IN_TWO_FROM = 2_000
"""Rows from which a file is checked in two processes at once, where the machine has two
cores (`_checked`): below it, starting the second costs more than it saves."""


def _checked(clinic: Clinic, roles: Mapping[str, Role], records: list[Record]) -> list[_Row]:
    """Each record checked, in order: about half of them in a second process where that is
    safe (Linux, two cores, no other thread running in this one), the rest here meanwhile.

    The rows are shared out by their phone number, so the rows of one client are checked
    in one process, which reads the number once (phones.normalise keeps each reading).
    """

    def check(part: list[Record]) -> list[_Row]:
        return [_check_record(clinic, roles, number, record) for number, record in part]

    may_fork = sys.platform.startswith("linux") and threading.active_count() == 1
    if len(records) < IN_TWO_FROM or not may_fork or (os.cpu_count() or 1) < 2:
        return check(records)
    parts: tuple[list[Record], list[Record]] = ([], [])
    for record in records:
        parts[_digits(record[1].get("phone")) % 2].append(record)
    here, there = halves.in_two(check, *parts, list[_Row])
    return list(heapq.merge(here, there, key=itemgetter(0)))


def _digits(phone: str | None) -> int:
    """The same number for the ways one phone number is written (with or without its
    country or area code, spaced or dashed): its last four digits."""
    digits = "".join(digit for digit in phone or "" if digit.isdecimal())
    return int(digits[-4:] or 0)


def _check_record(
    clinic: Clinic, roles: Mapping[str, Role], number: int, record: Mapping[str | None, str | None]
) -> _Row:
    if (record.get("message") or "").strip():
        message, found = _check_message(clinic, roles, number, record)
        return number, None, message, found
    form, found = _check_row(clinic, roles, number, record)
    return number, form, None, found


SEPARATORS = (",", ";", "\t")
"""What may stand between the columns: commas; else semicolons (a spreadsheet saves its CSV
so where a comma is the decimal mark) or tabs (text copied out of one)."""


def _delimiter(content: str) -> str:
    """The separator of the header row: a comma if it has one, else the first other in
    SEPARATORS it has. Every column name is a plain word, so the header cannot mislead."""
    header = content.partition("\n")[0]
    return next((mark for mark in SEPARATORS if mark in header), ",")


@contextmanager
def _fields_up_to(size: int) -> Iterator[None]:
    """Let the csv module read values up to `size` characters, while this file is read.

    Its own limit (131 072, for the whole process) stops mid-file without naming a row or
    column. A value can be no longer than the file, so with the limit lifted to the file's
    length every row is read, and `_check_row` names each value past FIELD_LIMIT instead.
    """
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, size))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _header_problems(header: list[str], *, messages: bool = False) -> list[Problem]:
    """The header's problems: a file of visits needs their columns; a file with a `message`
    column, a message's (its visit rows, if any, are checked for their values row by row)."""
    if not header:
        return [Problem(0, "-", "the file is empty: a header row is required")]
    counts = Counter(name for name in header if name)
    # Each column once: with two, csv would quietly keep the last one's values.
    problems = [
        Problem(0, name, f"appears {'twice' if n == 2 else f'{n} times'} in the header")
        for name, n in counts.items()
        if n > 1
    ]
    problems += [
        Problem(0, name, "missing from the header")
        for name in (MESSAGE_REQUIRED if messages else REQUIRED)
        if not counts[name]
    ]
    return problems


def _check_row(
    clinic: Clinic, roles: Mapping[str, Role], number: int, record: Mapping[str | None, str | None]
) -> tuple[VisitForm | None, list[Problem]]:
    """One row as a visit, or None with every problem found in it."""
    if None in record:
        return None, [Problem(number, "-", "more values than the header has columns")]
    too_long = [name for name in IMPORT_COLUMNS if len(record.get(name) or "") > FIELD_LIMIT]
    problems = [
        Problem(number, name, f"longer than {FIELD_LIMIT:,} characters") for name in too_long
    ]
    fields = {name: None if name in too_long else record.get(name) for name in IMPORT_COLUMNS}
    form, found = clinic.read_visit(fields, roles)
    problems += [
        Problem(number, column, message)
        for column, message in found
        if column not in too_long  # already said; its value was not read
    ]
    return (None if problems else form), problems


_MESSAGE_FIELD_COLUMNS = {"name": "client"}
"""The column that gave a message's field, where the names differ."""


def _check_message(
    clinic: Clinic, roles: Mapping[str, Role], number: int, record: Mapping[str | None, str | None]
) -> tuple[MessageForm | None, list[Problem]]:
    """One row as a message (an intake row), or None with every problem found in it."""
    if None in record:
        return None, [Problem(number, "-", "more values than the header has columns")]
    too_long = [name for name in IMPORT_COLUMNS if len(record.get(name) or "") > FIELD_LIMIT]
    problems = [
        Problem(number, name, f"longer than {FIELD_LIMIT:,} characters") for name in too_long
    ]
    value = {name: None if name in too_long else record.get(name) for name in IMPORT_COLUMNS}
    when = "received_at" if (value.get("received_at") or "").strip() else "occurred_at"
    fields = {
        "source": value.get("source"),
        "received_at": value.get(when),
        "name": value.get("client"),
        "phone": value.get("phone"),
        "preferred_window": value.get("preferred_window"),
        "patient": value.get("patient"),
        "request_type": value.get("request_type"),
        "priority": value.get("priority"),
        "message": value.get("message"),
        "doctor": value.get("doctor"),
        "voicemail_ok": value.get("voicemail_ok"),
        "text_ok": value.get("text_ok"),
        "do_not_call": value.get("do_not_call"),
    }
    form, found = clinic.read_message(fields, roles)
    columns = {**_MESSAGE_FIELD_COLUMNS, "received_at": when}
    problems += [
        Problem(number, columns.get(field, field), message)
        for field, message in found
        if columns.get(field, field) not in too_long
    ]
    return (None if problems else form), problems


def _decode(raw: bytes) -> tuple[str, list[Problem]]:
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        # Name the row and column that hold the first bad byte.
        line_number = raw[: exc.start].count(b"\n")
        bad_line = raw.splitlines()[line_number].decode("utf-8", errors="replace")
        column = "-"
        if line_number:
            header = next(csv.reader([raw.splitlines()[0].decode("utf-8", errors="replace")]))
            values = next(csv.reader([bad_line]), [])
            for name, value in zip(header, values, strict=False):
                if "\ufffd" in value:
                    column = name.strip()
                    break
        problem = Problem(line_number, column, f"not UTF-8 text (byte 0x{raw[exc.start]:02x})")
        return "", [problem]
