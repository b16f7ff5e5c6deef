"""User text is kept as typed, minus control characters, however it is checked."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from callback_tui.domain import text


def one_by_one(value: str, *, multiline: bool) -> str:
    """What `clean` keeps, worked out a character at a time (no shortcut)."""
    kept = "".join(
        ch
        for ch in value.replace("\r\n", "\n").replace("\r", "\n")
        if not unicodedata.category(ch).startswith("C") or (multiline and ch in "\n\t")
    ).strip()
    return kept if multiline else " ".join(kept.split())


typed = st.lists(
    st.one_of(
        st.characters(),
        st.sampled_from(["\r\n", "\r", "\n", "\t", "\x1b[2J", "\u202e", "\u00a0", "\u2028", " "]),
    ),
    max_size=40,
).map("".join)


@given(typed, st.booleans())
def test_clean_keeps_what_a_character_by_character_reading_keeps(
    value: str, multiline: bool
) -> None:
    assert text.clean(value, limit=1_000, multiline=multiline) == one_by_one(
        value, multiline=multiline
    )


def test_printable_text_is_trimmed_and_its_spaces_folded() -> None:
    assert text.clean("  Jordan   Lee ", limit=200) == "Jordan Lee"
    assert text.clean("  two  spaces kept ", limit=200, multiline=True) == "two  spaces kept"


def test_counts_take_the_right_form_of_their_noun() -> None:
    assert text.counted(1, "callback") == "1 callback"
    assert text.counted(0, "row") == "0 rows"
    assert text.counted(3, "entry", "entries") == "3 entries"
    assert text.counted(1_234, "event") == "1,234 events"
