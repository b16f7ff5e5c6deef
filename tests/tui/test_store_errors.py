"""A database that cannot be used is a message on screen, never a traceback; typing is kept."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import NoReturn

import pytest
from sqlmodel import Session, select
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from callback_tui.domain.incidents import Step
from callback_tui.store import engine, queries
from callback_tui.store.engine import open_database
from callback_tui.store.errors import StoreError
from callback_tui.store.services import FrontDesk
from callback_tui.store.tables import Attempt, Note
from callback_tui.tui.app import CallbackApp
from callback_tui.tui.screens.add_callback import AddCallbackScreen
from callback_tui.tui.screens.incident import IncidentScreen
from callback_tui.tui.screens.note_editor import NoteEditor
from callback_tui.tui.screens.outcome import OutcomeScreen
from callback_tui.tui.screens.tasks import TaskDoneScreen
from callback_tui.tui.screens.today import TodayScreen
from tests.conftest import add_visit
from tests.tui.conftest import SIZE, MakeApp, settle, shown
from tests.tui.test_incidents import step_one
from tests.tui.test_notes import concern, editor_text, quick_autosave
from tests.tui.test_tasks import open_tasks, wrong_number

# Brackets on purpose: the message is shown as it is, never read as markup.
READ_ONLY = (
    "/srv/[b]clinic[/b]/callback.db: the database file is read-only here; nothing was saved"
    " (ask for write permission on the file and its folder)"
)


def read_only(*_args: object, **_kwargs: object) -> NoReturn:
    raise StoreError(READ_ONLY)


def errors_shown(app: CallbackApp) -> list[str]:
    return [str(n.message) for n in app._notifications if n.severity == "error" and not n.markup]


async def until(pilot: Pilot[None], done: Callable[[], bool]) -> None:
    """Let the workers run until `done` (up to 5 s); for screens that never finish loading."""
    for _ in range(100):
        await pilot.pause(0.05)
        if done():
            return


async def test_a_read_that_fails_is_a_message_and_the_app_stays_up(
    desk: FrontDesk, make: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_visit(desk, patient="Biscuit")
    monkeypatch.setattr(queries, "today", read_only)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: bool(errors_shown(app)))
        assert errors_shown(app) == [READ_ONLY]
        assert app.is_running and isinstance(app.screen, TodayScreen)
        monkeypatch.undo()  # the other desk's long write is over
        app.screen.reload()
        await settle(pilot)
        assert [row[1] for row in shown(app)] == ["Biscuit"]


async def test_a_call_that_cannot_be_saved_keeps_the_entry(
    desk: FrontDesk, make: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_visit(desk)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        monkeypatch.setattr(app.desk.callbacks, "log_outcome", read_only)
        await pilot.press("enter", "s", *"Eating well", "ctrl+s")
        await settle(pilot)
        assert errors_shown(app) == [READ_ONLY]
        assert isinstance(app.screen, OutcomeScreen)
        assert app.screen.query_one("#notes", TextArea).text == "Eating well"
        monkeypatch.undo()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
    with Session(desk.database.engine) as session:
        assert session.exec(select(Attempt.notes)).all() == ["Eating well"]


async def test_a_call_saved_while_another_desk_holds_the_file_keeps_the_entry(
    desk: FrontDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real thing: the driver's "database is locked", in words, from the store."""
    add_visit(desk)
    path = str(desk.database.path)
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 200)  # wait a moment, not five seconds
    database = open_database(path)
    app = CallbackApp(database, desk.clinic, initials="AB", watch=False, blink=False)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            other.execute("BEGIN IMMEDIATE")  # a long write at the other desk
            await pilot.press("enter", "s", *"Eating well", "ctrl+s")
            await settle(pilot)
            (message,) = errors_shown(app)
            assert message.startswith(f"{path}: the database is busy")
            assert isinstance(app.screen, OutcomeScreen)
            assert app.screen.query_one("#notes", TextArea).text == "Eating well"
            other.execute("ROLLBACK")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, TodayScreen)
    finally:
        other.close()
        database.dispose()
    with Session(desk.database.engine) as session:
        assert session.exec(select(Attempt.notes)).all() == ["Eating well"]


async def test_a_note_that_cannot_be_saved_keeps_its_text(
    desk: FrontDesk, make: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = concern(desk, "First words.")
    app = make("DRW", clinic=quick_autosave(desk.clinic))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(NoteEditor(draft.id, "DRW"))  # type: ignore[arg-type]
        await settle(pilot)
        monkeypatch.setattr(app.desk.notes, "save", read_only)
        await pilot.press("end", *" More words.")
        state = app.screen.query_one("#note-state", Static)
        await until(pilot, lambda: "Not kept" in str(state.render()))
        # An autosave comes round every few seconds: it says so in place, not in a toast.
        assert str(state.render()) == f"Not kept: {READ_ONLY}"
        assert errors_shown(app) == []
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert errors_shown(app) == [READ_ONLY]
        await pilot.press("escape")  # leaving saves too: refused, so it stays
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        assert editor_text(app) == "First words. More words."
    with Session(desk.database.engine) as session:
        assert session.exec(select(Note.body)).all() == ["First words."]


async def test_a_callback_that_cannot_be_added_keeps_the_form(
    desk: FrontDesk, make: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AddCallbackScreen)
        typed = {"client": "Ann Lee", "phone": "312 555 0177", "patient": "Pip"}
        for field, value in typed.items():
            screen.query_one(f"#{field}", Input).value = value
        screen.query_one("#reason").value = "urinary"  # type: ignore[attr-defined]
        screen.query_one("#doctor").value = "DRW"  # type: ignore[attr-defined]
        monkeypatch.setattr(app.desk.callbacks, "add_visit", read_only)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert errors_shown(app) == [READ_ONLY]
        assert app.screen is screen
        assert {field: screen.query_one(f"#{field}", Input).value for field in typed} == typed


async def test_an_incident_step_that_cannot_be_saved_keeps_what_was_typed(
    desk: FrontDesk, make: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make("OM")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        monkeypatch.setattr(app.desk.incidents, "open", read_only)
        await step_one(pilot)
        assert errors_shown(app) == [READ_ONLY]
        screen = app.screen
        assert isinstance(screen, IncidentScreen) and screen.step is Step.WHAT_HAPPENED
        assert screen.query_one("#subject", Input).value == "Mrs Ortiz"
        assert screen.query_one("#what_happened", TextArea).text == (
            "Waited 40 minutes; left upset."
        )


async def test_a_task_that_cannot_be_marked_done_keeps_the_note(
    desk: FrontDesk, make: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong_number(desk)
    app = make("FD")
    async with app.run_test(size=SIZE) as pilot:
        await open_tasks(pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, TaskDoneScreen)
        monkeypatch.setattr(app.desk.tasks, "verify_number", read_only)
        await pilot.press(*"(312) 555-0188")
        await pilot.click("#note")
        await pilot.press(*"Fixed the number.", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TaskDoneScreen)
        assert str(app.screen.query_one("#error-note").render()) == READ_ONLY
        assert app.screen.query_one("#note", Input).value == "Fixed the number."
        assert app.screen.query_one("#number", Input).value == "(312) 555-0188"
