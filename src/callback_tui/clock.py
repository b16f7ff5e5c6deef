"""The one place that knows what time it is.

Everything else asks a `Clock` for "now" and for the clinic's local date, so tests,
snapshots and demos can pin time. Times are kept in UTC and shown in the clinic's zone.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

NOW_ENV = "CALLBACK_TUI_NOW"
"""An ISO 8601 instant that pins the clock (training sessions, demos, scripted tests)."""


def zone(name: str | None) -> tzinfo:
    """The clinic's time zone by IANA name; the machine's own zone when no name is set.

    Named zones come from the standard library (the system's zone data, or the tzdata
    package); only the machine's own zone needs dateutil, imported when asked for.
    """
    if not name:
        return _machine_zone()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}") from None


def _machine_zone() -> tzinfo:
    from dateutil import tz as dateutil_tz

    return dateutil_tz.tzlocal()


@dataclass
class Clock:
    """Real time, seen from the clinic's time zone."""

    tz: tzinfo = field(default_factory=_machine_zone)

    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        return datetime.now(UTC)

    def local_now(self) -> datetime:
        return self.now().astimezone(self.tz)

    def today(self) -> date:
        """The clinic's local date: what "today" means for the queue."""
        return self.local_now().date()


@dataclass
class FixedClock(Clock):
    """A clock that stands still (tests, snapshots) until told to move."""

    instant: datetime = field(default_factory=lambda: datetime(2026, 1, 1, tzinfo=UTC))

    def __post_init__(self) -> None:
        self.instant = as_utc(self.instant)

    def now(self) -> datetime:
        return self.instant

    def advance(self, **delta: float) -> None:
        self.instant += timedelta(**delta)


def as_utc(instant: datetime) -> datetime:
    """Aware UTC. Naive values are taken as UTC (that is how the database keeps them)."""
    if instant.tzinfo is None:
        return instant.replace(tzinfo=UTC)
    return instant.astimezone(UTC)


def make_clock(tz_name: str | None) -> Clock:
    """The app's clock: real time, unless CALLBACK_TUI_NOW pins it."""
    clinic_tz = zone(tz_name)
    pinned = os.environ.get(NOW_ENV)
    if pinned:
        try:
            instant = datetime.fromisoformat(pinned)
        except ValueError as exc:
            raise ValueError(f"{NOW_ENV}={pinned!r} is not an ISO 8601 time") from exc
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=clinic_tz)
        return FixedClock(tz=clinic_tz, instant=instant)
    return Clock(tz=clinic_tz)


def real_now() -> datetime:
    """The machine's real time, aware UTC, whatever a pinned clock says.

    The audit trail records when a change really happened: a pinned clock (demos,
    training) moves the business day, never the time an event records.
    """
    return datetime.now(UTC)
