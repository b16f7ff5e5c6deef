"""Upset-patient incidents: their steps, who may close them, the leadership summary, and the
check that keeps a public review reply free of anyone's private details."""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from msgspec import Struct

from callback_tui.domain import text


class Step(StrEnum):
    WHAT_HAPPENED = "what_happened"
    OFFICE_MANAGER = "office_manager"
    ESCALATION = "escalation"
    LEADERSHIP = "leadership"
    REVIEW = "review"
    CLOSE = "close"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Step.WHAT_HAPPENED: "What happened",
    Step.OFFICE_MANAGER: "Office manager",
    Step.ESCALATION: "Escalation",
    Step.LEADERSHIP: "Leadership",
    Step.REVIEW: "Online review",
    Step.CLOSE: "Ready to close",
    Step.CLOSED: "Closed",
}

WIZARD_STEPS = (
    Step.WHAT_HAPPENED,
    Step.OFFICE_MANAGER,
    Step.ESCALATION,
    Step.LEADERSHIP,
    Step.REVIEW,
)


class FoundVia(StrEnum):
    IN_OFFICE = "in_office"
    PHONE = "phone"
    ONLINE_REVIEW = "online_review"

    @property
    def label(self) -> str:
        return {
            "in_office": "In the office",
            "phone": "On the phone",
            "online_review": "Online review",
        }[self.value]


NEEDED = {
    "subject": "who is it about? Find the patient (ctrl+f) or type a name",
    "found_via": "pick how it was found: in the office, phone or online review",
    "what_happened": "say what happened",
    "note_kind": "a communication log or a clinical note",
    "available": "is the office manager available now?",
    "office_manager": "who spoke with the client? their initials",
    "conversation": "write down the conversation with the client",
    "remedied": "was it remedied? yes or no",
    "outcome": "write down the outcome",
    "platform": "where is the review? (Google, Yelp…)",
    "reply": "write the public reply first",
    "posted": "tick this once the reply is posted",
}
"""What each field of the wizard says while it is still empty (by field id)."""

NOT_DONE = {
    Step.WHAT_HAPPENED: "what happened is not recorded yet",
    Step.OFFICE_MANAGER: "the office manager has not spoken with the client yet",
    Step.ESCALATION: "the regional manager's outcome is not recorded yet",
    Step.LEADERSHIP: "leadership has not been told yet",
    Step.REVIEW: "the review reply is not posted yet",
}
"""Why an incident at each step cannot be closed yet."""


def still_needed(step: Step, values: dict[str, str]) -> dict[str, str]:
    """The fields of `step` that must still be filled in before it can be completed, with
    what each one asks for (`values` as the form holds them, by field id)."""
    wanted: list[str] = []
    if step is Step.WHAT_HAPPENED:
        wanted = ["found_via", "what_happened", "note_kind"]
        if not values.get("patient_id"):
            wanted.insert(0, "subject")
    elif step is Step.OFFICE_MANAGER:
        wanted = ["available"]
        if values.get("available") == "now":
            wanted += ["office_manager", "conversation", "remedied"]
    elif step is Step.ESCALATION:
        wanted = ["outcome"]
    elif step is Step.REVIEW:
        wanted = ["platform", "reply", "posted"]
    return {field: NEEDED[field] for field in wanted if not values.get(field, "").strip()}


def steps_left(step: Step, found_via: str | None, remedied: bool | None) -> list[str]:
    """The wizard's steps still to do from `step` on, numbered as the header shows them;
    a step that may not be needed says when it is ("if not remedied")."""
    if step not in WIZARD_STEPS:
        return []
    left: list[str] = []
    for number, each in enumerate(WIZARD_STEPS, start=1):
        if WIZARD_STEPS.index(each) < WIZARD_STEPS.index(step):
            continue
        label = f"{number} {each.label}"
        if each is Step.ESCALATION and each is not step:
            if remedied:
                continue
            if remedied is None:
                label += " (if not remedied)"
        if each is Step.REVIEW:
            if found_via and found_via != FoundVia.ONLINE_REVIEW:
                continue
            if not found_via:
                label += " (if found online)"
        left.append(label)
    return left


class Hit(Struct, frozen=True):
    """Something in a review reply that would tell the public about someone's care."""

    found: str
    """The text as it stands in the reply."""
    why: str


