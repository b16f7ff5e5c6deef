"""The queue's table paints exactly as Textual's DataTable does, reload after reload."""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from callback_tui.tui.widgets.table import Table

COLUMNS = ("When", "Patient", "Client", "Tries")


def rows(names: list[str]) -> dict[str, tuple[Text, ...]]:
    return {
        name: (
            Text("09:00"),
            Text(name, style="bold"),
            Text.assemble(("Lee ", "italic"), "Jordan"),
            Text(str(len(name)), justify="right"),
        )
        for name in names
    }


class Pair(App[None]):
    """A DataTable and a Table one above the other, filled alike."""

    CSS = "DataTable { height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row", zebra_stripes=True, id="plain")
        yield Table(cursor_type="row", zebra_stripes=True, id="cached")

    def fill(self, names: list[str]) -> None:
        for table in self.query(DataTable):
            if not table.columns:
                for column in COLUMNS:
                    table.add_column(column, key=column)
            table.clear()
            for key, cells in rows(names).items():
                table.add_row(*cells, key=key)


def painted(table: DataTable[Any]) -> list[list[tuple[str, str, dict[str, Any]]]]:
    """Each line, character by character: its text, style (less its meta) and meta, less the
    cell's row and column (Table tells a mouse event those from where it is: see
    `test_a_mouse_event_is_told_the_place_datatable_would_give_it`)."""

    def seen(segment: Segment) -> list[tuple[str, str, dict[str, Any]]]:
        style = segment.style
        if style is None:
            return [(character, "", {}) for character in segment.text]
        meta = {key: value for key, value in style.meta.items() if key not in ("row", "column")}
        return [(character, str(style.clear_meta_and_links()), meta) for character in segment.text]

    return [
        [cell for segment in table.render_line(y) for cell in seen(segment)]
        for y in range(table.scrollable_content_region.height)
    ]


def place_at(table: DataTable[Any], x: int, y: int) -> dict[str, Any]:
    """Where a mouse event at (x, y) of the table's content tells DataTable's handlers it is:
    the place in the style of the segment there, as Table puts it on the event."""
    column = 0
    for segment in table.render_line(y):
        column += segment.cell_length
        if x < column:
            break
    else:
        return {}
    region = table.content_region
    event = events.MouseMove(
        table, x, y, 0, 0, 0, False, False, False, region.x + x, region.y + y, segment.style
    )
    if isinstance(table, Table):
        table._place(event)
    meta = event.style.meta
    return {
        "row": meta.get("row"),
        "column": meta.get("column"),
        "out_of_bounds": meta.get("out_of_bounds", False),
    }


async def test_every_line_matches_datatable_before_and_after_reloads() -> None:
    app = Pair()
    async with app.run_test(size=(60, 30)) as pilot:
        plain, cached = app.query_one("#plain", DataTable), app.query_one("#cached", Table)
        app.set_focus(None)  # a focused table paints its header brighter: neither is
        names = [f"Pet {n}" for n in range(20)]
        for step in range(4):
            app.fill(names)
            plain.move_cursor(row=step)
            cached.move_cursor(row=step)
            await pilot.pause()
            assert painted(cached) == painted(plain), f"after reload {step}"
            names = [*names[1:], "Max"] if step % 2 == 0 else ["Luna", *names[2:]]
        # A row's content changed under the same key: painted anew, not from the cache.
        app.fill(["Pet 1", "Pet 2 and a much longer name"])
        await pilot.pause()
        assert painted(cached) == painted(plain)
        assert "much longer" in "".join(text for text, _, _ in painted(cached)[2])
        # Only a cell's style changed (Texts of the same words are equal): painted anew too.
        before = painted(cached)
        for table in (plain, cached):
            table.update_cell("Pet 1", "Patient", Text("Pet 1", style="italic"))
        await pilot.pause()
        assert painted(cached) == painted(plain) != before
        # Focused, a table paints its header (and cursor) brighter: not from the cache.
        plain.focus()
        await pilot.pause()
        focused = painted(plain)
        cached.focus()
        await pilot.pause()
        assert painted(cached) == focused
        assert painted(cached)[0] != painted(plain)[0]  # the header: brighter when focused


async def test_a_click_after_rows_moved_up_lands_on_the_row_now_shown() -> None:
    app = Pair()
    async with app.run_test(size=(60, 30)) as pilot:
        cached = app.query_one("#cached", Table)
        app.fill(["Biscuit", "Max", "Luna"])
        await pilot.pause()
        painted(cached)  # rendered, and cached, with Max on the second row
        app.fill(["Max", "Luna"])  # Biscuit's call was saved: Max moves up
        await pilot.pause()
        await pilot.hover(cached, offset=(3, 1))  # the first line of the body: Max
        await pilot.pause()
        assert cached.hover_coordinate.row == 0
        await pilot.click(cached, offset=(3, 2))  # the second: Luna
        await pilot.pause()
        assert cached.cursor_row == 1
        assert cached.coordinate_to_cell_key(cached.cursor_coordinate).row_key.value == "Luna"
        await pilot.click(cached, offset=(50, 1))  # right of the last column, on Max's line
        await pilot.pause()
        assert cached.cursor_row == 0


