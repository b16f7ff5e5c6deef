"""Dialogs the desk opens all day are built once and kept: each opening is as good as new."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, select
from textual.color import Color
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, OptionList, RadioSet, Static, TextArea

from callback_tui.store.services import FrontDesk
from callback_tui.store.tables import Attempt
from callback_tui.tui.app import CallbackApp
from callback_tui.tui.screens.add_callback import AddCallbackScreen
from callback_tui.tui.screens.find import FindPatient
from callback_tui.tui.screens.history import HistoryScreen
from callback_tui.tui.screens.outcome import OutcomeScreen
from callback_tui.tui.screens.reports import ReportsScreen
from callback_tui.tui.screens.tasks import TasksScreen
from callback_tui.tui.screens.today import TodayScreen
from callback_tui.tui.screens.who import WhoScreen
from tests.conftest import add_visit
from tests.tui.conftest import (
    SIZE,
    MakeApp,
    count_footer_rebuilds,
    dialog_over_today,
    settle,
    shown,
)
from tests.tui.test_tasks import wrong_number


async def test_the_call_dialog_is_kept_and_comes_back_empty_for_the_next_row(
    desk: FrontDesk, make: MakeApp
) -> None:
    add_visit(desk, patient="Biscuit")
    add_visit(desk, patient="Luna", client="Maria Gonzalez", phone="(312) 555-0102")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        first = app.screen
        assert isinstance(first, OutcomeScreen)
        patient = first.row.patient
        await pilot.press("ctrl+s")  # nothing picked: refused, with the field's error shown
        await settle(pilot)
        assert str(first.query_one("#error-outcome", Static).render())
        await pilot.press("n", *"No pickup", "tab", "tab", "space", "tab", "space")  # booked, ID
        first.query_one("#duration", Input).value = "3"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)

        today = app.screen
        assert isinstance(today, TodayScreen)
        # Tried once, Biscuit stays on the list, now after Luna; the cursor has moved on to
        # the next call, Luna, rather than following Biscuit down.
        assert [cells[1] for cells in shown(app)] == ["Luna", "Biscuit"]
        row = today.current_row()
        assert row is not None and row.patient == "Luna"
        await pilot.press("enter")
        again = app.screen
        assert again is first  # the same dialog, kept
        assert again.row.patient != patient
        assert patient not in str(again.query_one("#title", Static).render())
        assert again.row.patient in str(again.query_one("#title", Static).render())
        assert again.query_one(RadioSet).pressed_button is None
        assert again.query_one("#notes", TextArea).text == ""
        assert not any(box.value for box in again.query(Checkbox))
        assert all(field.value == "" for field in again.query(Input))
        assert not str(again.query_one("#error-outcome", Static).render())
        assert app.focused is again.query_one(RadioSet)
        await pilot.press("s", "ctrl+s")
        await settle(pilot)
    with Session(desk.database.engine) as session:
        logged = [(a.outcome, a.notes, a.duration_minutes) for a in session.exec(select(Attempt))]
    assert sorted(logged) == [("no_answer", "No pickup", 3), ("spoke", "", None)]


async def test_a_dialog_closed_with_nothing_done_reads_nothing_again(
    desk: FrontDesk, make: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    from callback_tui.store import queries

    add_visit(desk, patient="Biscuit")
    reads: list[str] = []
    read_today = queries.today

    def counted(*args: Any, **kwargs: Any) -> queries.Queue:
        reads.append("today")
        return read_today(*args, **kwargs)

    monkeypatch.setattr(queries, "today", counted)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = len(reads)
        await pilot.press("enter", "escape")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert len(reads) == before  # escape is instant: the rows shown are still right
        await pilot.press("enter", "s", "ctrl+s")
        await settle(pilot)
        assert len(reads) == before + 1  # a save reads the queue once, in the save


async def test_back_from_another_screen_the_queue_is_read_again_only_after_a_write(
    desk: FrontDesk, make: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    from callback_tui.store import queries

    add_visit(desk, patient="Biscuit")
    reads: list[str] = []
    read_today = queries.today

    def counted(*args: Any, **kwargs: Any) -> queries.Queue:
        reads.append("today")
        return read_today(*args, **kwargs)

    monkeypatch.setattr(queries, "today", counted)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = len(reads)
        for keys in (("d",), ("g", "t"), ("g", "i")):
            await pilot.press(*keys)
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, TodayScreen)
        assert len(reads) == before  # nothing written: the rows shown are still right
        await pilot.press("d")
        await settle(pilot)
        desk.staff.rename("OM", "CD", "Casey Dunn-Reyes")  # a write, as from a screen on top
        await pilot.press("escape")
        await settle(pilot)
        assert len(reads) == before + 1


async def test_add_find_and_who_come_back_empty(desk: FrontDesk, make: MakeApp) -> None:
    add_visit(desk, patient="Biscuit")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a", *"Jordan", "ctrl+s")  # refused: most fields are missing
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AddCallbackScreen)
        assert str(form.query_one("#error-phone", Static).render())
        await pilot.press("escape", "y", "a")  # y: discard what was typed
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#client", Input).value == ""
        assert form.query_one("#assisted_by", Input).value == "AB"
        assert form.query_one("#occurred_at", Input).value == "2026-11-24 09:00"
        assert not str(form.query_one("#error-phone", Static).render())
        assert app.focused is form.query_one("#client", Input)

        await pilot.press("escape", "slash", *"Bisc")
        await settle(pilot)
        find = app.screen
        assert isinstance(find, FindPatient) and shown(app)
        await pilot.press("escape", "slash")
        await settle(pilot)
        assert app.screen is find
        assert find.query_one(Input).value == "" and shown(app) == []

        await pilot.press("escape", "w", *"ZZ", "enter")
        await settle(pilot)
        who = app.screen
        assert isinstance(who, WhoScreen)
        assert str(who.query_one("#error-initials", Static).render())
        await pilot.press("escape", "w")
        await settle(pilot)
        assert app.screen is who
        assert who.query_one(Input).value == ""
        assert not str(who.query_one("#error-initials", Static).render())
        await pilot.press(*"AB", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)


async def test_history_and_tasks_kept_show_what_they_are_opened_for(
    desk: FrontDesk, make: MakeApp
) -> None:
    add_visit(desk, patient="Biscuit")
    add_visit(desk, patient="Luna", client="Maria Gonzalez", phone="(312) 555-0102")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        names = [cells[2] for cells in shown(app)]
        await pilot.press("h")
        await settle(pilot)
        history = app.screen
        assert isinstance(history, HistoryScreen)
        assert names[0] in str(history.query_one("#client", Static).render())
        await pilot.press("escape", "j", "h")
        await settle(pilot)
        assert app.screen is history
        title = str(history.query_one("#client", Static).render())
        assert names[1] in title and names[0] not in title

        await pilot.press("escape", "g", "t")
        await settle(pilot)
        tasks_screen = app.screen
        assert isinstance(tasks_screen, TasksScreen) and shown(app) == []
        await pilot.press("escape", "w", *"FD", "enter")
        await settle(pilot)
        wrong_number(desk)  # at another desk: a task for the front desk
        await pilot.press("g", "t")
        await settle(pilot)
        assert app.screen is tasks_screen  # kept, and read anew for FD
        assert [cells[2] for cells in shown(app)] == ["Verify the phone number of Jordan Lee"]


async def test_a_new_incident_after_another_starts_empty(desk: FrontDesk, make: MakeApp) -> None:
    from callback_tui.store import incidents
    from callback_tui.tui.screens.incident import IncidentScreen

    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i", *"Mrs Ortiz")
        await settle(pilot)
        wizard = app.screen
        assert isinstance(wizard, IncidentScreen)
        await pilot.press("escape")  # kept: something was typed
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("i")
        await settle(pilot)
        assert app.screen is wizard
        assert wizard.incident_id is None and wizard.view is None
        assert all(field.value == "" for field in wizard.query("#form Input").results(Input))
        assert all(box.text == "" for box in wizard.query("#form TextArea").results(TextArea))
        assert all(s.pressed_button is None for s in wizard.query(RadioSet).results(RadioSet))
        assert app.focused is wizard.query_one("#subject", Input)
    assert [i.subject for i in incidents.incidents(desk.database)] == ["Mrs Ortiz"]


async def test_a_kept_list_reads_again_only_after_a_write(
    desk: FrontDesk, make: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    fetch = TasksScreen.fetch

    def counted(screen: TasksScreen) -> Any:
        reads.append(screen.initials)
        return fetch(screen)

    monkeypatch.setattr(TasksScreen, "fetch", counted)
    app = make("FD")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g", "t")
        await settle(pilot)
        await pilot.press("escape", "g", "t")
        await settle(pilot)
        assert reads == ["FD"] and shown(app) == []  # nothing written: shown as it was
        await pilot.press("escape")
        await settle(pilot)
        wrong_number(desk)  # a write: the task list is read again
        await pilot.press("g", "t")
        await settle(pilot)
        assert reads == ["FD", "FD"]
        assert [cells[2] for cells in shown(app)] == ["Verify the phone number of Jordan Lee"]


async def test_opening_and_closing_a_dialog_again_rebuilds_no_footer(
    desk: FrontDesk, make: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hidden keys that come and go with the focus (ctrl+c) are not on the footer: they must
    not make it rebuild its dozen keys on every opening and closing."""
    add_visit(desk, patient="Biscuit")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "escape")  # the dialog's first build
        await settle(pilot)
        rebuilt = count_footer_rebuilds(monkeypatch)
        for _ in range(2):
            await pilot.press("enter", "escape")
            await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert rebuilt == []


