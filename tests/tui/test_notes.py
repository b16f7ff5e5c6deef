"""Notes on screen: concern drafts, the inbox, finalize and amend, client updates, history."""

from __future__ import annotations

import msgspec
import pytest
from sqlmodel import Session, func, select
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from callback_tui.config import Clinic, load_clinic
from callback_tui.domain import conflict
from callback_tui.domain.vocab import Outcome
from callback_tui.store import notes
from callback_tui.store.notes import NoteView
from callback_tui.store.services import CallOutcome, FrontDesk, NoteRef
from callback_tui.store.tables import Amendment, Callback, Event, Note
from callback_tui.tui.screens.client_update import ClientUpdateScreen
from callback_tui.tui.screens.drafts import DraftsInbox
from callback_tui.tui.screens.history import HistoryScreen
from callback_tui.tui.screens.note_editor import SETTLE, NoteEditor
from callback_tui.tui.screens.recover import RecoverScreen
from callback_tui.tui.screens.today import TodayScreen
from callback_tui.tui.widgets.confirm import Confirm
from tests.conftest import add_visit
from tests.store.test_notes import concern_draft
from tests.tui.conftest import (
    SIZE,
    MakeApp,
    count_footer_rebuilds,
    open_first_draft,
    settle,
    shown,
)


def only_note(desk: FrontDesk) -> NoteView:
    (found,) = notes.notes(desk.database)
    return found


def note_events(desk: FrontDesk) -> list[tuple[str, str]]:
    with Session(desk.database.engine) as session:
        rows = session.exec(
            select(Event).where(Event.action.startswith("note.")).order_by(Event.id)
        )  # type: ignore[attr-defined]
        return [(e.actor, e.action) for e in rows]


def editor_text(app: object) -> str:
    return app.screen.query_one("#body", TextArea).text  # type: ignore[attr-defined]


def concern(desk: FrontDesk, text: str, doctor: str = "DRW", patient: str | None = None) -> Note:
    """A concern draft for `doctor`; about `patient` (a client of their own) if named."""
    named = {"patient": patient, "client": f"{patient}'s owner"} if patient else {}
    callback = add_visit(desk, doctor=doctor, **named)[0]
    logged = desk.callbacks.log_outcome(
        "AB",
        callback.id,  # type: ignore[arg-type]
        callback.version,
        CallOutcome(Outcome.SPOKE, text, concern_for_doctor=True),
    )
    assert logged.draft is not None
    return logged.draft


async def new_client_update(pilot: Pilot[None], query: str) -> None:
    """`u`, find the one patient `query` names, take the suggested callback and doctor."""
    await pilot.press("u", *query, "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ClientUpdateScreen)
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert isinstance(pilot.app.screen, NoteEditor)


def quick_autosave(clinic: Clinic) -> Clinic:
    return load_clinic(msgspec.structs.replace(clinic.settings, autosave_seconds=0.5), clinic.clock)


async def test_a_concern_opens_its_draft_and_the_doctor_finalizes_it_from_the_inbox(
    desk: FrontDesk, make: MakeApp
) -> None:
    (visit,) = add_visit(desk, doctor="DRP")
    app = make("AB")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "s", *"Still limping")
        await pilot.click("#concern")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # The draft opens with the call notes, addressed to the case doctor.
        assert isinstance(app.screen, NoteEditor)
        assert editor_text(app) == "Still limping"
        assert "Draft note for DRP" in str(app.screen.query_one("#note-head").render())
        await pilot.press("end", *" on the left hind.", "escape")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)

        # The doctor takes the desk and finds it in the inbox.
        await pilot.press("w", *"DRP", "enter")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DraftsInbox)
        (row,) = shown(app)
        assert (row[0], row[2], row[4]) == ("DRP", "Biscuit", "AB")
        assert row[6] == "Still limping on the left hind."
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, DraftsInbox)
        assert shown(app) == []

    with Session(desk.database.engine) as session:
        assert session.get(Callback, visit.id).status == "completed"  # type: ignore[union-attr]
    final = only_note(desk)
    assert (final.status, final.addressed_to, final.body) == (
        "final",
        "DRP",
        "Still limping on the left hind.",
    )
    assert note_events(desk) == [
        ("AB", "note.drafted"),
        ("AB", "note.saved"),
        ("DRP", "note.finalized"),
    ]


