"""Reading a visit (a form or an import row) into something the rules can use.

The form and the importer share this, so both refuse the same mistakes in the same words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from enum import StrEnum
from functools import cache
from typing import TypeVar

from dateutil import tz as dateutil_tz

from callback_tui.domain import phones, rules, text
from callback_tui.domain.hours import Calendar
from callback_tui.domain.profile import Profile
from callback_tui.domain.rules import Visit
from callback_tui.domain.vocab import Priority, Role, Source

REQUIRED = ("occurred_at", "reason", "patient", "client", "phone", "assisted_by", "doctor")
OPTIONAL = (
    "source_id", "source", "species", "doctor_calls", "interval_days", "priority", "notes", "owner",
)  # fmt: skip
CLIENT_COLUMNS = ("voicemail_ok", "text_ok", "do_not_call", "preferred_window")
"""What a row may say of a new client besides name and phone. Left out, nothing is assumed:
no voicemail, no texts (consent must be known before a message is left), calls allowed, any
time of day."""
COLUMNS = REQUIRED + OPTIONAL + CLIENT_COLUMNS

T = TypeVar("T")

_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}


@dataclass(frozen=True)
class VisitForm:
    """A checked visit: the rules' Visit plus who and what it is about."""

    visit: Visit
    source_id: str | None
    source: Source
    priority: Priority
    patient: str
    species: str | None
    client: str
    phone: str
    """E.164."""
    notes: str
    owner: str | None
    """An explicit owner that overrides the rules (the form only)."""
    planned: tuple[rules.PlannedCallback, ...]
    """The callbacks the rules make of it, worked out once while checking it."""
    voicemail_ok: bool | None = None
    """What the row says of the client's consent (CLIENT_COLUMNS); None: not said."""
    text_ok: bool | None = None
    do_not_call: bool | None = None
    preferred_window: str | None = None
    """One of the clinic's call windows, by name."""

    @property
    def identity(self) -> tuple[str, str, str, datetime, str]:
        """What tells this visit apart when it comes without a source_id: its client (by
        phone and name), its patient, when it happened and why. Names in any case, the time
        in any zone: the desk keeps one client, one patient per name whatever the case."""
        return (
            self.phone,
            self.client.casefold(),
            self.patient.casefold(),
            self.visit.occurred_at.astimezone(UTC),
            self.visit.reason,
        )


Problems = list[tuple[str, str]]
"""(field, what is wrong) pairs, in field order."""


class _Fields:
    """Reads fields one by one, collecting every problem instead of stopping at the first."""

    def __init__(self, fields: Mapping[str, str | None]) -> None:
        self._fields = fields
        self.problems: Problems = []

    def raw(self, name: str) -> str:
        return (self._fields.get(name) or "").strip()

    def take(self, name: str, parse: Callable[[str], T], *, required: bool = False) -> T | None:
        raw = self.raw(name)
        if not raw and required:
            self.problems.append((name, "a value is required"))
            return None
        try:
            return parse(raw)
        except ValueError as exc:
            self.problems.append((name, str(exc)))
            return None


def read_visit(
    fields: Mapping[str, str | None],
    *,
    profile: Profile,
    staff: Mapping[str, Role],
    calendar: Calendar,
    region: str,
) -> tuple[VisitForm | None, Problems]:
    """Check every field; return the visit, or None with every problem found."""
    f = _Fields(fields)
    source_id = f.take("source_id", _optional_name)
    occurred_at = f.take("occurred_at", lambda raw: parse_time(raw, calendar.tz), required=True)
    source = f.take("source", lambda raw: Source(_choice(raw or "visit", Source)))
    reason = f.take("reason", lambda raw: _reason(raw, profile), required=True)
    patient = f.take("patient", _name, required=True)
    client = f.take("client", _name, required=True)
    phone = f.take("phone", lambda raw: phones.normalise(raw, region), required=True)
    species = f.take("species", _optional_name)
    assisted_by = f.take("assisted_by", lambda raw: _known(raw, staff), required=True)
    doctor = f.take("doctor", lambda raw: _doctor(raw, staff), required=True)
    doctor_calls = f.take("doctor_calls", _yes_no)
    interval = f.take("interval_days", _interval)
    priority = f.take("priority", lambda raw: Priority(_choice(raw or "routine", Priority)))
    notes = f.take("notes", lambda raw: text.clean(raw, limit=text.NOTE_LIMIT, multiline=True))
    owner = f.take("owner", lambda raw: _owner(raw, staff, profile) if raw else None)
    voicemail_ok = f.take("voicemail_ok", _said_yes_no)
    text_ok = f.take("text_ok", _said_yes_no)
    do_not_call = f.take("do_not_call", _said_yes_no)
    window = f.take("preferred_window", lambda raw: window_named(raw, calendar))

    if interval is not None and reason is not None:
        chosen = profile.reasons[reason]
        if not any(rule.doctor_interval for rule in chosen.callbacks):
            f.problems.append(
                ("interval_days", f"a doctor's interval does not apply to {chosen.label.lower()}")
            )

    if f.problems:
        order = {name: index for index, name in enumerate(COLUMNS)}
        return None, sorted(f.problems, key=lambda problem: order.get(problem[0], len(order)))
    assert occurred_at and reason and patient and client and phone and assisted_by and doctor
    visit = Visit(
        reason=reason,
        occurred_at=occurred_at,
        assisted_by=assisted_by,
        doctor=doctor,
        doctor_calls=bool(doctor_calls),
        interval_days=interval,
    )
    try:
        planned = tuple(rules.plan(visit, profile, calendar))
    except OverflowError:
        # Every field is fine, but a due date would fall past the last day a datetime holds.
        raw = f.raw("occurred_at")
        return None, [("occurred_at", f"{raw!r} is too far in the future to place its callbacks")]
    form = VisitForm(
        visit=visit,
        source_id=source_id,
        source=source or Source.VISIT,
        priority=priority or Priority.ROUTINE,
        patient=patient,
        species=species,
        client=client,
        phone=phone,
        notes=notes or "",
        owner=owner,
        planned=planned,
        voicemail_ok=voicemail_ok,
        text_ok=text_ok,
        do_not_call=do_not_call,
        preferred_window=window,
    )
    return form, []


