"""Each client's best time to call: the call window in which they answered most often.

A client who answered twice in the evening and never in the morning is best called in the
evening. Only phone calls count, each by the call window it fell in; a call outside every
window says nothing about one, and neither does a wrong number (the client was not the one
who did not answer). With too little data (fewer than `MIN_REACHES` answered calls in any
one window) there is no best time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from callback_tui.domain.hours import Calendar
from callback_tui.domain.vocab import Outcome

MIN_REACHES = 2
"""Enough data: a window is someone's best time only after two calls answered there."""


@dataclass(frozen=True)
class WindowRecord:
    """One client's phone calls in one call window: how many, and how many were answered."""

    window: str
    tried: int
    reached: int

    @property
    def rate(self) -> float:
        """Reached ÷ tried (0 with no tries)."""
        return self.reached / self.tried if self.tried else 0.0


def tally(calls: Iterable[tuple[str | None, Outcome]]) -> list[WindowRecord]:
    """One record per call window from a client's past phone calls, each given as (the window
    it fell in, or None outside every window; its outcome), in the order windows first appear.

    Reached means spoke: a voicemail, no answer or busy line is a try that did not reach them.
    Calls outside every window and wrong numbers are left out.
    """
    tried: dict[str, int] = {}
    reached: dict[str, int] = {}
    for window, outcome in calls:
        if window is None or outcome is Outcome.WRONG_NUMBER:
            continue
        tried[window] = tried.get(window, 0) + 1
        reached[window] = reached.get(window, 0) + int(outcome is Outcome.SPOKE)
    return [WindowRecord(window, count, reached[window]) for window, count in tried.items()]


def best_window(records: Iterable[WindowRecord], *, order: Sequence[str]) -> WindowRecord | None:
    """The window with the most reaches (at least `MIN_REACHES`); a tie goes to the better
    reach rate, then to the earlier window in `order` (the clinic's windows, in day order).
    None when no window has enough data."""
    rank = {name: index for index, name in enumerate(order)}
    enough = [record for record in records if record.reached >= MIN_REACHES]
    if not enough:
        return None
    # Rates as exact fractions: 2 of 3 and 4 of 6 are one rate, not two rounded floats.
    return min(
        enough,
        key=lambda record: (
            -record.reached,
            -Fraction(record.reached, record.tried),
            rank.get(record.window, len(rank)),
        ),
    )


def learned(calls: Iterable[tuple[datetime, Outcome]], calendar: Calendar) -> WindowRecord | None:
    """The best window from a client's past phone calls, each as (when, its outcome): the
    calendar says which window each fell in, and the order of its windows breaks ties."""
    windows = tally((calendar.window_of(at), outcome) for at, outcome in calls)
    return best_window(windows, order=[window.name for window in calendar.windows])


def preferred(stated: str | None, best: str | None, calendar: Calendar) -> str | None:
    """The window to call a client in: the one they asked for (when it is still one of the
    clinic's windows), else the best one their past calls show, else None (any)."""
    if stated is not None and any(window.name == stated for window in calendar.windows):
        return stated
    return best
