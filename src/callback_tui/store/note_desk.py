"""Writes of notes: drafts (saved and autosaved), finalizing, and amendments.

`NewNote` and `NoteRef` are defined with the reads (notes.py, which must not import the
ORM) and re-exported here.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from callback_tui.domain import access, conflict
from callback_tui.domain.access import Act
from callback_tui.domain.vocab import NoteStatus
from callback_tui.store.errors import Invalid, NoteIsFinal, NotFound, ServiceError
from callback_tui.store.notes import NewNote as NewNote
from callback_tui.store.notes import NoteRef as NoteRef
from callback_tui.store.tables import Amendment, Callback, Note, Patient, Staff
from callback_tui.store.unit import Desk, Work, refuse, required_text, snapshot

NOTE_EMPTY = "the note is empty: write what was said before saving"
AMENDMENT_EMPTY = "the amendment is empty: write the correction before saving"


def _note_text(body: str, field: str, why_needed: str) -> str:
    """The text as kept; refused while it holds a conflict's marker lines (domain/conflict.py)."""
    clean = required_text(body, field, why_needed)
    if conflict.has_markers(clean):
        raise Invalid({field: conflict.MARKED})
    return clean


class NoteDesk(Desk):
    """The writes of the note editor, the drafts inbox and client updates."""

    def save(
        self, actor: str, target: NoteRef | NewNote, body: str, *, autosave: bool = False
    ) -> Note:
        """Keep a draft's text (creating the draft the first time).

        An autosave marks the text as not settled by `actor` (offered again after a crash);
        a save settles it. A save that changes nothing writes nothing.
        """
        clean = _note_text(body, "body", NOTE_EMPTY)
        with self.write(actor) as work:
            note, before = self._draft_for_change(work, target)
            editing_by = actor if autosave else None
            if before is not None and note.body == clean and note.editing_by == editing_by:
                return note
            note.body = clean
            note.updated_at = work.now
            note.editing_by = editing_by
            if before is None:
                action = "note.drafted"
            else:
                note.version += 1
                action = "note.autosaved" if autosave else "note.saved"
            work.record(action, note, before)
        return note

    def finalize(self, actor: str, target: NoteRef | NewNote, body: str) -> Note:
        """Save the text and make the note final: from now on it only takes amendments.

        A draft addressed to a doctor is finalized by a doctor (that one or another); a note
        addressed to no one (a communication log), by anyone at the desk; a client update
        not yet saved for the doctor, by its author (access.waits_for_doctor). Otherwise
        NotAllowed."""
        clean = _note_text(body, "body", NOTE_EMPTY)
        with self.write(actor) as work:
            note, before = self._draft_for_change(work, target)
            addressed = access.waits_for_doctor(
                addressed_to=note.addressed_to,
                origin=note.origin,
                author=note.author,
                handed_over=before is not None and note.editing_by != actor,
                actor=actor,
            )
            refuse(work, Act.FINALIZE_DRAFT, addressed=addressed)
            note.body = clean
            note.updated_at = note.finalized_at = work.now
            note.status = NoteStatus.FINAL.value
            note.editing_by = None
            if before is not None:
                note.version += 1
            work.record("note.finalized", note, before)
        return note

    def amend(self, actor: str, note_id: int, body: str) -> Amendment:
        """Append a dated, signed amendment to a final note."""
        clean = _note_text(body, "amendment", AMENDMENT_EMPTY)
        with self.write(actor) as work:
            note = work.session.get(Note, note_id)
            if note is None:
                raise NotFound(f"note {note_id} no longer exists")
            if note.status != NoteStatus.FINAL:
                raise ServiceError("this note is still a draft: edit it instead of amending")
            amendment = Amendment(note_id=note_id, author=actor, at=work.now, body=clean)
            work.record("note.amended", amendment)
        return amendment

    def _draft_for_change(
        self, work: Work, target: NoteRef | NewNote
    ) -> tuple[Note, dict[str, Any] | None]:
        """The draft to write, with its state before; a new one (before None) for a NewNote."""
        if isinstance(target, NoteRef):
            note = work.session.get(Note, target.id)
            if note is not None and note.status == NoteStatus.FINAL:
                raise NoteIsFinal(
                    f"this note was finalized by {self.last_actor(work, Note, target.id)}"
                    " and never changes: add an amendment instead"
                )
            note = self.guarded(work, Note, target.id, target.version)
            return note, snapshot(note)
        problems: dict[str, str] = {}
        patient = work.session.get(Patient, target.patient_id)
        if patient is None:
            problems["patient"] = "pick a patient"
        if (
            target.addressed_to is not None
            and not work.session.exec(
                select(Staff.id).where(Staff.initials == target.addressed_to)
            ).first()
        ):
            problems["addressed_to"] = f"{target.addressed_to} is not on the staff list"
        if target.callback_id is not None:
            callback = work.session.get(Callback, target.callback_id)
            if callback is None or callback.patient_id != target.patient_id:
                problems["callback"] = "that callback is not this patient's"
        if problems:
            raise Invalid(problems)
        note = Note(
            patient_id=target.patient_id,
            callback_id=target.callback_id,
            author=work.actor,
            addressed_to=target.addressed_to,
            kind=target.kind.value,
            origin=target.origin.value,
            status=NoteStatus.DRAFT.value,
            body="",
            created_at=work.now,
            updated_at=work.now,
        )
        return note, None