async def test_after_a_miss_on_a_row_that_stays_first_the_cursor_moves_on(
    desk: FrontDesk, make: MakeApp
) -> None:
    add_visit(desk, patient="Biscuit", occurred_at="2026-11-23 08:00")
    add_visit(
        desk,
        patient="Luna",
        client="Maria Gonzalez",
        phone="(312) 555-0102",
        occurred_at="2026-11-23 15:00",
    )
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        today = app.screen
        assert isinstance(today, TodayScreen)
        first = today.current_row()
        assert first is not None
        await pilot.press("enter", "n", "ctrl+s")
        await settle(pilot)
        row = today.current_row()
        assert row is not None and row.id != first.id  # on to the next call, not the same


async def test_a_kept_dialog_takes_a_theme_chosen_while_it_was_closed(
    desk: FrontDesk, make: MakeApp
) -> None:
    """A kept dialog skips the restyle Textual gives every pushed screen, unless the app's
    CSS changed meanwhile: a theme picked while it was closed shows when it opens again."""
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AddCallbackScreen)
        before = dialog.query_one("#dialog").styles.background
        await pilot.press("escape")
        await settle(pilot)
        app.theme = "textual-light" if app.current_theme.dark else "textual-dark"
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert app.screen is dialog
        after = dialog.query_one("#dialog").styles.background
        assert after != before
        assert after == Color.parse(app.current_theme.to_color_system().generate()["surface"])


