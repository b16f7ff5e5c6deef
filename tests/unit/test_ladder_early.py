"""Retries in the same window: when the next try opens, how it is said, and what an early
call (one the person confirmed before that) counts for."""

from __future__ import annotations

from datetime import timedelta

import pytest

from callback_tui.config import Clinic
from callback_tui.domain.ladder import Decision, decide, next_try_words, too_early_words, waits
from callback_tui.domain.vocab import Outcome, Priority, Status
from tests.conftest import local
from tests.unit.test_ladder import shown


def call(
    clinic: Clinic,
    outcome: Outcome,
    at: str,
    earlier: list[str],
    *,
    next_try: str | None = None,
    counted: int | None = None,
    priority: Priority = Priority.ROUTINE,
    clinical: bool = True,
) -> Decision:
    """`outcome` at `at` after the misses `earlier` (`counted` of them tries), called before
    the next try `next_try` when one is given."""
    return decide(
        outcome,
        local(at),
        [local(t) for t in earlier],
        priority=priority,
        clinical=clinical,
        policy=clinic.policy,
        calendar=clinic.calendar,
        counted=counted,
        early_of=local(next_try) if next_try else None,
    )


# -- when the next try opens --------------------------------------------------------------


def test_the_wait_ends_exactly_at_the_window_start() -> None:
    opens = local("2026-11-24 12:00")
    assert waits(opens, opens - timedelta(seconds=1))
    assert not waits(opens, opens)  # "from 12:00": 12:00 itself is allowed
    assert not waits(opens, opens + timedelta(minutes=1))
    assert not waits(None, opens)  # never missed: nothing to wait for


def test_the_refusal_names_the_next_window_and_the_last_try(clinic: Clinic) -> None:
    # Missed yesterday afternoon and at 09:12 this morning: the evening is left.
    decision = call(clinic, Outcome.NO_ANSWER, "2026-11-24 09:12", ["2026-11-23 12:30"])
    assert decision.next_attempt_at == local("2026-11-24 17:00")
    words = too_early_words(
        decision.next_attempt_at,
        local("2026-11-24 09:12"),
        local("2026-11-24 10:40"),
        clinic.calendar,
    )
    assert words == (
        "Next try is from 17:00 (evening window); this callback was tried at 09:12 this morning."
    )


def test_the_words_across_a_closed_day(clinic: Clinic) -> None:
    # Wednesday evening miss; Thursday 26th is a closure, so Friday morning is next.
    friday = local("2026-11-27 08:00")
    assert waits(friday, local("2026-11-27 07:59"))
    assert next_try_words(friday, local("2026-11-25 17:40"), clinic.calendar) == (
        "Next try is from 08:00 on Fri 27 Nov (morning window)"
    )
    # Saturday has only a morning: a Saturday miss waits for Monday afternoon.
    monday = local("2026-11-30 12:00")
    saturday = local("2026-11-28 09:00")
    assert too_early_words(monday, saturday, local("2026-11-30 09:00"), clinic.calendar) == (
        "Next try is from 12:00 (afternoon window); this callback was tried at 09:00 on Sat 28 Nov."
    )
    assert too_early_words(monday, saturday, local("2026-11-28 11:00"), clinic.calendar) == (
        "Next try is from 12:00 on Mon 30 Nov (afternoon window); this callback was tried at"
        " 09:00 this morning."
    )


def test_tomorrow_and_yesterday_are_said_so(clinic: Clinic) -> None:
    saturday = local("2026-11-28 08:00")
    friday_evening = local("2026-11-27 17:30")
    assert too_early_words(
        saturday, friday_evening, local("2026-11-27 18:00"), clinic.calendar
    ) == (
        "Next try is from 08:00 tomorrow (morning window); this callback was tried at 17:30"
        " this evening."
    )
    assert too_early_words(
        saturday, friday_evening, local("2026-11-28 07:50"), clinic.calendar
    ) == ("Next try is from 08:00 (morning window); this callback was tried at 17:30 yesterday.")


def test_an_urgent_quick_retry_is_named_by_its_time_alone(clinic: Clinic) -> None:
    words = too_early_words(
        local("2026-11-24 09:25"),
        local("2026-11-24 09:10"),
        local("2026-11-24 09:15"),
        clinic.calendar,
    )
    assert words == "Next try is from 09:25; this callback was tried at 09:10 this morning."


