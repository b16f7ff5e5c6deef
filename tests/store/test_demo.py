"""The demo clinic: a believable morning, built through the same services as real work."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, func, select

from callback_tui.config import Clinic
from callback_tui.demo import build_demo
from callback_tui.store import queries
from callback_tui.store.engine import open_database
from callback_tui.store.services import FrontDesk
from callback_tui.store.tables import Attempt, Callback, Event, Incident, Note, Staff


def count(session: Session, table: type, *where: object) -> int:
    return int(session.exec(select(func.count()).select_from(table).where(*where)).one())  # type: ignore[arg-type]


def test_the_demo_has_staff_callbacks_around_today_drafts_and_an_incident(
    tmp_path: Path, clinic: Clinic
) -> None:
    database = open_database(str(tmp_path / "demo.db"))
    try:
        build_demo(FrontDesk(database, clinic))
        with Session(database.engine) as session:
            callbacks = count(session, Callback)
            assert count(session, Staff) == 9
            assert 30 <= callbacks <= 45
            assert count(session, Attempt) == 6
            assert count(session, Note, Note.status == "draft") == 1
            assert count(session, Incident) == 1
            # Everything came through the services, so everything has its event.
            assert count(session, Event, Event.action == "callback.created") == callbacks
        today = clinic.clock.today()
        queue = queries.today(database, "AB", today, clinic.calendar)
        assert queue.rows, "the demo opens with rows for AB"
        everyone = queries.callbacks(database, day=today)
        assert {row.section for row in everyone} == {
            queries.Section.OVERDUE,
            queries.Section.TODAY,
        }
    finally:
        database.dispose()
