"""Which schema a database file holds, read cheaply (no Alembic import), and the file itself.

Alembic keeps the revision in `alembic_version`. A file made by 0.1.0, before migrations
existed, has the tables but no such table: it holds the first revision.

One rule for every module: never read the live database file with Python's `open()`. POSIX
locks belong to the process, so closing any descriptor on the file drops every lock SQLite
holds on it here; another desk closing its last connection would then take this one for gone
and delete the WAL, with this desk's next writes in it. Ask SQLite instead (it shares its
locks between the connections of a process).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection

REVISIONS = (
    "0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010", "0011",
)  # fmt: skip
"""Every revision this version knows, oldest first (the files in migrations/versions)."""

HEAD = REVISIONS[-1]
"""The revision this version writes."""

BASELINE = REVISIONS[0]

EXPORTED = (
    "staff",
    "clients",
    "client_phones",
    "patients",
    "callbacks",
    "attempts",
    "notes",
    "amendments",
    "tasks",
    "incidents",
    "events",
)
"""The tables an export names, in its order (tables.TABLES maps them; a test holds the two
together): the command line offers them without importing the ORM."""
"""The 0.1.0 schema, which files made before migrations existed hold."""

SQLITE_HEADER = b"SQLite format 3\x00"


def revision_of(connection: sqlite3.Connection) -> str | None:
    """The file's schema revision; None for an empty file (nothing in it yet)."""
    tables = {
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
        ).fetchall()
    }
    if "alembic_version" in tables:
        # fetchall: a statement left unfinished would hold a read snapshot on the connection
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        return str(rows[0][0]) if rows else None
    if "callback" in tables:
        return BASELINE
    return None


def revision_of_file(path: str) -> str | None:
    """`revision_of` for a file opened read-only (a backup, a file to restore)."""
    connection = sqlite3.connect(f"{Path(path).absolute().as_uri()}?mode=ro", uri=True)
    try:
        return revision_of(connection)
    finally:
        connection.close()


def stamp(connection: Connection, revision: str) -> None:
    """Record the file's revision the way Alembic does (its own table, one row)."""
    from sqlalchemy import text  # here: this module is read on the start path

    connection.exec_driver_sql(
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL,"
        " CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
    )
    connection.execute(
        text("INSERT INTO alembic_version (version_num) VALUES (:revision)"),
        {"revision": revision},
    )


def create_private_file(path: Path) -> None:
    """An empty database file, 0600, in a 0700 folder when it has to be created.

    Made before SQLite opens it, so the file is never readable by others, however the path
    was spelled. A file that exists already (another desk made it a moment ago) is kept.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))


def is_newer(revision: str | None) -> bool:
    """Made by a newer callback-tui: a revision this version does not know."""
    return revision is not None and revision not in REVISIONS


SQLITE_GUARDS = (
    """CREATE TRIGGER note_final_never_changes BEFORE UPDATE ON note
    WHEN OLD.status = 'final'
    BEGIN SELECT RAISE(ABORT, 'a final note never changes: add an amendment'); END""",
    """CREATE TRIGGER note_final_never_deleted BEFORE DELETE ON note
    WHEN OLD.status = 'final'
    BEGIN SELECT RAISE(ABORT, 'a final note is never deleted'); END""",
    """CREATE TRIGGER event_never_changes BEFORE UPDATE ON event
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
    """CREATE TRIGGER event_never_deleted BEFORE DELETE ON event
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
    """CREATE TRIGGER event_must_be_linked BEFORE INSERT ON event
    WHEN NEW.hash = '' OR NEW.prev_hash = ''
    BEGIN SELECT RAISE(ABORT, 'this file was upgraded: use the newer callback-tui'); END""",
)
"""What the file itself refuses, whoever writes: changing a final note or the audit trail,
or an event without its link (written by an older version still open at another desk).

A new file gets these at once; the migrations made them for older files, in the same words.
"""
