"""Every read the screens and commands need, as plain data (no ORM objects leak out)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from callback_tui.domain.hours import Calendar
from callback_tui.domain.vocab import Role, Status, pools_for
from callback_tui.store.engine import Database
from callback_tui.store.tables import TABLES, Callback, Client, Patient, Staff


class Section(StrEnum):
    OVERDUE = "overdue"
    TODAY = "today"
    POOL = "pool"


@dataclass(frozen=True)
class StaffMember:
    initials: str
    name: str
    role: Role


@dataclass(frozen=True)
class QueueRow:
    """One callback as the queue shows it."""

    id: int
    version: int
    patient_id: int
    client_id: int
    section: Section | None
    """Where it stands on a day's list; None outside a queue (exports)."""
    source_id: str | None
    kind: str
    reason: str
    priority: str
    status: str
    due_at: datetime
    due_date: date
    original_due_date: date | None
    next_attempt_at: datetime | None
    attempts: int
    owner: str
    doctor: str
    patient: str
    species: str | None
    client: str
    phone: str
    do_not_call: bool
    voicemail_ok: bool
    text_ok: bool
    wrong_number: bool
    notes: str


@dataclass(frozen=True)
class Counts:
    to_do: int
    """Open on today's list: overdue plus due today (pools not included)."""
    overdue: int
    done_today: int


@dataclass(frozen=True)
class Queue:
    initials: str
    member: StaffMember | None
    day: date
    rows: tuple[QueueRow, ...]
    counts: Counts
    pools: tuple[str, ...]


def staff(database: Database) -> list[StaffMember]:
    with Session(database.engine) as session:
        members = session.exec(select(Staff).order_by(Staff.initials)).all()
        return [StaffMember(m.initials, m.name, Role(m.role)) for m in members]


def staff_roles(database: Database) -> dict[str, Role]:
    """Everyone's role by initials: what the visit reader checks initials against."""
    return {member.initials: member.role for member in staff(database)}


def staff_member(database: Database, initials: str) -> StaffMember | None:
    with Session(database.engine) as session:
        found = session.exec(select(Staff).where(Staff.initials == initials.upper())).first()
        return StaffMember(found.initials, found.name, Role(found.role)) if found else None


def _rows_query() -> Any:
    return (
        select(Callback, Patient.name, Patient.species, Client)
        .join(Patient, col(Patient.id) == Callback.patient_id)
        .join(Client, col(Client.id) == Callback.client_id)
    )


def _row(
    section: Section | None, callback: Callback, patient: str, species: str | None, client: Client
) -> QueueRow:
    assert callback.id is not None
    return QueueRow(
        id=callback.id,
        version=callback.version,
        patient_id=callback.patient_id,
        client_id=callback.client_id,
        section=section,
        source_id=callback.source_id,
        kind=callback.kind,
        reason=callback.reason,
        priority=callback.priority,
        status=callback.status,
        due_at=callback.due_at,
        due_date=callback.due_date,
        original_due_date=callback.original_due_date,
        next_attempt_at=callback.next_attempt_at,
        attempts=callback.attempts,
        owner=callback.owner,
        doctor=callback.doctor,
        patient=patient,
        species=species,
        client=client.name,
        phone=client.phone,
        do_not_call=client.do_not_call,
        voicemail_ok=client.voicemail_ok,
        text_ok=client.text_ok,
        wrong_number=callback.wrong_number,
        notes=callback.notes,
    )


def _section(callback: Callback, day: date, pools: tuple[str, ...]) -> Section:
    if callback.owner in pools:
        return Section.POOL
    if callback.status == Status.OPEN and callback.due_date < day:
        return Section.OVERDUE
    return Section.TODAY


_SECTION_ORDER = {Section.OVERDUE: 0, Section.TODAY: 1, Section.POOL: 2}


def callbacks(
    database: Database,
    *,
    day: date,
    initials: str | None = None,
    status: str = "open",
) -> list[QueueRow]:
    """The callbacks on `day`'s list, overdue first, then due, then pools; by due time within.

    Open callbacks are those due on or before `day` (overdue included); any other status
    lists the callbacks due on `day` itself; "all" lists both. With `initials`: that person's
    own callbacks and the pools their role may work.
    """
    member = staff_member(database, initials) if initials is not None else None
    return _listed(database, day, status, initials, _pools(member))