async def test_who_reopened_lists_a_new_person_and_builds_an_unchanged_list_once(
    desk: FrontDesk, make: MakeApp
) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        who = app.screen
        assert isinstance(who, WhoScreen)
        people = who.query_one(OptionList)
        first = [people.get_option_at_index(i) for i in range(people.option_count)]
        await pilot.press("escape", "w")
        await settle(pilot)
        assert app.screen is who
        # The same staff: the same options, not built again.
        assert [people.get_option_at_index(i) for i in range(people.option_count)] == first
        assert all(people.get_option_at_index(i) is option for i, option in enumerate(first))
        await pilot.press("escape")
        await settle(pilot)
        desk.staff.add("setup", "NEW", "Nell Ewing", "assistant")
        await pilot.press("w")
        await settle(pilot)
        assert app.screen is who
        listed = [people.get_option_at_index(i).id for i in range(people.option_count)]
        assert "NEW" in listed and len(listed) == len(first) + 1
        await pilot.press(*"NEW", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen) and app.screen.initials == "NEW"


async def test_escape_from_add_asks_before_dropping_what_was_typed(
    desk: FrontDesk, make: MakeApp
) -> None:
    from callback_tui.tui.widgets.confirm import Confirm

    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a", "escape")  # nothing typed: straight back
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("a", *"Jordan Lee", "escape")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")  # keep it
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AddCallbackScreen)
        assert form.query_one("#client", Input).value == "Jordan Lee"
        await pilot.press("escape", "y")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)


