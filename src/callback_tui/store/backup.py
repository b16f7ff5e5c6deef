"""Backups of the database file, and putting one back.

Plain `sqlite3` on purpose: a backup must work on a file the ORM would refuse (older, newer,
damaged), and `latest_backup` is called while an error message is being built, so it costs
no more than a directory listing.

Every copy goes through SQLite's online backup API. Reading, it takes one consistent snapshot
while other desks keep writing (WAL mode): committed rows only, the -wal included. Writing a
restore, it goes through SQLite's own locking and journal on the live file, so the -wal and
-shm stay consistent for every connection still open on it; a plain file replace would leave
an old -wal to be replayed over the restored pages.

Backups are named `{database stem}-{YYYYmmdd-HHMMSS}-{label}.db` in a `backups/` folder beside
the database. The time is this machine's local wall-clock time (what the desk reads on the
clock; a sortable name either way, and "today's daily backup" is a local day); a second backup
in the same second with the same label gets `.2`, `.3` … before `.db`.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from callback_tui.clock import Clock
from callback_tui.store import schema
from callback_tui.store.errors import DamagedFile, StoreError, explain, restore_hint

FOLDER = "backups"
"""Beside the database file."""

MANUAL = "manual"
DAILY = "daily"
PRE_RESTORE = "pre-restore"
DAMAGED = "damaged"
"""A raw copy of a damaged database, kept by `restore`; never offered as the latest backup."""

STAMP = "%Y%m%d-%H%M%S"

_LABEL = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_BUSY_SECONDS = 5.0  # as the engine: wait out another desk's short write, not a long one
_DAMAGE_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB


@dataclass(frozen=True)
class BackupInfo:
    """One backup in the backups folder."""

    path: Path
    made_at: datetime
    """As the file name carries it, in this machine's time zone."""
    label: str
    size: int
    """Bytes."""
    revision: str | None
    """The schema revision the copy holds; None when unreadable (or empty)."""
    readable: bool
    """False when the file could not be read as a database."""


@dataclass(frozen=True)
class Restored:
    """What `restore` did."""

    database: Path
    source: Path
    revision: str
    """The schema revision now in the database (older ones are migrated on next open)."""
    kept: Path | None
    """The database as it was just before, in the backups folder; None when there was none."""
    kept_damaged: bool = False
    """The kept copy is a raw copy of a damaged file (labelled `damaged`)."""

    @property
    def facts(self) -> tuple[str, ...]:
        """One line per thing done, for the person at the desk."""
        if self.kept is None:
            kept = "there was no database file to keep"
        elif self.kept_damaged:
            kept = f"kept the damaged database file as it was: {self.kept}"
        else:
            kept = f"kept the database as it was: {self.kept}"
        if self.revision == schema.HEAD:
            revision = f"schema revision {self.revision}, this version's"
        else:
            revision = (
                f"schema revision {self.revision}, older than this version's {schema.HEAD}:"
                " it is brought up to date the next time callback-tui opens it"
            )
        return (f"restored {self.database} from {self.source}", kept, revision)


@dataclass(frozen=True, order=True)
class _Named:
    """A backup as its file name describes it; ordered by when it was made."""

    made_at: datetime
    serial: int
    label: str = field(compare=False)
    path: Path = field(compare=False)


# -- reading the backups folder ---------------------------------------------------------


def backups_folder(db: Path) -> Path:
    return db.parent / FOLDER


def latest_backup(db: Path) -> Path | None:
    """The newest backup worth restoring, from the folder listing alone (no file is opened)."""
    for named in _named_backups(db):
        if named.label != DAMAGED:
            return named.path
    return None


def list_backups(db: Path) -> list[BackupInfo]:
    """Every backup in the backups folder, newest first, with the revision each holds."""
    found: list[BackupInfo] = []
    for named in _named_backups(db):
        try:
            size = named.path.stat().st_size
        except OSError:
            continue  # removed since the listing (a daily clean-up at another desk)
        revision, readable = _revision(named.path)
        found.append(BackupInfo(named.path, named.made_at, named.label, size, revision, readable))
    return found


