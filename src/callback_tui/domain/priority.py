"""The priority a new message is suggested: its request type's usual one, raised to urgent by
words in the message that the word lists name (pain, bleeding, can't breathe…).

The person taking the message may change it; the suggestion says why it was made. Words only
ever raise a priority: "no bleeding" still suggests urgent, for a person to read and lower.

Matching is by whole words, whatever the case, and tolerant of the usual endings: "bleeding"
in the list also finds "bleed", "bleeds" and "bleeding"; "can't breathe" finds "cant breathe"
and "can\u2019t  breathing". It never matches inside another word: "pain" is not found in
"paint" or "Spain".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from callback_tui.domain.profile import Profile
from callback_tui.domain.vocab import Priority

_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018`\u00b4\u02bc", "'"))
"""Curly and other apostrophes people type, read as the plain one."""
_ENDINGS = ("ing", "ed", "es", "s")
"""Endings taken off a listed word to find its stem (longest first)."""
_SHORTEST_STEM = 3


class Suggestion(NamedTuple):
    """A suggested priority and why, in words for the person taking the message."""

    priority: Priority
    reason: str


@dataclass(frozen=True)
class UrgentWords:
    """Words and phrases that make a message urgent, each with the pattern that finds it."""

    entries: tuple[tuple[str, re.Pattern[str]], ...]

    @classmethod
    def of(cls, phrases: Iterable[str]) -> UrgentWords:
        seen: dict[str, re.Pattern[str]] = {}
        for phrase in phrases:
            words = " ".join(phrase.split()).lower()
            if words and words not in seen:
                seen[words] = _pattern(words)
        return cls(tuple(seen.items()))

    def first_in(self, message: str) -> str | None:
        """The first listed phrase (in list order) that the message contains, or None."""
        text = message.translate(_APOSTROPHES)
        for phrase, pattern in self.entries:
            if pattern.search(text):
                return phrase
        return None


def load_urgent_words(*paths: Path) -> UrgentWords:
    """The phrases of the given word lists (one a line, `#` starts a comment); a list that
    does not exist adds nothing."""
    phrases: list[str] = []
    for path in paths:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            phrase = line.split("#", 1)[0].strip()
            if phrase:
                phrases.append(phrase)
    return UrgentWords.of(phrases)


def suggest_priority(
    request_type: str, message_text: str, profile: Profile, words: UrgentWords
) -> Suggestion:
    """The priority to suggest for a message of `request_type` saying `message_text`.

    Raises ValueError for a request type the profile does not know; with no type chosen
    yet ("") the usual priority is routine.
    """
    if request_type:
        request = profile.request(request_type)
        usual, label = request.usual_priority, request.label
    else:
        usual, label = Priority.ROUTINE, ""
    found = words.first_in(message_text)
    if found is not None:
        if usual is Priority.URGENT:
            why = f"urgent: {label.lower()} is urgent, and the message says “{found}”"
            return Suggestion(Priority.URGENT, why)
        return Suggestion(Priority.URGENT, f"urgent: the message says “{found}”")
    if not request_type:
        return Suggestion(usual, "routine: no request type chosen yet")
    return Suggestion(usual, f"{usual.value}: the usual priority of {label.lower()}")


def _pattern(phrase: str) -> re.Pattern[str]:
    """A phrase as a case-insensitive, whole-word pattern; words may be split by spaces or a
    hyphen, an apostrophe may be left out, and each word may take the usual endings."""
    parts = [_word(word) for word in phrase.split(" ")]
    return re.compile(r"(?<!\w)" + r"[\s\-]+".join(parts) + r"(?!\w)", re.IGNORECASE)


def _word(word: str) -> str:
    if "'" in word or not word.isalpha():  # can't, won't: as written, apostrophe optional
        return re.escape(word).replace("'", "'?")
    stem, cut = _stem(word)
    if not cut and len(word) <= _SHORTEST_STEM:
        return re.escape(word)  # not, no, cut: short words are taken as they are
    if stem.endswith("e") and len(stem) > _SHORTEST_STEM:
        # breathe → breathe, breathes, breathed, breathing; overdose → overdosing
        return re.escape(stem[:-1]) + r"(?:e|es|ed|ing)"
    last = re.escape(stem[-1])
    # pain → pains, pained; eating → eat, eats, eaten; collapsed → collapse; stopping → stopped
    return re.escape(stem) + rf"(?:e|s|es|ed|ing|en|{last}ed|{last}ing)?"


def _stem(word: str) -> tuple[str, bool]:
    """A listed word without its ending, when what is left is long enough to be a word;
    and whether an ending was taken off."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _SHORTEST_STEM:
            stem = word[: -len(ending)]
            if ending == "s" and stem.endswith(("s", "u", "i")):
                return word, False  # loss, virus keep their s
            doubled = len(stem) > _SHORTEST_STEM and stem[-1] == stem[-2] and stem[-1] not in "lsz"
            if ending in ("ing", "ed") and doubled:
                return stem[:-1], True  # stopping → stop (but bleeding keeps bleed)
            return stem, True
    return word, False
