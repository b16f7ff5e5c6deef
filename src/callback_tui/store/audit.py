"""Checking that the file and its audit trail are what they claim to be (`verify`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session, col, select

from callback_tui.store import chain
from callback_tui.store.engine import Database
from callback_tui.store.tables import Event


@dataclass(frozen=True)
class Verified:
    file_problems: tuple[str, ...]
    """What SQLite's quick_check found wrong in the file (empty: intact)."""
    events: int
    """How many events were walked (up to the first broken link)."""
    broken: chain.Broken | None

    @property
    def ok(self) -> bool:
        return not self.file_problems and self.broken is None


def verify(database: Database) -> Verified:
    """The file's structure (SQLite only), then every event's link, in order.

    quick_check reads the whole file: seconds on years of data, so it runs here, at the
    daily backup and before a restore, never at start.
    """
    problems: tuple[str, ...] = ()
    with database.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            found = [row[0] for row in connection.execute(text("PRAGMA quick_check"))]
            problems = () if found == ["ok"] else tuple(found[:5])
    with Session(database.engine) as session:
        events = session.exec(
            select(Event).order_by(col(Event.id)).execution_options(yield_per=2_000)
        )
        checked = chain.check(events)
    return Verified(file_problems=problems, events=checked.events, broken=checked.broken)
