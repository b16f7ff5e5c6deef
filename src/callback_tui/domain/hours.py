"""Opening hours, closures and call windows: when the clinic can call."""

from __future__ import annotations

from collections.abc import Container, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from msgspec import Struct

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Span(Struct, frozen=True):
    """A stretch of wall-clock time within one day."""

    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> Span:
        """`"08:00-18:00"` → Span; raises ValueError with a plain reason."""
        try:
            start_text, end_text = text.split("-")
            start = time.fromisoformat(start_text.strip())
            end = time.fromisoformat(end_text.strip())
        except ValueError:
            raise ValueError(f"expected a span like 08:00-18:00, not {text!r}") from None
        if end <= start:
            raise ValueError(f"{text!r} ends before it starts")
        return cls(start, end)

    def __contains__(self, moment: time) -> bool:
        return self.start <= moment < self.end


class CallWindow(Struct, frozen=True):
    name: str
    span: Span


class PublicHolidays(Container[date]):
    """A country's (and region's) public holidays, read a year at a time from the
    `holidays` package when a day of that year is first asked about."""

    def __init__(self, country: str, region: str | None = None) -> None:
        self.country = country
        self.region = region
        self._years: dict[int, dict[date, str]] = {}

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and day in self._year(day.year)

    def name(self, day: date) -> str | None:
        """The holiday's name, as the package gives it; None on an ordinary day."""
        return self._year(day.year).get(day)

    def _year(self, year: int) -> dict[date, str]:
        found = self._years.get(year)
        if found is None:
            found = dict(holidays_of(self.country, self.region, year))
            self._years[year] = found  # two threads may both read a year: same answer
        return found

    def __repr__(self) -> str:
        region = f", {self.region!r}" if self.region else ""
        return f"PublicHolidays({self.country!r}{region})"


def holidays_of(country: str, region: str | None, year: int) -> Mapping[date, str]:
    """The public holidays of one year. Raises ValueError naming an unknown country or region."""
    import holidays  # a large package: only clinics that set a country load it

    try:
        found = holidays.country_holidays(country, subdiv=region, years=year)
    except NotImplementedError:
        if region:
            raise ValueError(
                f"no public holidays known for {country!r} with region {region!r}"
            ) from None
        raise ValueError(f"no public holidays known for country {country!r}") from None
    return {day: str(name) for day, name in found.items()}


@dataclass(frozen=True)
class Calendar:
    """The clinic's week: zone, opening hours, dated closures, public holidays, call windows."""

    tz: tzinfo
    weekly: Mapping[int, Span | None]
    closures: frozenset[date] = frozenset()
    windows: tuple[CallWindow, ...] = ()
    evening_call: time = time(20, 0)
    holidays: Container[date] = field(default=frozenset(), compare=False)
    """Public holidays, on which the clinic is closed (none unless the settings name a country)."""

    def hours(self, day: date) -> Span | None:
        """Opening hours of `day`, or None when the clinic is closed."""
        if day in self.closures or day in self.holidays:
            return None
        return self.weekly.get(day.weekday())

    def closing(self, day: date) -> datetime | None:
        """The closing instant of `day`, or None when the clinic is closed that day."""
        hours = self.hours(day)
        return None if hours is None else self.at(day, hours.end)

    def is_open(self, day: date) -> bool:
        return self.hours(day) is not None

    def next_open_day(self, day: date) -> date:
        """`day` itself when open, else the next open day."""
        for offset in range(0, 400):
            candidate = day + timedelta(days=offset)
            if self.is_open(candidate):
                return candidate
        raise ValueError("the clinic is never open: check opening hours and closures")

    def opening(self, day: date) -> datetime:
        """The opening instant of the first open day from `day` on."""
        open_day = self.next_open_day(day)
        hours = self.hours(open_day)
        assert hours is not None
        return self.at(open_day, hours.start)

    def day_end(self, after: datetime) -> datetime:
        """The end of the working day `after` falls in: today's closing time, or the next
        open day's when the clinic is closed today or has closed already. What "due today"
        means for a task: done before the clinic closes, not this very minute."""
        first_day = self.local(after).date()
        for offset in range(0, 400):
            day = first_day + timedelta(days=offset)
            hours = self.hours(day)
            if hours is not None and self.at(day, hours.end) > after:
                return self.at(day, hours.end)
        raise ValueError("the clinic is never open: check opening hours and closures")

    def local(self, instant: datetime) -> datetime:
        return instant.astimezone(self.tz)

    def at(self, day: date, moment: time) -> datetime:
        """The UTC instant of a wall-clock time on a clinic-local day."""
        return datetime.combine(day, moment).replace(tzinfo=self.tz).astimezone(UTC)

    def window_of(self, instant: datetime) -> str | None:
        """The name of the call window an instant falls in, if any."""
        moment = self.local(instant).time()
        for window in self.windows:
            if moment in window.span:
                return window.name
        return None

    def window_starts(self, after: datetime, days: int = 21) -> Iterator[tuple[str, datetime]]:
        """Upcoming (window, first callable instant) pairs, in time order.

        A window counts on a day only where it overlaps opening hours; it starts at the
        later of its own start and the opening time.
        """
        first_day = self.local(after).date()
        for offset in range(days):
            day = first_day + timedelta(days=offset)
            hours = self.hours(day)
            if hours is None:
                continue
            for window in self.windows:
                start = max(window.span.start, hours.start)
                end = min(window.span.end, hours.end)
                if start >= end:
                    continue
                instant = self.at(day, start)
                if instant > after:
                    yield window.name, instant
