"""A client's best time to call, as the Log call dialog and the client details show it.

One query: the client's phone calls (every callback's attempts), when and how each went.
A client has tens of calls, so the call windows are found in Python (domain/best_time.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from callback_tui.domain import best_time as rule
from callback_tui.domain.hours import Calendar
from callback_tui.domain.vocab import Channel, Outcome
from callback_tui.store import sql
from callback_tui.store.engine import Database
from callback_tui.store.sql import Reads

_CALLS = (
    "SELECT a.at, a.outcome FROM attempt a JOIN callback cb ON a.callback_id = cb.id"
    " WHERE cb.client_id = :client AND a.channel = :phone"
)
"""A client's phone calls: through callback.client_id's index, then attempt.callback_id's."""


@dataclass(frozen=True)
class BestTime:
    """The call window a client answered in most often, with enough calls to tell."""

    window: str
    reached: int
    tried: int

    @property
    def words(self) -> str:
        """ "evening (answered 3 of 4 calls there)"."""
        return f"{self.window} (answered {self.reached} of {self.tried} calls there)"


@dataclass(frozen=True)
class TimeToCall:
    """When to call a client: the window they asked for, else the one their calls show."""

    stated: str | None
    """The client's preferred window, when it is one of the clinic's."""
    best: BestTime | None

    @property
    def window(self) -> str | None:
        """The window the next try after a miss goes to first (the ladder's `prefer`)."""
        if self.stated is not None:
            return self.stated
        return self.best.window if self.best is not None else None

    @property
    def words(self) -> str:
        """One line for the desk; empty when there is nothing to say."""
        if self.stated is not None:
            return f"Prefers: {self.stated}"
        if self.best is not None:
            return f"Best time to call: {self.best.words}"
        return ""


def best_time(database: Database, client_id: int, calendar: Calendar) -> BestTime | None:
    """The call window `client_id` was reached in most often; None without enough data."""
    with database.read() as reads:
        return _best(reads, client_id, calendar)


def time_to_call(database: Database, client_id: int, calendar: Calendar) -> TimeToCall:
    """The client's stated preference (if one of the clinic's windows) and best time."""
    with database.read() as reads:
        stated = reads.value("SELECT preferred_window FROM client WHERE id = :id", id=client_id)
        best = _best(reads, client_id, calendar)
    return TimeToCall(rule.preferred(stated, None, calendar), best)


def _best(reads: Reads, client_id: int, calendar: Calendar) -> BestTime | None:
    calls = reads.all(_CALLS, client=client_id, phone=Channel.PHONE.value)
    found = rule.learned(((sql.utc(at), Outcome(outcome)) for at, outcome in calls), calendar)
    return None if found is None else BestTime(found.window, found.reached, found.tried)
