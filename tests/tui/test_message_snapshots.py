"""Pictures of the message form and of Today with messages on the clock (pinned clock)."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Select

from callback_tui.store import queries
from callback_tui.store.services import FrontDesk
from tests.conftest import add_visit
from tests.tui.conftest import MakeApp, settle
from tests.tui.test_snapshots import morning, size

__all__ = ["size"]  # the fixture: each picture at 80x24 and 120x40


def take(desk: FrontDesk, **fields: str) -> None:
    values = {
        "source": "voicemail",
        "phone": "312-555-0188",
        "request_type": "pet_concern",
        "message": "Call back please",
        **fields,
    }
    form, problems = desk.clinic.read_message(values, queries.staff_roles(desk.database))
    assert form is not None, problems
    desk.messages.take_message("AB", form)


def test_today_with_messages(
    snap_compare: Any, size: tuple[int, int], desk: FrontDesk, make: MakeApp
) -> None:
    """A late web form first, then the morning's list with an urgent voicemail's time left."""
    morning(desk)
    add_visit(desk, patient="Ziggy", client="Ann [i]Lowe[/i]", phone="312-555-0111")
    take(
        desk,
        name="Robin Ash",
        source="web_form",
        request_type="medication_refill",
        message="Refill",
        received_at="2026-11-23 13:00",
        owner="AB",
    )
    take(
        desk,
        name="Noor Haddad",
        phone="312-555-0199",
        message="Rex [bold]can't breathe[/bold] well",
        received_at="08:40",
        owner="AB",
    )
    assert snap_compare(make(), terminal_size=size, run_before=settle)


def test_message_form(
    snap_compare: Any, size: tuple[int, int], desk: FrontDesk, make: MakeApp
) -> None:
    async def typed(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("m", *"Robin Ash", "tab", *"312 555 0188")
        await settle(pilot)
        pilot.app.screen.query_one("#request_type", Select).value = "pet_concern"
        pilot.app.screen.query_one("#message").focus()
        await pilot.press(*"Biscuit [b]is not eating[/b]")
        await settle(pilot)

    assert snap_compare(make(), terminal_size=size, run_before=typed)