async def test_the_call_dialogs_letter_keys_are_hidden_while_typing_notes_not_rebuilt(
    desk: FrontDesk, make: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pick keys (s l n b x, e) leave the footer while the notes take letters, and come
    back: hidden and shown in place, as a rebuild mounts and styles every key again."""
    from textual.widgets._footer import FooterKey

    add_visit(desk, patient="Biscuit")
    add_visit(desk, patient="Luna", client="Maria Gonzalez", phone="(312) 555-0102")
    app = make()

    def keys_shown() -> list[str]:
        return [k.key for k in app.screen.query(FooterKey) if k.display]

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the dialog's first build
        await settle(pilot)
        picks = ["s", "l", "n", "b", "x", "e"]
        assert set(picks) <= set(keys_shown())
        rebuilt = count_footer_rebuilds(monkeypatch)
        await pilot.press("s")  # the pick moves on to the notes: letters are words there
        await settle(pilot)
        assert isinstance(app.screen.focused, TextArea)
        assert not set(picks) & set(keys_shown())
        assert {"ctrl+s", "escape"} <= set(keys_shown())
        await pilot.press("escape")  # nothing typed: straight back to the queue
        await settle(pilot)
        await pilot.press("down", "enter")  # the next row: the same dialog, keys all back
        await settle(pilot)
        assert isinstance(app.screen, OutcomeScreen)
        assert set(picks) <= set(keys_shown())
        assert rebuilt == []


async def test_beneath_an_opaque_dialog_the_queue_is_not_shown_and_does_not_paint(
    desk: FrontDesk, make: MakeApp
) -> None:
    """Nothing of the queue shows through a dialog: Textual must not count it as shown
    (it would lay out and paint again beneath, and make the dialog paint whole again)."""
    add_visit(desk, patient="Biscuit")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        today = await dialog_over_today(pilot, "a")
        assert isinstance(app.screen, AddCallbackScreen)
        assert app._background_screens == []
        assert not today.is_current
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is today and today.is_current


async def test_a_kept_dialog_opened_again_is_painted_once(
    desk: FrontDesk, make: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its fields emptied (a layout) and its return (a whole repaint) make one paint."""
    add_visit(desk, patient="Biscuit")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a", "escape")  # the form's first build
        await settle(pilot)
        painted = count_paints(monkeypatch)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AddCallbackScreen)
        assert [screen for screen, _ in painted] == ["AddCallbackScreen"]


async def test_a_full_collection_that_is_due_waits_until_the_desk_is_left(
    desk: FrontDesk, make: MakeApp, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The collector's full pass (30 to 40 ms on a day's caches) runs while nobody types."""
    import gc

    from callback_tui.tui import app as app_module

    collected: list[tuple[object, ...]] = []
    young_passes = [app_module.FULL_PASS_DUE]
    monkeypatch.setattr(gc, "collect", lambda *args: collected.append(args) or 0)
    monkeypatch.setattr(gc, "get_count", lambda: (0, 0, young_passes[0]))
    add_visit(desk, patient="Biscuit")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down")  # someone at the desk
        app.collect_when_idle()
        assert collected == []
        clock.advance(seconds=app_module.FULL_PASS_IDLE_SECONDS)
        young_passes[0] = app_module.FULL_PASS_DUE - 1  # left, but no full pass is due
        app.collect_when_idle()
        assert collected == []
        young_passes[0] = app_module.FULL_PASS_DUE
        app.collect_when_idle()
        assert collected == [()]


async def test_a_saved_call_is_written_and_painted_with_the_collectors_passes_held(
    desk: FrontDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the heap settled (as the CLI runs the app), the collector's automatic passes
    wait while a key's work runs: the save, and the queue shown again after it. Once that
    work is over, they run again."""
    import gc

    from callback_tui.store.callback_desk import CallbackDesk
    from callback_tui.tui import app as app_module
    from callback_tui.tui.app import CallbackApp

    monkeypatch.setattr(app_module, "settle_heap", lambda: None)  # this process's heap stays
    seen: list[tuple[str, bool]] = []
    log_outcome, show = CallbackDesk.log_outcome, TodayScreen._show

    def logging(self: CallbackDesk, *args: Any) -> Any:
        seen.append(("save", gc.isenabled()))
        return log_outcome(self, *args)

    def showing(self: TodayScreen, message: Any) -> None:
        seen.append(("queue", gc.isenabled()))
        show(self, message)

    monkeypatch.setattr(CallbackDesk, "log_outcome", logging)
    monkeypatch.setattr(TodayScreen, "_show", showing)
    add_visit(desk, patient="Biscuit")
    add_visit(desk, patient="Mochi")
    app = CallbackApp(desk.database, desk.clinic, initials="AB", blink=False, freeze_heap=True)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            for _ in range(50):  # the write side loads in a thread of its own, then settles
                if app._heap_settled:
                    break
                await pilot.pause(0.05)
            assert app._heap_settled and gc.isenabled()
            seen.clear()
            await pilot.press("enter", "s", "ctrl+s")
            await settle(pilot)
            for _ in range(40):  # once the repaint is over
                if gc.isenabled():
                    break
                await pilot.pause(0.05)
            assert gc.isenabled()
            assert seen == [("save", False), ("queue", False)]
            assert isinstance(app.screen, TodayScreen) and app.screen.queue is not None
            assert len(app.screen.queue.rows) == 1  # the call saved left the queue
        assert gc.isenabled()
    finally:
        gc.enable()


