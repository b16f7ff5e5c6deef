"""Taking a message in with `m`, from any screen: the form, its refusals, and the queue's clock."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select
from textual.pilot import Pilot
from textual.widgets import Select, Static

from callback_tui.clock import FixedClock
from callback_tui.store import queries
from callback_tui.store.services import FrontDesk, NewNote, NoteRef
from callback_tui.store.tables import Callback, Client
from callback_tui.tui.screens.message import MessageScreen
from callback_tui.tui.screens.today import TodayScreen
from tests.conftest import add_visit, local
from tests.tui.conftest import SIZE, MakeApp, settle, shown


def messages(desk: FrontDesk) -> list[Callback]:
    with Session(desk.database.engine) as session:
        return list(session.exec(select(Callback).where(Callback.kind == "message")))


async def fill(pilot: Pilot[None], *, message: str = "Biscuit is not eating") -> None:
    """A new caller's voicemail about a pet, typed as the desk would."""
    screen = pilot.app.screen
    assert isinstance(screen, MessageScreen)
    await pilot.press(*"Robin Ash", "tab", *"312 555 0188")
    screen.query_one("#request_type", Select).value = "pet_concern"
    screen.query_one("#message").focus()
    await pilot.press(*message)


def web_form(desk: FrontDesk, request_type: str, message: str) -> None:
    """Robin Ash's web form, received at 08:30 and taken for AB."""
    form, problems = desk.clinic.read_message(
        {
            "source": "web_form",
            "received_at": "08:30",
            "name": "Robin Ash",
            "phone": "312 555 0188",
            "request_type": request_type,
            "message": message,
            "owner": "AB",
        },
        queries.staff_roles(desk.database),
    )
    assert form is not None, problems
    desk.messages.take_message("AB", form)


async def open_form(pilot: Pilot[None]) -> MessageScreen:
    await pilot.press("m")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MessageScreen)
    return screen


async def test_m_on_today_takes_a_message_into_the_queue(desk: FrontDesk, make: MakeApp) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_form(pilot)
        await fill(pilot)
        suggestion = app.screen.query_one("#suggestion", Static).render()
        assert "urgent" in str(suggestion) and "not eating" in str(suggestion)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        (callback,) = messages(desk)
        assert (callback.priority, callback.owner, callback.source) == ("urgent", "TA", "voicemail")
        assert callback.notes == "Biscuit is not eating"
        assert callback.target_at == local("2026-11-24 10:00")  # an open hour from 09:00
        with Session(desk.database.engine) as session:
            assert session.exec(select(Client.name)).all() == ["Robin Ash"]


async def test_the_priority_chosen_is_kept_over_the_suggestion(
    desk: FrontDesk, make: MakeApp
) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_form(pilot)
        await fill(pilot, message="Wants to know the opening hours")
        screen.query_one("#priority", Select).value = "informational"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
    (callback,) = messages(desk)
    assert callback.priority == "informational"


async def test_mistakes_are_refused_field_by_field_and_clear_when_fixed(
    desk: FrontDesk, make: MakeApp
) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_form(pilot)
        await pilot.press(*"Robin Ash", "tab", *"12")
        await pilot.press("ctrl+s")
        await settle(pilot)
        shown_errors = {
            error.field for error in screen.query("FieldError") if error.has_class("-shown")
        }
        assert shown_errors == {"phone", "request_type", "message"}
        assert messages(desk) == []
        assert app.focused is not None and app.focused.id == "phone"  # the first bad field
        await pilot.press(*"3 555 0188")
        assert not screen.query_one("#error-phone").has_class("-shown")
        assert screen.query_one("#error-message").has_class("-shown")
        assert screen.query_one("#name").value == "Robin Ash"  # kept as typed


async def test_escape_asks_before_dropping_what_was_typed(desk: FrontDesk, make: MakeApp) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_form(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)  # nothing typed: closes at once
        await open_form(pilot)
        await pilot.press(*"Robin", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, (TodayScreen, MessageScreen))  # the question
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, MessageScreen)
        await pilot.press("escape", "y")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
    assert messages(desk) == []


