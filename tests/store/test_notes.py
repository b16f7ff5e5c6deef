"""Notes: drafts, autosave, final means final, amendments, and their reads."""

from __future__ import annotations

from datetime import UTC

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from callback_tui.clock import FixedClock
from callback_tui.domain.vocab import Outcome
from callback_tui.store import notes
from callback_tui.store.services import (
    CallOutcome,
    FrontDesk,
    Invalid,
    NewNote,
    NoteIsFinal,
    NoteRef,
    StaleVersion,
)
from callback_tui.store.tables import Amendment, Event, Note
from tests.conftest import add_visit


def concern_draft(desk: FrontDesk, notes_text: str = "Still vomiting since Sunday.") -> Note:
    callback = add_visit(desk)[0]
    logged = desk.callbacks.log_outcome(
        "AB",
        callback.id,  # type: ignore[arg-type]
        callback.version,
        CallOutcome(outcome=Outcome.SPOKE, notes=notes_text, concern_for_doctor=True),
    )
    assert logged.draft is not None
    return logged.draft


def actions(desk: FrontDesk, entity: str = "note") -> list[tuple[str, str]]:
    with Session(desk.database.engine) as session:
        rows = session.exec(select(Event).where(Event.entity == entity).order_by(Event.id))
        return [(e.actor, e.action) for e in rows]


def ref(note: Note) -> NoteRef:
    assert note.id is not None
    return NoteRef(note.id, note.version)


def test_a_concern_becomes_a_draft_for_the_case_doctor_in_the_inbox(desk: FrontDesk) -> None:
    draft = concern_draft(desk)
    inbox = notes.drafts(desk.database)
    assert [(n.id, n.addressed_to, n.author, n.origin) for n in inbox] == [
        (draft.id, "DRW", "AB", "call")
    ]
    assert inbox[0].body == "Still vomiting since Sunday."
    assert inbox[0].callback is not None and inbox[0].callback.reason == "vomiting"


def test_saving_a_draft_changes_it_and_records_the_change(desk: FrontDesk) -> None:
    draft = concern_draft(desk)
    saved = desk.notes.save("DRW", ref(draft), "Still vomiting. Recheck tomorrow.")
    assert saved.version == draft.version + 1
    assert notes.note(desk.database, saved.id).body == "Still vomiting. Recheck tomorrow."  # type: ignore[arg-type,union-attr]
    assert actions(desk)[-1] == ("DRW", "note.saved")


def test_a_save_that_changes_nothing_writes_nothing(desk: FrontDesk) -> None:
    draft = concern_draft(desk)
    writes = desk.database.writes
    again = desk.notes.save("AB", ref(draft), draft.body)
    assert again.version == draft.version
    assert actions(desk) == [("AB", "note.drafted")]
    # Nor does it count as a write: the screens' kept lists are not read again for it.
    assert desk.database.writes == writes
    desk.notes.save("AB", ref(draft), draft.body + " Eating again.")
    assert desk.database.writes == writes + 1


def test_autosave_marks_the_text_unsettled_until_a_save(desk: FrontDesk) -> None:
    draft = concern_draft(desk)
    auto = desk.notes.save("DRW", ref(draft), "half a thou", autosave=True)
    assert [n.id for n in notes.unsettled(desk.database, "DRW")] == [draft.id]
    assert notes.unsettled(desk.database, "AB") == []
    desk.notes.save("DRW", ref(auto), "half a thought, finished.")
    assert notes.unsettled(desk.database, "DRW") == []
    assert actions(desk)[-2:] == [("DRW", "note.autosaved"), ("DRW", "note.saved")]


def test_a_stale_save_is_refused_and_changes_nothing(desk: FrontDesk) -> None:
    draft = concern_draft(desk)
    desk.notes.save("DRW", ref(draft), "the doctor's words")
    with pytest.raises(StaleVersion, match="changed at the other desk by DRW"):
        desk.notes.save("AB", ref(draft), "the assistant's words")
    assert notes.note(desk.database, draft.id).body == "the doctor's words"  # type: ignore[arg-type,union-attr]


