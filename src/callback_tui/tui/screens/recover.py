"""Offered at start: drafts this person was writing when the app last stopped unsaved."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from callback_tui.store.notes import NoteView
from callback_tui.tui import display
from callback_tui.tui.screens.common import app_of
from callback_tui.tui.widgets.footer import Footer


class RecoverScreen(ModalScreen[int | None]):
    """Enter reopens a draft where the typing stopped; escape leaves them for later."""

    BINDINGS = [Binding("escape", "later", "Later", id="later")]

    def __init__(self, drafts: list[NoteView]) -> None:
        super().__init__(classes="modal")
        self.drafts = drafts

    def compose(self) -> ComposeResult:
        calendar = app_of(self).clinic.calendar
        with Vertical(id="dialog"):
            yield Static("You have unsaved notes from last time", classes="title", markup=False)
            yield Static(
                "callback-tui closed while you were writing. What you typed was kept"
                " up to the last few seconds.",
                classes="facts",
                markup=False,
            )
            options = []
            for draft in self.drafts:
                label = Text.assemble(
                    (draft.patient, "bold"),
                    f" · for {draft.addressed_to or 'nobody yet'}",
                    (f" · kept {display.moment(calendar, draft.updated_at)}", "dim"),
                    "\n  ",
                    (draft.first_line[:80], "italic"),
                )
                options.append(Option(label, id=str(draft.id)))
            yield OptionList(*options, id="unsaved")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_later(self) -> None:
        self.dismiss(None)