def load_words(path: Path) -> tuple[str, ...]:
    """The clinical words list: one per line; blank lines and `#` comments skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def check_reply(
    reply: str, *, names: Iterable[str], phones: Iterable[str], words: Iterable[str]
) -> list[Hit]:
    """Every name, phone number and clinical word the reply contains, in reply order.

    Matched whole, whatever the case or accents; a name also as a plural or possessive
    ("Fidos", "Fido's"), and a clinical word in its other forms ("spayed", "surgeries",
    "x-rays"); and either one spelled out with spaces or dots between its letters
    ("F i d o", "F.I.D.O"), as a reply written to slip past the check would.
    """
    folded, where = _folded(reply)
    hits: dict[tuple[int, int], Hit] = {}

    def found(pattern: re.Pattern[str], why: str) -> None:
        for match in pattern.finditer(folded):
            first, last = where[match.start()], where[match.end() - 1] + 1
            hits.setdefault((first, last), Hit(reply[first:last], why))

    name_words = sorted(
        {
            word
            for name in names
            for word in text.terms(name)
            if len(word) >= 2 and not word.isdigit() and word not in _NOT_NAMES
        }
    )
    if name_words:
        found(_whole(name_words, _NAME_ENDINGS), "a name")
    found(_clinical(tuple(words)), "a clinical word")
    digits_wanted = [d for d in (_digits(p) for p in phones) if len(d) >= 7]
    for match in re.finditer(r"\+?\d[\d\s().-]{5,}\d", reply):
        digits = _digits(match.group())
        if any(digits.endswith(d[-7:]) or d.endswith(digits[-7:]) for d in digits_wanted):
            hits.setdefault(match.span(), Hit(match.group(), "a phone number"))
    return [hits[span] for span in sorted(hits)]


_NOT_NAMES = frozenset({"mr", "mrs", "ms", "miss", "dr", "the", "and", "of"})
"""Words of a name as typed ("Mrs Ortiz", "Dr. Lee's dog") that name nobody."""

_BETWEEN = r"[\s.\-_'\u2019*\u00b7]*"
"""What may stand between the letters of a word spelled out: "F i d o", "F.I.D.O", "F-ido"."""

_NAME_ENDINGS = ("", "s", "es")
"""A name as a plural or possessive (the apostrophe is one of `_BETWEEN`): Fidos, Fido's."""


def _folded(reply: str) -> tuple[str, list[int]]:
    """The reply folded as search folds (text.folded), and where each of its characters
    came from in the reply (folding may drop an accent or make one letter two)."""
    if reply.isascii():
        return reply.lower(), list(range(len(reply)))
    out: list[str] = []
    where: list[int] = []
    for index, ch in enumerate(reply):
        each = text.folded(ch)
        out.append(each)
        where.extend([index] * len(each))
    return "".join(out), where


def _spelled(word: str) -> str:
    """A pattern for `word` (folded, letters and digits) with `_BETWEEN` between letters."""
    return _BETWEEN.join(re.escape(ch) for ch in word)


def _whole(forms: Iterable[str], endings: Iterable[str]) -> re.Pattern[str]:
    """One pattern for any of `forms` with any of `endings`, as a whole word."""
    endings = sorted(set(endings), key=len, reverse=True)
    ends = "|".join(_spelled(end) for end in endings if end)
    tail = f"(?:{_BETWEEN}(?:{ends}))?" if ends else ""
    body = "|".join(_spelled(form) for form in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{body}){tail}(?![^\W_])")


def _inflected(word: str) -> set[str]:
    """A clinical word's other forms: plural, past, -ing, with English's usual spelling
    changes (spay: spays, spayed, spaying; biopsy: biopsies; sedate: sedated, sedating)."""
    forms = {word, word + "s", word + "es", word + "ed", word + "ing"}
    if word.endswith("e"):
        forms |= {word + "d", word[:-1] + "ing"}
    if len(word) > 2 and word.endswith("y") and word[-2] not in "aeiou":
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if word.endswith("is"):
        forms.add(word[:-2] + "es")  # diagnosis: diagnoses
    if len(word) > 2 and word[-1] not in "aeiouwxy" and word[-2] in "aeiou":
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}  # stab: stabbed
    return forms


@lru_cache(maxsize=8)
def _clinical(words: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for every form of every clinical word; words of a phrase may be written
    together or apart ("x-ray", "x ray", "xray"; "lab results")."""
    phrases: list[str] = []
    for word in words:
        *head, last = text.words(word) or [""]
        if not last:
            continue
        lead = "".join(f"{_spelled(part)}[\\W_]*" for part in head)
        forms = sorted(_inflected(last), key=len, reverse=True)
        phrases.append(lead + "(?:" + "|".join(_spelled(form) for form in forms) + ")")
    if not phrases:
        return re.compile(r"(?!)")  # matches nothing
    return re.compile(rf"(?<![^\W_])(?:{'|'.join(phrases)})(?![^\W_])")


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


class SummaryFacts(Struct, frozen=True):
    when: str
    found_via: FoundVia
    subject: str
    what_happened: str
    staff_involved: str
    office_manager: str
    resolution: str
    escalated: bool


def leadership_summary(facts: SummaryFacts) -> str:
    """The message for the owners: the situation, then how it was resolved."""
    how = f"{facts.found_via.label.lower()}, {facts.when}"
    lines = [
        f"Upset patient: {facts.subject or 'a client'} ({how})",
        "",
        "Situation:",
        facts.what_happened,
    ]
    if facts.staff_involved:
        lines.append(f"Staff involved: {facts.staff_involved}")
    lines += ["", "Resolution:", facts.resolution or "Not resolved yet."]
    handled = f"Handled by {facts.office_manager or 'the office manager'}"
    lines.append(handled + (", escalated to the regional manager." if facts.escalated else "."))
    return "\n".join(lines)
