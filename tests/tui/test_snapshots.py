"""A few pictures of the screens people look at all day (pinned clock, fixed size, no blink)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, select
from textual.pilot import Pilot

from callback_tui.clock import FixedClock
from callback_tui.domain.vocab import Outcome
from callback_tui.store.services import CallOutcome, FrontDesk, NewNote
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


def drafts(desk: FrontDesk, clock: FixedClock) -> None:
    """Three drafts: one waiting since Sunday, one for another doctor, one client update."""
    clock.advance(hours=-40)
    (old,) = add_visit(desk, patient="Biscuit", occurred_at="2026-11-21 10:00")
    desk.callbacks.log_outcome(
        "AB",
        old.id,  # type: ignore[arg-type]
        old.version,
        CallOutcome(
            Outcome.SPOKE,
            "Still vomiting after meals.\nOwner asks about diet.",
            concern_for_doctor=True,
        ),
    )
    clock.advance(hours=38)
    (other,) = add_visit(
        desk, patient="Luna", client="Maria [b]Gonzalez[/b]", phone="312-555-0102", doctor="DRP"
    )
    desk.callbacks.log_outcome(
        "CD",
        other.id,  # type: ignore[arg-type]
        other.version,
        CallOutcome(Outcome.SPOKE, "Limping on the [left] hind leg.", concern_for_doctor=True),
    )
    clock.advance(hours=2)
    desk.notes.save("TR", NewNote(old.patient_id, "DRW"), "Owner called: eating a little.")


def test_drafts_inbox(snap_compare: Any, desk: FrontDesk, make: MakeApp, clock: FixedClock) -> None:
    drafts(desk, clock)

    async def open_inbox(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)

    assert snap_compare(make("DRW"), terminal_size=SIZE, run_before=open_inbox)


def test_note_editor(snap_compare: Any, desk: FrontDesk, make: MakeApp, clock: FixedClock) -> None:
    drafts(desk, clock)

    async def open_draft(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make("DRW"), terminal_size=SIZE, run_before=open_draft)


def incident_at(desk: FrontDesk, step: str) -> int:
    """One online-review incident, walked through the service up to `step`."""
    from callback_tui.store.incident_desk import IncidentStart

    desk.staff.add("setup", "RM", "Reggie Moss", "regional_manager")
    (callback,) = add_visit(desk, patient="Biscuit", client="Jordan Lee")
    made = desk.incidents.open(
        "FD",
        IncidentStart(
            found_via="online_review",
            what_happened="One-star review: waited 40 minutes past the appointment.",
            patient_id=callback.patient_id,
            staff_involved="FD",
        ),
    )
    assert made.id is not None
    order = ["office_manager", "escalation", "leadership", "review"]
    if order.index(step) >= 1:
        made = desk.incidents.office_manager(
            "OM",
            made.id,  # type: ignore[arg-type]
            made.version,
            available=True,
            office_manager="OM",
            conversation="Called the client; she still wants a refund.",
            remedied=False,
        )
    if order.index(step) >= 2:
        made = desk.incidents.escalation(
            "RM",
            made.id,
            made.version,
            "Refunded the visit; the client thanked us.",  # type: ignore[arg-type]
        )
    if order.index(step) >= 3:
        made = desk.incidents.summary_sent("RM", made.id, made.version)  # type: ignore[arg-type]
        made = desk.incidents.review_reply(
            "OM",
            made.id,  # type: ignore[arg-type]
            made.version,
            platform="Google",
            link="",
            reply="Sorry Jordan, Biscuit deserved better.",
            posted=False,
        )
    return made.id  # type: ignore[return-value]


def test_incident_step_one(snap_compare: Any, desk: FrontDesk, make: MakeApp) -> None:
    async def start(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)

    assert snap_compare(make("FD"), terminal_size=SIZE, run_before=start)


@pytest.mark.parametrize("step", ["office_manager", "escalation", "leadership", "review"])
def test_incident_steps(snap_compare: Any, desk: FrontDesk, make: MakeApp, step: str) -> None:
    from callback_tui.tui.screens.incident import IncidentScreen

    incident_id = incident_at(desk, step)

    async def open_step(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.push_screen(IncidentScreen(incident_id, "OM"))
        await settle(pilot)

    assert snap_compare(make("OM"), terminal_size=SIZE, run_before=open_step)


def test_incidents_board(
    snap_compare: Any, desk: FrontDesk, make: MakeApp, clock: FixedClock
) -> None:
    from callback_tui.store.incident_desk import IncidentStart

    clock.advance(hours=-30)
    incident_at(desk, "escalation")
    clock.advance(hours=29)
    desk.incidents.open(
        "AB",
        IncidentStart(
            found_via="in_office",
            what_happened="Raised [b]voice[/b] at the desk.",
            subject="Mr [i]Kim[/i]",
        ),
    )
    clock.advance(hours=1)

    async def open_board(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("g", "i")
        await settle(pilot)

    assert snap_compare(make("OM"), terminal_size=SIZE, run_before=open_board)
