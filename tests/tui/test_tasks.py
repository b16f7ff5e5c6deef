"""The tasks inbox on screen: g, t; done with a note; open what it is about."""

from __future__ import annotations

from textual.pilot import Pilot

from callback_tui.domain.vocab import Outcome
from callback_tui.store import tasks
from callback_tui.store.services import CallOutcome, FrontDesk
from callback_tui.tui.screens.history import HistoryScreen
from callback_tui.tui.screens.tasks import TaskDoneScreen, TasksScreen
from callback_tui.tui.screens.today import TodayScreen
from tests.conftest import add_visit
from tests.tui.conftest import SIZE, MakeApp, settle, shown


def wrong_number(desk: FrontDesk) -> None:
    (callback,) = add_visit(desk, patient="[b]Rex[/b]", client="Jordan Lee")
    desk.callbacks.log_outcome(
        "AB",
        callback.id,  # type: ignore[arg-type]
        callback.version,
        CallOutcome(Outcome.WRONG_NUMBER),
    )


async def open_tasks(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("g", "t")
    await settle(pilot)
    assert isinstance(pilot.app.screen, TasksScreen)


async def test_g_t_shows_my_roles_tasks_and_enter_marks_one_done(
    desk: FrontDesk, make: MakeApp
) -> None:
    wrong_number(desk)
    app = make("FD")
    async with app.run_test(size=SIZE) as pilot:
        await open_tasks(pilot)
        assert isinstance(app.screen, TasksScreen)
        ((due, owner, title, about),) = shown(app)
        assert (due, owner, title) == (
            "Tue 24 Nov 18:00",  # made at 09:00, due when the clinic closes
            "front desk",
            "Verify the phone number of Jordan Lee",
        )
        assert about == "[b]Rex[/b] · Jordan Lee (vomiting callback)"
        await pilot.press("enter")
        assert isinstance(app.screen, TaskDoneScreen)
        await pilot.press("enter")  # neither the right number nor "could not find one"
        await settle(pilot)
        assert str(app.screen.query_one("#error-number").render()).startswith("type the right")
        await pilot.click("#none-found")
        await pilot.click("#note")
        await pilot.press(*"No other number on file: letter sent.", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TasksScreen)
        assert shown(app) == []
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
    (done,) = tasks.tasks(desk.database, include_done=True)
    assert (done.status, done.done_by, done.done_note) == (
        "done",
        "FD",
        "No other number on file: letter sent.",
    )


async def test_o_opens_the_history_the_task_is_about(desk: FrontDesk, make: MakeApp) -> None:
    wrong_number(desk)
    app = make("FD")
    async with app.run_test(size=SIZE) as pilot:
        await open_tasks(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert "task" in [r[1] for r in shown(app)]


async def test_someone_elses_tasks_are_not_in_my_inbox(desk: FrontDesk, make: MakeApp) -> None:
    wrong_number(desk)
    app = make("AB")
    async with app.run_test(size=SIZE) as pilot:
        await open_tasks(pilot)
        assert shown(app) == []
        assert "Nothing waiting" in str(app.screen.query_one("#empty").render())
