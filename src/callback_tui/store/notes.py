"""Reads about notes: one note for the editor, the drafts inbox, the unsettled text, listings.

Plain SQL through the read layer (store/sql.py), like queries.py: no ORM is imported on the
way to the editor. `NewNote` and `NoteRef` live here, not with the writes, for the same reason
(note_desk.py takes them from here).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from callback_tui.domain import text
from callback_tui.domain.vocab import NoteKind, NoteOrigin, NoteStatus, Outcome, Role
from callback_tui.store import sql
from callback_tui.store.engine import Database
from callback_tui.store.sql import Reads, Row


@dataclass(frozen=True)
class NewNote:
    """A note not written yet: whom it is about and for."""

    patient_id: int
    addressed_to: str | None
    """The doctor the draft waits for."""
    callback_id: int | None = None
    kind: NoteKind = NoteKind.MEDICAL
    origin: NoteOrigin = NoteOrigin.CLIENT_UPDATE


@dataclass(frozen=True)
class NoteRef:
    """A stored note as the screen read it."""

    id: int
    version: int


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


_BRIEF = "cb.id, cb.reason, cb.kind, cb.due_at, cb.status"
"""A callback as `_brief` reads it (five columns)."""

_PEOPLE = "p.id, p.name, p.species, c.id, c.name, c.phone"
"""A patient and its client (six columns). Their names are never NULL: NULL means not on file."""

_NOTES = f"""
SELECT n.id, n.version, n.status, n.kind, n.origin, n.body, n.author, n.addressed_to,
       n.created_at, n.updated_at, n.finalized_at, n.editing_by, {_PEOPLE}, {_BRIEF}
FROM note n
LEFT JOIN patient p ON p.id = n.patient_id
LEFT JOIN client c ON c.id = p.client_id
LEFT JOIN callback cb ON cb.id = n.callback_id
"""
"""A note with its patient, client and callback (each may be missing), as `_view` reads it."""

_AMENDMENTS = "SELECT note_id, author, at, body FROM note_amendment"


def _last_outcomes(reads: Reads, callback_ids: list[int]) -> dict[int, str]:
    """Each callback's latest call outcome, in one query."""
    if not callback_ids:
        return {}
    latest: dict[int, str] = {}
    for callback_id, outcome in reads.all(
        "SELECT callback_id, outcome FROM attempt WHERE callback_id IN (:ids) ORDER BY id",
        ids=callback_ids,
    ):
        latest[callback_id] = outcome  # later attempts overwrite earlier ones
    return latest


def _brief(found: Row, last_outcome: str | None = None) -> CallbackBrief:
    """Five columns in `_BRIEF`'s order."""
    return CallbackBrief(
        id=found[0],
        reason=found[1],
        kind=found[2],
        due_at=sql.utc(found[3]),
        status=found[4],
        last_outcome=last_outcome,
    )


def _view(found: Row) -> NoteView:
    """A row of `_NOTES`; one about someone not on file (an incident) has empty names."""
    callback = found[18:23]
    return NoteView(
        id=found[0],
        version=found[1],
        status=found[2],
        kind=found[3],
        origin=found[4],
        body=found[5],
        patient_id=found[12],
        patient=found[13] or "",
        species=found[14],
        client_id=found[15],
        client=found[16] or "",
        phone=found[17] or "",
        author=found[6],
        addressed_to=found[7],
        callback=_brief(callback) if callback[0] is not None else None,
        created_at=sql.utc(found[8]),
        updated_at=sql.utc(found[9]),
        finalized_at=sql.utc_or_none(found[10]),
        editing_by=found[11],
    )


def _amendment(found: Row) -> AmendmentView:
    """A row of `_AMENDMENTS` (its note id left off)."""
    return AmendmentView(author=found[1], at=sql.utc(found[2]), body=found[3])


def note(database: Database, note_id: int) -> NoteView | None:
    """One note, whole: its amendments and the last outcome of its callback."""
    with database.read() as reads:
        found = reads.first(_NOTES + "WHERE n.id = :id", id=note_id)
        if found is None:
            return None
        view = _view(found)
        amendments = reads.all(_AMENDMENTS + " WHERE note_id = :id ORDER BY id", id=note_id)
        brief = view.callback
        if brief is not None:
            last = _last_outcomes(reads, [brief.id]).get(brief.id)
            brief = replace(brief, last_outcome=last)
    return replace(view, callback=brief, amendments=tuple(_amendment(a) for a in amendments))


