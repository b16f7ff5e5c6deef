"""The public reply to an online review never names the patient or their care, however
it is written: case, plurals and possessives, letters spaced out, other forms of a word."""

from __future__ import annotations

import pytest

from callback_tui.config import load_clinic
from callback_tui.domain.incidents import check_reply

NAMES = ("Fido · Maria Ortiz-Lopez", "Mrs Ortiz")
PHONES = ("+13125550142",)


@pytest.fixture(scope="module")
def words() -> tuple[str, ...]:
    from callback_tui.config import Settings

    return load_clinic(Settings()).review_words


def hits(reply: str, words: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(h.found, h.why) for h in check_reply(reply, names=NAMES, phones=PHONES, words=words)]


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("We are sorry Fido was spayed late.", [("Fido", "a name"), ("spayed", "a clinical word")]),
        ("All the fidos in town love us.", [("fidos", "a name")]),
        ("F i d o deserved better.", [("F i d o", "a name")]),
        ("F.I.D.O. deserved better.", [("F.I.D.O", "a name")]),
        ("Fido's stitches healed.", [("Fido's", "a name"), ("stitches", "a clinical word")]),
        ("FIDOS' visit", [("FIDOS", "a name")]),
        ("Ms LOPEZ, thank you.", [("LOPEZ", "a name")]),  # a part of a joined name
        ("He was neutered.", [("neutered", "a clinical word")]),
        ("Neutering went well.", [("Neutering", "a clinical word")]),
        ("The spays and neuters.", [("spays", "a clinical word"), ("neuters", "a clinical word")]),
        ("Two surgeries in a week.", [("surgeries", "a clinical word")]),
        ("X rays, or xrays?", [("X rays", "a clinical word"), ("xrays", "a clinical word")]),
        ("Her post-op check", [("post-op", "a clinical word")]),
        ("He was vaccinated twice.", [("vaccinated", "a clinical word")]),
        ("We sedated him gently.", [("sedated", "a clinical word")]),
        ("The two diagnoses differ.", [("diagnoses", "a clinical word")]),
        ("Ortíz called back.", [("Ortíz", "a name")]),  # accents folded, the reply's text kept
        ("Call 312.555.0142 anytime.", [("312.555.0142", "a phone number")]),
    ],
)
def test_what_the_reply_must_not_say_is_found(
    words: tuple[str, ...], reply: str, expected: list[tuple[str, str]]
) -> None:
    assert hits(reply, words) == expected


@pytest.mark.parametrize(
    "reply",
    [
        "Thank you for your feedback; we have spoken with you directly.",
        "We value fidelity to clients, for example by calling back.",  # fid-, exam- inside
        "Mrs. Smith, thank you.",  # a title alone names nobody
        "We have reviewed our check-in procedure with the team.",
        "Our doctors and nurses care; please call us at the front desk.",
        "Lopezville is a lovely town.",
        "We spent time on this.",  # no "spay" in "spent"
        "Call our main line, 312 555 0100.",  # the clinic's number, not theirs
    ],
)
def test_a_kind_general_reply_is_not_flagged(words: tuple[str, ...], reply: str) -> None:
    assert hits(reply, words) == []
