"""Every read the screens and commands need, as plain data (no ORM objects leak out)."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from msgspec import Struct

from callback_tui.domain.hours import Calendar
from callback_tui.domain.vocab import POOLS, Role, Status, pools_for
from callback_tui.store import sql
from callback_tui.store.engine import Database
from callback_tui.store.sql import Reads, Row


class Section(StrEnum):
    OVERDUE = "overdue"
    TODAY = "today"
    POOL = "pool"


class StaffMember(Struct, frozen=True):
    initials: str
    name: str
    role: Role
    active: bool = True
    """False: deactivated; cannot sign in, keeps their initials and history."""
    has_pin: bool = False
    """Whether a PIN is set (the hash itself never leaves the store)."""


class QueueRow(Struct, frozen=True):
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
    source: str = "visit"
    target_at: datetime | None = None
    """A message's response target; None for a visit's callbacks."""

    def on_the_clock(self) -> bool:
        """A message not answered yet: its response target still counts (the first try,
        made in time or late, stops the clock)."""
        return self.target_at is not None and self.status == Status.OPEN and self.attempts == 0

    def late_minutes(self, now: datetime) -> int | None:
        """How many minutes past its target a message on the clock is (0 or more once
        past it, negative before: the minutes left); None off the clock."""
        if not self.on_the_clock() or self.target_at is None:
            return None
        return math.floor((now - self.target_at).total_seconds() / 60)

    def is_late(self, now: datetime) -> bool:
        """Past its response target and not tried yet."""
        return self.on_the_clock() and self.target_at is not None and now > self.target_at


class Counts(Struct, frozen=True):
    to_do: int
    """Open on today's list: overdue plus due today (pools not included)."""
    overdue: int
    done_today: int
    late: int = 0
    """Messages on the list past their response target, not tried yet (pools included)."""


class Queue(Struct, frozen=True):
    initials: str
    member: StaffMember | None
    day: date
    rows: tuple[QueueRow, ...]
    counts: Counts
    pools: tuple[str, ...]


class PhoneView(Struct, frozen=True):
    number: str
    """E.164."""
    label: str
    best: bool


class ClientView(Struct, frozen=True):
    """A client's details, as the client-details dialog edits them."""

    id: int
    version: int
    name: str
    phones: tuple[PhoneView, ...]
    """The best first, then in the order they were given."""
    preferred_window: str | None
    voicemail_ok: bool
    text_ok: bool
    do_not_call: bool
    do_not_call_reason: str | None

    @property
    def phone(self) -> str:
        """The best phone (the client's `phone`)."""
        return next((p.number for p in self.phones if p.best), "")


def client_details(database: Database, client_id: int) -> ClientView | None:
    """One client's details with every phone; None if the client no longer exists."""
    with database.read() as reads:
        found = reads.first(
            "SELECT id, version, name, preferred_window, voicemail_ok, text_ok, do_not_call,"
            " do_not_call_reason FROM client WHERE id = :id",
            id=client_id,
        )
        if found is None:
            return None
        numbers = reads.all(
            "SELECT number, label, best FROM client_phone WHERE client_id = :id"
            " ORDER BY best DESC, id",
            id=client_id,
        )
    return ClientView(
        id=found[0],
        version=found[1],
        name=found[2],
        phones=tuple(PhoneView(number, label, sql.flag(best)) for number, label, best in numbers),
        preferred_window=found[3],
        voicemail_ok=sql.flag(found[4]),
        text_ok=sql.flag(found[5]),
        do_not_call=sql.flag(found[6]),
        do_not_call_reason=found[7],
    )


_STAFF = (
    "SELECT initials, name, role, active,"
    " CASE WHEN pin_hash IS NULL THEN 0 ELSE 1 END AS has_pin FROM staff"
)


def staff(database: Database) -> list[StaffMember]:
    """Everyone on the staff list, deactivated people too (`active` tells them apart)."""
    with database.read() as reads:
        found = reads.all(f"{_STAFF} ORDER BY initials")
    return [_staff_member(row) for row in found]


