"""The database tables. Times are stored as UTC; `version` guards rows two desks may edit."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, String
from sqlalchemy.types import DateTime, TypeDecorator
from sqlmodel import Field, SQLModel

# Every constraint has a predictable name, so a migration can find it again (Alembic's
# batch mode on SQLite rebuilds a table and needs the names).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, naive UTC in the file."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; pass an aware one")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def sqlite_utc_text(value: datetime | None) -> str | None:
    """What UTCDateTime and SQLite's DATETIME together bind for `value`, at a third of the
    cost (an import binds a hundred thousand of them): naive UTC, in the text SQLite keeps.
    A test holds it to the two processors' result."""
    if value is None:
        return None
    if value.tzinfo is UTC:  # most: without its "+00:00"
        return value.isoformat(" ", "microseconds")[:-6]
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the database; pass an aware one")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _utc(**kwargs: Any) -> Any:
    nullable = kwargs.pop("nullable", False)
    index = kwargs.pop("index", False)
    return Field(sa_column=Column(UTCDateTime(), nullable=nullable, index=index), **kwargs)


class Staff(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    initials: str = Field(sa_column=Column(String(4), unique=True, nullable=False))
    name: str
    role: str
    active: bool = True
    """A deactivated person cannot sign in; their initials and history stay."""
    pin_hash: str | None = None
    """The Argon2id hash of their PIN (domain/pins.py); None until one is chosen. Never in
    an event, an export, a log or on screen."""
    failed_pins: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    """Wrong PINs in a row (a right one starts it again)."""
    locked_until: datetime | None = _utc(nullable=True)
    """No PIN is checked for them before this (after too many wrong ones)."""
    version: int = 1


class Client(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    phone: str = Field(index=True)
    """E.164: the best of the client's phones (client_phone), the one called first."""
    phone_digits: str = Field(index=True)
    """The best phone's national digits."""
    preferred_window: str | None = None
    """The name of one of the clinic's call windows (settings), or None: any time."""
    voicemail_ok: bool = False
    """Consent to a voicemail; not assumed (a message is left only when it is known)."""
    text_ok: bool = False
    do_not_call: bool = False
    do_not_call_reason: str | None = None
    version: int = 1


class ClientPhone(SQLModel, table=True):
    """One of a client's numbers. Changed only with its client (whose event lists them all)."""

    __tablename__ = "client_phone"
    __table_args__ = (
        Index("ix_client_phone_client", "client_id", "number", unique=True),
        Index("ix_client_phone_number", "number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id")
    number: str
    """E.164."""
    digits: str
    """The national digits, for phone-prefix search."""
    label: str = "other"
    """mobile, home, work or other (domain/phones.py LABELS)."""
    best: bool = False
    """The one called, shown and searched first: one per client, the client's `phone`."""


class Patient(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    name: str = Field(index=True)
    species: str | None = None
    version: int = 1


class Callback(SQLModel, table=True):
    __table_args__ = (
        # By status and due day; with the columns that say whether an open callback is late
        # and whose it is, so the count of the late ones is read from the index alone.
        Index("ix_callback_queue", "status", "due_date", "owner", "pool", "target_at", "attempts"),
        Index("ix_callback_owner_queue", "owner", "status", "due_date"),
        Index("ix_callback_owner_closed", "owner", "closed_at"),
        Index("ix_callback_source", "source_id", "kind", unique=True),
        # The reports' indexes: each holds every column its report reads, so a period's
        # counts come from the index alone (store/reports.py).
        Index("ix_callback_created", "created_at", "owner", "pool"),
        Index(
            "ix_callback_closed",
            "closed_at",
            "status",
            "owner",
            "pool",
            "attempts",
            "escalated",
            "deadline_at",
        ),
        Index(
            "ix_callback_first_try", "first_try_at", "owner", "pool", "wait_minutes", "deadline_at"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    source_id: str | None = None
    """The practice system's id of the visit; one visit may own several callbacks (by kind)."""
    kind: str
    patient_id: int = Field(foreign_key="patient.id", index=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    reason: str
    source: str = "visit"
    priority: str = "routine"
    owner: str
    """Staff initials, or a pool's pseudo-initials (TA, SA)."""
    doctor: str
    assisted_by: str | None = None
    base_at: datetime = _utc()
    due_at: datetime = _utc()
    due_date: date
    original_due_date: date | None = None
    status: str = "open"
    attempts: int = 0
    misses: int = 0
    next_attempt_at: datetime | None = _utc(nullable=True)
    target_at: datetime | None = _utc(nullable=True)
    """A message's response target (when it was due first); None for a visit's callbacks."""
    wrong_number: bool = False
    notes: str = ""
    closing_note: str | None = None
    created_at: datetime = _utc()
    closed_at: datetime | None = _utc(nullable=True)
    pool: str | None = None
    """The shared pool it was made in or claimed from (its owner then, or before the claim);
    None for an item that never was a pool's. Kept when claimed: the pool's reports count it."""
    deadline_at: datetime | None = _utc(nullable=True)
    """When it is late: a message's response target, the end of a visit callback's first due
    day (domain/measures.py `deadline`). Set when it is made."""
    first_try_at: datetime | None = _utc(nullable=True)
    """When it was first called."""
    wait_minutes: int | None = None
    """Open minutes from when it could first be worked to its first call
    (domain/measures.py `wait_minutes`)."""
    escalated: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    """Closed as unreached and handed to the clinical team (a task was made)."""
    version: int = 1


class Attempt(SQLModel, table=True):
    __table_args__ = (
        # The reports' index of calls (store/reports.py): every column they read.
        Index(
            "ix_attempt_at",
            "at",
            "channel",
            "by",
            "outcome",
            "appointment_booked",
            "pool",
            "callback_id",
            "dnc_justification",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    callback_id: int = Field(foreign_key="callback.id", index=True)
    pool: str | None = None
    """The pool of its callback when the call was made (its `pool`): a pool's calls are
    counted without reading each callback again."""
    at: datetime = _utc()
    by: str
    channel: str = "phone"
    outcome: str
    duration_minutes: int | None = None
    identity_verified: bool = False
    identifiers: str | None = None
    """The keys of the identifiers the caller confirmed ("dob,address"), never their values."""
    appointment_booked: bool = False
    concern_for_doctor: bool = False
    dnc_justification: str | None = None
    notes: str = ""
    text_sent: bool = False
    """The approved follow-up text was sent (by the person, from their own phone or system)."""


class Note(SQLModel, table=True):
    __table_args__ = (
        # By status and age, with who a draft waits for: the drafts waiting too long are
        # counted from the index alone (store/reports.py).
        Index("ix_note_status", "status", "created_at", "addressed_to", "author"),
    )

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int | None = Field(default=None, foreign_key="patient.id", index=True)
    """None only for an incident about someone not on file."""
    callback_id: int | None = Field(default=None, foreign_key="callback.id", index=True)
    incident_id: int | None = Field(default=None, foreign_key="incident.id", index=True)
    author: str
    addressed_to: str | None = Field(default=None, index=True)
    """The doctor a draft waits for."""
    kind: str = "medical"
    """medical, or communication (a log of what was said, outside a clinical encounter)."""
    origin: str = "call"
    """Where it came from: call (a concern raised on a callback), client_update, incident."""
    status: str = Field(default="draft")
    body: str
    created_at: datetime = _utc()
    updated_at: datetime = _utc()
    finalized_at: datetime | None = _utc(nullable=True)
    editing_by: str | None = Field(default=None, index=True)
    """Set by an autosave, cleared by a save: text this person has not settled yet."""
    version: int = 1


class Amendment(SQLModel, table=True):
    """A dated, signed addition to a final note (the note itself never changes)."""

    __tablename__ = "note_amendment"

    id: int | None = Field(default=None, primary_key=True)
    note_id: int = Field(foreign_key="note.id", index=True)
    author: str
    at: datetime = _utc()
    body: str


class Task(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    assignee: str | None = Field(default=None, index=True)
    """Initials, when the task is for one person."""
    role: str | None = Field(default=None, index=True)
    """A role, when anyone in it may take the task."""
    title: str
    about: str = Field(index=True)
    """What it concerns, as `callback:12`, `incident:3`."""
    kind: str | None = None
    """What doing it takes, when that is more than a note (TaskKind): verify_number."""
    due_at: datetime = _utc()
    status: str = Field(default="open", index=True)
    done_note: str | None = None
    done_by: str | None = None
    done_at: datetime | None = _utc(nullable=True)
    created_at: datetime = _utc()
    version: int = 1


class Incident(SQLModel, table=True):
    """An upset-patient case, walked step by step (see domain.incidents.Step)."""

    id: int | None = Field(default=None, primary_key=True)
    client_id: int | None = Field(default=None, foreign_key="client.id")
    patient_id: int | None = Field(default=None, foreign_key="patient.id")
    subject: str = ""
    """Who it is about, as shown: the patient and client on file, or the words typed."""
    occurred_at: datetime = _utc()
    found_via: str
    """in_office, phone, online_review."""
    what_happened: str
    staff_involved: str = ""
    note_kind: str = "communication"
    step: str = Field(default="what_happened", index=True)
    status: str = Field(default="open", index=True)
    opened_by: str
    office_manager: str | None = None
    """Initials of the office manager who spoke with the client or owns the task."""
    remedied: bool | None = None
    resolution: str = ""
    summary_sent_at: datetime | None = _utc(nullable=True)
    summary_sent_by: str | None = None
    review_platform: str = ""
    review_link: str = ""
    review_reply: str = ""
    reply_posted_at: datetime | None = _utc(nullable=True)
    draft: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    """What was typed in the current step and not submitted yet (kept on quit)."""
    created_at: datetime = _utc()
    closed_at: datetime | None = _utc(nullable=True)
    closed_by: str | None = None
    version: int = 1


class SearchTerm(SQLModel, table=True):
    """One searchable word of a patient's card: a word of its or its client's name, or the phone.

    Kept by the service layer with the client and patient; derived data, so not audited.
    """

    __tablename__ = "search_term"
    __table_args__ = (
        Index("ix_search_term", "term", "patient_id"),
        Index("ix_search_term_patient", "patient_id", "term"),
    )

    id: int | None = Field(default=None, primary_key=True)
    term: str
    patient_id: int = Field(foreign_key="patient.id")


class Event(SQLModel, table=True):
    """The append-only audit trail: one row per change, chained by hashes (store/chain.py).

    The database refuses UPDATE and DELETE on it (SQLite triggers, made by the migrations).
    """

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _utc(index=True)
    actor: str
    action: str
    entity: str
    entity_id: int = Field(index=True)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    prev_hash: str = Field(default="", sa_column=Column(String(64), nullable=False))
    hash: str = Field(default="", sa_column=Column(String(64), nullable=False))


SECRET = "pin_hash"
"""The one column no event, export, log or screen may hold: in its place they say
`pin_set`, whether there is one."""


def public(kind: type[SQLModel], values: dict[str, Any]) -> dict[str, Any]:
    """A row's values as an event or an export holds them: a staff member's PIN hash
    only as `pin_set` (true or false), in its place."""
    if kind is not Staff or SECRET not in values:
        return values
    return {
        ("pin_set" if key == SECRET else key): (value is not None if key == SECRET else value)
        for key, value in values.items()
    }


def public_columns(kind: type[SQLModel]) -> list[str]:
    """The columns of `kind` an export names (`public`'s keys)."""
    return list(public(kind, dict.fromkeys(kind.model_fields)))


TABLES: dict[str, type[SQLModel]] = {
    "staff": Staff,
    "clients": Client,
    "client_phones": ClientPhone,
    "patients": Patient,
    "callbacks": Callback,
    "attempts": Attempt,
    "notes": Note,
    "amendments": Amendment,
    "tasks": Task,
    "incidents": Incident,
    "events": Event,
}
"""Export names (plural, as the files and the JSON export use them) to tables."""
