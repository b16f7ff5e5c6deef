"""A yes / no question in a small modal: y confirms, n or escape declines.

Enter answers nothing: some of the questions cannot be taken back (finalizing a note), and
Enter is the key a fast typist presses out of habit. It only says which keys answer.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from callback_tui.tui.widgets.footer import Footer

HOW_TO_ANSWER = "Press y for yes or n for no."


class Confirm(ModalScreen[bool]):
    DEFAULT_CSS = """
    Confirm #how-to-answer { display: none; color: $warning; }
    Confirm #how-to-answer.-shown { display: block; }
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="yes", priority=True),
        Binding("n", "answer(False)", "No", id="no", priority=True),
        Binding("escape", "answer(False)", "No", id="escape", show=False, priority=True),
        Binding("enter", "how_to_answer", show=False, priority=True),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__(classes="modal confirm")
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, classes="title", markup=False)
            if self.detail:
                yield Static(self.detail, classes="facts", markup=False)
            yield Static(HOW_TO_ANSWER, id="how-to-answer", markup=False)
        yield Footer()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def action_how_to_answer(self) -> None:
        self.query_one("#how-to-answer").add_class("-shown")
