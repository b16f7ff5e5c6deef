"""Who is at the desk, with a PIN: the sign-in screen, the lock screen and the privacy blank.

These are the screens of the app's "door" (app.DOOR), a mode of its own that covers every
person's screens: nothing of theirs shows while someone signs in, nor while the desk is
locked. None of them reads or shows patient data (the staff list is not patient data).

The PIN is checked in a thread worker through the service layer (`app.desk`): a check
takes 50 to 100 ms by design, and loads the write side (the ORM, argon2), which the start
path must not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from callback_tui.domain.pins import DEMO_PIN, PIN_MAX, PIN_MIN
from callback_tui.store.errors import DeskError, Invalid, PinNotSet
from callback_tui.store.queries import StaffMember
from callback_tui.tui.screens.common import (
    FieldError,
    FormScreen,
    app_of,
    load_staff,
    show_errors,
    steady_cursors,
)
from callback_tui.tui.widgets.footer import Footer
from callback_tui.tui.workers import desk_work

if TYPE_CHECKING:
    from callback_tui.store.staff_desk import SignedIn

NOBODY = (
    "No staff yet. Add people first, for example:\n"
    '  callback-tui staff add OM "Olive Marsh" --role office_manager'
)
SHORT_PIN = f"A PIN is {PIN_MIN} to {PIN_MAX} digits."
DIFFERENT = "The two PINs differ: type the new PIN again, twice."


class Secret:
    """A typed PIN on its way to the check. Its repr, which worker descriptions, logs and
    tracebacks show, hides it."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "<PIN>"


class CheckFailed(RuntimeError):
    """A PIN check that failed for a reason the desk cannot act on (a bug): raised in place
    of the real error so that the traceback, which shows each frame's values, never shows
    the PIN."""


class PinField(Input):
    """A PIN's digits, never shown. A letter typed here starts someone's initials: at the
    lock screen, another person just types theirs."""

    class Letter(Message):
        def __init__(self, letter: str) -> None:
            super().__init__()
            self.letter = letter

    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable and event.character and event.character.isalpha():
            event.stop()
            event.prevent_default()
            self.post_message(self.Letter(event.character))
            return
        await super()._on_key(event)


class Curtain(Screen[None]):
    """The door's empty base: what lies under the sign-in, lock and privacy screens."""


class PrivacyScreen(Screen[None]):
    """The privacy key's blank: nothing on it at all. The app takes the next key or click
    (CallbackApp.on_event): within `privacy_seconds` it brings the screens back, after that
    it asks the PIN."""


