"""The one unit of work every write goes through: a transaction, who does it, and its events.

Each desk (staff, callbacks, notes, tasks, incidents) is a `Desk`: it opens a `Work` with
`write`, changes rows, and calls `Work.record` once per changed row (or `insert_many` and
`record_many` for many new rows at once). The transaction commits everything with its audit
events, or nothing.
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum
from functools import cache
from operator import itemgetter
from typing import Any, TypeVar

from pydantic_core import PydanticUndefined
from sqlalchemy import Connection, Table
from sqlalchemy import text as sql_text
from sqlmodel import Session, SQLModel, col, select

from callback_tui.clock import real_now
from callback_tui.config import Clinic
from callback_tui.domain import access, text
from callback_tui.domain.access import Act
from callback_tui.domain.vocab import Role
from callback_tui.store import chain, schema
from callback_tui.store.engine import Database
from callback_tui.store.errors import Invalid, NotAllowed, NotFound, StaleVersion, StoreError
from callback_tui.store.tables import Event, Staff, UTCDateTime, public, sqlite_utc_text

Row = TypeVar("Row", bound=SQLModel)

SWITCH_BEHIND = 0.001
"""Seconds a thread holds Python's lock while another waits, as rows are written behind:
a fifth of Python's default (measured: 10,000 visits imported in 3.37 s against 3.69 s,
medians of five, interleaved)."""


def _most_parameters(dialect: Any) -> int:
    """Values one statement may bind: under SQLite's limit (999, or 32 766 since 3.32) and
    PostgreSQL's (65 535)."""
    if dialect.name == "sqlite":
        import sqlite3

        return 30_000 if sqlite3.sqlite_version_info >= (3, 32) else 990
    return 30_000