def new_note(database: Database, target: NewNote, author: str) -> NoteView | None:
    """What the editor shows for a note not saved yet; None if the patient is gone."""
    with database.read() as reads:
        found = reads.first(
            f"SELECT {_PEOPLE} FROM patient p JOIN client c ON c.id = p.client_id WHERE p.id = :id",
            id=target.patient_id,
        )
        if found is None:
            return None
        callback = (
            reads.first(
                f"SELECT {_BRIEF} FROM callback cb WHERE cb.id = :id", id=target.callback_id
            )
            if target.callback_id
            else None
        )
    patient_id, patient, species, client_id, client, phone = found
    # What a draft would hold before its first save (the table's defaults), not yet dated.
    return NoteView(
        id=None,
        version=1,
        status=NoteStatus.DRAFT.value,
        kind=target.kind.value,
        origin=target.origin.value,
        body="",
        patient_id=patient_id,
        patient=patient,
        species=species,
        client_id=client_id,
        client=client,
        phone=phone,
        author=author,
        addressed_to=target.addressed_to,
        callback=_brief(callback) if callback is not None else None,
        created_at=None,
        updated_at=None,
        finalized_at=None,
        editing_by=None,
    )


def notes(
    database: Database,
    *,
    drafts_only: bool = False,
    addressed_to: str | None = None,
    editing_by: str | None = None,
) -> list[NoteView]:
    """Notes oldest first; drafts listed by addressed doctor, oldest first within."""
    # Only fixed clauses go into the text; the values travel as parameters.
    clauses = [
        clause
        for clause, wanted in (
            ("n.status = :draft", drafts_only),
            ("n.addressed_to = :addressed_to", addressed_to is not None),
            ("n.editing_by = :editing_by", editing_by is not None),
        )
        if wanted
    ]
    where = "WHERE " + " AND ".join(clauses) if clauses else ""
    # Drafts for no one first, spelled out: SQLite sorts NULL first, PostgreSQL last.
    by_doctor = "CASE WHEN n.addressed_to IS NULL THEN 0 ELSE 1 END, n.addressed_to"
    order = f"{by_doctor}, n.created_at, n.id" if drafts_only else "n.id"
    with database.read() as reads:
        found = reads.all(
            f"{_NOTES} {where} ORDER BY {order}",
            draft=NoteStatus.DRAFT.value,
            addressed_to=addressed_to,
            editing_by=editing_by,
        )
        views = [_view(row) for row in found]
        if drafts_only:
            return views  # a draft has no amendments
        amended: dict[int, list[AmendmentView]] = {}
        for row in reads.all(_AMENDMENTS + " ORDER BY id"):
            amended.setdefault(row[0], []).append(_amendment(row))
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
    with database.read() as reads:
        found = reads.first(
            f"SELECT {_PEOPLE} FROM patient p JOIN client c ON c.id = p.client_id WHERE p.id = :id",
            id=patient_id,
        )
        if found is None:
            return None
        latest = reads.all(
            f"SELECT {_BRIEF}, cb.doctor FROM callback cb WHERE cb.patient_id = :patient_id"
            " ORDER BY cb.due_at DESC, cb.id DESC LIMIT :recent",
            patient_id=patient_id,
            recent=recent,
        )
        last = _last_outcomes(reads, [row[0] for row in latest])
        doctors = reads.all(
            # `active = :yes`, not `IS TRUE`: the same on SQLite's 0/1 and a real boolean.
            "SELECT initials, name FROM staff WHERE role = :doctor AND active = :yes"
            " ORDER BY initials",
            doctor=Role.DOCTOR.value,
            yes=True,
        )
    _, patient, species, _, client, phone = found
    briefs = [_brief(row[:5], last.get(row[0])) for row in latest]
    briefs.sort(key=lambda b: b.last_outcome != Outcome.LEFT_MESSAGE)  # stable: newest first
    return UpdateChoices(
        patient_id=patient_id,
        patient=patient,
        species=species,
        client=client,
        phone=phone,
        callbacks=tuple(briefs),
        doctors=tuple((initials, name) for initials, name in doctors),
        case_doctor=latest[0][5] if latest else None,
    )
