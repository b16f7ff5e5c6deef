"""Who is at the desk: pick initials to work that person's queue."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from callback_tui.store.queries import StaffMember
from callback_tui.tui.screens.common import (
    FieldError,
    FormScreen,
    KeptScreen,
    load_staff,
    show_errors,
    steady_cursors,
)
from callback_tui.tui.widgets.footer import Footer

NOBODY = (
    "No staff yet. Add people first, for example:\n"
    '  callback-tui staff add AB "Alex Baker" --role assistant'
)


class WhoScreen(KeptScreen, FormScreen, ModalScreen[str | None]):
    """Type your initials (or pick from the list) and press enter."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, *, current: str | None = None) -> None:
        super().__init__(classes="modal")
        self.current = current
        self.staff: list[StaffMember] = []
        """The active staff: who may work at the desk."""
        self.deactivated: set[str] = set()
        self._read = False
        """The staff list has been read: typed initials can be checked against it."""
        self._listed: list[StaffMember] | None = None
        """The staff the list shows, kept from the last time the screen was open."""

    @property
    def ready_for_keys(self) -> bool:
        return self._read

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Who is at the desk?", classes="title", markup=False)
            yield Input(placeholder="Your initials, then enter", id="initials", max_length=4)
            yield FieldError("initials")
            yield OptionList(id="people")
            yield Static("", id="nobody", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        steady_cursors(self)
        self.query_one(Input).focus()
        load_staff(self, self._loaded)

    def reuse(self, *, current: str | None = None) -> None:
        """Empty, with the staff read again (the app keeps one: see app.push_kept)."""
        self.current = current
        self.staff, self._read = [], False
        field = self.query_one(Input)
        with field.prevent(Input.Changed):
            field.value = ""
        show_errors(self, {})
        people = self.query_one(OptionList)
        people.highlighted = None  # as when first opened
        people.scroll_home(animate=False)
        self.set_focus(field)
        load_staff(self, self._loaded)  # keys wait for it (ready_for_keys)

    def _loaded(self, staff: list[StaffMember]) -> None:
        self.deactivated = {m.initials for m in staff if not m.active}
        staff = [m for m in staff if m.active]  # a deactivated person signs in no more
        listed = self._listed
        self.staff, self._read, self._listed = staff, True, staff
        if staff == listed:
            return  # the list shown is this one: not built (and painted) again
        people = self.query_one(OptionList)
        people.clear_options()
        people.add_options(
            Option(
                Text.assemble((f"{m.initials:<5}", "bold"), m.name, (f"  {m.role.label}", "dim")),
                id=m.initials,
            )
            for m in staff
        )
        people.display = bool(staff)
        nobody = self.query_one("#nobody", Static)
        nobody.update("" if staff else NOBODY)
        nobody.display = not staff

    @on(Input.Submitted)
    def _typed(self, event: Input.Submitted) -> None:
        typed = event.value.strip().upper()
        known = {m.initials for m in self.staff}
        if typed in known:
            self.dismiss(typed)
        elif typed in self.deactivated:
            said = f"{typed} is deactivated: an office manager can activate them again."
            show_errors(self, {"initials": said})
        elif not typed and self.staff:
            self.query_one(OptionList).focus()
        else:
            listed = ", ".join(sorted(known)) or "none yet"
            show_errors(self, {"initials": f"Unknown initials {typed!r}. Known: {listed}."})

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
