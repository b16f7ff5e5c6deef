"""The attempt ladder: what one call outcome does to a callback."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TypeGuard

from msgspec import Struct

from callback_tui.domain.hours import Calendar
from callback_tui.domain.vocab import Outcome, Priority, Status

MISSES = frozenset({Outcome.NO_ANSWER, Outcome.BUSY})


class Policy(Struct, frozen=True):
    left_message_completes: bool = True
    max_attempts: int = 3
    urgent_retry_minutes: int = 15


class Decision(Struct, frozen=True):
    status: Status
    next_attempt_at: datetime | None = None
    wrong_number: bool = False
    """Flag the callback and ask the front desk to verify the number."""
    escalate: bool = False
    """Ask the case doctor / clinical team to take over an unreached clinical callback."""
    closing_note: str | None = None
    counted: bool = False
    """Whether the call is one of the tries toward the unreached limit."""


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
    counted: int | None = None,
    early_of: datetime | None = None,
    path_back: str = "",
    escalate_to: str = "the case doctor",
    prefer: str | None = None,
) -> Decision:
    """Apply one outcome, logged at `at`, after the unsuccessful attempts `earlier_misses`.

    `counted` is how many of those count toward the unreached limit (all of them when not
    given). `early_of` is the next try the person chose not to wait for: a miss then is a
    try of its own only in a window not tried yet (see `new_window`).

    The last unsuccessful try closes the callback as unreached, with a closing note that
    keeps `path_back` (what the client was told: how to reach the clinic again); a
    `clinical` one (clinical or referral) escalates, to `escalate_to` as the note says.

    `prefer` is the client's best window (stated, or learned from past calls): a retry goes
    there when no miss used it yet (see `next_attempt`); an urgent item's quick retry still
    comes first.
    """
    if outcome is Outcome.WRONG_NUMBER:
        return Decision(status=Status.OPEN, wrong_number=True)
    if not is_miss(outcome, policy):
        return Decision(status=Status.COMPLETED)
    if early_of is not None and not new_window(at, earlier_misses, calendar):
        return Decision(status=Status.OPEN, next_attempt_at=early_of)
    misses = [*earlier_misses, at]
    tries = (len(earlier_misses) if counted is None else counted) + 1
    if tries >= policy.max_attempts:
        note = closing_note(tries, escalate_to if clinical else None, path_back)
        return Decision(status=Status.UNREACHED, escalate=clinical, closing_note=note, counted=True)
    if priority is Priority.URGENT and tries == 1:
        soon = at + timedelta(minutes=policy.urgent_retry_minutes)
        if _callable(soon, calendar):
            return Decision(status=Status.OPEN, next_attempt_at=soon, counted=True)
        # Closed by then: the first window of the next opening, as any retry.
    return Decision(
        status=Status.OPEN,
        next_attempt_at=next_attempt(at, misses, calendar, prefer),
        counted=True,
    )


def closing_note(tries: int, escalated_to: str | None, path_back: str = "") -> str:
    """The note a callback closes with once the tries run out: how many there were, who it
    was escalated to, and the way back the client was given."""
    note = f"Closed as unreached after {tries} unsuccessful attempts"
    note += f"; escalated to {escalated_to}." if escalated_to else "."
    if path_back:
        note += f" Path back for the client: {path_back}"
    return note


def _callable(instant: datetime, calendar: Calendar) -> bool:
    """Whether the clinic is open at `instant` (before closing time)."""
    local = calendar.local(instant)
    hours = calendar.hours(local.date())
    return hours is not None and local.time().replace(tzinfo=None) in hours


def new_window(at: datetime, earlier_misses: Sequence[datetime], calendar: Calendar) -> bool:
    """Whether a call at `at` falls in a call window no earlier miss used.

    The procedure wants each try in a different time window, so that a client who cannot
    answer at 9 a.m. gets a chance at 5 p.m.; after three such tries (a setting) the callback
    closes as unreached. A second call in a window already tried (the person may call again early:
    the client asked for it, or called in) gives the client no new chance, so when it
    misses it is kept as a call but is not one of those tries. Outside every window it is
    no window's try either.
    """
    window = calendar.window_of(at)
    return window is not None and window not in {calendar.window_of(m) for m in earlier_misses}


def waits(next_at: datetime | None, now: datetime) -> TypeGuard[datetime]:
    """Whether the next try (`next_at`, set after a miss) is still ahead at `now`.

    Until then a call repeats a window already tried: it needs the person's say-so.
    """
    return next_at is not None and now < next_at


def next_try_words(next_at: datetime, now: datetime, calendar: Calendar) -> str:
    """When the next try is, as the desk says it: "Next try is from 17:00 (evening window)"."""
    local = calendar.local(next_at)
    words = f"Next try is from {local:%H:%M}"
    day = _day_words(local.date(), calendar.local(now).date(), future=True)
    if day:
        words += f" {day}"
    window = _opening_window(next_at, calendar)
    if window is not None:
        words += f" ({window} window)"
    return words


def too_early_words(
    next_at: datetime, last_try: datetime | None, now: datetime, calendar: Calendar
) -> str:
    """Why a call now is refused: "Next try is from 17:00 (evening window); this callback
    was tried at 09:12 this morning." """
    words = next_try_words(next_at, now, calendar)
    if last_try is not None:
        local = calendar.local(last_try)
        day = _day_words(local.date(), calendar.local(now).date(), future=False)
        if not day:
            day = "this " + (
                "morning" if local.hour < 12 else "afternoon" if local.hour < 17 else "evening"
            )
        words += f"; this callback was tried at {local:%H:%M} {day}"
    return words + "."


def _day_words(day: date, today: date, *, future: bool) -> str:
    """Nothing for today; "tomorrow" or "yesterday" next to it; else "on Mon 30 Nov"."""
    if day == today:
        return ""
    if day == today + timedelta(days=1 if future else -1):
        return "tomorrow" if future else "yesterday"
    return f"on {day:%a %d %b}"


def _opening_window(instant: datetime, calendar: Calendar) -> str | None:
    """The call window that opens exactly at `instant`, if one does (an urgent item's quick
    retry falls inside a window, and is named by its time alone)."""
    for window, start in calendar.window_starts(instant - timedelta(minutes=1), days=1):
        if start == instant:
            return window
        if start > instant:
            break
    return None


def next_attempt(
    at: datetime, misses: Sequence[datetime], calendar: Calendar, prefer: str | None = None
) -> datetime:
    """The start of the next call window not yet tried; failing that, any other window.

    People who cannot answer at 9 a.m. often can at 5 p.m., so each retry goes to a window
    the earlier misses did not use. The `prefer`red window (the client's best time), when
    neither a miss nor the call at `at` used it, comes first, even if another opens sooner.
    """
    tried = {calendar.window_of(miss) for miss in misses}
    last = calendar.window_of(at)
    if prefer is not None and prefer not in tried and prefer != last:
        for window, start in calendar.window_starts(at):
            if window == prefer:
                return start
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
