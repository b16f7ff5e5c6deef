"""The Log call dialog says when a client is best called: the window they asked for, else the
one their past calls reached them in; and a miss saved there retries in that window."""

from __future__ import annotations

from sqlmodel import Session, select
from textual.pilot import Pilot
from textual.widgets import Select, Static

from callback_tui.clock import FixedClock
from callback_tui.domain.vocab import Outcome
from callback_tui.store.services import CallOutcome, FrontDesk
from callback_tui.store.tables import Callback, Client
from callback_tui.tui.screens.outcome import OutcomeScreen
from tests.conftest import NOW, add_visit, local
from tests.tui.conftest import SIZE, MakeApp, settle

BEST = "Best time to call: evening (answered 2 of 3 calls there)"


def answered_in_the_evening(desk: FrontDesk, clock: FixedClock) -> None:
    """Jordan Lee, last week: missed one morning, then answered that evening and two days
    later, also in the evening, after an evening miss. Today: a new callback of theirs."""
    for day, calls in (
        ("2026-11-16", [("09:10", Outcome.NO_ANSWER), ("17:20", Outcome.SPOKE)]),
        ("2026-11-18", [("17:05", Outcome.BUSY), ("17:45", Outcome.SPOKE)]),
    ):
        clock.instant = local(f"{day} 08:30")
        (callback,) = add_visit(desk, patient="Biscuit", occurred_at=f"{day} 08:00")
        assert callback.id is not None
        version = callback.version
        for time, outcome in calls:
            clock.instant = local(f"{day} {time}")
            entry = CallOutcome(outcome, early=True)
            version = desk.callbacks.log_outcome("AB", callback.id, version, entry).callback.version
    clock.instant = NOW
    add_visit(desk, patient="Biscuit", occurred_at="2026-11-23 10:00")


def facts(pilot: Pilot[None]) -> str:
    screen = pilot.app.screen
    assert isinstance(screen, OutcomeScreen)
    return str(screen.query_one("#facts", Static).render())


def next_try(desk: FrontDesk, client: str) -> object:
    with Session(desk.database.engine) as session:
        found = session.exec(
            select(Callback.next_attempt_at)
            .join(Client, Callback.client_id == Client.id)  # type: ignore[arg-type]
            .where(Client.name == client, Callback.status == "open")
        ).one()
    return found


async def test_the_dialog_shows_the_best_time_and_a_morning_miss_retries_then(
    desk: FrontDesk, clock: FixedClock, make: MakeApp
) -> None:
    answered_in_the_evening(desk, clock)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        lines = facts(pilot).splitlines()
        assert lines[1].startswith("Voicemail OK")
        assert lines[2] == BEST  # under the consents
        await pilot.press("n", "ctrl+s")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, OutcomeScreen)
    assert next_try(desk, "Jordan Lee") == local("2026-11-24 17:00")  # not the afternoon


async def test_a_client_without_enough_calls_has_no_line_and_the_kept_dialog_forgets_it(
    desk: FrontDesk, clock: FixedClock, make: MakeApp
) -> None:
    answered_in_the_evening(desk, clock)
    add_visit(desk, patient="Luna", client="Sam Okafor", phone="312-555-0103")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert BEST in facts(pilot)
        await pilot.press("escape", "down", "enter")  # Sam's callback, in the same dialog
        await settle(pilot)
        assert "Sam Okafor" in str(pilot.app.screen.query_one("#title", Static).render())
        assert "Best time" not in facts(pilot) and "Prefers" not in facts(pilot)
        assert len(facts(pilot).splitlines()) == 2
        await pilot.press("e")  # nor do Sam's details
        await settle(pilot)
        assert not pilot.app.screen.query_one("#best-time", Static).display


async def test_a_stated_preference_is_shown_instead_and_follows_the_client_details(
    desk: FrontDesk, clock: FixedClock, make: MakeApp
) -> None:
    answered_in_the_evening(desk, clock)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert BEST in facts(pilot)
        await pilot.press("e")  # the client's details, over the dialog
        await settle(pilot)
        best = pilot.app.screen.query_one("#best-time", Static)
        assert best.display
        assert str(best.render()) == BEST.replace("to call", "by past calls")
        pilot.app.screen.query_one("#window", Select).value = "morning"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, OutcomeScreen)
        assert facts(pilot).splitlines()[2] == "Prefers: morning"
