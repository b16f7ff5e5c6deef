"""Every key says what it did, or why it did nothing: no silent refusals, no stale errors."""

from __future__ import annotations

from sqlmodel import Session, select
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from callback_tui.domain.incidents import Step
from callback_tui.store import incidents, tasks
from callback_tui.store.services import FrontDesk
from callback_tui.store.tables import Callback
from callback_tui.tui.app import CallbackApp
from callback_tui.tui.screens.add_callback import AddCallbackScreen
from callback_tui.tui.screens.common import FieldError, show_errors
from callback_tui.tui.screens.history import HistoryScreen
from callback_tui.tui.screens.incident import IncidentsBoard, IncidentScreen
from callback_tui.tui.screens.outcome import OutcomeScreen
from callback_tui.tui.screens.tasks import TasksScreen
from callback_tui.tui.screens.today import TodayScreen
from tests.conftest import add_visit
from tests.tui.conftest import SIZE, MakeApp, settle, shown
from tests.tui.test_incidents import only, step_one, step_two, to_the_review, type_into
from tests.tui.test_tasks import wrong_number


async def press(pilot: Pilot[None], *keys: str) -> None:
    """Press the keys, then let what they started finish."""
    await pilot.press(*keys)
    await settle(pilot)


def said(app: CallbackApp) -> list[str]:
    """Every toast the app has shown, as plain text."""
    return [str(n.message) for n in app._notifications]


def errors(app: CallbackApp) -> dict[str, str]:
    """The field errors on show on the screen on top, by field."""
    return {e.field: str(e.render()) for e in app.screen.query(FieldError) if e.has_class("-shown")}


# -- ctrl+e before the incident is ready ------------------------------------------------


async def test_ctrl_e_before_every_step_is_done_says_what_is_missing(
    desk: FrontDesk, make: MakeApp
) -> None:
    app = make("OM")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "i")
        await press(pilot, "ctrl+e")
        assert said(app)[-1].startswith("Not ready to close: what happened is not recorded yet.")
        assert "Still to do: 1 What happened, 2 Office manager" in said(app)[-1]
        assert set(errors(app)) == {"subject", "found_via", "what_happened", "note_kind"}
        assert incidents.incidents(desk.database) == []

        await step_one(pilot)
        assert only(desk).step is Step.OFFICE_MANAGER
        await press(pilot, "ctrl+e")
        message = said(app)[-1]
        assert "the office manager has not spoken with the client yet" in message
        # Found in the office: no review step to do.
        assert message.endswith(
            "Still to do: 2 Office manager, 3 Escalation (if not remedied), 4 Leadership."
            " On this step, fill in the fields marked."
        )
        assert set(errors(app)) == {"available"}
        await pilot.click("#available-now")
        await press(pilot, "ctrl+e")
        assert set(errors(app)) == {"conversation", "remedied"}  # OM is filled in for them
    assert only(desk).status == "open"


# -- the review reply, saved unposted -----------------------------------------------------


async def test_saving_the_review_step_unposted_keeps_the_reply_and_says_so(
    desk: FrontDesk, make: MakeApp
) -> None:
    app = make("OM")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await to_the_review(pilot)
        assert only(desk).step is Step.REVIEW

        await press(pilot, "ctrl+s")  # nothing written, nothing ticked
        assert said(app)[-1].startswith("Nothing saved: write the public reply")
        assert set(errors(app)) == {"platform", "reply", "posted"}
        version = only(desk).version

        await type_into(pilot, "platform", "Google")
        await type_into(pilot, "reply", "Thank you; we have spoken with you directly.")
        assert set(errors(app)) == {"posted"}
        await press(pilot, "ctrl+s")
        assert said(app)[-1] == (
            "Reply saved, not posted yet. Once it is posted on the review site, tick"
            " “The reply is posted” and press ctrl+s to move on to closing."
        )
        kept = only(desk)
        assert kept.version == version + 1 and kept.step is Step.REVIEW
        assert kept.review_reply == "Thank you; we have spoken with you directly."
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        assert screen.query_one("#reply", TextArea).text == kept.review_reply


async def test_an_unposted_reply_that_names_the_patient_is_saved_with_a_warning(
    desk: FrontDesk, make: MakeApp
) -> None:
    app = make("OM")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await to_the_review(pilot)
        await type_into(pilot, "reply", "Sorry, Mrs ORTIZ's wait was too long.")
        await press(pilot, "ctrl+s")
        assert said(app)[-1].endswith("too much: change it before posting.")
        assert "Ortiz" not in said(app)[-1]  # never the patient's details in a message


