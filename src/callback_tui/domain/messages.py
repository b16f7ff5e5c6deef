"""Reading a message taken in (the intake form, `callback-tui intake`, an import row) into
something the message desk can save.

A message becomes one callback: owned by the profile's routing (or whoever is named), due at
the response target of its priority. The form, the command and the import share this reader,
so all three refuse the same mistakes in the same words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from callback_tui.domain import phones, text
from callback_tui.domain.hours import Calendar
from callback_tui.domain.intake import (
    Problems,
    _choice,
    _doctor,
    _Fields,
    _name,
    _optional_name,
    _owner,
    _said_yes_no,
    parse_time,
    window_named,
)
from callback_tui.domain.profile import Profile
from callback_tui.domain.vocab import MESSAGE_SOURCES, Priority, Role, Source

MESSAGE_LIMIT = 4_000
"""The longest message kept: a voicemail transcript or a web form, not a letter."""

KIND = "message"
"""The kind of a message's callback (a visit's callbacks have their rules' kinds)."""

Suggester = Callable[[str, str], tuple[Priority, str]]
"""What suggests a priority: (request type, message) to (priority, its reason in words)."""

LATE_ARRIVAL = timedelta(minutes=5)
"""How far past now a message's time may be (clocks differ a little), and no further."""

FIELDS = (
    "source", "received_at", "client_id", "patient_id", "name", "phone", "preferred_window",
    "patient", "request_type", "priority", "message", "owner", "doctor",
    "voicemail_ok", "text_ok", "do_not_call",
)  # fmt: skip
"""Every field of a message, in the order its problems are listed."""


@dataclass(frozen=True)
class MessageForm:
    """A checked message: who it is from, what it asks, and who owes the call by when."""

    source: Source
    received_at: datetime
    """Aware UTC."""
    request_type: str
    priority: Priority
    priority_reason: str
    """Why that priority: the suggestion's words, or "chosen" when the person set it."""
    message: str
    """The message as given (cleaned of control characters), never markup."""
    owner: str | None
    """Named by the person; None: the profile's routing."""
    doctor: str | None
    client_id: int | None = None
    """A client on file (then `patient_id` too); None: a new caller, by name and phone."""
    patient_id: int | None = None
    client: str = ""
    """A new caller's name."""
    phone: str = ""
    """A new caller's best number, E.164."""
    preferred_window: str | None = None
    patient: str = ""
    """The patient on a new caller's card (the caller, unless another is named)."""
    species: str | None = None
    voicemail_ok: bool | None = None
    text_ok: bool | None = None
    do_not_call: bool | None = None


def read_message(
    fields: Mapping[str, str | None],
    *,
    profile: Profile,
    staff: Mapping[str, Role],
    calendar: Calendar,
    region: str,
    now: datetime,
    suggest: Suggester,
) -> tuple[MessageForm | None, Problems]:
    """Check every field; return the message, or None with every problem found.

    `received_at` may be `HH:MM` (today), `YYYY-MM-DD HH:MM` or empty (now). A client on
    file is given by `client_id` and `patient_id`; otherwise `name` and `phone` make a new
    caller. An empty `priority` takes the suggestion (`suggest`, from the type and words).
    """
    f = _Fields(fields)
    today = calendar.local(now).date()
    source = f.take("source", _source, required=True)
    received = f.take("received_at", lambda raw: _received(raw, calendar, today, now))
    client_id = f.take("client_id", _optional_id)
    patient_id = f.take("patient_id", _optional_id)
    on_file = client_id is not None or patient_id is not None
    if on_file and (client_id is None or patient_id is None):
        f.problems.append(("name", "choose the patient on file again (ctrl+f)"))
    name: str | None = ""
    phone: str | None = ""
    window: str | None = None
    patient: str | None = None
    if not on_file:
        name = f.take("name", _name, required=True)
        phone = f.take("phone", lambda raw: phones.normalise(raw, region), required=True)
        window = f.take("preferred_window", lambda raw: window_named(raw, calendar))
        patient = f.take("patient", _optional_name)
    request_type = f.take("request_type", lambda raw: _request(raw, profile), required=True)
    message = f.take("message", _message, required=True)
    priority = f.take("priority", lambda raw: Priority(_choice(raw, Priority)) if raw else None)
    owner = f.take("owner", lambda raw: _owner(raw, staff, profile) if raw else None)
    doctor = f.take("doctor", lambda raw: _doctor(raw, staff) if raw else None)
    voicemail_ok = f.take("voicemail_ok", _said_yes_no)
    text_ok = f.take("text_ok", _said_yes_no)
    do_not_call = f.take("do_not_call", _said_yes_no)

    if f.problems:
        order = {field: index for index, field in enumerate(FIELDS)}
        return None, sorted(f.problems, key=lambda problem: order.get(problem[0], len(order)))
    assert source is not None and request_type is not None and message is not None
    if priority is None:
        priority, why = suggest(request_type, message)
    else:
        why = f"{priority.value}: chosen"
    form = MessageForm(
        source=source,
        received_at=received or now,
        request_type=request_type,
        priority=priority,
        priority_reason=why,
        message=message,
        owner=owner,
        doctor=doctor,
        client_id=client_id,
        patient_id=patient_id,
        client=name or "",
        phone=phone or "",
        preferred_window=window,
        patient=patient or name or "",
        voicemail_ok=voicemail_ok,
        text_ok=text_ok,
        do_not_call=do_not_call,
    )
    return form, []


def _source(raw: str) -> Source:
    allowed = {source.value: source for source in MESSAGE_SOURCES}
    key = raw.lower().replace(" ", "_").replace("-", "_")
    key = {"e_mail": "email", "portal_message": "portal", "telehealth_problem": "telehealth"}.get(
        key, key
    )
    if key not in allowed:
        raise ValueError(f"{raw!r} is not one of: {', '.join(allowed)}")
    return allowed[key]


def _received(raw: str, calendar: Calendar, today: date, now: datetime) -> datetime | None:
    if not raw:
        return None
    received = parse_time(raw, calendar.tz, today)
    if received > now + LATE_ARRIVAL:
        raise ValueError(f"{raw!r} is still to come: a message is taken in once it arrived")
    return received


def _request(raw: str, profile: Profile) -> str:
    key = raw.lower().replace(" ", "_").replace("-", "_")
    if key not in profile.requests:
        known = ", ".join(profile.requests) or "none in this profile"
        raise ValueError(f"unknown request type {raw!r} (one of: {known})")
    return key


def _message(raw: str) -> str:
    try:
        cleaned = text.clean(raw, limit=MESSAGE_LIMIT, multiline=True)
    except ValueError as exc:
        raise ValueError(f"too long: {exc}") from None
    if not cleaned:
        raise ValueError("write what the message says")
    return cleaned


def _optional_id(raw: str) -> int | None:
    if not raw:
        return None
    if not raw.isdigit():
        raise ValueError(f"{raw!r} is not a record number")
    return int(raw)
