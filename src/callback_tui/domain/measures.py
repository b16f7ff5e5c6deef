"""How the clinic is doing: the scorecard's measures, each defined once.

A period's counts come from the read layer (store/reports.py counts them in SQL, per person
and per pool, in one pass over the period); what is made of them — rates, medians, whether a
goal is met — is here, as pure functions. So are the three facts a callback keeps for the
reports when it is made or first called: its deadline, when it could first be worked, and how
long it then waited for its first call, in open time.

Each `Measure` carries its definition in one sentence; the README lists the same sentences (a
test holds them together).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from callback_tui.domain.hours import Calendar


def deadline(first_due_day: date, target_at: datetime | None, calendar: Calendar) -> datetime:
    """When a callback is late: a message's response target; a visit callback's end of the day
    it is first due (clinic midnight)."""
    if target_at is not None:
        return target_at
    return calendar.at(first_due_day + timedelta(days=1), time(0, 0))


def ready_at(
    created_at: datetime,
    base_at: datetime,
    first_due_day: date,
    target_at: datetime | None,
    calendar: Calendar,
) -> datetime:
    """When a callback could first be worked: a message from when it was received (`base_at`,
    where its response target counts from); a visit callback from the opening of the day it
    is first due, and not before it was made."""
    if target_at is not None:
        return base_at
    return max(created_at, calendar.opening(first_due_day))


def open_minutes(start: datetime, end: datetime, calendar: Calendar) -> int:
    """Whole minutes the clinic is open between two instants (0 when `end` is not later)."""
    return OpenTime(calendar).minutes(start, end)


class OpenTime:
    """Open time between instants, for one pair or for many (an upgrade works out a wait for
    every callback on file): each day's opening hours are looked up once, and the whole days
    between two instants are summed from a running total, not day by day."""

    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self._anchor: date | None = None
        """The first day asked about: running totals go forward and back from it."""
        self._ahead: list[int] = []
        """Seconds open on the days from the anchor through anchor + i."""
        self._behind: list[int] = [0]
        """Seconds open on the i days just before the anchor."""

    def minutes(self, start: datetime, end: datetime) -> int:
        if end <= start:
            return 0
        calendar = self.calendar
        first, last = calendar.local(start).date(), calendar.local(end).date()
        seconds = self._within(first, start, end)
        if last != first:
            seconds += self._within(last, start, end)
        if (last - first).days > 1:  # whole days between (no zone change within their hours)
            seconds += self._through(last - timedelta(days=1)) - self._through(first)
        return int(seconds // 60)

    def _within(self, day: date, start: datetime, end: datetime) -> float:
        """Seconds the clinic is open on `day` between `start` and `end`."""
        hours = self.calendar.hours(day)
        if hours is None:
            return 0.0
        opens, closes = self.calendar.at(day, hours.start), self.calendar.at(day, hours.end)
        return max(0.0, (min(closes, end) - max(opens, start)).total_seconds())

    def _day(self, day: date) -> int:
        """Seconds open on `day`."""
        hours = self.calendar.hours(day)
        if hours is None:
            return 0
        length = datetime.combine(day, hours.end) - datetime.combine(day, hours.start)
        return int(length.total_seconds())

    def _through(self, day: date) -> int:
        """Seconds open from the anchor through `day` (less what lies between `day` and the
        anchor, for a day before it): the difference of two is the time open between."""
        if self._anchor is None:
            self._anchor = day
        offset = (day - self._anchor).days
        if offset >= 0:
            while len(self._ahead) <= offset:
                known = self._anchor + timedelta(days=len(self._ahead))
                self._ahead.append((self._ahead[-1] if self._ahead else 0) + self._day(known))
            return self._ahead[offset]
        back = -offset - 1  # the days after `day`, before the anchor
        while len(self._behind) <= back:
            known = self._anchor - timedelta(days=len(self._behind))
            self._behind.append(self._behind[-1] + self._day(known))
        return -self._behind[back]


def wait_minutes(
    ready: datetime, first_try: datetime, calendar: Calendar, open_time: OpenTime | None = None
) -> int:
    """How long a callback waited for its first call: open minutes from `ready` (0 when it
    was called before then). `open_time` serves many such questions on one calendar."""
    return (open_time or OpenTime(calendar)).minutes(ready, first_try)


@dataclass(frozen=True)
class Tally:
    """What one scope (the clinic, a person, a pool) did in one period: counts, and the waits
    behind the time to first attempt. Made by the read layer; every measure is made of it."""

    created: int = 0
    """Callbacks made in the period."""
    completed: int = 0
    """Callbacks completed in the period."""
    on_time: int = 0
    """Of those, completed by their deadline."""
    first_call: int = 0
    """Of those, completed on their first attempt."""
    unreached: int = 0
    """Callbacks closed as unreached in the period."""
    escalations: int = 0
    """Of those, handed to the clinical team."""
    overdue: int = 0
    """Open callbacks past their due day or response target now, as the report is made."""
    calls: int = 0
    """Phone calls made in the period."""
    reached: int = 0
    """Of those, the ones where somebody was spoken to."""
    booked: int = 0
    """Calls in the period that booked an appointment."""
    wrong_numbers: int = 0
    dnc_overrides: int = 0
    """Calls made in the period to a client marked do-not-call (with a justification)."""
    waits: tuple[int, ...] = ()
    """Open minutes each callback first called in the period waited for that call."""
    within_target: int = 0
    """Of those first calls, the ones made by the callback's deadline."""
    old_drafts: int = 0
    """Drafts waiting more than 24 hours now."""
    incidents_opened: int = 0
    incidents_closed: int = 0
    close_hours: tuple[float, ...] = ()
    """Hours from opening to closing, for each incident closed in the period."""
    replies_posted: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(Tally)}
        )


