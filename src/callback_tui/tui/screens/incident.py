"""The upset-patient incident wizard (`i` from anywhere) and the incidents board.

One screen per step: it opens on the incident's current step, `ctrl+s` completes the step
(one transaction) and moves on; `escape` leaves and keeps what was typed for next time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Checkbox,
    Input,
    RadioButton,
    RadioSet,
    Static,
    TextArea,
)

from callback_tui.domain import access, text
from callback_tui.domain.access import Act
from callback_tui.domain.incidents import (
    NEEDED,
    NOT_DONE,
    WIZARD_STEPS,
    FoundVia,
    Step,
    check_reply,
    steps_left,
    still_needed,
)
from callback_tui.domain.intake import parse_time
from callback_tui.domain.vocab import NoteKind, Role
from callback_tui.store import incidents, queries
from callback_tui.store.errors import DeskError, Invalid
from callback_tui.store.incident_desk import IncidentStart
from callback_tui.store.incidents import IncidentView
from callback_tui.store.search import Found
from callback_tui.tui import display
from callback_tui.tui.screens.common import (
    FieldError,
    FormScreen,
    KeptScreen,
    ListScreen,
    app_of,
    clear_choice,
    show_errors,
    steady_cursors,
)
from callback_tui.tui.screens.inbox import Inbox
from callback_tui.tui.widgets.footer import Footer
from callback_tui.tui.widgets.text_area import TextBox
from callback_tui.tui.workers import desk_work

NOTE_KINDS = {
    NoteKind.COMMUNICATION.value: "Communication log (outside a clinical visit)",
    NoteKind.MEDICAL.value: "Clinical note (during a visit)",
}
YES_NO = {"yes": "Yes", "no": "No"}
AVAILABLE = {"now": "Yes: they are speaking with the client", "later": "No: send them a task"}


class IncidentScreen(KeptScreen, FormScreen, Screen[None]):
    """One step of one incident; `incident_id` None starts a new one."""

    # No focus until the step's first field takes it (_fill), not the form's scrolling
    # container first: a focus that comes and goes restyles the whole form each way.
    AUTO_FOCUS = ""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save step", id="save", priority=True),
        Binding("ctrl+f", "find", "Find patient", id="find", priority=True),
        Binding("ctrl+c", "copy", "Copy summary", id="copy", priority=True),
        Binding("ctrl+e", "close_incident", "Close incident", id="close", priority=True),
        # The same key before the last step: it says what is still to do.
        Binding("ctrl+e", "not_ready", show=False, id="close", priority=True),
        Binding("escape", "leave", "Leave (kept)", id="leave"),
        # The same keys where the person's role may not (dimmed above): they say who may.
        Binding("ctrl+s", "refused('save')", show=False, id="save", priority=True),
        Binding("ctrl+e", "refused('close')", show=False, id="close", priority=True),
    ]

    def __init__(self, incident_id: int | None, initials: str) -> None:
        super().__init__()
        self.incident_id = incident_id
        self.initials = initials
        self.view: IncidentView | None = None
        self._shown: dict[str, str] = {}
        """The form as it was filled when shown: leaving unchanged keeps nothing."""
        self.default_manager = ""
        """The clinic's office manager, when it has just one (step 2 starts with them)."""
        self.patient_id: int | None = None
        """The patient on file picked with ctrl+f (step 1)."""
        self._filled = False
        """The step's fields are on screen with what was kept in them (keys wait till then)."""
        self._built: Step | None = None
        """The step whose fields the form holds."""
        self.role: Role | None = None
        """The person's role (None: no role, or deactivated), read with the incident."""

    @property
    def loaded(self) -> bool:
        return self.incident_id is None or self.view is not None

    @property
    def ready_for_keys(self) -> bool:
        return self._filled

    @property
    def step(self) -> Step:
        return self.view.step if self.view is not None else Step.WHAT_HAPPENED

    # -- building -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static("", classes="who", id="title", markup=False)
            yield Static("", classes="counts -full", id="progress", markup=False)
            yield Static("", classes="counts -brief", id="progress-brief", markup=False)
        yield Static("", id="facts", markup=False)
        yield Static("", id="may", markup=False)
        yield VerticalScroll(id="form")
        yield Footer()

    def on_mount(self) -> None:
        if self.incident_id is None:
            self._build()
        else:
            self._load()

    def reuse(self, incident_id: int | None, initials: str) -> None:
        """As a new one would be (the app keeps one for new incidents: see app.push_kept).

        A new incident's form is often on screen already, from the last one: emptied, not
        built again (building it is most of what opening the wizard costs)."""
        again = incident_id is None and self.view is None and self._built is Step.WHAT_HAPPENED
        self.incident_id, self.initials = incident_id, initials
        self.view, self.patient_id, self._shown = None, None, {}
        self._filled = False
        show_errors(self, {})
        if not again:
            self.on_mount()
            return
        for field in self.query("#form Input").results(Input):
            field.value = ""
        for box in self.query("#form TextArea").results(TextArea):
            box.load_text("")
        for choices in self.query("#form RadioSet").results(RadioSet):
            clear_choice(choices)
        self.query_one("#form", VerticalScroll).scroll_home(animate=False)
        self.call_after_refresh(self._fill, {})

    @desk_work(group="incident", exclusive=True)
    def _load(self) -> None:
        app = app_of(self)
        assert self.incident_id is not None
        view = incidents.incident(app.database, self.incident_id)
        staff = queries.staff(app.database)
        managers = [m.initials for m in staff if m.role is Role.OFFICE_MANAGER and m.active]
        self.default_manager = managers[0] if len(managers) == 1 else ""
        me = next((m for m in staff if m.initials == self.initials and m.active), None)
        app.call_from_thread(self._loaded_view, view, me.role if me else None)

    def _loaded_view(self, view: IncidentView | None, role: Role | None) -> None:
        if view is None:
            self.notify("That incident no longer exists.", severity="error")
            self.dismiss(None)
            return
        self.view, self.role = view, role
        self._build()

    def _build(self) -> None:
        """Show the current step's form, filled with what was kept."""
        step = self.step
        title = Text("Upset patient · ", style="bold")
        title.append(f"incident {self.view.id}" if self.view else "new incident")
        self.query_one("#title", Static).update(title)
        self.query_one("#progress", Static).update(self._progress())
        self.query_one("#progress-brief", Static).update(self._progress(brief=True))
        self.query_one("#facts", Static).update(self._facts())
        refusal = self.refusal()
        may = self.query_one("#may", Static)
        may.update(f"{refusal} You may still read it." if refusal else "")
        may.display = refusal is not None
        self._filled = False
        self._built = step
        form = self.query_one("#form", VerticalScroll)
        form.remove_children()
        form.mount_all(list(self._fields(step)))
        self.call_after_refresh(self._fill, dict(self.view.draft) if self.view else {})
        self.refresh_bindings()

    def _progress(self, brief: bool = False) -> Text:
        """The steps, the current one lit; `brief` names only the current one."""
        out = Text()
        step = self.step
        for number, each in enumerate(WIZARD_STEPS, start=1):
            if number > 1:
                out.append(" > ", style="dim")
            style = "bold reverse" if each is step else "dim"
            if each is Step.REVIEW and self.view and self.view.found_via != FoundVia.ONLINE_REVIEW:
                style = "dim strike"
            named = each is step or not brief
            out.append(f"{number} {each.label}" if named else str(number), style=style)
        if step in (Step.CLOSE, Step.CLOSED):
            out.append(f"  {step.label}", style="bold green")
        return out

    def _facts(self) -> Text:
        view = self.view
        if view is None or view.step is Step.WHAT_HAPPENED:
            return Text(
                "Write down what happened while it is fresh. Each step is saved as you complete"
                " it; escape keeps what you typed for later.",
                style="dim",
            )
        calendar = app_of(self).clinic.calendar
        out = Text()
        out.append(view.subject or "someone not on file", style="bold")
        out.append(f" · {view.found_via.label} · {display.moment(calendar, view.occurred_at)}")
        out.append(f" · opened by {view.opened_by}")
        if view.open_tasks:
            out.append(f" · waiting for {', '.join(view.open_tasks)}", style="yellow")
        out.append("\n")
        out.append(view.what_happened)
        if view.resolution:
            out.append("\nResolution: ", style="bold")
            out.append(view.resolution)
        return out

    def _fields(self, step: Step) -> list[Any]:
        def label(words: str) -> Static:
            return Static(words, classes="label", markup=False)

        def radios(field: str, choices: dict[str, str]) -> RadioSet:
            return RadioSet(
                *(RadioButton(Text(t), id=f"{field}-{k}") for k, t in choices.items()), id=field
            )

        widgets: list[Any] = []
        if step is Step.WHAT_HAPPENED:
            widgets += [
                label("Who is it about? (ctrl+f finds the patient on file; or type a name)"),
                Input(placeholder="Client / patient", compact=True, id="subject"),
                FieldError("subject"),
                label("When? (empty: now; or HH:MM today; or YYYY-MM-DD HH:MM)"),
                Input(placeholder="now", compact=True, id="occurred_at"),
                FieldError("occurred_at"),
                label("How was it found?"),
                radios("found_via", {f.value: f.label for f in FoundVia}),
                FieldError("found_via"),
                label("What happened?"),
                TextBox(id="what_happened", soft_wrap=True, compact=True),
                FieldError("what_happened"),
                label("Staff involved"),
                Input(placeholder="initials or names", compact=True, id="staff_involved"),
                label("Document it as"),
                radios("note_kind", NOTE_KINDS),
                FieldError("note_kind"),
            ]
        elif step is Step.OFFICE_MANAGER:
            widgets += [
                label("Is the office manager available to speak with the client now?"),
                radios("available", AVAILABLE),
                FieldError("available"),
                label("Office manager (initials)"),
                Input(placeholder="initials", compact=True, id="office_manager", max_length=4),
                FieldError("office_manager"),
                label("The conversation with the client (when they spoke)"),
                TextBox(id="conversation", soft_wrap=True, compact=True),
                FieldError("conversation"),
                label("Remedied?"),
                radios("remedied", YES_NO),
                FieldError("remedied"),
            ]
        elif step is Step.ESCALATION:
            widgets += [
                label("The regional manager's outcome: what was done, and how it ended"),
                TextBox(id="outcome", soft_wrap=True, compact=True),
                FieldError("outcome"),
            ]
        elif step is Step.LEADERSHIP:
            assert self.view is not None
            widgets += [
                label("For the owners (ctrl+c copies it; send it, then ctrl+s marks it sent):"),
                Static(self.view.summary(app_of(self).clinic.calendar), id="summary", markup=False),
            ]
        elif step is Step.REVIEW:
            widgets += [
                label("Where is the review? (Google, Yelp…)"),
                Input(compact=True, id="platform"),
                FieldError("platform"),
                label("Link"),
                Input(compact=True, id="link"),
                label("The public reply (no names, phone numbers or anything about care)"),
                TextBox(id="reply", soft_wrap=True, compact=True),
                Static("", id="hits", markup=False),
                FieldError("reply"),
                Checkbox("The reply is posted", id="posted"),
                FieldError("posted"),
            ]
        elif step is Step.CLOSE:
            widgets += [
                Static(
                    "Every step is done. An office manager, regional manager or owner closes it"
                    " with ctrl+e.",
                    classes="label",
                    markup=False,
                )
            ]
        else:
            assert self.view is not None
            when = display.moment(app_of(self).clinic.calendar, self.view.closed_at)
            widgets.append(Static(f"Closed {when} by {self.view.closed_by}.", classes="label"))
        return widgets

    def _fill(self, kept: dict[str, str]) -> None:
        """Put kept values back (and a sensible default or two)."""
        if self.step is Step.OFFICE_MANAGER and not kept.get("office_manager") and self.view:
            kept = {**kept, "office_manager": self.view.office_manager or self.default_manager}
        if self.step is Step.REVIEW and self.view and not kept:
            kept = {
                "platform": self.view.review_platform,
                "link": self.view.review_link,
                "reply": self.view.review_reply,
            }
        if kept.get("patient_id", "").isdigit():
            self.patient_id = int(kept["patient_id"])
        for field, value in kept.items():
            found = self.query(f"#{field}")
            if not found:
                continue
            widget = found.first()
            if isinstance(widget, Input):
                widget.value = value
            elif isinstance(widget, TextArea):
                widget.load_text(value)
            elif isinstance(widget, Checkbox):
                widget.value = value == "yes"
            elif isinstance(widget, RadioSet) and value:
                button = self.query(f"#{field}-{value}")
                if button:
                    button.first(RadioButton).value = True
        self._shown = self._values()
        self._filled = True
        steady_cursors(self)
        first = self.query("#form Input, #form TextArea, #form RadioSet")
        if first:
            first.first().focus()
        self._check_reply()

    def _values(self) -> dict[str, str]:
        """What is in the form now, as text (what a kept draft stores)."""
        out: dict[str, str] = {}
        for widget in self.query("#form Input, #form TextArea, #form RadioSet, #form Checkbox"):
            if not widget.id:
                continue
            if isinstance(widget, Input):
                out[widget.id] = widget.value
            elif isinstance(widget, TextArea):
                out[widget.id] = widget.text
            elif isinstance(widget, Checkbox):
                out[widget.id] = "yes" if widget.value else ""
            elif isinstance(widget, RadioSet):
                pressed = widget.pressed_button
                out[widget.id] = (pressed.id or "").removeprefix(f"{widget.id}-") if pressed else ""
        if self.patient_id is not None:
            out["patient_id"] = str(self.patient_id)
        return out

    # -- the review reply check, as you type ------------------------------------------------

    @on(TextArea.Changed, "#reply")
    def _check_reply(self) -> None:
        found = self.query("#hits")
        if not found or self.view is None:
            return
        reply = self.query_one("#reply", TextArea).text
        hits = check_reply(
            reply,
            names=self.view.names,
            phones=self.view.phones,
            words=app_of(self).clinic.review_words,
        )
        out = Text()
        if hits:
            out.append("Not for the public: ", style="bold red")
            out.append(", ".join(f"“{h.found}” ({h.why})" for h in hits), style="red")
        elif reply.strip():
            out.append("No names, phone numbers or clinical words found.", style="green")
        found.first(Static).update(out)

    # -- keys -------------------------------------------------------------------------------

    def refusal(self) -> str | None:
        """Why the person may not do this step (its role rule), or None when they may."""
        if self.view is None:
            return None
        if self.step is Step.ESCALATION:
            return access.refusal(Act.RECORD_ESCALATION, self.role)
        if self.step is Step.CLOSE:
            return access.refusal(Act.CLOSE_INCIDENT, self.role)
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        step = self.step
        if action == "refused":
            wanted = Step.ESCALATION if parameters == ("save",) else Step.CLOSE
            return step is wanted and self.refusal() is not None
        dimmable = (action, step) in (("save", Step.ESCALATION), ("close_incident", Step.CLOSE))
        if dimmable and self.refusal() is not None:
            return None  # dimmed: the step is for another role (the line above says so)
        if action == "find":
            return step is Step.WHAT_HAPPENED
        if action == "copy":
            return step is Step.LEADERSHIP
        if action == "close_incident":
            return step is Step.CLOSE
        if action == "not_ready":
            return step is not Step.CLOSE
        if action == "save":
            return step not in (Step.CLOSE, Step.CLOSED)
        return True

    def action_find(self) -> None:
        from callback_tui.tui.screens.find import FindPatient

        def found(patient: Found | None) -> None:
            if patient is not None:
                self.patient_id = patient.patient_id
                self.query_one("#subject", Input).value = f"{patient.patient} · {patient.client}"

        app_of(self).push_kept(FindPatient, "Who is it about?", callback=found)

    def action_copy(self) -> None:
        if self.view is not None:
            self.app.copy_to_clipboard(self.view.summary(app_of(self).clinic.calendar))
            self.notify("Summary copied.")

    def action_save(self) -> None:
        values = self._values()
        occurred_at: datetime | None = None  # step 1: empty is now
        typed = values.get("occurred_at", "").strip()
        if self.step is Step.WHAT_HAPPENED and typed:
            clinic = app_of(self).clinic
            try:
                occurred_at = parse_time(typed, clinic.calendar.tz, clinic.clock.today())
            except ValueError as exc:
                show_errors(self, {"occurred_at": str(exc)})
                return
        written = values.get("platform", "").strip() or values.get("reply", "").strip()
        if self.step is Step.REVIEW and values.get("posted") != "yes" and not written:
            show_errors(self, still_needed(Step.REVIEW, values))
            self.notify(
                "Nothing saved: write the public reply, post it on the review site, then"
                " tick “The reply is posted” and press ctrl+s.",
                severity="warning",
                markup=False,
            )
            return
        self._write(self.step, values, occurred_at)

    def action_close_incident(self) -> None:
        self._write(Step.CLOSED, {})

    def action_refused(self, _key: str) -> None:
        """A key dimmed by the person's role, pressed anyway: who may (nothing is written;
        the service would refuse it too)."""
        said = self.refusal()
        if said is not None:
            self.notify(said, severity="warning", markup=False)

    def action_not_ready(self) -> None:
        """ctrl+e before every step is done: name the steps still to do, and mark the fields
        of this one that are still empty."""
        if not self.loaded:
            return
        view = self.view
        if self.step is Step.CLOSED:
            self.notify("This incident is closed already.")
            return
        values = self._values()
        found_via = view.found_via.value if view else values.get("found_via", "")
        left = steps_left(self.step, found_via, view.remedied if view else None)
        message = f"Not ready to close: {NOT_DONE[self.step]}. Still to do: {', '.join(left)}."
        if self.step is Step.OFFICE_MANAGER and view is not None and view.open_tasks:
            message += f" Waiting for {', '.join(view.open_tasks)} to speak with the client."
        elif self.step is Step.LEADERSHIP:
            message += " Send the summary to the owners (ctrl+c copies it), then ctrl+s."
        empty = still_needed(self.step, values)
        if empty:
            show_errors(self, empty)
            message += " On this step, fill in the fields marked."
        self.notify(message, severity="warning", markup=False)

    def action_leave(self) -> None:
        self._keep(then_leave=True)

    def flush(self) -> None:
        """The app is closing: keep what was typed, on this thread."""
        problem = self._keep_now(self._values())
        if problem:
            self.notify(problem, severity="error", markup=False)

    # -- writing ----------------------------------------------------------------------------

    def _typed_anything(self, values: dict[str, str]) -> bool:
        """Whether the form holds something typed since it was shown (worth keeping)."""
        return any(v.strip() for v in values.values()) and values != self._shown

    def _keep(self, then_leave: bool) -> None:
        values = self._values()
        if not self._typed_anything(values) or self.step in (Step.LEADERSHIP, Step.CLOSE):
            self.dismiss(None)
            return
        self._keep_worker(values, then_leave, self._kept_hint())

    def _kept_hint(self) -> str:
        """Where to find a kept incident again, in keys that work on the screen beneath."""
        stack = self.app.screen_stack
        below = stack[-2] if len(stack) > 1 else None
        if isinstance(below, IncidentsBoard):
            return "Kept: it waits on this board; enter opens it again."
        if isinstance(below, ListScreen):
            return "Kept: g then i (the incidents board) finds it again."
        return "Kept: it waits on the incidents board (g then i, from a list)."

    @desk_work(group="incident-write", exclusive=True, holds_keys=True)
    def _keep_worker(self, values: dict[str, str], then_leave: bool, hint: str) -> None:
        app = app_of(self)
        problem = self._keep_now(values)
        if problem:
            app.call_from_thread(self.notify, problem, severity="error", markup=False)
        elif then_leave:
            app.call_from_thread(self.notify, hint)
            app.call_from_thread(self.dismiss, None)

    def _keep_now(self, values: dict[str, str]) -> str | None:
        """Keep the typed values on the incident; the problem, if that was refused."""
        if not self._typed_anything(values) or self.step in (Step.LEADERSHIP, Step.CLOSE):
            return None
        app = app_of(self)
        view = self.view
        try:
            app.desk.incidents.keep_draft(
                self.initials, view.id if view else None, view.version if view else None, values
            )
        except DeskError as exc:
            return str(exc)
        return None

    @desk_work(group="incident-write", exclusive=True, holds_keys=True)
    def _write(
        self, step: Step, values: dict[str, str], occurred_at: datetime | None = None
    ) -> None:
        app = app_of(self)
        desk = app.desk.incidents
        view = self.view
        try:
            if step is Step.WHAT_HAPPENED:
                patient = values.get("patient_id", "")
                made = desk.open(
                    self.initials,
                    IncidentStart(
                        found_via=values.get("found_via", ""),
                        what_happened=values.get("what_happened", ""),
                        note_kind=values.get("note_kind", ""),
                        occurred_at=occurred_at,
                        subject=values.get("subject", ""),
                        patient_id=int(patient) if patient else None,
                        staff_involved=values.get("staff_involved", ""),
                    ),
                    (view.id, view.version) if view else None,
                )
                incident_id = made.id
            else:
                assert view is not None
                incident_id = view.id
                if step is Step.OFFICE_MANAGER:
                    available = values.get("available", "")
                    if not available:
                        raise Invalid({"available": NEEDED["available"]})
                    remedied = values.get("remedied", "")
                    desk.office_manager(
                        self.initials,
                        view.id,
                        view.version,
                        available=available == "now",
                        office_manager=values.get("office_manager", ""),
                        conversation=values.get("conversation", ""),
                        remedied=None if not remedied else remedied == "yes",
                    )
                elif step is Step.ESCALATION:
                    desk.escalation(self.initials, view.id, view.version, values.get("outcome", ""))
                elif step is Step.LEADERSHIP:
                    desk.summary_sent(self.initials, view.id, view.version)
                elif step is Step.REVIEW:
                    desk.review_reply(
                        self.initials,
                        view.id,
                        view.version,
                        platform=values.get("platform", ""),
                        link=values.get("link", ""),
                        reply=values.get("reply", ""),
                        posted=values.get("posted") == "yes",
                    )
                elif step is Step.CLOSED:
                    desk.close(self.initials, view.id, view.version)
        except Invalid as exc:
            app.call_from_thread(show_errors, self, exc.problems)
            return
        # Any other refusal, or a database that cannot be written, leaves this worker as the
        # app's message (desk_work): the step stays as typed.
        app.call_from_thread(self._next, incident_id, self._saved(step, values))

    def _saved(self, step: Step, values: dict[str, str]) -> str | None:
        """What to tell the person when a save left the incident at the same step."""
        if step is Step.OFFICE_MANAGER and values.get("available") == "later":
            who = values.get("office_manager", "").strip().upper() or "the office manager"
            return (
                f"Task sent to {who}. The incident waits at step 2 until they have spoken"
                " with the client."
            )
        if step is Step.REVIEW and values.get("posted") != "yes":
            said = (
                "Reply saved, not posted yet. Once it is posted on the review site, tick"
                " “The reply is posted” and press ctrl+s to move on to closing."
            )
            if self.view is not None and check_reply(
                values.get("reply", ""),
                names=self.view.names,
                phones=self.view.phones,
                words=app_of(self).clinic.review_words,
            ):
                said += " It still tells the public too much: change it before posting."
            return said
        return None

    def _next(self, incident_id: int | None, said: str | None = None) -> None:
        """The step is saved: show the incident at its new step (and say so when it is
        still at the same one)."""
        assert incident_id is not None
        if said:
            self.notify(said, markup=False)
        self.app.switch_screen(IncidentScreen(incident_id, self.initials))


