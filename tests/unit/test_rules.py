"""SPEC §2.1: every reason of the veterinary profile, its owners and its due times."""

from __future__ import annotations

from datetime import date

import pytest

from callback_tui.config import Clinic
from callback_tui.domain.rules import Visit, plan
from tests.conftest import local


def visit(reason: str, at: str, **extra: object) -> Visit:
    return Visit(
        reason=reason,
        occurred_at=local(at),
        assisted_by="AB",
        doctor="DRW",
        **extra,  # type: ignore[arg-type]
    )


def summary(clinic: Clinic, v: Visit) -> list[tuple[str, str, str, date | None]]:
    return [
        (
            p.kind,
            p.owner,
            clinic.calendar.local(p.due.at).strftime("%a %Y-%m-%d %H:%M"),
            p.due.original_day,
        )
        for p in plan(v, clinic.profile, clinic.calendar)
    ]


@pytest.mark.parametrize("reason", ["surgery", "core"])
def test_procedure_creates_first_and_day3_calls_for_the_surgery_pool(
    clinic: Clinic, reason: str
) -> None:
    # Friday discharge: Saturday's call stays on Saturday although the clinic closes at noon.
    assert summary(clinic, visit(reason, "2026-11-20 15:00")) == [
        ("post_op_first", "SA", "Sat 2026-11-21 15:00", None),
        ("post_op_day3", "SA", "Mon 2026-11-23 15:00", None),
    ]


@pytest.mark.parametrize("reason", ["surgery", "core"])
def test_doctor_calling_takes_the_first_call_the_same_evening(clinic: Clinic, reason: str) -> None:
    assert summary(clinic, visit(reason, "2026-11-20 15:00", doctor_calls=True)) == [
        ("post_op_first", "DRW", "Fri 2026-11-20 20:00", None),
        ("post_op_day3", "SA", "Mon 2026-11-23 15:00", None),
    ]


@pytest.mark.parametrize("reason", ["vomiting", "diarrhea", "urinary"])
def test_gi_and_urinary_go_to_the_assistant_after_24_hours(clinic: Clinic, reason: str) -> None:
    assert summary(clinic, visit(reason, "2026-11-23 10:15")) == [
        ("follow_up", "AB", "Tue 2026-11-24 10:15", None),
    ]


@pytest.mark.parametrize("reason", ["illness", "injury"])
def test_other_illness_or_injury_is_due_after_seven_days(clinic: Clinic, reason: str) -> None:
    assert summary(clinic, visit(reason, "2026-11-16 11:00")) == [
        ("follow_up", "AB", "Mon 2026-11-23 11:00", None),
    ]


def test_the_doctors_interval_replaces_seven_days(clinic: Clinic) -> None:
    assert summary(clinic, visit("illness", "2026-11-23 11:00", interval_days=2)) == [
        ("follow_up", "AB", "Wed 2026-11-25 11:00", None),
    ]


def test_a_doctors_interval_is_refused_where_the_profile_has_none(clinic: Clinic) -> None:
    with pytest.raises(ValueError, match="does not apply to surgery"):
        plan(visit("surgery", "2026-11-23 11:00", interval_days=2), clinic.profile, clinic.calendar)


def test_general_question_goes_to_the_technician_pool(clinic: Clinic) -> None:
    assert summary(clinic, visit("general_question", "2026-11-23 09:40")) == [
        ("follow_up", "TA", "Tue 2026-11-24 09:40", None),
    ]


def test_doctor_calls_replaces_the_owner_and_keeps_the_due_time(clinic: Clinic) -> None:
    assert summary(clinic, visit("vomiting", "2026-11-23 10:15", doctor_calls=True)) == [
        ("follow_up", "DRW", "Tue 2026-11-24 10:15", None),
    ]


def test_a_due_date_on_sunday_moves_to_monday_opening_and_keeps_the_original(
    clinic: Clinic,
) -> None:
    assert summary(clinic, visit("vomiting", "2026-11-21 11:30")) == [
        ("follow_up", "AB", "Mon 2026-11-23 08:00", date(2026, 11, 22)),
    ]


def test_a_due_date_on_a_dated_closure_moves_to_the_next_open_day(clinic: Clinic) -> None:
    # 26 November is closed in the test settings; the 27th (Friday) is open.
    assert summary(clinic, visit("urinary", "2026-11-25 14:00")) == [
        ("follow_up", "AB", "Fri 2026-11-27 08:00", date(2026, 11, 26)),
    ]


def test_a_due_time_after_closing_stays_on_its_open_day(clinic: Clinic) -> None:
    assert summary(clinic, visit("diarrhea", "2026-11-23 19:30")) == [
        ("follow_up", "AB", "Tue 2026-11-24 19:30", None),
    ]


def test_whole_days_keep_the_wall_clock_hour_across_daylight_saving(clinic: Clinic) -> None:
    # US daylight saving time ends on 1 November 2026.
    assert summary(clinic, visit("injury", "2026-10-28 10:00")) == [
        ("follow_up", "AB", "Wed 2026-11-04 10:00", None),
    ]


def test_an_unknown_reason_is_refused(clinic: Clinic) -> None:
    with pytest.raises(ValueError, match="unknown reason 'grooming'"):
        plan(visit("grooming", "2026-11-23 10:00"), clinic.profile, clinic.calendar)
