"""The shape the drafts inbox, the tasks inbox and the incidents board share.

A heading with counts, one table of records keyed by id, a line for when it is empty,
and `escape` back. Subclasses say how to fetch (in a worker thread) and how to show.
"""

from __future__ import annotations

from typing import Generic, Protocol, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Static

from callback_tui.tui.screens.common import GO_TIP, ListScreen, app_of
from callback_tui.tui.widgets.footer import Footer
from callback_tui.tui.widgets.table import Table
from callback_tui.tui.workers import desk_work


class Record(Protocol):
    @property
    def id(self) -> int | None: ...


Row = TypeVar("Row", bound=Record)


class RowsLoaded(Message):
    def __init__(self, rows: list[object]) -> None:
        super().__init__()
        self.rows = rows


class Inbox(ListScreen, Generic[Row]):
    HEADING = ""
    EMPTY = ""
    """What the screen says when there is nothing in it."""
    ROW_ACTIONS: tuple[str, ...] = ()
    """Actions on the highlighted row: dimmed while there is none."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("g", "go", "Go to", id="go", tooltip=GO_TIP),
    ]

    def __init__(self, initials: str) -> None:
        super().__init__()
        self.initials = initials
        self.rows: list[Row] | None = None
        self._by_key: dict[str, Row] = {}
        self._read_at = -1
        """The app's data generation when the rows were last read (see `reuse`)."""

    @property
    def loaded(self) -> bool:
        return self.rows is not None

    def heading(self) -> str:
        return self.HEADING

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(self.heading(), classes="who", markup=False)
            yield Static("", classes="counts", id="counts", markup=False)
        yield Table(cursor_type="row", zebra_stripes=True)
        yield Static(self.EMPTY, id="empty", markup=False)
        yield Footer()

    # -- loading --------------------------------------------------------------------------

    def reload(self) -> None:
        self._read_at = app_of(self).data_generation
        self._load()

    def on_screen_resume(self) -> None:
        if self.rows is not None and self._read_at != app_of(self).data_generation:
            self.reload()  # back from a record that changed

    def reuse(self, initials: str) -> None:
        """Empty and reading its rows anew, as a new one starts (see app.push_kept); or, when
        nothing has been written since its rows were read for the same person, as it was."""
        current = self.rows is not None and self._read_at == app_of(self).data_generation
        if initials == self.initials and current:
            self.query_one(DataTable).move_cursor(row=0)
            return
        self.initials = initials
        self.rows, self._by_key = None, {}
        self.query_one(DataTable).clear()
        self.add_class("-loading")  # hidden till filled, as at the first opening
        self.reload()

    @desk_work(group="inbox", exclusive=True)
    def _load(self) -> None:
        self.post_message(RowsLoaded(list(self.fetch())))

    def fetch(self) -> list[Row]:
        """The records to list; runs in a worker thread."""
        raise NotImplementedError

    @on(RowsLoaded)
    def _loaded(self, message: RowsLoaded) -> None:
        rows: list[Row] = message.rows  # type: ignore[assignment]
        self.rows = rows
        self._by_key = {str(row.id): row for row in rows}
        self.show_rows(
            {
                str(row.id): tuple(self.cells(row, previous))
                for row, previous in zip(rows, [None, *rows], strict=False)
            }
        )
        self.query_one("#counts", Static).update(self.counts(rows))
        self.set_class(not rows, "-empty")
        self.filled()
        self.refresh_bindings()

    # -- what subclasses say --------------------------------------------------------------

    def cells(self, row: Row, previous: Row | None) -> list[Text]:
        """The row's cells (the row above it is given, for grouping)."""
        raise NotImplementedError

    def counts(self, rows: list[Row]) -> Text:
        return Text(f"{len(rows)}")

    # -- rows -----------------------------------------------------------------------------

    def current(self) -> Row | None:
        return self._by_key.get(self.current_key() or "")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.ROW_ACTIONS and self.current() is None:
            return None
        return True

    def action_back(self) -> None:
        self.dismiss(None)
