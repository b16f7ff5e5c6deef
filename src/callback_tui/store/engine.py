"""The database: opening it (checked, created or upgraded), its read connections, the
translation of the file's errors into words, and change watching.

Opening a current SQLite file costs a look at the file and its schema revision, with the
standard library only. SQLAlchemy (store/sqla.py) is imported the first time something
writes, upgrades or exports; Alembic only when a file needs upgrading (store/migrate.py).
The reads (store/sql.py) run on plain DB-API connections kept here.
"""

from __future__ import annotations

import os
import queue
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from callback_tui.store import schema
from callback_tui.store.errors import DamagedFile, StoreError, explain, restore_hint
from callback_tui.store.sql import Reads

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from callback_tui.domain.hours import Calendar

BUSY_TIMEOUT_MS = 5_000


class Database:
    """One database: an SQLite file (`path`), or a server (`url`)."""

    def __init__(self, *, path: Path | None = None, url: str = "") -> None:
        self.path = path
        self.url = url
        """The URL as given, for a database that is not an SQLite file."""
        self.damaged = False
        """A read or write met damage: no write may proceed on this file."""
        self._engine: Engine | None = None
        self._writer: Engine | None = None
        self._made = threading.Lock()
        self._idle: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.writes = 0
        """Writes this process has committed: a list read since none was made is current."""

    @property
    def label(self) -> str:
        if self.path is not None:
            return str(self.path)
        if "://" not in self.url:
            return self.url
        from callback_tui.store.sqla import parse_url

        return parse_url(self.url).render_as_string(hide_password=True)

    # -- the write side: SQLAlchemy, made at first use ------------------------------------

    @property
    def engine(self) -> Engine:
        """SQLAlchemy's engine (deferred transactions), made the first time it is asked for."""
        with self._made:
            if self._engine is None:
                from callback_tui.store.sqla import make_engine

                self._engine = make_engine(self)
                self._writer = self._engine.execution_options(write=True)
            return self._engine

    @property
    def writer(self) -> Engine:
        """The same pool; its transactions start with BEGIN IMMEDIATE on SQLite."""
        self.engine  # noqa: B018  (made on first use)
        assert self._writer is not None
        return self._writer

    # -- the read side: plain connections -------------------------------------------------

    @contextmanager
    def read(self) -> Iterator[Reads]:
        """One read transaction: every query in it sees the database as it was at its start.

        The file's own troubles (busy, damaged, unreadable) leave as a StoreError in words.
        """
        connection = self._take()
        healthy = True
        try:
            if self.path is not None:
                connection.execute("BEGIN")
            yield Reads(connection, sqlite=self.path is not None, paramstyle=self._paramstyle())
        except sqlite3.Error as exc:
            healthy = False
            if not about_the_file(exc):
                raise
            raise self.in_words(exc) from None
        finally:
            self._give_back(connection, healthy)

    def in_words(self, error: BaseException) -> StoreError:
        """The file's trouble as one line for the desk; damage stops every later write."""
        found = explain(error, self.label, self.latest_backup_quietly())
        if isinstance(found, DamagedFile):
            self.damaged = True
        return found

    def _take(self) -> Any:
        with suppress(queue.Empty):
            return self._idle.get_nowait()
        if self.path is None:
            return self.engine.raw_connection()
        try:
            connection = sqlite3.connect(
                self.path,
                check_same_thread=False,  # handed from worker to worker, one at a time
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,  # transactions begin where `read` says
            )
            sqlite_pragmas(connection)
            connection.execute("PRAGMA query_only = ON")  # a reader never writes
        except sqlite3.Error as exc:
            raise self.in_words(exc) from None
        return connection

    def _give_back(self, connection: Any, healthy: bool) -> None:
        try:
            if self.path is not None:
                if connection.in_transaction:
                    connection.execute("COMMIT")
            else:
                connection.rollback()
        except Exception:
            healthy = False
        if healthy:
            self._idle.put(connection)
        else:
            with suppress(Exception):
                connection.close()

    def _paramstyle(self) -> str:
        if self.path is not None:
            return "named"
        return str(self.engine.dialect.paramstyle)

    # -- health ---------------------------------------------------------------------------

    def latest_backup(self) -> str | None:
        if self.path is None:
            return None
        from callback_tui.store.backup import latest_backup

        found = latest_backup(self.path)
        return str(found) if found else None

    def latest_backup_quietly(self) -> str | None:
        try:
            return self.latest_backup()
        except OSError:
            return None

    def refuse_writes_if_damaged(self) -> None:
        if self.damaged:
            raise DamagedFile(
                f"{self.label}: the database file is damaged; nothing was saved"
                + restore_hint(self.latest_backup())
            )

    def dispose(self) -> None:
        """Close every connection on the file (the next use opens new ones)."""
        while True:
            try:
                connection = self._idle.get_nowait()
            except queue.Empty:
                break
            with suppress(Exception):
                connection.close()
        if self._engine is not None:
            self._engine.dispose()


