"""Add a callback by hand: the rules fill in owner and due; the person may override the owner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Select, Static, TextArea

from callback_tui.domain.intake import Problems, VisitForm
from callback_tui.domain.vocab import VISIT_SOURCES, Priority, Role, Source
from callback_tui.store.errors import Invalid
from callback_tui.store.queries import StaffMember
from callback_tui.tui.screens.common import (
    FieldError,
    FormScreen,
    KeptScreen,
    app_of,
    checked,
    empty_form,
    leave_asking,
    load_staff,
    show_errors,
    show_text,
    steady_cursors,
)
from callback_tui.tui.widgets.footer import Footer
from callback_tui.tui.widgets.text_area import TextBox
from callback_tui.tui.workers import desk_work

TEXT_FIELDS = (
    # (id, label, placeholder)
    ("client", "Client", "Name of the person to call"),
    ("phone", "Phone", "(312) 555-0142"),
    ("patient", "Patient", "Pet's name"),
    ("species", "Species", "dog, cat…"),
    ("occurred_at", "Seen / discharged at", "YYYY-MM-DD HH:MM"),
    ("assisted_by", "Assisted by", "initials"),
    ("interval_days", "Doctor's interval (days)", "optional"),
    ("owner", "Owner", "from the rules"),
)


@dataclass(frozen=True)
class NewCallback:
    """A callback the form created: when it is due, and whose list it is on."""

    due_at: datetime
    due_date: date
    owner: str


@dataclass(frozen=True)
class Added:
    """What the form created, for the message after it closes."""

    patient: str
    callbacks: tuple[NewCallback, ...]


class AddCallbackScreen(KeptScreen, FormScreen, ModalScreen[Added | None]):
    """A form; nothing is written until every field is valid and ctrl+s is pressed."""

    # The client's name takes the focus at once, not the form's scrolling container first:
    # a focus that comes and goes restyles the whole form each way.
    AUTO_FOCUS = "#client"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="save", priority=True),
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    def __init__(self, initials: str) -> None:
        super().__init__(classes="modal")
        self.initials = initials
        self.roles: dict[str, Role] = {}
        """Everyone's role by initials, once loaded: the form checks initials against it."""
        self._doctors: list[tuple[str, str]] = []
        self._untouched: dict[str, str] = {}
        """The fields as the form starts: escape asks first once they differ."""

    def compose(self) -> ComposeResult:
        clinic = app_of(self).clinic
        with Vertical(id="dialog"):
            yield Static("Add a callback", classes="title", markup=False)
            with VerticalScroll(id="form"):
                for pair in (TEXT_FIELDS[0:2], TEXT_FIELDS[2:4]):
                    yield self._row(*pair)
                with Horizontal(classes="row"):
                    with Vertical(classes="cell"):
                        yield Static("Reason", classes="label", markup=False)
                        yield Select(
                            [(r.label, key) for key, r in clinic.profile.reasons.items()],
                            id="reason",
                            prompt="Pick a reason",
                        )
                        yield FieldError("reason")
                    with Vertical(classes="cell"):
                        yield Static("Case doctor", classes="label", markup=False)
                        yield Select([], id="doctor", prompt="Pick a doctor")
                        yield FieldError("doctor")
                yield self._row(TEXT_FIELDS[4], TEXT_FIELDS[5])
                with Horizontal(classes="row"):
                    with Vertical(classes="cell"):
                        yield Static("Source", classes="label", markup=False)
                        yield Select(
                            [(s.value.replace("_", " "), s.value) for s in VISIT_SOURCES],
                            id="source",
                            value=Source.VISIT.value,
                            allow_blank=False,
                        )
                    with Vertical(classes="cell"):
                        yield Static("Priority", classes="label", markup=False)
                        yield Select(
                            [(p.value, p.value) for p in Priority],
                            id="priority",
                            value=Priority.ROUTINE.value,
                            allow_blank=False,
                        )
                yield self._row(TEXT_FIELDS[6], TEXT_FIELDS[7])
                yield Checkbox("The doctor will call (their initials own it)", id="doctor_calls")
                yield Static("Notes", classes="label", markup=False)
                yield TextBox(id="notes", soft_wrap=True)
                yield FieldError("notes")
                yield Static("", id="preview", markup=False)
        yield Footer()

    def _row(self, *fields: tuple[str, str, str]) -> Horizontal:
        cells = []
        for field_id, label, placeholder in fields:
            cells.append(
                Vertical(
                    Static(label, classes="label", markup=False),
                    Input(placeholder=placeholder, id=field_id),
                    FieldError(field_id),
                    classes="cell",
                )
            )
        return Horizontal(*cells, classes="row")

    def on_mount(self) -> None:
        steady_cursors(self)
        self._start()

    def reuse(self, initials: str) -> None:
        """Empty, as a new form starts (the app keeps one: see app.push_kept)."""
        self.initials = initials
        empty_form(self, {"source": Source.VISIT.value, "priority": Priority.ROUTINE.value})
        self.query_one("#preview", Static).update("")
        self.query_one("#form", VerticalScroll).scroll_home(animate=False)
        self._start()

    def _start(self) -> None:
        """The form's starting values: seen now, assisted by the person at the desk."""
        now = app_of(self).clinic.clock.local_now()
        self.query_one("#occurred_at", Input).value = now.strftime("%Y-%m-%d %H:%M")
        self.query_one("#assisted_by", Input).value = self.initials
        self.set_focus(self.query_one("#client", Input))
        self._untouched = self._fields()
        load_staff(self, self._staff_loaded)

    def _staff_loaded(self, staff: list[StaffMember]) -> None:
        self.roles = {member.initials: member.role for member in staff}
        doctors = [(f"{m.initials}  {m.name}", m.initials) for m in staff if m.role is Role.DOCTOR]
        if doctors != self._doctors:  # a kept form: the list is rebuilt only when it changed
            self._doctors = doctors
            self.query_one("#doctor", Select).set_options(doctors)

    # -- reading the form -----------------------------------------------------------------

    def _fields(self) -> dict[str, str]:
        values = {
            field_id: self.query_one(f"#{field_id}", Input).value for field_id, *_ in TEXT_FIELDS
        }
        for select_id in ("reason", "doctor", "source", "priority"):
            chosen = self.query_one(f"#{select_id}", Select).selection
            values[select_id] = "" if chosen is None else str(chosen)
        values["doctor_calls"] = "yes" if self.query_one("#doctor_calls", Checkbox).value else "no"
        values["notes"] = self.query_one("#notes", TextArea).text
        return values

    def _read(self) -> tuple[VisitForm | None, Problems]:
        return app_of(self).clinic.read_visit(self._fields(), self.roles)

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _preview(self) -> None:
        """Show what the rules will create, once the form makes sense."""
        if not self.is_mounted or not self.roles:
            return
        form, _ = self._read()
        preview = self.query_one("#preview", Static)
        if form is None:
            show_text(preview, "")
            return
        clinic = app_of(self).clinic
        lines = Text("Will create:")
        for item in form.planned:
            due = clinic.calendar.local(item.due.at)
            lines.append(
                f"\n  {item.label} · {form.owner or item.owner} · due {due:%a %d %b %H:%M}"
            )
            if item.due.original_day:
                lines.append(f" (moved from closed {item.due.original_day:%a %d %b})")
        preview.update(lines)

    # -- saving ---------------------------------------------------------------------------

    def action_cancel(self) -> None:
        leave_asking(
            self,
            self._fields() != self._untouched,
            "Discard this callback?",
            "Nothing is saved: what you typed is lost.",
        )

    def action_save(self) -> None:
        form = checked(self, *self._read())
        if form is not None:
            self._save(form)

    @desk_work(group="write", exclusive=True, holds_keys=True)
    def _save(self, form: VisitForm) -> None:
        app = app_of(self)
        try:
            created = app.desk.callbacks.add_visit(self.initials, form)
        except Invalid as exc:
            app.call_from_thread(show_errors, self, exc.problems)
        else:
            added = Added(
                form.patient,
                tuple(NewCallback(c.due_at, c.due_date, c.owner) for c in created),
            )
            app.call_from_thread(self.dismiss, added)
        # Any other refusal, or a database that cannot be written, is the app's message
        # (desk_work); the form stays as typed.
