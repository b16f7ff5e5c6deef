"""A DataTable whose rendered cells and lines outlive a reload.

Textual's DataTable keys its cell and line renders by its count of changes, so any change (a
reload after a save, one row taken off) renders every visible line again through Rich: most
of what the return to the queue costs. `Table` keys them by what the cell, or the whole line,
shows instead, so after a reload only the lines that really changed are rendered; the rest
come from the cache. A line's key holds its stripe (odd or even), whether the cursor or the
mouse is on it, and the columns' widths: a row that moves up one changes stripe, and is shown
by the render it had two saves ago, when it last stood in that stripe. The same goes for
measuring the new rows' cells to size the columns. What every line of a paint shares (the
columns, the cursor's row, the scroll, the theme) is read once for the paint (`Pass`).

DataTable puts, in the styles of each cell it renders, the row and column the cell sits at,
and reads them back under the mouse (a click, the hover). A cell cached here carries no place,
so a line rendered one save ago serves as it is at any row: a click or a hover on one is told
its place from where the mouse is, as DataTable would have read it (`_place`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from operator import is_
from typing import Any, NamedTuple

from rich.padding import Padding
from rich.style import Style
from rich.text import Text
from textual import events
from textual._types import SegmentLines
from textual.cache import LRUCache
from textual.geometry import Region
from textual.message import Message
from textual.render import measure
from textual.renderables.styled import Styled
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

CACHED_CELLS = 4000
"""Renders kept: a few screens of rows, each in both zebra stripes and under the cursor."""
CACHED_LINES = 1000
"""Lines kept, by what they show: as many as Textual's DataTable keeps by place."""


def content_of(cell: object) -> tuple[object, ...] | None:
    """What a cell shows, as a key; None for a cell that is not plain Rich text."""
    if type(cell) is not Text:
        return None
    return (
        cell.plain,
        str(cell.style),
        tuple((span.start, span.end, str(span.style)) for span in cell.spans),
        cell.justify,
        cell.overflow,
        cell.no_wrap,
        cell.end,
    )


NO_ROW = -2
"""No row: where a cursor that is not shown is (-1 is the header's)."""


class Pass(NamedTuple):
    """What every line of a table shares in one pass of painting, read once for it."""

    style: Style
    keyed: bool
    """Whether lines are cached by what they show (`Table._line_key`)."""
    columns: list[Any]
    offsets: list[tuple[RowKey, int]]
    """Each line's row (DataTable's `_y_offsets`)."""
    header: int
    """Lines of header shown."""
    labels: tuple[object, ...] | None
    """What the header shows (`content_of` each label); None when it is no one line of text."""
    cursor_row: int
    hover_row: int
    zebra: bool
    scroll_x: int
    scroll_y: int
    width: int
    shared: tuple[object, ...]
    """What every line's render depends on besides its own: the columns' widths, the table's
    size, padding, cursor colours, state (focus) and the theme."""


