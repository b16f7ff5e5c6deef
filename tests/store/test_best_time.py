"""A client's best time to call, read from their past calls, and the retry it steers: a
client answered twice in the evening and missed in the morning is tried next in the evening.
What they asked for themselves (the preferred window) wins over what the calls show."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session

from callback_tui.clock import FixedClock
from callback_tui.domain.vocab import Channel, Outcome, Status
from callback_tui.store.best_time_query import BestTime, TimeToCall, best_time, time_to_call
from callback_tui.store.services import CallOutcome, ClientDetails, FrontDesk, PhoneEntry
from callback_tui.store.tables import Callback
from tests.conftest import NOW, add_visit, local, set_client


def load(desk: FrontDesk, callback_id: int) -> Callback:
    with Session(desk.database.engine) as session:
        found = session.get(Callback, callback_id)
        assert found is not None
        return found


def call(desk: FrontDesk, clock: FixedClock, at: str, callback_id: int, outcome: Outcome,
         **extra: Any) -> Callback:  # fmt: skip
    """Log one call at the clinic-local time `at` (early: the ladder's waits are not tested
    here)."""
    clock.instant = local(at)
    fresh = load(desk, callback_id)
    desk.callbacks.log_outcome(
        "AB", callback_id, fresh.version, CallOutcome(outcome, early=True, **extra)
    )
    return load(desk, callback_id)


def visit(desk: FrontDesk, clock: FixedClock, day: str, patient: str = "Biscuit") -> int:
    """A visit of Jordan Lee's `patient` on `day`, made that morning: its one callback."""
    clock.instant = local(f"{day} 08:30")
    (callback,) = add_visit(desk, patient=patient, occurred_at=f"{day} 08:00")
    assert callback.id is not None
    return callback.id


@pytest.fixture
def evening_person(desk: FrontDesk, clock: FixedClock) -> int:
    """Jordan Lee, reached twice in the evening, missed once in the morning, all last week;
    then, this Tuesday morning, a new callback. Its id."""
    first = visit(desk, clock, "2026-11-16")
    call(desk, clock, "2026-11-16 09:10", first, Outcome.NO_ANSWER)
    assert call(desk, clock, "2026-11-16 17:20", first, Outcome.SPOKE).status == Status.COMPLETED
    second = visit(desk, clock, "2026-11-18", patient="Pepper")
    call(desk, clock, "2026-11-19 17:05", second, Outcome.SPOKE)
    today = visit(desk, clock, "2026-11-23")
    clock.instant = NOW
    return today


def test_after_a_morning_miss_the_next_try_is_the_evening_the_client_answers_in(
    desk: FrontDesk, clock: FixedClock, evening_person: int
) -> None:
    after = call(desk, clock, "2026-11-24 09:00", evening_person, Outcome.NO_ANSWER)
    assert (after.status, after.misses) == (Status.OPEN, 1)
    assert after.next_attempt_at == local("2026-11-24 17:00")  # not the afternoon's 12:00


def test_without_enough_history_the_retry_is_the_next_window_as_before(
    desk: FrontDesk, clock: FixedClock
) -> None:
    first = visit(desk, clock, "2026-11-16")
    call(desk, clock, "2026-11-16 17:20", first, Outcome.SPOKE)  # one answer: not enough
    today = visit(desk, clock, "2026-11-23")
    after = call(desk, clock, "2026-11-24 09:00", today, Outcome.NO_ANSWER)
    assert after.next_attempt_at == local("2026-11-24 12:00")
    assert best_time(desk.database, after.client_id, desk.clinic.calendar) is None


def test_the_window_the_client_asked_for_wins_over_the_one_the_calls_show(
    desk: FrontDesk, clock: FixedClock, evening_person: int
) -> None:
    client_id = load(desk, evening_person).client_id
    saved = desk.clients.save_details(
        "AB",
        client_id,
        1,
        ClientDetails(
            phones=(PhoneEntry("(312) 555-0142", "other", best=True),),
            preferred_window="morning",
            voicemail_ok=True,
        ),
    )
    assert saved.changed == ("preferred_window",)
    after = call(desk, clock, "2026-11-24 12:30", evening_person, Outcome.BUSY)
    assert after.next_attempt_at == local("2026-11-25 08:00")  # not this evening's 17:00
    shown = time_to_call(desk.database, client_id, desk.clinic.calendar)
    assert shown.window == "morning"
    assert shown.words == "Prefers: morning"


def test_the_read_layer_counts_phone_calls_by_window(
    desk: FrontDesk, clock: FixedClock, evening_person: int
) -> None:
    client_id = load(desk, evening_person).client_id
    calendar = desk.clinic.calendar
    assert best_time(desk.database, client_id, calendar) == BestTime("evening", 2, 2)
    # A wrong number, a text and a call after hours say nothing about the evening window;
    # a miss there does.
    set_client(desk, text_ok=True)
    call(desk, clock, "2026-11-24 17:01", evening_person, Outcome.WRONG_NUMBER)
    call(desk, clock, "2026-11-24 17:02", evening_person, Outcome.NO_ANSWER, channel=Channel.TEXT)
    call(desk, clock, "2026-11-24 19:30", evening_person, Outcome.NO_ANSWER)
    assert best_time(desk.database, client_id, calendar) == BestTime("evening", 2, 2)
    call(desk, clock, "2026-11-24 17:40", evening_person, Outcome.NO_ANSWER)
    found = best_time(desk.database, client_id, calendar)
    assert found == BestTime("evening", 2, 3)
    assert found.words == "evening (answered 2 of 3 calls there)"
    shown = time_to_call(desk.database, client_id, calendar)
    assert shown == TimeToCall(stated=None, best=found)
    assert shown.words == "Best time to call: evening (answered 2 of 3 calls there)"
    assert shown.window == "evening"


def test_a_client_with_no_calls_has_nothing_to_show(desk: FrontDesk) -> None:
    (callback,) = add_visit(desk)
    shown = time_to_call(desk.database, callback.client_id, desk.clinic.calendar)
    assert (shown.stated, shown.best, shown.window, shown.words) == (None, None, None, "")