async def test_the_collector_runs_as_python_has_it_in_an_app_whose_heap_is_not_settled(
    desk: FrontDesk, make: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from callback_tui.store.callback_desk import CallbackDesk

    seen: list[bool] = []
    log_outcome = CallbackDesk.log_outcome

    def logging(self: CallbackDesk, *args: Any) -> Any:
        seen.append(gc.isenabled())
        return log_outcome(self, *args)

    monkeypatch.setattr(CallbackDesk, "log_outcome", logging)
    add_visit(desk, patient="Biscuit")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "s", "ctrl+s")
        await settle(pilot)
    assert seen == [True]


async def test_a_collector_held_by_a_key_runs_again_once_the_desk_is_left(
    desk: FrontDesk, make: MakeApp, clock: Any
) -> None:
    """Whatever became of the key's work: the look at the idle desk lets the collector go."""
    import gc

    from callback_tui.tui import app as app_module

    app = make()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app._heap_settled = True  # as settle_heap leaves it, without freezing this heap
            app._hold_collector()
            assert not gc.isenabled()
            app.collect_when_idle()
            assert not gc.isenabled()  # the desk was not left yet
            clock.advance(seconds=app_module.FULL_PASS_IDLE_SECONDS)
            app.collect_when_idle()
            assert gc.isenabled()
    finally:
        gc.enable()


def test_after_the_start_the_collector_holds_its_full_passes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gc

    from callback_tui.tui import app as app_module

    monkeypatch.setattr(gc, "freeze", lambda: None)
    before = gc.get_threshold()
    try:
        app_module.settle_heap()
        assert gc.get_threshold() == (*before[:2], app_module.FULL_PASS_HELD)
    finally:
        gc.set_threshold(*before)


async def kept_reports(app: CallbackApp, pilot: Pilot[None]) -> ReportsScreen:
    """The reports opened once from the queue, then left: kept, to come back to."""
    await settle(pilot)
    await pilot.press("g", "r")
    await settle(pilot)
    kept = app.screen
    assert isinstance(kept, ReportsScreen) and kept.loaded
    await pilot.press("escape")
    await settle(pilot)
    return kept