# -- what an early call counts for ------------------------------------------------------


@pytest.mark.parametrize("outcome", [Outcome.NO_ANSWER, Outcome.BUSY])
def test_an_early_miss_in_a_window_tried_keeps_the_next_try_and_is_not_counted(
    clinic: Clinic, outcome: Outcome
) -> None:
    morning = ["2026-11-24 09:10"]
    decision = call(clinic, outcome, "2026-11-24 10:30", morning, next_try="2026-11-24 12:00")
    assert decision == Decision(
        status=Status.OPEN, next_attempt_at=local("2026-11-24 12:00"), counted=False
    )


def test_quick_misses_in_one_afternoon_never_close_it_as_unreached(clinic: Clinic) -> None:
    # Missed this morning and at 12:30: the evening is next. Two more calls this afternoon,
    # both early, both missed: still two tries, and the evening still to come.
    tried = ["2026-11-24 09:10", "2026-11-24 12:30"]
    evening = "2026-11-24 17:00"
    second = call(clinic, Outcome.BUSY, "2026-11-24 13:00", tried, next_try=evening, counted=2)
    third = call(
        clinic,
        Outcome.NO_ANSWER,
        "2026-11-24 13:20",
        [*tried, "2026-11-24 13:00"],
        next_try=evening,
        counted=2,
    )
    for decision in (second, third):
        assert (decision.status, decision.counted) == (Status.OPEN, False)
        assert shown(clinic, decision.next_attempt_at) == "Tue 24 17:00"
    # The evening try, on time, is the third of three: now it closes.
    all_four = [*tried, "2026-11-24 13:00", "2026-11-24 13:20"]
    last = call(clinic, Outcome.NO_ANSWER, "2026-11-24 17:05", all_four, counted=2)
    assert (last.status, last.counted, last.escalate) == (Status.UNREACHED, True, True)
    assert last.closing_note and "after 3 unsuccessful attempts" in last.closing_note


def test_an_early_miss_in_a_window_not_tried_is_a_try_of_its_own(clinic: Clinic) -> None:
    # Urgent: missed at 11:55, retried after 15 minutes at 12:10; called at 12:05 instead,
    # already in the afternoon window: that is a new window, so it counts and moves on.
    decision = call(
        clinic,
        Outcome.NO_ANSWER,
        "2026-11-24 12:05",
        ["2026-11-24 11:55"],
        next_try="2026-11-24 12:10",
        priority=Priority.URGENT,
    )
    assert (decision.status, decision.counted) == (Status.OPEN, True)
    assert shown(clinic, decision.next_attempt_at) == "Tue 24 17:00"


def test_an_early_miss_outside_every_window_is_not_counted(clinic: Clinic) -> None:
    evening = ["2026-11-24 17:20"]
    decision = call(
        clinic, Outcome.NO_ANSWER, "2026-11-24 19:30", evening, next_try="2026-11-25 08:00"
    )
    assert (decision.counted, shown(clinic, decision.next_attempt_at)) == (False, "Wed 25 08:00")


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        (Outcome.SPOKE, Decision(status=Status.COMPLETED)),
        (Outcome.LEFT_MESSAGE, Decision(status=Status.COMPLETED)),
        (Outcome.WRONG_NUMBER, Decision(status=Status.OPEN, wrong_number=True)),
    ],
)
def test_an_early_call_that_reaches_someone_does_what_it_always_does(
    clinic: Clinic, outcome: Outcome, expected: Decision
) -> None:
    morning = ["2026-11-24 09:10"]
    decision = call(clinic, outcome, "2026-11-24 10:30", morning, next_try="2026-11-24 12:00")
    assert decision == expected


def test_the_limit_counts_the_tries_it_is_told(clinic: Clinic) -> None:
    # Three misses on record, one of them an early repeat: the on-time evening miss is the
    # third try, not the fourth.
    earlier = ["2026-11-23 09:00", "2026-11-23 09:30", "2026-11-23 12:10"]
    decision = call(
        clinic, Outcome.NO_ANSWER, "2026-11-23 17:00", earlier, counted=2, clinical=False
    )
    assert decision.closing_note == "Closed as unreached after 3 unsuccessful attempts."