def _named_backups(db: Path) -> list[_Named]:
    pattern = re.compile(
        rf"{re.escape(db.stem)}-(?P<stamp>\d{{8}}-\d{{6}})-(?P<label>{_LABEL})"
        r"(?:\.(?P<serial>\d+))?\.db"
    )
    try:
        entries = list(os.scandir(backups_folder(db)))
    except OSError:
        return []  # no folder yet, or not readable: no backups to offer
    found: list[_Named] = []
    for entry in entries:
        matched = pattern.fullmatch(entry.name)
        if matched is None or not entry.is_file():
            continue
        try:
            # The name carries local wall-clock time: read it back in this machine's zone.
            made_at = datetime.strptime(matched["stamp"], STAMP).astimezone()
        except ValueError:
            continue
        serial = int(matched["serial"] or 1)
        found.append(_Named(made_at, serial, matched["label"], Path(entry.path)))
    return sorted(found, reverse=True)


def _revision(path: Path) -> tuple[str | None, bool]:
    try:
        with closing(_connect(path, "ro")) as connection:
            return schema.revision_of(connection), True
    except sqlite3.Error:
        return None, False


# -- making one -------------------------------------------------------------------------


def make_backup(
    db: Path, dest: Path | None = None, *, label: str = MANUAL, when: datetime | None = None
) -> Path:
    """Copy the database into one self-contained file (0600) and return its path.

    `dest`: None for the backups folder beside the database (created 0700), a folder, or a
    new file's path (an existing file is never overwritten). `when` names the file (default:
    now), in this machine's local time.
    """
    if re.fullmatch(_LABEL, label) is None:
        raise ValueError(f"backup label {label!r}: lower-case letters, digits and hyphens")
    _require_database(db)
    stamp = (when or _local_now()).astimezone().strftime(STAMP)
    target: Path | None = None
    if dest is None:
        folder = _default_folder(db)
    elif dest.is_dir():
        folder = dest
    elif dest.exists() or dest.is_symlink():
        raise StoreError(f"{dest}: already exists; a backup never overwrites a file")
    else:
        folder, target = dest.parent, dest
        if not folder.is_dir():
            raise StoreError(f"{folder}: no such folder; nothing was backed up")
    with _temporary(folder, db.stem) as temp:
        try:
            with closing(_connect(db, "rw")) as source, closing(sqlite3.connect(temp)) as copy:
                source.backup(copy, progress=_give_up_when_busy())
                # The copy inherits WAL mode from the live file; a rollback journal instead
                # makes this one file the whole backup, with no -wal to go with it.
                copy.execute("PRAGMA journal_mode = DELETE")
        except _StillBusy:
            raise StoreError(f"{db}: {_BUSY_WORDS}; no backup was made") from None
        except sqlite3.Error as exc:
            raise explain(exc, str(db), _shown(latest_backup(db))) from None
        try:
            if target is not None:
                if not _place(temp, target):
                    raise StoreError(f"{target}: already exists; a backup never overwrites a file")
                made = target
            else:
                made = _place_named(temp, folder, f"{db.stem}-{stamp}-{label}")
            _sync_folder(folder)
        except OSError as exc:
            raise StoreError(f"{folder}: cannot write the backup there ({exc.strerror})") from None
    return made


def daily_backup(db: Path, today: date, keep: int = 14) -> Path | None:
    """Today's `daily` backup, after a quick check of the file; None when it already exists.

    Keeps the newest `keep` daily backups and deletes older daily ones (never others).
    Raises DamagedFile, and makes no backup, when the quick check fails.
    """
    if keep < 1:
        raise ValueError("keep at least one daily backup")
    if any(n.label == DAILY and n.made_at.date() == today for n in _named_backups(db)):
        return None
    _require_database(db)
    if _damaged(db):
        raise DamagedFile(
            f"{db}: the database file is damaged (its quick check failed); no backup was made"
            + restore_hint(_shown(latest_backup(db)))
        )
    # Named for the day it stands for, so that a pinned clinic clock (training) still finds
    # it tomorrow morning instead of making one at every start.
    when = _local_now().replace(year=today.year, month=today.month, day=today.day)
    made = make_backup(db, label=DAILY, when=when)
    dailies = [n for n in _named_backups(db) if n.label == DAILY]
    for old in dailies[keep:]:
        # One that cannot be removed now is tried again tomorrow; the backup is made.
        with suppress(OSError):
            old.path.unlink()
    return made


# -- putting one back -------------------------------------------------------------------


