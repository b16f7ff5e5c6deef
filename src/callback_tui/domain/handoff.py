"""The shift hand-off's release rule: which callbacks a person leaves, and where they go.

*Unworked*: an open callback the person owns, due today or earlier, with no call logged on
it today (the clinic's day). Releasing puts each back into its pool: the pool it was made in
or claimed from, while the clinic still has that pool; else the first pool the person's role
works. One that has neither stays with the person (a doctor's own calls stay with them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from callback_tui.domain.access import who_may
from callback_tui.domain.vocab import Role

UNWORKED = "open, theirs, due today or earlier, with no call logged on it today"
"""The rule in words, as the screen and the command say it."""


def destination(pool: str | None, works: Sequence[str], pools: Mapping[str, object]) -> str | None:
    """Where an unworked callback goes on release: its `pool` while the clinic has it, else
    the first of the pools the person `works` (their role's, in the profile's order); None:
    it stays with them."""
    if pool is not None and pool in pools:
        return pool
    return works[0] if works else None


def why_kept(role: Role | None) -> str:
    """Why a person's unworked callbacks with no pool to go to stay with them."""
    if role is Role.DOCTOR:
        return "a doctor's own calls stay with them"
    if role is None:
        return "someone not on the staff works no pool: their calls stay with them"
    return f"{who_may(frozenset({role}))} works no pool: their own calls stay with them"


def pools_said(to_pools: Mapping[str, int]) -> str:
    """`TA 3, SA 1`: how many go to each pool, the most first."""
    ordered = sorted(to_pools.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{pool} {count}" for pool, count in ordered)
