"""A client called back with news: which callback it answers, whom to tell, then the note."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import OptionList, Select, Static
from textual.widgets.option_list import Option

from callback_tui.domain import phones
from callback_tui.domain.vocab import NoteOrigin, Outcome
from callback_tui.store import notes
from callback_tui.store.notes import UpdateChoices
from callback_tui.store.search import Found
from callback_tui.store.services import NewNote
from callback_tui.tui import display
from callback_tui.tui.screens.common import FieldError, FormScreen, app_of, show_errors
from callback_tui.tui.widgets.footer import Footer
from callback_tui.tui.workers import desk_work

NO_CALLBACK = "none"


class ClientUpdateScreen(FormScreen, ModalScreen[NewNote | None]):
    """Pick the callback the news answers (a left message first) and the doctor; enter goes on."""

    BINDINGS = [
        Binding("ctrl+s", "write", "Write the note", id="write", priority=True),
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    def __init__(self, patient_id: int) -> None:
        super().__init__(classes="modal")
        self.patient_id = patient_id
        self.choices: UpdateChoices | None = None

    @property
    def loaded(self) -> bool:
        return self.choices is not None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Client update", classes="title", markup=False)
            yield Static("", classes="facts", id="who", markup=False)
            yield Static("Which callback does it answer?", classes="label", markup=False)
            yield OptionList(id="callback")
            yield Static("Doctor on the case (a draft waits for them)", classes="label")
            yield Select[str]([], id="doctor", prompt="Pick the doctor")
            yield FieldError("doctor")
        yield Footer()

    def on_mount(self) -> None:
        self._load()

    @desk_work(group="update", exclusive=True)
    def _load(self) -> None:
        app = app_of(self)
        choices = notes.update_choices(app.database, self.patient_id)
        app.call_from_thread(self._show, choices)

    def _show(self, choices: UpdateChoices | None) -> None:
        if choices is None:
            self.notify("That patient no longer exists.", severity="error")
            self.dismiss(None)
            return
        self.choices = choices
        clinic = app_of(self).clinic
        who = Text()
        who.append(choices.patient, style="bold")
        if choices.species:
            who.append(f" ({choices.species})")
        who.append(" · ")
        who.append(choices.client)
        who.append(f" · {phones.display(choices.phone, clinic.settings.phone_region)}")
        self.query_one("#who", Static).update(who)
        options = self.query_one(OptionList)
        for brief in choices.callbacks:
            label = Text(
                f"{clinic.profile.label(brief.reason)} {brief.kind.replace('_', ' ')}"
                f" · due {display.moment(clinic.calendar, brief.due_at)} · {brief.status}"
            )
            if brief.last_outcome:
                left = brief.last_outcome == Outcome.LEFT_MESSAGE
                label.append(
                    f" · {brief.last_outcome.replace('_', ' ')}", style="bold" if left else "dim"
                )
            options.add_option(Option(label, id=str(brief.id)))
        options.add_option(Option(Text("Not about a callback", style="italic"), id=NO_CALLBACK))
        options.highlighted = 0
        doctor = self.query_one("#doctor", Select)
        doctor.set_options(
            (Text(f"{initials}  {name}"), initials) for initials, name in choices.doctors
        )
        if choices.case_doctor in {initials for initials, _ in choices.doctors}:
            doctor.value = choices.case_doctor
        options.focus()

    @on(OptionList.OptionSelected)
    def _picked(self) -> None:
        self.action_write()

    def action_write(self) -> None:
        if self.choices is None:
            return
        doctor = self.query_one("#doctor", Select).selection
        if doctor is None:
            show_errors(self, {"doctor": "Pick the doctor a still-open concern goes to."})
            return
        options = self.query_one(OptionList)
        picked = (
            options.get_option_at_index(options.highlighted).id
            if options.highlighted is not None
            else NO_CALLBACK
        )
        self.dismiss(
            NewNote(
                patient_id=self.choices.patient_id,
                addressed_to=str(doctor),
                callback_id=None if picked in (None, NO_CALLBACK) else int(picked),
                origin=NoteOrigin.CLIENT_UPDATE,
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)


def start_client_update(screen: Screen[Any], initials: str, patient_id: int | None) -> None:
    """Find the patient (unless known), ask what the update answers, then open the editor."""
    from callback_tui.tui.screens.find import FindPatient
    from callback_tui.tui.screens.note_editor import NoteEditor

    app = app_of(screen)

    def chosen(target: NewNote | None) -> None:
        if target is not None:
            app.push_kept(NoteEditor, target, initials, callback=lambda _: None)

    def found(patient: Found | None) -> None:
        if patient is not None:
            app.push_screen(ClientUpdateScreen(patient.patient_id), chosen)

    if patient_id is None:
        app.push_kept(FindPatient, "Client update: find the patient", callback=found)
    else:
        app.push_screen(ClientUpdateScreen(patient_id), chosen)