def count_paints(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """Each paint of a screen from now on: its class's name, and whether it was loaded."""
    from textual._compositor import Compositor

    painted: list[tuple[str, bool]] = []
    render_update = Compositor.render_update

    def counted(compositor: Compositor, *args: Any, **kwargs: Any) -> Any:
        root = compositor.root
        painted.append((type(root).__name__, bool(getattr(root, "loaded", True))))
        return render_update(compositor, *args, **kwargs)

    monkeypatch.setattr(Compositor, "render_update", counted)
    return painted


async def test_a_kept_screen_that_reads_again_is_first_painted_with_what_it_read(
    desk: FrontDesk, make: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reports opened again: no paint of last time's figures, then of the new ones;
    one paint, once read. A read that takes long is not waited for: the screen shows what
    it has after HELD_PAINT, and its figures when they come."""
    import time

    from callback_tui.store import reports
    from callback_tui.tui.screens.common import HELD_PAINT

    add_visit(desk, patient="Biscuit")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        kept = await kept_reports(app, pilot)
        painted = count_paints(monkeypatch)
        await pilot.press("g", "r")
        await settle(pilot)
        assert app.screen is kept and kept.loaded
        assert ("ReportsScreen", False) not in painted
        assert painted.count(("ReportsScreen", True)) >= 1

        await pilot.press("escape")
        await settle(pilot)
        scorecard = reports.scorecard

        def slow(*args: Any, **kwargs: Any) -> Any:
            time.sleep(HELD_PAINT * 3)
            return scorecard(*args, **kwargs)

        monkeypatch.setattr(reports, "scorecard", slow)
        add_visit(desk, patient="Luna", client="Maria Gonzalez", phone="(312) 555-0102")
        painted.clear()
        await pilot.press("g", "r")
        await pilot.pause(HELD_PAINT * 2)
        assert ("ReportsScreen", False) in painted  # not held past HELD_PAINT
        await settle(pilot)
        assert kept.loaded and painted[-1] == ("ReportsScreen", True)  # the new figures
        assert kept.card is not None and kept.card.clinic.created == 2


async def test_two_paints_of_a_kept_screen_are_not_left_to_the_update_timer(
    desk: FrontDesk, make: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual's update timer ticks on a beat, and its next tick can come two beats later.
    With it stopped, a kept screen still paints: the reports opened again, with what they
    read once it is in; and the queue, a move of its cursor asked for within a beat of its
    last paint (the clock held still)."""
    import asyncio

    from textual.timer import Timer
    from textual.widgets import DataTable

    from callback_tui.tui.screens import common
    from callback_tui.tui.screens.today import TodayScreen

    add_visit(desk, patient="Biscuit")
    add_visit(desk, patient="Luna", client="Maria Gonzalez", phone="(312) 555-0102")
    stopped = False
    resume = Timer.resume

    def resumed(timer: Timer) -> None:
        if not (stopped and timer.name == "screen_update"):
            resume(timer)

    async def painted_as(name: str) -> list[tuple[str, bool]]:
        """The paints of the screens named `name`, once there is one (Pilot.pause would
        tick the update timer itself: not used)."""
        for _ in range(200):
            if any(screen == name for screen, _ in painted):
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)
        return [paint for paint in painted if paint[0] == name]

    painted = count_paints(monkeypatch)
    monkeypatch.setattr(Timer, "resume", resumed)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        kept = await kept_reports(app, pilot)
        add_visit(desk, patient="Max", client="Sam Okafor", phone="(312) 555-0103")

        stopped = True
        painted.clear()
        await pilot.press("g", "r")
        reports = await painted_as("ReportsScreen")
        assert reports and ("ReportsScreen", False) not in reports  # with what it read
        assert app.screen is kept and kept.card is not None and kept.card.clinic.created == 3

        stopped = False
        await pilot.press("escape")
        await settle(pilot)
        today = app.screen
        assert isinstance(today, TodayScreen)
        monkeypatch.setattr(common, "monotonic", lambda: today._painted_at)  # time stands
        stopped = True
        painted.clear()
        await pilot.press("j")
        assert await painted_as("TodayScreen")
        assert today.query_one(DataTable).cursor_row == 1


async def test_a_kept_screen_once_built_and_shown_is_frozen_with_what_lives_then(
    desk: FrontDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the heap frozen (as the CLI runs the app), a kept screen's first showing is
    followed by one full pass and a freeze; showing it again, or the queue, is not."""
    import gc

    from callback_tui.tui import app as app_module
    from callback_tui.tui.app import CallbackApp

    done: list[str] = []
    monkeypatch.setattr(app_module, "settle_heap", lambda: done.append("settle_heap"))
    monkeypatch.setattr(gc, "collect", lambda *_: done.append("collect") or 0)
    monkeypatch.setattr(gc, "freeze", lambda: done.append("freeze"))
    add_visit(desk, patient="Biscuit")
    app = CallbackApp(desk.database, desk.clinic, initials="AB", blink=False, freeze_heap=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(50):  # the write side loads in a thread of its own, then settles
            if done:
                break
            await pilot.pause(0.05)
        assert done == ["settle_heap"]  # the queue, shown first, is settled with the heap
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AddCallbackScreen)
        assert done == ["settle_heap", "collect", "freeze"]
        await pilot.press("escape", "a")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert done == ["settle_heap", "collect", "freeze"]  # built once, settled once


async def test_a_kept_list_read_again_and_the_same_is_not_filled_again(
    desk: FrontDesk, make: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Staff, opened again: read again, the same rows, the table left as it is (no layout,
    no paint of it); one name changed meanwhile, and it is filled again."""
    from callback_tui.tui.screens.staff import StaffScreen
    from callback_tui.tui.widgets.table import Table

    cleared: list[str] = []
    clear = Table.clear

    def counted(table: Table, columns: bool = False) -> Table:
        cleared.append(type(table.screen).__name__)
        return clear(table, columns)

    monkeypatch.setattr(Table, "clear", counted)
    app = make("OM")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g", "s")
        await settle(pilot)
        assert isinstance(app.screen, StaffScreen)
        before = cleared.count("StaffScreen")
        await pilot.press("escape", "g", "s")
        await settle(pilot)
        assert cleared.count("StaffScreen") == before
        await pilot.press("escape")
        await settle(pilot)
        desk.staff.rename("setup", "CD", "Casey Dunn-Ortiz")
        await pilot.press("g", "s")
        await settle(pilot)
        assert cleared.count("StaffScreen") == before + 1
        assert any("Casey Dunn-Ortiz" in cells for cells in shown(app))


async def test_a_call_saved_takes_its_row_out_and_leaves_the_others_as_they_were(
    desk: FrontDesk, make: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    from callback_tui.tui.widgets.table import Table

    for patient in ("Biscuit", "Luna", "Pepper"):
        add_visit(desk, patient=patient, client=f"{patient}'s owner")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = shown(app)
        assert [cells[1] for cells in before] == ["Biscuit", "Luna", "Pepper"]
        added: list[object] = []
        add_row = Table.add_row

        def counted(table: Table, *cells: Any, **kwargs: Any) -> Any:
            added.append(kwargs.get("key"))
            return add_row(table, *cells, **kwargs)

        monkeypatch.setattr(Table, "add_row", counted)
        await pilot.press("enter", "s", "ctrl+s")  # Biscuit: spoke, completed
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert shown(app) == before[1:]
        assert added == []  # taken out, not refilled
        row = app.screen.current_row()
        assert row is not None and row.patient == "Luna"


async def test_a_dialog_opened_the_first_time_is_styled_once(
    desk: FrontDesk, make: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its widgets are styled as they mount; no restyle of the whole dialog follows for the
    terminal's size, its first showing, or a focus given to its form and taken back."""
    from textual.app import App

    from callback_tui.tui.screens.message import MessageScreen

    add_visit(desk, patient="Biscuit")
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        restyled: list[tuple[str, int]] = []
        update_styles = App.update_styles

        def counted(self: App[Any], node: Any, animate: bool = True) -> None:
            nodes = len(list(node.walk_children(with_self=True)))
            restyled.append((f"{type(node).__name__}#{node.id}", nodes))
            update_styles(self, node, animate)

        monkeypatch.setattr(App, "update_styles", counted)
        for key, kind, first in (("a", AddCallbackScreen, "client"), ("m", MessageScreen, "name")):
            restyled.clear()
            await pilot.press(key)
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, kind)
            assert dialog.has_class("-narrow") and dialog.has_class("-short")  # 80x24
            assert app.focused is not None and app.focused.id == first
            # A field, a footer key, the screen before its widgets are made: a few nodes each.
            assert restyled and max(nodes for _, nodes in restyled) < 10, restyled
            await pilot.press("escape")
            await settle(pilot)
