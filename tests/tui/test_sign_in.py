"""Who is at the desk, by keys: sign-in with a PIN, `w`, the idle lock and the privacy key.

The clinic asks for PINs (require_pin); the clock is pinned and moved by hand, and the
idle check is called as its interval would (no test waits for time to pass).
"""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from sqlmodel import Session, col, select
from textual.widgets import Input, Static, TextArea

from callback_tui.store import queries
from callback_tui.store.services import FrontDesk
from callback_tui.store.tables import Event
from callback_tui.tui.app import CallbackApp
from callback_tui.tui.screens.outcome import OutcomeScreen
from callback_tui.tui.screens.sign_in import LockScreen, PrivacyScreen, Secret, SignInScreen
from callback_tui.tui.screens.today import TodayScreen
from tests.conftest import add_visit
from tests.tui.conftest import SIZE, MakeApp, settle, sign_in


def events(desk: FrontDesk, *prefixes: str) -> list[tuple[str, str]]:
    """(action, actor) of the events whose action starts with one of `prefixes`, in order;
    the seeding of the fixture's PINs left out."""
    return [(action, actor) for action, actor, _ in _events(desk, *prefixes)]


def _events(desk: FrontDesk, *prefixes: str) -> list[tuple[str, str, dict[str, Any]]]:
    with Session(desk.database.engine) as session:
        found = session.exec(select(Event).order_by(col(Event.id))).all()
    return [
        (e.action, e.actor, e.after or {})
        for e in found
        if any(e.action.startswith(prefix) for prefix in prefixes) and e.actor != "setup"
    ]


def lock_reasons(desk: FrontDesk) -> list[tuple[str, str]]:
    """(actor, reason) of each lock."""
    return [(actor, after["reason"]) for _, actor, after in _events(desk, "staff.locked")]


def error(app: CallbackApp, field: str) -> str:
    return str(app.screen.query_one(f"#error-{field}", Static).render())


def field(app: CallbackApp, name: str) -> Input:
    return app.screen.query_one(f"#{name}", Input)


def on_screen(app: CallbackApp) -> str:
    """Everything the terminal shows now, as text (as Textual's screenshots are made)."""
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text()


async def test_the_right_pin_opens_the_persons_today(pin_desk: FrontDesk, make: MakeApp) -> None:
    add_visit(pin_desk, patient="Biscuit")
    app = make(initials=None, clinic=pin_desk.clinic)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert "Biscuit" not in on_screen(app)
        await sign_in(pilot, "AB", "1234")
        assert isinstance(app.screen, TodayScreen)
        assert app.screen.initials == "AB"
        assert app.at_desk is not None and app.at_desk.initials == "AB"
        assert "Biscuit" in on_screen(app)
    assert events(pin_desk, "staff.") == [("staff.signed_in", "AB")]


async def test_a_wrong_pin_is_said_under_the_field_which_is_emptied(
    pin_desk: FrontDesk, make: MakeApp
) -> None:
    app = make(initials=None, clinic=pin_desk.clinic)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "AB", "9999")
        assert isinstance(app.screen, SignInScreen)
        assert error(app, "pin") == "Wrong PIN for AB: 2 tries left."
        assert field(app, "pin").value == ""
        assert field(app, "initials").value == "AB"
        assert app.focused is field(app, "pin")
        await pilot.press(*"1234", "enter")  # the initials stay: the PIN again is enough
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
    assert events(pin_desk, "staff.") == [("staff.pin_failed", "AB"), ("staff.signed_in", "AB")]
    every = str(_events(pin_desk, ""))
    assert "9999" not in every and "1234" not in every and "argon2" not in every


async def test_the_third_wrong_pin_locks_the_person_out(pin_desk: FrontDesk, make: MakeApp) -> None:
    app = make(initials=None, clinic=pin_desk.clinic)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "AB", "1111")
        await pilot.press(*"2222", "enter")
        await settle(pilot)
        assert error(app, "pin") == "Wrong PIN for AB: 1 try left."
        await pilot.press(*"3333", "enter")
        await settle(pilot)
        assert error(app, "pin") == "AB is locked out after 3 wrong PINs; try again after 09:15."
        await pilot.press(*"1234", "enter")  # the right one, too late
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert error(app, "pin").startswith("AB is locked out")
        # Someone else still signs in.
        await sign_in(pilot, "CD", "1234")
        assert isinstance(app.screen, TodayScreen) and app.screen.initials == "CD"
    assert events(pin_desk, "staff.") == [
        *[("staff.pin_failed", "AB")] * 3,
        ("staff.locked_out", "AB"),
        ("staff.signed_in", "CD"),
    ]


