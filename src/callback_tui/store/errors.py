"""What can go wrong with the database, in words for the person at the desk.

Every error the store raises on purpose is a `DeskError`: its message is one line meant to be
shown as it is. `explain` is the one place that turns a driver's error (a locked, read-only,
damaged or full file) into such a line: it names the file and, when there is one, the latest
backup, and never repeats the SQL, its parameters or the driver's own text.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime


class DeskError(Exception):
    """Something the person at the desk should read: the message is complete and safe."""


class StoreError(DeskError):
    """The database cannot be used as asked; the message names the file and what to do."""


class DamagedFile(StoreError):
    """The file is damaged: reads stop, and no write proceeds on it."""


class ServiceError(DeskError):
    """A write that was refused; nothing was written."""


class Invalid(ServiceError):
    """Refused input, field by field."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {problem}" for name, problem in problems.items()))
        self.problems = problems


class StaleVersion(ServiceError):
    """The row changed at another desk since this one read it; nothing was written."""


class NotFound(ServiceError):
    pass


class TooEarly(ServiceError):
    """A call before the callback's next try: each try belongs in a different time window.

    The message names the next window and the last try. Nothing was written; the person may
    confirm an early call (`CallOutcome.early`) when the client asked for one.
    """


class NoteIsFinal(ServiceError):
    """The note was finalized (here or at another desk): it takes amendments only."""


class NotAllowed(ServiceError):
    """Refused by role (domain/access.py): the message is the reason, with no patient data."""


class WrongPin(ServiceError):
    """A wrong PIN, counted: the message says how many tries are left (never the PIN)."""

    def __init__(self, initials: str, left: int) -> None:
        tries = "1 try" if left == 1 else f"{left} tries"
        super().__init__(f"Wrong PIN for {initials}: {tries} left.")
        self.initials = initials
        self.left = left


class LockedOut(ServiceError):
    """Too many wrong PINs in a row: no PIN is checked for this person until `until` (UTC).

    The message says when on the clinic's clock (`shown`: "10:45", or with the day)."""

    def __init__(self, initials: str, tries: int, until: datetime, shown: str) -> None:
        super().__init__(
            f"{initials} is locked out after {tries} wrong PINs; try again after {shown}."
        )
        self.initials = initials
        self.until = until


class PinNotSet(ServiceError):
    """The person has no PIN yet: they choose one first (`first_pin`)."""

    def __init__(self, initials: str) -> None:
        super().__init__(f"{initials} has no PIN yet: choose one.")
        self.initials = initials


# SQLite's primary result codes (https://sqlite.org/rescode.html), by what they mean here.
_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_READ_ONLY = {8}  # SQLITE_READONLY
_FULL = {13}  # SQLITE_FULL
_DAMAGED = {11}  # SQLITE_CORRUPT
_NOT_A_DATABASE = 26  # SQLITE_NOTADB: the file does not start as an SQLite file does
_CANNOT_OPEN = {14}  # SQLITE_CANTOPEN
_IO = {10}  # SQLITE_IOERR
_PERMISSION = {3, 23}  # SQLITE_PERM, SQLITE_AUTH


def driver_error(exc: BaseException) -> BaseException | None:
    """The DB-API error inside `exc` (SQLAlchemy wraps it as `.orig`), if there is one."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, sqlite3.Error):
            return seen
        original = getattr(seen, "orig", None)
        if isinstance(original, BaseException):
            return original
        seen = seen.__cause__ or seen.__context__
    return None


def explain(exc: BaseException, label: str, backup: str | None = None) -> StoreError:
    """A driver error as one line naming the file (`label`) and the latest backup."""
    found = driver_error(exc) or exc
    code = getattr(found, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    said = str(found).lower()
    restore = restore_hint(backup) if backup else ""

    if primary in _BUSY or "locked" in said or "busy" in said:
        return StoreError(
            f"{label}: the database is busy with a long write at another desk;"
            " nothing was saved, try again in a moment"
        )
    if primary in _READ_ONLY or "readonly" in said or "read-only" in said:
        return StoreError(
            f"{label}: the database file is read-only here; nothing was saved"
            " (ask for write permission on the file and its folder)"
        )
    if primary in _FULL or "disk is full" in said or "disk full" in said:
        return StoreError(
            f"{label}: the disk is full; nothing was saved (free some space and try again)"
        )
    if primary == _NOT_A_DATABASE or "not a database" in said:
        if backup:  # it was a database: its first page is what is damaged
            return DamagedFile(f"{label}: the database file is damaged at its start{restore}")
        return StoreError(f"{label}: not a callback-tui database (not an SQLite file)")
    if primary in _DAMAGED or "malformed" in said:
        return DamagedFile(f"{label}: the database file is damaged{restore or '; no backup found'}")
    if primary in _CANNOT_OPEN or "unable to open" in said:
        return StoreError(
            f"{label}: cannot open the database file (check that its folder exists and"
            " can be read and written)"
        )
    if primary in _PERMISSION:
        return StoreError(f"{label}: the database refused access")
    if primary in _IO or "disk i/o" in said:
        return StoreError(
            f"{label}: the disk failed while reading or writing the database{restore}"
        )
    name = getattr(found, "sqlite_errorname", None) or type(found).__name__
    return StoreError(f"{label}: the database failed ({name}){restore}")


def restore_hint(backup: str | None) -> str:
    """How a message about a damaged file ends: the way back, or that there is none."""
    if backup is None:
        return "; no backup found"
    return f"; to go back to the latest backup: callback-tui restore {backup}"
