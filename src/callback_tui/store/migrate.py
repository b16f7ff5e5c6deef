"""Upgrading a file made by an earlier version: back it up, migrate, check, or put it back.

The whole upgrade is one SQLite transaction (DDL is transactional there), so a crash or a
kill midway leaves the file as it was; the backup taken first is the second line of defence,
put back on any failure and kept for the person who asks what happened.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from callback_tui.domain import text
from callback_tui.store import schema
from callback_tui.store.errors import DeskError, StoreError

if TYPE_CHECKING:
    from collections.abc import Callable

    from callback_tui.domain.hours import Calendar
    from callback_tui.store.engine import Database

MIGRATIONS = Path(__file__).with_name("migrations")


class UpgradeFailed(Exception):
    """A check after the migrations found the data not as it must be."""


def upgrade(database: Database, found: str, calendar: Callable[[], Calendar] | None = None) -> None:
    """Bring the file from revision `found` to `schema.HEAD`; `calendar` gives the clinic's
    calendar to a migration that needs it (see engine.open_database)."""
    kept: Path | None = None
    if database.path is not None:
        from callback_tui.store.backup import make_backup

        kept = make_backup(database.path, label=f"before-upgrade-{found}")
    try:
        _migrate(database, calendar)
    except DeskError:
        raise  # already in words (busy, read-only, full…); the transaction rolled back
    except Exception as exc:
        if kept is not None and database.path is not None:
            from callback_tui.store.restore import copy_in

            database.dispose()
            copy_in(kept, database.path)
        where = f"; a copy from before is kept at {kept}" if kept else ""
        raise StoreError(
            f"{database.label}: could not upgrade it from schema {found} to {schema.HEAD}"
            f" ({type(exc).__name__}); the file was put back as it was{where}"
        ) from exc


def config() -> Config:
    settings = Config()
    settings.set_main_option("script_location", str(MIGRATIONS))
    return settings


def _migrate(database: Database, calendar: Callable[[], Calendar] | None = None) -> None:
    """Run every migration in one write transaction, foreign keys off, then check them.

    Foreign keys must be off while Alembic rebuilds a table (a rebuilt parent would take its
    children with it), and SQLite only changes that setting outside a transaction.
    """
    settings = config()
    with database.writer.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert raw is not None
        sqlite = isinstance(raw, sqlite3.Connection)
        if sqlite:
            raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                found = inspect(connection)
                if not found.has_table("alembic_version") and found.has_table("callback"):
                    schema.stamp(connection, schema.BASELINE)  # made by 0.1.0, before migrations
                settings.attributes["connection"] = connection
                settings.attributes["calendar"] = calendar
                command.upgrade(settings, "head")
                if sqlite:
                    orphans = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if orphans:
                        lost = text.counted(len(orphans), "row")
                        raise UpgradeFailed(f"{lost} lost the row they belong to")
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys = ON")
