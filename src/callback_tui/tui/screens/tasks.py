"""The tasks inbox: what waits for me and for my role, and `g` to get there."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Checkbox, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from callback_tui.domain import phones
from callback_tui.domain.vocab import TaskKind
from callback_tui.store import queries, tasks
from callback_tui.store.errors import DeskError, Invalid
from callback_tui.store.queries import ClientView
from callback_tui.store.tasks import TaskRow
from callback_tui.tui import display
from callback_tui.tui.screens.common import (
    FieldError,
    FormScreen,
    KeptScreen,
    ListScreen,
    app_of,
    show_errors,
    steady_cursors,
)
from callback_tui.tui.screens.inbox import Inbox
from callback_tui.tui.widgets.footer import Footer
from callback_tui.tui.workers import desk_work

if TYPE_CHECKING:
    from callback_tui.store.services import NumberCheck

PLACES = {
    "t": "Tasks",
    "i": "Incidents board",
    "s": "Staff",
    "o": "Hand-off",
    "r": "Reports",
    "v": "Daily review",
    "w": "Weekly review",
}
"""Where `g` goes, by key."""
HERE = {
    "t": "This is the tasks list already.",
    "i": "This is the incidents board already.",
    "s": "This is the staff list already.",
    "o": "This is the hand-off already.",
}
REPORTS = ("r", "v", "w")
"""Places that are not lists: opened anew each time (nothing on them is kept)."""


class GoScreen(KeptScreen, ModalScreen[str | None]):
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


def go_to(screen: Screen[Any], initials: str, then: Callable[[Any], None] | None = None) -> None:
    """`g` on a list screen or a report: ask where, then open that place on top (escape
    comes back); the place the person is on already is read again instead."""
    from callback_tui.tui.screens.handoff import HandoffScreen
    from callback_tui.tui.screens.incident import IncidentsBoard
    from callback_tui.tui.screens.staff import StaffScreen

    app = app_of(screen)

    def went(key: str | None) -> None:
        if key is None:
            return
        if key in REPORTS:
            open_report(screen, key, initials)
            return
        places: dict[str, type[ListScreen]] = {
            "t": TasksScreen,
            "i": IncidentsBoard,
            "s": StaffScreen,
            "o": HandoffScreen,
        }
        place = places[key]
        if isinstance(screen, place):
            screen.notify(HERE[key])
            screen.reload()
            return
        app.push_kept(place, initials, callback=then or _nothing)

    typed = app.keys.take_next(lambda key: key in PLACES)
    if typed is not None:  # `g` and the place's key came together: no menu in between
        went(typed)
        return
    app.push_kept(GoScreen, callback=went)


def open_report(screen: Screen[Any], key: str, initials: str) -> None:
    """The reports (`r`), the daily review (`v`) or the weekly review (`w`), over `screen`;
    on that very place, it is read again."""
    from callback_tui.tui.screens.reports import ReportsScreen
    from callback_tui.tui.screens.reviews import DailyReview, WeeklyReview

    places: dict[str, type[Screen[None]]] = {
        "r": ReportsScreen,
        "v": DailyReview,
        "w": WeeklyReview,
    }
    place = places[key]
    if isinstance(screen, place):
        screen.notify(f"This is the {PLACES[key].lower()} already.")
        screen.action_reload()  # type: ignore[attr-defined]  # each report place has it
        return
    app_of(screen).push_kept(place, initials, callback=_nothing)  # kept, as the lists are


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
    """Say what was done; enter saves (one transaction, its events), escape writes nothing.

    A wrong number's task is done with the right number (it becomes the client's best
    phone and the callback's wrong-number flag is cleared), or with "could not find one"
    and a note of what was tried.
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="save", priority=True),
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    def __init__(self, row: TaskRow, initials: str) -> None:
        super().__init__(classes="modal")
        self.row = row
        self.initials = initials
        self.wrong_number = row.kind == TaskKind.VERIFY_NUMBER
        self.on_file: ClientView | None = None

    @property
    def loaded(self) -> bool:
        return not self.wrong_number or self.on_file is not None

    def compose(self) -> ComposeResult:
        from callback_tui.tui.screens.client_details import phone_kind

        with Vertical(id="dialog"):
            yield Static(Text.assemble(("Done: ", "bold"), self.row.title), classes="title")
            yield Static(Text(self.row.about.label), classes="facts")
            if self.wrong_number:
                yield Static("", id="on-file", classes="facts", markup=False)
                with Horizontal(classes="number-row"):
                    yield Input(placeholder="The right number", id="number")
                    yield phone_kind("label")
                yield FieldError("number")
                yield FieldError("label")
                yield Checkbox("Could not find one", id="none-found", classes="compact")
            yield Input(placeholder=self._asks(), id="note")
            yield FieldError("note")
        yield Footer()

    def _asks(self) -> str:
        if self.wrong_number:
            return "What was done (what was tried, if none was found), then enter"
        return "What was done, then enter"

    def on_mount(self) -> None:
        steady_cursors(self)
        self.query_one("#number" if self.wrong_number else "#note", Input).focus()
        if self.wrong_number and self.row.about.client_id is not None:
            self._load(self.row.about.client_id)

    @desk_work(group="task-client", exclusive=True)
    def _load(self, client_id: int) -> None:
        app = app_of(self)
        found = queries.client_details(app.database, client_id)
        app.call_from_thread(self._show_on_file, found)

    def _show_on_file(self, found: ClientView | None) -> None:
        if found is None:
            return
        self.on_file = found
        region = app_of(self).clinic.settings.phone_region
        shown = Text("Reported wrong: ", style="dim")
        shown.append(phones.display(found.phone, region), style="bold")
        others = [phones.display(p.number, region) for p in found.phones if not p.best]
        if others:
            shown.append("   also on file: ", style="dim")
            shown.append(", ".join(others))
        self.query_one("#on-file", Static).update(shown)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        note = self.query_one("#note", Input).value
        if not self.wrong_number:
            self._save(note, None)
            return
        from callback_tui.store.services import NumberCheck  # the write side, loaded by now

        label = self.query_one("#label", Select).selection
        check = NumberCheck(
            number=self.query_one("#number", Input).value,
            label=str(label) if label is not None else phones.UNSAID,
            none_found=self.query_one("#none-found", Checkbox).value,
            note=note,
        )
        self._save(note, check)

    @desk_work(group="write", exclusive=True, holds_keys=True)
    def _save(self, note: str, check: NumberCheck | None) -> None:
        app = app_of(self)
        try:
            if check is None:
                app.desk.tasks.complete(self.initials, self.row.id, self.row.version, note)
            else:
                app.desk.tasks.verify_number(self.initials, self.row.id, self.row.version, check)
        except Invalid as exc:
            app.call_from_thread(show_errors, self, exc.problems)
        except DeskError as exc:
            app.call_from_thread(show_errors, self, {"note": str(exc)})
        else:

            def close() -> None:
                self.notify("Task done.")
                if check is not None and check.number.strip():
                    app.tell_screens_data_changed()  # the number and flag show everywhere
                self.dismiss(True)

            app.call_from_thread(close)

    def action_cancel(self) -> None:
        self.dismiss(False)
