"""A client's details: phones (labelled, one best), preferred time to call, consent, do-not-call.

Opened with `e` from the history and from the Log call dialog. Nothing is written until
ctrl+s; escape asks first when something was changed. Every phone is a row: the last row is
empty, for a new number (typing in it opens another); clearing a number removes it.
"""

from __future__ import annotations

from msgspec.structs import replace
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Select, Static

from callback_tui.domain import phones
from callback_tui.store import queries
from callback_tui.store.best_time_query import BestTime, best_time
from callback_tui.store.errors import Invalid, NotFound, StaleVersion
from callback_tui.store.queries import ClientView, QueueRow
from callback_tui.store.services import ClientDetails, PhoneEntry
from callback_tui.tui.screens.common import (
    FieldError,
    KeptScreen,
    app_of,
    leave_asking,
    show_errors,
    steady_cursors,
)
from callback_tui.tui.widgets.footer import Footer
from callback_tui.tui.workers import desk_work

SHOWN = {
    "phones": "phones",
    "preferred_window": "preferred time",
    "voicemail_ok": "voicemail",
    "text_ok": "texts",
    "do_not_call": "do-not-call",
    "do_not_call_reason": "do-not-call reason",
}
"""The details by what the person calls them, for a notice of what another desk changed."""


def with_client(row: QueueRow, view: ClientView) -> QueueRow:
    """A callback's row with its client's details as `view` has them (saved just now)."""
    if view.id != row.client_id:
        return row
    return replace(
        row,
        phone=view.phone,
        voicemail_ok=view.voicemail_ok,
        text_ok=view.text_ok,
        do_not_call=view.do_not_call,
    )


def phone_kind(field_id: str, label: str = phones.UNSAID, *, compact: bool = False) -> Select[str]:
    """The list of a phone's kinds (mobile, home, work, other), `label` chosen."""
    return Select(
        [(name, name) for name in phones.LABELS],
        value=label,
        allow_blank=False,
        compact=compact,
        id=field_id,
    )


class ClientLoaded(Message):
    def __init__(
        self, client_id: int, view: ClientView | None, best: BestTime | None = None
    ) -> None:
        super().__init__()
        self.client_id = client_id
        self.view = view
        self.best = best
        """The window the client's past calls reached them in most often, if they tell."""


class PhoneRow(Vertical):
    """One phone: its number, its kind, whether it is the best; and the row's errors."""

    def __init__(self, index: int, number: str = "", label: str = "", best: bool = False):
        super().__init__(classes="phone")
        self.index = index
        # Kept at hand: a query for each, each time the row is filled or read, would walk
        # the drop-down's own widgets too.
        self._number = Input(number, placeholder="new number", compact=True, id=f"phone-{index}")
        self._label = phone_kind(f"label-{index}", label or phones.UNSAID, compact=True)
        self._best = Checkbox("Best", best, compact=True, id=f"best-{index}")

    def compose(self) -> ComposeResult:
        with Horizontal(classes="phone-row"):
            yield self._number
            yield self._label
            yield self._best
        yield FieldError(f"phone-{self.index}")
        yield FieldError(f"label-{self.index}")

    def fill(self, number: str = "", label: str = "", best: bool = False) -> None:
        """Show this phone instead (an empty row by default), as a new row would."""
        with self.prevent(Input.Changed, Select.Changed, Checkbox.Changed):
            self._number.value = number
            self._label.value = label or phones.UNSAID
            self._best.value = best

    def entry(self) -> PhoneEntry:
        label = self._label.selection
        return PhoneEntry(
            number=self._number.value,
            label=str(label) if label is not None else phones.UNSAID,
            best=self._best.value,
        )


