"""Response targets: by when a message must be answered, counted in the clinic's open hours.

Urgent messages are answered within an hour, routine ones within four, informational ones
within a business day (settings). Only open hours count: a routine voicemail left at 17:00
on a clinic closing at 18:00 has one hour that day and three the next morning; one left
after closing starts counting at the next opening. Closed days (the week's, dated closures,
public holidays) count for nothing.

Instants are aware UTC and every step is taken from the calendar's wall-clock opening
hours, so a daylight-saving change never moves a target by an hour.

A target may fall exactly at closing time: "within four hours" of 14:00 on a clinic closing
at 18:00 is 18:00 that day, not the next morning.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta

from msgspec import Struct

from callback_tui.domain.hours import Calendar
from callback_tui.domain.vocab import Priority

_SEARCH_DAYS = 800
"""How far ahead an open day is looked for before the calendar is taken as never open."""

_ALLOWANCE = re.compile(r"^\s*(\d{1,4})\s*(m|h|d)\s*$")


class Allowance(Struct, frozen=True):
    """How long a message may wait: open time (hours or minutes), or business days."""

    open_time: timedelta | None = None
    business_days: int | None = None

    @classmethod
    def parse(cls, text: str) -> Allowance:
        """`"90m"`, `"4h"` (open time) or `"1d"` (business days); ValueError says why not."""
        found = _ALLOWANCE.match(text)
        if not found:
            raise ValueError(
                f"use minutes, hours or business days, such as 30m, 4h or 1d (got {text!r})"
            )
        amount, unit = int(found.group(1)), found.group(2)
        if unit == "d":
            if not 1 <= amount <= 30:
                raise ValueError(f"business days must be between 1 and 30 (got {text!r})")
            return cls(business_days=amount)
        minutes = amount * 60 if unit == "h" else amount
        if not 1 <= minutes <= 30 * 24 * 60:
            raise ValueError(f"open time must be between 1 minute and 720 hours (got {text!r})")
        return cls(open_time=timedelta(minutes=minutes))

    def __str__(self) -> str:
        if self.business_days is not None:
            days = self.business_days
            return f"{days} business day" + ("s" if days != 1 else "")
        assert self.open_time is not None
        minutes = int(self.open_time.total_seconds() // 60)
        if minutes % 60:
            return f"{minutes} open minutes"
        hours = minutes // 60
        return f"{hours} open hour" + ("s" if hours != 1 else "")


DEFAULT_TARGETS: Mapping[Priority, str] = {
    Priority.URGENT: "1h",
    Priority.ROUTINE: "4h",
    Priority.INFORMATIONAL: "1d",
}
"""The procedure's response targets by priority (settings may change them)."""


class Targets(Struct, frozen=True):
    """The response target of each priority."""

    by_priority: Mapping[Priority, Allowance]

    @classmethod
    def parse(cls, texts: Mapping[str, str]) -> Targets:
        """From the settings' texts by priority name; priorities not named keep the default."""
        merged = {**DEFAULT_TARGETS, **{Priority(key): text for key, text in texts.items()}}
        return cls({priority: Allowance.parse(text) for priority, text in merged.items()})

    def allowance(self, priority: Priority) -> Allowance:
        return self.by_priority[priority]


def response_target(
    received_at: datetime, priority: Priority, targets: Targets, calendar: Calendar
) -> datetime:
    """By when a message received at `received_at` must be answered (aware UTC)."""
    return after(received_at, targets.allowance(priority), calendar)


def after(start: datetime, allowance: Allowance, calendar: Calendar) -> datetime:
    """`start` plus an allowance: open time, or business days."""
    if allowance.business_days is not None:
        return add_business_days(start, allowance.business_days, calendar)
    assert allowance.open_time is not None
    return add_open_time(start, allowance.open_time, calendar)


def add_open_time(start: datetime, amount: timedelta, calendar: Calendar) -> datetime:
    """`start` plus `amount` of the clinic's open time.

    Counting starts at `start` when the clinic is open then (closing time included), else
    at the next opening. Adding a and then b is adding a + b, and a later start never gives
    an earlier result.
    """
    if amount < timedelta(0):
        raise ValueError("open time to add cannot be negative")
    start = start.astimezone(UTC)  # aware arithmetic in a local zone would add wall-clock time
    remaining = amount
    first_day = calendar.local(start).date()
    for offset in range(_SEARCH_DAYS):
        day = first_day + timedelta(days=offset)
        hours = calendar.hours(day)
        if hours is None:
            continue
        opens, closes = calendar.at(day, hours.start), calendar.at(day, hours.end)
        if closes < start:
            continue
        begin = max(start, opens)
        room = closes - begin
        if remaining <= room:
            return begin + remaining
        remaining -= room
    raise ValueError("the clinic is never open: check opening hours, closures and holidays")


def add_business_days(start: datetime, days: int, calendar: Calendar) -> datetime:
    """`days` business days after `start`: the same time of day on the `days`-th open day
    after it, or that day's closing time when it closes earlier.

    A message that comes while the clinic is closed (or just as it opens) starts at the
    next opening, which counts as the close of the day before: its first business day is
    the whole of that open day, and its target that day's closing time.
    """
    if days < 1:
        raise ValueError("business days to add must be at least 1")
    start = start.astimezone(UTC)
    local = calendar.local(start)
    day = local.date()
    hours = calendar.hours(day)
    if hours is not None and calendar.at(day, hours.start) < start <= calendar.at(day, hours.end):
        wall = min(local.time().replace(tzinfo=None), hours.end)
        target_day = _open_days_after(day, days, calendar)
        return _at_or_closing(target_day, wall, calendar)
    opening = _next_opening(start, calendar)
    first = calendar.local(opening).date()
    target_day = _open_days_after(first, days - 1, calendar) if days > 1 else first
    closes = calendar.closing(target_day)
    assert closes is not None  # an open day
    return closes


def is_open_at(instant: datetime, calendar: Calendar) -> bool:
    """Whether `instant` is within the day's open hours, opening and closing time included."""
    local = calendar.local(instant)
    hours = calendar.hours(local.date())
    if hours is None:
        return False
    day = local.date()
    return calendar.at(day, hours.start) <= instant <= calendar.at(day, hours.end)


def _next_opening(start: datetime, calendar: Calendar) -> datetime:
    """The first opening at or after `start`."""
    first_day = calendar.local(start).date()
    for offset in range(_SEARCH_DAYS):
        day = first_day + timedelta(days=offset)
        hours = calendar.hours(day)
        if hours is not None and calendar.at(day, hours.start) >= start:
            return calendar.at(day, hours.start)
    raise ValueError("the clinic is never open: check opening hours, closures and holidays")


def _open_days_after(day: date, count: int, calendar: Calendar) -> date:
    """The `count`-th open day after `day` (`day` itself when count is 0)."""
    found = day
    for _ in range(count):
        found = calendar.next_open_day(found + timedelta(days=1))
    return found


def _at_or_closing(day: date, wall: time, calendar: Calendar) -> datetime:
    """`wall` o'clock on open day `day`, kept within its opening hours."""
    hours = calendar.hours(day)
    assert hours is not None
    return calendar.at(day, min(max(wall, hours.start), hours.end))
