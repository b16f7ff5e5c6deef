"""The priority a new message is suggested, and why."""

from __future__ import annotations

import pytest

from callback_tui.config import Clinic, Settings, load_clinic
from callback_tui.domain.priority import UrgentWords, suggest_priority
from callback_tui.domain.profile import load_profile
from callback_tui.domain.vocab import Priority
from callback_tui.resources import data_dir
from tests.conftest import TZ_NAME

MEDICAL = load_profile(data_dir() / "profiles" / "medical.toml")
WORDS = UrgentWords.of(["pain", "bleeding", "overdose", "not eating", "can't breathe", "swelling"])


def suggested(request: str, message: str) -> tuple[Priority, str]:
    return suggest_priority(request, message, MEDICAL, WORDS)


def test_the_request_types_usual_priority_with_its_reason() -> None:
    assert suggested("appointment_request", "Could I book a check-up next week?") == (
        Priority.ROUTINE,
        "routine: the usual priority of appointment request",
    )
    assert suggested("billing", "Question about my statement") == (
        Priority.INFORMATIONAL,
        "informational: the usual priority of billing",
    )


def test_an_urgent_word_raises_the_priority_and_says_which() -> None:
    priority, reason = suggested("billing", "Charged twice, and my knee pain is back")
    assert priority is Priority.URGENT
    assert reason == "urgent: the message says “pain”"


def test_an_urgent_request_type_with_an_urgent_word_says_both() -> None:
    priority, reason = suggested("symptom_concern", "bleeding since this morning")
    assert priority is Priority.URGENT
    assert "symptom concern is urgent" in reason and "“bleeding”" in reason


@pytest.mark.parametrize(
    "message",
    [
        "PAIN in the left side",
        "she has pains at night",
        "He bleeds when brushing",
        "the cut bled again",  # irregular forms are listed on their own (not in WORDS)
        "the wound keeps bleeding",
        "Dad took an overdose",
        "possibly overdosed on his pills",
        "he's not eating since Monday",
        "she is NOT  EATING",
        "I can't breathe well",
        "I can\u2019t breathe well",
        "cant breathe when lying down",
        "can't breathing properly",
        "swollen? no, swelling on the jaw",
        "pain.",
        "(pain)",
    ],
)
def test_words_are_found_whatever_the_case_and_ending(message: str) -> None:
    priority, _ = suggested("appointment_request", message)
    expected = Priority.ROUTINE if "bled" in message else Priority.URGENT
    assert priority is expected


@pytest.mark.parametrize(
    "message",
    [
        "I'd like to repaint the waiting room",  # pain inside a word
        "we're back from Spain",
        "painting class on Friday",
        "painter booked",
        "bleedingheart (a plant) question",
        "notable eating habits",  # 'not eating' split across other words
        "my cantor breathes fine",
    ],
)
def test_words_never_match_inside_other_words(message: str) -> None:
    assert suggested("appointment_request", message)[0] is Priority.ROUTINE


def test_no_request_type_yet_is_routine_unless_the_words_say_urgent() -> None:
    assert suggested("", "call me back")[0] is Priority.ROUTINE
    assert suggested("", "call me back, bleeding")[0] is Priority.URGENT


def test_an_unknown_request_type_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown request type 'haircut'"):
        suggested("haircut", "anything")


@pytest.mark.parametrize(
    ("profile", "kind", "message"),
    [
        ("veterinary", "appointment_request", "Biscuit is not eating and hiding"),
        ("veterinary", "pet_concern", "our dog was hit by a car last night"),
        ("medical", "appointment_request", "having chest pain on and off"),
        ("medical", "missed_call", "trouble breathing, please call"),
        ("dental", "appointment_request", "bad toothache since Sunday"),
        ("dental", "billing", "the dry socket hurts a lot"),
    ],
)
def test_the_shipped_word_lists_per_profile(profile: str, kind: str, message: str) -> None:
    clinic: Clinic = load_clinic(Settings(timezone=TZ_NAME, profile=profile))
    priority, reason = clinic.suggest_priority(kind, message)
    assert priority is Priority.URGENT, reason


def test_a_clinic_only_reads_its_own_profiles_words() -> None:
    medical = load_clinic(Settings(timezone=TZ_NAME, profile="medical"))
    assert medical.suggest_priority("appointment_request", "bad toothache")[0] is Priority.ROUTINE
