"""A client's details on screen: `e` from history and from the Log call dialog; a wrong
number's task done with the right number."""

from __future__ import annotations

from sqlmodel import Session, select
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Static

from callback_tui.domain.vocab import Outcome
from callback_tui.store import queries, tasks
from callback_tui.store.services import CallOutcome, ClientDetails, FrontDesk, PhoneEntry
from callback_tui.store.tables import Callback, Event
from callback_tui.tui.screens.client_details import ClientDetailsScreen
from callback_tui.tui.screens.find import FindPatient
from callback_tui.tui.screens.history import HistoryScreen
from callback_tui.tui.screens.outcome import OutcomeScreen
from callback_tui.tui.screens.tasks import TaskDoneScreen, TasksScreen
from callback_tui.tui.screens.today import TodayScreen
from callback_tui.tui.widgets.confirm import Confirm
from tests.conftest import add_visit
from tests.tui.conftest import SIZE, MakeApp, settle, shown


def text_of(pilot: Pilot[None], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())


def client_of(desk: FrontDesk, callback: Callback) -> queries.ClientView:
    view = queries.client_details(desk.database, callback.client_id)
    assert view is not None
    return view


def actions(desk: FrontDesk) -> list[str]:
    with Session(desk.database.engine) as session:
        return [e.action for e in session.exec(select(Event).order_by(Event.id))]  # type: ignore[arg-type]


async def open_details_from_history(pilot: Pilot[None]) -> ClientDetailsScreen:
    await settle(pilot)
    await pilot.press("h")
    await settle(pilot)
    assert isinstance(pilot.app.screen, HistoryScreen)
    await pilot.press("e")
    await settle(pilot)
    details = pilot.app.screen
    assert isinstance(details, ClientDetailsScreen)
    return details


async def pick_label(pilot: Pilot[None], steps_up: int) -> None:
    """On a phone's kind (a list: mobile, home, work, other), from "other"."""
    await pilot.press("enter", *["up"] * steps_up, "enter")


async def test_e_from_history_adds_a_number_makes_it_best_and_saves_consent(
    desk: FrontDesk, make: MakeApp
) -> None:
    (callback,) = add_visit(desk, patient="Biscuit", client="Jordan Lee")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        details = await open_details_from_history(pilot)
        assert details.query_one("#phone-0", Input).value == "(312) 555-0142"
        assert details.query_one("#best-0", Checkbox).value
        assert details.query_one("#voicemail", Checkbox).value
        assert app.focused is details.query_one("#phone-0", Input)

        await pilot.press("tab")  # the first number's kind: home
        await pick_label(pilot, 2)
        await pilot.press("tab", "tab", *"312 555 0199")  # the empty row: a new number
        await settle(pilot)
        assert details.query("#phone-2")  # another empty row opened below
        await pilot.press("tab")  # its kind: mobile
        await pick_label(pilot, 3)
        await pilot.press("tab", "space")  # the best now
        assert not details.query_one("#best-0", Checkbox).value
        await pilot.click("#texts")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert "(312) 555-0199 (+1 more)" in text_of(pilot, "#client")
        assert "texts OK" in text_of(pilot, "#consent")

    saved = client_of(desk, callback)
    assert [(p.number, p.label, p.best) for p in saved.phones] == [
        ("+13125550199", "mobile", True),
        ("+13125550142", "home", False),
    ]
    assert (saved.voicemail_ok, saved.text_ok, saved.do_not_call) == (True, True, False)
    assert actions(desk)[-1] == "client.details_changed"


