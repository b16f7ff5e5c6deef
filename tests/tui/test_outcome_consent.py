"""The Log call dialog in a medical clinic: identity ticks before *spoke*, and the voicemail
and follow-up text offered only where the client agreed to them."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select
from textual.pilot import Pilot
from textual.widgets import Checkbox, Static

from callback_tui.store.services import FrontDesk
from callback_tui.store.tables import Attempt, Callback
from callback_tui.tui.app import CallbackApp
from callback_tui.tui.screens.outcome import OutcomeScreen
from tests.conftest import add_visit, set_client
from tests.tui.conftest import SIZE, settle
from tests.tui.test_layout import SMALL, screen_text


@pytest.fixture
def desk(medical_desk: FrontDesk) -> FrontDesk:
    """The medical practice with two patients due today."""
    for patient, phone, at in [
        ("Ana Silva", "312-555-0131", "2026-11-23 08:30"),
        ("Ben Okoro", "312-555-0132", "2026-11-23 09:30"),
    ]:
        add_visit(
            medical_desk, reason="procedure", assisted_by="MA", patient=patient, client=patient,
            phone=phone, species="", occurred_at=at,
        )  # fmt: skip
    return medical_desk


def app_for(desk: FrontDesk) -> CallbackApp:
    return CallbackApp(desk.database, desk.clinic, initials="NR", blink=False)


def saved(desk: FrontDesk) -> list[tuple[str, str | None, bool]]:
    with Session(desk.database.engine) as session:
        found = session.exec(select(Attempt).order_by(Attempt.id))  # type: ignore[arg-type]
        return [(a.outcome, a.identifiers, a.text_sent) for a in found]


def script(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one("#script-text", Static).render())


async def open_first(pilot: Pilot[None]) -> OutcomeScreen:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, OutcomeScreen)
    return screen


async def test_spoke_is_refused_until_two_identifiers_are_ticked(desk: FrontDesk) -> None:
    async with app_for(desk).run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        await pilot.press("s", *"Recovering well", "ctrl+s")
        await settle(pilot)
        error = str(screen.query_one("#error-identity", Static).render())
        assert error == "Tick the 2 identifiers the caller confirmed before saving a conversation."
        assert saved(desk) == []
        # The refusal puts the cursor on the first identifier: tick it and the third.
        assert pilot.app.focused is screen.query_one("#identifier-dob", Checkbox)
        await pilot.press("space", "tab", "tab", "space", "ctrl+s")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, OutcomeScreen)
    assert saved(desk) == [("spoke", "dob,phone", False)]


async def test_a_missed_call_needs_no_identifiers(desk: FrontDesk) -> None:
    async with app_for(desk).run_test(size=SIZE) as pilot:
        await open_first(pilot)
        await pilot.press("n", "ctrl+s")
        await settle(pilot)
    assert saved(desk) == [("no_answer", None, False)]


async def test_the_voicemail_is_offered_only_with_consent(desk: FrontDesk) -> None:
    set_client(desk, "Ben Okoro", voicemail_ok=False)
    async with app_for(desk).run_test(size=SIZE) as pilot:
        await open_first(pilot)  # Ana agreed to voicemail (the default on file)
        assert "Voicemail: Hello, this is Nora Reyes from Lakeside Family Practice" in script(pilot)
        assert "No voicemail" not in script(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("down", "enter")  # Ben did not: the same dialog, reused
        await settle(pilot)
        assert "No voicemail: do not leave one" in script(pilot)
        assert "Voicemail:" not in script(pilot)
        await pilot.press("l", "ctrl+s")
        await settle(pilot)
        error = str(pilot.app.screen.query_one("#error-outcome", Static).render())
        assert error == "the client has not agreed to voicemail messages"
    assert saved(desk) == []


async def test_the_follow_up_text_is_offered_only_with_consent(desk: FrontDesk) -> None:
    set_client(desk, "Ben Okoro", text_ok=True)
    async with app_for(desk).run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)  # Ana has not agreed to texts
        assert "Follow-up text" not in script(pilot)
        assert not screen.query_one("#texted", Checkbox).display
        assert screen.check_action("copy_text", ()) is False
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("down", "enter")  # Ben has
        await settle(pilot)
        assert "Follow-up text (ctrl+t copies): Lakeside Family Practice: we tried" in script(pilot)
        assert screen.query_one("#texted", Checkbox).display
        await pilot.press("ctrl+t")
        assert pilot.app.clipboard == (
            "Lakeside Family Practice: we tried to reach you today. Please call us at"
            " (312) 555-0100 when it suits you."
        )
        await pilot.press("n")
        await pilot.click("#texted")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert saved(desk) == [("no_answer", None, True)]


async def test_a_reused_dialog_starts_with_no_ticks(desk: FrontDesk) -> None:
    async with app_for(desk).run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        await pilot.click("#identifier-address")
        await pilot.click("#identifier-patient_id")
        assert screen.query_one("#identifier-address", Checkbox).value
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen is screen  # the kept dialog
        assert not any(box.value for box in screen.query("#identifiers Checkbox").results(Checkbox))


async def test_the_medical_dialog_fits_80x24_with_its_identifiers(desk: FrontDesk) -> None:
    set_client(desk, "Ana Silva", text_ok=True)
    async with app_for(desk).run_test(size=SMALL) as pilot:
        await open_first(pilot)
        text = "\n".join(screen_text(pilot.app))
        for shown in (
            "Log call · Ana Silva · Ana Silva",
            "s  Spoke",
            "x  Wrong number",
            "Text sent",
            "Identity: ▐X▌ Date of birth  ▐X▌ Address  ▐X▌ Phone on file  ▐X▌ Patient ID",
            "^t Copy text",
        ):
            assert shown in text, shown
        assert "ID verified" not in text


async def test_callbacks_of_the_clinical_pool_are_on_the_nurses_queue(desk: FrontDesk) -> None:
    async with app_for(desk).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "pools CLIN" in "\n".join(screen_text(pilot.app))
        with Session(desk.database.engine) as session:
            assert {c.owner for c in session.exec(select(Callback))} == {"CLIN"}