def rate(part: int, whole: int) -> float | None:
    """`part` of `whole` as a share from 0 to 1; None when there is nothing to share."""
    return part / whole if whole else None


def percentile(values: Sequence[float], share: float) -> float | None:
    """The nearest-rank percentile: the smallest value with at least `share` of the values at
    or below it. None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); None for none."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


class Unit(StrEnum):
    COUNT = "count"
    SHARE = "share"
    MINUTES = "minutes"
    HOURS = "hours"


class Better(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    definition: str
    """One sentence, as the README gives it."""
    unit: Unit
    value: Callable[[Tally], float | None]
    better: Better = Better.HIGHER
    goal_key: str | None = field(default=None)
    """The settings key of its goal (`[goals]`), when it can have one."""

    def misses(self, value: float | None, goals: Mapping[str, float]) -> bool:
        """Whether `value` misses this measure's goal (never when either is unknown).
        A share's goal is a percentage."""
        goal = goals.get(self.goal_key) if self.goal_key else None
        if goal is None or value is None:
            return False
        if self.unit is Unit.SHARE:
            goal = goal / 100
        return value < goal if self.better is Better.HIGHER else value > goal


def _count(name: str) -> Callable[[Tally], float | None]:
    return lambda tally: getattr(tally, name)


MEASURES: tuple[Measure, ...] = (
    Measure("created", "Created",
            "Created: callbacks made in the period, from visits and messages.",
            Unit.COUNT, _count("created")),
    Measure("completed", "Completed", "Completed: callbacks closed as completed in the period.",
            Unit.COUNT, _count("completed")),
    Measure("on_time", "Completed on time",
            "Completed on time: the share of those completed by their deadline (a message's"
            " response target, the end of a visit callback's first due day).",
            Unit.SHARE, lambda t: rate(t.on_time, t.completed), goal_key="on_time"),
    Measure("overdue", "Overdue now",
            "Overdue now: open callbacks past their due day, or messages past their response"
            " target with no call yet, as the report is made.",
            Unit.COUNT, _count("overdue"), Better.LOWER, goal_key="overdue"),
    Measure("wait_median", "First call, median",
            "Time to first attempt: open time from when a callback could first be worked (a"
            " message when it was received, a visit callback when its due day opens) to its first"
            " call,"
            " median and 90th percentile, over the callbacks first called in the period.",
            Unit.MINUTES, lambda t: median(t.waits), Better.LOWER, goal_key="wait_median"),
    Measure("wait_p90", "First call, 90th pct", "", Unit.MINUTES,
            lambda t: percentile(t.waits, 0.9), Better.LOWER),
    Measure("within_target", "First call within target",
            "Within target: the share of those first calls made by the callback's deadline.",
            Unit.SHARE, lambda t: rate(t.within_target, len(t.waits)), goal_key="within_target"),
    Measure("reach_rate", "Reach rate",
            "Reach rate: phone calls in the period where somebody was spoken to, out of all phone"
            " calls made.",
            Unit.SHARE, lambda t: rate(t.reached, t.calls), goal_key="reach_rate"),
    Measure("first_call", "First-call resolution",
            "First-call resolution: the share of completed callbacks completed on their first"
            " attempt.",
            Unit.SHARE, lambda t: rate(t.first_call, t.completed), goal_key="first_call"),
    Measure("booking_rate", "Booking rate",
            "Booking rate: calls that booked an appointment, out of the calls where somebody was"
            " spoken to.",
            Unit.SHARE, lambda t: rate(t.booked, t.reached), goal_key="booking_rate"),
    Measure("unreached", "Unreached closures",
            "Unreached closures: callbacks closed as unreached in the period.",
            Unit.COUNT, _count("unreached"), Better.LOWER),
    Measure("wrong_numbers", "Wrong numbers",
            "Wrong numbers: calls in the period that reached a wrong number.",
            Unit.COUNT, _count("wrong_numbers"), Better.LOWER),
    Measure("escalations", "Escalations",
            "Escalations: unreached clinical callbacks handed to the clinical team in the period.",
            Unit.COUNT, _count("escalations"), Better.LOWER),
    Measure("dnc_overrides", "Do-not-call overrides",
            "Do-not-call overrides: calls in the period to a client marked do-not-call, each with"
            " its written justification.",
            Unit.COUNT, _count("dnc_overrides"), Better.LOWER),
    Measure("old_drafts", "Drafts over 24 h",
            "Drafts over 24 h: notes still waiting as drafts more than 24 hours after they were"
            " written, now.",
            Unit.COUNT, _count("old_drafts"), Better.LOWER, goal_key="old_drafts"),
    Measure("incidents_opened", "Incidents opened",
            "Incidents opened / closed: upset-patient incidents opened, and closed, in the period.",
            Unit.COUNT, _count("incidents_opened")),
    Measure("incidents_closed", "Incidents closed", "", Unit.COUNT, _count("incidents_closed")),
    Measure("close_median", "Incident close, median",
            "Time to close: the median hours from opening to closing of the incidents closed in"
            " the period.",
            Unit.HOURS, lambda t: median(t.close_hours), Better.LOWER),
    Measure("replies_posted", "Review replies posted",
            "Review replies posted: replies to online reviews posted in the period.",
            Unit.COUNT, _count("replies_posted")),
)  # fmt: skip
"""The scorecard, in the order it is shown. A measure with no definition of its own is the
second half of the one before it (the 90th percentile, incidents closed)."""

