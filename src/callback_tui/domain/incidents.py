"""Upset-patient incidents: their steps, who may close them, the leadership summary, and the
check that keeps a public review reply free of anyone's private details."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from callback_tui.domain import text
from callback_tui.domain.vocab import Role


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


CLOSERS = frozenset({Role.OFFICE_MANAGER, Role.REGIONAL_MANAGER, Role.OWNER})
"""Who may close an incident."""


@dataclass(frozen=True)
class Hit:
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
    """Every name word, phone number and clinical word the reply contains, in reply order."""
    hits: list[tuple[int, Hit]] = []
    folded = text.folded(reply)
    name_words = {word for name in names for word in text.words(name) if len(word) >= 2}
    for word in sorted(name_words):
        for match in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", folded):
            hits.append((match.start(), Hit(reply[match.start() : match.end()], "a name")))
    for word in words:
        pattern = r"\s+".join(re.escape(part) for part in text.folded(word).split())
        for match in re.finditer(rf"(?<!\w){pattern}(?!\w)", folded):
            hits.append((match.start(), Hit(reply[match.start() : match.end()], "a clinical word")))
    digits_wanted = [d for d in (_digits(p) for p in phones) if len(d) >= 7]
    for match in re.finditer(r"\+?\d[\d\s().-]{5,}\d", reply):
        digits = _digits(match.group())
        if any(digits.endswith(d[-7:]) or d.endswith(digits[-7:]) for d in digits_wanted):
            hits.append((match.start(), Hit(match.group(), "a phone number")))
    hits.sort(key=lambda item: item[0])
    return [hit for _, hit in hits]


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


@dataclass(frozen=True)
class SummaryFacts:
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