def test_final_means_final_in_the_service_and_in_the_file(desk: FrontDesk) -> None:
    draft = concern_draft(desk)
    final = desk.notes.finalize("DRW", ref(draft), "Vomiting resolved on bland diet.")
    assert final.status == "final" and final.finalized_at is not None
    assert actions(desk)[-1] == ("DRW", "note.finalized")

    with pytest.raises(NoteIsFinal, match="finalized by DRW"):
        desk.notes.save("AB", ref(final), "rewritten")
    with pytest.raises(NoteIsFinal):
        desk.notes.finalize("AB", ref(final), "rewritten")
    # Even a write around the service layer is refused by the database file.
    with (
        pytest.raises(IntegrityError, match="never changes"),
        Session(desk.database.writer) as session,
        session.begin(),
    ):
        stored = session.get(Note, final.id)
        assert stored is not None
        stored.body = "rewritten"
    assert notes.note(desk.database, final.id).body == "Vomiting resolved on bland diet."  # type: ignore[arg-type,union-attr]


def test_amend_appends_a_dated_signed_amendment(desk: FrontDesk, clock: FixedClock) -> None:
    draft = concern_draft(desk)
    final = desk.notes.finalize("DRW", ref(draft), "Resolved.")
    clock.advance(hours=2)
    desk.notes.amend("DRW", final.id, "Correction: resolved on Monday, not Sunday.")  # type: ignore[arg-type]
    view = notes.note(desk.database, final.id)  # type: ignore[arg-type]
    assert view is not None
    assert view.body == "Resolved."
    assert [(a.author, a.at, a.body) for a in view.amendments] == [
        ("DRW", clock.now(), "Correction: resolved on Monday, not Sunday.")
    ]
    assert actions(desk, "note_amendment") == [("DRW", "note.amended")]


def test_a_draft_is_edited_not_amended_and_empty_amendments_are_refused(desk: FrontDesk) -> None:
    draft = concern_draft(desk)
    with pytest.raises(Exception, match="still a draft"):
        desk.notes.amend("DRW", draft.id, "x")  # type: ignore[arg-type]
    final = desk.notes.finalize("DRW", ref(draft), "Resolved.")
    with pytest.raises(Invalid) as refused:
        desk.notes.amend("DRW", final.id, "  \n ")  # type: ignore[arg-type]
    assert "amendment is empty" in refused.value.problems["amendment"]
    with Session(desk.database.engine) as session:
        assert session.exec(select(Amendment)).all() == []


@pytest.mark.parametrize("body", ["", "   \n\t  ", "\x00\x07"])
def test_an_empty_note_is_refused_with_a_clear_message(desk: FrontDesk, body: str) -> None:
    draft = concern_draft(desk)
    with pytest.raises(Invalid) as refused:
        desk.notes.save("DRW", ref(draft), body)
    assert refused.value.problems == {
        "body": "the note is empty: write what was said before saving"
    }


def test_long_markup_control_and_non_latin_text_is_kept_literally(desk: FrontDesk) -> None:
    draft = concern_draft(desk)
    head = "[bold red]not markup[/] 李小龍 Ωμέγα العربية\ttab\n"
    body = head + "x" * (20_000 - len(head))
    saved = desk.notes.save("DRW", ref(draft), body + "\x1b\x07")
    assert saved.body == body
    assert len(saved.body) == 20_000
    with pytest.raises(Invalid, match="20,000"):
        desk.notes.save("DRW", ref(saved), body + "y")


def test_a_client_update_creates_its_note_on_first_save(desk: FrontDesk) -> None:
    callback = add_visit(desk)[0]
    target = NewNote(patient_id=callback.patient_id, addressed_to="DRW", callback_id=callback.id)
    note = desk.notes.save("CD", target, "Owner called: eating again.", autosave=True)
    assert (note.author, note.origin, note.status, note.editing_by) == (
        "CD",
        "client_update",
        "draft",
        "CD",
    )
    # Resolved on the phone: its author finalizes it (it was never saved for the doctor).
    resolved = desk.notes.finalize("CD", ref(note), "Owner called: eating again, all well.")
    assert resolved.status == "final"
    assert actions(desk) == [
        ("CD", "note.drafted"),
        ("CD", "note.finalized"),
    ]


def test_a_new_note_needs_a_real_patient_doctor_and_callback(desk: FrontDesk) -> None:
    callback = add_visit(desk)[0]
    other = add_visit(desk, patient="Mochi", client="Sam Ortiz", phone="(312) 555-0199")[0]
    with pytest.raises(Invalid) as refused:
        desk.notes.save(
            "CD",
            NewNote(patient_id=callback.patient_id, addressed_to="ZZ", callback_id=other.id),
            "text",
        )
    assert set(refused.value.problems) == {"addressed_to", "callback"}
    with pytest.raises(Invalid) as missing:
        desk.notes.save("CD", NewNote(patient_id=9_999, addressed_to="DRW"), "text")
    assert set(missing.value.problems) == {"patient"}


