"""At 80x24 nothing the desk needs is cut: the least useful parts give way first.

The checks read the screen as the person sees it (its text, cell by cell), and the tables'
widths: a table wider than its room scrolls sideways, which at a desk means cut.
"""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from rich.text import Text
from textual.app import App
from textual.widgets import DataTable

from callback_tui.clock import FixedClock
from callback_tui.store.services import FrontDesk
from callback_tui.tui.screens.history import HistoryScreen
from callback_tui.tui.screens.incident import IncidentsBoard, IncidentScreen
from callback_tui.tui.screens.outcome import OutcomeScreen
from callback_tui.tui.screens.tasks import TasksScreen
from callback_tui.tui.widgets import columns, footer
from tests.tui.conftest import MakeApp, settle
from tests.tui.test_snapshots import (
    LONG_NOTE,
    drafts,
    family,
    incident_at,
    morning,
    open_family_history,
    two_incidents,
    wrong_numbers,
)

SMALL = (80, 24)
LARGE = (120, 40)

TODAYS_KEYS = ("⏎", "c", "a", "u", "d", "h", "/", "g", "w", "^q", "f1", "i")


def screen_text(app: App[Any]) -> list[str]:
    """The terminal's lines as the person reads them (as Textual's screenshots are made)."""
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text().splitlines()


def fits(table: DataTable[Any]) -> bool:
    """Whether every column is in view: the table has nothing to scroll to on the right."""
    return table.virtual_size.width <= table.scrollable_content_region.width


def headings(table: DataTable[Any]) -> list[str]:
    return [column.label.plain for column in table.ordered_columns]


# -- Today ------------------------------------------------------------------------------------


async def test_today_at_80x24_shows_the_whole_header_every_mark_and_every_key(
    desk: FrontDesk, make: MakeApp
) -> None:
    morning(desk)
    app = make("AB")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        lines = screen_text(app)
        header, keys = lines[0], lines[-1].split()
        assert header.split("  ")[:2] == [" AB", "Alex Baker"]
        for part in ("pools SA", "Tue 24 Nov", "to do 3 · overdue 2 · done 0"):
            assert part in header
        text = "\n".join(lines)
        for shown in ("Maria [b]Gonzalez[/b]", "Ruth Adler", "DNC", "from Sun 22"):
            assert shown in text
        for key in TODAYS_KEYS:
            assert key in keys
        table = app.screen.query_one(DataTable)
        assert fits(table)
        # The least useful column gave way; the patient, client and marks did not.
        assert headings(table) == ["When", "Patient", "Client", "Reason", "Owner", "Marks"]


async def test_today_fits_the_terminal_again_when_it_is_resized(
    desk: FrontDesk, make: MakeApp
) -> None:
    morning(desk)
    app = make("AB")
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert "Tries" in headings(table)
        assert "Tuesday 24 November 2026" in screen_text(app)[0]
        await pilot.resize_terminal(*SMALL)
        await settle(pilot)
        assert "Tries" not in headings(table)
        assert fits(table)
        lines = screen_text(app)
        assert "Tue 24 Nov" in lines[0]
        assert all(key in lines[-1].split() for key in TODAYS_KEYS)
        await pilot.resize_terminal(*LARGE)
        await settle(pilot)
        assert "Tries" in headings(table)
        assert "Tuesday 24 November 2026" in screen_text(app)[0]


async def test_on_a_crowded_line_the_name_then_the_day_give_way_never_initials_or_counts(
    desk: FrontDesk, make: MakeApp
) -> None:
    morning(desk)
    app = make("AB")
    async with app.run_test(size=(61, 24)) as pilot:
        await settle(pilot)
        header = screen_text(app)[0]
        assert header.rstrip() == " AB  Al…  pools SA  Tue 24 Nov  to do 3 · overdue 2 · done 0"
        await pilot.resize_terminal(55, 24)  # a column short of the whole line
        await settle(pilot)
        header = screen_text(app)[0]
        assert header.rstrip() == " AB  Alex Bak…  pools SA  to do 3 · overdue 2 · done 0"
        await pilot.resize_terminal(*SMALL)
        await settle(pilot)
        assert "Tue 24 Nov  to do 3 · overdue 2 · done 0" in screen_text(app)[0]
        await pilot.resize_terminal(*LARGE)
        await settle(pilot)
        wide = "Tuesday 24 November 2026  to do 3 · overdue 2 · done today 0"
        assert screen_text(app)[0].rstrip().endswith(wide)


# -- the Log call dialog ----------------------------------------------------------------------


