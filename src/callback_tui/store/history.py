"""One timeline per client (or one of its patients): callbacks, calls, notes, tasks, incidents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session, col, or_, select

from callback_tui.domain import text
from callback_tui.store.engine import Database
from callback_tui.store.tables import (
    Amendment,
    Attempt,
    Callback,
    Client,
    Incident,
    Note,
    Patient,
    Task,
)

LIMIT = 500
"""Entries shown, newest first: years of one family's history stay quick to open."""


class EntryKind(StrEnum):
    CALLBACK = "callback"
    CALL = "call"
    NOTE = "note"
    AMENDMENT = "amendment"
    TASK = "task"
    INCIDENT = "incident"


_SEQUENCE = list(EntryKind)


@dataclass(frozen=True)
class Entry:
    at: datetime
    kind: EntryKind
    patient: str | None
    by: str
    detail: str
    """The first line of a note or a call's notes; a callback's kind and due day."""
    status: str
    note_id: int | None = None
    reason: str | None = None
    """A callback's reason key (the screen shows the profile's label)."""


@dataclass(frozen=True)
class ClientCard:
    id: int
    name: str
    phone: str
    voicemail_ok: bool
    text_ok: bool
    do_not_call: bool


@dataclass(frozen=True)
class PatientCard:
    id: int
    name: str
    species: str | None


@dataclass(frozen=True)
class History:
    client: ClientCard
    patients: tuple[PatientCard, ...]
    patient_id: int | None
    """The patient the timeline is narrowed to; None: the whole family."""
    entries: tuple[Entry, ...]


def history(
    database: Database, client_id: int, patient_id: int | None = None, limit: int = LIMIT
) -> History | None:
    """The client's timeline, newest first (None if the client is gone)."""
    with Session(database.engine) as session:
        client = session.get(Client, client_id)
        if client is None:
            return None
        patients = session.exec(
            select(Patient).where(Patient.client_id == client_id).order_by(Patient.name)
        ).all()
        names = {p.id: p.name for p in patients}
        chosen = [patient_id] if patient_id in names else list(names)

        entries: list[Entry] = []
        callbacks = session.exec(
            select(Callback)
            .where(col(Callback.patient_id).in_(chosen))
            .order_by(col(Callback.created_at).desc())
            .limit(limit)
        ).all()
        for cb in callbacks:
            entries.append(
                Entry(
                    cb.created_at,
                    EntryKind.CALLBACK,
                    names[cb.patient_id],
                    cb.owner,
                    f"{cb.kind.replace('_', ' ')}, due {cb.due_date:%a %d %b %Y}",
                    cb.status,
                    reason=cb.reason,
                )
            )
        callback_patient = {cb.id: cb.patient_id for cb in callbacks}
        calls = session.exec(
            select(Attempt)
            .where(col(Attempt.callback_id).in_(list(callback_patient)))
            .order_by(col(Attempt.at).desc())
            .limit(limit)
        ).all()
        for call in calls:
            patient = names[callback_patient[call.callback_id]]
            entries.append(
                Entry(
                    call.at,
                    EntryKind.CALL,
                    patient,
                    call.by,
                    text.first_line(call.notes),
                    call.outcome,
                )
            )
        notes = session.exec(
            select(Note)
            .where(col(Note.patient_id).in_(chosen))
            .order_by(col(Note.created_at).desc())
            .limit(limit)
        ).all()
        note_patient = {n.id: n.patient_id for n in notes}
        for n in notes:
            entries.append(
                Entry(
                    n.created_at,
                    EntryKind.NOTE,
                    names[n.patient_id],
                    n.author,
                    text.first_line(n.body),
                    n.status,
                    note_id=n.id,
                )
            )
        for a in session.exec(
            select(Amendment).where(col(Amendment.note_id).in_(list(note_patient)))
        ):
            entries.append(
                Entry(
                    a.at,
                    EntryKind.AMENDMENT,
                    names[note_patient[a.note_id]],
                    a.author,
                    text.first_line(a.body),
                    "final",
                    note_id=a.note_id,
                )
            )
        abouts = [f"callback:{i}" for i in callback_patient] + [f"note:{i}" for i in note_patient]
        for task in session.exec(
            select(Task).where(col(Task.about).in_(abouts)).order_by(col(Task.id).desc())
        ):
            kind, _, ref = task.about.partition(":")
            owner = callback_patient if kind == "callback" else note_patient
            entries.append(
                Entry(
                    task.created_at,
                    EntryKind.TASK,
                    names.get(owner.get(int(ref), -1)),
                    task.assignee or task.role or "",
                    task.title,
                    task.status,
                )
            )
        incidents = select(Incident).where(Incident.client_id == client_id)
        if patient_id in names:  # one patient's, and the family's that name no patient
            incidents = incidents.where(
                or_(Incident.patient_id == patient_id, col(Incident.patient_id).is_(None))
            )
        for incident in session.exec(incidents):
            entries.append(
                Entry(
                    incident.occurred_at,
                    EntryKind.INCIDENT,
                    names.get(incident.patient_id or -1),
                    incident.opened_by,
                    text.first_line(incident.what_happened),
                    incident.status,
                )
            )
    # At the same instant, what follows from what comes first in the list (a call's note
    # above the call, the call above its callback).
    entries.sort(key=lambda e: (e.at, _SEQUENCE.index(e.kind)), reverse=True)
    return History(
        client=ClientCard(
            client.id,  # type: ignore[arg-type]
            client.name,
            client.phone,
            client.voicemail_ok,
            client.text_ok,
            client.do_not_call,
        ),
        patients=tuple(PatientCard(p.id, p.name, p.species) for p in patients),  # type: ignore[arg-type]
        patient_id=patient_id if patient_id in names else None,
        entries=tuple(entries[:limit]),
    )
