"""The call dialog against another desk: what was typed survives a refused save."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlmodel import Session, select
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, RadioSet, Static, TextArea

from callback_tui.config import load_clinic
from callback_tui.domain.vocab import Outcome
from callback_tui.store.engine import open_database
from callback_tui.store.services import CallOutcome, FrontDesk
from callback_tui.store.tables import Attempt, Callback
from callback_tui.tui.screens.outcome import OutcomeScreen, minutes
from callback_tui.tui.screens.today import TodayScreen
from callback_tui.tui.widgets.confirm import Confirm
from tests.conftest import add_visit
from tests.tui.conftest import SIZE, MakeApp, settle


@contextmanager
def other_desk(desk: FrontDesk) -> Iterator[FrontDesk]:
    """A second terminal on the same file: its own connections, its own desk."""
    database = open_database(str(desk.database.path))
    try:
        yield FrontDesk(database, load_clinic(desk.clinic.settings, desk.clinic.clock))
    finally:
        database.dispose()


def attempts(desk: FrontDesk) -> list[tuple[str, str, str, int | None, bool]]:
    with Session(desk.database.engine) as session:
        found = session.exec(select(Attempt).order_by(Attempt.id))  # type: ignore[arg-type]
        return [(a.by, a.outcome, a.notes, a.duration_minutes, a.appointment_booked) for a in found]


def shown_text(pilot: Pilot[None], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())


async def refused(
    pilot: Pilot[None], desk: FrontDesk, callback: Callback, meanwhile: Outcome
) -> None:
    """Log a call worth keeping while CD logs `meanwhile` on it at the other desk; ctrl+s."""
    await settle(pilot)
    await pilot.press("enter", "s", *"Eating well, booked a recheck")
    await pilot.click("#booked")
    await pilot.click("#duration")
    await pilot.press("1", "2")
    with other_desk(desk) as other:
        other.callbacks.log_outcome("CD", callback.id, callback.version, CallOutcome(meanwhile))  # type: ignore[arg-type]
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert_entry_kept(pilot.app.screen)


def assert_entry_kept(screen: object) -> None:
    assert isinstance(screen, OutcomeScreen)
    assert screen.query_one("#notes", TextArea).text == "Eating well, booked a recheck"
    assert screen.query_one("#duration", Input).value == "12"
    assert screen.query_one("#booked", Checkbox).value
    pressed = screen.query_one(RadioSet).pressed_button
    assert pressed is not None and pressed.id == Outcome.SPOKE.value


async def test_a_save_refused_for_the_other_desks_call_keeps_the_entry_and_saves_on_retry(
    desk: FrontDesk, make: MakeApp
) -> None:
    (first,) = add_visit(desk, patient="Biscuit")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await refused(pilot, desk, first, meanwhile=Outcome.BUSY)
        assert shown_text(pilot, "#notice").startswith(
            "Not saved: changed at the other desk by CD — reloaded: attempts now 1 (was 0)."
        )
        assert "attempts 1" in shown_text(pilot, "#facts")  # the callback as it is now
        assert [a[0] for a in attempts(desk)] == ["CD"]

        # CD's miss set the next try: a call now must be confirmed as an early one.
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        assert app.screen.detail.startswith(
            "Next try is from 12:00 (afternoon window); this callback was tried at 09:00"
        )
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
    assert attempts(desk) == [
        ("CD", "busy", "", None, False),
        ("AB", "spoke", "Eating well, booked a recheck", 12, True),
    ]
    with Session(desk.database.engine) as session:
        now = session.get(Callback, first.id)
        assert now is not None and (now.status, now.attempts) == ("completed", 2)


async def test_a_call_completed_at_the_other_desk_keeps_the_text_and_refuses_to_save(
    desk: FrontDesk, make: MakeApp
) -> None:
    (first,) = add_visit(desk, patient="Biscuit")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await refused(pilot, desk, first, meanwhile=Outcome.SPOKE)
        assert "It is completed now and takes no more calls" in shown_text(pilot, "#notice")

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert_entry_kept(app.screen)
        assert shown_text(pilot, "#notice") == (
            "Not saved: this callback is completed and takes no more calls."
        )
        await pilot.press("escape")
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
    assert [a[:2] for a in attempts(desk)] == [("CD", "spoke")]


async def test_minutes_take_plain_digits_only(desk: FrontDesk, make: MakeApp) -> None:
    assert [minutes(typed) for typed in ("12", "٣", "7_0", "-5")] == [12, None, None, None]
    add_visit(desk)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "n")
        await pilot.click("#duration")
        await pilot.press("٣", "7", "_", "0", "-")
        duration = app.screen.query_one("#duration", Input)
        assert duration.value == "70"
        duration.value = "٣"  # pasted or set some other way: still refused on save
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OutcomeScreen)
        assert "in the digits 0 to 9" in shown_text(pilot, "#error-duration")
    assert attempts(desk) == []
