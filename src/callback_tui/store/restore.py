"""Putting a backup in place of the database, keeping the one it replaces.

The copy goes through SQLite's backup API into a connection on the live file, so it is
written as one transaction through that file's own journal (its -wal in WAL mode), under
the locks the other desks use; a plain file replace would leave an old -wal to be replayed
over the restored pages.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from callback_tui.store import files, schema
from callback_tui.store.backup import (
    DAMAGED,
    PRE_RESTORE,
    STAMP,
    ensure_folder,
    is_damaged,
    make_backup,
)
from callback_tui.store.errors import StoreError, explain


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
    damaged = existed and is_damaged(db)
    if damaged:
        kept = _keep_raw(db)
    elif existed:
        kept = make_backup(db, label=PRE_RESTORE)
    else:
        files.create_private(db)
    try:
        try:
            copy_in(source, db)
        except sqlite3.DatabaseError as exc:
            if not (damaged and files.is_damage(exc)):
                raise
            # Too damaged to write through SQLite (its header is gone); its copy is kept
            # above. Its -wal belongs to the damaged file: never replay it over the restore.
            for path in (db, *files.sidecars(db)):
                path.unlink(missing_ok=True)
            files.create_private(db)
            copy_in(source, db)
    except (sqlite3.Error, OSError, files.StillBusy) as exc:
        if not existed:
            db.unlink(missing_ok=True)  # leave no empty file behind
        if isinstance(exc, files.StillBusy):
            raise StoreError(f"{db}: {files.BUSY_WORDS}; nothing was restored") from None
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
        with closing(files.connect(source, "ro")) as connection:
            problems = connection.execute("PRAGMA integrity_check").fetchall()
            revision = schema.revision_of(connection) if problems == [("ok",)] else None
    except sqlite3.DatabaseError as exc:
        if not files.is_damage(exc):
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
    with closing(files.connect(source, "ro")) as reading, closing(files.connect(db, "rw")) as live:
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
        reading.backup(live, progress=files.give_up_when_busy())


def _pragma(connection: sqlite3.Connection, name: str) -> object:
    return connection.execute(f"PRAGMA {name}").fetchone()[0]


def _keep_raw(db: Path) -> Path:
    """A byte copy of a damaged database file (SQLite may not be able to read it)."""
    folder = ensure_folder(db)
    name = f"{db.stem}-{files.local_now().strftime(STAMP)}-{DAMAGED}"
    with files.temporary(folder, db.stem) as temp:
        try:
            shutil.copyfile(db, temp)
            made = files.place_named(temp, folder, name)
            files.sync_folder(folder)
        except OSError as exc:
            raise StoreError(
                f"{db}: cannot keep a copy of the damaged file in {folder} ({exc.strerror});"
                " nothing was restored"
            ) from None
    return made