class IncidentsBoard(Inbox[IncidentView]):
    """Open incidents, oldest first: their step, who acts next, and how long it has been."""

    HEADING = "Incidents board"
    EMPTY = "No open incidents. i starts one from any screen."
    COLUMNS = ("Opened", "Open for", "Step", "Next", "About", "Found", "What happened")
    # Narrow: "Open for" says what "Opened" does; how it was found and who acts next are
    # in the incident.
    DROPPED_FIRST = ("Opened", "Found", "Next")
    WRAPPED = ("What happened", "About")
    ROW_ACTIONS = ("open",)

    BINDINGS = [
        Binding("enter", "open", "Open", id="open", priority=True, tooltip="Go on with it"),
    ]

    def fetch(self) -> list[IncidentView]:
        return incidents.incidents(app_of(self).database, open_only=True)

    def cells(self, row: IncidentView, previous: IncidentView | None) -> list[Text]:
        clinic = app_of(self).clinic
        return [
            Text(display.moment(clinic.calendar, row.created_at)),
            display.waiting(clinic.clock.now() - row.created_at),
            Text(row.step.label, style="bold"),
            Text(row.owner),
            display.literal(row.subject or "—"),
            Text(row.found_via.label),
            display.literal(text.first_line(row.what_happened) or "(not written yet)"),
        ]

    def counts(self, rows: list[IncidentView]) -> Text:
        return Text(f"{len(rows)} open")

    def action_open(self) -> None:
        row = self.current()
        if row is not None:
            self.app.push_screen(IncidentScreen(row.id, self.initials))