async def test_the_log_call_dialog_opens_at_80x24_with_all_it_asks_for_on_screen(
    desk: FrontDesk, make: MakeApp
) -> None:
    morning(desk)
    app = make("AB")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, OutcomeScreen)
        assert app.screen.query_one("#dialog").scroll_y == 0
        text = "\n".join(screen_text(app))
        for shown in (
            "Log call · Luna (dog) · Maria [b]Gonzalez[/b]",
            "(312) 555-0102",
            "Greeting:",
            "s  Spoke",
            "x  Wrong number",
            "Concern for doctor",
            "Appointment booked",
            "ID verified",
            "minutes",
        ):
            assert shown in text


# -- the incident wizard ----------------------------------------------------------------------


async def test_an_incident_step_at_80x24_names_the_incident_its_step_and_who_it_is_about(
    desk: FrontDesk, make: MakeApp
) -> None:
    incident_id = incident_at(desk, "office_manager")
    app = make("OM")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.push_screen(IncidentScreen(incident_id, "OM"))
        await settle(pilot)
        lines = screen_text(app)
        assert "Upset patient · incident 1" in lines[0]
        assert "2 Office manager" in lines[0]
        text = "\n".join(lines)
        for shown in (
            "Biscuit · Jordan Lee",
            "Yes: they are speaking with the client",
            "No: send them a task",
            "Remedied?",
        ):
            assert shown in text


async def test_the_first_incident_step_at_80x24_shows_each_choice_whole(
    desk: FrontDesk, make: MakeApp
) -> None:
    app = make("FD")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        text = "\n".join(screen_text(app))
        for shown in (
            "1 What happened",
            "Communication log (outside a clinical visit)",
            "Clinical note (during a visit)",
        ):
            assert shown in text


# -- the lists --------------------------------------------------------------------------------


async def test_history_at_80x24_wraps_the_detail_instead_of_cutting_it(
    desk: FrontDesk, make: MakeApp, clock: FixedClock
) -> None:
    family(desk, clock)
    app = make("AB")
    async with app.run_test(size=SMALL) as pilot:
        await open_family_history(pilot)
        assert isinstance(app.screen, HistoryScreen)
        table = app.screen.query_one(DataTable)
        assert fits(table)
        assert headings(table) == ["When", "Patient", "Status", "Detail"]
        words = " ".join(" ".join(screen_text(app)).split())
        assert "Pepper [the cat]" in words
        # Every word of the note is on screen (column by column, wrapped).
        for word in LONG_NOTE.split():
            assert word in words


async def test_the_incidents_board_at_80x24_shows_what_happened(
    desk: FrontDesk, make: MakeApp, clock: FixedClock
) -> None:
    two_incidents(desk, clock)
    app = make("OM")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("g", "i")
        await settle(pilot)
        assert isinstance(app.screen, IncidentsBoard)
        table = app.screen.query_one(DataTable)
        assert fits(table)
        assert headings(table) == ["Open for", "Step", "About", "What happened"]
        words = " ".join(" ".join(screen_text(app)).split())
        for shown in ("Biscuit · Jordan Lee", "One-star review:", "appointment.", "Mr [i]Kim[/i]"):
            assert shown in words


async def test_tasks_at_80x24_show_the_task_and_what_it_is_about(
    desk: FrontDesk, make: MakeApp, clock: FixedClock
) -> None:
    wrong_numbers(desk, clock)
    app = make("FD")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("g", "t")
        await settle(pilot)
        assert isinstance(app.screen, TasksScreen)
        table = app.screen.query_one(DataTable)
        assert fits(table)
        assert headings(table) == ["Due", "Task", "About"]
        words = " ".join(" ".join(screen_text(app)).split())
        for shown in ("Jordan Lee-Whitaker", "(vomiting callback)", "(diarrhea callback)"):
            assert shown in words


async def test_the_drafts_inbox_at_80x24_shows_patient_client_and_note(
    desk: FrontDesk, make: MakeApp, clock: FixedClock
) -> None:
    drafts(desk, clock)
    app = make("DRW")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert fits(table)
        words = " ".join(" ".join(screen_text(app)).split())
        for shown in ("Maria [b]Gonzalez[/b]", "Limping on the [left] hind", "leg."):
            assert shown in words


# -- how the footer and the columns give way --------------------------------------------------


def test_the_footer_gives_up_spacing_palette_and_descriptions_before_any_key() -> None:
    keys = [
        ("⏎", "Log call"),
        ("c", "Claim"),
        ("g", "Go to"),
        ("^q", "Quit"),
        ("f1", "Keys"),
        ("i", "Incident"),
    ]
    roomy = footer.fit(keys, 200, compact=False, palette=True)
    assert roomy == footer.Plan(False, True, tuple(d for _k, d in keys))
    tight = footer.fit(keys, 40, compact=False, palette=True)
    assert tight.compact and not tight.palette
    # The keys at the right end lose their words first; the screen's own keep theirs.
    assert tight.descriptions == ("Log", "Claim", "Go", "Quit", "Keys", "")
    shown = zip(keys, tight.descriptions, strict=True)
    assert sum(footer.key_width(key, words, True) for (key, _full), words in shown) <= 40
    bare = footer.fit(keys, 5, compact=False, palette=True)
    assert bare.descriptions == ("",) * len(keys)


