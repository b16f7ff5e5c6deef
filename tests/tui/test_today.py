"""The morning run-through, driven by keys, checked in the database."""

from __future__ import annotations

import asyncio
import html
import time

import msgspec
import pytest
from sqlmodel import Session, func, select
from textual.pilot import Pilot
from textual.widgets import OptionList, TextArea

from callback_tui.config import load_clinic
from callback_tui.store.engine import open_database
from callback_tui.store.services import FrontDesk
from callback_tui.store.tables import Attempt, Callback, Event, Note
from callback_tui.tui.screens.add_callback import AddCallbackScreen
from callback_tui.tui.screens.outcome import OutcomeScreen
from callback_tui.tui.screens.today import TodayScreen
from callback_tui.tui.screens.who import WhoScreen
from callback_tui.tui.widgets.confirm import Confirm
from tests.conftest import add_visit
from tests.tui.conftest import SIZE, MakeApp, count_footer_rebuilds, settle, shown


def callback(desk: FrontDesk, callback_id: int) -> Callback:
    with Session(desk.database.engine) as session:
        found = session.get(Callback, callback_id)
        assert found is not None
        return found


def count(desk: FrontDesk, table: type) -> int:
    with Session(desk.database.engine) as session:
        return int(session.exec(select(func.count()).select_from(table)).one())


async def test_enter_s_ctrl_s_completes_the_call_with_an_event(
    desk: FrontDesk, make: MakeApp
) -> None:
    (first,) = add_visit(desk, patient="Biscuit")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert shown(app)[0][1] == "Biscuit"
        await pilot.press("enter")
        assert isinstance(app.screen, OutcomeScreen)
        await pilot.press("s")
        await pilot.press(*"Eating well")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert shown(app) == []  # it left the queue
    done = callback(desk, first.id)  # type: ignore[arg-type]
    assert (done.status, done.attempts) == ("completed", 1)
    with Session(desk.database.engine) as session:
        attempt = session.exec(select(Attempt)).one()
        actions = [e.action for e in session.exec(select(Event).where(Event.actor == "AB"))]
    assert (attempt.outcome, attempt.notes, attempt.by) == ("spoke", "Eating well", "AB")
    assert actions == ["attempt.logged", "callback.spoke"]


async def test_escape_writes_nothing_and_asks_before_dropping_typed_text(
    desk: FrontDesk, make: MakeApp
) -> None:
    (first,) = add_visit(desk)
    before = count(desk, Event)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "s", "escape")  # nothing typed: no question
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("enter", "s", *"typed but not saved", "escape")
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        assert isinstance(app.screen, OutcomeScreen)
        assert app.screen.query_one("#notes", TextArea).text == "typed but not saved"
        await pilot.press("escape", "y")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
    assert count(desk, Event) == before
    assert count(desk, Attempt) == 0
    assert callback(desk, first.id).status == "open"  # type: ignore[arg-type]


async def test_no_answer_keeps_it_with_the_next_attempt_time(
    desk: FrontDesk, make: MakeApp
) -> None:
    (first,) = add_visit(desk)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "n", "ctrl+s")
        await settle(pilot)
        row = shown(app)[0]
        assert row[0] == "next 12:00" and row[4] == "1"
    kept = callback(desk, first.id)  # type: ignore[arg-type]
    assert (kept.status, kept.attempts) == ("open", 1)
    assert desk.clinic.calendar.local(kept.next_attempt_at).strftime("%H:%M") == "12:00"  # type: ignore[arg-type]


async def test_saving_without_an_outcome_is_refused_on_the_form(
    desk: FrontDesk, make: MakeApp
) -> None:
    add_visit(desk)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OutcomeScreen)
        error = app.screen.query_one("#error-outcome")
        assert "Pick an outcome" in str(error.render())
    assert count(desk, Attempt) == 0


async def test_concern_for_doctor_leaves_a_draft_for_the_case_doctor(
    desk: FrontDesk, make: MakeApp
) -> None:
    add_visit(desk, doctor="DRP")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "s", *"Still limping")
        await pilot.click("#concern")
        await pilot.press("ctrl+s")
        await settle(pilot)
    with Session(desk.database.engine) as session:
        note = session.exec(select(Note)).one()
    assert (note.status, note.addressed_to, note.body) == ("draft", "DRP", "Still limping")


async def test_claiming_a_pool_item_with_c(desk: FrontDesk, make: MakeApp) -> None:
    first, _ = add_visit(desk, reason="surgery", occurred_at="2026-11-23 09:00")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert shown(app)[0][5] == "SA"
        await pilot.press("c")
        await settle(pilot)
        assert shown(app)[0][5] == "AB"
    assert callback(desk, first.id).owner == "AB"  # type: ignore[arg-type]