async def test_a_final_note_is_read_only_and_takes_amendments(
    desk: FrontDesk, make: MakeApp
) -> None:
    draft = concern(desk, "Vomiting stopped.")
    desk.notes.finalize("DRW", NoteRef(draft.id, draft.version), "Vomiting stopped.")  # type: ignore[arg-type]
    app = make("DRW")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(NoteEditor(draft.id, "DRW"))  # type: ignore[arg-type]
        await settle(pilot)
        body = app.screen.query_one("#body", TextArea)
        assert body.read_only
        body.focus()
        await pilot.press(*"tamper", "ctrl+f")
        assert not isinstance(app.screen, Confirm)  # finalize is not offered
        assert editor_text(app) == "Vomiting stopped."
        app.screen.query_one("#amendment", TextArea).focus()
        await pilot.press(*"Also: [b]eating[/b] again.", "ctrl+s")
        await settle(pilot)
        assert "Amended" in str(app.screen.query_one("#amendments").render())
        assert "[b]eating[/b]" in str(app.screen.query_one("#amendments").render())
    view = notes.note(desk.database, draft.id)  # type: ignore[arg-type]
    assert view is not None and view.body == "Vomiting stopped."
    assert [(a.author, a.body) for a in view.amendments] == [("DRW", "Also: [b]eating[/b] again.")]


async def test_client_update_resolved_is_finalized_at_once(desk: FrontDesk, make: MakeApp) -> None:
    (visit,) = add_visit(desk, client="Jordan Lee", patient="Biscuit")
    desk.callbacks.log_outcome("AB", visit.id, visit.version, CallOutcome(Outcome.LEFT_MESSAGE))  # type: ignore[arg-type]
    app = make("CD")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u", *"lee")
        await settle(pilot)
        await pilot.press("enter")  # the one match
        await settle(pilot)
        assert isinstance(app.screen, ClientUpdateScreen)
        await pilot.press("enter")  # the left-message callback comes first
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"Owner called back: all well.", "ctrl+f", "y")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
    final = only_note(desk)
    assert (final.status, final.origin, final.author, final.addressed_to) == (
        "final",
        "client_update",
        "CD",
        "DRW",
    )
    assert final.callback is not None and final.callback.id == visit.id