class Table(DataTable[Any]):
    """DataTable, with cell renders cached by content (see the module's docstring)."""

    class Resized(Message):
        """The table's size changed: its columns may fit it differently (a list screen
        fits them again; see screens/common.py)."""

    def on_resize(self) -> None:
        self.post_message(self.Resized())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Kept through `clear` (a reload) and restyling (a move of the focus): their keys
        # hold all a render depends on, the theme included.
        self._renders: LRUCache[tuple[object, ...], SegmentLines] = LRUCache(CACHED_CELLS)
        self._widths: LRUCache[tuple[object, ...], int] = LRUCache(CACHED_CELLS)
        self._lines: LRUCache[tuple[object, ...], Strip] = LRUCache(CACHED_LINES)
        self._contents: LRUCache[RowKey, tuple[tuple[object, ...], tuple[object, ...]]] = LRUCache(
            CACHED_LINES
        )
        """Each row's cells, and what they show (`content_of` each), while they are its cells."""
        self._pass: Pass | None = None
        """While the table paints (`render_lines`): what its lines share."""
        super().__init__(*args, **kwargs)

    @property
    def rich_style(self) -> Style:
        # DataTable asks for it once a line, and each time it walks every ancestor's styles:
        # within one pass of painting they cannot change.
        if self._pass is not None:
            return self._pass.style
        return super().rich_style

    def action_scroll_home(self) -> None:
        """`home`: the first row, where the cursor is on rows (DataTable's own `home` scrolls
        sideways, which a list here never needs: its columns fit the screen)."""
        if self.cursor_type == "row":
            self.action_scroll_top()
        else:
            super().action_scroll_home()

    def action_scroll_end(self) -> None:
        """`end`: the last row, where the cursor is on rows (see `action_scroll_home`)."""
        if self.cursor_type == "row":
            self.action_scroll_bottom()
        else:
            super().action_scroll_end()

    # DataTable's own handlers run after these (Textual calls each class's handler in turn)
    # and read the place from the event's style.
    async def _on_click(self, event: events.Click) -> None:
        self._place(event)

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        self._place(event)

    def _place(self, event: events.MouseEvent) -> None:
        """Put on the event's style the place DataTable would have put on the cell under the
        mouse: its row and column; past the last column, the row and `out_of_bounds`.

        A body line this cache serves (`_line_key`: one line a row, no fixed rows, columns or
        labels) carries no place, or the one of the row it was first rendered at: the place
        is worked out from where the mouse is. The header's line carries its own."""
        if not self._served_by_place():
            return
        offset = event.get_content_offset(self)
        if offset is None:
            return
        now = self._read_pass()
        if offset.y < now.header:
            return  # the header carries its own place
        try:  # as a paint finds the line's row (render_line, _line_key)
            row_key, _line = now.offsets[offset.y - now.header + now.scroll_y]
        except IndexError:
            return  # below the last row
        row_index = self._row_locations.get(row_key)
        if row_index is None or self.rows[row_key].height != 1:
            return
        place = {"row": row_index, "column": 0, "out_of_bounds": True}
        x = offset.x + now.scroll_x
        for column_index, column in enumerate(now.columns):
            x -= column.get_render_width(self)
            if x < 0:
                place = {"row": row_index, "column": column_index, "out_of_bounds": False}
                break
        event.style += Style.from_meta(place)  # over any place the line carries

    def _served_by_place(self) -> bool:
        """Whether the table's body cells are rendered here with no place in them (`_place`
        then tells a mouse event where it is): unless rows, columns or labels are fixed."""
        return not (self.fixed_rows or self.fixed_columns or self._labelled_row_exists)

    def render_lines(self, crop: Region) -> list[Strip]:
        # What DataTable's own render_lines does first: the state the pass reads.
        self._pseudo_class_state = self.get_pseudo_class_state()
        self._pass = None
        self._pass = self._read_pass()
        try:
            return super().render_lines(crop)
        finally:
            self._pass = None

    def _read_pass(self) -> Pass:
        columns = self.ordered_columns
        labels = tuple(content_of(column.label) for column in columns)
        scroll_x, scroll_y = self.scroll_offset
        return Pass(
            style=self.rich_style,
            keyed=self.cursor_type in ("row", "none") and self._served_by_place(),
            columns=columns,
            offsets=self._y_offsets,
            header=self.header_height if self.show_header else 0,
            labels=labels if None not in labels and self.header_height == 1 else None,
            cursor_row=self.cursor_coordinate.row if self.show_cursor else NO_ROW,
            hover_row=self.hover_coordinate.row if self._show_hover_cursor else NO_ROW,
            zebra=self.zebra_stripes,
            scroll_x=scroll_x,
            scroll_y=scroll_y,
            width=self.size.width,
            shared=(
                tuple((column.key, column.get_render_width(self)) for column in columns),
                self.size.width,
                self.cell_padding,
                self.cursor_foreground_priority,
                self.cursor_background_priority,
                self._pseudo_class_state,
                self.app.theme,
            ),
        )

    def render_line(self, y: int) -> Strip:
        now = self._pass
        if now is None or not now.keyed:
            return super().render_line(y)
        # As DataTable's: a line below the header scrolls (a keyed table has no fixed rows).
        if y >= now.header:
            y += now.scroll_y
        return self._render_line(y, now.scroll_x, now.scroll_x + now.width, now.style)

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        key = self._line_key(y, x1, x2, base_style)
        if key is None:
            return super()._render_line(y, x1, x2, base_style)
        strip = self._lines.get(key)
        if strip is None:
            strip = self._lines[key] = super()._render_line(y, x1, x2, base_style)
        return strip

    def _line_key(self, y: int, x1: int, x2: int, base_style: Style) -> tuple[object, ...] | None:
        """What a line shows, as a key; None for a line this cache leaves to DataTable (labels,
        fixed rows or columns, tall rows, a cell or column cursor)."""
        now = self._pass or self._read_pass()
        if not now.keyed:
            return None
        if y < now.header:
            if now.labels is None:
                return None
            return ("header", now.labels, now.hover_row == -1, x1, x2, base_style, now.shared)
        try:
            row_key, _line = now.offsets[y - now.header]
        except IndexError:
            return None
        row_index = self._row_locations.get(row_key)
        if row_index is None or self.rows[row_key].height != 1:
            return None
        contents = self._row_contents(row_key, now.columns)
        if None in contents:
            return None
        return (
            contents,
            row_index % 2 if now.zebra else 0,
            now.cursor_row == row_index,
            now.hover_row == row_index,
            x1,
            x2,
            base_style,
            now.shared,
        )

    def shows(self, rows: Mapping[str, Sequence[object]]) -> bool:
        """Whether the table holds just `rows` (cells by row key, in order), each cell showing
        what it would show: refilled with them, it would look the same."""
        if self.row_count != len(rows):
            return False
        columns = self.ordered_columns
        for index, (key, cells) in enumerate(rows.items()):
            row_key = self._row_locations.get_key(index)
            if row_key is None or row_key.value != key or not self._holds(row_key, cells, columns):
                return False
        return True

    def left_out(self, rows: Mapping[str, Sequence[object]]) -> list[RowKey] | None:
        """The rows to remove for the table to show just `rows` (cells by row key, in order),
        when `rows` are the ones it holds less some, in the same order, each showing what it
        shows; None when they are not (a row new, moved or changed), or are all of them.

        A call saved takes its row off the queue: removing it keeps every other row, where
        refilling the table would add and measure them all again."""
        if len(rows) >= self.row_count:
            return None
        columns = self.ordered_columns
        wanted = iter(rows.items())
        upcoming = next(wanted, None)
        gone: list[RowKey] = []
        for index in range(self.row_count):
            row_key = self._row_locations.get_key(index)
            if row_key is None:
                return None
            if upcoming is None or row_key.value != upcoming[0]:
                gone.append(row_key)
                continue
            if not self._holds(row_key, upcoming[1], columns):
                return None
            upcoming = next(wanted, None)
        return gone if upcoming is None else None

    def _holds(self, row_key: RowKey, cells: Sequence[object], columns: list[Any]) -> bool:
        """Whether the row shows `cells`, each as it would show it."""
        if len(cells) != len(columns):
            return False
        row = self._data[row_key]
        if all(row.get(column.key) is cell for column, cell in zip(columns, cells, strict=True)):
            return True  # the very cells it holds (a list that keeps a row's cells: Today)
        held = self._row_contents(row_key, columns)
        return None not in held and held == tuple(content_of(cell) for cell in cells)

    def _row_contents(self, row_key: RowKey, columns: list[Any]) -> tuple[object, ...]:
        """What each of the row's cells shows (`content_of`), in the order of `columns`:
        worked out once for the cells the row holds (a cell updated is worked out again)."""
        cells = tuple(map(self._data[row_key].get, [column.key for column in columns]))
        kept = self._contents.get(row_key)
        # The very cells (not equal ones: two Texts are equal whatever their styles).
        if kept is not None and len(kept[0]) == len(cells) and all(map(is_, kept[0], cells)):
            return kept[1]
        contents = tuple(content_of(cell) for cell in cells)
        self._contents[row_key] = (cells, contents)
        return contents

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Widen the columns for new rows, measuring each text only once per content."""
        console = self.app.console
        screen_width = console.width  # a measure is at most the screen's width
        columns = self.ordered_columns
        widths_before = [column.content_width for column in columns]
        others: list[RowKey] = []
        for row_key in new_rows:
            row = self.rows.get(row_key)
            if row is None or row_key not in self._row_locations:
                continue  # removed before the table was idle
            cells = [self._data[row_key][column.key] for column in columns]
            contents = [content_of(cell) for cell in cells]
            if row.label is not None or row.auto_height or None in contents:
                others.append(row_key)  # measured as DataTable measures them
                continue
            for column, cell, content in zip(columns, cells, contents, strict=True):
                assert content is not None
                known = (content, screen_width)
                width = self._widths.get(known)
                if width is None:
                    width = self._widths[known] = measure(console, cell, 1)
                column.content_width = max(column.content_width, width)
        super()._update_dimensions(others)
        if [column.content_width for column in columns] != widths_before:
            # DataTable keys its renders of the header and of whole lines by its count of
            # changes, not by the columns' widths: a header painted before the rows were
            # measured (columns just added) would stay at the headings' widths.
            self._update_count += 1
            self.refresh()

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> SegmentLines:
        if row_index < 0 or column_index < 0 or not self._served_by_place():
            # Headers and labels; and every cell of a table with fixed rows, columns or labels,
            # whose cells carry their place as DataTable renders them.
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        if row_key is None or column_key is None:  # never, for a row it was asked to paint
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        content = content_of(self._data[row_key][column_key])
        if content is None or self.rows[row_key].height != 1:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        key = (
            content,
            base_style,
            width,
            cursor,
            hover,
            self._show_hover_cursor,
            self.show_cursor,
            self.cell_padding,
            self.cursor_foreground_priority,
            self.cursor_background_priority,
            self._pseudo_class_state,
            self.app.theme,
        )
        lines = self._renders.get(key)
        if lines is None:
            lines = self._render_plain(row_index, column_index, base_style, width, cursor, hover)
            self._renders[key] = lines
        return lines  # no place in it: see `_place`

    def _render_plain(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool,
        hover: bool,
    ) -> SegmentLines:
        """One body cell, one line high, rendered as DataTable renders it, less its place."""
        _label, cells = self._get_row_renderables(row_index)
        component_style, post_style = self._get_styles_to_render_cell(
            False,
            False,
            False,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        options = self.app.console_options.update_dimensions(width, 1).update(no_wrap=True)
        return self.app.console.render_lines(
            Styled(
                Padding(cells[column_index], (0, self.cell_padding)),
                pre_style=base_style + component_style,
                post_style=post_style,
            ),
            options,
        )
