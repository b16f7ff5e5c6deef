"""`export`: every record, for audits and for moving data elsewhere."""

from __future__ import annotations

import csv
import json
import re
from datetime import date, datetime, time, timedelta
from typing import Any, TextIO

from callback_tui.domain import text
from callback_tui.domain.hours import Calendar
from callback_tui.io.records import CALLBACK_FIELDS, callback_record
from callback_tui.store import queries
from callback_tui.store.engine import Database
from callback_tui.store.schema import EXPORTED


def bounds(
    calendar: Calendar, first: date | None, last: date | None
) -> tuple[datetime | None, datetime | None]:
    """Clinic-local days [first, last] as UTC instants [start, end).

    A bound a datetime cannot hold (`--to 9999-12-31`, whose end is in year 10000) is no
    bound: nothing stored lies beyond it.
    """
    start = _midnight(calendar, first) if first else None
    end = _midnight(calendar, last, days_after=1) if last else None
    return start, end


def _midnight(calendar: Calendar, day: date, days_after: int = 0) -> datetime | None:
    try:
        return calendar.at(day + timedelta(days=days_after), time())
    except OverflowError:
        return None


def records(
    database: Database, table: str, calendar: Calendar, first: date | None, last: date | None
) -> list[dict[str, Any]]:
    start, end = bounds(calendar, first, last)
    if table == "callbacks":
        return [
            callback_record(row, calendar)
            for row in queries.callbacks_between(database, start, end)
        ]
    return list(queries.table_rows(database, table, start=start, end=end))


def write_json(
    out: TextIO, database: Database, calendar: Calendar, first: date | None, last: date | None
) -> None:
    """One object whose keys are the table names, each a list of records."""
    everything = {table: records(database, table, calendar, first, last) for table in EXPORTED}
    dump_json(everything, out)


_C1_AND_DEL = re.compile("[\x7f-\x9f]")


def dump_json(value: Any, out: TextIO) -> None:
    """`value` as indented JSON with every control character escaped, then a newline.

    json escapes U+0000-U+001F only; DEL and the C1 controls (CSI among them) would reach a
    terminal as they are. They can only stand inside strings, so escaping each where it
    stands keeps the JSON valid and its meaning the same.
    """
    for chunk in json.JSONEncoder(ensure_ascii=False, indent=1).iterencode(value):
        out.write(_C1_AND_DEL.sub(lambda found: f"\\u{ord(found.group()):04x}", chunk))
    out.write("\n")


def write_csv(
    out: TextIO,
    database: Database,
    calendar: Calendar,
    table: str,
    first: date | None,
    last: date | None,
) -> None:
    """One table as CSV (a CSV file holds one table)."""
    rows = records(database, table, calendar, first, last)
    columns = list(CALLBACK_FIELDS) if table == "callbacks" else _columns(table)
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: cell(v) for k, v in row.items()})


def _columns(table: str) -> list[str]:
    from callback_tui.store.tables import TABLES, public_columns  # the ORM's tables

    return public_columns(TABLES[table])


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP, CSV injection)."""


def cell(value: Any) -> Any:
    """A value for a CSV cell: lists and objects (amendments, event snapshots) as JSON.

    Text loses terminal controls, then text that a spreadsheet would run as a formula gets
    a leading `'` so it stays text (E.164 phones too: `'+13125550142`). Numbers stay numbers.
    """
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    if not isinstance(value, str):
        return value
    # Controls go first: "\x1b=cmd" must not lose its ESC after the check and start with "=".
    # (isprintable spares the common cell the look-up of each character.)
    shown = value if value.isprintable() else text.without_controls(value)
    return f"'{shown}" if shown.startswith(_FORMULA_STARTS) else shown