# -- field errors go once their field is changed ------------------------------------------


async def test_a_fixed_field_loses_its_error_and_the_others_keep_theirs(
    desk: FrontDesk, make: MakeApp
) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "a")
        assert isinstance(app.screen, AddCallbackScreen)
        await press(pilot, *"Ann", "tab", *"12", "ctrl+s")
        assert set(errors(app)) == {"phone", "patient", "reason", "doctor"}
        await press(pilot, "backspace")  # typed in
        assert set(errors(app)) == {"patient", "reason", "doctor"}
        app.screen.query_one("#reason").value = "urinary"  # type: ignore[attr-defined]
        await settle(pilot)  # picked
        assert set(errors(app)) == {"patient", "doctor"}
        # Untouched, the rest stays: what is still on screen is still wrong.
        await type_into(pilot, "client", "e")
        await settle(pilot)
        assert set(errors(app)) == {"patient", "doctor"}


async def test_picking_an_outcome_or_ticking_a_box_clears_its_error(
    desk: FrontDesk, make: MakeApp
) -> None:
    add_visit(desk)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "enter", "ctrl+s")
        assert isinstance(app.screen, OutcomeScreen)
        assert set(errors(app)) == {"outcome"}
        await press(pilot, "l")  # picked: left a message
        assert errors(app) == {}
        show_errors(app.screen, {"identity": "Verify who you are speaking with first."})
        app.screen.query_one("#identity").focus()
        await press(pilot, "space")  # ticked
        assert errors(app) == {}


async def test_the_incident_form_clears_errors_as_its_fields_are_filled(
    desk: FrontDesk, make: MakeApp
) -> None:
    app = make("FD")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "i")
        await press(pilot, "ctrl+s")
        assert set(errors(app)) == {"subject", "found_via", "what_happened", "note_kind"}
        await type_into(pilot, "what_happened", "W")
        await pilot.click("#found_via-phone")
        await settle(pilot)
        assert set(errors(app)) == {"subject", "note_kind"}


async def test_a_change_that_leaves_the_refused_value_keeps_the_error(
    desk: FrontDesk, make: MakeApp
) -> None:
    """A keystroke's change can arrive after the save that refused the field's new value."""
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "a")
        phone = app.screen.query_one("#phone", Input)
        phone.value = "12"
        show_errors(app.screen, {"phone": "'12' is not a valid phone number"})
        await settle(pilot)  # the change of "12" lands after the refusal
        assert set(errors(app)) == {"phone"}


# -- c on a row that is no pool item -----------------------------------------------------


async def test_c_on_my_own_row_says_why_nothing_was_claimed(desk: FrontDesk, make: MakeApp) -> None:
    (mine,) = add_visit(desk)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert shown(app)[0][5] == "AB"
        await press(pilot, "c")
        assert said(app)[-1] == (
            "Only pool callbacks (SA) can be claimed; this one is already yours."
        )
    with Session(desk.database.engine) as session:
        assert session.get(Callback, mine.id).version == mine.version  # type: ignore[union-attr]


async def test_c_for_someone_who_works_no_pool(desk: FrontDesk, make: MakeApp) -> None:
    add_visit(desk, assisted_by="OM")  # office managers work no pool (the front desk has DESK)
    app = make("OM")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "c")
        assert said(app)[-1] == (
            "Only pool callbacks can be claimed, and OM works no pool; this one is already yours."
        )


# -- g from every list screen, and the hint after leaving an incident ---------------------


async def test_g_goes_from_the_tasks_list_to_the_board_and_back(
    desk: FrontDesk, make: MakeApp
) -> None:
    wrong_number(desk)
    app = make("FD")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "g", "t")
        assert isinstance(app.screen, TasksScreen)
        await press(pilot, "g", "i")
        assert isinstance(app.screen, IncidentsBoard)
        await press(pilot, "g", "i")
        assert said(app)[-1] == "This is the incidents board already."
        await press(pilot, "escape")
        assert isinstance(app.screen, TasksScreen)
        await press(pilot, "o")  # the task's history: a list screen too
        assert isinstance(app.screen, HistoryScreen)
        await press(pilot, "g", "t")
        assert isinstance(app.screen, TasksScreen)


