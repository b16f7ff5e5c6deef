"""The demo clinic: a believable morning, built through the same services as real work."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, col, func, select

from callback_tui.clock import FixedClock
from callback_tui.config import Clinic, Settings, load_clinic
from callback_tui.demo import build_demo
from callback_tui.store import queries
from callback_tui.store.engine import Database, open_database
from callback_tui.store.services import FrontDesk
from callback_tui.store.tables import Attempt, Callback, Event, Incident, Note, Staff
from tests.conftest import NOW, TZ, TZ_NAME


def count(session: Session, table: type, *where: object) -> int:
    return int(session.exec(select(func.count()).select_from(table).where(*where)).one())  # type: ignore[arg-type]


def test_the_demo_has_staff_callbacks_around_today_drafts_and_an_incident(
    tmp_path: Path, clinic: Clinic
) -> None:
    database = open_database(str(tmp_path / "demo.db"))
    try:
        build_demo(FrontDesk(database, clinic))
        morning = clinic.calendar.at(clinic.clock.today(), time(0, 0))
        with Session(database.engine) as session:
            callbacks = count(session, Callback)
            assert count(session, Staff) == 9
            assert 30 <= count(session, Callback, Callback.created_at >= morning) <= 45
            assert count(session, Attempt, Attempt.at >= morning) == 6
            assert count(session, Note, Note.status == "draft", Note.created_at >= morning) == 1
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


@pytest.mark.parametrize(
    ("profile", "nurse", "pool"), [("medical", "NR", "CLIN"), ("dental", "HK", "CLIN")]
)
def test_a_medical_or_dental_demo_fits_its_profile(
    tmp_path: Path, profile: str, nurse: str, pool: str
) -> None:
    settings = Settings(timezone=TZ_NAME, profile=profile)
    clinic = load_clinic(settings, FixedClock(tz=TZ, instant=NOW))
    database = open_database(str(tmp_path / "demo.db"))
    try:
        build_demo(FrontDesk(database, clinic))
        morning = clinic.calendar.at(NOW.date(), time(0, 0))
        with Session(database.engine) as session:
            visits = select(Callback).where(Callback.source == "visit")
            reasons = {row.reason for row in session.exec(visits)}
            spoken = session.exec(select(Attempt).where(Attempt.outcome == "spoke")).all()
            assert count(session, Attempt, Attempt.at >= morning) == 6
            assert count(session, Note, Note.status == "draft", Note.created_at >= morning) == 1
        assert reasons <= set(clinic.profile.reasons) and len(reasons) == 3
        # Conversations went through the identity rule: two identifiers each, no values.
        assert spoken and all(a.identifiers == "dob,address" for a in spoken)
        queue = queries.today(database, nurse, NOW.date(), clinic.calendar, clinic.pools)
        assert queue.pools == (pool,) and queue.rows
    finally:
        database.dispose()


def test_everyone_in_the_demo_signs_in_with_1234(database: Database, clinic: Clinic) -> None:
    import msgspec

    from callback_tui.demo import DEMO_PIN

    build_demo(FrontDesk(database, clinic), history_days=0)
    staff = queries.staff(database)
    assert staff and all(member.has_pin and member.active for member in staff)
    with_pins = load_clinic(
        msgspec.structs.replace(clinic.settings, require_pin=True), clinic.clock
    )
    desk = FrontDesk(database, with_pins)
    assert {desk.staff.sign_in(m.initials, DEMO_PIN).initials for m in staff} == {
        m.initials for m in staff
    }
    assert DEMO_PIN == "1234"


def test_the_demo_starts_with_a_week_of_past_work(tmp_path: Path, clinic: Clinic) -> None:
    """Enough history for the reports and reviews to say something: calls on each open day
    of the week before, one person reaching fewer people than the others, mornings failing
    most."""
    from callback_tui.store import reports

    database = open_database(str(tmp_path / "demo.db"))
    try:
        build_demo(FrontDesk(database, clinic))
        today = clinic.clock.today()
        calendar = clinic.calendar
        with Session(database.engine) as session:
            for back in range(1, 8):
                day = today - timedelta(days=back)
                start, end = calendar.at(day, time(0, 0)), calendar.at(day, time(23, 59))
                made = count(session, Attempt, Attempt.at >= start, Attempt.at <= end)
                assert (made > 0) == calendar.is_open(day), day
            # The past week's calls are in clinic hours, on the clinic's clock.
            events = session.exec(select(Event.at).order_by(col(Event.id))).all()
            assert events == sorted(events)
        card = reports.scorecard(
            database,
            reports.Period.days_to(today - timedelta(days=1), 7),
            calendar,
            now=clinic.clock.now(),
            pools=clinic.pools,
        )
        assert card.clinic.calls >= 40 and card.clinic.waits
        rates = {who: t.reached / t.calls for who, t in card.people.items() if t.calls >= 5}
        assert min(rates, key=rates.__getitem__) == "JM"
        review = reports.daily_review(database, clinic.clock.now(), calendar)
        assert review.miss_windows[0].name == "morning"
    finally:
        database.dispose()
