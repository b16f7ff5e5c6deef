"""A few pictures of the screens people look at all day (pinned clock, fixed size, no blink)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select
from textual.pilot import Pilot

from callback_tui.store.services import FrontDesk
from callback_tui.store.tables import Client
from tests.conftest import add_visit
from tests.tui.conftest import SIZE, MakeApp, settle


def morning(desk: FrontDesk) -> None:
    """A fixed Tuesday morning: overdue, due today, a closed-day move, a pool, a DNC client."""
    add_visit(desk, patient="Biscuit", occurred_at="2026-11-20 10:00", reason="vomiting")
    add_visit(
        desk,
        patient="Luna",
        client="Maria [b]Gonzalez[/b]",
        phone="312-555-0102",
        occurred_at="2026-11-21 11:30",
        reason="diarrhea",
    )
    add_visit(
        desk,
        patient="Pepper",
        client="Sam Okafor",
        phone="312-555-0103",
        occurred_at="2026-11-23 14:15",
        reason="urinary",
    )
    add_visit(
        desk,
        patient="Mochi",
        client="Ruth Adler",
        phone="312-555-0104",
        occurred_at="2026-11-23 10:30",
        reason="surgery",
    )
    with Session(desk.database.engine) as session:
        ruth = session.exec(select(Client).where(Client.name == "Ruth Adler")).one()
        ruth.do_not_call = True
        session.add(ruth)
        session.commit()


async def _settled(pilot: Pilot[Any]) -> None:
    await settle(pilot)


def test_today(snap_compare: Any, desk: FrontDesk, make: MakeApp) -> None:
    morning(desk)
    assert snap_compare(make(), terminal_size=SIZE, run_before=_settled)


def test_outcome_modal(snap_compare: Any, desk: FrontDesk, make: MakeApp) -> None:
    morning(desk)

    async def open_modal(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("down", "enter", "n")
        await settle(pilot)

    assert snap_compare(make(), terminal_size=SIZE, run_before=open_modal)


def test_who_picker(snap_compare: Any, desk: FrontDesk, make: MakeApp) -> None:
    assert snap_compare(make(initials=None), terminal_size=SIZE, run_before=_settled)
