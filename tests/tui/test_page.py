"""The reviews' page: long lists rendered a line at a time, as they come into view."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from rich.console import Console, Group
from rich.text import Text
from textual.app import App, ComposeResult

from callback_tui.tui.widgets.listing import Listing
from callback_tui.tui.widgets.page import Page


class OnePage(App[None]):
    CSS = "Page { height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield Page(id="page")


def sections(rows: int) -> list[Any]:
    listing = Listing(
        ("Patient", "Client", "Due"),
        (
            [Text(f"Pet {n}"), Text(f"Client {n}", style="bold"), Text("due Mon")]
            for n in range(rows)
        ),
    )
    return [Text("At a glance: " + "many words " * 12), Text(""), listing, Text("The end")]


async def test_a_long_list_is_rendered_as_far_as_it_is_seen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rendered: list[int] = []
    line = Listing.line

    def counted(listing: Listing, console: Any, index: int, widths: Any) -> Any:
        rendered.append(index)
        return line(listing, console, index, widths)

    monkeypatch.setattr(Listing, "line", counted)
    app = OnePage()
    async with app.run_test(size=(60, 20)) as pilot:
        page = app.query_one(Page)
        page.show(sections(5000))
        await pilot.pause()
        assert 0 < len(set(rendered)) <= 20  # a screenful, of 5001 lines
        page.scroll_end(animate=False)
        await pilot.pause()
        assert len(set(rendered)) <= 40
        shown = [page.render_line(y).text for y in range(page.scrollable_content_region.height)]
        assert "Pet 4999" in "".join(shown) and shown[-1].startswith("The end")


async def test_the_page_reads_as_its_sections_printed_at_its_width() -> None:
    app = OnePage()
    async with app.run_test(size=(60, 20)) as pilot:
        page = app.query_one(Page)
        page.show(sections(30))
        await pilot.pause()
        width = page.built_width
        console = Console(width=width, file=StringIO(), color_system=None)
        printed = console.render_lines(Group(*sections(30)), console.options, pad=True)
        assert page.text() == ["".join(segment.text for segment in line) for line in printed]
        await pilot.resize_terminal(40, 20)  # narrower: laid out again
        await pilot.pause()
        assert page.built_width < width
        assert all(len(line) == page.built_width for line in page.text())
