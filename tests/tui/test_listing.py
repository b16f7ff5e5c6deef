"""The reviews' long lists: one line per row, in columns, cut with "…" when narrow."""

from __future__ import annotations

from io import StringIO

from rich.console import Console
from rich.text import Text

from callback_tui.tui.widgets.listing import Listing


def lines(listing: Listing, width: int) -> list[str]:
    console = Console(width=width, file=StringIO(), color_system=None)
    rendered = console.render_lines(listing, console.options.update_width(width), pad=False)
    return ["".join(segment.text for segment in line) for line in rendered]


ROWS = [
    [Text("Kiwi"), Text("Ana Ruiz"), Text("Vomiting or diarrhea check"), Text("due Sat 21 Nov")],
    [Text("Pepper"), Text("Sam Okafor"), Text("Surgery"), Text("due Tue 24 Nov")],
]
COLUMNS = ("Patient", "Client", "Reason", "Due")


def test_each_row_is_a_line_and_each_column_as_wide_as_its_widest_cell() -> None:
    shown = lines(Listing(COLUMNS, ROWS), 100)
    assert shown == [
        " Patient  Client      Reason                      Due            ",
        " Kiwi     Ana Ruiz    Vomiting or diarrhea check  due Sat 21 Nov ",
        " Pepper   Sam Okafor  Surgery                     due Tue 24 Nov ",
    ]


def test_narrow_the_widest_column_gives_way_first_and_no_column_below_its_heading() -> None:
    shown = lines(Listing(COLUMNS, ROWS), 56)
    assert all(len(line) <= 56 for line in shown)
    assert shown[1] == " Kiwi     Ana Ruiz    Vomiting or diar…  due Sat 21 Nov "
    tiny = lines(Listing(COLUMNS, ROWS), 20)  # cannot fit: headings whole, cut at the edge
    assert tiny[0].startswith(" Patient  Client  ")
    assert all(len(line) <= 20 for line in tiny)


def test_user_text_is_shown_literally_on_its_own_line() -> None:
    rows = [[Text("[bold]Rex[/]"), Text("two\nlines"), Text("x"), Text("\x1b[31mred")]]
    shown = lines(Listing(COLUMNS, rows), 100)
    assert len(shown) == 2  # the line break in a cell does not make a second row
    assert "[bold]Rex[/]" in shown[1] and "two lines" in shown[1]
    assert "\x1b" not in "".join(shown) and "[31mred" in shown[1]  # no terminal code


def test_a_right_justified_cell_is_padded_on_its_left() -> None:
    rows = [[Text("Kiwi"), Text("3", justify="right"), Text("x"), Text("y")]]
    shown = lines(Listing(("Patient", "Calls", "A", "B"), rows), 100)
    assert shown[1].startswith(" Kiwi         3 ")