def staff_roles(database: Database) -> dict[str, Role]:
    """Everyone's role by initials: what the visit reader checks initials against."""
    return {member.initials: member.role for member in staff(database)}


def staff_member(database: Database, initials: str) -> StaffMember | None:
    with database.read() as reads:
        return _member(reads, initials)


def _member(reads: Reads, initials: str) -> StaffMember | None:
    found = reads.first(f"{_STAFF} WHERE initials = :initials", initials=initials.upper())
    return _staff_member(found) if found else None


def _staff_member(found: Row) -> StaffMember:
    initials, name, role, active, has_pin = found
    return StaffMember(initials, name, Role(role), sql.flag(active), sql.flag(has_pin))


_ROWS = """
SELECT cb.id, cb.version, cb.patient_id, cb.client_id, cb.source_id, cb.kind, cb.reason,
       cb.priority, cb.status, cb.due_at, cb.due_date, cb.original_due_date,
       cb.next_attempt_at, cb.attempts, cb.owner, cb.doctor, p.name, p.species, c.name,
       c.phone, c.do_not_call, c.voicemail_ok, c.text_ok, cb.wrong_number, cb.notes,
       cb.source, cb.target_at
FROM callback cb
JOIN patient p ON p.id = cb.patient_id
JOIN client c ON c.id = cb.client_id
"""
"""A callback with its patient and client, in the order `_row` reads them."""


def _row(section: Section | None, found: Row) -> QueueRow:
    return QueueRow(
        id=found[0],
        version=found[1],
        patient_id=found[2],
        client_id=found[3],
        section=section,
        source_id=found[4],
        kind=found[5],
        reason=found[6],
        priority=found[7],
        status=found[8],
        due_at=sql.utc(found[9]),
        due_date=sql.day(found[10]),
        original_due_date=sql.day_or_none(found[11]),
        next_attempt_at=sql.utc_or_none(found[12]),
        attempts=found[13],
        owner=found[14],
        doctor=found[15],
        patient=found[16],
        species=found[17],
        client=found[18],
        phone=found[19],
        do_not_call=sql.flag(found[20]),
        voicemail_ok=sql.flag(found[21]),
        text_ok=sql.flag(found[22]),
        wrong_number=sql.flag(found[23]),
        notes=found[24],
        source=found[25],
        target_at=sql.utc_or_none(found[26]),
    )


def _placed(found: Row, day: date, pools: tuple[str, ...]) -> QueueRow:
    """A row of `_ROWS` as it stands on `day`'s list: a pool's, overdue, or due that day."""
    owner, status = found[14], found[8]
    if owner in pools:
        section = Section.POOL
    elif status == Status.OPEN and sql.day(found[10]) < day:
        section = Section.OVERDUE
    else:
        section = Section.TODAY
    return _row(section, found)


_SECTION_ORDER = {Section.OVERDUE: 0, Section.TODAY: 1, Section.POOL: 2}


def callbacks(
    database: Database,
    *,
    day: date,
    initials: str | None = None,
    status: str = "open",
    pools: Mapping[str, frozenset[Role]] = POOLS,
    now: datetime | None = None,
) -> list[QueueRow]:
    """The callbacks on `day`'s list, overdue first, then due, then pools; by due time within.

    Open callbacks are those due on or before `day` (overdue included); any other status
    lists the callbacks due on `day` itself; "all" lists both. With `initials`: that person's
    own callbacks and the pools their role may work (`pools`: the profile's). Given `now`,
    the messages past their response target come first, as on Today.
    """
    with database.read() as reads:
        member = _member(reads, initials) if initials is not None else None
        return _listed(reads, day, status, initials, _pools(member, pools), now)


def callback_row(database: Database, callback_id: int) -> QueueRow | None:
    """One callback as it is now, whatever its status; None if it no longer exists.

    For a screen that holds a row and must catch up with another desk's change. It stands
    on no day's list here, so it has no section.
    """
    with database.read() as reads:
        found = reads.first(_ROWS + "WHERE cb.id = :id", id=callback_id)
    return _row(None, found) if found is not None else None


