"""Reads about notes: one note for the editor, the drafts inbox, the unsettled text, listings."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from callback_tui.domain import text
from callback_tui.domain.vocab import NoteStatus, Outcome, Role
from callback_tui.store.engine import Database
from callback_tui.store.note_desk import NewNote, NoteRef
from callback_tui.store.tables import Amendment, Attempt, Callback, Client, Note, Patient, Staff


@dataclass(frozen=True)
class AmendmentView:
    author: str
    at: datetime
    body: str


@dataclass(frozen=True)
class CallbackBrief:
    """The callback a note came from, as the editor's header names it."""

    id: int
    reason: str
    kind: str
    due_at: datetime
    status: str
    last_outcome: str | None


@dataclass(frozen=True)
class NoteView:
    """A note with what the screens show around it. `id` is None until the first save."""

    id: int | None
    version: int
    status: str
    kind: str
    origin: str
    body: str
    patient_id: int | None
    patient: str
    species: str | None
    client_id: int | None
    client: str
    phone: str
    author: str
    addressed_to: str | None
    callback: CallbackBrief | None
    created_at: datetime | None
    updated_at: datetime | None
    finalized_at: datetime | None
    editing_by: str | None
    amendments: tuple[AmendmentView, ...] = ()

    @property
    def is_final(self) -> bool:
        return self.status == NoteStatus.FINAL

    @property
    def ref(self) -> NoteRef | None:
        return NoteRef(self.id, self.version) if self.id is not None else None

    @property
    def first_line(self) -> str:
        return text.first_line(self.body)


def _query() -> Any:
    return (
        select(Note, Patient, Client, Callback)
        .outerjoin(Patient, col(Patient.id) == Note.patient_id)
        .outerjoin(Client, col(Client.id) == Patient.client_id)
        .outerjoin(Callback, col(Callback.id) == Note.callback_id)
    )


def _last_outcomes(session: Session, callback_ids: list[int]) -> dict[int, str]:
    """Each callback's latest call outcome, in one query."""
    latest: dict[int, str] = {}
    for callback_id, outcome in session.exec(
        select(Attempt.callback_id, Attempt.outcome)
        .where(col(Attempt.callback_id).in_(callback_ids))
        .order_by(col(Attempt.id))
    ):
        latest[callback_id] = outcome  # later attempts overwrite earlier ones
    return latest


def _brief(callback: Callback, last_outcome: str | None = None) -> CallbackBrief:
    return CallbackBrief(
        id=callback.id,  # type: ignore[arg-type]
        reason=callback.reason,
        kind=callback.kind,
        due_at=callback.due_at,
        status=callback.status,
        last_outcome=last_outcome,
    )


def _view(
    note: Note, patient: Patient | None, client: Client | None, callback: Callback | None
) -> NoteView:
    """A note as shown; one about someone not on file (an incident) has empty names."""
    return NoteView(
        id=note.id,
        version=note.version,
        status=note.status,
        kind=note.kind,
        origin=note.origin,
        body=note.body,
        patient_id=patient.id if patient else None,
        patient=patient.name if patient else "",
        species=patient.species if patient else None,
        client_id=client.id if client else None,
        client=client.name if client else "",
        phone=client.phone if client else "",
        author=note.author,
        addressed_to=note.addressed_to,
        callback=_brief(callback) if callback is not None else None,
        created_at=note.created_at,
        updated_at=note.updated_at,
        finalized_at=note.finalized_at,
        editing_by=note.editing_by,
    )


def note(database: Database, note_id: int) -> NoteView | None:
    """One note, whole: its amendments and the last outcome of its callback."""
    with Session(database.engine) as session:
        found = session.exec(_query().where(Note.id == note_id)).first()
        if found is None:
            return None
        view = _view(*found)
        amendments = session.exec(
            select(Amendment).where(Amendment.note_id == note_id).order_by(col(Amendment.id))
        ).all()
        brief = view.callback
        if brief is not None:
            last = _last_outcomes(session, [brief.id]).get(brief.id)
            brief = replace(brief, last_outcome=last)
    return replace(
        view,
        callback=brief,
        amendments=tuple(AmendmentView(a.author, a.at, a.body) for a in amendments),
    )


