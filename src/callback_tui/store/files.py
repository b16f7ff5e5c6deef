"""The files behind the database and its backups, handled as SQLite and the disk need.

Every connection here is SQLite's (never Python's `open()` on a live database: see
schema.py); a new file appears whole under its name or not at all; a wait for another
desk's lock ends in words.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path

from callback_tui.clock import Clock
from callback_tui.store import schema
from callback_tui.store.errors import StoreError

BUSY_SECONDS = 5.0  # as the engine: wait out another desk's short write, not a long one
DAMAGE_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB


def connect(path: Path, mode: str) -> sqlite3.Connection:
    # A URI so that the mode holds ("rw" never creates a missing file); as_uri() quotes
    # the characters a URI would misread (`?`, `#`, `%`).
    uri = f"{path.absolute().as_uri()}?mode={mode}"
    return sqlite3.connect(uri, uri=True, timeout=BUSY_SECONDS)


class StillBusy(Exception):
    """Another desk held its write lock longer than a backup waits."""


BUSY_WORDS = "the database is busy with a long write at another desk; try again in a moment"


def give_up_when_busy() -> Callable[[int, int, int], None]:
    """A backup `progress` callback that stops the wait for another desk's lock.

    Python retries a busy backup step for ever; raising here ends it, and SQLite rolls the
    unfinished copy back.
    """
    deadline = time.monotonic() + BUSY_SECONDS

    def progress(status: int, _remaining: int, _total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise StillBusy

    return progress


def is_damage(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in DAMAGE_CODES


@contextmanager
def temporary(folder: Path, stem: str) -> Iterator[Path]:
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
        for path in (temp, *sidecars(temp)):
            path.unlink(missing_ok=True)


def place(temp: Path, target: Path) -> bool:
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


def place_named(temp: Path, folder: Path, base: str) -> Path:
    for serial in itertools.count(1):
        target = folder / (f"{base}.db" if serial == 1 else f"{base}.{serial}.db")
        if place(temp, target):
            return target
    raise AssertionError("unreachable")


def sync_folder(folder: Path) -> None:
    # The new name survives a power cut only once the folder itself is on disk.
    with suppress(OSError):  # some platforms cannot open a folder; the name still lands
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def create_private(db: Path) -> None:
    try:
        schema.create_private_file(db)
    except OSError as exc:
        raise StoreError(f"{db}: cannot create the database ({exc.strerror})") from None


def sidecars(path: Path) -> tuple[Path, ...]:
    return tuple(Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal"))


def local_now() -> datetime:
    """Now, in this machine's time zone, to the second (backup names)."""
    return Clock().now().astimezone().replace(microsecond=0)


def shown(path: Path | None) -> str | None:
    return str(path) if path else None