async def test_client_update_still_concerned_waits_as_a_draft_for_the_case_doctor(
    desk: FrontDesk, make: MakeApp
) -> None:
    add_visit(desk, client="Jordan Lee", patient="Biscuit", doctor="DRP")
    app = make("CD")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await new_client_update(pilot, "biscuit")
        await pilot.press(*"Still not eating.", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        assert "Saved" in str(app.screen.query_one("#note-state").render())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
    draft = only_note(desk)
    assert (draft.status, draft.addressed_to, draft.body, draft.editing_by) == (
        "draft",
        "DRP",
        "Still not eating.",
        None,
    )
    assert [n.id for n in notes.drafts(desk.database)] == [draft.id]


async def test_an_empty_note_is_refused_with_a_clear_message(
    desk: FrontDesk, make: MakeApp
) -> None:
    add_visit(desk, patient="Biscuit")
    app = make("CD")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await new_client_update(pilot, "biscuit")
        await pilot.press("space", "space", "ctrl+s")
        await settle(pilot)
        error = str(app.screen.query_one("#error-body").render())
        assert error == "the note is empty: write what was said before saving"
        await pilot.press("ctrl+f")
        assert not isinstance(app.screen, Confirm)
        assert "empty" in str(app.screen.query_one("#error-body").render())
        await pilot.press("escape")  # nothing to keep: leaves without writing
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
    assert notes.notes(desk.database) == []


async def test_long_markup_and_non_latin_notes_show_and_save_literally(
    desk: FrontDesk, make: MakeApp
) -> None:
    head = "[bold red]Not markup[/] 王小明 Ωμέγα مرحبا\n"
    body = head + "y" * (20_000 - len(head) - 1)
    draft = concern(desk, body)
    app = make("DRW")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert shown(app)[0][6] == "[bold red]Not markup[/] 王小明 Ωμέγα مرحبا"
        await pilot.press("enter")
        await settle(pilot)
        assert editor_text(app) == body
        await pilot.press("ctrl+end", "!", "ctrl+s")
        await settle(pilot)
        await pilot.press("!", "ctrl+s")  # one past the limit
        await settle(pilot)
        assert "20,000" in str(app.screen.query_one("#error-body").render())
    stored = notes.note(desk.database, draft.id)  # type: ignore[arg-type]
    assert stored is not None and stored.body == body + "!"


async def test_autosave_keeps_typing_and_the_next_start_offers_it(
    desk: FrontDesk, make: MakeApp
) -> None:
    draft = concern(desk, "Started.")
    clinic = quick_autosave(desk.clinic)
    app = make("DRW", clinic=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(NoteEditor(draft.id, "DRW"))  # type: ignore[arg-type]
        await settle(pilot)
        await pilot.press("end", *" Then more")
        for _ in range(100):  # wait for an autosave tick (at most 5 s)
            await pilot.pause(0.05)
            if only_note(desk).body == "Started. Then more":
                break
        kept = only_note(desk)
        assert (kept.body, kept.editing_by) == ("Started. Then more", "DRW")
        app.screen.query_one("#body", TextArea).focus()
    assert only_note(desk).editing_by == "DRW"

    again = make("DRW", clinic=clinic)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert isinstance(again.screen, RecoverScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(again.screen, NoteEditor)
        assert editor_text(again) == "Started. Then more"
        await pilot.press("escape")
        await settle(pilot)
    assert only_note(desk).editing_by is None
    assert note_events(desk)[-1] == ("DRW", "note.saved")


async def editor_on(pilot: Pilot[None], note_id: int, initials: str) -> NoteEditor:
    """From Today, settled: the editor on that note, pushed by hand (no keys)."""
    await settle(pilot)
    pilot.app.push_screen(NoteEditor(note_id, initials))
    await settle(pilot)
    editor = pilot.app.screen
    assert isinstance(editor, NoteEditor)
    return editor


async def test_an_autosave_that_lands_after_a_newer_save_is_dropped(
    desk: FrontDesk, make: MakeApp
) -> None:
    """Writes run on threads: one asked for first may take the lock second. Keys cannot force
    that order, so the two writes are run here by hand, the later one first."""
    draft = concern(desk, "Started.")
    app = make("DRW")
    async with app.run_test(size=SIZE) as pilot:
        editor = await editor_on(pilot, draft.id, "DRW")  # type: ignore[arg-type]
        editor._asked = 2  # an autosave was asked for (1), then ctrl+s (2)
        editor._run("save", "Started. Then more.", leave=False, on_thread=False, turn=2)
        editor._run("autosave", "Started. Then more", leave=False, on_thread=False, turn=1)
        kept = only_note(desk)
        assert (kept.body, kept.editing_by) == ("Started. Then more.", None)
        # A write asked for after it still lands.
        editor._run("autosave", "Started. Then more. And", leave=False, on_thread=False)
        assert only_note(desk).body == "Started. Then more. And"
    assert note_events(desk)[-2:] == [("DRW", "note.saved"), ("DRW", "note.autosaved")]


async def test_an_autosave_that_comes_after_this_editor_finalized_the_note_is_dropped(
    desk: FrontDesk, make: MakeApp
) -> None:
    """An autosave asked for just before ctrl+f may take the lock after the finalize: it
    is skipped, not refused as a note finalized elsewhere (which reloaded the note in a
    worker after the editor had closed, and ended the app), and writes nothing."""
    draft = concern(desk, "Started.")
    app = make("DRW")
    async with app.run_test(size=SIZE) as pilot:
        editor = await editor_on(pilot, draft.id, "DRW")  # type: ignore[arg-type]
        editor._asked = 2  # an autosave was asked for (1), then the finalize (2)
        editor._run("finalize", "Started. All well.", leave=False, on_thread=False, turn=2)
        events = len(note_events(desk))
        editor._run("autosave", "Started. All wel", leave=False, on_thread=False, turn=1)
        editor._run("autosave", "Started. All well", leave=False, on_thread=False)  # asked after
        await settle(pilot)
        kept = only_note(desk)
        assert (kept.status, kept.body) == ("final", "Started. All well.")
        assert len(note_events(desk)) == events
        assert not [n for n in app._notifications if "finalized by" in n.message]


async def in_conflict(pilot: Pilot[None], desk: FrontDesk) -> Note:
    """DRW opens the draft, AB changes it at the other desk, DRW types and saves."""
    draft = concern(desk, "First words.")
    await settle(pilot)
    pilot.app.push_screen(NoteEditor(draft.id, "DRW"))  # type: ignore[arg-type]
    await settle(pilot)
    # Meanwhile, at the other desk:
    desk.notes.save("AB", NoteRef(draft.id, draft.version), "First words. AB adds this.")  # type: ignore[arg-type]
    await pilot.press("end", *" DRW adds that.", "ctrl+s")
    await settle(pilot)
    return draft


def body_error(app: object) -> str:
    return str(app.screen.query_one("#error-body").render())  # type: ignore[attr-defined]


async def test_a_draft_changed_at_another_desk_shows_both_texts_until_the_markers_are_deleted(
    desk: FrontDesk, make: MakeApp
) -> None:
    app = make("DRW")
    async with app.run_test(size=SIZE) as pilot:
        await in_conflict(pilot, desk)
        assert editor_text(app) == conflict.merged(
            "First words. AB adds this.", "First words. DRW adds that."
        )
        assert str(app.screen.query_one("#note-state").render()) == SETTLE

        # Neither saved, nor autosaved, nor finalized while the markers are there.
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert body_error(app) == conflict.MARKED
        app.screen._autosave()  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, NoteEditor)  # no question asked
        assert body_error(app) == conflict.MARKED
        assert only_note(desk).body == "First words. AB adds this."

        # Keep both texts: delete the end marker, then the begin marker.
        await pilot.press("home", "shift+end", "backspace", "backspace")
        assert body_error(app) == conflict.MARKED  # one marker left
        await pilot.press("up", "home", "shift+end", "backspace", "backspace")
        settled = "First words. AB adds this.\n\nFirst words. DRW adds that."
        assert editor_text(app) == settled
        assert body_error(app) == ""  # the reason is gone, and so is the message
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert only_note(desk).body == settled
        await pilot.press("ctrl+f", "y")
        await settle(pilot)
    final = only_note(desk)
    assert (final.status, final.body) == ("final", settled)


async def test_leaving_a_conflict_unsettled_asks_and_keeps_the_other_desks_text(
    desk: FrontDesk, make: MakeApp
) -> None:
    app = make("DRW")
    async with app.run_test(size=SIZE) as pilot:
        await in_conflict(pilot, desk)
        await pilot.press("escape")
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        assert isinstance(app.screen, NoteEditor)
        assert conflict.has_markers(editor_text(app))
        await pilot.press("escape", "y")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
    kept = only_note(desk)
    assert (kept.status, kept.body) == ("draft", "First words. AB adds this.")
    assert note_events(desk)[-1] == ("AB", "note.saved")


async def test_quitting_with_a_conflict_unsettled_stores_no_markers(
    desk: FrontDesk, make: MakeApp
) -> None:
    app = make("DRW")
    async with app.run_test(size=SIZE) as pilot:
        await in_conflict(pilot, desk)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert only_note(desk).body == "First words. AB adds this."


async def test_search_and_history_show_one_timeline(desk: FrontDesk, make: MakeApp) -> None:
    draft = concern(desk, "Limping again.")
    add_visit(desk, patient="Pepper", client="Jordan Lee", reason="urinary")
    app = make("AB")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"jordan")
        await settle(pilot)
        await pilot.press("enter", "enter")  # two patients: to the list, then the first
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        timeline = shown(app)
        assert {r[2] for r in timeline} == {"Biscuit"}
        assert [r[1] for r in timeline][:2] == ["note", "call"]
        await pilot.press("p")
        await settle(pilot)
        assert {r[2] for r in shown(app)} == {"Biscuit", "Pepper"}
        await pilot.press("enter")  # the newest entry is the draft
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.view is not None and app.screen.view.id == draft.id
        assert editor_text(app) == "Limping again."


async def test_nothing_is_written_by_opening_and_leaving(desk: FrontDesk, make: MakeApp) -> None:
    draft = concern(desk, "As it was.")
    with Session(desk.database.engine) as session:
        before = session.exec(select(func.count()).select_from(Event)).one()
    app = make("DRW")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(NoteEditor(draft.id, "DRW"))  # type: ignore[arg-type]
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    with Session(desk.database.engine) as session:
        assert session.exec(select(func.count()).select_from(Event)).one() == before
        assert session.exec(select(Amendment)).all() == []


async def test_quitting_in_the_editor_keeps_what_was_typed(desk: FrontDesk, make: MakeApp) -> None:
    draft = concern(desk, "Before.")
    app = make("DRW")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(NoteEditor(draft.id, "DRW"))  # type: ignore[arg-type]
        await settle(pilot)
        await pilot.press("end", *" After.", "ctrl+q")
        await pilot.pause()
    kept = only_note(desk)
    assert (kept.body, kept.editing_by) == ("Before. After.", None)


async def test_u_in_history_starts_a_client_update_for_that_patient(
    desk: FrontDesk, make: MakeApp
) -> None:
    (visit,) = add_visit(desk, patient="Biscuit", doctor="DRP")
    app = make("AB")  # whose queue shows the visit
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("h")  # the highlighted row's family
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ClientUpdateScreen)
        assert app.screen.patient_id == visit.patient_id
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press(*"Owner says all is well.", "ctrl+f", "y")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
    final = only_note(desk)
    assert (final.patient_id, final.status, final.addressed_to) == (
        visit.patient_id,
        "final",
        "DRP",
    )


