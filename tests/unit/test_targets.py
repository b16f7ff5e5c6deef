"""SPEC §2.2: response targets, counted in the clinic's open hours only."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callback_tui.config import Clinic, Settings, load_settings
from callback_tui.domain.datafile import DataFileError
from callback_tui.domain.hours import Calendar
from callback_tui.domain.targets import (
    Allowance,
    Targets,
    add_business_days,
    add_open_time,
    is_open_at,
    response_target,
)
from callback_tui.domain.vocab import Priority
from tests.conftest import TZ_NAME, local

CLINIC = Settings(timezone=TZ_NAME, closures=[date(2026, 11, 26)])
"""The default week (Mon-Fri 08-18, Sat 08-12), Thanksgiving closed by date."""

WITH_HOLIDAYS = Settings(timezone=TZ_NAME, holidays_country="US", holidays_region="IL")

ROUND_THE_CLOCK = Settings(
    timezone=TZ_NAME,
    hours={day: "00:00-23:59" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
)
"""Open while the clocks change (02:00 on a Sunday): the hardest case for the arithmetic."""

CALENDARS = {
    "clinic": CLINIC.calendar(),
    "holidays": WITH_HOLIDAYS.calendar(),
    "round the clock": ROUND_THE_CLOCK.calendar(),
}


def target(clinic: Clinic, received: str, priority: Priority) -> str:
    due = clinic.response_target(local(received), priority)
    return clinic.calendar.local(due).strftime("%a %d %b %H:%M")


def shown(calendar: Calendar, instant: datetime) -> str:
    return calendar.local(instant).strftime("%a %d %b %H:%M")


# -- named examples ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "priority", "due"),
    [
        ("2026-11-24 09:10", Priority.URGENT, "Tue 24 Nov 10:10"),
        ("2026-11-24 09:10", Priority.ROUTINE, "Tue 24 Nov 13:10"),
        ("2026-11-24 09:10", Priority.INFORMATIONAL, "Wed 25 Nov 09:10"),
        # Four hours from 14:00 end exactly at closing: that day, not the next morning.
        ("2026-11-24 14:00", Priority.ROUTINE, "Tue 24 Nov 18:00"),
        # Part today, the rest from the next opening.
        ("2026-11-24 17:00", Priority.ROUTINE, "Wed 25 Nov 11:00"),
    ],
)
def test_targets_during_open_hours(
    clinic: Clinic, received: str, priority: Priority, due: str
) -> None:
    assert target(clinic, received, priority) == due


def test_a_voicemail_left_after_closing_counts_from_the_next_opening(clinic: Clinic) -> None:
    # The SPEC's example: a routine voicemail at 18:55 is due four open hours after 08:00.
    assert target(clinic, "2026-11-24 18:55", Priority.ROUTINE) == "Wed 25 Nov 12:00"
    assert target(clinic, "2026-11-24 18:55", Priority.URGENT) == "Wed 25 Nov 09:00"
    assert target(clinic, "2026-11-25 06:30", Priority.URGENT) == "Wed 25 Nov 09:00"


def test_one_business_day_after_closing_is_the_next_open_day_whole(clinic: Clinic) -> None:
    assert target(clinic, "2026-11-23 19:00", Priority.INFORMATIONAL) == "Tue 24 Nov 18:00"
    # At the opening itself, as before it: the whole of that day.
    assert target(clinic, "2026-11-24 08:00", Priority.INFORMATIONAL) == "Tue 24 Nov 18:00"
    assert target(clinic, "2026-11-24 08:01", Priority.INFORMATIONAL) == "Wed 25 Nov 08:01"


def test_over_a_weekend(clinic: Clinic) -> None:
    # Saturday opens 08:00-12:00, Sunday is closed.
    assert target(clinic, "2026-11-28 11:30", Priority.ROUTINE) == "Mon 30 Nov 11:30"
    assert target(clinic, "2026-11-28 13:00", Priority.URGENT) == "Mon 30 Nov 09:00"
    assert target(clinic, "2026-11-29 10:00", Priority.ROUTINE) == "Mon 30 Nov 12:00"
    # Friday 15:00 + one business day: Saturday closes at noon.
    assert target(clinic, "2026-11-27 15:00", Priority.INFORMATIONAL) == "Sat 28 Nov 12:00"
    assert target(clinic, "2026-11-28 10:00", Priority.INFORMATIONAL) == "Mon 30 Nov 10:00"


def test_a_dated_closure_counts_for_nothing(clinic: Clinic) -> None:
    # Thursday 26 November is closed (the fixture's closure).
    assert target(clinic, "2026-11-25 17:00", Priority.ROUTINE) == "Fri 27 Nov 11:00"
    assert target(clinic, "2026-11-25 10:00", Priority.INFORMATIONAL) == "Fri 27 Nov 10:00"
    assert target(clinic, "2026-11-26 10:00", Priority.URGENT) == "Fri 27 Nov 09:00"


def test_a_public_holiday_counts_for_nothing() -> None:
    calendar = WITH_HOLIDAYS.calendar()
    targets = Targets.parse({})
    # Christmas Day 2026 is a Friday.
    due = response_target(local("2026-12-24 17:00"), Priority.ROUTINE, targets, calendar)
    assert shown(calendar, due) == "Sat 26 Dec 11:00"
    # Thanksgiving, from the holiday list rather than a dated closure.
    due = response_target(local("2026-11-25 17:00"), Priority.ROUTINE, targets, calendar)
    assert shown(calendar, due) == "Fri 27 Nov 11:00"


def test_holidays_are_off_unless_a_country_is_set() -> None:
    calendar = Settings(timezone=TZ_NAME).calendar()
    assert calendar.is_open(date(2026, 12, 25))
    assert not WITH_HOLIDAYS.calendar().is_open(date(2026, 12, 25))


def test_the_spring_forward_weekend_keeps_wall_clock_targets() -> None:
    # Clocks go forward at 02:00 on Sunday 8 March 2026 (Chicago): CST -6 → CDT -5.
    calendar = CLINIC.calendar()
    targets = Targets.parse({})
    due = response_target(local("2026-03-07 11:30"), Priority.ROUTINE, targets, calendar)
    assert shown(calendar, due) == "Mon 09 Mar 11:30"
    assert due == datetime(2026, 3, 9, 16, 30, tzinfo=UTC)
    due = response_target(local("2026-03-06 10:00"), Priority.INFORMATIONAL, targets, calendar)
    assert shown(calendar, due) == "Sat 07 Mar 10:00"
    due = response_target(local("2026-03-07 10:00"), Priority.INFORMATIONAL, targets, calendar)
    assert shown(calendar, due) == "Mon 09 Mar 10:00"


def test_the_fall_back_weekend_keeps_wall_clock_targets() -> None:
    # Clocks go back at 02:00 on Sunday 1 November 2026: CDT -5 → CST -6.
    calendar = CLINIC.calendar()
    due = add_open_time(local("2026-10-31 11:00"), timedelta(hours=4), calendar)
    assert shown(calendar, due) == "Mon 02 Nov 11:00"
    assert due == datetime(2026, 11, 2, 17, 0, tzinfo=UTC)


def test_open_time_across_the_clock_change_itself_is_real_time() -> None:
    # Open round the clock: from 01:00 to 04:00 on the spring-forward night is two real
    # hours (02:00-03:00 never happens), so three open hours end at 05:00.
    calendar = ROUND_THE_CLOCK.calendar()
    due = add_open_time(local("2026-03-08 01:00"), timedelta(hours=3), calendar)
    assert shown(calendar, due) == "Sun 08 Mar 05:00"


def test_allowances_are_read_from_the_settings(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[targets]\nurgent = "30m"\ninformational = "2d"\n')
    clinic_targets = load_settings(path).response_targets()
    assert clinic_targets.allowance(Priority.URGENT) == Allowance(open_time=timedelta(minutes=30))
    assert clinic_targets.allowance(Priority.ROUTINE) == Allowance(open_time=timedelta(hours=4))
    assert clinic_targets.allowance(Priority.INFORMATIONAL) == Allowance(business_days=2)
    assert str(clinic_targets.allowance(Priority.INFORMATIONAL)) == "2 business days"


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ('[targets]\nroutine = "4 hours"\n', "targets.routine", "use minutes, hours or"),
        ('[targets]\nurgent = "0h"\n', "targets.urgent", "between 1 minute"),
        ('[targets]\nsoon = "1h"\n', "targets.soon", "unknown key"),
        ('holidays_country = "XX"\n', "holidays_country", "no public holidays known"),
        ('holidays_country = "US"\nholidays_region = "ZZ"\n', "holidays_region", "region"),
        ('holidays_region = "IL"\n', "holidays_region", "name the country too"),
    ],
)
def test_bad_target_and_holiday_settings_name_key_and_line(
    tmp_path: Path, text: str, key: str, problem: str
) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("# clinic settings\n" + text)
    with pytest.raises(DataFileError) as caught:
        load_settings(path)
    assert caught.value.key == key
    assert problem in caught.value.problem
    assert caught.value.line is not None and caught.value.line > 1


# -- properties -------------------------------------------------------------------------

START = datetime(2026, 1, 1, tzinfo=UTC)
instants = st.integers(min_value=0, max_value=366 * 24 * 60).map(
    lambda minutes: START + timedelta(minutes=minutes)
)
amounts = st.integers(min_value=0, max_value=60 * 60).map(lambda m: timedelta(minutes=m))
calendars = st.sampled_from(sorted(CALENDARS)).map(CALENDARS.__getitem__)


@settings(max_examples=300, deadline=None)
@given(calendar=calendars, start=instants, a=amounts, b=amounts)
def test_adding_a_then_b_open_hours_is_adding_a_plus_b(
    calendar: Calendar, start: datetime, a: timedelta, b: timedelta
) -> None:
    in_steps = add_open_time(add_open_time(start, a, calendar), b, calendar)
    assert in_steps == add_open_time(start, a + b, calendar)


@settings(max_examples=300, deadline=None)
@given(
    calendar=calendars,
    start=instants,
    later_by=st.integers(min_value=0, max_value=5 * 24 * 60),
    amount=amounts,
    days=st.integers(min_value=1, max_value=5),
)
def test_a_later_start_never_gives_an_earlier_target(
    calendar: Calendar, start: datetime, later_by: int, amount: timedelta, days: int
) -> None:
    later = start + timedelta(minutes=later_by)
    assert add_open_time(later, amount, calendar) >= add_open_time(start, amount, calendar)
    assert add_business_days(later, days, calendar) >= add_business_days(start, days, calendar)


@settings(max_examples=300, deadline=None)
@given(
    calendar=calendars,
    start=instants,
    amount=amounts,
    days=st.integers(min_value=1, max_value=5),
    priority=st.sampled_from(Priority),
)
def test_a_target_is_always_inside_open_hours(
    calendar: Calendar, start: datetime, amount: timedelta, days: int, priority: Priority
) -> None:
    assert is_open_at(add_open_time(start, amount, calendar), calendar)
    assert is_open_at(add_business_days(start, days, calendar), calendar)
    assert is_open_at(response_target(start, priority, Targets.parse({}), calendar), calendar)


@settings(max_examples=200, deadline=None)
@given(calendar=calendars, start=instants, amount=amounts)
def test_a_target_is_never_before_the_message(
    calendar: Calendar, start: datetime, amount: timedelta
) -> None:
    assert add_open_time(start, amount, calendar) >= start
