"""Turn a visit or phone concern into the callbacks the clinic owes, with owners and due times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from callback_tui.domain.hours import Calendar
from callback_tui.domain.profile import CallbackRule, Profile


@dataclass(frozen=True)
class Visit:
    """What the rules need to know about one visit, discharge or call."""

    reason: str
    occurred_at: datetime
    """The base time (UTC): discharge for procedures, else the appointment or call."""
    assisted_by: str
    doctor: str
    doctor_calls: bool = False
    interval_days: int | None = None


@dataclass(frozen=True)
class Due:
    """When a callback is due: the list day it belongs to and the time that orders it."""

    at: datetime
    """UTC; the opening time of the next open day when the rule's day was closed."""
    day: date
    """The clinic-local day whose list holds the callback."""
    original_day: date | None = None
    """The rule's own day, kept when a closed day moved it."""


@dataclass(frozen=True)
class PlannedCallback:
    kind: str
    label: str
    owner: str
    due: Due


def plan(visit: Visit, profile: Profile, calendar: Calendar) -> list[PlannedCallback]:
    """The callbacks `visit` creates under `profile`.

    Raises ValueError for an unknown reason, or an interval the reason does not take.
    """
    reason = profile.reason(visit.reason)
    if visit.interval_days is not None and not any(r.doctor_interval for r in reason.callbacks):
        raise ValueError(f"a doctor's interval does not apply to {reason.label.lower()} callbacks")
    return [
        PlannedCallback(
            kind=rule.kind,
            label=rule.label,
            owner=_owner(rule, visit),
            due=settle(_rule_due(rule, visit, calendar), calendar),
        )
        for rule in reason.callbacks
    ]


def _owner(rule: CallbackRule, visit: Visit) -> str:
    if visit.doctor_calls and rule.doctor_may_call:
        return visit.doctor
    if rule.owner == "assisted_by":
        return visit.assisted_by
    if rule.owner == "doctor":
        return visit.doctor
    return rule.owner


def _rule_due(rule: CallbackRule, visit: Visit, calendar: Calendar) -> datetime:
    base = visit.occurred_at.astimezone(UTC)
    if visit.doctor_calls and rule.doctor_may_call and rule.doctor_calls_at == "evening":
        return calendar.at(calendar.local(base).date(), calendar.evening_call)
    if rule.doctor_interval and visit.interval_days is not None:
        return _after_days(base, visit.interval_days, calendar)
    if rule.after_hours is not None:
        return base + timedelta(hours=rule.after_hours)
    assert rule.after_days is not None  # the profile guarantees one of the two
    return _after_days(base, rule.after_days, calendar)


def _after_days(base: datetime, days: int, calendar: Calendar) -> datetime:
    # Whole days count on the wall clock, so a DST change does not shift the hour.
    local = calendar.local(base)
    naive = local.replace(tzinfo=None) + timedelta(days=days)
    return naive.replace(tzinfo=calendar.tz).astimezone(UTC)


def settle(due_at: datetime, calendar: Calendar) -> Due:
    """Place a due time on an open day's list.

    A due time on a closed day (weekly or dated) moves to the opening of the next open day,
    and the original day is kept. On an open day it stays, even after closing time.
    """
    day = calendar.local(due_at).date()
    if calendar.is_open(day):
        return Due(at=due_at, day=day)
    opening = calendar.opening(day)
    return Due(at=opening, day=calendar.local(opening).date(), original_day=day)