def test_each_column_is_as_wide_as_its_heading_or_its_widest_line() -> None:
    rows = [
        (Text("Kiwi"), "Ana Ruiz", Text("due Sat 21 Nov")),
        (Text("Pepper"), "Samantha\nOkafor", Text("")),  # the widest line of the cell counts
    ]
    assert [columns.row_widths(cells) for cells in rows] == [[4, 8, 14], [6, 8, 0]]
    widths = (columns.row_widths(cells) for cells in rows)
    assert columns.natural_widths(["Patient", "Client", "Due"], widths) == [7, 8, 14]
    assert columns.natural_widths(["Patient", "Client", "Due"], []) == [7, 6, 3]


def test_columns_are_dropped_in_order_only_as_far_as_needed() -> None:
    labels = ["When", "Patient", "Client", "Tries", "Owner", "Marks"]
    natural = [10, 8, 20, 5, 5, 12]  # 60, and 2 cells of padding each: 72
    assert columns.fit(natural, labels, 72, 1, dropped=[3, 4]).shown == (0, 1, 2, 3, 4, 5)
    assert columns.fit(natural, labels, 71, 1, dropped=[3, 4]).shown == (0, 1, 2, 4, 5)
    assert columns.fit(natural, labels, 60, 1, dropped=[3, 4]).shown == (0, 1, 2, 5)
    # Nothing else is ever dropped: past that, the table is wider than the screen.
    assert columns.fit(natural, labels, 30, 1, dropped=[3, 4]).shown == (0, 1, 2, 5)


def test_wrapping_columns_narrow_widest_first_and_keep_a_readable_width() -> None:
    labels = ["When", "Detail", "Note"]
    natural = [16, 90, 40]
    fitted = columns.fit(natural, labels, 80, 1, wrapping=[1, 2])
    assert fitted.shown == (0, 1, 2)
    assert sum(fitted.widths.get(i, natural[i]) + 2 for i in fitted.shown) == 80
    assert fitted.widths == {1: 29, 2: 29}
    squeezed = columns.fit(natural, labels, 20, 1, wrapping=[1, 2])
    assert squeezed.widths == {1: columns.NARROWEST, 2: columns.NARROWEST}


def test_a_column_is_dropped_rather_than_squeezing_free_text_below_a_comfortable_width() -> None:
    labels = ["When", "Step", "Detail"]
    natural = [16, 14, 90]
    fitted = columns.fit(natural, labels, 60, 1, dropped=[1], wrapping=[2])
    assert fitted.shown == (0, 2)
    assert fitted.widths == {2: 60 - 18 - 2}
    # With a comfortable width for the free text, every column stays; the text wraps.
    roomy = columns.fit(natural, labels, 80, 1, dropped=[1], wrapping=[2])
    assert roomy == columns.Fit((0, 1, 2), {2: 80 - 18 - 16 - 2})
    wide = columns.fit(natural, labels, 200, 1, dropped=[1], wrapping=[2])
    assert wide == columns.Fit((0, 1, 2), {})


def test_a_wrapped_cell_keeps_all_its_text_and_leaves_the_original_alone() -> None:
    from rich.text import Text

    original = Text("Limping on the [left] hind leg.", no_wrap=True, overflow="ellipsis")
    shown, taller = columns.wrapped(original, 10)
    assert taller and isinstance(shown, Text)
    assert shown.plain == original.plain and not shown.no_wrap
    assert original.no_wrap
    same, taller = columns.wrapped(original, 40)
    assert same is original and not taller


async def test_a_header_painted_before_its_rows_were_measured_is_painted_again() -> None:
    from rich.text import Text
    from textual.app import ComposeResult

    from callback_tui.tui.widgets.table import Table

    class One(App[None]):
        CSS = "Table { height: 1fr; scrollbar-gutter: stable; }"  # a list: its size stays

        def compose(self) -> ComposeResult:
            yield Table()

    app = One()
    async with app.run_test(size=SMALL) as pilot:
        table = app.query_one(Table)
        table.add_column("When")
        table.add_column("Patient")
        table.add_row(Text("next 17:00"), Text("Biscuit"))
        early = table.render_line(0).text  # painted before the table was idle
        assert early.startswith(" When  Patient")
        await pilot.pause()
        assert table.render_line(0).text.startswith(" When        Patient")
