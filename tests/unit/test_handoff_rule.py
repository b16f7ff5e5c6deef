"""Where a released callback goes, and why one stays (domain/handoff.py)."""

from __future__ import annotations

from callback_tui.domain.handoff import destination, pools_said, why_kept
from callback_tui.domain.vocab import POOLS, Role


def test_a_callback_goes_back_to_its_own_pool() -> None:
    assert destination("TA", ["SA"], POOLS) == "TA"


def test_one_without_a_pool_goes_to_the_first_pool_the_person_works() -> None:
    assert destination(None, ["SA", "TA"], POOLS) == "SA"


def test_one_from_a_pool_the_clinic_no_longer_has_goes_as_one_without() -> None:
    assert destination("OLD", ["TA"], POOLS) == "TA"
    assert destination("OLD", [], POOLS) is None


def test_one_with_nowhere_to_go_stays_and_the_reason_says_why() -> None:
    assert destination(None, [], POOLS) is None
    assert why_kept(Role.DOCTOR) == "a doctor's own calls stay with them"
    assert (
        why_kept(Role.FRONT_DESK) == "the front desk works no pool: their own calls stay with them"
    )
    assert why_kept(None).startswith("someone not on the staff")


def test_pools_are_said_the_most_first() -> None:
    assert pools_said({"SA": 1, "TA": 3}) == "TA 3, SA 1"
    assert pools_said({}) == ""