async def test_bad_entries_are_refused_field_by_field_and_escape_asks_first(
    desk: FrontDesk, make: MakeApp
) -> None:
    (callback,) = add_visit(desk, patient="Biscuit", client="Jordan Lee")
    before = client_of(desk, callback)
    written = actions(desk)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        details = await open_details_from_history(pilot)
        await pilot.press("tab", "tab", "tab", *"555")  # a number too short to call
        await pilot.click("#do-not-call")  # with no reason
        await settle(pilot)
        assert details.query_one("#reason", Input).display
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is details
        assert text_of(pilot, "#error-phone-1").startswith("not a phone number that can be")
        assert text_of(pilot, "#error-reason") == "say why the client is not to be called"
        assert not text_of(pilot, "#error-phone-0")
        assert app.focused is details.query_one("#phone-1", Input)
        assert details.query_one("#phone-1", Input).value == "555"  # kept as typed

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is details
        await pilot.press("escape", "y")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)

        await pilot.press("e")  # nothing changed: escape closes at once
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
    assert client_of(desk, callback) == before
    assert actions(desk) == written


async def test_e_from_the_log_call_dialog_shows_the_new_facts_there(
    desk: FrontDesk, make: MakeApp
) -> None:
    (callback,) = add_visit(desk, patient="Biscuit", client="Jordan Lee")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, OutcomeScreen)
        assert "Voicemail OK" in text_of(pilot, "#facts")
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ClientDetailsScreen)
        await pilot.press("end", "ctrl+u", *"312-555-0111")  # the number, retyped
        await pilot.click("#voicemail")  # no voicemail after all
        await pilot.click("#do-not-call")
        await pilot.click("#reason")
        await pilot.press(*"Asked: no calls, letters only")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        facts = text_of(pilot, "#facts")
        assert facts.startswith("(312) 555-0111")
        assert "No voicemail" in facts and "DO NOT CALL" in facts
        assert dialog.query_one("#justification", Input).display

        await pilot.press("s", "ctrl+s")  # spoke, but no justification for the call
        await settle(pilot)
        assert text_of(pilot, "#error-justification").startswith("the client asked not to")
        await pilot.click("#justification")
        await pilot.press(*"Lab result needs the doctor today", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
    saved = client_of(desk, callback)
    assert (saved.phone, saved.voicemail_ok, saved.do_not_call) == ("+13125550111", False, True)
    assert saved.do_not_call_reason == "Asked: no calls, letters only"
    with Session(desk.database.engine) as session:
        logged = session.exec(select(Event).where(Event.action == "attempt.logged")).one()
    assert logged.after is not None and logged.after["do_not_call_override"] is True


async def test_the_kept_log_call_dialog_opens_again_with_the_saved_facts(
    desk: FrontDesk, make: MakeApp
) -> None:
    add_visit(desk, patient="Biscuit", client="Jordan Lee")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "e")
        await settle(pilot)
        await pilot.click("#texts")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Texts OK" in text_of(pilot, "#facts")
        await pilot.press("escape", "enter")  # closed, and opened again on the row
        await settle(pilot)
        assert isinstance(app.screen, OutcomeScreen)
        assert "Texts OK" in text_of(pilot, "#facts")


def wrong_number(desk: FrontDesk) -> Callback:
    (callback,) = add_visit(desk, patient="Biscuit", client="Jordan Lee")
    desk.callbacks.log_outcome(
        "AB",
        callback.id,  # type: ignore[arg-type]
        callback.version,
        CallOutcome(Outcome.WRONG_NUMBER),
    )
    return callback


async def open_the_task(pilot: Pilot[None]) -> TaskDoneScreen:
    await settle(pilot)
    await pilot.press("g", "t")
    await settle(pilot)
    assert isinstance(pilot.app.screen, TasksScreen)
    await pilot.press("enter")
    await settle(pilot)
    done = pilot.app.screen
    assert isinstance(done, TaskDoneScreen)
    return done