@dataclass
class Work:
    """One unit of work: a session inside a write transaction, and who is doing it."""

    session: Session
    actor: str
    now: datetime
    """The clinic's now (pinned in demos and training): what the records say."""
    recorded_at: datetime
    """The real time, for the audit trail: a pinned clock never moves it."""
    _last_hash: str | None = field(default=None, repr=False)
    _last_event_id: int = field(default=0, repr=False)
    """The chain's tail's id, read with its hash: on SQLite, the greatest event id."""
    _last_ids: dict[str, int] = field(default_factory=dict, repr=False)
    """Inside `inserting_behind`: the last id handed out, by table."""
    _behind: Behind | None = field(default=None, repr=False)
    changes: int = 0
    """Events recorded: every change records one, so none means nothing was written."""

    def record(
        self,
        action: str,
        row: SQLModel,
        before: dict[str, Any] | None = None,
        *,
        also: dict[str, Any] | None = None,
    ) -> None:
        """Append the audit event for a change to `row` (flushed, so it has its id).

        `also` adds facts about the change that are no column of the row (an early call's
        override) to the event's `after`. Each event is chained to the one before it (see
        store/chain.py). Writes on SQLite hold the file's write lock from their first
        statement, so the chain has one tail.
        """
        if self._behind is not None:
            raise RuntimeError("a row recorded through the session while inserting behind")
        self.session.add(row)
        self.session.flush()
        values = row_values(row)
        after = values if also is None else {**values, **{k: _json(v) for k, v in also.items()}}
        self._append([self._event(action, type(row), after, before)])

    def insert_many(self, kind: type[SQLModel], rows: Sequence[dict[str, Any]]) -> None:
        """Insert new rows of `kind` (every column, as `new_row` makes them) in a few
        statements, each given its id first (`reserve_ids`). `record_many` then appends their
        events. Inside `inserting_behind`, the statements run on the writer's thread."""
        if not rows:
            return
        table = kind.__table__  # type: ignore[attr-defined]
        for row, row_id in zip(rows, self.reserve_ids(table, len(rows)), strict=True):
            row["id"] = row_id
        self._insert(table, rows)

    def record_many(self, changes: Sequence[tuple[str, type[SQLModel], dict[str, Any]]]) -> None:
        """`record` for many new rows at once: (action, kind, every column with the id).

        The events chain in the order given, exactly as that many `record` calls would.
        """
        if not changes:
            return
        if self._behind is None:
            self.session.flush()  # rows changed before these are written before their events
        self._append([self._event(action, kind, row, None) for action, kind, row in changes])

    @property
    def writing_behind(self) -> bool:
        """Inside `inserting_behind`: the session may not be read."""
        return self._behind is not None

    def reserve_ids(self, table: Table, count: int) -> Sequence[int]:
        """Ids for `count` new rows of `table`, which this unit inserts with them: each one
        above every id in the table, as the database would have numbered them.

        SQLite numbers a row one above the greatest id, and this unit holds the file's write
        lock, so those ids are this unit's; inside `inserting_behind`, the ids handed out
        but not yet written are counted too. PostgreSQL's sequence hands them out.
        """
        connection = self.session.connection()
        if connection.dialect.name != "sqlite":
            query = (
                "SELECT nextval(pg_get_serial_sequence(:name, 'id')) FROM generate_series(1, :n)"
            )
            found = connection.execute(sql_text(query), {"name": table.name, "n": count})
            return [row_id for (row_id,) in found]
        if self._behind is None:
            last = self._greatest_id(table)
        else:
            last = self._last_ids[table.name]  # a table not named to `inserting_behind`: a bug
            self._last_ids[table.name] = last + count
        return range(last + 1, last + count + 1)

    def _greatest_id(self, table: Table) -> int:
        connection = self.session.connection()
        name = connection.dialect.identifier_preparer.quote(table.name)
        found: int | None = connection.exec_driver_sql(f"SELECT max(id) FROM {name}").scalar()
        return found or 0

    @contextmanager
    def inserting_behind(self, *kinds: type[SQLModel]) -> Iterator[None]:
        """Run the inserts of `insert_many` and `record_many` on one other thread, in order,
        while this one makes the next rows: SQLite lets go of Python while it writes, so a
        bulk write uses both cores. Leaving waits for every insert; the first that failed
        raises its error here.

        Inside, nothing may read through the session (the writer's connection is busy): what
        the rows need is read before, and their ids come from counts kept here (`reserve_ids`)
        for `kinds`, whose rows are the only ones inserted. On another database than SQLite,
        the ids come from a query, so the inserts run as they are made.
        """
        connection = self.session.connection()
        if connection.dialect.name != "sqlite":
            yield
            return
        self.session.flush()
        self._previous_hash()  # the events' ids follow the chain's tail (`_append`)
        for kind in kinds:
            table = kind.__table__  # type: ignore[attr-defined]
            self._last_ids[table.name] = self._greatest_id(table)
        self._behind = Behind(connection)
        # Each statement passes Python's lock to the writer and back twice (to bind, and
        # once SQLite is done); by default the thread holding it keeps it up to 5 ms first.
        switch = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_BEHIND)
        try:
            yield
            self._behind.wait()
        finally:
            sys.setswitchinterval(switch)
            self._behind.stop()
            self._behind = None
            self._last_ids.clear()

    def _append(self, events: list[dict[str, Any]]) -> None:
        """Insert events made by `_event`, in the order made (the chain's). On SQLite their
        ids follow the tail's, read with its hash (`_previous_hash`): only this unit, which
        holds the write lock, adds events."""
        if self.session.connection().dialect.name == "sqlite":
            last = self._last_event_id
            ids: Sequence[int] = range(last + 1, last + len(events) + 1)
            self._last_event_id += len(events)
        else:
            ids = self.reserve_ids(_EVENTS, len(events))
        for event, event_id in zip(events, ids, strict=True):
            event["id"] = event_id
        self._insert(_EVENTS, events, written=_WRITTEN)

    def _insert(
        self,
        table: Table,
        rows: Sequence[dict[str, Any]],
        *,
        written: frozenset[str] = frozenset(),
    ) -> None:
        """INSERT many rows (each with its id), a batch of rows a statement.

        The statement is written here, and the values pass through each column's own bind
        processor (the file's shapes, as SQLAlchemy stores them): SQLAlchemy's per-row work
        for many rows cost more than the rest of an import. It still runs through the
        connection, so errors speak as any other. The `written` columns hold JSON written
        already (an event's, as its hash covers it): they go as they are.
        """
        connection = self.session.connection()
        dialect = connection.dialect
        keys = list(rows[0])
        # Each row's values in column order; then, in place, those of the columns whose type
        # has a processor (most have none: text and numbers go as they are).
        in_order = itemgetter(*keys) if len(keys) > 1 else lambda row: (row[keys[0]],)
        processed = [
            (index, _same_once(process))
            for index, key in enumerate(keys)
            if key not in written
            and (process := _bind_processor(table.c[key].type, dialect)) is not None
        ]
        quote = dialect.identifier_preparer.quote
        marker = "?" if dialect.paramstyle == "qmark" else "%s"
        row_markers = "(" + ", ".join([marker] * len(keys)) + ")"
        head = f"INSERT INTO {quote(table.name)} ({', '.join(quote(key) for key in keys)}) VALUES "
        per_batch = max(1, _most_parameters(dialect) // len(keys))
        for start in range(0, len(rows), per_batch):
            batch = rows[start : start + per_batch]
            parameters: list[Any] = []
            for row in batch:
                if processed:
                    found = list(in_order(row))
                    for index, process in processed:
                        found[index] = process(found[index])
                    parameters.extend(found)
                else:
                    parameters.extend(in_order(row))
            sql = head + ", ".join([row_markers] * len(batch))
            if self._behind is not None:
                self._behind.run(sql, tuple(parameters))
            else:
                connection.exec_driver_sql(sql, tuple(parameters))

    def _event(
        self,
        action: str,
        kind: type[SQLModel],
        row: dict[str, Any],
        before: dict[str, Any] | None,
    ) -> dict[str, Any]:
        """The columns of the event for a change to `row` (every column, its id too), chained
        after the last. Its `before` and `after` are written once, as JSON in the chain's
        form: the text stored is the very text hashed."""
        entity = _table_name(kind)
        # msgspec writes text, numbers, flags, days and choices (enums) as `_json` would, and
        # a time in UTC as well ("Z"): only a time in another zone is written here first.
        # (An import chains tens of thousands of events: a call for every value cost more
        # than the rest of making them.)
        values = dict(row)
        for key in _time_columns(kind):
            value = values.get(key)
            if value is not None and value.tzinfo is not UTC:
                values[key] = _json(value)
        after = chain.written(values)
        written_before = chain.written(before)
        previous = self._previous_hash()
        body = chain.content_of(
            self.recorded_at, self.actor, action, entity, row["id"], written_before, after
        )
        self._last_hash = linked = chain.link(previous, body)
        self.changes += 1
        return {
            "at": self.recorded_at,
            "actor": self.actor,
            "action": action,
            "entity": entity,
            "entity_id": row["id"],
            "before": written_before,
            "after": after,
            "prev_hash": previous,
            "hash": linked,
        }

    def _previous_hash(self) -> str:
        if self._last_hash is None:
            query = select(Event.id, Event.hash).order_by(col(Event.id).desc()).limit(1)
            tail = self.session.exec(query).first()
            self._last_event_id = (tail[0] or 0) if tail else 0
            self._last_hash = tail[1] if tail else chain.GENESIS
        return self._last_hash


def _bind_processor(kind: Any, dialect: Any) -> Any:
    """The column type's own bind processor; for a UTC time on SQLite, the same done faster."""
    if isinstance(kind, UTCDateTime) and dialect.name == "sqlite":
        return sqlite_utc_text
    return kind._cached_bind_processor(dialect)


def _same_once(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`process`, run once for a value given again and again (every row of a unit of work
    made at the same moment has the same `now`; most events, no `before`)."""
    last: list[Any] = [_NOTHING, None]

    def run(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, process(value)
        return last[1]

    return run


_NOTHING = object()


_WRITTEN = frozenset({"before", "after"})
"""An event's columns written as JSON already (`Work._event`)."""

_EVENTS: Table = Event.__table__  # type: ignore[attr-defined]


class Behind:
    """One thread that runs statements on a connection, in the order given, while the thread
    that gives them goes on (`Work.inserting_behind`)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="callback-tui-writer")
        self._running: deque[Future[Any]] = deque()

    def run(self, sql: str, parameters: tuple[Any, ...]) -> None:
        """Run `sql` after those given before; raise the error of any that failed already."""
        while self._running and self._running[0].done():
            self._running.popleft().result()
        self._running.append(self._pool.submit(self._connection.exec_driver_sql, sql, parameters))

    def wait(self) -> None:
        """Return once every statement has run; raise the first one's error."""
        while self._running:
            self._running.popleft().result()

    def stop(self) -> None:
        """Run nothing more; return once the statement running, if any, is done."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._running.clear()


def snapshot(row: SQLModel) -> dict[str, Any]:
    """Every column of `row` as JSON values, empty ones included (the full row)."""
    return {key: _json(value) for key, value in row_values(row).items()}


def row_values(row: SQLModel) -> dict[str, Any]:
    """Every column of `row`, by name, in the table's order, as the audit trail keeps it:
    a staff member's PIN hash only as whether one is set (tables.public)."""
    table = row.__table__  # type: ignore[attr-defined]
    values = {column.key: getattr(row, column.key, None) for column in table.columns}
    return public(type(row), values)


def new_row(model: type[SQLModel], values: dict[str, Any]) -> dict[str, Any]:
    """What `row_values(model(**values))` would be, without the cost of making the object
    (which counts in an import of thousands): the columns not given take their defaults."""
    defaults = _defaults(model)
    if not values.keys() <= defaults.keys():  # a subset test makes no set (an import's many)
        unknown = values.keys() - defaults.keys()
        raise TypeError(f"{model.__name__} has no column {', '.join(sorted(unknown))}")
    return {**defaults, **values}


@cache
def _defaults(kind: type[SQLModel]) -> dict[str, Any]:
    """Each column's default, None for those without one (as on a new object)."""
    fields = kind.model_fields
    defaults: dict[str, Any] = {}
    for column in kind.__table__.columns:  # type: ignore[attr-defined]
        field = fields.get(column.key)
        default = None if field is None else field.get_default(call_default_factory=True)
        defaults[column.key] = None if default is PydanticUndefined else default
    return defaults


@cache
def _time_columns(kind: type[SQLModel]) -> tuple[str, ...]:
    """The columns of `kind` that hold a date and time."""
    table: Table = kind.__table__  # type: ignore[attr-defined]
    return tuple(column.key for column in table.columns if _holds_times(column.type))


def _holds_times(kind: Any) -> bool:
    try:
        return bool(kind.python_type is datetime)
    except NotImplementedError:  # a type that does not say: none of ours hold times
        return False


@cache
def _table_name(kind: type[SQLModel]) -> str:
    """The table's name as plain text (SQLAlchemy's is a subclass of str)."""
    return str(kind.__table__.name)  # type: ignore[attr-defined]


_PLAIN = frozenset({str, int, bool, float, type(None)})
"""Types kept as they are (exactly these: a StrEnum is a str but is not kept)."""


def _json(value: Any) -> Any:
    if type(value) in _PLAIN:  # most values: a quick way past the checks below
        return value
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


class Desk:
    """What every desk shares: the database, the clinic, and the way to write."""

    def __init__(self, database: Database, clinic: Clinic) -> None:
        self.database = database
        self.clinic = clinic

    @contextmanager
    def write(self, actor: str) -> Iterator[Work]:
        """One transaction (SQLite: BEGIN IMMEDIATE) that commits on leaving, or rolls back.

        Errors of the file itself (busy, read-only, damaged, full) reach the caller as
        StoreError, already in words: the engine translates them (engine.py).
        """
        self.database.refuse_writes_if_damaged()
        with (
            Session(self.database.writer, expire_on_commit=False) as session,
            session.begin(),
        ):
            self._refuse_a_newer_file(session)
            work = Work(
                session=session,
                actor=actor,
                now=self.clinic.clock.now(),
                recorded_at=real_now(),
            )
            yield work
        if work.changes:  # committed (an exception skips this), and something changed: the
            self.database.writes += 1  # kept lists read again (a save of the same text: not)

    def _refuse_a_newer_file(self, session: Session) -> None:
        """Another desk may have upgraded the file since this one opened it: this version
        must not write rows shaped for an older schema into it. One indexed read, inside the
        write lock, so no upgrade can slip in between."""
        query = "SELECT version_num FROM alembic_version"
        found = session.connection().exec_driver_sql(query).scalar()
        if found != schema.HEAD:
            raise StoreError(
                f"{self.database.label}: upgraded by a newer callback-tui at another desk"
                f" (schema {found}); nothing was saved: start the newer version here too"
            )

    def due_today(self, work: Work) -> datetime:
        """When a task made now is due: by the end of the clinic's day (its closing time;
        the next open day's when it is closed or already over), not at once."""
        return self.clinic.calendar.day_end(work.now)

    def last_actor(self, work: Work, kind: type[SQLModel], row_id: int) -> str:
        """Who last changed a row, from the audit trail."""
        by = work.session.exec(
            select(Event.actor)
            .where(Event.entity == kind.__tablename__, Event.entity_id == row_id)
            .order_by(col(Event.id).desc())
            .limit(1)
        ).first()
        return by or "someone"

    def guarded(self, work: Work, kind: type[Row], row_id: int, version: int) -> Row:
        """Load a row for change, refusing if another desk changed it since `version`."""
        row = work.session.get(kind, row_id)
        if row is None:
            raise NotFound(f"{kind.__tablename__} {row_id} no longer exists")
        if row.version != version:  # type: ignore[attr-defined]
            by = self.last_actor(work, kind, row_id)
            raise StaleVersion(f"changed at the other desk by {by} — reloaded")
        return row


def long_text(value: str, field: str, problems: dict[str, str], *, required: str = "") -> str:
    """Multi-line user text as kept (NOTE_LIMIT). Too long, or empty when `required` says
    why it is needed, is put in `problems` under `field`."""
    return _checked(value, field, problems, required, limit=text.NOTE_LIMIT, multiline=True)


def short_text(value: str, field: str, problems: dict[str, str], *, required: str = "") -> str:
    """One line of user text (a name, a place), as `long_text`: control characters gone,
    space folded, within NAME_LIMIT."""
    return _checked(value, field, problems, required, limit=text.NAME_LIMIT, multiline=False)


def _checked(
    value: str, field: str, problems: dict[str, str], required: str, *, limit: int, multiline: bool
) -> str:
    try:
        kept = text.clean(value, limit=limit, multiline=multiline)
    except ValueError as exc:
        problems[field] = f"too long: {exc}"
        return ""
    if required and not kept:
        problems[field] = required
    return kept


def required_text(value: str, field: str, why: str) -> str:
    """`long_text` for a form of one field: refused at once (Invalid) when wrong."""
    problems: dict[str, str] = {}
    kept = long_text(value, field, problems, required=why)
    if problems:
        raise Invalid(problems)
    return kept


def role_of(work: Work, initials: str) -> Role | None:
    """The role `initials` act in: None for someone not on the staff, or deactivated (the
    `system` actor of unattended commands among them)."""
    found = work.session.exec(
        select(Staff.role).where(Staff.initials == initials, col(Staff.active).is_(True))
    ).first()
    return Role(found) if found else None


def refuse(work: Work, act: Act, **context: Any) -> None:
    """NotAllowed, with the reason in words, unless the actor's role may do `act`
    (domain/access.py; `context` as `access.refusal` takes it)."""
    said = access.refusal(act, role_of(work, work.actor), **context)
    if said is not None:
        raise NotAllowed(said)
