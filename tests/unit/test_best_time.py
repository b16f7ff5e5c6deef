"""Issue 13 item 6: each client's best time to call, from synthetic call histories (the
answers computed by hand), and the ladder's retry going to it."""

from __future__ import annotations

from datetime import datetime

import pytest

from callback_tui.config import Clinic
from callback_tui.domain.best_time import MIN_REACHES, WindowRecord, best_window, tally
from callback_tui.domain.ladder import decide, next_attempt
from callback_tui.domain.vocab import Outcome, Priority, Status
from tests.conftest import local

ORDER = ("morning", "afternoon", "evening")
S, L, N, B, X = (
    Outcome.SPOKE,
    Outcome.LEFT_MESSAGE,
    Outcome.NO_ANSWER,
    Outcome.BUSY,
    Outcome.WRONG_NUMBER,
)


def best(calls: list[tuple[str | None, Outcome]]) -> WindowRecord | None:
    return best_window(tally(calls), order=ORDER)


def test_a_reach_is_a_conversation_and_every_other_outcome_a_try() -> None:
    calls = [("evening", S), ("evening", L), ("evening", N), ("evening", B), ("morning", S)]
    assert tally(calls) == [WindowRecord("evening", 4, 1), WindowRecord("morning", 1, 1)]


def test_calls_outside_every_window_and_wrong_numbers_are_left_out() -> None:
    calls = [(None, S), (None, S), (None, N), ("morning", X), ("morning", X), ("morning", S)]
    assert tally(calls) == [WindowRecord("morning", 1, 1)]
    assert best(calls) is None  # the two out-of-window answers would have been enough


def test_no_history_is_no_best_time() -> None:
    assert tally([]) == []
    assert best([]) is None


def test_one_reach_is_not_enough_data() -> None:
    assert MIN_REACHES == 2
    assert best([("evening", S), ("morning", N), ("morning", N), ("afternoon", B)]) is None


def test_two_reaches_in_one_window_make_it_the_best_time() -> None:
    calls = [("morning", N), ("evening", S), ("morning", B), ("evening", N), ("evening", S)]
    assert best(calls) == WindowRecord("evening", tried=3, reached=2)


def test_the_most_reaches_win_over_a_better_rate() -> None:
    # Morning: 3 of 6 (50 %); evening: 2 of 2 (100 %). Three reaches beat two.
    calls = [("morning", S)] * 3 + [("morning", N)] * 3 + [("evening", S)] * 2
    assert best(calls) == WindowRecord("morning", tried=6, reached=3)


def test_a_tie_in_reaches_goes_to_the_better_rate() -> None:
    # Morning: 2 of 4 (50 %); afternoon: 2 of 3 (67 %).
    calls = [("morning", S), ("morning", N), ("morning", S), ("morning", B)]
    calls += [("afternoon", N), ("afternoon", S), ("afternoon", S)]
    assert best(calls) == WindowRecord("afternoon", tried=3, reached=2)


def test_a_tie_in_reaches_and_rate_goes_to_the_earlier_window_of_the_day() -> None:
    # Evening first in the history, 2 of 3 in both: morning comes first in the clinic's order.
    calls = [("evening", S), ("evening", N), ("evening", S)]
    calls += [("morning", S), ("morning", S), ("morning", B)]
    assert best(calls) == WindowRecord("morning", tried=3, reached=2)
    assert best_window(tally(calls), order=("evening", "morning")) == WindowRecord(
        "evening", tried=3, reached=2
    )


def test_equal_rates_are_equal_as_fractions() -> None:
    # 2 of 3 and 4 of 6 is one rate; reaches decide first anyway: 4 beats 2.
    calls = [("evening", S)] * 2 + [("evening", N)]
    calls += [("afternoon", S)] * 4 + [("afternoon", B)] * 2
    assert best(calls) == WindowRecord("afternoon", tried=6, reached=4)


def shown(clinic: Clinic, instant: datetime | None) -> str | None:
    return None if instant is None else clinic.calendar.local(instant).strftime("%a %d %H:%M")


def retry(
    clinic: Clinic,
    at: str,
    earlier: tuple[str, ...] = (),
    prefer: str | None = None,
    priority: Priority = Priority.ROUTINE,
) -> str | None:
    decision = decide(
        Outcome.NO_ANSWER,
        local(at),
        [local(t) for t in earlier],
        priority=priority,
        clinical=False,
        policy=clinic.policy,
        calendar=clinic.calendar,
        prefer=prefer,
    )
    assert decision.status is Status.OPEN
    return shown(clinic, decision.next_attempt_at)


def test_a_morning_miss_goes_to_the_preferred_evening_not_the_afternoon(clinic: Clinic) -> None:
    assert retry(clinic, "2026-11-24 09:10") == "Tue 24 12:00"  # as before: the next window
    assert retry(clinic, "2026-11-24 09:10", prefer="evening") == "Tue 24 17:00"


def test_a_miss_in_the_preferred_window_retries_as_before(clinic: Clinic) -> None:
    assert retry(clinic, "2026-11-24 17:10", prefer="evening") == "Wed 25 08:00"
    assert retry(clinic, "2026-11-24 17:10") == "Wed 25 08:00"


def test_a_preferred_window_an_earlier_miss_used_is_not_tried_again(clinic: Clinic) -> None:
    # Missed in the evening yesterday, now in the morning: the afternoon, as without a preference.
    earlier = ("2026-11-23 17:20",)
    assert retry(clinic, "2026-11-24 09:10", earlier, prefer="evening") == "Tue 24 12:00"
    assert retry(clinic, "2026-11-24 09:10", earlier) == "Tue 24 12:00"


def test_the_preferred_window_waits_for_a_day_that_has_it(clinic: Clinic) -> None:
    # Saturday has only a morning: the evening comes Monday, after Monday's other windows.
    assert retry(clinic, "2026-11-28 09:00", prefer="evening") == "Mon 30 17:00"


def test_an_unknown_preferred_window_changes_nothing(clinic: Clinic) -> None:
    assert retry(clinic, "2026-11-24 09:10", prefer="lunch") == "Tue 24 12:00"
    at = local("2026-11-24 09:10")
    calendar = clinic.calendar
    assert next_attempt(at, [at], calendar, "lunch") == next_attempt(at, [at], calendar)


@pytest.mark.parametrize("prefer", [None, "evening"])
def test_an_urgent_first_miss_still_retries_in_fifteen_minutes(
    clinic: Clinic, prefer: str | None
) -> None:
    assert retry(clinic, "2026-11-24 09:10", prefer=prefer, priority=Priority.URGENT) == (
        "Tue 24 09:25"
    )
    # Its second miss goes to the preferred window.
    second = retry(
        clinic, "2026-11-24 09:25", ("2026-11-24 09:10",), prefer=prefer, priority=Priority.URGENT
    )
    assert second == ("Tue 24 17:00" if prefer else "Tue 24 12:00")
