"""One timeline per client (or one of its patients): callbacks, calls, notes, tasks, incidents."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from callback_tui.domain import text
from callback_tui.store import sql
from callback_tui.store.engine import Database
from callback_tui.store.sql import Reads, Row

LIMIT = 500
"""Entries shown, newest first: years of one family's history stay quick to open."""


class EntryKind(StrEnum):
    CALLBACK = "callback"
    CALL = "call"
    NOTE = "note"
    AMENDMENT = "amendment"
    TASK = "task"
    INCIDENT = "incident"
    RELEASE = "release"
    """A callback put back into its pool at a shift's hand-off."""


_SEQUENCE = list(EntryKind)


@dataclass(frozen=True)
class Entry:
    at: datetime
    kind: EntryKind
    patient: str | None
    by: str
    detail: str
    """The first line of a note or a call's notes; a callback's kind and due day."""
    status: str
    note_id: int | None = None
    reason: str | None = None
    """A callback's reason key (the screen shows the profile's label)."""


@dataclass(frozen=True)
class ClientCard:
    id: int
    name: str
    phone: str
    voicemail_ok: bool
    text_ok: bool
    do_not_call: bool
    other_phones: int = 0
    """How many numbers the client has besides the best one (`phone`)."""


@dataclass(frozen=True)
class PatientCard:
    id: int
    name: str
    species: str | None


@dataclass(frozen=True)
class History:
    client: ClientCard
    patients: tuple[PatientCard, ...]
    patient_id: int | None
    """The patient the timeline is narrowed to; None: the whole family."""
    entries: tuple[Entry, ...]