BY_KEY: Mapping[str, Measure] = {measure.key: measure for measure in MEASURES}

DEFAULT_GOALS: Mapping[str, float] = {
    "first_call": 80,
    "within_target": 90,
    "on_time": 90,
    "wait_median": 120,
    "old_drafts": 0,
}
"""Goals where the clinic sets none: first-call resolution at least 80 %, first calls within
their target at least 90 %, completed on time at least 90 %, the median first call within two
open hours, no draft waiting more than a day. A share's goal is a percentage."""

GOAL_KEYS = tuple(measure.goal_key for measure in MEASURES if measure.goal_key)


def shown(measure: Measure, value: float | None) -> str:
    """A measure's value as the screen and the table print it: "—" when there is none."""
    if value is None:
        return "—"
    if measure.unit is Unit.SHARE:
        return f"{value * 100:.0f} %"
    if measure.unit is Unit.MINUTES:
        return duration(value)
    if measure.unit is Unit.HOURS:
        return f"{value:.1f} h"
    return f"{value:.0f}"


def duration(minutes: float) -> str:
    """Open minutes as the desk reads them: "45 min", "2 h 05", "3 d 4 h" (of 24 h days)."""
    whole = round(minutes)
    if whole < 60:
        return f"{whole} min"
    hours, rest = divmod(whole, 60)
    if hours < 24:
        return f"{hours} h {rest:02d}"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def goal_words(measure: Measure, goals: Mapping[str, float]) -> str:
    """A measure's goal as the screen prints it ("≥ 80 %", "≤ 2 h 00"), or "" for none."""
    goal = goals.get(measure.goal_key) if measure.goal_key else None
    if goal is None:
        return ""
    sign = "≥" if measure.better is Better.HIGHER else "≤"
    if measure.unit is Unit.SHARE:
        return f"{sign} {goal:.0f} %"
    if measure.unit is Unit.MINUTES:
        return f"{sign} {duration(goal)}"
    return f"{sign} {goal:.0f}"