def sqlite_pragmas(connection: sqlite3.Connection) -> None:
    """What every connection on the file needs, reads and writes alike."""
    connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA foreign_keys = ON")


def about_the_file(error: BaseException) -> bool:
    """The driver speaks of the file's health, not of the data or of a bug."""
    return isinstance(error, sqlite3.OperationalError) or type(error) is sqlite3.DatabaseError


def open_database(
    target: str,
    *,
    create: bool = True,
    on_upgrade: Callable[[str], None] | None = None,
    calendar: Callable[[], Calendar] | None = None,
) -> Database:
    """Open (create, or upgrade) the callback-tui database at a path or SQLAlchemy URL.

    Every problem is a StoreError naming the file: a folder, not an SQLite file, damaged,
    read-only, locked, made by a newer version, or an upgrade that failed (the file is then
    put back as it was). `on_upgrade` hears one line before an upgrade starts: on years of
    data it takes a while, and the person should know why. `calendar` gives the clinic's
    calendar, asked for only when an upgrade works out facts in clinic time (which day a
    callback was due, how long it waited in open hours); the default settings' otherwise.
    """
    if not target.strip():
        raise StoreError("no database given: name a file path or a database URL")
    path = sqlite_file(target)
    if path is not None:
        _check_file(path, create=create)
        database = Database(path=path)
    else:
        database = Database(url=target)
        database.engine  # noqa: B018  (a server: its driver and URL are checked now)
    try:
        _bring_up_to_date(database, on_upgrade, calendar)
    except BaseException:
        database.dispose()  # refused: no connection is left open on the file
        raise
    return database


def sqlite_file(target: str) -> Path | None:
    """The SQLite file `target` names (a path, or an `sqlite:///` URL); None otherwise."""
    if "://" not in target:
        return None if target == ":memory:" else Path(target).expanduser()
    from callback_tui.store.sqla import parse_url, sqlite_file_of

    found = sqlite_file_of(parse_url(target))
    return Path(found).expanduser() if found else None


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


def _bring_up_to_date(
    database: Database,
    on_upgrade: Callable[[str], None] | None,
    calendar: Callable[[], Calendar] | None,
) -> None:
    """Create the schema in a new file, upgrade an older one, refuse a newer one."""
    found = _revision(database)
    if found == schema.HEAD:
        return
    if schema.is_newer(found):
        raise StoreError(
            f"{database.label}: made by a newer callback-tui (schema {found}; this version"
            f" knows up to {schema.HEAD}): use that version, or restore a backup"
        )
    from callback_tui.store import sqla

    if found is None:
        sqla.create_schema(database)
        return
    if on_upgrade is not None:
        on_upgrade(
            f"{database.label}: made by an earlier callback-tui (schema {found}); bringing it up"
            f" to date (schema {schema.HEAD}), a copy first goes to backups/"
        )
    from callback_tui.store.migrate import upgrade

    upgrade(database, found, calendar)


def _revision(database: Database) -> str | None:
    if database.path is None:
        from callback_tui.store.sqla import revision

        with database.engine.connect() as server:
            return revision(server)
    with database.read() as reads:
        raw = reads.connection
        assert isinstance(raw, sqlite3.Connection)
        return schema.revision_of(raw)


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
        with self._lock:  # close() may come from another thread: never mid-query
            if self._connection is None:
                return True
            try:
                current = self._version()
            except sqlite3.Error:
                return True  # the reload that follows meets the problem and says it in words
            changed, self._last = current != self._last, current
            return changed

    def close(self) -> None:
        """Close the connection, waiting for a look in progress in another thread (closing a
        SQLite connection while another thread is inside it can crash the process)."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
