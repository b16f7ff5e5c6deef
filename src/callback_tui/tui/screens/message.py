"""Take a message in (`m` from any screen): who, what they ask, how urgent; ctrl+s makes it a
callback due at its response target, owned by the profile's routing unless one is named."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Select, Static, TextArea

from callback_tui.domain.messages import MessageForm
from callback_tui.domain.vocab import MESSAGE_SOURCES, Priority, Role, Source
from callback_tui.store.errors import Invalid
from callback_tui.store.queries import StaffMember
from callback_tui.store.search import Found
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
    steady_cursors,
)
from callback_tui.tui.widgets.footer import Footer
from callback_tui.tui.widgets.text_area import TextBox
from callback_tui.tui.workers import desk_work


@dataclass(frozen=True)
class Taken:
    """The callback a message became, for the word after the form closes."""

    callback_id: int
    owner: str
    priority: str
    target_at: datetime


class MessageScreen(KeptScreen, FormScreen, ModalScreen[Taken | None]):
    """A form; nothing is written until every field is valid and ctrl+s is pressed."""

    DEFAULT_CSS = """
    MessageScreen #form { height: auto; max-height: 32; }
    MessageScreen .row { height: auto; }
    MessageScreen .cell { width: 1fr; height: auto; padding-right: 1; }
    MessageScreen .label { padding: 0; }
    MessageScreen #message { height: 4; }
    MessageScreen #suggestion { color: $text-muted; height: auto; }
    MessageScreen.-short > #dialog { height: 100%; }
    MessageScreen.-short #form { height: 1fr; max-height: 100%; }
    MessageScreen.-short .title { padding: 0; }
    """

    # The caller's name takes the focus at once, not the form's scrolling container first:
    # a focus that comes and goes restyles the whole form each way.
    AUTO_FOCUS = "#name"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="save", priority=True),
        Binding("ctrl+f", "find", "Find patient", id="find", priority=True),
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    def __init__(self, initials: str) -> None:
        super().__init__(classes="modal")
        self.initials = initials
        self.roles: dict[str, Role] = {}
        self._staff_read = False
        self._doctors: list[tuple[str, str]] = []
        self.picked: Found | None = None
        """The patient on file chosen with ctrl+f; None: a new caller."""
        self._priority_chosen = False
        """The person set the priority: the suggestion no longer moves it."""
        self._started_at = ""
        self._suggested: str = Priority.ROUTINE.value
        """The priority the form last suggested (and set, unless the person chose one)."""

    @property
    def ready_for_keys(self) -> bool:
        """Typing waits for the staff list (initials are checked against it)."""
        return self._staff_read

    def compose(self) -> ComposeResult:
        clinic = app_of(self).clinic
        windows = [(w.name, w.name) for w in clinic.calendar.windows]
        with Vertical(id="dialog"):
            yield Static("Take a message", classes="title", markup=False)
            with VerticalScroll(id="form"):
                with Horizontal(classes="row"):
                    yield self._cell(
                        "Source",
                        Select(
                            [(s.label, s.value) for s in MESSAGE_SOURCES],
                            id="source",
                            value=Source.VOICEMAIL.value,
                            allow_blank=False,
                        ),
                    )
                    yield self._cell(
                        "Received at",
                        Input(placeholder="HH:MM or YYYY-MM-DD HH:MM", id="received_at"),
                    )
                with Horizontal(classes="row"):
                    yield self._cell(
                        "Who (ctrl+f: on file)", Input(placeholder="Caller's name", id="name")
                    )
                    yield self._cell("Best number", Input(placeholder="(312) 555-0142", id="phone"))
                    yield self._cell(
                        "Preferred window",
                        Select(windows, id="preferred_window", prompt="Any time"),
                    )
                with Horizontal(classes="row"):
                    yield self._cell(
                        "Request type",
                        Select(
                            [(r.label, key) for key, r in clinic.profile.requests.items()],
                            id="request_type",
                            prompt="Pick a type",
                        ),
                    )
                    yield self._cell(
                        "Priority",
                        Select(
                            [(p.value, p.value) for p in Priority],
                            id="priority",
                            value=Priority.ROUTINE.value,
                            allow_blank=False,
                        ),
                    )
                yield Static("", id="suggestion", markup=False)
                yield Static("Message (as given)", classes="label", markup=False)
                yield TextBox(id="message", soft_wrap=True)
                yield FieldError("message")
                with Horizontal(classes="row"):
                    yield self._cell("Owner", Input(placeholder="by the profile", id="owner"))
                    yield self._cell("Case doctor", Select([], id="doctor", prompt="Not known"))
        yield Footer()

    @staticmethod
    def _cell(label: str, field: Widget) -> Vertical:
        assert field.id is not None
        return Vertical(
            Static(label, classes="label", markup=False),
            field,
            FieldError(field.id),
            classes="cell",
        )

    def on_mount(self) -> None:
        steady_cursors(self)
        self._start()

    def reuse(self, initials: str) -> None:
        """Empty, as a new form starts (the app keeps one: see app.push_kept)."""
        self.initials = initials
        self.picked = None
        self._priority_chosen = False
        empty_form(self, {"source": Source.VOICEMAIL.value, "priority": Priority.ROUTINE.value})
        self.query_one("#form", VerticalScroll).scroll_home(animate=False)
        self._start()

    def _start(self) -> None:
        """Received now; the caller's name first, as the message is heard."""
        now = app_of(self).clinic.clock.local_now()
        self._started_at = now.strftime("%H:%M")
        with self.query_one("#received_at", Input).prevent(Input.Changed):
            self.query_one("#received_at", Input).value = self._started_at
        self._suggest()
        self.set_focus(self.query_one("#name", Input))
        load_staff(self, self._staff_loaded)

    def _staff_loaded(self, staff: list[StaffMember]) -> None:
        self.roles = {member.initials: member.role for member in staff}
        doctors = [(f"{m.initials}  {m.name}", m.initials) for m in staff if m.role is Role.DOCTOR]
        if doctors != self._doctors:  # a kept form: the list is rebuilt only when it changed
            self._doctors = doctors
            self.query_one("#doctor", Select).set_options(doctors)
        self._staff_read = True

    # -- the caller on file -----------------------------------------------------------------

    def action_find(self) -> None:
        from callback_tui.tui.screens.find import FindPatient

        def found(patient: Found | None) -> None:
            if patient is None:
                return
            self.picked = patient
            for field_id, value in (
                ("name", f"{patient.patient} · {patient.client}"),
                ("phone", patient.phone),
            ):
                with self.query_one(f"#{field_id}", Input).prevent(Input.Changed):
                    self.query_one(f"#{field_id}", Input).value = value
            for field_id in ("name", "phone"):
                self.query_one(f"#error-{field_id}", FieldError).show(None)
            self.set_focus(self.query_one("#request_type", Select))

        app_of(self).push_kept(FindPatient, "Who left the message?", callback=found)

    @on(Input.Changed, "#name, #phone")
    def _new_caller(self) -> None:
        """Typing over the patient found makes it a new caller."""
        self.picked = None

    # -- the priority's suggestion ----------------------------------------------------------

    @on(Select.Changed, "#priority")
    def _chosen(self, event: Select.Changed) -> None:
        if event.value == self._suggested:
            return  # the form's own setting (a Select tells of it after the fact too)
        self._priority_chosen = True
        self._suggest()

    @on(Select.Changed, "#request_type")
    @on(TextArea.Changed, "#message")
    def _suggest(self) -> None:
        """Suggest a priority from the type and the words, with why; the person's own choice
        stays, the suggestion shown beside it."""
        clinic = app_of(self).clinic
        chosen = self.query_one("#request_type", Select).selection
        suggestion = clinic.suggest_priority(
            "" if chosen is None else str(chosen), self.query_one("#message", TextArea).text
        )
        priority = self.query_one("#priority", Select)
        self._suggested = suggestion.priority.value
        if not self._priority_chosen and priority.selection != suggestion.priority.value:
            with priority.prevent(Select.Changed):
                priority.value = suggestion.priority.value
        said = Text(f"Suggested {suggestion.reason}")
        if self._priority_chosen and priority.selection != suggestion.priority.value:
            said.append(f" (you chose {priority.selection})", style="bold")
        said.append(self._where(chosen, priority.selection), style="green")
        self.query_one("#suggestion", Static).update(said)

    def _where(self, request_type: object, priority: object) -> str:
        """Whose list it goes on and its response target, once the type is chosen."""
        from callback_tui.domain.intake import parse_time

        if request_type is None or priority is None:
            return ""
        clinic = app_of(self).clinic
        doctor = self.query_one("#doctor", Select).selection
        owner = self.query_one("#owner", Input).value.strip().upper()
        try:
            owner = owner or clinic.profile.route(str(request_type), str(doctor or ""))
            typed = self.query_one("#received_at", Input).value
            now = clinic.clock.now()
            received = parse_time(typed, clinic.calendar.tz, clinic.calendar.local(now).date())
            target = clinic.response_target(min(received, now), Priority(str(priority)))
        except ValueError:
            return ""
        return f"  → {owner}, answer by {clinic.calendar.local(target):%a %H:%M}"

    @on(Input.Changed, "#received_at, #owner")
    @on(Select.Changed, "#doctor")
    def _moved(self) -> None:
        self._suggest()

    # -- reading the form -------------------------------------------------------------------

    def _fields(self) -> dict[str, str]:
        values = {field.id or "": field.value for field in self.query(Input)}
        for choice in self.query(Select):
            chosen = choice.selection
            values[choice.id or ""] = "" if chosen is None else str(chosen)
        values["message"] = self.query_one("#message", TextArea).text
        if not self._priority_chosen:
            values["priority"] = ""  # the suggestion, with its reason
        if self.picked is not None:
            values["client_id"] = str(self.picked.client_id)
            values["patient_id"] = str(self.picked.patient_id)
        return values

    def _typed(self) -> bool:
        values = self._fields()
        return (
            any(values.get(field) for field in ("name", "phone", "owner", "doctor"))
            or bool(values["message"].strip())
            or values.get("received_at") != self._started_at
            or self.picked is not None
        )

    # -- saving -----------------------------------------------------------------------------

    def action_cancel(self) -> None:
        leave_asking(self, self._typed(), "Discard this message?", "Nothing is saved.")

    def action_save(self) -> None:
        form = checked(self, *app_of(self).clinic.read_message(self._fields(), self.roles))
        if form is not None:
            self._save(form)

    @desk_work(group="write", exclusive=True, holds_keys=True)
    def _save(self, form: MessageForm) -> None:
        app = app_of(self)
        try:
            callback = app.desk.messages.take_message(self.initials, form)
        except Invalid as exc:
            app.call_from_thread(show_errors, self, exc.problems)
        else:
            assert callback.id is not None
            taken = Taken(
                callback.id,
                callback.owner,
                callback.priority,
                callback.target_at or callback.due_at,
            )
            app.call_from_thread(self.dismiss, taken)
        # Any other refusal, or a database that cannot be written, is the app's message
        # (desk_work); the form stays as typed.
