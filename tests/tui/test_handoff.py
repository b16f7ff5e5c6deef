"""The shift hand-off (`g o`), by keys: the lines, a release confirmed and written, and `r`
dimmed with a line saying why where the person may not release."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from callback_tui.store.services import FrontDesk
from callback_tui.store.tables import Callback, Event
from callback_tui.tui.app import CallbackApp
from callback_tui.tui.screens.handoff import HandoffScreen
from callback_tui.tui.widgets.confirm import Confirm
from tests.conftest import local
from tests.store.test_handoff import TODAY, YESTERDAY, callback, tried
from tests.tui.conftest import SIZE, MakeApp, settle, shown
from tests.tui.test_dimmed_keys import key, toasts


def end_of_shift(desk: FrontDesk) -> dict[str, int]:
    """AB leaves three unworked (two from the TA pool, one of their own), one tried today;
    CD has one; a doctor's own call; a TA pool item."""
    made = {
        "ab_today": callback(desk, "AB"),
        "ab_overdue": callback(desk, "AB", YESTERDAY, pool="TA"),
        "ab_message": callback(desk, "AB", pool="TA"),
        "ab_tried": callback(desk, "AB"),
        "cd": callback(desk, "CD", pool="SA"),
        "doctor": callback(desk, "DRW"),
        "pool": callback(desk, "TA", YESTERDAY, pool="TA"),
    }
    tried(desk, made["ab_tried"], local(f"{TODAY} 08:15"))
    return made


async def open_handoff(pilot: Pilot[None]) -> HandoffScreen:
    await settle(pilot)
    await pilot.press("g", "o")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, HandoffScreen)
    return screen


async def highlight(pilot: Pilot[None], who: str) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, HandoffScreen)
    table = screen.query_one(DataTable)
    wanted = [row[0] for row in shown(pilot.app)].index(who)
    moves = wanted - table.cursor_row
    await pilot.press(*(["down"] * moves if moves > 0 else ["up"] * -moves))
    await settle(pilot)
    line = screen.current()
    assert line is not None and line.who == who


def owner_of(desk: FrontDesk, callback_id: int) -> str:
    with Session(desk.database.engine) as session:
        row = session.get(Callback, callback_id)
        assert row is not None
        return row.owner


def releases(desk: FrontDesk) -> list[tuple[str, Any, Any]]:
    with Session(desk.database.engine) as session:
        found = session.exec(select(Event).where(Event.action == "callback.released")).all()
        return [(e.actor, (e.before or {})["owner"], (e.after or {})["owner"]) for e in found]


def may(app: CallbackApp) -> str:
    line = app.screen.query_one("#may", Static)
    return str(line.render()) if line.display else ""


async def test_g_o_shows_a_line_per_person_and_pool_mine_first(
    desk: FrontDesk, make: MakeApp
) -> None:
    end_of_shift(desk)
    app = make("CD")
    async with app.run_test(size=SIZE) as pilot:
        await open_handoff(pilot)
        assert shown(app) == [
            ["CD", "Casey Dunn", "1", "·", "·", "·", "·", "1"],
            ["AB", "Alex Baker", "4", "1", "·", "·", "·", "3"],
            ["DRW", "Dr. Wong", "1", "·", "·", "·", "·", "·"],
            ["SA", "SA pool", "·", "·", "·", "·", "·", "·"],
            ["TA", "TA pool", "1", "1", "·", "·", "·", "·"],
            ["DESK", "DESK pool", "·", "·", "·", "·", "·", "·"],
        ]
        assert key(app, "r") == ("Release", True)  # their own
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, HandoffScreen)


async def test_an_office_manager_releases_someones_unworked_calls_after_a_yes(
    desk: FrontDesk, make: MakeApp
) -> None:
    made = end_of_shift(desk)
    app = make("OM")
    async with app.run_test(size=SIZE) as pilot:
        await open_handoff(pilot)
        await highlight(pilot, "AB")
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        assert app.screen.question == (
            "Put AB's 3 unworked callbacks back into their pools (TA 2, SA 1)?"
        )
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, HandoffScreen)
        assert owner_of(desk, made["ab_today"]) == "SA"
        assert owner_of(desk, made["ab_overdue"]) == owner_of(desk, made["ab_message"]) == "TA"
        assert owner_of(desk, made["ab_tried"]) == "AB"  # tried today: worked
        assert sorted(releases(desk)) == [
            ("OM", "AB", "SA"),
            ("OM", "AB", "TA"),
            ("OM", "AB", "TA"),
        ]
        assert "Released 3 callbacks of AB's (TA 2, SA 1)." in toasts(app)
        rows = {row[0]: row for row in shown(app)}
        assert rows["AB"][2:] == ["1", "·", "·", "·", "·", "·"]  # read again
        assert rows["TA"][2] == "3"


async def test_a_no_writes_nothing(desk: FrontDesk, make: MakeApp) -> None:
    made = end_of_shift(desk)
    app = make("AB")
    async with app.run_test(size=SIZE) as pilot:
        await open_handoff(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await settle(pilot)
        assert owner_of(desk, made["ab_today"]) == "AB"
        assert releases(desk) == []


async def test_r_is_dimmed_with_a_reason_on_someone_elses_row_and_a_pools(
    desk: FrontDesk, make: MakeApp
) -> None:
    made = end_of_shift(desk)
    app = make("CD")  # an assistant
    async with app.run_test(size=SIZE) as pilot:
        await open_handoff(pilot)
        assert may(app) == ""
        await highlight(pilot, "AB")
        refused = (
            "Only an office manager or the owner may put someone else's unworked callbacks"
            " back into their pools."
        )
        assert key(app, "r") == ("Release", False)  # dimmed
        assert may(app) == refused
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, HandoffScreen)
        assert refused in toasts(app)
        assert owner_of(desk, made["ab_today"]) == "AB"
        await highlight(pilot, "DRW")
        assert may(app) == refused
        await highlight(pilot, "TA")
        assert may(app) == "The TA pool's callbacks are nobody's to release."
        assert key(app, "r") == ("Release", False)
        await highlight(pilot, "CD")
        assert may(app) == ""
        assert key(app, "r") == ("Release", True)  # their own
    assert releases(desk) == []


async def test_a_doctors_own_calls_are_said_to_stay(desk: FrontDesk, make: MakeApp) -> None:
    end_of_shift(desk)
    app = make("DRW")
    async with app.run_test(size=SIZE) as pilot:
        await open_handoff(pilot)
        assert may(app) == "Nothing of DRW's to release: a doctor's own calls stay with them."
        await pilot.press("r")
        await settle(pilot)
        assert not isinstance(app.screen, Confirm)
