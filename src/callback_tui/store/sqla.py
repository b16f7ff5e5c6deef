"""The SQLAlchemy engine: what the write side, the migrations and the exports work through.

Made the first time a write (or an upgrade, a check, an export) needs it, never on the way to
the first painted queue: importing SQLAlchemy costs more than painting the screen. The reads
go through plain DB-API connections (store/sql.py) and meet the same pragmas and the same
translation of the file's errors into words.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlmodel import SQLModel, create_engine

from callback_tui.store import engine as light
from callback_tui.store import schema, tables  # noqa: F401  (tables registers the tables)
from callback_tui.store.errors import StoreError

if TYPE_CHECKING:
    from callback_tui.store.engine import Database


def parse_url(target: str) -> URL:
    try:
        return make_url(target)
    except ArgumentError:
        raise StoreError(f"{target}: not a database URL") from None


def sqlite_file_of(url: URL) -> str | None:
    """The file an `sqlite:///…` URL names; None for any other database (or `:memory:`)."""
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return url.database
    return None


def make_engine(database: Database) -> Engine:
    """The engine for `database`, speaking plainly about the file's troubles."""
    if database.path is not None:
        url = make_url("sqlite://").set(database=str(database.path))
    elif "://" not in database.url:
        url = make_url("sqlite://").set(database=database.url)  # ":memory:"
    else:
        url = parse_url(database.url)
    try:
        engine = create_engine(url, connect_args=_connect_args(url.get_backend_name()))
    except (NoSuchModuleError, ArgumentError):
        raise StoreError(f"{database.url}: not a kind of database callback-tui can open") from None
    except ImportError as exc:
        raise StoreError(
            f"{url.render_as_string(hide_password=True)}: the driver for this database is not"
            f" installed ({exc.name or 'unknown module'})"
        ) from None
    _speak_plainly(engine, database)
    if url.get_backend_name() == "sqlite":
        _sqlite_pragmas(engine)
    return engine


def revision(connection: Connection) -> str | None:
    """The schema revision of a database that is not an SQLite file."""
    from sqlalchemy import inspect, text

    found = inspect(connection)
    if not found.has_table("alembic_version"):
        return schema.BASELINE if found.has_table("callback") else None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def create_schema(database: Database) -> None:
    """A new file: today's tables, their guards, and the revision they are at."""
    with database.writer.begin() as connection:
        raw = connection.connection.dbapi_connection
        found = (
            schema.revision_of(raw) if isinstance(raw, sqlite3.Connection) else revision(connection)
        )
        if found is not None:
            return  # another desk created it while this one waited for the lock
        SQLModel.metadata.create_all(connection)
        if connection.dialect.name == "sqlite":
            for statement in schema.SQLITE_GUARDS:
                connection.exec_driver_sql(statement)
        schema.stamp(connection, schema.HEAD)


def _connect_args(backend: str) -> dict[str, Any]:
    if backend == "sqlite":
        # Threads share the pool (saves run in workers); SQLite serialises the writes.
        return {"check_same_thread": False, "timeout": light.BUSY_TIMEOUT_MS / 1000}
    return {}


def _speak_plainly(engine: Engine, database: Database) -> None:
    """The file's own troubles (busy, read-only, damaged, full) become one line in words.

    Integrity errors (a trigger's refusal, a duplicate) and programming errors pass through
    unchanged: they are answers about the data, or bugs, not the file's health.
    """

    @event.listens_for(engine, "handle_error")
    def _in_words(context: ExceptionContext) -> None:
        original = context.original_exception
        if isinstance(original, DBAPIError):
            original = original.orig  # type: ignore[assignment]
        if not light.about_the_file(original):
            return
        raise database.in_words(original) from None


WRITER_CACHE_KIB = 32 * 1024
"""SQLite's page cache on a writing connection, at most (SQLite's own default is 2 MiB). It
grows only as pages are used: a save uses a few. An import of 10,000 visits changes pages of
every index of its tables; when a transaction's changed pages outgrow the cache, SQLite writes
them out before the commit (a cache spill). With this room: 3.01 s against 3.18 s, medians of
nine imports, interleaved."""


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see _on_begin).
        dbapi_connection.isolation_level = None
        light.sqlite_pragmas(dbapi_connection)
        dbapi_connection.execute("PRAGMA journal_mode = WAL").fetchall()
        dbapi_connection.execute(f"PRAGMA cache_size = -{WRITER_CACHE_KIB}")

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A write takes the lock up front: two desks never deadlock upgrading a read lock.
        immediate = connection.get_execution_options().get("write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
