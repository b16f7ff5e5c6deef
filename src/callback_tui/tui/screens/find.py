"""Find a patient: type any word of a name, or the phone's first digits."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from callback_tui.domain import phones
from callback_tui.store import search
from callback_tui.store.search import Found
from callback_tui.tui import display
from callback_tui.tui.screens.common import KeptScreen, app_of, steady_cursors
from callback_tui.tui.widgets.footer import Footer
from callback_tui.tui.widgets.table import Table
from callback_tui.tui.workers import desk_work


class Results(Message):
    def __init__(self, query: str, found: list[Found]) -> None:
        super().__init__()
        self.query = query
        self.found = found


class FindPatient(KeptScreen, ModalScreen[Found | None]):
    """Results follow the typing; down or enter moves to them, enter picks one."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("down", "to_results", "Results", show=False),
    ]

    def __init__(self, title: str = "Find a patient") -> None:
        super().__init__(classes="modal")
        self.title_text = title
        self.found: list[Found] = []
        self.searched: str | None = None

    @property
    def loaded(self) -> bool:
        return self.searched == self.query_one(Input).value

    ready_for_keys = True
    """Typing goes on while the results catch up (tui/keys.py)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, classes="title", id="title", markup=False)
            yield Input(placeholder="Name (any word) or phone number, then enter", id="query")
            yield Table(cursor_type="row", id="results")
            yield Static("", id="nothing", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        steady_cursors(self)
        table = self.query_one(DataTable)
        for column in ("Patient", "Species", "Client", "Phone"):
            table.add_column(column, key=column.lower())
        self.query_one(Input).focus()
        self.searched = ""

    def reuse(self, title: str = "Find a patient") -> None:
        """Empty, as a new one starts (the app keeps one: see app.push_kept)."""
        self.title_text = title
        self.query_one("#title", Static).update(title)
        self.found, self.searched = [], ""
        query = self.query_one(Input)
        with query.prevent(Input.Changed):
            query.value = ""
        self.query_one(DataTable).clear()
        self.query_one("#nothing", Static).update("")
        self.set_focus(query)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @desk_work(group="search", exclusive=True)
    def _search(self, query: str) -> None:
        self.post_message(Results(query, search.find(app_of(self).database, query)))

    @on(Results)
    def _show(self, message: Results) -> None:
        if message.query != self.query_one(Input).value:
            return  # typing went on; a newer answer is coming
        self.searched = message.query
        self.found = message.found
        region = app_of(self).clinic.settings.phone_region
        table = self.query_one(DataTable)
        table.clear()
        for index, found in enumerate(message.found):
            table.add_row(
                display.literal(found.patient, "bold"),
                display.literal(found.species),
                display.literal(found.client),
                Text(phones.display(found.phone, region)),
                key=str(index),
            )
        nothing = ""
        if message.query.strip() and not message.found:
            nothing = "No patient or client matches. Try another word or the phone's first digits."
        self.query_one("#nothing", Static).update(nothing)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        if len(self.found) == 1:
            self.dismiss(self.found[0])
        elif self.found:
            self.action_to_results()

    def action_to_results(self) -> None:
        if self.found:
            self.query_one(DataTable).focus()

    @on(DataTable.RowSelected)
    def _picked(self, event: DataTable.RowSelected) -> None:
        index = int(event.row_key.value or 0)
        self.dismiss(self.found[index])

    def action_cancel(self) -> None:
        self.dismiss(None)
