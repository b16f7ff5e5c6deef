"""User text: kept exactly as typed, minus invisible control characters, within limits."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

NOTE_LIMIT = 20_000
NAME_LIMIT = 200

_KEEP = {"\n", "\t"}


def clean(text: str, *, limit: int, multiline: bool = False) -> str:
    """Strip control characters (but newlines and tabs in multi-line text) and outer space.

    Raises ValueError when the result is longer than `limit` characters.
    """
    if text.isprintable():  # the common case: no control character, no line break to look up
        kept = text.strip()
    else:
        kept = "".join(
            ch
            for ch in text.replace("\r\n", "\n").replace("\r", "\n")
            if not unicodedata.category(ch).startswith("C") or (multiline and ch in _KEEP)
        ).strip()
    if not multiline:
        kept = " ".join(kept.split())
    if len(kept) > limit:
        raise ValueError(f"is {len(kept):,} characters; the limit is {limit:,}")
    return kept


def without_controls(text: str) -> str:
    """`text` minus control characters (terminal escapes among them), newlines and tabs kept.

    For text kept as typed but not yet checked (an unsubmitted form).
    """
    return "".join(ch for ch in text if ch in _KEEP or not unicodedata.category(ch).startswith("C"))


def printable(value: str) -> str:
    """`value` as one line that a terminal shows as it is.

    Text from a file or an older record may hold ESC, C1 controls such as CSI, or bidi
    overrides, which a terminal acts on (moving the cursor, recolouring, hiding what follows).
    They are dropped, as `clean` drops them; line breaks and tabs become spaces.
    """
    if value.isprintable():  # the common case: nothing to look up
        return value
    return "".join(_shown(ch) for ch in value)


def _shown(ch: str) -> str:
    if not unicodedata.category(ch).startswith("C"):
        return ch
    return " " if ch.isspace() else ""


def whole_number(raw: str, *, least: int, most: int, unit: str) -> int:
    """A count typed by a person or read from a file: plain ASCII digits, within bounds.

    int() alone would also take "7_0" (as 70), "+7", " 7" and other scripts' digits ("\u0667").
    """
    if not (raw.isascii() and raw.isdigit()):
        raise ValueError(f"{raw!r} is not a whole number of {unit}")
    significant = raw.lstrip("0") or "0"
    # Compare lengths first: int() of thousands of digits is slow, and refused past 4300.
    if len(significant) > len(str(most)) or not least <= int(significant) <= most:
        raise ValueError(f"{raw} {unit} is out of range ({least} to {most})")
    return int(significant)


def first_line(text: str) -> str:
    """The first line with words on it: what a list shows of a note."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def folded(text: str) -> str:
    """Lower case without accents: what search compares ("Zoë" and "zoe" meet)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """A query's words: folded, split at spaces, inner punctuation dropped ("O'Brien" → obrien)."""
    out = ["".join(ch for ch in token if ch.isalnum()) for token in folded(text).split()]
    return [word for word in out if word]


def terms(text: str) -> set[str]:
    """What a name is found by: each word whole, and each of its parts ("O'Brien-Ng" → obrienng,
    o, brien, ng), so any word of a name, typed with or without its punctuation, finds it."""
    found: set[str] = set()
    for token in folded(text).split():
        parts = "".join(ch if ch.isalnum() else " " for ch in token).split()
        found.update(parts)
        if parts:
            found.add("".join(parts))
    return found


def counted(number: int, word: str, plural: str | None = None) -> str:
    """A count with its noun, singular or plural as it should be: "1 row", "3 rows"."""
    return f"{number:,} {word if number == 1 else plural or word + 's'}"


def age(elapsed: timedelta) -> str:
    """How long something has waited, in the largest two units: 45m, 5h 10m, 2d 3h."""
    minutes = max(0, int(elapsed.total_seconds() // 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days}d {hours}h" if hours else f"{days}d"
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m"
