"""A DataTable whose rendered cells outlive a reload.

Textual's DataTable keys its cell renders by its count of changes, so any change (a reload
after a save, one row taken off) renders every visible cell again through Rich: most of what
the return to the queue costs. `Table` keys them by what the cell shows instead, so after a
reload only the cells that really changed are rendered; the rest come from the cache. The
same goes for measuring the new rows' cells to size the columns.

A cell's render carries, in its styles, the row and column it sits at (the table reads them
back on a mouse click). Those are left out of the cached render and put on each time it is
used, so a row that moved up still answers a click as the row it now is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual._types import SegmentLines
from textual.cache import LRUCache
from textual.message import Message
from textual.render import measure
from textual.renderables.styled import Styled
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

CACHED_CELLS = 4000
"""Renders kept: a few screens of rows, each in both zebra stripes and under the cursor."""


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


class Table(DataTable[Any]):
    """DataTable, with cell renders cached by content (see the module's docstring)."""

    class Resized(Message):
        """The table's size changed: its columns may fit it differently (a list screen
        fits them again; see screens/common.py)."""

    def on_resize(self) -> None:
        self.post_message(self.Resized())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._renders: LRUCache[tuple[object, ...], SegmentLines] = LRUCache(CACHED_CELLS)
        self._widths: LRUCache[tuple[object, ...], int] = LRUCache(CACHED_CELLS)

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
        fixed = row_index < self.fixed_rows or column_index < self.fixed_columns
        if row_index < 0 or column_index < 0 or fixed:  # headers, labels, fixed cells
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
        )
        lines = self._renders.get(key)
        if lines is None:
            lines = self._render_plain(row_index, column_index, base_style, width, cursor, hover)
            self._renders[key] = lines
        place = Style.from_meta({"row": row_index, "column": column_index})
        return [
            [Segment(text, (style or Style()) + place, control) for text, style, control in line]
            for line in lines
        ]

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
