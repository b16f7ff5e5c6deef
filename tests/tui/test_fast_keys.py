"""Keys typed faster than the screens open: none is lost, none lands in the wrong place."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select
from textual import events
from textual.app import App
from textual.keys import _character_to_key

from callback_tui.store.services import FrontDesk
from callback_tui.store.tables import Attempt, Callback, Note
from callback_tui.tui.screens.incident import IncidentScreen
from callback_tui.tui.screens.today import TodayScreen
from tests.conftest import add_visit
from tests.tui.conftest import SIZE, MakeApp, dialog_over_today, settle


def type_fast(app: App[None], *keys: str | events.Key) -> None:
    """Send `keys` as a terminal does when a person types quickly: all at once, in order,
    without waiting for the app to finish with one before the next arrives."""
    driver = app._driver
    assert driver is not None
    for key in keys:
        if isinstance(key, events.Key):  # as the terminal's parser made it
            # A fresh one: the one given may outlive the test (a parameter), and a sent
            # event keeps its app, with every widget of it, alive.
            event = events.Key(key.key, key.character)
        else:
            name = _character_to_key(key) if len(key) == 1 and not key.isalnum() else key
            event = events.Key(name, key if len(key) == 1 else None)
        event.set_sender(app)
        driver.send_message(event)


def attempts(desk: FrontDesk) -> list[Attempt]:
    with Session(desk.database.engine) as session:
        return list(session.exec(select(Attempt)))


async def test_enter_n_ctrl_s_typed_at_once_logs_no_answer(desk: FrontDesk, make: MakeApp) -> None:
    add_visit(desk, patient="Biscuit")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        type_fast(app, "enter", "n", "ctrl+s")
        await settle(pilot)
    assert [a.outcome for a in attempts(desk)] == ["no_answer"]


async def test_enter_s_typed_notes_ctrl_s_at_once(desk: FrontDesk, make: MakeApp) -> None:
    add_visit(desk, patient="Biscuit")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        type_fast(app, "enter", "s", *"Eating well", "tab", "space", "ctrl+s")
        await settle(pilot)
    (attempt,) = attempts(desk)
    assert (attempt.outcome, attempt.notes) == ("spoke", "Eating well")
    with Session(desk.database.engine) as session:
        callback = session.exec(select(Callback)).one()
        (draft,) = session.exec(select(Note))  # the tab and space ticked "Concern for doctor"
    assert callback.status == "completed"
    assert draft.status == "draft" and "Eating well" in draft.body


async def test_save_then_enter_at_once_opens_the_next_call(desk: FrontDesk, make: MakeApp) -> None:
    add_visit(desk, patient="Biscuit")
    add_visit(desk, patient="Luna", client="Maria Gonzalez", phone="(312) 555-0102")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # The second enter belongs to the queue once the first call is saved, not to the
        # dialog's notes while the save is still being written.
        type_fast(app, "enter", "s", "ctrl+s", "enter", "l", "ctrl+s")
        await settle(pilot)
    logged = sorted((a.outcome, a.notes) for a in attempts(desk))
    assert logged == [("left_message", ""), ("spoke", "")]


async def test_words_typed_as_the_incident_form_opens_land_in_its_first_field(
    desk: FrontDesk, make: MakeApp
) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        type_fast(app, "i", *"Mrs Ortiz")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        assert screen.focused is not None
        assert getattr(screen.focused, "value", None) == "Mrs Ortiz"


@pytest.mark.parametrize(
    "escape_j",
    [
        ("escape", "j"),
        # Escape then j within the terminal's escape wait reach Textual as one key, alt+j
        # (tests/cli/test_terminal_keys.py sends such bytes through a real terminal).
        (events.Key("alt+j", "j"),),
    ],
    ids=["apart", "read-as-alt"],
)
async def test_escape_and_keys_at_once_go_to_the_screen_beneath(
    desk: FrontDesk, make: MakeApp, escape_j: tuple[str | events.Key, ...]
) -> None:
    add_visit(desk, patient="Biscuit")
    add_visit(desk, patient="Luna", client="Maria Gonzalez", phone="(312) 555-0102")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        type_fast(app, "enter", *escape_j, "enter", "n", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
    (attempt,) = attempts(desk)
    with Session(desk.database.engine) as session:
        tried = session.get(Callback, attempt.callback_id)
    assert tried is not None and attempt.outcome == "no_answer"
    assert tried.patient_id != first_patient(desk)


def test_only_an_alt_key_with_a_character_is_taken_apart() -> None:
    from callback_tui.tui.keys import escape_then

    def apart(key: str, character: str | None) -> list[tuple[str, str | None]] | None:
        keys = escape_then(events.Key(key, character))
        return None if keys is None else [(k.key, k.character) for k in keys]

    assert apart("alt+g", "g") == [("escape", "\x1b"), ("g", "g")]
    assert apart("alt+shift+g", "G") == [("escape", "\x1b"), ("G", "G")]
    assert apart("alt+slash", "/") == [("escape", "\x1b"), ("slash", "/")]
    assert apart("g", "g") is None
    assert apart("ctrl+s", "\x13") is None
    assert apart("alt+up", None) is None


def first_patient(desk: FrontDesk) -> int:
    with Session(desk.database.engine) as session:
        return min(c.patient_id for c in session.exec(select(Callback)))


async def test_a_hold_never_released_stops_keys_only_for_a_while(
    desk: FrontDesk, make: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    from callback_tui.tui import keys

    monkeypatch.setattr(keys, "WAIT_LIMIT", 1.0)  # long beside the pause below, on a busy CI
    add_visit(desk, patient="Biscuit")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.keys.hold()  # say, a worker cancelled before it could release it
        type_fast(app, "enter")
        await pilot.pause(0.05)
        assert isinstance(app.screen, TodayScreen) and app.keys.waiting
        await pilot.pause(1.5)
        await settle(pilot)
        assert not isinstance(app.screen, TodayScreen)  # the Log call dialog opened
        assert app.keys.idle


async def test_a_paste_right_after_enter_lands_in_the_dialogs_notes(
    desk: FrontDesk, make: MakeApp
) -> None:
    add_visit(desk, patient="Biscuit")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        type_fast(app, "enter", "s")
        paste = events.Paste("Owner says he is eating.")
        paste.set_sender(app)
        assert app._driver is not None
        app._driver.send_message(paste)
        type_fast(app, "ctrl+s")
        await settle(pilot)
    (attempt,) = attempts(desk)
    assert (attempt.outcome, attempt.notes) == ("spoke", "Owner says he is eating.")


def test_the_app_runs_on_the_driver_that_answers_escape_at_once(make: MakeApp) -> None:
    from callback_tui.tui.driver import Driver

    assert make().get_driver_class() is Driver  # on Linux and macOS, as here


async def test_a_key_waits_for_the_screen_on_top_not_for_the_screens_kept_out_of_sight(
    desk: FrontDesk, make: MakeApp
) -> None:
    """What a key waits for is the app and the screen it goes to: work pending on a widget
    of the queue, hidden under a dialog, does not hold it; on the dialog's, it does."""
    from textual.widgets import DataTable

    add_visit(desk, patient="Biscuit")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        today = await dialog_over_today(pilot, "a")
        gate = app.keys
        assert gate._settled()
        hidden = today.query_one(DataTable)
        hidden._next_callbacks.append(lambda: None)  # type: ignore[arg-type]
        try:
            assert gate._settled()
        finally:
            hidden._next_callbacks.clear()
        shown = app.screen.query("Input").first()
        shown._next_callbacks.append(lambda: None)  # type: ignore[arg-type]
        try:
            assert not gate._settled()
        finally:
            shown._next_callbacks.clear()