async def test_a_wrong_numbers_task_done_with_the_right_number_clears_the_flag(
    desk: FrontDesk, make: MakeApp
) -> None:
    callback = wrong_number(desk)
    app = make("FD")
    async with app.run_test(size=SIZE) as pilot:
        done = await open_the_task(pilot)
        assert text_of(pilot, "#on-file") == "Reported wrong: (312) 555-0142"
        assert app.focused is done.query_one("#number", Input)
        await pilot.press("enter")  # nothing given
        await settle(pilot)
        assert text_of(pilot, "#error-number") == (
            "type the right number, or tick that none could be found"
        )
        await pilot.press(*"(312) 555-0188", "tab")
        await pick_label(pilot, 3)  # mobile
        await pilot.click("#note")
        await pilot.press(*"Found on the referral letter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TasksScreen) and shown(app) == []

        await pilot.press("escape", "slash", *"312 555 0188")  # found by the new number
        await settle(pilot)
        assert isinstance(app.screen, FindPatient)
        assert [row[0] for row in shown(app)] == ["Biscuit"]

    row = queries.callback_row(desk.database, callback.id)  # type: ignore[arg-type]
    assert row is not None and not row.wrong_number and row.phone == "+13125550188"
    assert [(p.number, p.label, p.best) for p in client_of(desk, callback).phones] == [
        ("+13125550188", "mobile", True)
    ]
    (task,) = tasks.tasks(desk.database, include_done=True)
    assert (task.status, task.done_by, task.done_note) == (
        "done",
        "FD",
        "Found on the referral letter",
    )
    assert actions(desk)[-3:] == [
        "client.number_corrected",
        "callback.number_corrected",
        "task.done",
    ]


async def test_could_not_find_one_needs_a_note_and_keeps_the_flag(
    desk: FrontDesk, make: MakeApp
) -> None:
    callback = wrong_number(desk)
    app = make("FD")
    async with app.run_test(size=SIZE) as pilot:
        done = await open_the_task(pilot)
        await pilot.click("#none-found")
        await pilot.click("#note")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is done
        assert text_of(pilot, "#error-note") == "say what was tried to find the number"
        await pilot.press(*"No other number on file or with the referrer", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TasksScreen)
    row = queries.callback_row(desk.database, callback.id)  # type: ignore[arg-type]
    assert row is not None and row.wrong_number


async def test_the_dialog_is_kept_and_opens_for_the_next_client_as_new(
    desk: FrontDesk, make: MakeApp
) -> None:
    """Kept between openings: the next client's details only, none of the last one's rows,
    boxes, preferred time or errors."""
    first = add_visit(desk, patient="Biscuit", client="Jordan Lee")[0]
    add_visit(desk, patient="Luna", client="Maria Gonzalez", phone="(312) 555-0102")
    jordan = client_of(desk, first)
    desk.clients.save_details(
        "setup", first.client_id, jordan.version,
        ClientDetails(
            phones=tuple(PhoneEntry(p.number, p.label, p.best) for p in jordan.phones),
            do_not_call=True, do_not_call_reason="asked by phone",
        ),
    )  # fmt: skip
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        details = await open_details_from_history(pilot)  # Jordan Lee: the first row
        assert "Jordan Lee" in text_of(pilot, "#title")
        assert details.query_one("#do-not-call", Checkbox).value
        details.query_one("#phone-1", Input).focus()
        await pilot.press(*"312 555 0177")  # a second number typed: another empty row
        await settle(pilot)
        assert details.query("#phone-2")
        details.query_one("#reason", Input).value = ""
        await pilot.press("ctrl+s")  # refused: a do-not-call needs its reason
        await settle(pilot)
        assert str(details.query_one("#error-reason", Static).render())
        await pilot.press("escape", "y", "escape", "down")  # discarded; Today; Luna
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        again = await open_details_from_history(pilot)
        assert again is details
        assert "Maria Gonzalez" in text_of(pilot, "#title")
        assert again.query_one("#phone-0", Input).value == "(312) 555-0102"
        assert again.query_one("#phone-1", Input).value == ""  # the empty row for a new one
        assert not again.query_one("#best-1", Checkbox).value
        assert not again.query("#phone-2")  # Jordan Lee's rows are gone
        assert not again.query_one("#do-not-call", Checkbox).value
        assert again.query_one("#reason", Input).value == ""
        assert not str(again.query_one("#error-reason", Static).render())
        assert app.focused is again.query_one("#phone-0", Input)