def history(
    database: Database, client_id: int, patient_id: int | None = None, limit: int = LIMIT
) -> History | None:
    """The client's timeline, newest first (None if the client is gone)."""
    with database.read() as reads:
        client = reads.first(
            "SELECT id, name, phone, voicemail_ok, text_ok, do_not_call FROM client"
            " WHERE id = :client_id",
            client_id=client_id,
        )
        if client is None:
            return None
        others = reads.value(
            "SELECT COUNT(*) FROM client_phone WHERE client_id = :client_id AND NOT best",
            client_id=client_id,
        )
        patients = reads.all(
            "SELECT id, name, species FROM patient WHERE client_id = :client_id ORDER BY name",
            client_id=client_id,
        )
        names: dict[int, str] = {id_: name for id_, name, _ in patients}
        one = patient_id is not None and patient_id in names
        # The chosen patients: the one asked for (if it is the client's), or the family.
        if one:
            chosen = "patient_id = :patient_id"
        else:
            chosen = "patient_id IN (SELECT id FROM patient WHERE client_id = :client_id)"

        entries: list[Entry] = []
        callbacks = reads.all(
            "SELECT id, patient_id, created_at, owner, kind, due_date, status, reason"
            f" FROM callback WHERE {chosen} ORDER BY created_at DESC, id DESC LIMIT :limit",
            patient_id=patient_id,
            client_id=client_id,
            limit=limit,
        )
        callback_patient: dict[int, int] = {}
        for id_, patient, created_at, owner, kind, due_date, status, reason in callbacks:
            callback_patient[id_] = patient
            entries.append(
                Entry(
                    sql.utc(created_at),
                    EntryKind.CALLBACK,
                    names[patient],
                    owner,
                    f"{kind.replace('_', ' ')}, due {sql.day(due_date):%a %d %b %Y}",
                    status,
                    reason=reason,
                )
            )
        entries.extend(_releases(reads, callback_patient, names))
        calls = _newest(
            reads,
            'SELECT at, callback_id, "by", notes, outcome FROM attempt'
            " WHERE callback_id IN (:ids) ORDER BY at DESC, id DESC LIMIT :limit",
            list(callback_patient),
            limit,
        )
        for at, callback_id, by, notes, outcome in calls:
            entries.append(
                Entry(
                    at,
                    EntryKind.CALL,
                    names[callback_patient[callback_id]],
                    by,
                    text.first_line(notes),
                    outcome,
                )
            )
        notes = reads.all(
            "SELECT id, patient_id, created_at, author, body, status"
            f" FROM note WHERE {chosen} ORDER BY created_at DESC, id DESC LIMIT :limit",
            patient_id=patient_id,
            client_id=client_id,
            limit=limit,
        )
        note_patient: dict[int, int] = {}
        for id_, patient, created_at, author, body, status in notes:
            note_patient[id_] = patient
            entries.append(
                Entry(
                    sql.utc(created_at),
                    EntryKind.NOTE,
                    names[patient],
                    author,
                    text.first_line(body),
                    status,
                    note_id=id_,
                )
            )
        for batch in sql.chunks(note_patient):
            for note_id, at, author, body in reads.all(
                "SELECT note_id, at, author, body FROM note_amendment WHERE note_id IN (:ids)"
                " ORDER BY at DESC, id DESC",
                ids=batch,
            ):
                entries.append(
                    Entry(
                        sql.utc(at),
                        EntryKind.AMENDMENT,
                        names[note_patient[note_id]],
                        author,
                        text.first_line(body),
                        "final",
                        note_id=note_id,
                    )
                )
        abouts = [f"callback:{i}" for i in callback_patient] + [f"note:{i}" for i in note_patient]
        tasks: list[Row] = []
        for batch in sql.chunks(abouts):
            tasks.extend(
                reads.all(
                    "SELECT id, about, created_at, assignee, role, title, status FROM task"
                    " WHERE about IN (:abouts) ORDER BY id DESC",
                    abouts=batch,
                )
            )
        tasks.sort(key=lambda row: int(row[0]), reverse=True)  # newest first across batches
        for _, about, created_at, assignee, role, title, status in tasks:
            kind, _, ref = about.partition(":")
            owner = callback_patient if kind == "callback" else note_patient
            entries.append(
                Entry(
                    sql.utc(created_at),
                    EntryKind.TASK,
                    names.get(owner.get(int(ref), -1)),
                    assignee or role or "",
                    title,
                    status,
                )
            )
        # One patient's incidents, and the family's that name no patient.
        narrowed = " AND (patient_id = :patient_id OR patient_id IS NULL)" if one else ""
        for occurred_at, incident_patient, opened_by, what_happened, status in reads.all(
            "SELECT occurred_at, patient_id, opened_by, what_happened, status FROM incident"
            f" WHERE client_id = :client_id{narrowed} ORDER BY occurred_at DESC, id DESC",
            client_id=client_id,
            patient_id=patient_id,
        ):
            entries.append(
                Entry(
                    sql.utc(occurred_at),
                    EntryKind.INCIDENT,
                    names.get(incident_patient or -1),
                    opened_by,
                    text.first_line(what_happened),
                    status,
                )
            )
    # At the same instant, what follows from what comes first in the list (a call's note
    # above the call, the call above its callback); of one kind, the newest record first (each
    # read orders by id after time: ties are not left to the database, so SQLite and
    # PostgreSQL give the same list).
    entries.sort(key=lambda e: (e.at, _SEQUENCE.index(e.kind)), reverse=True)
    return History(
        client=ClientCard(
            client[0],
            client[1],
            client[2],
            sql.flag(client[3]),
            sql.flag(client[4]),
            sql.flag(client[5]),
            int(others),
        ),
        patients=tuple(PatientCard(id_, name, species) for id_, name, species in patients),
        patient_id=patient_id if one else None,
        entries=tuple(entries[:limit]),
    )


def _releases(
    reads: Reads, callback_patient: Mapping[int, int], names: Mapping[int, str]
) -> Iterator[Entry]:
    """Each callback put back into its pool: who did it, and whose it was (the event's
    `before` keeps the person's initials)."""
    for batch in sql.chunks(callback_patient):
        for callback_id, at, actor, before, after in reads.all(
            'SELECT entity_id, at, actor, "before", "after" FROM event'
            " WHERE entity = :callback AND action = :released AND entity_id IN (:ids)"
            " ORDER BY id DESC",
            callback="callback",
            released="callback.released",
            ids=batch,
        ):
            was, now = sql.document(before) or {}, sql.document(after) or {}
            when = now.get("released_at")
            yield Entry(
                datetime.fromisoformat(when) if when else sql.utc(at),
                EntryKind.RELEASE,
                names[callback_patient[callback_id]],
                actor,
                f"{was.get('owner', '')}'s, back into the {now.get('owner', '')} pool",
                "released",
            )


def _newest(reads: Reads, query: str, ids: list[int], limit: int) -> list[Row]:
    """`query` (its time first, `IN (:ids)`, newest first, `LIMIT :limit`) over any number of
    ids, a batch at a time: the `limit` newest of all, times as aware datetimes."""
    found: list[Row] = []
    for batch in sql.chunks(ids):
        found.extend(
            (sql.utc(row[0]), *row[1:]) for row in reads.all(query, ids=batch, limit=limit)
        )
    found.sort(key=lambda row: row[0], reverse=True)  # stable: one batch keeps its order
    return found[:limit]