def test_notes_list_filters_drafts_and_doctor(desk: FrontDesk) -> None:
    first = concern_draft(desk)
    callback = add_visit(desk, patient="Mochi", client="Sam Ortiz", doctor="DRP")[0]
    second = desk.notes.save("CD", NewNote(callback.patient_id, "DRP"), "For Dr Patel.")
    desk.notes.finalize("DRW", ref(first), "Done.")
    assert [n.id for n in notes.notes(desk.database)] == [first.id, second.id]
    assert [n.id for n in notes.notes(desk.database, drafts_only=True)] == [second.id]
    assert [n.id for n in notes.notes(desk.database, addressed_to="DRW")] == [first.id]


def test_client_update_choices_put_the_left_message_first(desk: FrontDesk) -> None:
    (older,) = add_visit(desk, occurred_at="2026-11-20 10:00", doctor="DRP")
    (newer,) = add_visit(desk, occurred_at="2026-11-23 10:00", reason="urinary", doctor="DRW")
    desk.callbacks.log_outcome("AB", older.id, older.version, CallOutcome(Outcome.LEFT_MESSAGE))  # type: ignore[arg-type]
    choices = notes.update_choices(desk.database, older.patient_id)
    assert choices is not None
    assert [(b.id, b.last_outcome) for b in choices.callbacks] == [
        (older.id, "left_message"),
        (newer.id, None),
    ]
    assert choices.case_doctor == "DRW"  # the doctor on the latest callback
    assert [initials for initials, _ in choices.doctors] == ["DRP", "DRW"]
    assert notes.update_choices(desk.database, 9_999) is None


def test_a_new_note_reads_as_an_unsaved_draft_and_none_for_a_patient_gone(
    desk: FrontDesk,
) -> None:
    callback = add_visit(desk)[0]
    target = NewNote(patient_id=callback.patient_id, addressed_to="DRW", callback_id=callback.id)
    view = notes.new_note(desk.database, target, "CD")
    assert view is not None
    assert (view.id, view.ref, view.version, view.status, view.body) == (None, None, 1, "draft", "")
    assert (view.author, view.addressed_to, view.kind, view.origin) == (
        "CD",
        "DRW",
        "medical",
        "client_update",
    )
    assert (view.patient, view.species, view.client) == ("Biscuit", "dog", "Jordan Lee")
    assert (view.created_at, view.updated_at, view.finalized_at, view.editing_by) == (
        None,
        None,
        None,
        None,
    )
    assert view.callback is not None and view.callback.id == callback.id
    assert view.callback.due_at == callback.due_at and view.callback.due_at.tzinfo is UTC
    assert (
        notes.new_note(desk.database, NewNote(patient_id=9_999, addressed_to="DRW"), "CD") is None
    )


def test_a_note_reads_its_times_as_aware_utc_and_one_not_on_file_with_empty_names(
    desk: FrontDesk, clock: FixedClock
) -> None:
    draft = concern_draft(desk)
    final = desk.notes.finalize("DRW", ref(draft), "Resolved.")
    view = notes.note(desk.database, final.id)  # type: ignore[arg-type]
    assert view is not None and view.finalized_at is not None
    assert (view.created_at, view.updated_at, view.finalized_at) == (
        draft.created_at,
        clock.now(),
        clock.now(),
    )
    stamps = (view.created_at, view.updated_at, view.finalized_at)
    assert all(t is not None and t.tzinfo is UTC for t in stamps)  # aware UTC, as the ORM gave
    with Session(desk.database.writer) as session, session.begin():
        session.add(
            Note(
                patient_id=None,
                author="OM",
                origin="incident",
                body="Walk-in, not a client.",
                created_at=clock.now(),
                updated_at=clock.now(),
            )
        )
    (walk_in,) = [n for n in notes.notes(desk.database) if n.origin == "incident"]
    assert (walk_in.patient_id, walk_in.patient, walk_in.species) == (None, "", None)
    assert (walk_in.client_id, walk_in.client, walk_in.phone) == (None, "", "")
    assert walk_in.callback is None and walk_in.created_at == clock.now()
