"""Which columns of a list fit the screen, and how wide.

A list shows all its columns while they fit. On a narrow screen the least useful parts give
way first: whole columns the screen names as expendable (a count, a flag the dialog repeats),
in the order it names them, for as long as its free text would otherwise get less than a
comfortable width; then the columns the screen lets wrap are narrowed, widest first, and
their text wraps over more lines. Nothing is cut: a cell is whole on one line, whole over
several, or its column is left out (only a column the screen named).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from msgspec import Struct, field
from rich.cells import cell_len
from rich.text import Text

NARROWEST = 8
"""Cells a wrapping column keeps at least (or its heading's width, if wider)."""

ROOMY = 30
"""Cells a wrapping column is worth dropping other columns for: past that, it wraps."""


class Fit(Struct, frozen=True):
    shown: tuple[int, ...]
    """The columns shown, by index, in their order."""
    widths: Mapping[int, int] = field(default_factory=dict)
    """Narrowed columns: their width, in cells, without padding. The others size to fit."""


def cell_width(cell: object) -> int:
    """The cells a table cell's widest line takes."""
    text = cell.plain if isinstance(cell, Text) else str(cell)
    if "\n" not in text:
        return cell_len(text)
    return max(cell_len(line) for line in text.split("\n"))


def row_widths(cells: Sequence[object]) -> list[int]:
    """The width of each of a row's cells, on one line (`cell_width`)."""
    return [cell_width(cell) for cell in cells]


def natural_widths(labels: Sequence[str], rows: Iterable[Sequence[int]]) -> list[int]:
    """Each column's width for its heading and every cell on one line, from each row's
    `row_widths` (a list keeps them while the row's cells stay the same)."""
    widths = [cell_len(label) for label in labels]
    for row in rows:
        widths = list(map(max, widths, row))
    return widths


def fit(
    natural: Sequence[int],
    labels: Sequence[str],
    available: int,
    padding: int,
    dropped: Sequence[int] = (),
    wrapping: Sequence[int] = (),
) -> Fit:
    """The columns to show in `available` cells, each taking its width plus `padding` on
    both sides: all of them if they fit; else without the `dropped` ones, dropped in that
    order while the `wrapping` ones would get less than ROOMY; then with the `wrapping` ones
    narrowed, widest first, as far as needed."""
    shown = list(range(len(natural)))

    def total(widths: Mapping[int, int]) -> int:
        return sum(widths.get(i, natural[i]) + 2 * padding for i in shown)

    roomy = {i: min(natural[i], ROOMY) for i in wrapping}
    for index in dropped:
        if total(roomy) <= available:
            break
        shown.remove(index)
    widths = {i: natural[i] for i in wrapping if i in shown}
    least = {i: min(natural[i], max(NARROWEST, cell_len(labels[i]))) for i in widths}
    over = total(widths) - available
    while over > 0:
        wider = [i for i in widths if widths[i] > least[i]]
        if not wider:
            break
        top = max(widths[i] for i in wider)
        widest = [i for i in wider if widths[i] == top]
        # Down to the next width below (or to their least), sharing what is still over.
        floor = max([widths[i] for i in wider if widths[i] < top] + [least[i] for i in widest])
        step = max(1, min(top - floor, -(-over // len(widest))))
        for i in widest:
            cut = min(step, widths[i] - least[i], over)
            widths[i] -= cut
            over -= cut
    return Fit(tuple(shown), {i: w for i, w in widths.items() if w < natural[i]})


def wrapped(cell: object, width: int) -> tuple[object, bool]:
    """The cell as shown in a column `width` cells wide: its text wrapped when it is wider
    (a copy: the caller's text is left as it was), and whether it now takes more lines."""
    if cell_width(cell) <= width:
        return cell, False
    text = cell.copy() if isinstance(cell, Text) else Text(str(cell))
    text.no_wrap = False
    text.overflow = "fold"
    return text, True


def shown(
    cells: Sequence[object], fitted: Fit, lines: Callable[[Text, int], int]
) -> tuple[Sequence[object], int]:
    """A row's cells in the columns `fitted` shows, and the row's height in lines.

    `lines(text, width)` says how many lines a wrapped text takes: the row is given that
    height, so the table need not render every row to find it out (an inbox of hundreds of
    long notes would take a second to open).
    """
    if not fitted.widths and len(fitted.shown) == len(cells):
        return cells, 1
    out: list[object] = []
    height = 1
    for index in fitted.shown:
        width = fitted.widths.get(index)
        cell, wraps = (cells[index], False) if width is None else wrapped(cells[index], width)
        out.append(cell)
        if wraps and isinstance(cell, Text) and width is not None:
            height = max(height, lines(cell, width))
    return out, height