def _pools(member: StaffMember | None, pools: Mapping[str, frozenset[Role]]) -> tuple[str, ...]:
    return tuple(pools_for(member.role, pools)) if member else ()


def _listed(
    reads: Reads,
    day: date,
    status: str,
    initials: str | None,
    pools: tuple[str, ...],
    now: datetime | None = None,
) -> list[QueueRow]:
    if status == "open":
        where = "cb.status = :open AND cb.due_date <= :day"
    elif status == "all":
        where = "(cb.due_date = :day OR (cb.status = :open AND cb.due_date <= :day))"
    else:
        where = "cb.status = :status AND cb.due_date = :day"
    if initials is not None:
        where += " AND cb.owner IN (:owners)"
    found = reads.all(
        f"{_ROWS} WHERE {where} ORDER BY cb.due_at, cb.id",
        open=Status.OPEN.value,
        status=status,
        day=day,
        owners=(initials, *pools),
    )
    placed = [_placed(item, day, pools) for item in found]
    if now is None:
        placed.sort(key=lambda row: _SECTION_ORDER[row.section])  # type: ignore[index]  # stable
    else:
        placed.sort(key=lambda row: _at_risk(row, now))
    return placed


def _at_risk(row: QueueRow, now: datetime) -> tuple[int, int]:
    """Most at risk first: the messages past their target (the latest first: they are in
    due order), then each section as before; a pool's late messages lead the pool."""
    section = _SECTION_ORDER[row.section]  # type: ignore[index]
    late = row.is_late(now)
    if row.section is Section.POOL:
        return section + 1, 0 if late else 1
    return (0, 0) if late else (section + 1, 1)


def today(
    database: Database,
    initials: str,
    day: date,
    calendar: Calendar,
    pools: Mapping[str, frozenset[Role]] = POOLS,
    now: datetime | None = None,
) -> Queue:
    """The morning run-through for `initials`, with the header's counts (one snapshot).

    `pools` are the profile's: the queue holds those the person's role may work. Given
    `now`, the messages past their response target come first and are counted late."""
    start = calendar.at(day, time())
    end = calendar.at(day + timedelta(days=1), time())
    with database.read() as reads:
        member = _member(reads, initials)
        worked = _pools(member, pools)
        rows = _listed(reads, day, "open", initials, worked, now)
        done = reads.value(
            "SELECT COUNT(*) FROM callback WHERE owner = :initials AND status <> :open"
            " AND closed_at >= :start AND closed_at < :end",
            initials=initials,
            open=Status.OPEN.value,
            start=start,
            end=end,
        )
    mine = [row for row in rows if row.section is not Section.POOL]
    counts = Counts(
        to_do=len(mine),
        overdue=sum(row.section is Section.OVERDUE for row in mine),
        done_today=int(done),
        late=sum(row.is_late(now) for row in rows) if now is not None else 0,
    )
    return Queue(
        initials=initials, member=member, day=day, rows=tuple(rows), counts=counts, pools=worked
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
    from sqlmodel import Session, select

    from callback_tui.store.tables import TABLES, public

    kind = TABLES[table]
    query = select(kind).order_by(kind.id)  # type: ignore[attr-defined]
    when = _WHEN.get(table)
    if when is not None and start is not None:
        query = query.where(getattr(kind, when) >= start)
    if when is not None and end is not None:
        query = query.where(getattr(kind, when) < end)
    with Session(database.engine) as session:
        for row in session.exec(query.execution_options(yield_per=batch)):
            yield public(kind, row.model_dump(mode="json"))


def callbacks_between(
    database: Database, start: datetime | None, end: datetime | None
) -> list[QueueRow]:
    """Callbacks due in [start, end), any status, in id order (for export)."""
    where = " AND ".join(
        clause
        for clause, given in (("cb.due_at >= :start", start), ("cb.due_at < :end", end))
        if given is not None
    )
    with database.read() as reads:
        found = reads.all(
            f"{_ROWS} {'WHERE ' + where if where else ''} ORDER BY cb.id", start=start, end=end
        )
    return [_row(None, item) for item in found]