async def test_a_person_without_a_pin_chooses_one_typing_it_twice(
    pin_desk: FrontDesk, make: MakeApp
) -> None:
    app = make(initials=None, clinic=pin_desk.clinic)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"tr", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SignInScreen) and screen.choosing
        assert "TR has no PIN yet" in str(screen.query_one("#hint", Static).render())
        await pilot.press(*"4321", "enter", *"4322", "enter")  # a slip: they differ
        await settle(pilot)
        assert error(app, "pin").startswith("The two PINs differ")
        assert field(app, "pin").value == field(app, "again").value == ""
        await pilot.press(*"4321", "enter", *"4321", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen) and app.screen.initials == "TR"
    member = queries.staff_member(pin_desk.database, "TR")
    assert member is not None and member.has_pin
    assert events(pin_desk, "staff.") == [("staff.pin_set", "TR"), ("staff.signed_in", "TR")]


async def test_initials_given_at_start_are_preselected_and_the_pin_asked(
    pin_desk: FrontDesk, make: MakeApp
) -> None:
    app = make(initials="CD", clinic=pin_desk.clinic)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert field(app, "initials").value == "CD"
        assert app.focused is field(app, "pin")
        await pilot.press(*"1234", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen) and app.screen.initials == "CD"


async def test_w_signs_the_person_out_and_the_next_one_in(
    pin_desk: FrontDesk, make: MakeApp
) -> None:
    app = make(initials=None, clinic=pin_desk.clinic)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "AB", "1234")
        ab_today = app.screen
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert app.at_desk is None
        assert field(app, "initials").value == ""
        await pilot.press("escape")  # no way back without a PIN
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        await sign_in(pilot, "CD", "1234")
        assert isinstance(app.screen, TodayScreen) and app.screen.initials == "CD"
        await pilot.press("w")
        await settle(pilot)
        await sign_in(pilot, "AB", "1234")
        assert app.screen is ab_today  # AB's screens, kept
    assert events(pin_desk, "staff.") == [
        ("staff.signed_in", "AB"),
        ("staff.signed_out", "AB"),
        ("staff.signed_in", "CD"),
        ("staff.signed_out", "CD"),
        ("staff.signed_in", "AB"),
    ]


async def half_typed_call(app: CallbackApp, pilot: Any) -> OutcomeScreen:
    """AB's call dialog open on Biscuit, an outcome picked and notes half typed."""
    await pilot.press("enter", "n", *"Rang twice, no ")
    await settle(pilot)
    dialog = app.screen
    assert isinstance(dialog, OutcomeScreen)
    return dialog


async def test_left_idle_the_desk_locks_and_nothing_of_the_patients_shows(
    pin_desk: FrontDesk, make: MakeApp, clock: Any
) -> None:
    add_visit(pin_desk, patient="Biscuit")
    app = make(initials=None, clinic=pin_desk.clinic)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "AB", "1234")
        dialog = await half_typed_call(app, pilot)
        clock.advance(minutes=4, seconds=59)
        app.check_lock()
        await settle(pilot)
        assert app.screen is dialog  # not yet
        clock.advance(seconds=1)
        app.check_lock()
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        shown = on_screen(app)
        assert "Locked — signed in: AB" in shown
        assert "Biscuit" not in shown and "Jordan" not in shown
        assert app.focused is field(app, "pin")
        await pilot.press(*"1234", "enter")
        await settle(pilot)
        assert app.screen is dialog  # as it was left
        assert dialog.query_one("#notes", TextArea).text == "Rang twice, no "
        await pilot.press(*"answer")
        assert dialog.query_one("#notes", TextArea).text == "Rang twice, no answer"
    assert events(pin_desk, "staff.") == [
        ("staff.signed_in", "AB"),
        ("staff.locked", "AB"),
        ("staff.unlocked", "AB"),
    ]
    assert lock_reasons(pin_desk) == [("AB", "idle")]


