"""The role table (domain/access.py), row by row: who may, who may not, and the words."""

from __future__ import annotations

import pytest

from callback_tui.domain import access
from callback_tui.domain.access import RULES, Act, refusal, who_may
from callback_tui.domain.vocab import POOLS, Role

EVERYONE = tuple(Role)


def allowed(act: Act, **context: object) -> set[Role]:
    return {role for role in EVERYONE if refusal(act, role, **context) is None}  # type: ignore[arg-type]


def test_every_act_has_a_rule() -> None:
    assert set(RULES) == set(Act)


def test_a_draft_addressed_to_a_doctor_is_finalized_by_a_doctor() -> None:
    assert allowed(Act.FINALIZE_DRAFT) == {Role.DOCTOR}
    assert refusal(Act.FINALIZE_DRAFT, Role.FRONT_DESK) == (
        "Only a doctor may finalize a doctor's draft."
    )
    assert refusal(Act.FINALIZE_DRAFT, None) is not None  # the unattended system


def test_a_note_addressed_to_no_one_is_finalized_by_anyone_at_the_desk() -> None:
    assert allowed(Act.FINALIZE_DRAFT, addressed=False) == set(EVERYONE)


def test_an_escalation_outcome_is_recorded_by_a_regional_manager_or_the_owner() -> None:
    assert allowed(Act.RECORD_ESCALATION) == {Role.REGIONAL_MANAGER, Role.OWNER}
    assert refusal(Act.RECORD_ESCALATION, Role.FRONT_DESK) == (
        "Only a regional manager or the owner may record the outcome of an escalated incident."
    )
    assert refusal(Act.RECORD_ESCALATION, Role.OFFICE_MANAGER) is not None


def test_an_incident_is_closed_by_a_manager_or_the_owner() -> None:
    assert allowed(Act.CLOSE_INCIDENT) == {
        Role.OFFICE_MANAGER,
        Role.REGIONAL_MANAGER,
        Role.OWNER,
    }
    assert refusal(Act.CLOSE_INCIDENT, Role.DOCTOR) == (
        "Only an office manager, a regional manager or the owner may close an incident."
    )


def test_staff_and_pins_are_changed_by_an_office_manager_or_the_owner() -> None:
    assert allowed(Act.MANAGE_STAFF) == {Role.OFFICE_MANAGER, Role.OWNER}
    assert refusal(Act.MANAGE_STAFF, Role.REGIONAL_MANAGER) == (
        "Only an office manager or the owner may change staff or their PINs."
    )
    assert refusal(Act.MANAGE_STAFF, None) is not None


def test_everyone_may_set_their_own_pin() -> None:
    assert allowed(Act.MANAGE_STAFF, own=True) == set(EVERYONE)


def test_someone_elses_callbacks_are_released_by_an_office_manager_or_the_owner() -> None:
    assert allowed(Act.RELEASE_ITEMS) == {Role.OFFICE_MANAGER, Role.OWNER}
    assert refusal(Act.RELEASE_ITEMS, Role.TECHNICIAN) == (
        "Only an office manager or the owner may put someone else's unworked callbacks"
        " back into their pools."
    )
    assert refusal(Act.RELEASE_ITEMS, None) is not None  # the unattended system


def test_everyone_may_release_their_own_unworked_callbacks() -> None:
    assert allowed(Act.RELEASE_ITEMS, own=True) == set(EVERYONE)


def test_pools_are_claimed_by_their_roles() -> None:
    assert allowed(Act.CLAIM_POOL, pool="TA", pools=POOLS) == {Role.TECHNICIAN}
    assert allowed(Act.CLAIM_POOL, pool="SA", pools=POOLS) == {Role.TECHNICIAN, Role.ASSISTANT}
    assert refusal(Act.CLAIM_POOL, Role.FRONT_DESK, pool="SA") == (
        "Only an assistant or a technician may claim from the SA pool."
    )
    assert refusal(Act.CLAIM_POOL, Role.OWNER, pool="XX") is not None  # no such pool


def test_do_not_call_is_edited_by_anyone_at_the_desk() -> None:
    assert allowed(Act.EDIT_DO_NOT_CALL) == set(EVERYONE)
    assert refusal(Act.EDIT_DO_NOT_CALL, None) is None  # an import's consent columns


@pytest.mark.parametrize(
    ("roles", "said"),
    [
        (frozenset({Role.DOCTOR}), "a doctor"),
        (frozenset({Role.OWNER, Role.REGIONAL_MANAGER}), "a regional manager or the owner"),
        (frozenset(), "no one"),
    ],
)
def test_roles_in_words(roles: frozenset[Role], said: str) -> None:
    assert who_may(roles) == said


def test_every_refusal_is_one_sentence_without_markup() -> None:
    for act in Act:
        for role in (*EVERYONE, None):
            said = refusal(act, role, pool="TA")
            if said is not None:
                assert said.startswith("Only ") and said.endswith(".")
                assert "\n" not in said and "[" not in said


@pytest.mark.parametrize(
    ("addressed_to", "origin", "author", "handed_over", "actor", "waits"),
    [
        (None, "client_update", "FD", True, "FD", False),  # a log addressed to no one
        ("DRW", "call", "FD", False, "FD", True),  # a concern: the doctor's from the start
        ("DRW", "client_update", "FD", False, "FD", False),  # resolved on the phone
        ("DRW", "client_update", "FD", True, "FD", True),  # saved for the doctor
        ("DRW", "client_update", "FD", False, "AB", True),  # someone else's update
    ],
)
def test_which_notes_wait_for_a_doctor(
    addressed_to: str | None, origin: str, author: str, handed_over: bool, actor: str, waits: bool
) -> None:
    assert (
        access.waits_for_doctor(
            addressed_to=addressed_to,
            origin=origin,
            author=author,
            handed_over=handed_over,
            actor=actor,
        )
        is waits
    )