@pytest.mark.parametrize("keys", [("d",), ("g", "i")], ids=["drafts inbox", "incidents board"])
async def test_m_works_from_other_screens(
    desk: FrontDesk, make: MakeApp, keys: tuple[str, ...]
) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)
        under = app.screen
        assert not isinstance(under, TodayScreen)
        await open_form(pilot)
        await fill(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is under
    assert len(messages(desk)) == 1


async def test_m_typed_in_a_text_box_is_a_letter(desk: FrontDesk, make: MakeApp) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_form(pilot)
        await fill(pilot, message="mm")
        assert screen.query_one("#message").text == "mm"
        assert app.screen is screen


async def test_keys_typed_fast_after_m_all_reach_the_form(desk: FrontDesk, make: MakeApp) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m", *"Robin Ash", "tab", *"3125550188")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MessageScreen)
        assert screen.query_one("#name").value == "Robin Ash"
        assert screen.query_one("#phone").value == "3125550188"


async def test_a_late_message_is_shown_first_and_counted(
    desk: FrontDesk, make: MakeApp, clock: FixedClock
) -> None:
    add_visit(desk, patient="Biscuit", occurred_at="2026-11-20 10:00")  # overdue since Saturday
    add_visit(desk, patient="Luna", client="Mo Lee", phone="312-555-0102")  # due this morning
    web_form(desk, "medication_refill", "Out of tablets, he is in pain")
    clock.advance(hours=2)  # 11:00: the urgent message's hour (to 09:30) is long gone
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = shown(app)
        assert [row[1] for row in rows] == ["Robin Ash", "Biscuit", "Luna"]
        assert rows[0][0] == "late 1h30"
        assert "URGENT" in rows[0][-1]
        counts = str(app.screen.query_one("#counts", Static).render())
        assert "late 1" in counts


async def test_the_queue_read_again_counts_a_message_down_and_keeps_the_other_rows_cells(
    desk: FrontDesk, make: MakeApp, clock: FixedClock
) -> None:
    add_visit(desk, patient="Luna", client="Mo Lee", phone="312-555-0102")  # due this morning
    web_form(desk, "pet_concern", "Coughing since last night")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        from textual.widgets import DataTable

        table = app.screen.query_one(DataTable)
        before = [row[0] for row in shown(app)]
        luna = table.get_row_at(0)  # due at 10:00, before the message's target
        clock.advance(minutes=10)
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        screen.reload()
        await settle(pilot)
        after = [row[0] for row in shown(app)]
        assert (before, after) == (["10:00", "3h30 left"], ["10:00", "3h20 left"])
        assert all(a is b for a, b in zip(table.get_row_at(0), luna, strict=True))


async def test_at_80x24_the_form_fits_and_every_field_comes_into_view(
    desk: FrontDesk, make: MakeApp
) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await open_form(pilot)
        dialog = screen.query_one("#dialog").region
        assert dialog.width <= 80 and dialog.bottom <= 23  # above the footer
        assert screen.query_one(".title").region.height > 0
        for field in ("source", "received_at", "name", "request_type", "message", "doctor"):
            widget = screen.query_one(f"#{field}")
            widget.focus()
            await settle(pilot)
            region = widget.region
            assert region.height > 0 and dialog.contains_region(region), field


@pytest.mark.parametrize("key", ["m", "i"])
async def test_m_or_i_in_a_read_only_text_box_opens_nothing(
    desk: FrontDesk, make: MakeApp, key: str
) -> None:
    from textual.widgets import TextArea

    from callback_tui.tui.screens.note_editor import NoteEditor

    note = desk.notes.save("DRW", NewNote(add_visit(desk)[0].patient_id, "DRW"), "Seen.")
    desk.notes.finalize("DRW", NoteRef(note.id, note.version), "Seen.")  # type: ignore[arg-type]
    app = make("DRW")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(NoteEditor(note.id, "DRW"))  # type: ignore[arg-type]
        await settle(pilot)
        body = app.screen.query_one("#body", TextArea)
        assert body.read_only
        body.focus()
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