class SignInScreen(FormScreen, Screen[None]):
    """Initials (typed, or picked from the list) then the PIN; a person without a PIN
    chooses one, typing it twice.

    `initials` preselects a person (`--initials AB`): the PIN field has the focus.
    `locked` makes it the lock screen (see LockScreen).
    """

    BINDINGS = [
        Binding("escape", "start_over", "Start over", id="start_over", tooltip="Empty the fields"),
    ]

    def __init__(self, *, initials: str | None = None, locked: str | None = None) -> None:
        super().__init__()
        self.preset = initials.upper() if initials else None
        self.locked = locked
        self.staff: dict[str, StaffMember] = {}
        self._read = False
        """The staff list has been read: typed initials can be checked against it."""
        self.who: str | None = locked
        """Whose PIN the PIN field takes (None until the initials are known)."""
        self.choosing = False
        """`who` has no PIN yet: the one typed (twice) becomes theirs."""
        self.checking = False
        """A check is under way in a worker: enter waits for its answer."""

    @property
    def loaded(self) -> bool:
        return self._read

    @property
    def ready_for_keys(self) -> bool:
        return self._read

    # -- building -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        app = app_of(self)
        with Horizontal(id="topbar"):
            yield Static(f"callback-tui · {app.clinic.settings.clinic_name}", classes="who")
        with Vertical(id="door"):
            yield Static(self.heading(), classes="title", id="heading", markup=False)
            if self.locked is None:
                yield from self._initials_row("Initials", "Your initials, then enter")
            yield from self._pin_rows()
            if self.locked is not None:
                yield Static("or another person's initials", classes="label", markup=False)
                yield from self._initials_row("Initials", "yours, then enter")
            yield Static("", id="hint", markup=False)
            if app.demo:
                yield Static(f"Demo clinic: every PIN is {DEMO_PIN}.", id="demo-pin", markup=False)
            if self.locked is None:
                yield OptionList(id="people")
                yield Static("", id="nobody", markup=False)
        yield Footer()

    def heading(self) -> str:
        if self.locked is not None:
            return f"Locked — signed in: {self.locked}"
        return "Who is at the desk? Sign in"

    def _initials_row(self, label: str, placeholder: str) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Static(label, classes="field-label", markup=False)
            yield Input(
                placeholder=placeholder,
                id="initials",
                max_length=4,
                compact=True,
                select_on_focus=False,  # a letter typed in a PIN field goes on after itself
            )
        yield FieldError("initials")

    def _pin_rows(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Static(self._pin_label(), classes="field-label", id="pin-label", markup=False)
            yield self._pin_field("pin", f"{PIN_MIN} to {PIN_MAX} digits, then enter")
        yield FieldError("pin")
        with Horizontal(classes="row", id="again-row"):
            yield Static("Again", classes="field-label", markup=False)
            yield self._pin_field("again", "the same PIN, then enter")
        yield FieldError("again")

    @staticmethod
    def _pin_field(field_id: str, placeholder: str) -> PinField:
        return PinField(
            placeholder=placeholder,
            id=field_id,
            password=True,
            restrict=r"[0-9]*",
            max_length=PIN_MAX,
            compact=True,
        )

    def _pin_label(self) -> str:
        return f"{self.who}'s PIN" if self.who else "PIN"

    def on_mount(self) -> None:
        steady_cursors(self)
        self.query_one("#again-row").display = False
        self.query_one("#hint").display = False
        self._focus_first()
        load_staff(self, self._loaded)

    def _loaded(self, staff: list[StaffMember]) -> None:
        self.staff = {member.initials: member for member in staff}
        if self.locked is None:
            active = [member for member in staff if member.active]
            people = self.query_one(OptionList)
            people.clear_options()
            people.add_options(
                Option(
                    Text.assemble(
                        (f"{m.initials:<5}", "bold"),
                        m.name,
                        (f"  {m.role.label}", "dim"),
                    ),
                    id=m.initials,
                )
                for m in active
            )
            people.display = bool(active)
            nobody = self.query_one("#nobody", Static)
            nobody.update("" if active else NOBODY)
            nobody.display = not active
        if self.preset and self.who is None:
            field = self.query_one("#initials", Input)
            with field.prevent(Input.Changed):
                field.value = self.preset
            self._take_initials(self.preset)
        elif self.who is not None and self.who in self.staff:
            self._for(self.staff[self.who])
        self._read = True

    def _focus_first(self) -> None:
        self.query_one("#pin" if self.who else "#initials", Input).focus()

    # -- typing ---------------------------------------------------------------------------

    def still_wrong(self, field: str) -> bool:
        # The PIN's error (wrong, locked out) stays while the next one is typed: it says
        # how many tries are left. It goes with the next check.
        return field in ("pin", "again")

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        app_of(self).prepare_desk()  # the check will need the write side: load it now
        if event.input.id != "initials":
            return
        if event.value != event.value.upper():  # initials are capitals, however typed
            with event.input.prevent(Input.Changed):
                event.input.value = event.value.upper()
        wanted = event.value.strip().upper() or self.locked
        if wanted != self.who:  # other initials: the PIN field is theirs once they are known
            member = self.staff.get(wanted) if wanted else None
            self._for(member if member is not None and member.active else None)

    @on(PinField.Letter)
    def _letter(self, event: PinField.Letter) -> None:
        """A letter in a PIN field: someone's initials begin (theirs, at the lock screen)."""
        field = self.query_one("#initials", Input)
        field.value = event.letter.upper()
        field.cursor_position = len(field.value)
        field.focus()

    @on(Input.Submitted, "#initials")
    def _initials_given(self, event: Input.Submitted) -> None:
        event.stop()
        self._take_initials(event.value)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        initials = event.option.id or ""
        field = self.query_one("#initials", Input)
        with field.prevent(Input.Changed):
            field.value = initials
        self._take_initials(initials)

    def _take_initials(self, typed: str) -> None:
        typed = typed.strip().upper()
        if not typed:
            if self.locked is not None:
                self._for(self.staff.get(self.locked))
            elif self.staff:
                self.query_one(OptionList).focus()
            return
        member = self.staff.get(typed)
        if member is None:
            known = ", ".join(sorted(m.initials for m in self.staff.values() if m.active))
            said = f"Unknown initials {typed!r}. Known: {known or 'none yet'}."
            show_errors(self, {"initials": said})
            return
        if not member.active:
            show_errors(
                self,
                {"initials": f"{typed} is deactivated: an office manager can activate them again."},
            )
            return
        show_errors(self, {})
        self._for(member)
        self.query_one("#pin", Input).focus()

    def _for(self, member: StaffMember | None) -> None:
        """The PIN field is now for `member` (None: not known yet)."""
        self.who = member.initials if member is not None else None
        self.choosing = member is not None and not member.has_pin
        self._empty_pins()
        self.query_one("#pin-label", Static).update(self._pin_label())
        self._show_choosing()

    def _show_choosing(self) -> None:
        self.query_one("#again-row").display = self.choosing
        hint = self.query_one("#hint", Static)
        hint.update(
            f"{self.who} has no PIN yet: choose one ({PIN_MIN} to {PIN_MAX} digits) and type it"
            " twice. Keep it to yourself."
            if self.choosing
            else ""
        )
        hint.display = self.choosing

    def _empty_pins(self) -> None:
        for field in self.query("#pin, #again").results(Input):
            with field.prevent(Input.Changed):
                field.value = ""

    @on(Input.Submitted, "#pin")
    def _pin_given(self, event: Input.Submitted) -> None:
        event.stop()
        if self.checking:
            return
        if self.who is None:  # initials not known (yet): say what is wrong with them
            self._take_initials(self.query_one("#initials", Input).value)
            return
        if len(event.value) < PIN_MIN:
            show_errors(self, {"pin": SHORT_PIN})
            return
        if self.choosing:
            self.query_one("#again", Input).focus()
            return
        self._start_check(first=False)

    @on(Input.Submitted, "#again")
    def _again_given(self, event: Input.Submitted) -> None:
        event.stop()
        if self.checking or self.who is None:
            return
        pin, again = self.query_one("#pin", Input).value, event.value
        if len(pin) < PIN_MIN:
            show_errors(self, {"pin": SHORT_PIN})
            return
        if pin != again:
            self._empty_pins()
            show_errors(self, {"pin": DIFFERENT})
            return
        self._start_check(first=True)

    def _start_check(self, *, first: bool) -> None:
        assert self.who is not None
        self.checking = True
        self._check(self.who, Secret(self.query_one("#pin", Input).value), first)

    # -- the check, off the UI thread ------------------------------------------------------

    @desk_work(group="sign-in", exclusive=True, holds_keys=True)
    def _check(self, initials: str, pin: Secret, first: bool) -> None:
        app = app_of(self)
        try:
            staff = app.desk.staff
            if first:
                signed = staff.first_pin(initials, pin.value)
            elif initials == self.locked:
                signed = staff.unlock(initials, pin.value)
            else:
                signed = staff.sign_in(initials, pin.value)
        except PinNotSet:
            app.call_from_thread(self._must_choose, initials)
        except Invalid as error:
            app.call_from_thread(self._refused, dict(error.problems))
        except DeskError as error:  # a wrong PIN, a lockout, a busy file: under the field
            app.call_from_thread(self._refused, {"pin": str(error)})
        except Exception as error:
            raise CheckFailed(f"the PIN check failed ({type(error).__name__})") from None
        else:
            app.call_from_thread(self._signed_in, signed)

    def _signed_in(self, signed: SignedIn) -> None:
        self.checking = False
        self._clear()
        app_of(self).enter(signed)

    def _refused(self, problems: dict[str, str]) -> None:
        self.checking = False
        self._empty_pins()
        shown: dict[str, str] = {f: problems[f] for f in ("initials", "pin") if f in problems}
        if not shown:  # a problem with the PIN's own rules (first_pin): under the PIN
            shown = {"pin": "; ".join(problems.values())}
        show_errors(self, shown)
        if "pin" in shown:
            self.query_one("#pin", Input).focus()

    def _must_choose(self, initials: str) -> None:
        """The person's PIN was reset (here or at another desk): they choose one now."""
        self.checking = False
        self._empty_pins()
        self.who, self.choosing = initials, True
        self._show_choosing()
        show_errors(self, {})
        self.query_one("#pin", Input).focus()

    # -- keys -----------------------------------------------------------------------------

    def action_start_over(self) -> None:
        self._clear()
        self._focus_first()

    def _clear(self) -> None:
        """Empty, as when it opened (the lock screen: for the person who is locked out)."""
        field = self.query_one("#initials", Input)
        with field.prevent(Input.Changed):
            field.value = ""
        show_errors(self, {})
        self._for(self.staff.get(self.locked) if self.locked else None)

    def idle(self) -> None:
        """Nobody has touched the desk for a while: a PIN typed and left goes."""
        self._empty_pins()


class LockScreen(SignInScreen):
    """The desk was left (idle, or the privacy key's time ran out): "Locked — signed in:
    AB", AB's PIN, or another person's initials (then their PIN)."""

    def __init__(self, initials: str) -> None:
        super().__init__(locked=initials)
