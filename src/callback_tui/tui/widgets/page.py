"""A page of sections that scrolls, each line rendered when it first comes into view.

The daily review lists every callback past target and every old draft: on a busy clinic's
year, some 900 rows. Written whole into a RichLog, each change of the review renders them
all (0.2 s and more), for a screenful on view. Here the short sections are rendered as they
are shown, and the long lists (widgets/listing.py) a line at a time, as they are scrolled to;
so showing the page costs what its first screenful costs, however long it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import RenderableType
from rich.segment import Segment
from textual.cache import LRUCache
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from callback_tui.tui.widgets.listing import Listing

CACHED_LINES = 1000
"""Lines kept rendered: a few screenfuls either side of the one on view."""


class Page(ScrollView, can_focus=True):
    """`show(sections)`: the sections one under the other, at the page's width (again when
    the width changes), scrolled with the arrows, page keys and the mouse."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sections: list[RenderableType] = []
        self.built_width = 0
        """The width the sections were laid out at (0: not yet)."""
        self._blocks: list[tuple[int, Listing | list[Strip], list[int]]] = []
        """Each section's first line, its rendered lines or its listing, and the listing's
        column widths."""
        self._height = 0
        self._lines: LRUCache[int, Strip] = LRUCache(CACHED_LINES)

    def show(self, sections: Sequence[RenderableType]) -> None:
        """Show `sections` instead of what the page shows, from where it is scrolled to."""
        self.sections = list(sections)
        self._build()

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self.built_width:
            self._build()

    def _build(self) -> None:
        width = self.scrollable_content_region.width
        self.built_width = width
        self._lines.clear()
        self._blocks = []
        self._height = 0
        if width <= 0:
            return  # laid out yet: built at its resize
        console = self.app.console
        options = console.options.update_width(width)
        for section in self.sections:
            if isinstance(section, Listing):
                self._blocks.append((self._height, section, section.widths(width)))
                self._height += len(section)
            else:
                lines = console.render_lines(section, options, pad=False)
                self._blocks.append((self._height, Strip.from_lines(lines), []))
                self._height += len(lines)
        self.virtual_size = Size(width, self._height)
        self.refresh()

    def line(self, index: int) -> Strip:
        """Line `index` of the page, `built_width` wide (blank past the end)."""
        kept = self._lines.get(index)
        if kept is not None:
            return kept
        strip = Strip.blank(self.built_width)
        for first, block, widths in reversed(self._blocks):
            if index >= first:
                if isinstance(block, Listing):
                    if index - first < len(block):
                        segments = block.line(self.app.console, index - first, widths)
                        strip = Strip(Segment.simplify(segments))
                elif index - first < len(block):
                    strip = block[index - first]
                break
        strip = strip.adjust_cell_length(self.built_width)
        self._lines[index] = strip
        return strip

    def text(self) -> list[str]:
        """Every line of the page as plain text (what a reader would copy)."""
        return [self.line(index).text for index in range(self._height)]

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        strip = self.line(scroll_y + y).crop_extend(scroll_x, scroll_x + width, None)
        return strip.apply_style(self.rich_style)
