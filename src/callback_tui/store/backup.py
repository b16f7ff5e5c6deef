"""Backups of the database file: made by hand, made daily, listed (restore.py puts one back).

Plain `sqlite3` on purpose: a backup must work on a file the ORM would refuse (older, newer,
damaged), and `latest_backup` is called while an error message is being built, so it costs
no more than a directory listing.

Every copy goes through SQLite's online backup API: one consistent snapshot while other
desks keep writing (WAL mode), committed rows only, the -wal included.

Backups are named `{database stem}-{YYYYmmdd-HHMMSS}-{label}.db` in a `backups/` folder beside
the database. The time is this machine's local wall-clock time (what the desk reads on the
clock; a sortable name either way, and "today's daily backup" is a local day); a second backup
in the same second with the same label gets `.2`, `.3` … before `.db`.
"""

from __future__ import annotations

import os
import re
import sqlite3
from contextlib import closing, suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from callback_tui.store import files, schema
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
        with closing(files.connect(path, "ro")) as connection:
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
    stamp = (when or files.local_now()).astimezone().strftime(STAMP)
    target: Path | None = None
    if dest is None:
        folder = ensure_folder(db)
    elif dest.is_dir():
        folder = dest
    elif dest.exists() or dest.is_symlink():
        raise StoreError(f"{dest}: already exists; a backup never overwrites a file")
    else:
        folder, target = dest.parent, dest
        if not folder.is_dir():
            raise StoreError(f"{folder}: no such folder; nothing was backed up")
    with files.temporary(folder, db.stem) as temp:
        try:
            with closing(files.connect(db, "rw")) as source, closing(sqlite3.connect(temp)) as copy:
                source.backup(copy, progress=files.give_up_when_busy())
                # The copy inherits WAL mode from the live file; a rollback journal instead
                # makes this one file the whole backup, with no -wal to go with it.
                copy.execute("PRAGMA journal_mode = DELETE")
        except files.StillBusy:
            raise StoreError(f"{db}: {files.BUSY_WORDS}; no backup was made") from None
        except sqlite3.Error as exc:
            raise explain(exc, str(db), files.shown(latest_backup(db))) from None
        try:
            if target is not None:
                if not files.place(temp, target):
                    raise StoreError(f"{target}: already exists; a backup never overwrites a file")
                made = target
            else:
                made = files.place_named(temp, folder, f"{db.stem}-{stamp}-{label}")
            files.sync_folder(folder)
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
    if is_damaged(db):
        raise DamagedFile(
            f"{db}: the database file is damaged (its quick check failed); no backup was made"
            + restore_hint(files.shown(latest_backup(db)))
        )
    # Named for the day it stands for, so that a pinned clinic clock (training) still finds
    # it tomorrow morning instead of making one at every start.
    when = files.local_now().replace(year=today.year, month=today.month, day=today.day)
    made = make_backup(db, label=DAILY, when=when)
    dailies = [n for n in _named_backups(db) if n.label == DAILY]
    for old in dailies[keep:]:
        # One that cannot be removed now is tried again tomorrow; the backup is made.
        with suppress(OSError):
            old.path.unlink()
    return made


# -- plumbing ---------------------------------------------------------------------------


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


def is_damaged(db: Path) -> bool:
    """Whether `PRAGMA quick_check` finds the file damaged; other failures raise StoreError."""
    try:
        with closing(files.connect(db, "rw")) as connection:
            result = connection.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        if files.is_damage(exc):
            return True
        raise explain(exc, str(db), files.shown(latest_backup(db))) from None
    return result != [("ok",)]


def ensure_folder(db: Path) -> Path:
    folder = backups_folder(db)
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{folder}: cannot create the backups folder ({exc.strerror})") from None
    return folder
