"""Log a call: the script to read, the outcome keys, notes, and one save."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Footer, Input, RadioButton, RadioSet, Static, TextArea

from callback_tui.domain import phones
from callback_tui.domain.scripts import SpokenScript, fill
from callback_tui.domain.vocab import Outcome
from callback_tui.store.errors import Invalid, StaleVersion
from callback_tui.store.queries import QueueRow
from callback_tui.store.services import CallOutcome, Logged
from callback_tui.tui.screens.common import FieldError, app_of, show_errors, steady_cursors
from callback_tui.tui.workers import desk_work

OUTCOME_KEYS: dict[str, Outcome] = {
    "s": Outcome.SPOKE,
    "l": Outcome.LEFT_MESSAGE,
    "n": Outcome.NO_ANSWER,
    "b": Outcome.BUSY,
    "x": Outcome.WRONG_NUMBER,
}


class OutcomeScreen(ModalScreen[Logged | StaleVersion | None]):
    """The call-outcome modal over Today. Nothing is written until ctrl+s."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="save", priority=True),
        Binding("escape", "cancel", "Cancel", id="cancel"),
        *(
            Binding(key, f"pick('{key}')", outcome.label.capitalize(), id=f"pick_{key}")
            for key, outcome in OUTCOME_KEYS.items()
        ),
    ]

    def __init__(self, row: QueueRow, initials: str, caller: str) -> None:
        super().__init__(classes="modal")
        self.row = row
        self.initials = initials
        self.caller = caller
        """The caller's name, as the script says it."""

    def compose(self) -> ComposeResult:
        clinic = app_of(self).clinic
        row = self.row
        reason = clinic.profile.label(row.reason)
        known = clinic.profile.reasons.get(row.reason)
        script = fill(
            clinic.scripts,
            known.script if known else "general",
            {
                "client": row.client,
                "patient": row.patient,
                "caller": self.caller,
                "clinic": clinic.settings.clinic_name,
                "clinic_phone": clinic.settings.clinic_phone,
            },
        )
        with Vertical(id="dialog"):
            title = Text("Log call · ", style="bold")
            title.append(row.patient)
            if row.species:
                title.append(f" ({row.species})")
            title.append(" · ")
            title.append(row.client)
            yield Static(title, classes="title")
            yield Static(self._facts(reason), classes="facts")
            with VerticalScroll(id="script"):
                yield Static(_script_text(script), markup=False)
            with Horizontal(id="entry"):
                with RadioSet(id="outcome"):
                    for key, outcome in OUTCOME_KEYS.items():
                        yield RadioButton(
                            Text(f"{key}  {outcome.label.capitalize()}"), id=outcome.value
                        )
                with Vertical(id="details"):
                    yield FieldError("outcome")
                    yield TextArea(id="notes", soft_wrap=True, show_line_numbers=False)
                    yield FieldError("notes")
                    with Horizontal(classes="checks"):
                        yield Checkbox("Concern for doctor", id="concern")
                        yield Checkbox("Appointment booked", id="booked")
                        yield Checkbox("ID verified", id="identity")
                    yield FieldError("identity")
                    with Horizontal(classes="checks"):
                        yield Input(
                            placeholder="minutes", id="duration", type="integer", max_length=3
                        )
                        if row.do_not_call:
                            yield Input(
                                placeholder="Do-not-call client: why must we call?",
                                id="justification",
                            )
                    yield FieldError("duration")
                    yield FieldError("justification")
        yield Footer()

    def _facts(self, reason: str) -> Text:
        row = self.row
        clinic = app_of(self).clinic
        due = clinic.calendar.local(row.due_at)
        facts = Text()
        facts.append(phones.display(row.phone, clinic.settings.phone_region), style="bold")
        facts.append(f"   {reason} · {row.kind.replace('_', ' ')} · due {due:%a %d %b %H:%M}")
        facts.append(f" · attempts {row.attempts} · doctor {row.doctor} · owner {row.owner}\n")
        facts.append(
            "Voicemail OK" if row.voicemail_ok else "No voicemail",
            style="green" if row.voicemail_ok else "yellow",
        )
        facts.append(" · ")
        facts.append(
            "Texts OK" if row.text_ok else "No texts", style="green" if row.text_ok else "dim"
        )
        if row.do_not_call:
            facts.append(" · ")
            facts.append(" DO NOT CALL ", style="bold white on red")
        if row.wrong_number:
            facts.append(" · ")
            facts.append("number reported wrong", style="bold red")
        if row.notes:
            facts.append("\nNotes: ", style="dim")
            facts.append(row.notes)
        return facts

    def on_mount(self) -> None:
        steady_cursors(self)
        self.query_one(RadioSet).focus()

    def action_pick(self, key: str) -> None:
        outcome = OUTCOME_KEYS[key]
        self.query_one(f"#{outcome.value}", RadioButton).value = True
        self.query_one("#notes", TextArea).focus()

    def _chosen(self) -> Outcome | None:
        pressed = self.query_one(RadioSet).pressed_button
        return Outcome(pressed.id) if pressed is not None and pressed.id else None

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        outcome = self._chosen()
        problems: dict[str, str] = {}
        if outcome is None:
            problems["outcome"] = (
                "Pick an outcome: s spoke, l left message, n no answer, b busy, x wrong number."
            )
        duration_text = self.query_one("#duration", Input).value.strip()
        duration = int(duration_text) if duration_text.lstrip("-").isdigit() else None
        if duration_text and duration is None:
            problems["duration"] = "Minutes as a whole number."
        if problems:
            show_errors(self, problems)
            return
        assert outcome is not None
        justification = self.query("#justification")
        entry = CallOutcome(
            outcome=outcome,
            notes=self.query_one("#notes", TextArea).text,
            duration_minutes=duration,
            appointment_booked=self.query_one("#booked", Checkbox).value,
            concern_for_doctor=self.query_one("#concern", Checkbox).value,
            identity_verified=self.query_one("#identity", Checkbox).value,
            dnc_justification=justification.first(Input).value if justification else "",
        )
        self._save(entry)

    @desk_work(group="write", exclusive=True)
    def _save(self, entry: CallOutcome) -> None:
        app = app_of(self)
        try:
            logged = app.desk.callbacks.log_outcome(
                self.initials, self.row.id, self.row.version, entry
            )
        except Invalid as exc:
            app.call_from_thread(show_errors, self, exc.problems)
        except StaleVersion as exc:
            app.call_from_thread(self.dismiss, exc)
        else:
            app.call_from_thread(self.dismiss, logged)
        # Any other refusal, or a database that cannot be written, is the app's message
        # (desk_work); the dialog stays as typed.


def _script_text(script: SpokenScript) -> Text:
    out = Text()
    for heading, body in (
        ("Greeting", script.greeting),
        ("Purpose", script.purpose),
    ):
        out.append(f"{heading}: ", style="bold")
        out.append(body + "\n")
    out.append("Ask:\n", style="bold")
    for question in script.questions:
        out.append(f"  • {question}\n")
    out.append("Close: ", style="bold")
    out.append(script.close + "\n")
    out.append("Voicemail: ", style="bold")
    out.append(script.voicemail + "\n")
    for line in script.red_flags:
        out.append("⚠ ", style="bold red")
        out.append(line + "\n", style="red")
    out.rstrip()
    return out
