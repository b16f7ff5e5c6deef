"""The attempt ladder: what one call outcome does to a callback."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from callback_tui.domain.hours import Calendar
from callback_tui.domain.vocab import Outcome, Priority, Status

MISSES = frozenset({Outcome.NO_ANSWER, Outcome.BUSY})


@dataclass(frozen=True)
class Policy:
    left_message_completes: bool = True
    max_attempts: int = 3
    urgent_retry_minutes: int = 15


@dataclass(frozen=True)
class Decision:
    status: Status
    next_attempt_at: datetime | None = None
    wrong_number: bool = False
    """Flag the callback and ask the front desk to verify the number."""
    escalate: bool = False
    """Ask the case doctor / clinical team to take over an unreached clinical callback."""
    closing_note: str | None = None


def is_miss(outcome: Outcome, policy: Policy) -> bool:
    """Whether an outcome counts towards the unreached limit."""
    if outcome is Outcome.LEFT_MESSAGE:
        return not policy.left_message_completes
    return outcome in MISSES


def decide(
    outcome: Outcome,
    at: datetime,
    earlier_misses: Sequence[datetime],
    *,
    priority: Priority,
    clinical: bool,
    policy: Policy,
    calendar: Calendar,
) -> Decision:
    """Apply one outcome, logged at `at`, after the unsuccessful attempts `earlier_misses`."""
    if outcome is Outcome.WRONG_NUMBER:
        return Decision(status=Status.OPEN, wrong_number=True)
    if not is_miss(outcome, policy):
        return Decision(status=Status.COMPLETED)
    misses = [*earlier_misses, at]
    if len(misses) >= policy.max_attempts:
        note = f"Closed as unreached after {len(misses)} unsuccessful attempts" + (
            "; escalated to the case doctor." if clinical else "."
        )
        return Decision(status=Status.UNREACHED, escalate=clinical, closing_note=note)
    if priority is Priority.URGENT and len(misses) == 1:
        return Decision(
            status=Status.OPEN, next_attempt_at=at + timedelta(minutes=policy.urgent_retry_minutes)
        )
    return Decision(status=Status.OPEN, next_attempt_at=next_attempt(at, misses, calendar))


def next_attempt(at: datetime, misses: Sequence[datetime], calendar: Calendar) -> datetime:
    """The start of the next call window not yet tried; failing that, any other window.

    People who cannot answer at 9 a.m. often can at 5 p.m., so each retry goes to a window
    the earlier misses did not use.
    """
    tried = {calendar.window_of(miss) for miss in misses}
    last = calendar.window_of(at)
    fallback: datetime | None = None
    for window, start in calendar.window_starts(at):
        if window not in tried:
            return start
        if fallback is None and window != last:
            fallback = start
    if fallback is not None:
        return fallback
    # No call windows fall within opening hours: try again on the next open day.
    return calendar.opening(calendar.local(at).date() + timedelta(days=1))