def restore(db: Path, source: Path) -> Restored:
    """Put `source` in place of the database, keeping the current one as a backup first.

    Refuses (StoreError naming the file, nothing changed) a source that is missing, not an
    SQLite file, damaged, not a callback-tui database, or from a newer version.
    """
    if db.is_dir():
        raise StoreError(f"{db}: is a folder, not a database file; nothing was restored")
    if db.exists() and source.resolve() == db.resolve():
        raise StoreError(f"{source}: is the database itself; name a backup to restore")
    revision = _restorable(source)
    kept: Path | None = None
    existed = db.exists()
    damaged = existed and _damaged(db)
    if damaged:
        kept = _keep_raw(db)
    elif existed:
        kept = make_backup(db, label=PRE_RESTORE)
    else:
        _create_private(db)
    try:
        try:
            copy_in(source, db)
        except sqlite3.DatabaseError as exc:
            if not (damaged and _is_damage(exc)):
                raise
            # Too damaged to write through SQLite (its header is gone); its copy is kept
            # above. Its -wal belongs to the damaged file: never replay it over the restore.
            for path in (db, *_sidecars(db)):
                path.unlink(missing_ok=True)
            _create_private(db)
            copy_in(source, db)
    except (sqlite3.Error, OSError, _StillBusy) as exc:
        if not existed:
            db.unlink(missing_ok=True)  # leave no empty file behind
        if isinstance(exc, _StillBusy):
            raise StoreError(f"{db}: {_BUSY_WORDS}; nothing was restored") from None
        if isinstance(exc, OSError):
            where = f"; the database as it was is {kept}" if kept else ""
            raise StoreError(f"{db}: cannot be replaced ({exc.strerror}){where}") from None
        raise explain(exc, str(db)) from None
    return Restored(db, source, revision, kept, kept_damaged=damaged)


def _restorable(source: Path) -> str:
    """The revision `source` holds, or StoreError saying why it must not be restored."""
    nothing = "nothing was restored"
    try:
        with source.open("rb") as handle:
            header = handle.read(len(schema.SQLITE_HEADER))
    except FileNotFoundError:
        raise StoreError(f"{source}: no such file; {nothing}") from None
    except IsADirectoryError:
        raise StoreError(f"{source}: is a folder, not a backup file; {nothing}") from None
    except OSError as exc:
        raise StoreError(f"{source}: cannot be read ({exc.strerror}); {nothing}") from None
    if header != schema.SQLITE_HEADER:
        raise StoreError(f"{source}: not a database file; {nothing}")
    try:
        with closing(_connect(source, "ro")) as connection:
            problems = connection.execute("PRAGMA integrity_check").fetchall()
            revision = schema.revision_of(connection) if problems == [("ok",)] else None
    except sqlite3.DatabaseError as exc:
        if not _is_damage(exc):
            name = getattr(exc, "sqlite_errorname", None) or type(exc).__name__
            raise StoreError(f"{source}: cannot be read ({name}); {nothing}") from None
        problems = [("damaged",)]
        revision = None
    if problems != [("ok",)]:
        raise StoreError(f"{source}: the file is damaged (its integrity check failed); {nothing}")
    if revision is None:
        raise StoreError(f"{source}: not a callback-tui database; {nothing}")
    if schema.is_newer(revision):
        raise StoreError(
            f"{source}: made by a newer callback-tui (schema revision {revision}; this version"
            f" knows up to {schema.HEAD}); {nothing}"
        )
    return revision


def copy_in(source: Path, db: Path) -> None:
    """Copy the database `source` over the live file `db` (no checks: see `restore`)."""
    # Into a connection on the live file: SQLite writes it as one transaction, through the
    # live file's own journal (its -wal in WAL mode), under the same locks other desks use.
    with closing(_connect(source, "ro")) as reading, closing(_connect(db, "rw")) as live:
        if _pragma(reading, "page_size") != _pragma(live, "page_size") and (
            _pragma(live, "journal_mode") == "wal"
        ):
            # SQLite cannot change a WAL file's page size in place. Out of WAL mode it can
            # (the engine turns WAL back on at the next open), but only with no desk open.
            try:
                live.execute("PRAGMA journal_mode = DELETE")
            except sqlite3.OperationalError:
                raise StoreError(
                    f"{db}: the backup's page size differs from the database's; close"
                    " callback-tui at every desk, then restore again; nothing was restored"
                ) from None
        reading.backup(live, progress=_give_up_when_busy())


def _pragma(connection: sqlite3.Connection, name: str) -> object:
    return connection.execute(f"PRAGMA {name}").fetchone()[0]