async def test_a_draft_finalized_at_another_desk_keeps_my_text_as_an_amendment(
    desk: FrontDesk, make: MakeApp
) -> None:
    draft = concern(desk, "First words.")
    app = make("AB")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(NoteEditor(draft.id, "AB"))  # type: ignore[arg-type]
        await settle(pilot)
        desk.notes.finalize("DRW", NoteRef(draft.id, draft.version), "Final words.")  # type: ignore[arg-type]
        await pilot.press("end", *" And mine.", "ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NoteEditor) and screen.view is not None
        assert screen.view.is_final
        assert editor_text(app) == "Final words."
        assert screen.query_one("#amendment", TextArea).text == "First words. And mine."
        await pilot.press("ctrl+s")  # appends it
        await settle(pilot)
    stored = notes.note(desk.database, draft.id)  # type: ignore[arg-type]
    assert stored is not None and stored.body == "Final words."
    assert [(a.author, a.body) for a in stored.amendments] == [("AB", "First words. And mine.")]


async def test_undoing_a_big_paste_keeps_the_editor_and_the_autosaved_text(
    desk: FrontDesk, make: MakeApp
) -> None:
    draft = concern(desk, "Started.")
    pasted = "\n" + "\n".join(
        f"line {n} of the discharge sheet, read out by the owner" for n in range(60)
    )
    app = make("DRW", clinic=quick_autosave(desk.clinic))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(NoteEditor(draft.id, "DRW"))  # type: ignore[arg-type]
        await settle(pilot)
        app.post_message(events.Paste(pasted))  # as the terminal delivers it
        for _ in range(100):  # wait for an autosave tick (at most 5 s)
            await pilot.pause(0.05)
            if only_note(desk).body == "Started." + pasted:
                break
        assert only_note(desk).body == "Started." + pasted
        await pilot.press("ctrl+z")
        assert app.is_running and isinstance(app.screen, NoteEditor)
        assert editor_text(app) == "Started."
        await pilot.press("ctrl+y")
        assert editor_text(app) == "Started." + pasted
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
    kept = only_note(desk)
    assert (kept.body, kept.editing_by) == ("Started." + pasted, None)


async def test_enter_does_not_finalize_only_y_does(desk: FrontDesk, make: MakeApp) -> None:
    draft = concern(desk, "Eating again.")
    app = make("DRW")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(NoteEditor(draft.id, "DRW"))  # type: ignore[arg-type]
        await settle(pilot)
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, Confirm)
        keys = app.screen.query("FooterKey")
        assert [(key.key_display, key.description) for key in keys] == [("y", "Yes"), ("n", "No")]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)  # still asking
        assert app.screen.query_one("#how-to-answer").display
        assert only_note(desk).status == "draft"
        await pilot.press("enter", "escape")  # escape declines
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        assert only_note(desk).status == "draft"
        await pilot.press("ctrl+f", "y")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
    assert (only_note(desk).status, only_note(desk).body) == ("final", "Eating again.")
    assert note_events(desk)[-1] == ("DRW", "note.finalized")