def callback_row(database: Database, callback_id: int) -> QueueRow | None:
    """One callback as it is now, whatever its status; None if it no longer exists.

    For a screen that holds a row and must catch up with another desk's change. It stands
    on no day's list here, so it has no section.
    """
    with Session(database.engine) as session:
        found = session.exec(_rows_query().where(Callback.id == callback_id)).first()
    return _row(None, *found) if found is not None else None


def _pools(member: StaffMember | None) -> tuple[str, ...]:
    return tuple(pools_for(member.role)) if member else ()


def _listed(
    database: Database, day: date, status: str, initials: str | None, pools: tuple[str, ...]
) -> list[QueueRow]:
    query = _rows_query()
    if status == "open":
        query = query.where(Callback.status == Status.OPEN, Callback.due_date <= day)
    elif status == "all":
        open_until_today = (Callback.status == Status.OPEN) & (Callback.due_date <= day)
        query = query.where((Callback.due_date == day) | open_until_today)
    else:
        query = query.where(Callback.status == status, Callback.due_date == day)
    if initials is not None:
        query = query.where(col(Callback.owner).in_([initials, *pools]))
    with Session(database.engine) as session:
        found = session.exec(query.order_by(Callback.due_at, Callback.id)).all()
    placed = [
        (_section(callback, day, pools), callback, patient, species, client)
        for callback, patient, species, client in found
    ]
    placed.sort(key=lambda item: _SECTION_ORDER[item[0]])  # stable: due order kept
    return [_row(*item) for item in placed]


def today(database: Database, initials: str, day: date, calendar: Calendar) -> Queue:
    """The morning run-through for `initials`, with the header's counts."""
    member = staff_member(database, initials)
    pools = _pools(member)
    rows = _listed(database, day, "open", initials, pools)
    start = calendar.at(day, time())
    end = calendar.at(day + timedelta(days=1), time())
    with Session(database.engine) as session:
        done = session.exec(
            select(func.count())
            .select_from(Callback)
            .where(
                Callback.owner == initials,
                Callback.status != Status.OPEN,
                col(Callback.closed_at) >= start,
                col(Callback.closed_at) < end,
            )
        ).one()
    mine = [row for row in rows if row.section is not Section.POOL]
    counts = Counts(
        to_do=len(mine),
        overdue=sum(row.section is Section.OVERDUE for row in mine),
        done_today=int(done),
    )
    return Queue(
        initials=initials, member=member, day=day, rows=tuple(rows), counts=counts, pools=pools
    )


_WHEN = {
    "callbacks": "due_at",
    "attempts": "at",
    "notes": "created_at",
    "amendments": "at",
    "tasks": "created_at",
    "incidents": "occurred_at",
    "events": "at",
}
"""The time each table is filtered by in a dated export; the others are exported whole."""


def table_rows(
    database: Database,
    table: str,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    batch: int = 2_000,
) -> Iterator[dict[str, Any]]:
    """Every record of one table in id order, as JSON-ready dicts; [start, end) by its time."""
    kind = TABLES[table]
    query = select(kind).order_by(kind.id)  # type: ignore[attr-defined]
    when = _WHEN.get(table)
    if when is not None and start is not None:
        query = query.where(getattr(kind, when) >= start)
    if when is not None and end is not None:
        query = query.where(getattr(kind, when) < end)
    with Session(database.engine) as session:
        for row in session.exec(query.execution_options(yield_per=batch)):
            yield row.model_dump(mode="json")


def callbacks_between(
    database: Database, start: datetime | None, end: datetime | None
) -> list[QueueRow]:
    """Callbacks due in [start, end), any status, in id order (for export)."""
    query = _rows_query().order_by(Callback.id)
    if start is not None:
        query = query.where(Callback.due_at >= start)
    if end is not None:
        query = query.where(Callback.due_at < end)
    with Session(database.engine) as session:
        found = session.exec(query).all()
    return [_row(None, cb, patient, species, client) for cb, patient, species, client in found]
