"""A long plain listing for a page of text: one line per row, in columns, cut with "…".

The reviews list every callback past target and every old draft: hundreds of rows on a
clinic's busy day. Rich's Table measures and lays out each cell through its full machinery
(wrapping, ratios, padding, per-cell renders): about 0.6 s for 900 rows of five columns.
Rows here never wrap (a review line is a row), so the columns are worked out once from the
cells' widths and each row is written as segments: about 30 ms for the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.text import Text

from callback_tui.domain.text import printable

GAP = 1
"""Spaces each side of a cell, as a Rich table's padding (0, 1)."""


class Listing:
    """`rows` of Text cells under `columns` (dim headings), one line each, every column as
    wide as its widest cell; when the page is narrower, the widest columns give way first,
    their cells cut with "…", down to their heading's width."""

    def __init__(self, columns: Sequence[str], rows: Iterable[Sequence[Text]]) -> None:
        self.columns = list(columns)
        self.rows = [[_one_line(cell) for cell in row] for row in rows]

    def widths(self, room: int) -> list[int]:
        """Each column's width, all of them (with their gaps) within `room` if they can."""
        widths = [cell_len(column) for column in self.columns]
        for row in self.rows:
            for index, cell in enumerate(row):
                widths[index] = max(widths[index], cell.cell_len)
        room -= 2 * GAP * len(widths)
        floors = [cell_len(column) for column in self.columns]
        excess = sum(widths) - room
        while excess > 0:
            index = max(range(len(widths)), key=lambda i: (widths[i] - floors[i] > 0, widths[i]))
            if widths[index] <= floors[index]:
                break  # every column at its heading's width: the line is cut at the edge
            widths[index] -= 1
            excess -= 1
        return widths

    def __len__(self) -> int:
        """Its lines: the headings', then one per row."""
        return len(self.rows) + 1

    def line(self, console: Console, index: int, widths: Sequence[int]) -> list[Segment]:
        """Line `index` (0: the headings) at `widths` (see `widths`), as segments."""
        gap = Segment(" " * GAP)
        row = self.rows[index - 1] if index else [Text(c, style="dim") for c in self.columns]
        segments: list[Segment] = []
        for cell, width in zip(row, widths, strict=True):
            segments.append(gap)
            segments.extend(_cell(console, cell, width))
            segments.append(gap)
        return segments

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = self.widths(options.max_width)
        for index in range(len(self)):
            yield from self.line(console, index, widths)
            yield Segment.line()


def _one_line(cell: Text) -> Text:
    """`cell` as one line a terminal shows as it is (see text.printable): a row is a line."""
    if cell.plain.isprintable():
        return cell
    return Text(printable(cell.plain), style=cell.style, justify=cell.justify)


def _cell(console: Console, cell: Text, width: int) -> Iterator[Segment]:
    """`cell` at exactly `width` cells: padded, or cut with "…"."""
    if not cell.spans and cell.cell_len <= width:
        # The common cell, one style, fitting: one segment, without Text's rendering.
        style = console.get_style(cell.style) if isinstance(cell.style, str) else cell.style
        padding = " " * (width - cell.cell_len)
        if cell.justify == "right":
            yield Segment(padding)
            yield Segment(cell.plain, style or None)
        else:
            yield Segment(cell.plain, style or None)
            yield Segment(padding)
        return
    fitted = cell.copy()
    fitted.truncate(width, overflow="ellipsis")
    if cell.justify == "right":
        fitted.pad_left(width - fitted.cell_len)
    else:
        fitted.pad_right(width - fitted.cell_len)
    yield from fitted.render(console)
