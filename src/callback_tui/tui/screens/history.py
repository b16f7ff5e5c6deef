"""A family's history: callbacks, calls, notes, tasks and incidents, newest first."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from callback_tui.domain import phones
from callback_tui.store import history
from callback_tui.store.history import Entry, EntryKind, History
from callback_tui.store.search import Found
from callback_tui.tui import display
from callback_tui.tui.screens.common import GO_TIP, ListScreen, app_of
from callback_tui.tui.widgets.footer import Footer
from callback_tui.tui.widgets.table import Table
from callback_tui.tui.workers import desk_work

_STATUS_STYLE = {
    "draft": "bold yellow",
    "final": "green",
    "open": "cyan",
    "completed": "green",
    "unreached": "bold red",
    "no_answer": "yellow",
    "busy": "yellow",
    "wrong_number": "bold red",
}


class HistoryLoaded(Message):
    def __init__(self, found: History | None) -> None:
        super().__init__()
        self.found = found


class HistoryScreen(ListScreen):
    """One client's timeline; `p` narrows it to the highlighted entry's patient and back."""

    COLUMNS = ("When", "What", "Patient", "By", "Status", "Detail")
    # Narrow: who did it, then the kind of entry (its status tells a call from a note).
    DROPPED_FIRST = ("By", "What")
    WRAPPED = ("Detail",)

    BINDINGS = [
        Binding("enter", "open", "Open note", id="open", priority=True),
        Binding("u", "update", "Client update", id="update"),
        Binding("e", "edit_client", "Details", id="edit_client", tooltip="Phones and consent"),
        Binding("p", "narrow", "This patient / all", id="narrow"),
        Binding("slash", "search", "Search", id="search", key_display="/"),
        Binding("escape", "back", "Back", id="back"),
        Binding("g", "go", "Go to", id="go", tooltip=GO_TIP),
    ]

    def __init__(self, client_id: int, initials: str, patient_id: int | None = None) -> None:
        super().__init__()
        self.client_id = client_id
        self.patient_id = patient_id
        self.initials = initials
        self.history: History | None = None
        self._read_at = -1
        """The app's data generation when the history was last read (see `reuse`)."""
        self._entries: list[Entry] = []

    @property
    def loaded(self) -> bool:
        return self.history is not None and self.history.client.id == self.client_id

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static("", classes="who", id="client", markup=False)
            yield Static("", classes="counts", id="consent", markup=False)
        yield Static("", id="patients", markup=False)
        yield Table(cursor_type="row", zebra_stripes=True, id="timeline")
        yield Footer()

    def reload(self) -> None:
        self._read_at = app_of(self).data_generation
        self._load(self.client_id, self.patient_id)

    def reuse(self, client_id: int, initials: str, patient_id: int | None = None) -> None:
        """Another client's history, read anew, as a new one starts (see app.push_kept); or
        the same one as it was, when nothing has been written since it was read."""
        same = (client_id, patient_id) == (self.client_id, self.patient_id)
        if same and self.loaded and self._read_at == app_of(self).data_generation:
            self.initials = initials
            self.query_one(DataTable).move_cursor(row=0)
            return
        self.client_id, self.initials, self.patient_id = client_id, initials, patient_id
        self.history, self._entries = None, []
        self.query_one(DataTable).clear()
        self.add_class("-loading")
        self.reload()

    @desk_work(group="history", exclusive=True)
    def _load(self, client_id: int, patient_id: int | None) -> None:
        self.post_message(
            HistoryLoaded(history.history(app_of(self).database, client_id, patient_id))
        )

    @on(HistoryLoaded)
    def _show(self, message: HistoryLoaded) -> None:
        found = message.found
        if found is None:
            self.notify("That client no longer exists.", severity="error")
            self.dismiss(None)
            return
        if found.client.id != self.client_id:
            return
        self.history = found
        clinic = app_of(self).clinic
        card = found.client
        title = Text("History · ", style="bold")
        title.append(card.name, style="bold")
        title.append(f" · {phones.display(card.phone, clinic.settings.phone_region)}")
        if card.other_phones:
            title.append(f" (+{card.other_phones} more)", style="dim")
        self.query_one("#client", Static).update(title)
        consent = Text()
        if card.do_not_call:
            consent.append(" DO NOT CALL ", style="bold white on red")
            consent.append(" ")
        consent.append("voicemail OK" if card.voicemail_ok else "no voicemail")
        consent.append(" · ")
        consent.append("texts OK" if card.text_ok else "no texts")
        self.query_one("#consent", Static).update(consent)
        patients = Text("Patients: ", style="dim")
        for index, patient in enumerate(found.patients):
            if index:
                patients.append(", ")
            chosen = patient.id == found.patient_id
            patients.append(patient.name, style="bold reverse" if chosen else "bold")
            if patient.species:
                patients.append(f" ({patient.species})")
        patients.append(
            "   showing one patient (p: all)" if found.patient_id else "   showing all (p: one)",
            style="dim",
        )
        self.query_one("#patients", Static).update(patients)

        self._entries = list(found.entries)
        rows: dict[str, tuple[object, ...]] = {}
        for index, entry in enumerate(found.entries):
            detail = display.literal(entry.detail)
            if entry.reason is not None:
                detail = Text.assemble(clinic.profile.label(entry.reason) + " ", detail)
            rows[str(index)] = (
                Text(display.moment(clinic.calendar, entry.at)),
                Text(entry.kind.value, style="bold" if entry.kind is EntryKind.NOTE else ""),
                display.literal(entry.patient),
                Text(entry.by),
                Text(entry.status.replace("_", " "), style=_STATUS_STYLE.get(entry.status, "")),
                detail,
            )
        self.query_one(DataTable).clear()  # another client's or patient's: from the top
        self.show_rows(rows)
        self.filled()
        self.refresh_bindings()

    def current(self) -> Entry | None:
        key = self.current_key()
        return self._entries[int(key)] if key is not None and self._entries else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            entry = self.current()
            return True if entry is not None and entry.note_id is not None else None
        return True

    def _patient_of(self, entry: Entry | None) -> int | None:
        """The patient an entry is about, or the family's only patient."""
        if self.history is None:
            return None
        patients = self.history.patients
        if entry is not None and entry.patient is not None:
            named = [p.id for p in patients if p.name == entry.patient]
            if len(named) == 1:
                return named[0]
        if self.history.patient_id is not None:
            return self.history.patient_id
        return patients[0].id if len(patients) == 1 else None

    def action_open(self) -> None:
        from callback_tui.tui.screens.note_editor import NoteEditor

        entry = self.current()
        if entry is not None and entry.note_id is not None:
            app_of(self).push_kept(
                NoteEditor, entry.note_id, self.initials, callback=lambda _: self.reload()
            )

    def action_update(self) -> None:
        from callback_tui.tui.screens.client_update import start_client_update

        start_client_update(self, self.initials, self._patient_of(self.current()))

    def action_edit_client(self) -> None:
        from callback_tui.tui.screens.client_details import ClientDetailsScreen

        # A save tells every screen, this one too, to read its rows anew.
        app_of(self).push_kept(
            ClientDetailsScreen, self.client_id, self.initials, callback=lambda _: None
        )

    def action_narrow(self) -> None:
        self.patient_id = None if self.patient_id else self._patient_of(self.current())
        self.reload()

    def action_search(self) -> None:
        open_search(self, self.initials, replace=True)

    def action_back(self) -> None:
        self.dismiss(None)


def open_search(screen: Screen[Any], initials: str, *, replace: bool = False) -> None:
    """Search, then show the patient's family history (in place of `screen` if `replace`)."""
    from callback_tui.tui.screens.find import FindPatient

    app = app_of(screen)

    def found(patient: Found | None) -> None:
        if patient is None:
            return
        view = HistoryScreen(patient.client_id, initials, patient.patient_id)
        if replace:
            app.switch_screen(view)
        else:
            app.push_screen(view)

    app.push_kept(FindPatient, callback=found)
