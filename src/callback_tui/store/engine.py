"""The database: opening it (checked, created or upgraded), SQLite pragmas, file permissions,
the translation of the file's errors into words, and change watching.

Opening stays cheap when the file is current: a look at its first bytes and its schema
revision. Alembic is imported only when a file needs upgrading (store/migrate.py).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlmodel import SQLModel, create_engine

from callback_tui.store import schema, tables  # noqa: F401  (tables registers the tables)
from callback_tui.store.errors import DamagedFile, StoreError, explain, restore_hint

BUSY_TIMEOUT_MS = 5_000


@dataclass
class Database:
    engine: Engine
    """For reads (deferred transactions)."""
    writer: Engine
    """The same pool; its transactions start with BEGIN IMMEDIATE on SQLite."""
    path: Path | None
    """The SQLite file, when the database is one."""
    damaged: bool = field(default=False)
    """A read or write met damage: no write may proceed on this file."""

    @property
    def label(self) -> str:
        return str(self.path) if self.path else self.engine.url.render_as_string(hide_password=True)

    def latest_backup(self) -> str | None:
        if self.path is None:
            return None
        from callback_tui.store.backup import latest_backup

        found = latest_backup(self.path)
        return str(found) if found else None

    def refuse_writes_if_damaged(self) -> None:
        if self.damaged:
            raise DamagedFile(
                f"{self.label}: the database file is damaged; nothing was saved"
                + restore_hint(self.latest_backup())
            )

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(
    target: str, *, create: bool = True, on_upgrade: Callable[[str], None] | None = None
) -> Database:
    """Open (create, or upgrade) the callback-tui database at a path or SQLAlchemy URL.

    Every problem is a StoreError naming the file: a folder, not an SQLite file, damaged,
    read-only, locked, made by a newer version, or an upgrade that failed (the file is then
    put back as it was). `on_upgrade` hears one line before an upgrade starts: on years of
    data it takes a while, and the person should know why.
    """
    if not target.strip():
        raise StoreError("no database given: name a file path or a database URL")
    url = _url(target)
    path = Path(url.database).expanduser() if _is_sqlite_file(url) else None
    if path is not None:
        url = url.set(database=str(path))
        _check_file(path, create=create)
    try:
        engine = create_engine(url, connect_args=_connect_args(url.get_backend_name()))
    except (NoSuchModuleError, ArgumentError):
        raise StoreError(f"{target}: not a kind of database callback-tui can open") from None
    except ImportError as exc:
        raise StoreError(
            f"{url.render_as_string(hide_password=True)}: the driver for this database is not"
            f" installed ({exc.name or 'unknown module'})"
        ) from None
    database = Database(engine=engine, writer=engine.execution_options(write=True), path=path)
    _speak_plainly(database)
    if url.get_backend_name() == "sqlite":
        _sqlite_pragmas(engine)
    try:
        _bring_up_to_date(database, on_upgrade)
    except BaseException:
        database.dispose()  # refused: no connection is left open on the file
        raise
    return database


def _url(target: str) -> Any:
    if "://" not in target:
        return make_url("sqlite://").set(database=target)
    try:
        return make_url(target)
    except ArgumentError:
        raise StoreError(f"{target}: not a database URL") from None


def _is_sqlite_file(url: Any) -> bool:
    return bool(url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:")


def _check_file(path: Path, *, create: bool) -> None:
    """The cheap checks before SQLite opens a file: it is a file, and ours to read.

    A new file is created 0600 in a 0700 folder, however the path was spelled. Whether it
    is an SQLite file, SQLite says at the first read (explain: not a database). Never
    `open()` the file here: this process may have connections on it already (see schema.py).
    """
    try:
        if path.is_dir():
            raise StoreError(f"{path}: is a folder, not a database file")
        if path.exists() and not path.is_file():
            raise StoreError(f"{path}: is not a regular file, so not a database file")
        if not path.exists():
            if not create:
                raise StoreError(f"{path}: no such database file")
            schema.create_private_file(path)
            return
    except PermissionError:
        raise StoreError(f"{path}: no permission to open the database file or its folder") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot open the database file ({exc.strerror})") from None
    if not os.access(path, os.R_OK):
        raise StoreError(f"{path}: no permission to open the database file or its folder")


def _bring_up_to_date(database: Database, on_upgrade: Callable[[str], None] | None) -> None:
    """Create the schema in a new file, upgrade an older one, refuse a newer one."""
    with database.engine.connect() as connection:
        found = _revision(connection)
    if found == schema.HEAD:
        return
    if schema.is_newer(found):
        raise StoreError(
            f"{database.label}: made by a newer callback-tui (schema {found}; this version"
            f" knows up to {schema.HEAD}): use that version, or restore a backup"
        )
    if found is None:
        _create_schema(database)
        return
    if on_upgrade is not None:
        on_upgrade(
            f"{database.label}: made by an earlier callback-tui (schema {found}); bringing it up"
            f" to date (schema {schema.HEAD}), a copy first goes to backups/"
        )
    from callback_tui.store.migrate import upgrade

    upgrade(database, found)


def _revision(connection: Connection) -> str | None:
    raw = connection.connection.dbapi_connection
    if isinstance(raw, sqlite3.Connection):
        return schema.revision_of(raw)
    from sqlalchemy import inspect, text

    if not inspect(connection).has_table("alembic_version"):
        return schema.BASELINE if inspect(connection).has_table("callback") else None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _create_schema(database: Database) -> None:
    """A new file: today's tables, their guards, and the revision they are at."""
    with database.writer.begin() as connection:
        if _revision(connection) is not None:
            return  # another desk created it while this one waited for the lock
        SQLModel.metadata.create_all(connection)
        if connection.dialect.name == "sqlite":
            for statement in schema.SQLITE_GUARDS:
                connection.exec_driver_sql(statement)
        schema.stamp(connection, schema.HEAD)


def _connect_args(backend: str) -> dict[str, Any]:
    if backend == "sqlite":
        # Threads share the pool (queue loads run in workers); SQLite serialises the writes.
        return {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}
    return {}


def _speak_plainly(database: Database) -> None:
    """The file's own troubles (busy, read-only, damaged, full) become one line in words.

    Integrity errors (a trigger's refusal, a duplicate) and programming errors pass through
    unchanged: they are answers about the data, or bugs, not the file's health.
    """

    @event.listens_for(database.engine, "handle_error")
    def _in_words(context: ExceptionContext) -> None:
        original = context.original_exception
        if not _about_the_file(original):
            return
        error = explain(original, database.label, _latest_backup_quietly(database))
        if isinstance(error, DamagedFile):
            database.damaged = True
        raise error from None


def _about_the_file(error: BaseException) -> bool:
    if isinstance(error, DBAPIError):
        error = error.orig  # type: ignore[assignment]
    return isinstance(error, sqlite3.OperationalError) or type(error) is sqlite3.DatabaseError


def _latest_backup_quietly(database: Database) -> str | None:
    try:
        return database.latest_backup()
    except OSError:
        return None


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
            try:
                current = self._version()
            except sqlite3.Error:
                return True  # the reload that follows meets the problem and says it in words
            changed, self._last = current != self._last, current
            return changed

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
