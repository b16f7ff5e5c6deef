"""The database: engine factory, SQLite pragmas, file permissions and change watching."""

from __future__ import annotations

import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlmodel import SQLModel, create_engine

from callback_tui.store import tables  # noqa: F401  (registers the tables)

BUSY_TIMEOUT_MS = 5_000


class StoreError(Exception):
    """The database cannot be used; the message names the file and what to do."""


@dataclass
class Database:
    engine: Engine
    """For reads (deferred transactions)."""
    writer: Engine
    """The same pool; its transactions start with BEGIN IMMEDIATE on SQLite."""
    path: Path | None
    """The SQLite file, when the database is one."""

    @property
    def label(self) -> str:
        return str(self.path) if self.path else self.engine.url.render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(target: str, *, create: bool = True) -> Database:
    """Open (and create, first time) the database at a path or SQLAlchemy URL."""
    if "://" in target:
        try:
            url = make_url(target)
        except ArgumentError as exc:
            raise StoreError(f"{target}: not a database URL ({exc})") from None
    else:
        path = Path(target).expanduser()
        if create:
            _prepare_file(path)
        elif not path.exists():
            raise StoreError(f"{path}: no such database file")
        url = make_url(f"sqlite:///{path}")
    engine = create_engine(url, connect_args=_connect_args(url.get_backend_name()))
    if url.get_backend_name() == "sqlite":
        _sqlite_pragmas(engine)
    path_of = Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None
    database = Database(engine=engine, writer=engine.execution_options(write=True), path=path_of)
    try:
        SQLModel.metadata.create_all(engine)
    except OperationalError as exc:
        raise StoreError(f"{database.label}: {_plain(exc)}") from None
    except DatabaseError as exc:
        raise StoreError(f"{database.label}: not a callback-tui database ({_plain(exc)})") from None
    _check_columns(database)
    if url.get_backend_name() == "sqlite":
        with engine.begin() as connection:
            for statement in _SQLITE_GUARDS:
                connection.exec_driver_sql(statement)
    from callback_tui.store.search import backfill  # here: search needs Database from this module

    backfill(database)
    return database


# The service layer refuses to change a final note; the file refuses too, whoever writes.
_SQLITE_GUARDS = (
    """CREATE TRIGGER IF NOT EXISTS note_final_never_changes BEFORE UPDATE ON note
    WHEN OLD.status = 'final'
    BEGIN SELECT RAISE(ABORT, 'a final note never changes: add an amendment'); END""",
    """CREATE TRIGGER IF NOT EXISTS note_final_never_deleted BEFORE DELETE ON note
    WHEN OLD.status = 'final'
    BEGIN SELECT RAISE(ABORT, 'a final note is never deleted'); END""",
)


def _check_columns(database: Database) -> None:
    """Refuse, by name, a file whose tables lack columns this version writes (an older file).

    Until schema migrations exist, an old file is reported rather than half-used.
    """
    found = inspect(database.engine)
    missing = [
        f"{table.name}.{column.name}"
        for table in SQLModel.metadata.sorted_tables
        for column in table.columns
        if column.name not in {c["name"] for c in found.get_columns(table.name)}
    ]
    if missing:
        raise StoreError(
            f"{database.label}: made by an older callback-tui (no {', '.join(missing[:3])}"
            f"{' …' if len(missing) > 3 else ''}); open it with that version and `export`,"
            " or start a new file with --db"
        )


def _connect_args(backend: str) -> dict[str, Any]:
    if backend == "sqlite":
        # Threads share the pool (queue loads run in workers); SQLite serialises the writes.
        return {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}
    return {}


def _prepare_file(path: Path) -> None:
    """Create the folder 0700 and the file 0600 before SQLite opens it."""
    folder = path.parent
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True)
    if not path.exists():
        try:
            descriptor = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        except FileExistsError:
            return
        except OSError as exc:
            raise StoreError(f"{path}: cannot create the database ({exc.strerror})") from None
        os.close(descriptor)


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A write takes the lock up front: two desks never deadlock upgrading a read lock.
        immediate = connection.get_execution_options().get("write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _plain(exc: Exception) -> str:
    original = getattr(exc, "orig", None)
    return str(original or exc).strip()


class ChangeWatcher:
    """Tells whether anyone (another desk included) committed since the last look.

    SQLite's `PRAGMA data_version` changes on a connection whenever another connection
    commits, so one long-lived connection polls it. Other backends: always "maybe".
    """

    def __init__(self, database: Database) -> None:
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._last: int | None = None
        if database.path is not None:
            self._connection = sqlite3.connect(
                database.path, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
            )
            self._last = self._version()

    def _version(self) -> int:
        assert self._connection is not None
        row = self._connection.execute("PRAGMA data_version").fetchone()
        return int(row[0])

    def changed(self) -> bool:
        if self._connection is None:
            return True
        with self._lock:
            current = self._version()
            changed, self._last = current != self._last, current
            return changed

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