def _keep_raw(db: Path) -> Path:
    """A byte copy of a damaged database file (SQLite may not be able to read it)."""
    folder = _default_folder(db)
    name = f"{db.stem}-{_local_now().strftime(STAMP)}-{DAMAGED}"
    with _temporary(folder, db.stem) as temp:
        try:
            shutil.copyfile(db, temp)
            made = _place_named(temp, folder, name)
            _sync_folder(folder)
        except OSError as exc:
            raise StoreError(
                f"{db}: cannot keep a copy of the damaged file in {folder} ({exc.strerror});"
                " nothing was restored"
            ) from None
    return made


# -- plumbing ---------------------------------------------------------------------------


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    # A URI so that the mode holds ("rw" never creates a missing file); as_uri() quotes
    # the characters a URI would misread (`?`, `#`, `%`).
    uri = f"{path.absolute().as_uri()}?mode={mode}"
    return sqlite3.connect(uri, uri=True, timeout=_BUSY_SECONDS)


def _require_database(db: Path) -> None:
    """A file to back up, readable; whether it is a database, SQLite itself says.

    Never `open()` the live file here: closing any descriptor on it drops every SQLite lock
    this process holds on it (POSIX locks are per process), and another desk could then
    delete the WAL from under this one (see schema.py).
    """
    if not db.is_file():
        what = "is a folder, not a database file" if db.is_dir() else "no such database file"
        raise StoreError(f"{db}: {what}; nothing to back up")
    if not os.access(db, os.R_OK):
        raise StoreError(f"{db}: cannot be read (permission denied); nothing to back up")


class _StillBusy(Exception):
    """Another desk held its write lock longer than a backup waits."""


_BUSY_WORDS = "the database is busy with a long write at another desk; try again in a moment"


def _give_up_when_busy() -> Callable[[int, int, int], None]:
    """A backup `progress` callback that stops the wait for another desk's lock.

    Python retries a busy backup step for ever; raising here ends it, and SQLite rolls the
    unfinished copy back.
    """
    deadline = time.monotonic() + _BUSY_SECONDS

    def progress(status: int, _remaining: int, _total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise _StillBusy

    return progress


def _damaged(db: Path) -> bool:
    """Whether `PRAGMA quick_check` finds the file damaged; other failures raise StoreError."""
    try:
        with closing(_connect(db, "rw")) as connection:
            result = connection.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        if _is_damage(exc):
            return True
        raise explain(exc, str(db), _shown(latest_backup(db))) from None
    return result != [("ok",)]


def _is_damage(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in _DAMAGE_CODES


def _default_folder(db: Path) -> Path:
    folder = backups_folder(db)
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{folder}: cannot create the backups folder ({exc.strerror})") from None
    return folder


@contextmanager
def _temporary(folder: Path, stem: str) -> Iterator[Path]:
    """A new private (0600) file in `folder`, removed with its journals unless placed."""
    try:
        descriptor, name = tempfile.mkstemp(prefix=f".{stem}-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise StoreError(f"{folder}: cannot write a backup there ({exc.strerror})") from None
    os.close(descriptor)
    temp = Path(name)
    try:
        yield temp
    finally:
        for path in (temp, *_sidecars(temp)):
            path.unlink(missing_ok=True)


def _place(temp: Path, target: Path) -> bool:
    """Give `temp` the name `target` unless that exists; False when it does."""
    try:
        # A hard link appears whole and refuses an existing name, atomically.
        os.link(temp, target)
    except FileExistsError:
        return False
    except OSError:
        # File systems without hard links (some network shares): check, then rename.
        if target.exists():
            return False
        os.replace(temp, target)
        return True
    temp.unlink()
    return True


def _place_named(temp: Path, folder: Path, base: str) -> Path:
    for serial in itertools.count(1):
        target = folder / (f"{base}.db" if serial == 1 else f"{base}.{serial}.db")
        if _place(temp, target):
            return target
    raise AssertionError("unreachable")


def _sync_folder(folder: Path) -> None:
    # The new name survives a power cut only once the folder itself is on disk.
    with suppress(OSError):  # some platforms cannot open a folder; the name still lands
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _create_private(db: Path) -> None:
    try:
        schema.create_private_file(db)
    except OSError as exc:
        raise StoreError(f"{db}: cannot create the database ({exc.strerror})") from None


def _sidecars(path: Path) -> tuple[Path, ...]:
    return tuple(Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal"))


def _local_now() -> datetime:
    """Now, in this machine's time zone, to the second (backup names)."""
    return Clock().now().astimezone().replace(microsecond=0)


def _shown(path: Path | None) -> str | None:
    return str(path) if path else None
