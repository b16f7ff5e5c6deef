"""The tasks inbox: what waits for me and for my role, and `g` to get there."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from callback_tui.store import tasks
from callback_tui.store.errors import DeskError, Invalid
from callback_tui.store.tasks import TaskRow
from callback_tui.tui import display
from callback_tui.tui.screens.common import (
    FieldError,
    FormScreen,
    ListScreen,
    app_of,
    show_errors,
    steady_cursors,
)
from callback_tui.tui.screens.inbox import Inbox
from callback_tui.tui.widgets.footer import Footer
from callback_tui.tui.workers import desk_work

PLACES = {"t": "Tasks", "i": "Incidents board"}
"""Where `g` goes, by key."""
HERE = {"t": "This is the tasks list already.", "i": "This is the incidents board already."}


class GoScreen(ModalScreen[str | None]):
    """`g`, then the place's key (or pick it and press enter)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        *(Binding(key, f"go('{key}')", name, id=f"go_{key}") for key, name in PLACES.items()),
    ]

    def __init__(self) -> None:
        super().__init__(classes="modal")

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Go to", classes="title", markup=False)
            yield OptionList(
                *(Option(Text(f"{key}  {name}"), id=key) for key, name in PLACES.items()),
                id="places",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def reuse(self) -> None:
        """As new (the app keeps one: see app.push_kept)."""
        places = self.query_one(OptionList)
        places.highlighted = 0
        self.set_focus(places)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_go(self, key: str) -> None:
        self.dismiss(key)

    def action_cancel(self) -> None:
        self.dismiss(None)


def go_to(screen: ListScreen, initials: str, then: Callable[[Any], None] | None = None) -> None:
    """`g` on a list screen: ask where, then open that place on top (escape comes back)."""
    from callback_tui.tui.screens.incident import IncidentsBoard

    app = app_of(screen)

    def went(key: str | None) -> None:
        if key is None:
            return
        place: type[Inbox[Any]] = TasksScreen if key == "t" else IncidentsBoard
        if isinstance(screen, place):
            screen.notify(HERE[key])
            screen.reload()
            return
        app.push_kept(place, initials, callback=then or _nothing)

    app.push_kept(GoScreen, callback=went)


def _nothing(_result: object) -> None:
    """For a place whose result says nothing to the screen beneath."""


class TasksScreen(Inbox[TaskRow]):
    """Open tasks for the person at the desk: their own, and their role's, by due time."""

    EMPTY = "Nothing waiting. Wrong numbers, unreached callbacks and incidents leave tasks here."
    COLUMNS = ("Due", "For", "Task", "About")
    DROPPED_FIRST = ("For",)  # narrow: all are the person's or their role's
    WRAPPED = ("Task", "About")
    ROW_ACTIONS = ("done", "open")

    BINDINGS = [
        Binding(
            "enter", "done", "Done", id="done", priority=True, tooltip="Mark done, with a note"
        ),
        Binding("o", "open", "Open", id="open", tooltip="What it is about"),
    ]

    def heading(self) -> str:
        return f"Tasks for {self.initials}"

    def fetch(self) -> list[TaskRow]:
        return tasks.tasks(app_of(self).database, initials=self.initials)

    def cells(self, row: TaskRow, previous: TaskRow | None) -> list[Text]:
        clinic = app_of(self).clinic
        due = Text(display.moment(clinic.calendar, row.due_at))
        if row.due_at < clinic.clock.now():
            due.stylize("bold red")
        return [
            due,
            Text(row.owner),
            display.literal(row.title, "bold"),
            display.literal(row.about.label),
        ]

    def counts(self, rows: list[TaskRow]) -> Text:
        now = app_of(self).clinic.clock.now()
        late = sum(1 for row in rows if row.due_at < now)
        out = Text(f"{len(rows)} open · ")
        out.append(f"{late} past due", style="bold red" if late else "")
        return out

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        row = self.current()
        if action == "open" and row is not None:
            return True if row.about.client_id or row.about.incident_id else None
        return super().check_action(action, parameters)

    def action_done(self) -> None:
        row = self.current()
        if row is not None:
            self.app.push_screen(TaskDoneScreen(row, self.initials))

    def action_open(self) -> None:
        from callback_tui.tui.screens.history import HistoryScreen
        from callback_tui.tui.screens.incident import IncidentScreen

        row = self.current()
        if row is not None and row.about.incident_id is not None:
            self.app.push_screen(IncidentScreen(row.about.incident_id, self.initials))
        elif row is not None and row.about.client_id is not None:
            self.app.push_screen(
                HistoryScreen(row.about.client_id, self.initials, row.about.patient_id)
            )


class TaskDoneScreen(FormScreen, ModalScreen[bool]):
    """Say what was done; enter saves (one transaction, one event), escape writes nothing."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, row: TaskRow, initials: str) -> None:
        super().__init__(classes="modal")
        self.row = row
        self.initials = initials

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text.assemble(("Done: ", "bold"), self.row.title), classes="title")
            yield Static(Text(self.row.about.label), classes="facts")
            yield Input(placeholder="What was done, then enter", id="note")
            yield FieldError("note")
        yield Footer()

    def on_mount(self) -> None:
        steady_cursors(self)
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self._save(event.value)

    @desk_work(group="write", exclusive=True, holds_keys=True)
    def _save(self, note: str) -> None:
        app = app_of(self)
        try:
            app.desk.tasks.complete(self.initials, self.row.id, self.row.version, note)
        except Invalid as exc:
            app.call_from_thread(show_errors, self, exc.problems)
        except DeskError as exc:
            app.call_from_thread(show_errors, self, {"note": str(exc)})
        else:
            app.call_from_thread(self.notify, "Task done.")
            app.call_from_thread(self.dismiss, True)

    def action_cancel(self) -> None:
        self.dismiss(False)
