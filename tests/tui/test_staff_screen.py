"""The staff screen (`g s`), by keys: an office manager's changes land in the database; anyone
else sees the list with the keys dimmed and a line saying who may change it."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from callback_tui.domain.vocab import Role
from callback_tui.store import queries
from callback_tui.store.queries import StaffMember
from callback_tui.store.services import FrontDesk
from callback_tui.tui.app import CallbackApp
from callback_tui.tui.screens.sign_in import SignInScreen
from callback_tui.tui.screens.staff import StaffForm, StaffScreen
from callback_tui.tui.screens.today import TodayScreen
from callback_tui.tui.widgets.confirm import Confirm
from tests.tui.conftest import SIZE, MakeApp, settle, sign_in
from tests.tui.test_sign_in import events


def member(desk: FrontDesk, initials: str) -> StaffMember:
    found = queries.staff_member(desk.database, initials)
    assert found is not None
    return found


async def open_staff(pilot: Pilot[None], initials: str) -> StaffScreen:
    await settle(pilot)
    await sign_in(pilot, initials)
    await pilot.press("g", "s")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, StaffScreen)
    return screen


async def highlight(pilot: Pilot[None], initials: str) -> None:
    """Move the cursor to `initials` by keys."""
    screen = pilot.app.screen
    assert isinstance(screen, StaffScreen) and screen.staff is not None
    wanted = [m.initials for m in screen.staff].index(initials)
    table = screen.query_one(DataTable)
    moves = wanted - table.cursor_row
    await pilot.press(*(["down"] * moves if moves > 0 else ["up"] * -moves))
    await settle(pilot)
    current = screen.current()
    assert current is not None and current.initials == initials


def enabled(app: CallbackApp, key: str) -> bool:
    return app.screen.active_bindings[key].enabled


async def test_an_office_manager_adds_renames_changes_a_role_deactivates_and_resets(
    pin_desk: FrontDesk, make: MakeApp
) -> None:
    app = make(initials=None, clinic=pin_desk.clinic)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_staff(pilot, "OM")
        assert not screen.query_one("#may", Static).display
        assert all(enabled(app, key) for key in "arodp")

        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, StaffForm)
        await pilot.press(*"zz", "tab", *"Zed Zee", "tab")
        await pilot.press("down", "enter")  # technician, under assistant
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, StaffScreen)
        added = member(pin_desk, "ZZ")
        assert (added.name, added.role, added.active, added.has_pin) == (
            "Zed Zee",
            Role.TECHNICIAN,
            True,
            False,
        )

        await highlight(pilot, "AB")
        await pilot.press("r")
        await settle(pilot)
        name = app.screen.query_one("#name", Input)
        assert name.value == "Alex Baker"
        name.value = ""
        await pilot.press(*"Alex Barker", "enter")
        await settle(pilot)
        assert member(pin_desk, "AB").name == "Alex Barker"

        await highlight(pilot, "CD")
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("down", "enter", "ctrl+s")  # technician, under assistant
        await settle(pilot)
        assert member(pin_desk, "CD").role is Role.TECHNICIAN

        await highlight(pilot, "FD")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert not member(pin_desk, "FD").active
        assert screen.current() is not None and screen.current().initials == "FD"  # type: ignore[union-attr]
        assert app.screen.active_bindings["d"].binding.description == "Activate"

        await highlight(pilot, "AB")
        await pilot.press("p", "y")
        await settle(pilot)
        assert not member(pin_desk, "AB").has_pin
    assert events(pin_desk, "staff.added", "staff.re", "staff.role", "staff.de", "staff.pin") == [
        ("staff.added", "OM"),
        ("staff.renamed", "OM"),
        ("staff.role_changed", "OM"),
        ("staff.deactivated", "OM"),
        ("staff.pin_reset", "OM"),
    ]


async def test_a_refused_add_says_why_under_the_field_and_writes_nothing(
    pin_desk: FrontDesk, make: MakeApp
) -> None:
    app = make(initials=None, clinic=pin_desk.clinic)
    async with app.run_test(size=SIZE) as pilot:
        await open_staff(pilot, "OM")
        await pilot.press("a", *"ab", "tab", *"Another Baker", "tab", "enter", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, StaffForm)
        said = str(app.screen.query_one("#error-initials", Static).render())
        assert said == "AB is already taken"
    assert member(pin_desk, "AB").name == "Alex Baker"


async def test_others_see_the_list_with_the_keys_dimmed_and_who_may(
    pin_desk: FrontDesk, make: MakeApp
) -> None:
    app = make(initials=None, clinic=pin_desk.clinic)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_staff(pilot, "FD")
        may = screen.query_one("#may", Static)
        assert may.display
        assert str(may.render()).startswith(
            "Only an office manager or the owner may change staff or their PINs."
        )
        assert not any(enabled(app, key) for key in "arodp")
        await pilot.press("a")  # pressed anyway: the reason, and no form
        await settle(pilot)
        assert app.screen is screen
        (toast,) = app._notifications
        assert toast.message.startswith("Only an office manager or the owner")
        await pilot.press("p")
        await settle(pilot)
        assert app.screen is screen
    assert events(pin_desk, "staff.added", "staff.pin_reset") == []


async def test_a_deactivated_person_cannot_sign_in(pin_desk: FrontDesk, make: MakeApp) -> None:
    pin_desk.staff.deactivate("OM", "CD")
    app = make(initials=None, clinic=pin_desk.clinic)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        people = [option.id for option in app.screen.query_one("#people").options]  # type: ignore[attr-defined]
        assert "CD" not in people
        await pilot.press("c", "d", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        said = str(app.screen.query_one("#error-initials", Static).render())
        assert said.startswith("CD is deactivated")
        await sign_in(pilot, "AB")
        assert isinstance(app.screen, TodayScreen)