async def test_g_and_a_place_typed_at_once_go_there_without_the_menu_between(
    desk: FrontDesk, make: MakeApp
) -> None:
    from callback_tui.tui.screens.reports import ReportsScreen
    from callback_tui.tui.screens.tasks import GoScreen, TasksScreen

    add_visit(desk, patient="Biscuit")
    app = make()
    pushed: list[str] = []
    push_screen = app.push_screen

    def spied(screen: object, *args: object, **kwargs: object) -> object:
        # A kept screen is pushed by its name, "kept-{kind}-{mode}" (app.push_kept).
        pushed.append(screen.split("-")[1] if isinstance(screen, str) else type(screen).__name__)
        return push_screen(screen, *args, **kwargs)  # type: ignore[arg-type]

    app.push_screen = spied  # type: ignore[assignment,method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pushed.clear()  # the queue's own
        type_fast(app, "g", "t")
        await settle(pilot)
        assert isinstance(app.screen, TasksScreen)
        assert pushed == ["TasksScreen"]
        await pilot.press("escape")
        await settle(pilot)
        # A key that is no place: the menu opens, and the key is its to answer (nothing).
        type_fast(app, "g", "x")
        await settle(pilot)
        assert isinstance(app.screen, GoScreen)
        await pilot.press("escape")
        await settle(pilot)
        # Typed one at a time, as a person who looks at the menu first.
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, GoScreen)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReportsScreen)
    assert pushed == ["TasksScreen", "GoScreen", "GoScreen", "ReportsScreen"]