async def test_markup_in_names_is_shown_literally(desk: FrontDesk, make: MakeApp) -> None:
    add_visit(desk, client="[bold]Jo[/] Lee", patient="[red]Rex")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert shown(app)[0][1:3] == ["[red]Rex", "[bold]Jo[/] Lee"]
        await pilot.press("enter")
        await settle(pilot)
        title = app.screen.query_one(".title").render()
        assert "[red]Rex" in str(title) and "[bold]Jo[/] Lee" in str(title)
        screen_text = html.unescape(app.export_screenshot()).replace("\xa0", " ")
        assert "[bold]Jo[/] Lee" in screen_text


async def test_w_switches_initials(desk: FrontDesk, make: MakeApp) -> None:
    add_visit(desk, patient="Mine")
    add_visit(desk, patient="Casey's", assisted_by="CD")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert [r[1] for r in shown(app)] == ["Mine"]
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, WhoScreen)
        await pilot.press(*"zz", "enter")
        assert "Unknown initials 'ZZ'" in str(app.screen.query_one("#error-initials").render())
        app.screen.query_one("#initials").value = ""  # type: ignore[attr-defined]
        await pilot.press(*"cd", "enter")
        await settle(pilot)
        assert [r[1] for r in shown(app)] == ["Casey's"]


