"""SPEC §2.3 in each profile: every outcome, the urgent quick retry, and the last try."""

from __future__ import annotations

from datetime import datetime

import pytest

from callback_tui.clock import FixedClock
from callback_tui.config import Clinic, Settings, load_clinic
from callback_tui.domain.ladder import Decision, closing_note, decide
from callback_tui.domain.vocab import Outcome, Priority, Status
from tests.conftest import NOW, TZ, TZ_NAME, local

PROFILES = ("veterinary", "medical", "dental")
LEFT_MESSAGE_COMPLETES = {"veterinary": True, "medical": False, "dental": False}


def clinic_of(profile: str) -> Clinic:
    settings = Settings(timezone=TZ_NAME, profile=profile, clinic_phone="(312) 555-0100")
    return load_clinic(settings, FixedClock(tz=TZ, instant=NOW))


def apply(
    clinic: Clinic,
    outcome: Outcome,
    at: str,
    earlier: tuple[str, ...] = (),
    *,
    priority: Priority = Priority.ROUTINE,
    reason: str = "",
) -> Decision:
    return decide(
        outcome,
        local(at),
        [local(t) for t in earlier],
        priority=priority,
        clinical=clinic.profile.escalates(reason) if reason else True,
        policy=clinic.policy,
        calendar=clinic.calendar,
        path_back="call us at (312) 555-0100",
    )


def shown(clinic: Clinic, instant: datetime | None) -> str | None:
    return None if instant is None else clinic.calendar.local(instant).strftime("%a %d %H:%M")


@pytest.mark.parametrize("profile", PROFILES)
def test_spoke_completes_in_every_profile(profile: str) -> None:
    assert apply(clinic_of(profile), Outcome.SPOKE, "2026-11-24 09:10") == Decision(
        status=Status.COMPLETED
    )


@pytest.mark.parametrize("profile", PROFILES)
def test_a_left_message_completes_only_where_the_profile_says(profile: str) -> None:
    clinic = clinic_of(profile)
    decision = apply(clinic, Outcome.LEFT_MESSAGE, "2026-11-24 09:10")
    if LEFT_MESSAGE_COMPLETES[profile]:
        assert decision == Decision(status=Status.COMPLETED)
    else:  # an attempt: retried in another window
        assert decision.status is Status.OPEN and decision.counted
        assert shown(clinic, decision.next_attempt_at) == "Tue 24 12:00"


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("outcome", [Outcome.NO_ANSWER, Outcome.BUSY])
def test_a_miss_is_retried_in_the_next_window_in_every_profile(
    profile: str, outcome: Outcome
) -> None:
    clinic = clinic_of(profile)
    first = apply(clinic, outcome, "2026-11-24 09:10")
    assert (first.status, shown(clinic, first.next_attempt_at)) == (Status.OPEN, "Tue 24 12:00")
    second = apply(clinic, outcome, "2026-11-24 12:20", ("2026-11-24 09:10",))
    assert shown(clinic, second.next_attempt_at) == "Tue 24 17:00"


@pytest.mark.parametrize("profile", PROFILES)
def test_a_wrong_number_stays_open_and_flagged_in_every_profile(profile: str) -> None:
    decision = apply(clinic_of(profile), Outcome.WRONG_NUMBER, "2026-11-24 09:10")
    assert decision == Decision(status=Status.OPEN, wrong_number=True)


@pytest.mark.parametrize("profile", PROFILES)
def test_an_urgent_item_is_retried_after_fifteen_minutes_then_in_other_windows(
    profile: str,
) -> None:
    clinic = clinic_of(profile)
    first = apply(clinic, Outcome.NO_ANSWER, "2026-11-24 09:10", priority=Priority.URGENT)
    assert shown(clinic, first.next_attempt_at) == "Tue 24 09:25"
    second = apply(
        clinic, Outcome.NO_ANSWER, "2026-11-24 09:25", ("2026-11-24 09:10",),
        priority=Priority.URGENT,
    )  # fmt: skip
    assert shown(clinic, second.next_attempt_at) == "Tue 24 12:00"


def test_an_urgent_quick_retry_after_closing_waits_for_the_next_window() -> None:
    clinic = clinic_of("medical")  # closes at 18:00 on weekdays
    decision = apply(clinic, Outcome.NO_ANSWER, "2026-11-24 17:50", priority=Priority.URGENT)
    assert shown(clinic, decision.next_attempt_at) == "Wed 25 08:00"


@pytest.mark.parametrize("profile", ["medical", "dental"])
def test_three_left_messages_close_it_where_a_message_is_an_attempt(profile: str) -> None:
    clinic = clinic_of(profile)
    earlier = ("2026-11-24 09:10", "2026-11-24 12:30")
    decision = apply(clinic, Outcome.LEFT_MESSAGE, "2026-11-24 17:10", earlier)
    assert decision.status is Status.UNREACHED


@pytest.mark.parametrize(
    ("profile", "reason", "escalates"),
    [
        ("veterinary", "surgery", True),
        ("veterinary", "referral_question", True),
        ("veterinary", "appointment_request", False),
        ("medical", "prescription_question", True),
        ("medical", "referral_follow_up", True),
        ("medical", "billing", False),
        ("dental", "post_op_check", True),
        ("dental", "new_appliance", False),
        ("dental", "missed_call", False),
    ],
)
def test_the_third_miss_closes_with_a_path_back_and_escalates_clinical_and_referral_requests(
    profile: str, reason: str, escalates: bool
) -> None:
    clinic = clinic_of(profile)
    earlier = ("2026-11-24 09:10", "2026-11-24 12:30")
    decision = apply(clinic, Outcome.BUSY, "2026-11-24 17:10", earlier, reason=reason)
    assert decision.status is Status.UNREACHED and decision.next_attempt_at is None
    assert decision.escalate is escalates
    assert decision.closing_note is not None
    assert decision.closing_note.startswith("Closed as unreached after 3 unsuccessful attempts")
    assert decision.closing_note.endswith("Path back for the client: call us at (312) 555-0100")
    assert ("escalated" in decision.closing_note) is escalates


def test_the_closing_note_names_who_it_was_escalated_to() -> None:
    assert closing_note(3, "the case doctor (DRW)") == (
        "Closed as unreached after 3 unsuccessful attempts; escalated to the case doctor (DRW)."
    )
    assert closing_note(4, None, "call us.") == (
        "Closed as unreached after 4 unsuccessful attempts. Path back for the client: call us."
    )
