"""The service refuses a call before the callback's next try, unless the person confirms an
early one; an early call says so in its event, and an early miss in a window already tried
is kept but does not bring the callback closer to unreached."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, col, func, select

from callback_tui.clock import FixedClock
from callback_tui.domain.vocab import Outcome
from callback_tui.store.services import CallOutcome, FrontDesk, Logged, TooEarly
from callback_tui.store.tables import Attempt, Callback, Event, Task
from tests.conftest import add_visit, local


def load(desk: FrontDesk, callback_id: int) -> Callback:
    with Session(desk.database.engine) as session:
        found = session.get(Callback, callback_id)
        assert found is not None
        return found


def log(desk: FrontDesk, callback_id: int, outcome: Outcome, **extra: Any) -> Logged:
    fresh = load(desk, callback_id)
    return desk.callbacks.log_outcome(
        "AB", callback_id, fresh.version, CallOutcome(outcome, **extra)
    )


def written(desk: FrontDesk) -> tuple[int, int]:
    with Session(desk.database.engine) as session:
        events = session.exec(select(func.count()).select_from(Event)).one()
        attempts = session.exec(select(func.count()).select_from(Attempt)).one()
    return int(events), int(attempts)


def attempt_event(desk: FrontDesk) -> Event:
    with Session(desk.database.engine) as session:
        found = session.exec(
            select(Event).where(Event.action == "attempt.logged").order_by(col(Event.id).desc())
        ).first()
    assert found is not None and found.after is not None
    return found


@pytest.fixture
def missed(desk: FrontDesk, clock: FixedClock) -> int:
    """A callback missed at 09:00 on Tuesday: its next try is the afternoon, from 12:00."""
    (callback,) = add_visit(desk)
    assert callback.id is not None
    log(desk, callback.id, Outcome.NO_ANSWER)
    assert load(desk, callback.id).next_attempt_at == local("2026-11-24 12:00")
    return callback.id


@pytest.mark.parametrize("outcome", list(Outcome))
def test_a_call_before_the_next_try_is_refused_with_the_window_named(
    desk: FrontDesk, clock: FixedClock, missed: int, outcome: Outcome
) -> None:
    clock.advance(hours=2, minutes=59, seconds=59)  # 11:59:59
    before = written(desk), load(desk, missed).version
    with pytest.raises(TooEarly) as caught:
        log(desk, missed, outcome)
    assert str(caught.value) == (
        "Next try is from 12:00 (afternoon window); this callback was tried at 09:00 this morning."
    )
    assert (written(desk), load(desk, missed).version) == before  # nothing written


def test_at_the_window_start_the_call_goes_through_as_a_try(
    desk: FrontDesk, clock: FixedClock, missed: int
) -> None:
    clock.advance(hours=3)  # 12:00 sharp
    logged = log(desk, missed, Outcome.BUSY)
    assert (logged.early, logged.counted) == (False, True)
    after = load(desk, missed)
    assert (after.attempts, after.misses, after.next_attempt_at) == (
        2,
        2,
        local("2026-11-24 17:00"),
    )
    assert "early" not in attempt_event(desk).after  # type: ignore[operator]


def test_an_early_miss_is_kept_with_who_confirmed_it_and_keeps_the_next_try(
    desk: FrontDesk, clock: FixedClock, missed: int
) -> None:
    clock.advance(minutes=40)  # 09:40: the morning again
    logged = log(desk, missed, Outcome.NO_ANSWER, early=True, notes="Asked to be called now")
    assert (logged.early, logged.counted) == (True, False)
    after = load(desk, missed)
    assert (after.status, after.attempts, after.misses) == ("open", 2, 1)
    assert after.next_attempt_at == after.due_at == local("2026-11-24 12:00")
    event = attempt_event(desk)
    assert (event.actor, event.after["early"], event.after["by"]) == ("AB", True, "AB")  # type: ignore[index]
    assert event.after["notes"] == "Asked to be called now"  # type: ignore[index]


def test_three_quick_misses_in_one_afternoon_no_longer_close_it(
    desk: FrontDesk, clock: FixedClock, missed: int
) -> None:
    clock.advance(hours=3, minutes=5)  # 12:05: the afternoon try, on time
    log(desk, missed, Outcome.BUSY)
    clock.advance(minutes=5)
    with pytest.raises(TooEarly, match="Next try is from 17:00 \\(evening window\\)"):
        log(desk, missed, Outcome.BUSY)
    for _ in range(2):  # the client asked again: called early, twice, no answer
        clock.advance(minutes=5)
        log(desk, missed, Outcome.NO_ANSWER, early=True)
    kept = load(desk, missed)
    assert (kept.status, kept.attempts, kept.misses) == ("open", 4, 2)
    assert kept.next_attempt_at == local("2026-11-24 17:00")
    with Session(desk.database.engine) as session:
        assert session.exec(select(Task)).all() == []  # nothing escalated

    clock.advance(hours=4, minutes=45)  # 17:00: the evening try is the third
    log(desk, missed, Outcome.NO_ANSWER)
    closed = load(desk, missed)
    assert (closed.status, closed.attempts, closed.misses) == ("unreached", 5, 3)
    assert closed.closing_note is not None
    assert closed.closing_note.startswith(
        "Closed as unreached after 3 unsuccessful attempts; escalated to the case doctor (DRW)."
        " Path back for the client: "
    )


@pytest.mark.parametrize(
    ("outcome", "status", "extra"),
    [
        (Outcome.SPOKE, "completed", {"notes": "Client called in: eating well."}),
        (Outcome.LEFT_MESSAGE, "completed", {}),
        (Outcome.WRONG_NUMBER, "open", {}),
    ],
)
def test_a_confirmed_early_call_that_reaches_someone_is_never_blocked(
    desk: FrontDesk, clock: FixedClock, missed: int, outcome: Outcome, status: str, extra: Any
) -> None:
    clock.advance(minutes=30)
    logged = log(desk, missed, outcome, early=True, **extra)
    assert logged.callback.status == status
    assert logged.early and attempt_event(desk).after["early"] is True  # type: ignore[index]
    assert load(desk, missed).wrong_number is (outcome is Outcome.WRONG_NUMBER)


def test_the_early_flag_is_recorded_only_when_the_call_was_early(
    desk: FrontDesk, clock: FixedClock
) -> None:
    (callback,) = add_visit(desk)
    assert callback.id is not None
    logged = log(desk, callback.id, Outcome.NO_ANSWER, early=True)  # nothing to wait for yet
    assert (logged.early, logged.counted) == (False, True)
    assert "early" not in attempt_event(desk).after  # type: ignore[operator]


def test_across_a_closed_day_the_refusal_names_the_day_of_the_last_try(
    desk: FrontDesk, clock: FixedClock
) -> None:
    clock.instant = local("2026-11-28 09:00")  # Saturday: only a morning window
    (callback,) = add_visit(desk, occurred_at="2026-11-27 10:00")
    assert callback.id is not None
    log(desk, callback.id, Outcome.BUSY)
    clock.instant = local("2026-11-30 09:00")  # Monday morning: the afternoon is next
    with pytest.raises(TooEarly) as caught:
        log(desk, callback.id, Outcome.BUSY)
    assert str(caught.value) == (
        "Next try is from 12:00 (afternoon window); this callback was tried at 09:00 on Sat 28 Nov."
    )
    clock.instant = local("2026-11-30 12:00")
    assert log(desk, callback.id, Outcome.SPOKE).callback.status == "completed"
