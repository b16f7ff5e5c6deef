"""Log a call: the script to read, the outcome keys, notes, and one save.

The script offers a voicemail only to a client who agreed to one (and says not to leave one
otherwise), and the approved follow-up text only to a client who agreed to texts: ctrl+t
copies it, "Text sent" records that it went. Where the profile requires identity, *spoke*
is saved only with the identifiers the caller confirmed ticked (which ones, never values).

What is typed is never lost to another desk: if the callback changed there first, the save is
refused, the dialog shows the callback as it is now under the same entry, and ctrl+s saves
on that (or escape, after a yes / no, discards it).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, RadioButton, RadioSet, Static, TextArea

from callback_tui.domain import phones
from callback_tui.domain.scripts import SpokenScript, fill
from callback_tui.domain.vocab import Outcome, Status
from callback_tui.store import queries
from callback_tui.store.best_time_query import time_to_call
from callback_tui.store.errors import DeskError, Invalid, NotFound, StaleVersion, TooEarly
from callback_tui.store.queries import QueueRow
from callback_tui.store.services import CallOutcome, Logged
from callback_tui.tui.screens.common import (
    FieldError,
    FormScreen,
    KeptScreen,
    app_of,
    empty_form,
    leave_asking,
    show_errors,
    steady_cursors,
)
from callback_tui.tui.widgets.confirm import Confirm
from callback_tui.tui.widgets.footer import Footer
from callback_tui.tui.widgets.text_area import TextBox
from callback_tui.tui.workers import desk_work

OUTCOME_KEYS: dict[str, Outcome] = {
    "s": Outcome.SPOKE,
    "l": Outcome.LEFT_MESSAGE,
    "n": Outcome.NO_ANSWER,
    "b": Outcome.BUSY,
    "x": Outcome.WRONG_NUMBER,
}

CLOSED_AS = {Status.UNREACHED.value: "closed as unreached"}
"""A closed status in words, where the bare status does not read well."""


class OutcomeScreen(KeptScreen, FormScreen, ModalScreen[Logged | None]):
    """The call-outcome modal over Today. Nothing is written until ctrl+s."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="save", priority=True),
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding(
            "ctrl+t",
            "copy_text",
            "Copy text",
            id="copy_text",
            priority=True,
            tooltip="Copy the approved follow-up text, to send from the clinic's phone",
        ),
        *(
            Binding(key, f"pick('{key}')", outcome.label.capitalize(), id=f"pick_{key}")
            for key, outcome in OUTCOME_KEYS.items()
        ),
        Binding("e", "edit_client", "Client details", id="edit_client"),
    ]

    def __init__(
        self,
        row: QueueRow,
        initials: str,
        caller: str,
        after_save: Callable[[], Callable[[], None] | None] | None = None,
        *,
        early: bool = False,
    ) -> None:
        super().__init__(classes="modal")
        self.row = row
        self.early = early
        """The person confirmed calling before the callback's next try."""
        self.initials = initials
        self.caller = caller
        """The caller's name, as the script says it."""
        self.after_save = after_save
        """Run in the saving worker once the call is committed; what it returns runs on the
        screen just before the dialog closes. The queue beneath reads its rows in the first
        and shows them in the second, so one paint shows the dialog gone and the rows new."""
        self.closed: str | None = None
        """Why no call can be saved any more (closed at another desk), once a reload said so."""
        self.overtaken = False
        """Another desk changed the callback while this was open (the queue beneath is old)."""
        self.when_to_call = ""
        """When to call the client, in words ("Best time to call: evening (…)"); empty when
        there is nothing to say (see `_read_when_to_call`)."""

    def compose(self) -> ComposeResult:
        identity = app_of(self).clinic.profile.identity
        self.when_to_call = self._read_when_to_call(self.row.client_id)
        with Vertical(id="dialog"):
            yield Static(self._title(), classes="title", id="title")
            yield Static(self._facts(), classes="facts", id="facts")
            yield Static("", id="notice", markup=False)
            with VerticalScroll(id="script"):
                yield Static(self._script(), id="script-text", markup=False)
            with Horizontal(id="entry"):
                with RadioSet(id="outcome"):
                    for key, outcome in OUTCOME_KEYS.items():
                        yield RadioButton(
                            Text(f"{key}  {outcome.label.capitalize()}"), id=outcome.value
                        )
                with Vertical(id="details"):
                    yield FieldError("outcome")
                    yield TextBox(id="notes", soft_wrap=True, show_line_numbers=False)
                    yield FieldError("notes")
                    with Horizontal(classes="checks", id="ticks"):
                        yield Checkbox("Concern for doctor", id="concern")
                        yield Checkbox("Appointment booked", id="booked")
                        if not identity.required:
                            yield Checkbox("ID verified", id="identity")
                        yield Checkbox("Text sent", id="texted")
                    if not identity.required:
                        yield FieldError("identity")
                    yield FieldError("text")
                    with Horizontal(classes="checks"):
                        # Plain digits only: Input's "integer" type lets in ٣ and 7_0.
                        yield Input(
                            placeholder="minutes", id="duration", restrict="[0-9]*", max_length=3
                        )
                        # Always there, shown for a do-not-call client (which a reload may
                        # reveal).
                        yield Input(
                            placeholder="Do-not-call client: why must we call?",
                            id="justification",
                        )
                    yield FieldError("duration")
                    yield FieldError("justification")
            if identity.required:
                # The profile's identifiers, across the dialog: which ones were confirmed.
                with Horizontal(classes="checks", id="identifiers"):
                    yield Static("Identity:", classes="ticks-label")
                    for key, label in identity.identifiers.items():
                        yield Checkbox(label, id=f"identifier-{key}", name=key)
                yield FieldError("identity")
        yield Footer()

    def _title(self) -> Text:
        row = self.row
        title = Text("Log call · ", style="bold")
        title.append(row.patient)
        if row.species:
            title.append(f" ({row.species})")
        title.append(" · ")
        title.append(row.client)
        return title

    def _script(self) -> Text:
        row = self.row
        return _script_text(self._spoken(), voicemail=row.voicemail_ok, text=row.text_ok)

    def _spoken(self) -> SpokenScript:
        clinic = app_of(self).clinic
        row = self.row
        return fill(
            clinic.scripts,
            clinic.profile.script_of(row.reason),
            {
                "client": row.client,
                "patient": row.patient,
                "caller": self.caller,
                "clinic": clinic.settings.clinic_name,
                "clinic_phone": clinic.settings.clinic_phone,
            },
        )

    def _consent(self) -> None:
        """Offer what the client agreed to: the text tick and its copy key with texts."""
        self.query_one("#texted", Checkbox).display = self.row.text_ok
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "copy_text":
            return self.row.text_ok
        return True

    def action_copy_text(self) -> None:
        if not self.row.text_ok:
            return
        self.app.copy_to_clipboard(self._spoken().text)
        self.notify("Follow-up text copied: once it is sent, tick Text sent.")

    def _facts(self) -> Text:
        row = self.row
        clinic = app_of(self).clinic
        reason = clinic.profile.label(row.reason)
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
        if self.when_to_call:
            facts.append("\n" + self.when_to_call)
        if row.notes:
            facts.append("\nNotes: ", style="dim")
            facts.append(row.notes)
        return facts

    def on_mount(self) -> None:
        steady_cursors(self)
        self.set_class(self.row.do_not_call, "-do-not-call")
        self._consent()
        self.query_one(RadioSet).focus()

    def reuse(
        self,
        row: QueueRow,
        initials: str,
        caller: str,
        after_save: Callable[[], Callable[[], None] | None] | None = None,
        *,
        early: bool = False,
    ) -> None:
        """Ready for another call, as if new (the app keeps one dialog: see app.push_kept)."""
        self.when_to_call = self._read_when_to_call(row.client_id)
        self.row, self.initials, self.caller, self.after_save = row, initials, caller, after_save
        self.early = early
        self.closed, self.overtaken = None, False
        self.query_one("#title", Static).update(self._title())
        self.query_one("#facts", Static).update(self._facts())
        self.query_one("#script-text", Static).update(self._script())
        self.query_one("#script", VerticalScroll).scroll_home(animate=False)
        notice = self.query_one("#notice", Static)
        notice.update("")
        notice.remove_class("-warning", "-error")
        empty_form(self)
        self.set_class(row.do_not_call, "-do-not-call")
        self._consent()
        self.set_focus(self.query_one(RadioSet))

    def _read_when_to_call(self, client_id: int) -> str:
        """The client's stated or learned best time to call, for the line under the consents.

        Read as the dialog opens, before its paint: one indexed query, a fraction of a
        millisecond on a year of calls, where filling the line in after the first paint
        costs a second layout of the dialog (bench/keys.py measured that as slower).
        """
        app = app_of(self)
        try:
            return time_to_call(app.database, client_id, app.clinic.calendar).words
        except DeskError:
            return ""  # a help to the call, not a reason to stop it (a save says what is wrong)

    def action_pick(self, key: str) -> None:
        outcome = OUTCOME_KEYS[key]
        self.query_one(f"#{outcome.value}", RadioButton).value = True
        self.query_one("#notes", TextArea).focus()

    def action_edit_client(self) -> None:
        """The client's phones and consent; once saved, the facts here say them."""
        from callback_tui.tui.screens.client_details import ClientDetailsScreen, with_client

        def saved(view: queries.ClientView | None) -> None:
            if view is not None:
                self.row = with_client(self.row, view)
                self.when_to_call = self._read_when_to_call(view.id)  # a new preferred window?
                self.query_one("#facts", Static).update(self._facts())
                self.set_class(self.row.do_not_call, "-do-not-call")

        app_of(self).push_kept(
            ClientDetailsScreen, self.row.client_id, self.initials, callback=saved
        )

    def _chosen(self) -> Outcome | None:
        pressed = self.query_one(RadioSet).pressed_button
        return Outcome(pressed.id) if pressed is not None and pressed.id else None

    def _typed(self) -> bool:
        """Whether anything was typed (picks and ticks are a key each: not worth a question)."""
        fields = (
            self.query_one("#notes", TextArea).text,
            self.query_one("#duration", Input).value,
            self.query_one("#justification", Input).value,
        )
        return any(field.strip() for field in fields)

    def action_cancel(self) -> None:
        leave_asking(
            self, self._typed(), "Discard this call?", "Nothing is saved: what you typed is lost."
        )

    def action_save(self) -> None:
        if self.closed is not None:
            self._notice(f"Not saved: {self.closed}", error=True)
            return
        outcome = self._chosen()
        problems: dict[str, str] = {}
        if outcome is None:
            problems["outcome"] = (
                "Pick an outcome: s spoke, l left message, n no answer, b busy, x wrong number."
            )
        duration_text = self.query_one("#duration", Input).value.strip()
        duration = minutes(duration_text)
        if duration_text and duration is None:
            problems["duration"] = "Minutes as a whole number, in the digits 0 to 9."
        identity = app_of(self).clinic.profile.identity
        confirmed = self._identifiers()
        if outcome is Outcome.SPOKE and identity.required and len(confirmed) < identity.confirm:
            problems["identity"] = (
                f"Tick the {identity.confirm} identifiers the caller confirmed before saving"
                " a conversation."
            )
        if problems:
            self._show_errors(problems)
            return
        assert outcome is not None
        verified = self.query("#identity").only_one(Checkbox) if not identity.required else None
        entry = CallOutcome(
            outcome=outcome,
            notes=self.query_one("#notes", TextArea).text,
            duration_minutes=duration,
            appointment_booked=self.query_one("#booked", Checkbox).value,
            concern_for_doctor=self.query_one("#concern", Checkbox).value,
            identity_verified=verified.value if verified is not None else False,
            identifiers=confirmed,
            text_sent=self.row.text_ok and self.query_one("#texted", Checkbox).value,
            dnc_justification=(
                self.query_one("#justification", Input).value if self.row.do_not_call else ""
            ),
            early=self.early,
        )
        self._save(self.row, entry)

    # The row goes with the entry: a reload may replace self.row while this runs.
    @desk_work(group="write", exclusive=True, holds_keys=True)
    def _save(self, row: QueueRow, entry: CallOutcome) -> None:
        app = app_of(self)
        try:
            logged = app.desk.callbacks.log_outcome(self.initials, row.id, row.version, entry)
        except Invalid as exc:
            app.call_from_thread(self._show_errors, exc.problems)
        except (StaleVersion, NotFound) as exc:
            fresh = queries.callback_row(app.database, row.id)
            app.call_from_thread(self._overtaken, str(exc), fresh)
        except TooEarly as exc:  # a miss logged meanwhile at another desk set a next try
            app.call_from_thread(self._ask_early, str(exc))
        else:
            then = self.after_save() if self.after_save is not None else None

            def close() -> None:
                if then is not None:
                    then()
                self.dismiss(logged)

            app.call_from_thread(close)
        # Any other refusal, or a database that cannot be written, is the app's message
        # (desk_work); the dialog stays as typed.

    def _identifiers(self) -> tuple[str, ...]:
        """The keys of the identifier boxes ticked, in the profile's order."""
        boxes = self.query("#identifiers Checkbox").results(Checkbox)
        return tuple(box.name for box in boxes if box.value and box.name)

    def _show_errors(self, problems: dict[str, str]) -> None:
        show_errors(self, problems)
        first = next(iter(problems), None)
        if first == "identity" and self.query("#identifiers"):
            self.query_one("#identifiers").query(Checkbox).first().focus()

    def _overtaken(self, refusal: str, fresh: QueueRow | None) -> None:
        """Another desk got there first: show the callback as it is now, under what was typed."""
        self.overtaken = True
        show_errors(self, {})
        before, self.row = self.row, fresh or self.row
        self.query_one("#facts", Static).update(self._facts())
        self.query_one("#script-text", Static).update(self._script())
        self.set_class(self.row.do_not_call, "-do-not-call")
        self._consent()
        if fresh is None or fresh.status != Status.OPEN:
            state = "gone" if fresh is None else CLOSED_AS.get(fresh.status, fresh.status)
            self.closed = f"this callback is {state} and takes no more calls."
            self._notice(
                f"Not saved: {refusal}. It is {state} now and takes no more calls. Your entry"
                " stays here: in the notes, f7 selects all and ctrl+c copies them for a note.",
                error=True,
            )
            return
        changes = "; ".join(
            f"{name} now {now} (was {was})"
            for name, was, now in (
                ("owner", before.owner, fresh.owner),
                ("attempts", before.attempts, fresh.attempts),
                ("doctor", before.doctor, fresh.doctor),
            )
            if was != now
        )
        self._notice(
            f"Not saved: {refusal}{': ' + changes if changes else ''}. Your entry is kept:"
            " ctrl+s saves it on the callback as it is now, escape discards it."
        )

    def _ask_early(self, refusal: str) -> None:
        """The save came before the callback's next try: save early only if the person says."""

        def answered(yes: bool | None) -> None:
            if yes:
                self.early = True
                self.action_save()

        self.app.push_screen(confirm_early(refusal), answered)

    def _notice(self, message: str, *, error: bool = False) -> None:
        notice = self.query_one("#notice", Static)
        notice.update(message)
        notice.set_class(not error, "-warning")
        notice.set_class(error, "-error")
        notice.scroll_visible()