async def test_leaving_an_incident_names_keys_that_work_where_it_lands(
    desk: FrontDesk, make: MakeApp
) -> None:
    wrong_number(desk)
    app = make("FD")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "g", "t")
        await press(pilot, "i")
        await type_into(pilot, "subject", "Mr Ng")
        await press(pilot, "escape")
        assert isinstance(app.screen, TasksScreen)
        assert said(app)[-1] == "Kept: g then i (the incidents board) finds it again."
        await press(pilot, "g", "i")
        assert isinstance(app.screen, IncidentsBoard)
        await press(pilot, "enter")
        await type_into(pilot, "what_happened", "Shouted at the desk.")
        await press(pilot, "escape")
        assert isinstance(app.screen, IncidentsBoard)
        assert said(app)[-1] == "Kept: it waits on this board; enter opens it again."
    assert only(desk).draft["what_happened"] == "Shouted at the desk."


# -- tasks due by closing, and Today pointing at them ------------------------------------


async def test_a_task_made_now_is_not_late_and_todays_empty_queue_points_to_it(
    desk: FrontDesk, make: MakeApp
) -> None:
    app = make("OM")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await step_one(pilot)
        await step_two(pilot, "later")
        assert said(app)[-1] == (
            "Task sent to OM. The incident waits at step 2 until they have spoken with the client."
        )
        await press(pilot, "escape")
        assert isinstance(app.screen, TodayScreen)
        empty = str(app.screen.query_one("#empty").render())
        assert "Nothing due for OM today. Waiting for you: 1 open task: g t." in empty
        assert "tasks 1" in str(app.screen.query_one("#counts").render())
        await press(pilot, "g", "t")
        ((due, *_),) = shown(app)
        assert due == "Tue 24 Nov 18:00"
        assert str(app.screen.query_one("#counts").render()) == "1 open · 0 past due"


async def test_an_unfinished_incident_of_mine_is_pointed_to_as_well(
    desk: FrontDesk, make: MakeApp
) -> None:
    app = make("FD")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "i")
        await type_into(pilot, "subject", "Mr Ng")
        await press(pilot, "escape")
        assert "1 incident at your step: g i" in str(app.screen.query_one("#empty").render())
    assert tasks.waiting(desk.database, "FD") == tasks.Waiting(tasks=0, incidents=1)


# -- what "Added" says --------------------------------------------------------------------


async def add_by_form(pilot: Pilot[None], reason: str, occurred_at: str) -> None:
    """`a`, a visit of Biscuit's filled in, ctrl+s."""
    await press(pilot, "a")
    screen = pilot.app.screen
    assert isinstance(screen, AddCallbackScreen)
    for field, value in {
        "client": "Jordan Lee",
        "phone": "312 555 0142",
        "patient": "Biscuit",
        "reason": reason,
        "doctor": "DRW",
        "occurred_at": occurred_at,
    }.items():
        screen.query_one(f"#{field}").value = value  # type: ignore[attr-defined]
    await settle(pilot)
    await press(pilot, "ctrl+s")


async def test_added_says_when_the_new_callback_is_due_and_that_it_is_not_on_todays_list(
    desk: FrontDesk, make: MakeApp
) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await add_by_form(pilot, "illness", "2026-11-24 08:30")  # a week later
        assert isinstance(app.screen, TodayScreen)
        assert shown(app) == []
        assert said(app)[-1] == (
            "Added a callback for Biscuit, due Tue 01 Dec 08:30 (not on today's list)."
        )


async def test_added_today_says_so(desk: FrontDesk, make: MakeApp) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await add_by_form(pilot, "urinary", "2026-11-23 16:00")  # 24 hours later
        assert [row[1] for row in shown(app)] == ["Biscuit"]
        assert said(app)[-1] == "Added a callback for Biscuit, due today 16:00."


async def test_adding_a_visit_on_file_already_adds_nothing_and_says_so(
    desk: FrontDesk, make: MakeApp
) -> None:
    (on_file,) = add_visit(desk, reason="urinary", occurred_at="2026-11-23 16:00")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await add_by_form(pilot, "urinary", "2026-11-23 16:00")
        assert said(app)[-1] == "Nothing added: that visit is on file already."
    with Session(desk.database.engine) as session:
        assert [c.id for c in session.exec(select(Callback))] == [on_file.id]