async def test_a_draft_stored_with_markers_by_an_older_version_cannot_be_finalized(
    desk: FrontDesk, make: MakeApp
) -> None:
    draft = concern(desk, "First words.")
    marked = conflict.merged("First words.", "Other words.")
    with Session(desk.database.engine) as session:  # as earlier versions could store it
        stored = session.get(Note, draft.id)
        assert stored is not None
        stored.body = marked
        session.add(stored)
        session.commit()
    before = note_events(desk)
    app = make("DRW")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(NoteEditor(draft.id, "DRW"))  # type: ignore[arg-type]
        await settle(pilot)
        assert editor_text(app) == marked
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, NoteEditor)
        assert body_error(app) == conflict.MARKED
        await pilot.press("escape")  # nothing typed: nothing to lose, no question
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
    assert (only_note(desk).status, only_note(desk).body) == ("draft", marked)
    assert note_events(desk) == before


async def test_the_editors_footer_is_built_once_as_it_opens(
    desk: FrontDesk, make: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its keys are heard of a few times before the first build, and save and finalize are
    dimmed, not hidden, while the note is read: one build, not one each time."""
    concern_draft(desk)
    app = make("AB")
    async with app.run_test(size=SIZE) as pilot:
        rebuilt = count_footer_rebuilds(monkeypatch)
        await open_first_draft(pilot)
        assert rebuilt.count("NoteEditor") == 1


async def test_keys_typed_right_after_escape_from_a_draft_go_to_the_screen_beneath(
    desk: FrontDesk, make: MakeApp
) -> None:
    """Escape saves the draft and goes back; `i` and a name typed at once after it open the
    incident with that name, and type nothing into the note left behind."""
    from callback_tui.tui.screens.incident import IncidentScreen
    from tests.tui.test_fast_keys import type_fast

    draft = concern_draft(desk)
    app = make("AB")
    async with app.run_test(size=SIZE) as pilot:
        await open_first_draft(pilot)
        await pilot.press("end", *" Eating.")
        type_fast(app, "escape", "i", *"Sam")  # at once, as a terminal sends them
        await settle(pilot)
        assert isinstance(app.screen, IncidentScreen)
        assert app.screen.query_one("#subject", Input).value == "Sam"
        assert draft.id is not None
        kept = notes.note(desk.database, draft.id)
        assert kept is not None and kept.body == draft.body + " Eating."


async def test_the_editor_is_kept_and_opened_again_shows_only_the_next_note(
    desk: FrontDesk, make: MakeApp
) -> None:
    final = concern(desk, "Vomiting stopped.", patient="Biscuit")
    desk.notes.finalize("DRW", NoteRef(final.id, final.version), "Vomiting stopped.")  # type: ignore[arg-type]
    draft = concern(desk, "Limping again.", patient="Luna")
    app = make("DRW")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_kept(NoteEditor, final.id, "DRW", callback=lambda _: None)
        await settle(pilot)
        first = app.screen
        assert isinstance(first, NoteEditor) and first.has_class("-final")
        await pilot.press(*"Not sent", "escape")  # in the amendment box, then left: dropped
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot)

        app.push_kept(NoteEditor, draft.id, "DRW", callback=lambda _: None)
        await settle(pilot)
        again = app.screen
        assert again is first  # the same editor, kept
        body = again.query_one("#body", TextArea)
        assert (body.text, body.read_only) == ("Limping again.", False)
        assert not again.has_class("-final")
        assert again.query_one("#amendment", TextArea).text == ""
        head = str(again.query_one("#note-head").render())
        assert "Draft note for DRW · Luna" in head and "Biscuit" not in head
        assert "Amended" not in str(again.query_one("#amendments").render())
        assert str(again.query_one("#note-state").render()).startswith("Saved")
        assert app.focused is body
        await pilot.press(*" Better by evening.", "escape")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)

        # Closed, the kept editor writes nothing, whatever its box holds meanwhile.
        before = note_events(desk)
        body.load_text("Stray words")
        again._autosave()
        await settle(pilot)
        assert note_events(desk) == before

        app.push_kept(NoteEditor, final.id, "DRW", callback=lambda _: None)
        await settle(pilot)
        assert app.screen is first and first.has_class("-final")
        assert (editor_text(app), body.read_only) == ("Vomiting stopped.", True)
    stored = notes.note(desk.database, draft.id)  # type: ignore[arg-type]
    assert stored is not None and stored.body == "Limping again. Better by evening."
    kept_final = notes.note(desk.database, final.id)  # type: ignore[arg-type]
    assert kept_final is not None and kept_final.amendments == ()


async def test_an_editor_still_reading_its_last_note_is_not_reused(
    desk: FrontDesk, make: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    first_note = concern(desk, "Vomiting stopped.", patient="Biscuit")
    second_note = concern(desk, "Limping again.", patient="Luna")
    read = notes.note
    release = threading.Event()

    def slow_for_the_first(database: object, note_id: int) -> NoteView | None:
        if note_id == first_note.id:
            release.wait(5)
        return read(database, note_id)  # type: ignore[arg-type]

    monkeypatch.setattr(notes, "note", slow_for_the_first)
    app = make("DRW")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = app.push_kept(NoteEditor, first_note.id, "DRW", callback=lambda _: None)
        await pilot.pause(0.05)
        first.action_leave()  # before its note is read: nothing to keep
        await pilot.pause(0.05)
        second = app.push_kept(NoteEditor, second_note.id, "DRW", callback=lambda _: None)
        assert second is not first  # the first's read is still under way
        release.set()
        await settle(pilot)
        assert app.screen is second
        assert editor_text(app) == "Limping again."
        assert "Luna" in str(second.query_one("#note-head").render())
