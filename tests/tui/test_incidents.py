"""The incident wizard and board, walked by keys, checked in the database."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from callback_tui.domain.incidents import Step
from callback_tui.store import incidents, tasks
from callback_tui.store.incidents import IncidentView
from callback_tui.store.services import FrontDesk
from callback_tui.tui.screens.incident import IncidentsBoard, IncidentScreen
from callback_tui.tui.screens.tasks import TasksScreen
from callback_tui.tui.screens.today import TodayScreen
from tests.conftest import add_visit
from tests.tui.conftest import SIZE, MakeApp, settle, shown


async def type_into(pilot: Pilot[None], field: str, words: str) -> None:
    pilot.app.screen.query_one(f"#{field}").focus()
    await pilot.press(*words)


async def step_one(pilot: Pilot[None], found_via: str = "in_office") -> None:
    await pilot.press("i")
    await settle(pilot)
    assert isinstance(pilot.app.screen, IncidentScreen)
    await type_into(pilot, "subject", "Mrs Ortiz")
    await pilot.click(f"#found_via-{found_via}")
    await type_into(pilot, "what_happened", "Waited 40 minutes; left upset.")
    await type_into(pilot, "staff_involved", "FD")
    await pilot.click("#note_kind-communication")
    await pilot.press("ctrl+s")
    await settle(pilot)


async def step_two(pilot: Pilot[None], available: str, remedied: str = "", said: str = "") -> None:
    await pilot.click(f"#available-{available}")
    field = pilot.app.screen.query_one("#office_manager", Input)
    field.value = ""
    await type_into(pilot, "office_manager", "OM")
    if said:
        await type_into(pilot, "conversation", said)
    if remedied:
        await pilot.click(f"#remedied-{remedied}")
    await pilot.press("ctrl+s")
    await settle(pilot)


async def to_the_review(pilot: Pilot[None]) -> None:
    """An incident found by an online review, remedied and told: at its review step."""
    await step_one(pilot, found_via="online_review")
    await step_two(pilot, "now", "yes", "Called her; she accepted our apology.")
    await pilot.press("ctrl+s")  # leadership told
    await settle(pilot)


async def open_from_the_board(pilot: Pilot[None]) -> None:
    """`g i`, then enter: the first incident on the board, at its step."""
    await pilot.press("g", "i")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


def only(desk: FrontDesk) -> IncidentView:
    (found,) = incidents.incidents(desk.database)
    return found


async def test_remedied_by_the_office_manager_on_the_spot(desk: FrontDesk, make: MakeApp) -> None:
    app = make("OM")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await step_one(pilot)
        assert only(desk).step is Step.OFFICE_MANAGER
        await step_two(pilot, "now", "yes", "Apologised; next exam free.")
        assert only(desk).step is Step.LEADERSHIP
        assert "Apologised; next exam free." in str(app.screen.query_one("#summary").render())
        await pilot.press("ctrl+c")
        assert app.clipboard == only(desk).summary(desk.clinic.calendar)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert only(desk).step is Step.CLOSE
        await pilot.press("ctrl+e")
        await settle(pilot)
    closed = only(desk)
    assert (closed.status, closed.closed_by, closed.subject) == ("closed", "OM", "Mrs Ortiz")


async def test_unavailable_task_not_remedied_regional_manager_resolves(
    desk: FrontDesk, make: MakeApp
) -> None:
    desk.staff.add("setup", "RM", "Reggie Moss", "regional_manager")
    app = make("FD")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await step_one(pilot)
        await step_two(pilot, "later")
        view = only(desk)
        assert view.step is Step.OFFICE_MANAGER and view.open_tasks == ("OM",)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)

        # The office manager finds the task, opens the incident and records the call.
        await pilot.press("w", *"OM", "enter")
        await settle(pilot)
        await pilot.press("g", "t")
        await settle(pilot)
        assert isinstance(app.screen, TasksScreen)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, IncidentScreen)
        assert app.screen.query_one("#office_manager", Input).value == "OM"
        await step_two(pilot, "now", "no", "Wants a refund; I could not agree it.")
        assert only(desk).step is Step.ESCALATION
        assert tasks.tasks(desk.database, initials="OM") == []
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)

        # The regional manager, from the incidents board.
        await pilot.press("w", *"RM", "enter")
        await settle(pilot)
        await pilot.press("g", "i")
        await settle(pilot)
        assert isinstance(app.screen, IncidentsBoard)
        assert shown(app)[0][2:5] == [
            "Escalation",
            "regional manager",
            "Mrs Ortiz",
        ]
        await pilot.press("enter")
        await settle(pilot)
        await type_into(pilot, "outcome", "Refunded the exam; client satisfied.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert only(desk).step is Step.LEADERSHIP
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
    done = only(desk)
    assert (done.status, done.resolution, done.closed_by) == (
        "closed",
        "Refunded the exam; client satisfied.",
        "RM",
    )
    assert tasks.tasks(desk.database) == []


async def test_a_review_reply_naming_the_patient_is_flagged_and_closing_waits(
    desk: FrontDesk, make: MakeApp
) -> None:
    app = make("OM")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await to_the_review(pilot)
        assert only(desk).step is Step.REVIEW
        await type_into(pilot, "platform", "Google")
        await type_into(pilot, "reply", "Sorry Mrs Ortiz, the surgery wait was too long.")
        hits = str(app.screen.query_one("#hits").render())
        assert "“Ortiz” (a name)" in hits and "“surgery” (a clinical word)" in hits
        await pilot.click("#posted")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "tells the public too much" in str(app.screen.query_one("#error-reply").render())
        assert only(desk).step is Step.REVIEW
        await pilot.press("ctrl+e")  # not offered yet: closing waits for the reply
        await settle(pilot)
        assert only(desk).status == "open"
        reply = app.screen.query_one("#reply", TextArea)
        reply.load_text("Thank you for your feedback; we have spoken with you directly.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert only(desk).step is Step.CLOSE
        await pilot.press("ctrl+e")
        await settle(pilot)
    done = only(desk)
    assert done.status == "closed" and done.review_platform == "Google"
    assert done.reply_posted_at is not None


async def test_quitting_at_step_two_keeps_the_typing_and_resumes(
    desk: FrontDesk, make: MakeApp
) -> None:
    app = make("FD")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await step_one(pilot)
        await pilot.click("#available-now")
        await type_into(pilot, "conversation", "She said she would think")
        await pilot.press("ctrl+q")
        await pilot.pause()
    kept = only(desk)
    assert kept.step is Step.OFFICE_MANAGER
    assert (kept.draft["available"], kept.draft["conversation"]) == (
        "now",
        "She said she would think",
    )

    again = make("FD")
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_from_the_board(pilot)
        screen = again.screen
        assert isinstance(screen, IncidentScreen)
        assert screen.query_one("#conversation", TextArea).text == "She said she would think"
        assert screen.query_one("#available-now").value  # type: ignore[attr-defined]
        await pilot.press("escape")  # nothing new typed: leaves without writing
        await settle(pilot)
        assert isinstance(again.screen, IncidentsBoard)
    assert only(desk).version == kept.version


async def test_a_bad_step_one_is_refused_field_by_field_and_nothing_is_kept(
    desk: FrontDesk, make: MakeApp
) -> None:
    add_visit(desk)
    app = make("FD")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        await type_into(pilot, "occurred_at", "25:99")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "HH:MM" in str(app.screen.query_one("#error-occurred_at").render())
        app.screen.query_one("#occurred_at", Input).value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        errors = {
            field: str(app.screen.query_one(f"#error-{field}").render())
            for field in ("subject", "found_via", "what_happened", "note_kind")
        }
        assert all(errors.values()), errors
        assert incidents.incidents(desk.database) == []
        await pilot.press("escape")  # nothing typed: nothing kept
        await settle(pilot)
        assert incidents.incidents(desk.database) == []