async def test_at_the_lock_another_person_signs_in_and_the_first_gets_their_dialog_back(
    pin_desk: FrontDesk, make: MakeApp, clock: Any
) -> None:
    add_visit(pin_desk, patient="Biscuit")
    add_visit(pin_desk, patient="Luna", client="Mo Lee", phone="312-555-0102", assisted_by="CD")
    app = make(initials=None, clinic=pin_desk.clinic)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "AB", "1234")
        dialog = await half_typed_call(app, pilot)
        clock.advance(minutes=6)
        app.check_lock()
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        field(app, "initials").focus()
        await pilot.press(*"cd", "enter")
        await settle(pilot)
        assert str(app.screen.query_one("#pin-label", Static).render()) == "CD's PIN"
        await pilot.press(*"1234", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen) and app.screen.initials == "CD"
        await pilot.press("enter")  # CD opens the call dialog: a dialog of their own
        await settle(pilot)
        assert isinstance(app.screen, OutcomeScreen) and app.screen is not dialog
        assert app.screen.query_one("#notes", TextArea).text == ""
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        await sign_in(pilot, "AB", "1234")
        assert app.screen is dialog
        assert dialog.query_one("#notes", TextArea).text == "Rang twice, no "
    assert events(pin_desk, "staff.") == [
        ("staff.signed_in", "AB"),
        ("staff.locked", "AB"),
        ("staff.signed_in", "CD"),
        ("staff.signed_out", "AB"),
        ("staff.signed_out", "CD"),
        ("staff.signed_in", "AB"),
    ]


async def test_the_privacy_key_blanks_at_once_and_any_key_brings_it_back_in_time(
    pin_desk: FrontDesk, make: MakeApp, clock: Any
) -> None:
    add_visit(pin_desk, patient="Biscuit")
    app = make(initials=None, clinic=pin_desk.clinic)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "AB", "1234")
        dialog = await half_typed_call(app, pilot)
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, PrivacyScreen)
        assert "Biscuit" not in on_screen(app)
        clock.advance(seconds=59)
        app.check_lock()
        await pilot.press("x")  # the key that brings it back types nothing
        await settle(pilot)
        assert app.screen is dialog
        assert dialog.query_one("#notes", TextArea).text == "Rang twice, no "

        await pilot.press("f12")
        await settle(pilot)
        clock.advance(seconds=60)
        app.check_lock()  # the blank becomes the lock
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        await pilot.press(*"1234", "enter")
        await settle(pilot)
        assert app.screen is dialog
    assert lock_reasons(pin_desk) == [("AB", "privacy"), ("AB", "privacy")]
    assert events(pin_desk, "staff.unlocked") == [("staff.unlocked", "AB")]  # the second only


async def test_a_key_after_the_privacy_time_asks_the_pin(
    pin_desk: FrontDesk, make: MakeApp, clock: Any
) -> None:
    app = make(initials=None, clinic=pin_desk.clinic)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "AB", "1234")
        await pilot.press("f12")
        await settle(pilot)
        clock.advance(minutes=2)
        await pilot.press("space")  # before the interval has looked: the key asks the PIN
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)


async def test_without_pins_the_privacy_key_blanks_and_any_key_brings_it_back(
    desk: FrontDesk, make: MakeApp, clock: Any
) -> None:
    add_visit(desk, patient="Biscuit")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        today = app.screen
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, PrivacyScreen)
        clock.advance(hours=1)
        app.check_lock()
        await pilot.press("space")
        await settle(pilot)
        assert app.screen is today
        clock.advance(minutes=5)
        app.check_lock()  # idle: blanked too, with no PIN to ask
        await settle(pilot)
        assert isinstance(app.screen, PrivacyScreen)


async def test_a_wrong_pin_at_the_lock_is_counted_and_another_person_still_signs_in(
    pin_desk: FrontDesk, make: MakeApp, clock: Any
) -> None:
    app = make(initials=None, clinic=pin_desk.clinic)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "AB")
        clock.advance(minutes=5)
        app.check_lock()
        await settle(pilot)
        await pilot.press(*"0000", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert error(app, "pin") == "Wrong PIN for AB: 2 tries left."
        assert field(app, "pin").value == ""
        await pilot.press(*"cd", "enter", *"1234", "enter")  # letters go to the initials
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen) and app.screen.initials == "CD"
    assert events(pin_desk, "staff.") == [
        ("staff.signed_in", "AB"),
        ("staff.locked", "AB"),
        ("staff.pin_failed", "AB"),
        ("staff.signed_in", "CD"),
        ("staff.signed_out", "AB"),
    ]


def test_a_pin_on_its_way_to_the_check_never_shows_in_a_repr() -> None:
    """Worker descriptions, logs and tracebacks show arguments by their repr."""
    assert "4321" not in repr(Secret("4321"))
