"""User text: kept exactly as typed, minus invisible control characters, within limits."""

from __future__ import annotations

import unicodedata

NOTE_LIMIT = 20_000
NAME_LIMIT = 200

_KEEP = {"\n", "\t"}


def clean(text: str, *, limit: int, multiline: bool = False) -> str:
    """Strip control characters (but newlines and tabs in multi-line text) and outer space.

    Raises ValueError when the result is longer than `limit` characters.
    """
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