async def test_a_mouse_event_is_told_the_place_datatable_would_give_it() -> None:
    """Every cell of the body, the header and the space right of the columns, after rows
    moved up and down and with the table scrolled: the place a mouse event there carries to
    DataTable's handlers is the one DataTable's own render carries."""
    app = Pair()
    async with app.run_test(size=(60, 30)) as pilot:
        plain, cached = app.query_one("#plain", DataTable), app.query_one("#cached", Table)
        names = [f"Pet {n}" for n in range(40)]
        for step in range(3):
            app.fill(names)
            await pilot.pause()
            painted(cached)  # these lines cached, at the rows they are now
            names = names[1:] if step % 2 == 0 else ["Luna", *names]
        for scrolled in (0, 7):
            for table in (plain, cached):
                table.scroll_to(y=scrolled, animate=False)
            await pilot.pause()
            assert cached.scroll_y == plain.scroll_y == scrolled
            width, height = cached.scrollable_content_region.size
            checked = 0
            for y in range(height):
                for x in range(width):
                    assert place_at(cached, x, y) == place_at(plain, x, y), (x, y, scrolled)
                    checked += 1
            assert checked > 500


async def test_a_table_tells_whether_it_shows_just_these_rows() -> None:
    app = Pair()
    async with app.run_test(size=(60, 30)):
        cached = app.query_one("#cached", Table)
        names = ["Biscuit", "Max", "Luna"]
        app.fill(names)
        assert cached.shows(rows(names))
        assert cached.shows(dict(rows(names)))  # a fresh copy of the same cells
        assert not cached.shows(rows(["Max", "Biscuit", "Luna"]))  # another order
        assert not cached.shows(rows(names[:2]))  # a row less
        changed = rows(names)
        changed["Max"] = (*changed["Max"][:3], Text("4"))  # one cell, same key
        assert not cached.shows(changed)
        styled = rows(names)
        styled["Luna"] = (styled["Luna"][0], Text("Luna"), *styled["Luna"][2:])  # not bold
        assert not cached.shows(styled)
        cached.update_cell("Max", "Tries", Text("9", justify="right"))  # changed in place
        assert not cached.shows(rows(names))
        assert cached.shows(
            {**rows(names), "Max": (*rows(["Max"])["Max"][:3], Text("9", justify="right"))}
        )


async def test_a_table_tells_which_rows_to_take_out_to_show_fewer() -> None:
    app = Pair()
    async with app.run_test(size=(60, 30)) as pilot:
        cached = app.query_one("#cached", Table)
        plain = app.query_one("#plain", DataTable)
        app.set_focus(None)
        names = ["Biscuit", "Max", "Luna", "Pepper"]
        app.fill(names)
        await pilot.pause()
        painted(cached)
        gone = cached.left_out(rows(["Biscuit", "Luna"]))  # Max and Pepper dealt with
        assert gone is not None and [key.value for key in gone] == ["Max", "Pepper"]
        assert cached.left_out(rows(["Luna", "Biscuit"])) is None  # another order
        assert cached.left_out(rows(["Biscuit", "Rex"])) is None  # a new row
        assert cached.left_out(rows(names)) is None  # nothing to take out
        changed = rows(["Biscuit", "Luna"])
        changed["Luna"] = (Text("10:00"), *changed["Luna"][1:])  # moved to another time
        assert cached.left_out(changed) is None

        # Taken out, the rest paints as a table filled with just those rows.
        for key in cached.left_out(rows(["Max", "Pepper"])) or []:
            cached.remove_row(key)
        plain.clear()
        for key, cells in rows(["Max", "Pepper"]).items():
            plain.add_row(*cells, key=key)
        await pilot.pause()
        assert cached.shows(rows(["Max", "Pepper"]))
        assert painted(cached) == painted(plain)


async def test_home_and_end_go_to_the_first_and_last_row() -> None:
    app = Pair()
    async with app.run_test(size=(60, 12)) as pilot:
        cached = app.query_one("#cached", Table)
        names = [f"Pet {n}" for n in range(30)]
        app.fill(names)
        cached.focus()
        await pilot.press("end")
        assert cached.cursor_row == len(names) - 1
        assert cached.scroll_y > 0  # scrolled down to it
        await pilot.press("home")
        assert cached.cursor_row == 0 and cached.scroll_y == 0
