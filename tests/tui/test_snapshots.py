"""Pictures of the screens people look at all day (pinned clock, fixed sizes, no blink).

Each is taken at 80x24, the smallest reception terminal the desk must work on, and at 120x40.
"""

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
from tests.tui.conftest import MakeApp, open_first_draft, settle, sign_in

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


@pytest.fixture(params=list(SIZES.values()), ids=list(SIZES))
def size(request: pytest.FixtureRequest) -> tuple[int, int]:
    """The terminal's size: every picture is taken at each of SIZES."""
    return request.param  # type: ignore[no-any-return]


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


def test_today(snap_compare: Any, size: tuple[int, int], desk: FrontDesk, make: MakeApp) -> None:
    morning(desk)
    assert snap_compare(make(), terminal_size=size, run_before=_settled)


def test_outcome_modal(
    snap_compare: Any, size: tuple[int, int], desk: FrontDesk, make: MakeApp
) -> None:
    morning(desk)

    async def open_modal(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("down", "enter", "n")
        await settle(pilot)

    assert snap_compare(make(), terminal_size=size, run_before=open_modal)


def test_who_picker(
    snap_compare: Any, size: tuple[int, int], desk: FrontDesk, make: MakeApp
) -> None:
    assert snap_compare(make(initials=None), terminal_size=size, run_before=_settled)


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


def test_drafts_inbox(
    snap_compare: Any, size: tuple[int, int], desk: FrontDesk, make: MakeApp, clock: FixedClock
) -> None:
    drafts(desk, clock)

    async def open_inbox(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)

    assert snap_compare(make("DRW"), terminal_size=size, run_before=open_inbox)


def test_note_editor(
    snap_compare: Any, size: tuple[int, int], desk: FrontDesk, make: MakeApp, clock: FixedClock
) -> None:
    drafts(desk, clock)
    assert snap_compare(make("DRW"), terminal_size=size, run_before=open_first_draft)


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


def test_incident_step_one(
    snap_compare: Any, size: tuple[int, int], desk: FrontDesk, make: MakeApp
) -> None:
    async def start(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)

    assert snap_compare(make("FD"), terminal_size=size, run_before=start)


@pytest.mark.parametrize("step", ["office_manager", "escalation", "leadership", "review"])
def test_incident_steps(
    snap_compare: Any, size: tuple[int, int], desk: FrontDesk, make: MakeApp, step: str
) -> None:
    """Each step as the office manager sees it (step 3 is the regional manager's: dimmed)."""
    from callback_tui.tui.screens.incident import IncidentScreen

    incident_id = incident_at(desk, step)

    async def open_step(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.push_screen(IncidentScreen(incident_id, "OM"))
        await settle(pilot)

    assert snap_compare(make("OM"), terminal_size=size, run_before=open_step)


def two_incidents(desk: FrontDesk, clock: FixedClock) -> None:
    """An online review at the escalation step since yesterday, and one just opened."""
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


def test_incidents_board(
    snap_compare: Any, size: tuple[int, int], desk: FrontDesk, make: MakeApp, clock: FixedClock
) -> None:
    two_incidents(desk, clock)

    async def open_board(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("g", "i")
        await settle(pilot)

    assert snap_compare(make("OM"), terminal_size=size, run_before=open_board)


def wrong_numbers(desk: FrontDesk, clock: FixedClock) -> None:
    """Two numbers for the front desk to verify, one of them since yesterday."""
    clock.advance(hours=-20)
    (first,) = add_visit(desk, patient="[b]Rex[/b]", client="Jordan Lee-Whitaker")
    desk.callbacks.log_outcome(
        "AB",
        first.id,  # type: ignore[arg-type]
        first.version,
        CallOutcome(Outcome.WRONG_NUMBER),
    )
    clock.advance(hours=19)
    (second,) = add_visit(
        desk,
        patient="Luna",
        client="Maria [b]Gonzalez[/b]",
        phone="312-555-0102",
        reason="diarrhea",
    )
    desk.callbacks.log_outcome(
        "AB",
        second.id,  # type: ignore[arg-type]
        second.version,
        CallOutcome(Outcome.WRONG_NUMBER),
    )
    clock.advance(hours=2)


def test_tasks(
    snap_compare: Any, size: tuple[int, int], desk: FrontDesk, make: MakeApp, clock: FixedClock
) -> None:
    wrong_numbers(desk, clock)

    async def open_tasks(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("g", "t")
        await settle(pilot)

    assert snap_compare(make("FD"), terminal_size=size, run_before=open_tasks)


LONG_NOTE = (
    "Still vomiting after meals, twice since Sunday; eating a little chicken and rice."
    " Owner asks whether to keep the bland diet another week."
)


def family(desk: FrontDesk, clock: FixedClock) -> None:
    """Two patients of one client: calls about Biscuit with a long note, Pepper due today."""
    clock.advance(hours=-48)
    (first,) = add_visit(desk, patient="Biscuit", occurred_at="2026-11-20 10:00")
    desk.callbacks.log_outcome(
        "AB",
        first.id,  # type: ignore[arg-type]
        first.version,
        CallOutcome(Outcome.NO_ANSWER),
    )
    clock.advance(hours=27)  # Monday 12:00, the next window's start
    desk.callbacks.log_outcome(
        "CD",
        first.id,  # type: ignore[arg-type]
        first.version + 1,
        CallOutcome(Outcome.SPOKE, LONG_NOTE, concern_for_doctor=True),
    )
    add_visit(
        desk,
        patient="Pepper [the cat]",
        species="cat",
        occurred_at="2026-11-23 14:15",
        reason="urinary",
    )
    clock.advance(hours=21)


async def open_family_history(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("h")  # Pepper's, the one row left on the list
    await settle(pilot)
    await pilot.press("p")  # the whole family
    await settle(pilot)


def test_history(
    snap_compare: Any, size: tuple[int, int], desk: FrontDesk, make: MakeApp, clock: FixedClock
) -> None:
    family(desk, clock)
    assert snap_compare(make("AB"), terminal_size=size, run_before=open_family_history)


def test_sign_in(
    snap_compare: Any, size: tuple[int, int], pin_desk: FrontDesk, make: MakeApp
) -> None:
    """The first screen when the clinic asks for PINs: a wrong PIN said under its field."""

    async def wrong_pin(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await sign_in(pilot, "AB", "9999")

    app = make(initials=None, clinic=pin_desk.clinic)
    assert snap_compare(app, terminal_size=size, run_before=wrong_pin)


def test_sign_in_in_the_demo(
    snap_compare: Any, size: tuple[int, int], pin_desk: FrontDesk, make: MakeApp
) -> None:
    """The demo says its PIN; a person without a PIN (TR) chooses one."""

    async def first_pin(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("t", "r", "enter", *"4321")
        await settle(pilot)

    app = make(initials=None, demo=True, clinic=pin_desk.clinic)
    assert snap_compare(app, terminal_size=size, run_before=first_pin)


def test_lock(
    snap_compare: Any,
    size: tuple[int, int],
    pin_desk: FrontDesk,
    make: MakeApp,
    clock: FixedClock,
) -> None:
    """Left idle over a call dialog: the lock screen, with nothing of the patients."""
    morning(pin_desk)

    async def left(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await sign_in(pilot, "AB")
        await pilot.press("down", "enter", "n", *"Rang twice")
        await settle(pilot)
        clock.advance(minutes=5)
        pilot.app.check_lock()  # type: ignore[attr-defined]
        await settle(pilot)

    app = make(initials=None, clinic=pin_desk.clinic)
    assert snap_compare(app, terminal_size=size, run_before=left)


def test_handoff(snap_compare: Any, desk: FrontDesk, make: MakeApp) -> None:
    """At the smallest terminal: every column of the hand-off still fits, mine first."""
    from tests.tui.test_handoff import end_of_shift

    end_of_shift(desk)

    async def open_handoff(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("g", "o")
        await settle(pilot)

    assert snap_compare(make("AB"), terminal_size=SIZES["80x24"], run_before=open_handoff)
