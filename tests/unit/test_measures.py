"""The scorecard's measures on small hand-computed cases."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from callback_tui.config import Settings
from callback_tui.domain import measures
from callback_tui.domain.measures import BY_KEY, DEFAULT_GOALS, MEASURES, Tally
from tests.conftest import TZ_NAME, local

# Monday to Friday 08:00-18:00, Saturday 08:00-12:00, closed on Sunday and on Thursday 26 Nov.
CALENDAR = Settings(timezone=TZ_NAME, closures=[date(2026, 11, 26)]).calendar()


# -- the facts a callback keeps --------------------------------------------------------------


def test_a_visit_callback_is_late_after_its_first_due_day_ends() -> None:
    assert measures.deadline(date(2026, 11, 24), None, CALENDAR) == local("2026-11-25 00:00")


def test_a_message_is_late_after_its_response_target() -> None:
    target = local("2026-11-24 11:30")
    assert measures.deadline(date(2026, 11, 24), target, CALENDAR) == target


def test_a_message_can_be_worked_from_when_it_was_received() -> None:
    received, taken = local("2026-11-24 09:35"), local("2026-11-24 09:40")
    target = local("2026-11-24 11:35")
    assert measures.ready_at(taken, received, date(2026, 11, 24), target, CALENDAR) == received


def test_a_visit_callback_can_be_worked_from_its_due_days_opening() -> None:
    made = local("2026-11-23 16:00")
    assert measures.ready_at(made, made, date(2026, 11, 24), None, CALENDAR) == local(
        "2026-11-24 08:00"
    )
    # Made during its due day: from when it was made.
    late = local("2026-11-24 10:15")
    assert measures.ready_at(late, late, date(2026, 11, 24), None, CALENDAR) == late


@pytest.mark.parametrize(
    ("start", "end", "minutes"),
    [
        ("2026-11-24 09:35", "2026-11-24 10:05", 30),  # within one day
        ("2026-11-24 10:05", "2026-11-24 09:35", 0),  # the other way round
        ("2026-11-24 06:00", "2026-11-24 08:30", 30),  # before opening counts from 08:00
        ("2026-11-24 17:30", "2026-11-25 08:30", 60),  # overnight: 30 + 30
        ("2026-11-25 17:00", "2026-11-27 09:00", 120),  # over the closed Thursday
        ("2026-11-27 17:00", "2026-11-30 09:00", 60 + 240 + 60),  # Friday, Saturday, Monday
        ("2026-11-29 10:00", "2026-11-29 15:00", 0),  # all of it on the closed Sunday
    ],
)
def test_open_minutes_count_only_opening_hours(start: str, end: str, minutes: int) -> None:
    assert measures.open_minutes(local(start), local(end), CALENDAR) == minutes


def test_a_wait_is_the_open_time_to_the_first_call() -> None:
    ready = local("2026-11-24 17:00")
    assert measures.wait_minutes(ready, local("2026-11-25 09:15"), CALENDAR) == 60 + 75
    assert measures.wait_minutes(ready, local("2026-11-24 16:00"), CALENDAR) == 0


# -- what is made of the counts ------------------------------------------------------------


def test_rates_are_shares_and_nothing_for_nothing() -> None:
    assert measures.rate(3, 4) == 0.75
    assert measures.rate(0, 0) is None


def test_median_and_the_90th_percentile() -> None:
    assert measures.median([]) is None
    assert measures.median([40]) == 40
    assert measures.median([10, 50, 20]) == 20
    assert measures.median([10, 20, 30, 70]) == 25
    waits = [5, 1, 9, 3, 7, 2, 8, 4, 6, 10]
    assert measures.percentile(waits, 0.9) == 9  # 9 of the 10 are at or below it
    assert measures.percentile(waits, 1.0) == 10
    assert measures.percentile([42], 0.9) == 42
    assert measures.percentile([], 0.9) is None


def test_each_measure_from_a_hand_counted_tally() -> None:
    tally = Tally(
        created=12,
        completed=8,
        on_time=6,
        first_call=5,
        unreached=2,
        escalations=1,
        overdue=3,
        calls=20,
        reached=9,
        booked=3,
        wrong_numbers=1,
        dnc_overrides=1,
        waits=(0, 30, 45, 200),
        within_target=3,
        old_drafts=2,
        incidents_opened=2,
        incidents_closed=1,
        close_hours=(26.5,),
        replies_posted=1,
    )
    values = {measure.key: measure.value(tally) for measure in MEASURES}
    assert values == {
        "created": 12,
        "completed": 8,
        "on_time": 0.75,
        "overdue": 3,
        "wait_median": 37.5,
        "wait_p90": 200,
        "within_target": 0.75,
        "reach_rate": 0.45,
        "first_call": 0.625,
        "booking_rate": 3 / 9,
        "unreached": 2,
        "wrong_numbers": 1,
        "escalations": 1,
        "dnc_overrides": 1,
        "old_drafts": 2,
        "incidents_opened": 2,
        "incidents_closed": 1,
        "close_median": 26.5,
        "replies_posted": 1,
    }


def test_tallies_add_up_their_counts_and_their_waits() -> None:
    total = Tally(calls=2, reached=1, waits=(5,)) + Tally(calls=3, waits=(7, 9))
    assert total == Tally(calls=5, reached=1, waits=(5, 7, 9))


def test_a_measure_misses_its_goal_in_its_own_direction() -> None:
    goals = dict(DEFAULT_GOALS)
    first_call = BY_KEY["first_call"]
    assert first_call.misses(0.77, goals)  # below 80 %
    assert not first_call.misses(0.80, goals)
    wait = BY_KEY["wait_median"]
    assert wait.misses(121, goals) and not wait.misses(120, goals)  # at most two open hours
    drafts = BY_KEY["old_drafts"]
    assert drafts.misses(1, goals) and not drafts.misses(0, goals)
    # Nothing to judge: no value, or no goal set.
    assert not first_call.misses(None, goals)
    assert not BY_KEY["reach_rate"].misses(0.1, goals)
    assert BY_KEY["reach_rate"].misses(0.1, {"reach_rate": 50})


def test_values_and_goals_in_words() -> None:
    assert measures.shown(BY_KEY["reach_rate"], 0.456) == "46 %"
    assert measures.shown(BY_KEY["reach_rate"], None) == "—"
    assert measures.shown(BY_KEY["wait_median"], 45) == "45 min"
    assert measures.shown(BY_KEY["wait_median"], 125) == "2 h 05"
    assert measures.shown(BY_KEY["wait_median"], 60 * 27) == "1 d 3 h"
    assert measures.shown(BY_KEY["close_median"], 26.5) == "26.5 h"
    assert measures.goal_words(BY_KEY["first_call"], DEFAULT_GOALS) == "≥ 80 %"
    assert measures.goal_words(BY_KEY["wait_median"], DEFAULT_GOALS) == "≤ 2 h 00"
    assert measures.goal_words(BY_KEY["reach_rate"], DEFAULT_GOALS) == ""


def test_the_readme_defines_every_measure_in_the_same_words() -> None:
    readme = Path(__file__).parents[2].joinpath("README.md").read_text(encoding="utf-8")
    flat = re.sub(r"\s+", " ", readme)
    for measure in MEASURES:
        if measure.definition:
            assert measure.definition in flat, measure.key


def test_the_settings_offer_a_goal_for_each_measure_that_can_have_one() -> None:
    from typing import get_args

    from callback_tui.config import GoalName

    assert set(get_args(GoalName)) == set(measures.GOAL_KEYS)


def test_a_clinics_goal_replaces_the_default_one_by_one() -> None:
    from callback_tui.config import load_clinic

    own = load_clinic(Settings(timezone=TZ_NAME, goals={"first_call": 70, "reach_rate": 55}))
    assert own.goals["first_call"] == 70 and own.goals["reach_rate"] == 55
    assert own.goals["within_target"] == DEFAULT_GOALS["within_target"]