def new_note(database: Database, target: NewNote, author: str) -> NoteView | None:
    """What the editor shows for a note not saved yet; None if the patient is gone."""
    with Session(database.engine) as session:
        found = session.exec(
            select(Patient, Client)
            .join(Client, col(Client.id) == Patient.client_id)
            .where(Patient.id == target.patient_id)
        ).first()
        if found is None:
            return None
        callback = session.get(Callback, target.callback_id) if target.callback_id else None
    patient, client = found
    draft = Note(
        patient_id=target.patient_id,
        callback_id=target.callback_id,
        author=author,
        addressed_to=target.addressed_to,
        kind=target.kind.value,
        origin=target.origin.value,
        body="",
    )
    return replace(_view(draft, patient, client, callback), created_at=None, updated_at=None)


def notes(
    database: Database,
    *,
    drafts_only: bool = False,
    addressed_to: str | None = None,
    editing_by: str | None = None,
) -> list[NoteView]:
    """Notes oldest first; drafts listed by addressed doctor, oldest first within."""
    query = _query()
    if drafts_only:
        query = query.where(Note.status == NoteStatus.DRAFT)
    if addressed_to is not None:
        query = query.where(Note.addressed_to == addressed_to)
    if editing_by is not None:
        query = query.where(Note.editing_by == editing_by)
    order = (Note.addressed_to, Note.created_at, Note.id) if drafts_only else (Note.id,)
    with Session(database.engine) as session:
        views = [_view(*row) for row in session.exec(query.order_by(*order))]
        if drafts_only:
            return views  # a draft has no amendments
        amended: dict[int, list[AmendmentView]] = {}
        for a in session.exec(select(Amendment).order_by(col(Amendment.id))):
            amended.setdefault(a.note_id, []).append(AmendmentView(a.author, a.at, a.body))
    return [replace(v, amendments=tuple(amended.get(v.id or 0, ()))) for v in views]


def drafts(database: Database) -> list[NoteView]:
    """The drafts inbox: every draft, by addressed doctor, oldest first."""
    return notes(database, drafts_only=True)


def unsettled(database: Database, initials: str) -> list[NoteView]:
    """Drafts `initials` was writing when the app last stopped without saving them."""
    return notes(database, drafts_only=True, editing_by=initials)


@dataclass(frozen=True)
class UpdateChoices:
    """What a client update asks about: which callback it answers and which doctor to tell."""

    patient_id: int
    patient: str
    species: str | None
    client: str
    phone: str
    callbacks: tuple[CallbackBrief, ...]
    """The patient's latest callbacks, those answered by a left message first."""
    doctors: tuple[tuple[str, str], ...]
    """Every doctor, as (initials, name)."""
    case_doctor: str | None
    """The doctor on the patient's latest callback."""


def update_choices(database: Database, patient_id: int, recent: int = 8) -> UpdateChoices | None:
    with Session(database.engine) as session:
        found = session.exec(
            select(Patient, Client)
            .join(Client, col(Client.id) == Patient.client_id)
            .where(Patient.id == patient_id)
        ).first()
        if found is None:
            return None
        patient, client = found
        latest = session.exec(
            select(Callback)
            .where(Callback.patient_id == patient_id)
            .order_by(col(Callback.due_at).desc(), col(Callback.id).desc())
            .limit(recent)
        ).all()
        last = _last_outcomes(session, [c.id for c in latest if c.id is not None])
        briefs = [_brief(c, last.get(c.id or 0)) for c in latest]
        doctors = session.exec(
            select(Staff.initials, Staff.name)
            .where(Staff.role == Role.DOCTOR, col(Staff.active).is_(True))
            .order_by(Staff.initials)
        ).all()
    briefs.sort(key=lambda b: b.last_outcome != Outcome.LEFT_MESSAGE)  # stable: newest first
    return UpdateChoices(
        patient_id=patient_id,
        patient=patient.name,
        species=patient.species,
        client=client.name,
        phone=client.phone,
        callbacks=tuple(briefs),
        doctors=tuple((initials, name) for initials, name in doctors),
        case_doctor=latest[0].doctor if latest else None,
    )