def parse_time(raw: str, tz: tzinfo, today: date | None = None) -> datetime:
    """A time typed at the desk or in a file, as aware UTC: ISO 8601, or `YYYY-MM-DD HH:MM`
    in clinic time; given `today`, a bare `HH:MM` is that time today."""
    typed = raw.strip()
    if today is not None and len(typed) <= 5:
        typed = f"{today.isoformat()} {typed.zfill(5)}"
    try:
        parsed = datetime.fromisoformat(typed)
    except ValueError:
        shape = "HH:MM, or YYYY-MM-DD HH:MM" if today is not None else "YYYY-MM-DD HH:MM"
        raise ValueError(f"{raw!r} is not a date and time (use {shape})") from None
    try:
        return _instant(parsed, tz)
    except OverflowError:
        # Within a day of year 1 or 9999, the zone's offset carries it out of range.
        when = "past" if parsed.year < 5000 else "future"
        raise ValueError(f"{raw!r} is too far in the {when}") from None


def _instant(parsed: datetime, tz: tzinfo) -> datetime:
    """`parsed` as aware UTC; without an offset it is wall-clock time in `tz`."""
    if parsed.tzinfo is not None:
        return parsed.astimezone(UTC)
    if not dateutil_tz.datetime_exists(parsed, tz):
        raise ValueError(
            f"{parsed:%H:%M} does not exist on {parsed:%Y-%m-%d} (the clocks went forward)"
        )
    # A time the clocks pass twice (they went back) is taken at its first passing: fold=0.
    return parsed.replace(tzinfo=tz, fold=0).astimezone(UTC)


def _reason(raw: str, profile: Profile) -> str:
    key = raw.lower()
    if key not in profile.reasons:
        raise ValueError(f"unknown reason {raw!r} (one of: {', '.join(profile.reasons)})")
    return key


def _optional_name(raw: str) -> str | None:
    return _name(raw) if raw else None


def _name(raw: str) -> str:
    try:
        cleaned = text.clean(raw, limit=text.NAME_LIMIT)
    except ValueError as exc:
        raise ValueError(f"too long: {exc}") from None
    if not cleaned:
        raise ValueError("a value is required")
    return cleaned


def _known(raw: str, staff: Mapping[str, Role]) -> str:
    initials = raw.upper()
    if initials not in staff:
        raise ValueError(f"unknown initials {raw!r} (add them with `staff add`)")
    return initials


def _doctor(raw: str, staff: Mapping[str, Role]) -> str:
    initials = _known(raw, staff)
    if staff[initials] is not Role.DOCTOR:
        raise ValueError(f"{initials} is not a doctor")
    return initials


def _owner(raw: str, staff: Mapping[str, Role], profile: Profile) -> str:
    initials = raw.upper()
    return initials if initials in profile.pools else _known(raw, staff)


def _choice(raw: str, kind: type[StrEnum]) -> str:
    allowed = _values(kind)
    lowered = raw.lower()
    if lowered not in allowed:
        raise ValueError(f"{raw!r} is not one of: {', '.join(allowed)}")
    return lowered


@cache
def _values(kind: type[StrEnum]) -> tuple[str, ...]:
    """Its members' values, in order (asked once per field of every row of an import)."""
    return tuple(member.value for member in kind)


def _yes_no(raw: str) -> bool:
    lowered = raw.lower()
    if lowered in _YES:
        return True
    if lowered in _NO:
        return False
    raise ValueError(f"{raw!r}: use yes or no")


def _said_yes_no(raw: str) -> bool | None:
    """yes or no; None when the value is empty (not said)."""
    return _yes_no(raw) if raw else None


def window_named(raw: str, calendar: Calendar) -> str | None:
    """One of the clinic's call windows by name (any case); None when empty (any time)."""
    wanted = raw.strip().casefold()
    if not wanted:
        return None
    for window in calendar.windows:
        if window.name.casefold() == wanted:
            return window.name
    names = ", ".join(window.name for window in calendar.windows)
    raise ValueError(f"not one of the clinic's call windows ({names})")


def _interval(raw: str) -> int | None:
    return text.whole_number(raw, least=1, most=365, unit="days") if raw else None