def confirm_early(when: str) -> Confirm:
    """The question before a call ahead of the callback's next try; `when` names that try."""
    return Confirm(
        "Call again now, before the next window?",
        f"{when}\nEach try belongs in a different time window. Call now only if the client"
        " called back or asked to be called at once: the call is kept as an early one.",
    )


def minutes(typed: str) -> int | None:
    """Whole minutes from plain ASCII digits (str.isdigit and int also take ٣ and 7_0)."""
    return int(typed) if typed.isascii() and typed.isdigit() else None


def _script_text(script: SpokenScript, *, voicemail: bool, text: bool) -> Text:
    """The script to read, with the voicemail and the follow-up text only where the client
    agreed to them."""
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
    if voicemail:
        out.append("Voicemail: ", style="bold")
        out.append(script.voicemail + "\n")
    else:
        out.append("No voicemail: do not leave one", style="bold yellow")
        out.append(" (the client has not agreed to voicemail).\n")
    if text:
        out.append("Follow-up text (ctrl+t copies): ", style="bold")
        out.append(script.text + "\n")
    out.append("Last try, unreached: ", style="bold")
    out.append(script.path_back + "\n")
    for line in script.red_flags:
        out.append("⚠ ", style="bold red")
        out.append(line + "\n", style="red")
    out.rstrip()
    return out
