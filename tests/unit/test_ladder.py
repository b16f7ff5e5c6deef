"""SPEC §2.3: what each call outcome does, and where the next attempt lands."""

from __future__ import annotations

from datetime import datetime

import pytest

from callback_tui.config import Clinic
from callback_tui.domain.ladder import Decision, Policy, decide, is_miss
from callback_tui.domain.vocab import Outcome, Priority, Status
from tests.conftest import local


def apply(
    clinic: Clinic,
    outcome: Outcome,
    at: str,
    earlier: list[str] = (),  # type: ignore[assignment]
    *,
    priority: Priority = Priority.ROUTINE,
    clinical: bool = True,
    policy: Policy | None = None,
) -> Decision:
    return decide(
        outcome,
        local(at),
        [local(t) for t in earlier],
        priority=priority,
        clinical=clinical,
        policy=policy or clinic.policy,
        calendar=clinic.calendar,
    )


def shown(clinic: Clinic, instant: datetime | None) -> str | None:
    return None if instant is None else clinic.calendar.local(instant).strftime("%a %d %H:%M")


@pytest.mark.parametrize("outcome", [Outcome.SPOKE, Outcome.LEFT_MESSAGE])
def test_contact_completes_the_callback(clinic: Clinic, outcome: Outcome) -> None:
    assert apply(clinic, outcome, "2026-11-24 09:10") == Decision(status=Status.COMPLETED)


def test_left_message_counts_as_a_miss_where_the_profile_says_so(clinic: Clinic) -> None:
    policy = Policy(left_message_completes=False)
    assert is_miss(Outcome.LEFT_MESSAGE, policy)
    decision = apply(clinic, Outcome.LEFT_MESSAGE, "2026-11-24 09:10", policy=policy)
    assert decision.status is Status.OPEN
    assert shown(clinic, decision.next_attempt_at) == "Tue 24 12:00"


@pytest.mark.parametrize("outcome", [Outcome.NO_ANSWER, Outcome.BUSY])
def test_a_morning_miss_is_retried_in_the_afternoon(clinic: Clinic, outcome: Outcome) -> None:
    decision = apply(clinic, outcome, "2026-11-24 09:10")
    assert decision.status is Status.OPEN
    assert shown(clinic, decision.next_attempt_at) == "Tue 24 12:00"
    assert not decision.escalate and not decision.wrong_number


def test_a_second_miss_goes_to_the_window_not_yet_tried(clinic: Clinic) -> None:
    decision = apply(clinic, Outcome.BUSY, "2026-11-24 12:30", ["2026-11-24 09:10"])
    assert shown(clinic, decision.next_attempt_at) == "Tue 24 17:00"


def test_an_afternoon_miss_after_an_evening_miss_goes_to_the_morning(clinic: Clinic) -> None:
    decision = apply(clinic, Outcome.NO_ANSWER, "2026-11-24 13:00", ["2026-11-23 17:20"])
    assert shown(clinic, decision.next_attempt_at) == "Wed 25 08:00"


def test_a_friday_evening_miss_is_retried_saturday_morning(clinic: Clinic) -> None:
    decision = apply(clinic, Outcome.NO_ANSWER, "2026-11-27 17:30")
    assert shown(clinic, decision.next_attempt_at) == "Sat 28 08:00"


def test_saturday_has_only_a_morning_so_the_retry_waits_for_monday(clinic: Clinic) -> None:
    decision = apply(clinic, Outcome.NO_ANSWER, "2026-11-28 09:00")
    assert shown(clinic, decision.next_attempt_at) == "Mon 30 12:00"


def test_a_retry_skips_a_dated_closure(clinic: Clinic) -> None:
    # Wednesday evening miss; Thursday 26th is closed.
    decision = apply(clinic, Outcome.NO_ANSWER, "2026-11-25 17:30", ["2026-11-25 12:10"])
    assert shown(clinic, decision.next_attempt_at) == "Fri 27 08:00"


def test_an_urgent_callback_is_first_retried_after_fifteen_minutes(clinic: Clinic) -> None:
    first = apply(clinic, Outcome.NO_ANSWER, "2026-11-24 09:10", priority=Priority.URGENT)
    assert shown(clinic, first.next_attempt_at) == "Tue 24 09:25"
    earlier = ["2026-11-24 09:10"]
    second = apply(clinic, Outcome.NO_ANSWER, "2026-11-24 09:25", earlier, priority=Priority.URGENT)
    assert shown(clinic, second.next_attempt_at) == "Tue 24 12:00"


def test_wrong_number_keeps_it_open_and_flags_it(clinic: Clinic) -> None:
    assert apply(clinic, Outcome.WRONG_NUMBER, "2026-11-24 09:10") == Decision(
        status=Status.OPEN, wrong_number=True
    )
    assert not is_miss(Outcome.WRONG_NUMBER, clinic.policy)


def test_the_third_miss_closes_it_unreached_and_escalates_clinical_reasons(clinic: Clinic) -> None:
    decision = apply(
        clinic, Outcome.NO_ANSWER, "2026-11-24 17:10", ["2026-11-23 09:00", "2026-11-23 12:30"]
    )
    assert decision.status is Status.UNREACHED
    assert decision.escalate
    assert decision.next_attempt_at is None
    assert decision.closing_note and "3 unsuccessful attempts" in decision.closing_note


def test_an_unreached_non_clinical_callback_is_not_escalated(clinic: Clinic) -> None:
    decision = apply(
        clinic,
        Outcome.BUSY,
        "2026-11-24 17:10",
        ["2026-11-23 09:00", "2026-11-23 12:30"],
        clinical=False,
    )
    assert decision.status is Status.UNREACHED
    assert not decision.escalate