class ClientDetailsScreen(KeptScreen, ModalScreen[ClientView | None]):
    """Edit one client's details; dismissed with them as saved (None: cancelled).

    The app keeps one (app.push_kept): opened again, for this client or another, it is
    emptied and reads the client anew, as a new one does."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="save", priority=True),
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]
    # The first number takes the focus once read (keys wait until then). Given first to the
    # form's scrolling container, the focus would restyle the whole form as it comes and as
    # it goes: twice a tenth of a second.
    AUTO_FOCUS = ""  # (None would be the app's: the first focusable widget)

    def __init__(self, client_id: int, initials: str) -> None:
        super().__init__(classes="modal")
        self.client_id = client_id
        self.initials = initials
        self.view: ClientView | None = None
        self.version = 0
        """The client's version the entries stand on (another desk's save moves it on)."""
        self._rows = 0
        self._started = ClientDetails(phones=())
        """What the form held when it was filled in, to tell whether anything changed."""

    @property
    def loaded(self) -> bool:
        return self.view is not None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Client details", classes="title", id="title", markup=False)
            yield Static("", id="notice", markup=False)
            with VerticalScroll(id="form"):
                yield Static(
                    "Phones: the best is called and shown first; clear a number to remove it",
                    classes="label",
                    markup=False,
                )
                yield Vertical(id="phones")
                yield FieldError("phones")
                yield Static("Preferred time to call", classes="label", markup=False)
                yield Select[str]([], prompt="Any time", compact=True, id="window")
                yield Static("", id="best-time", markup=False)
                yield FieldError("window")
                with Horizontal(classes="checks", id="consent"):
                    yield Checkbox("Voicemail OK", id="voicemail")
                    yield Checkbox("Texts OK", id="texts")
                    yield Checkbox("Do not call", id="do-not-call")
                yield Input(
                    placeholder="Why not call? (as the client asked, in a few words)",
                    compact=True,
                    id="reason",
                )
                yield FieldError("reason")
        yield Footer()

    def on_mount(self) -> None:
        clinic = app_of(self).clinic
        self.query_one("#window", Select).set_options(
            (Text(f"{w.name} {w.span.start:%H:%M}-{w.span.end:%H:%M}"), w.name)
            for w in clinic.calendar.windows
        )
        self._load()

    def reuse(self, client_id: int, initials: str) -> None:
        """Empty, reading `client_id`'s details, as a new one starts."""
        self.client_id, self.initials = client_id, initials
        self.view, self.version, self._rows = None, 0, 0
        self.set_focus(None)  # not on to the form as the last client's number goes
        self._started = ClientDetails(phones=())
        show_errors(self, {})
        notice = self.query_one("#notice", Static)
        notice.update("")
        notice.set_class(False, "-shown")
        self.query_one("#title", Static).update("Client details")
        for row in self.query(PhoneRow):  # none of the last client's numbers, even a moment
            row.fill()
        self.query_one("#window", Select).clear()
        best = self.query_one("#best-time", Static)
        best.update("")
        best.remove_class("-shown")
        with self.prevent(Checkbox.Changed, Input.Changed):
            for box in ("#voicemail", "#texts", "#do-not-call"):
                self.query_one(box, Checkbox).value = False
            self.query_one("#reason", Input).value = ""
        self.remove_class("-do-not-call")
        self._load()

    @desk_work(group="client-details", exclusive=True)
    def _load(self) -> None:
        app = app_of(self)
        client_id = self.client_id
        view = queries.client_details(app.database, client_id)
        best = best_time(app.database, client_id, app.clinic.calendar) if view else None
        self.post_message(ClientLoaded(client_id, view, best))

    @on(ClientLoaded)
    async def _show(self, message: ClientLoaded) -> None:
        if message.client_id != self.client_id:
            return  # read for the client this dialog was opened for before
        view = message.view
        if view is None:
            self.notify("That client no longer exists.", severity="error")
            self.dismiss(None)
            return
        region = app_of(self).clinic.settings.phone_region
        title = Text("Client details · ", style="bold")
        title.append(view.name, style="bold")
        self.query_one("#title", Static).update(title)
        wanted = [(phones.display(p.number, region), p.label, p.best) for p in view.phones]
        wanted.append(("", "", False))  # an empty row for a new number
        # The rows there are (the dialog is kept) show these phones; more are added, or the
        # ones left over removed: mounting a row costs what filling twenty does.
        rows = list(self.query(PhoneRow))
        for row, phone in zip(rows, wanted, strict=False):
            row.fill(*phone)
        box = self.query_one("#phones")
        if len(rows) > len(wanted):
            await box.remove_children(rows[len(wanted) :])
        elif len(rows) < len(wanted):
            await box.mount_all(PhoneRow(i, *wanted[i]) for i in range(len(rows), len(wanted)))
        self._rows = len(wanted)
        window = self.query_one("#window", Select)
        known = {w.name for w in app_of(self).clinic.calendar.windows}
        if view.preferred_window in known:
            window.value = view.preferred_window
        if message.best is not None:
            best = self.query_one("#best-time", Static)
            best.update(f"Best time by past calls: {message.best.words}")
            best.add_class("-shown")
        self.query_one("#voicemail", Checkbox).value = view.voicemail_ok
        self.query_one("#texts", Checkbox).value = view.text_ok
        self.query_one("#do-not-call", Checkbox).value = view.do_not_call
        self.query_one("#reason", Input).value = view.do_not_call_reason or ""
        self.set_class(view.do_not_call, "-do-not-call")
        steady_cursors(self)
        self.view, self.version = view, view.version
        self._started = self._entered()
        self.query_one("#phone-0", Input).focus()

    # -- the form as entered ------------------------------------------------------------------

    def _entered(self) -> ClientDetails:
        window = self.query_one("#window", Select).selection
        return ClientDetails(
            phones=tuple(row.entry() for row in self.query(PhoneRow)),
            preferred_window=str(window) if window is not None else None,
            voicemail_ok=self.query_one("#voicemail", Checkbox).value,
            text_ok=self.query_one("#texts", Checkbox).value,
            do_not_call=self.query_one("#do-not-call", Checkbox).value,
            do_not_call_reason=self.query_one("#reason", Input).value,
        )

    def _changed(self) -> bool:
        """Whether anything differs from what was loaded (empty rows are no phones)."""
        if self.view is None:
            return False

        def kept(details: ClientDetails) -> ClientDetails:
            listed = tuple(p for p in details.phones if p.number.strip())
            reason = details.do_not_call_reason.strip() if details.do_not_call else ""
            return ClientDetails(
                phones=tuple(PhoneEntry(p.number.strip(), p.label, p.best) for p in listed),
                preferred_window=details.preferred_window,
                voicemail_ok=details.voicemail_ok,
                text_ok=details.text_ok,
                do_not_call=details.do_not_call,
                do_not_call_reason=reason,
            )

        return kept(self._entered()) != kept(self._started)

    @on(Input.Changed)
    async def _typed(self, event: Input.Changed) -> None:
        """Typing in the empty last row opens another below it."""
        if event.input.id == f"phone-{self._rows - 1}" and event.value.strip():
            row = PhoneRow(self._rows)
            self._rows += 1
            await self.query_one("#phones").mount(row)

    @on(Checkbox.Changed)
    def _ticked(self, event: Checkbox.Changed) -> None:
        box = event.checkbox
        if box.id == "do-not-call":
            self.set_class(box.value, "-do-not-call")
        elif (box.id or "").startswith("best-") and box.value:
            for other in self.query(".phone Checkbox").results(Checkbox):
                if other is not box and other.value:
                    with other.prevent(Checkbox.Changed):
                        other.value = False

    # -- saving -----------------------------------------------------------------------------

    def action_save(self) -> None:
        if self.view is None:
            return
        self._save(self.version, self._entered())

    @desk_work(group="write", exclusive=True, holds_keys=True)
    def _save(self, version: int, details: ClientDetails) -> None:
        app = app_of(self)
        try:
            saved = app.desk.clients.save_details(self.initials, self.client_id, version, details)
        except Invalid as exc:
            app.call_from_thread(show_errors, self, exc.problems)
        except (StaleVersion, NotFound) as exc:
            fresh = queries.client_details(app.database, self.client_id)
            app.call_from_thread(self._overtaken, str(exc), fresh)
        else:
            view = queries.client_details(app.database, self.client_id)

            def close() -> None:
                if saved.changed:
                    self.notify("Client details saved.")
                    app.tell_screens_data_changed()
                self.dismiss(view)

            app.call_from_thread(close)

    def _overtaken(self, refusal: str, fresh: ClientView | None) -> None:
        """Another desk saved first: keep what was typed, say what they changed."""
        show_errors(self, {})
        notice = self.query_one("#notice", Static)
        notice.set_class(True, "-shown")
        if fresh is None:
            notice.update(f"Not saved: {refusal}. That client no longer exists.")
            return
        before, self.view, self.version = self.view, fresh, fresh.version
        changed = [
            words
            for field, words in SHOWN.items()
            if getattr(before, field) != getattr(fresh, field)
        ]
        they = f": they changed {', '.join(changed)}" if changed else ""
        notice.update(
            f"Not saved: {refusal}{they}. Your entries are kept: ctrl+s saves them over the"
            " details as they are now, escape discards them."
        )

    def action_cancel(self) -> None:
        leave_asking(
            self,
            self._changed(),
            "Discard your changes?",
            "The client's details stay as they were.",
        )
