"""A draft changed at two desks at once: both texts in one box until the person settles it.

The note editor shows the stored text first and the person's own between two marker lines.
The markers are there to be read and then deleted: a note that still holds one is refused
(saved, autosaved, finalized or amended), so nothing half merged is ever stored, and the
person chooses, by editing, what the note says.
"""

from __future__ import annotations

YOURS_BEGIN = "--- your text, not saved: the note changed at the other desk ---"
YOURS_END = "--- end of your text ---"

MARKED = (
    "the --- marker lines are still in the note: choose what to keep, then delete them"
    " (and any of your text you do not keep)"
)
"""Why a note with a marker is refused, for the field under the note."""


def merged(stored: str, mine: str) -> str:
    """Both texts, the stored one first; `mine` alone when they say the same."""
    if mine.strip() == stored.strip():
        return mine
    return f"{stored}\n\n{YOURS_BEGIN}\n{mine}\n{YOURS_END}"


def has_markers(text: str) -> bool:
    """Whether a marker line is left in `text`, even one partly edited.

    A line that starts with --- and speaks of "your text" counts: deleting a few characters
    of a marker does not make the note settled.
    """
    return any(_is_marker(line) for line in text.splitlines())


def _is_marker(line: str) -> bool:
    words = line.strip().casefold()
    return words.startswith("---") and "your text" in words
