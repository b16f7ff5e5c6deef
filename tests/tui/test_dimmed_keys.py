"""Keys the person's role may not use: shown dimmed, with a line saying who may; pressed
anyway, they say it again, and nothing is written (the service would refuse it too)."""

from __future__ import annotations

from textual.widgets import Static

from callback_tui.domain.incidents import Step
from callback_tui.domain.vocab import Outcome
from callback_tui.store.incident_desk import IncidentStart
from callback_tui.store.services import CallOutcome, FrontDesk
from callback_tui.tui.app import CallbackApp
from callback_tui.tui.screens.incident import IncidentScreen
from callback_tui.tui.screens.note_editor import NoteEditor
from tests.conftest import add_visit
from tests.tui.conftest import SIZE, MakeApp, open_first_draft, settle
from tests.tui.test_incidents import only, open_from_the_board, type_into
from tests.tui.test_notes import new_client_update, only_note

ESCALATION = "Only a regional manager or the owner may record the outcome of an escalated incident."
CLOSE = "Only an office manager, a regional manager or the owner may close an incident."
FINALIZE = "Only a doctor may finalize a doctor's draft."


def key(app: CallbackApp, name: str) -> tuple[str, bool]:
    """The key as the footer shows it: its description, and whether it is lit."""
    active = app.screen.active_bindings[name]
    return active.binding.description, active.enabled


def toasts(app: CallbackApp) -> list[str]:
    return [str(toast.message) for toast in app._notifications]


def incident_at(desk: FrontDesk, step: Step) -> int:
    """An incident not remedied by the office manager, taken on to `step` (3 or its close)."""
    desk.staff.add("setup", "RM", "Reggie Moss", "regional_manager")
    made = desk.incidents.open(
        "FD", IncidentStart("in_office", "Waited 40 minutes; left upset.", subject="Mrs Ortiz")
    )
    assert made.id is not None
    made = desk.incidents.office_manager(
        "OM",
        made.id,
        made.version,
        available=True,
        office_manager="OM",
        conversation="Wants a refund; I could not agree it.",
        remedied=False,
    )
    if step is Step.CLOSE:
        made = desk.incidents.escalation("RM", made.id, made.version, "Refunded the exam.")  # type: ignore[arg-type]
        desk.incidents.summary_sent("RM", made.id, made.version)  # type: ignore[arg-type]
    assert only(desk).step is step
    return made.id  # type: ignore[return-value]


async def test_once_saved_for_the_doctor_a_client_update_is_theirs_to_finalize(
    desk: FrontDesk, make: MakeApp
) -> None:
    """CD may finalize the update they resolve on the phone; once CD saves it for the doctor
    (ctrl+s), finalizing it is a doctor's: the key dims and the line above the note says so."""
    add_visit(desk, client="Jordan Lee", patient="Biscuit", doctor="DRP")
    app = make("CD")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await new_client_update(pilot, "biscuit")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        await pilot.press(*"Still not eating.")
        assert key(app, "ctrl+f") == ("Finalize", True)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert key(app, "ctrl+f") == ("Finalize", False)
        hint = str(editor.query_one("#note-hint", Static).render())
        assert hint == f"{FINALIZE} ctrl+s keeps it as a draft for DRP."
        await pilot.press("ctrl+f")  # anyway: the reason, and no question
        await settle(pilot)
        assert app.screen is editor
        assert toasts(app)[-1] == FINALIZE
    draft = only_note(desk)
    assert (draft.status, draft.body, draft.addressed_to) == ("draft", "Still not eating.", "DRP")


async def test_an_assistant_sees_finalize_dimmed_on_a_concern_for_the_doctor(
    desk: FrontDesk, make: MakeApp
) -> None:
    (visit,) = add_visit(desk, client="Jordan Lee", patient="Biscuit")
    desk.callbacks.log_outcome(
        "AB",
        visit.id,  # type: ignore[arg-type]
        visit.version,
        CallOutcome(Outcome.SPOKE, "Still vomiting.", concern_for_doctor=True),
    )
    app = make("AB")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")  # the drafts waiting for a doctor
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert key(app, "ctrl+f") == ("Finalize", False)
        assert str(editor.query_one("#note-hint", Static).render()).startswith(FINALIZE)
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert app.screen is editor and toasts(app)[-1] == FINALIZE
    assert only_note(desk).status == "draft"


async def test_a_doctor_sees_finalize_lit(desk: FrontDesk, make: MakeApp) -> None:
    (visit,) = add_visit(desk, client="Jordan Lee", patient="Biscuit")
    desk.callbacks.log_outcome(
        "AB",
        visit.id,  # type: ignore[arg-type]
        visit.version,
        CallOutcome(Outcome.SPOKE, "Still vomiting.", concern_for_doctor=True),
    )
    app = make("DRP")  # not the addressee: any doctor may
    async with app.run_test(size=SIZE) as pilot:
        await open_first_draft(pilot)
        assert key(app, "ctrl+f") == ("Finalize", True)
        assert not str(app.screen.query_one("#note-hint", Static).render())


async def test_the_front_desk_sees_the_regional_managers_step_dimmed(
    desk: FrontDesk, make: MakeApp
) -> None:
    incident_at(desk, Step.ESCALATION)
    app = make("FD")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_from_the_board(pilot)
        screen = app.screen
        assert isinstance(screen, IncidentScreen) and screen.step is Step.ESCALATION
        may = screen.query_one("#may", Static)
        assert may.display and str(may.render()).startswith(ESCALATION)
        assert key(app, "ctrl+s") == ("Save step", False)
        await type_into(pilot, "outcome", "Refunded the exam; client satisfied.")
        await pilot.press("ctrl+s")  # anyway: the reason; the step stays as typed
        await settle(pilot)
        assert app.screen is screen
        assert toasts(app)[-1] == ESCALATION
    assert only(desk).step is Step.ESCALATION


async def test_a_regional_manager_sees_their_step_lit(desk: FrontDesk, make: MakeApp) -> None:
    incident_at(desk, Step.ESCALATION)
    app = make("RM")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_from_the_board(pilot)
        assert not app.screen.query_one("#may", Static).display
        assert key(app, "ctrl+s") == ("Save step", True)


async def test_the_front_desk_sees_close_dimmed_and_the_office_manager_closes(
    desk: FrontDesk, make: MakeApp
) -> None:
    incident_at(desk, Step.CLOSE)
    app = make("FD")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_from_the_board(pilot)
        screen = app.screen
        assert isinstance(screen, IncidentScreen) and screen.step is Step.CLOSE
        assert str(screen.query_one("#may", Static).render()).startswith(CLOSE)
        assert key(app, "ctrl+e") == ("Close incident", False)
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert toasts(app)[-1] == CLOSE
        assert only(desk).status == "open"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("w", *"OM", "enter")  # no PINs here: the initials picker
        await settle(pilot)
        await open_from_the_board(pilot)
        assert key(app, "ctrl+e") == ("Close incident", True)
        await pilot.press("ctrl+e")
        await settle(pilot)
    assert (only(desk).status, only(desk).closed_by) == ("closed", "OM")