async def test_first_start_asks_who_is_at_the_desk(desk: FrontDesk, make: MakeApp) -> None:
    add_visit(desk, patient="Biscuit")
    app = make(initials=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WhoScreen)
        await pilot.press(*"ab", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert shown(app)[0][1] == "Biscuit"


async def test_without_pins_a_deactivated_person_is_not_offered_and_cannot_start(
    desk: FrontDesk, make: MakeApp
) -> None:
    desk.staff.deactivate("OM", "CD")
    app = make(initials=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        who = app.screen
        assert isinstance(who, WhoScreen)
        people = who.query_one(OptionList)
        offered = {people.get_option_at_index(i).id for i in range(people.option_count)}
        assert "AB" in offered and "CD" not in offered
        await pilot.press(*"cd", "enter")
        await settle(pilot)
        assert app.screen is who
        said = str(who.query_one("#error-initials").render())
        assert said == "CD is deactivated: an office manager can activate them again."


async def test_the_add_form_refuses_field_by_field_then_saves(
    desk: FrontDesk, make: MakeApp
) -> None:
    app = make()
    before = count(desk, Event)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AddCallbackScreen)
        await pilot.press(*"Ann", "tab", *"12", "tab")  # on, past the mistyped phone
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.focused is screen.query_one("#phone")  # back to the first bad field
        errors = {e.id: str(e.render()) for e in screen.query(".-shown")}
        assert errors == {
            "error-phone": "'12' is not a valid phone number",
            "error-patient": "a value is required",
            "error-reason": "a value is required",
            "error-doctor": "a value is required",
        }
        assert count(desk, Event) == before
        screen.query_one("#phone").value = "312 555 0177"  # type: ignore[attr-defined]
        screen.query_one("#patient").value = "Pip"  # type: ignore[attr-defined]
        screen.query_one("#reason").value = "urinary"  # type: ignore[attr-defined]
        screen.query_one("#doctor").value = "DRW"  # type: ignore[attr-defined]
        screen.query_one("#occurred_at").value = "2026-11-23 16:00"  # type: ignore[attr-defined]
        await settle(pilot)
        assert "24-hour check · AB · due Tue 24 Nov 16:00" in str(
            screen.query_one("#preview").render()
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert [r[1] for r in shown(app)] == ["Pip"]
    with Session(desk.database.engine) as session:
        made = session.exec(select(Callback)).one()
    assert (made.reason, made.owner, made.doctor) == ("urinary", "AB", "DRW")


async def test_another_desks_change_appears_without_restart(desk: FrontDesk, make: MakeApp) -> None:
    desk.clinic.settings = msgspec.structs.replace(desk.clinic.settings, refresh_seconds=0.2)
    app = make(watch=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert shown(app) == []
        other_db = open_database(str(desk.database.path))
        try:
            add_visit(FrontDesk(other_db, load_clinic(desk.clinic.settings, desk.clinic.clock)))
        finally:
            other_db.dispose()
        for _ in range(40):
            await asyncio.sleep(0.1)
            await settle(pilot)
            if shown(app):
                break
        assert [r[1] for r in shown(app)] == ["Biscuit"]


async def test_f1_shows_keys_and_the_palette_offers_the_screens_actions(
    desk: FrontDesk, make: MakeApp
) -> None:
    add_visit(desk)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        assert app.screen.query("HelpPanel")
        await pilot.press("f1")
        assert not app.screen.query("HelpPanel")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert any(t.startswith("Log call") for t in titles)
        assert any(t.startswith("Add") for t in titles)


async def test_the_demo_says_so_on_screen(desk: FrontDesk, make: MakeApp) -> None:
    app = make(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "demo clinic: nothing is kept" in str(app.screen.query_one("#day").render())
    real = make()
    async with real.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "demo" not in str(real.screen.query_one("#day").render())


async def test_a_saved_call_leaves_the_other_rows_in_place_and_the_cursor_below(
    desk: FrontDesk, make: MakeApp
) -> None:
    for hour, patient in ((9, "Biscuit"), (10, "Pepper"), (11, "Mango")):
        add_visit(
            desk,
            patient=patient,
            client=f"{patient} Owner",
            occurred_at=f"2026-11-23 {hour:02d}:00",
        )
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert [row[1] for row in shown(app)] == ["Biscuit", "Pepper", "Mango"]
        await pilot.press("down", "enter", "s", "ctrl+s")
        await settle(pilot)
        assert [row[1] for row in shown(app)] == ["Biscuit", "Mango"]
        assert app.screen.current_row().patient == "Mango"  # type: ignore[attr-defined]
        await pilot.press("enter", "n", "ctrl+s")  # a miss keeps the row, one try more
        await settle(pilot)
        assert [(row[1], row[4]) for row in shown(app)] == [("Biscuit", "0"), ("Mango", "1")]


async def test_a_save_before_the_write_side_has_loaded_waits_for_it(
    desk: FrontDesk, make: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The service layer loads after the first paint; a save pressed first is not lost."""
    from callback_tui.store import services

    made = services.FrontDesk.__init__
    loads: list[FrontDesk] = []

    def slow(self: FrontDesk, *args: object) -> None:
        loads.append(self)
        time.sleep(2.0)  # a slow machine importing SQLAlchemy
        made(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(services.FrontDesk, "__init__", slow)
    (first,) = add_visit(desk)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter", "s", *"Fine", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert shown(app) == []
    done = callback(desk, first.id)  # type: ignore[arg-type]
    assert (done.status, done.attempts) == ("completed", 1)
    assert len(loads) == 1  # the save waited for the load under way, not made its own


async def test_closed_dialogs_leave_no_widgets_behind(desk: FrontDesk, make: MakeApp) -> None:
    """Textual keeps removed widgets alive through their watches (see tui/watches.py)."""
    import gc

    from textual.widget import Widget

    add_visit(desk)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(6):
            await pilot.press("enter")
            assert isinstance(app.screen, OutcomeScreen)
            await pilot.press("escape")
            await settle(pilot)
        app._let_go_of_removed_widgets()
        gc.collect()
        gone = [w for w in gc.get_objects() if isinstance(w, Widget) and not w.is_attached]
        kinds = {type(widget).__name__ for widget in gone}
        assert sum(isinstance(widget, TextArea) for widget in gone) <= 1, kinds
        assert sum(type(widget).__name__ == "FooterKey" for widget in gone) <= 12, kinds


async def test_a_key_dimmed_or_lit_is_set_in_place_not_rebuilt(
    desk: FrontDesk, make: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key dimmed or lit is set in place; a rebuild mounts and styles every key again."""
    from textual.widgets._footer import FooterKey

    def claim_lit() -> bool:
        (claim,) = [k for k in app.screen.query(FooterKey) if k.action == "claim"]
        return not claim.has_class("-disabled")

    rebuilt = count_footer_rebuilds(monkeypatch)
    add_visit(desk, patient="Biscuit", occurred_at="2026-11-23 09:00")
    add_visit(desk, patient="Pepper", client="Ana Ruiz", occurred_at="2026-11-23 10:00")
    add_visit(
        desk, patient="Mango", client="Sam Ortiz", reason="surgery", occurred_at="2026-11-23 11:00"
    )
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert [row[5] for row in shown(app)][:2] == ["AB", "AB"]
        before = len(rebuilt)
        await pilot.press("down", "up", "down", "up")  # AB's own rows: the same keys apply
        app.screen.refresh_bindings()  # as Textual does on every return from a dialog
        await settle(pilot)
        assert len(rebuilt) == before
        assert not claim_lit()
        pool = [row[5] for row in shown(app)].index("SA")
        await pilot.press(*["down"] * pool)  # a pool row: c (claim) lights up
        await settle(pilot)
        assert claim_lit()
        await pilot.press("up")
        await settle(pilot)
        assert not claim_lit()
        assert len(rebuilt) == before


# -- retries in the same window -------------------------------------------------------------


def last_attempt_event(desk: FrontDesk) -> Event:
    with Session(desk.database.engine) as session:
        found = session.exec(
            select(Event).where(Event.action == "attempt.logged").order_by(Event.id.desc())  # type: ignore[union-attr]
        ).first()
    assert found is not None and found.after is not None
    return found


async def missed_at_nine(pilot: Pilot[None], outcome: str = "n") -> None:
    """Log a miss on the first row at 09:00: its next try is then from 12:00."""
    await settle(pilot)
    await pilot.press("enter", outcome, "ctrl+s")
    await settle(pilot)


async def test_enter_before_the_next_window_asks_and_y_logs_an_early_call(
    desk: FrontDesk, make: MakeApp
) -> None:
    (first,) = add_visit(desk)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await missed_at_nine(pilot, "b")
        assert shown(app)[0][0] == "next 12:00"

        await pilot.press("enter")
        assert isinstance(app.screen, Confirm)
        assert app.screen.detail.startswith("Next try is from 12:00 (afternoon window).\n")
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert count(desk, Attempt) == 1  # no means nothing is written

        await pilot.press("enter")
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        assert isinstance(app.screen, OutcomeScreen)
        await pilot.press("s", *"Client called in: eating", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert shown(app) == []
    done = callback(desk, first.id)  # type: ignore[arg-type]
    assert (done.status, done.attempts) == ("completed", 2)
    event = last_attempt_event(desk)
    assert (event.actor, event.after["outcome"], event.after["early"]) == ("AB", "spoke", True)  # type: ignore[index]


async def test_an_early_miss_keeps_the_next_try_and_says_it_does_not_count(
    desk: FrontDesk, make: MakeApp
) -> None:
    (first,) = add_visit(desk)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await missed_at_nine(pilot)
        await pilot.press("enter", "y", "b", "ctrl+s")  # called again early: busy
        await settle(pilot)
        assert [row[0] for row in shown(app)] == ["next 12:00"]
        assert shown(app)[0][4] == "2"
        said = [str(n.message) for n in app._notifications]
        assert said[-1] == (
            "Busy: next try Tue 12:00. That window was tried already: this call does not count"
            " toward the 3 tries."
        )
    kept = callback(desk, first.id)  # type: ignore[arg-type]
    assert (kept.status, kept.attempts, kept.misses) == ("open", 2, 1)


async def test_keys_typed_fast_on_a_row_waiting_for_its_window_log_nothing(
    desk: FrontDesk, make: MakeApp
) -> None:
    add_visit(desk)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await missed_at_nine(pilot)
        # The habit of a quick retry: the question takes the n, and nothing is logged.
        await pilot.press("enter", "n", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
    assert count(desk, Attempt) == 1


async def test_the_queue_read_at_start_goes_in_once_textual_has_started(
    desk: FrontDesk, make: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual mounts the app inside a batch of updates and shows nothing drawn before the
    batch ends (App._batch_count, its own). Rows put in the table by then were drawn for
    nothing, then drawn again: the queue read at start waits for the start to be over."""
    add_visit(desk, patient="Biscuit")
    batches: list[int] = []
    filled = TodayScreen.filled

    def noted(screen: TodayScreen) -> None:
        batches.append(screen.app._batch_count)
        filled(screen)

    monkeypatch.setattr(TodayScreen, "filled", noted)
    app = make()
    later: list[str] = []
    app.when_started(lambda: later.append("asked before the start"))
    assert later == []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert [row[1] for row in shown(app)] == ["Biscuit"]
        assert batches == [0]  # filled once, outside Textual's start
        assert later == ["asked before the start"]
        app.when_started(lambda: later.append("asked after"))
        assert later == ["asked before the start", "asked after"]  # at once


async def test_a_call_that_makes_a_task_shows_it_waiting_counted_once(
    desk: FrontDesk, make: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wrong number makes the front desk a task: back on the queue, the header counts it.
    What else waits is counted once, when the dialog has closed: the queue read under the
    dialog just before it closes starts no count of its own."""
    from callback_tui.store import tasks

    counted: list[str] = []
    started: list[str] = []
    waiting, count_waiting = tasks.waiting, TodayScreen._count_waiting

    def counting(database: object, initials: str) -> tasks.Waiting:
        counted.append(initials)
        return waiting(database, initials)  # type: ignore[arg-type]

    def starting(screen: TodayScreen, initials: str) -> object:
        started.append(initials)
        return count_waiting(screen, initials)

    monkeypatch.setattr(tasks, "waiting", counting)
    monkeypatch.setattr(TodayScreen, "_count_waiting", starting)
    add_visit(desk, patient="Biscuit", owner="FD")
    app = make("FD")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "tasks" not in str(app.screen.query_one("#counts").render())
        counted.clear()
        started.clear()
        await pilot.press("enter", "x", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert "tasks 1" in str(app.screen.query_one("#counts").render())
    assert started == counted == ["FD"]
