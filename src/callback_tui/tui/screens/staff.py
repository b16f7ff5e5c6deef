"""The staff screen (`g s`): who works here, in what role, whether they may sign in.

An office manager or the owner adds people, renames them, changes a role, deactivates or
activates them and resets a PIN (the person chooses a new one at their next sign-in).
Anyone else sees the list read-only: the keys dimmed, and a line saying who may change it.
The service layer refuses what the role rules forbid whatever the screen shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, RadioButton, RadioSet, Static

from callback_tui.domain import access
from callback_tui.domain.access import Act
from callback_tui.domain.vocab import Role
from callback_tui.store import queries
from callback_tui.store.errors import Invalid, NotAllowed
from callback_tui.store.queries import StaffMember
from callback_tui.tui.screens.common import (
    GO_TIP,
    FieldError,
    FormScreen,
    ListScreen,
    app_of,
    show_errors,
    steady_cursors,
)
from callback_tui.tui.widgets.confirm import Confirm
from callback_tui.tui.widgets.footer import Footer
from callback_tui.tui.widgets.table import Table
from callback_tui.tui.workers import desk_work

CHANGES = ("add", "rename", "role", "deactivate", "activate", "reset_pin")
"""The screen's keys that change staff: for an office manager or the owner."""
ROW_CHANGES = ("rename", "role", "deactivate", "activate", "reset_pin")
"""Those that change the highlighted person (dimmed while there is none)."""


class StaffLoaded(Message):
    def __init__(self, staff: list[StaffMember]) -> None:
        super().__init__()
        self.staff = staff


class StaffScreen(ListScreen):
    """Everyone on the staff list, deactivated people last."""

    COLUMNS = ("Initials", "Name", "Role", "Active", "PIN")
    WRAPPED = ("Name",)

    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("a", "add", "Add", id="add", tooltip="Add a person"),
        Binding("r", "rename", "Rename", id="rename", tooltip="Correct the name"),
        Binding("o", "role", "Role", id="role", tooltip="Change the role"),
        # One key, two meanings: check_action leaves the one for the highlighted person.
        Binding("d", "deactivate", "Deactivate", id="active", tooltip="They can no longer sign in"),
        Binding("d", "activate", "Activate", id="active", tooltip="They may sign in again"),
        Binding("p", "reset_pin", "Reset PIN", id="reset_pin", tooltip="A new PIN at next sign-in"),
        # The same keys when the person may not change staff: they say who may.
        Binding("a,r,o,d,p", "refused", show=False, id="refused"),
        Binding("g", "go", "Go to", id="go", tooltip=GO_TIP),
    ]

    def __init__(self, initials: str) -> None:
        super().__init__()
        self.initials = initials
        self.staff: list[StaffMember] | None = None
        self._by_key: dict[str, StaffMember] = {}

    @property
    def loaded(self) -> bool:
        return self.staff is not None

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static("Staff", classes="who", markup=False)
            yield Static("", classes="counts", id="counts", markup=False)
        yield Static("", id="may", markup=False)
        yield Table(cursor_type="row", zebra_stripes=True)
        yield Footer()

    def reuse(self, initials: str) -> None:
        """Read anew (the app keeps one per person: see app.push_kept)."""
        self.initials = initials
        self.reload()

    def reload(self) -> None:
        self._load()

    @desk_work(group="staff-list", exclusive=True)
    def _load(self) -> None:
        self.post_message(StaffLoaded(queries.staff(app_of(self).database)))

    @on(StaffLoaded)
    def _show(self, message: StaffLoaded) -> None:
        staff = sorted(message.staff, key=lambda m: (not m.active, m.initials))
        self.staff = staff
        self._by_key = {m.initials: m for m in staff}
        self.show_rows(
            {
                m.initials: (
                    Text(m.initials, style="bold" if m.active else "dim"),
                    Text(m.name, style="" if m.active else "dim"),
                    Text(m.role.label),
                    Text("yes") if m.active else Text("no", style="yellow"),
                    Text("set") if m.has_pin else Text("not yet", style="yellow"),
                )
                for m in staff
            }
        )
        active = sum(1 for m in staff if m.active)
        counts = f"{active} active"
        if len(staff) > active:
            counts += f" · {len(staff) - active} deactivated"
        self.query_one("#counts", Static).update(counts)
        may = self.query_one("#may", Static)
        refusal = self.refusal()
        may.update(f"{refusal} Your keys here are dimmed." if refusal else "")
        may.display = refusal is not None
        self.filled()
        self.refresh_bindings()

    # -- who may --------------------------------------------------------------------------

    def refusal(self) -> str | None:
        """Why the person at the desk may not change staff; None when they may."""
        me = self._by_key.get(self.initials)
        role = me.role if me is not None and me.active else None
        return access.refusal(Act.MANAGE_STAFF, role)

    def current(self) -> StaffMember | None:
        return self._by_key.get(self.current_key() or "")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in CHANGES:
            member = self.current()
            inactive = member is not None and not member.active
            if action in ("deactivate", "activate") and inactive != (action == "activate"):
                return False  # the other meaning of `d` is the one shown
            if not self.loaded or self.refusal() is not None:
                return None  # shown dimmed; the key says who may (action_refused)
            if action in ROW_CHANGES and member is None:
                return None
            return True
        if action == "refused":
            return self.loaded and self.refusal() is not None
        return True

    def action_refused(self) -> None:
        said = self.refusal()
        if said is not None:
            self.notify(said, severity="warning", markup=False)

    # -- changes --------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss(None)

    def action_add(self) -> None:
        self.app.push_screen(StaffForm(self.initials, None), self._changed_by_form)

    def action_rename(self) -> None:
        member = self.current()
        if member is not None:
            self.app.push_screen(StaffForm(self.initials, member, "name"), self._changed_by_form)

    def action_role(self) -> None:
        member = self.current()
        if member is not None:
            self.app.push_screen(StaffForm(self.initials, member, "role"), self._changed_by_form)

    def _changed_by_form(self, said: str | None) -> None:
        if said:
            self.notify(said, markup=False)
            self.reload()

    def action_deactivate(self) -> None:
        self._ask_active()

    def action_activate(self) -> None:
        self._ask_active()

    def _ask_active(self) -> None:
        member = self.current()
        if member is None:
            return
        if member.active:
            question = Confirm(
                f"Deactivate {member.initials} ({member.name})?",
                "They can no longer sign in. Their initials and history stay, and the"
                " initials are never given to anyone else.",
            )
        else:
            question = Confirm(
                f"Activate {member.initials} ({member.name}) again?",
                "They can sign in again, with the PIN they had.",
            )

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(member.initials, "activate" if not member.active else "deactivate")

        self.app.push_screen(question, answered)

    def action_reset_pin(self) -> None:
        member = self.current()
        if member is None:
            return
        question = Confirm(
            f"Reset {member.initials}'s PIN?",
            f"{member.initials} chooses a new PIN at their next sign-in. Until then anyone"
            " who types their initials there may choose it: tell them now.",
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(member.initials, "reset_pin")

        self.app.push_screen(question, answered)

    @desk_work(group="write")
    def _write(self, initials: str, change: str) -> None:
        app = app_of(self)
        staff = app.desk.staff
        if change == "deactivate":
            staff.deactivate(self.initials, initials)
            said = f"{initials} is deactivated: they can no longer sign in."
        elif change == "activate":
            staff.activate(self.initials, initials)
            said = f"{initials} is active again."
        else:
            staff.reset_pin(self.initials, initials)
            said = f"{initials}'s PIN is reset: they choose a new one at their next sign-in."
        app.call_from_thread(self._changed_by_form, said)


@dataclass(frozen=True)
class _Fields:
    initials: bool
    name: bool
    role: bool


class StaffForm(FormScreen, ModalScreen[str | None]):
    """Add a person (`member` None), or change one's name or role (`change`)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="save", priority=True),
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    def __init__(self, actor: str, member: StaffMember | None, change: str = "") -> None:
        super().__init__(classes="modal")
        self.actor = actor
        self.member = member
        self.fields = _Fields(
            initials=member is None,
            name=member is None or change == "name",
            role=member is None or change == "role",
        )

    def heading(self) -> str:
        member = self.member
        if member is None:
            return "Add a person (they choose their PIN at their first sign-in)"
        if self.fields.name:
            return f"Rename {member.initials} ({member.name})"
        return f"Change {member.initials}'s role ({member.name})"

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.heading(), classes="title", markup=False)
            if self.fields.initials:
                yield Static("Initials (2 to 4 letters, never reused)", classes="label")
                yield Input(placeholder="AB", id="initials", max_length=4, compact=True)
                yield FieldError("initials")
            if self.fields.name:
                yield Static("Name", classes="label", markup=False)
                yield Input(self.member.name if self.member else "", id="name", compact=True)
                yield FieldError("name")
            if self.fields.role:
                yield Static("Role", classes="label", markup=False)
                with RadioSet(id="role", compact=True):
                    for role in Role:
                        yield RadioButton(
                            role.label,
                            value=self.member is not None and self.member.role is role,
                            id=f"role-{role.value}",
                        )
                yield FieldError("role")
            yield FieldError("refused")
        yield Footer()

    def on_mount(self) -> None:
        steady_cursors(self)
        self.query("Input, RadioSet").first().focus()

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def _role(self) -> str:
        pressed = self.query_one(RadioSet).pressed_button if self.fields.role else None
        return (pressed.id or "").removeprefix("role-") if pressed else ""

    def action_save(self) -> None:
        values = {
            "initials": self.query_one("#initials", Input).value if self.fields.initials else "",
            "name": self.query_one("#name", Input).value if self.fields.name else "",
            "role": self._role(),
        }
        if self.fields.role and not values["role"]:
            show_errors(self, {"role": "pick a role"})
            return
        self._save(values)

    @desk_work(group="write", holds_keys=True)
    def _save(self, values: dict[str, str]) -> None:
        app = app_of(self)
        staff = app.desk.staff
        member = self.member
        try:
            if member is None:
                added = staff.add(self.actor, values["initials"], values["name"], values["role"])
                said = f"Added {added.initials} {added.name} ({Role(added.role).label})."
            elif self.fields.name:
                staff.rename(self.actor, member.initials, values["name"])
                said = f"{member.initials} is now {values['name'].strip()}."
            else:
                staff.set_role(self.actor, member.initials, values["role"])
                said = f"{member.initials} is now {Role(values['role']).label}."
        except Invalid as error:
            app.call_from_thread(show_errors, self, self._placed(error.problems))
        except NotAllowed as error:
            app.call_from_thread(show_errors, self, {"refused": str(error)})
        else:
            app.call_from_thread(self.dismiss, said)

    def _placed(self, problems: dict[str, str]) -> dict[str, str]:
        """Each problem under its field; one about a field not on this form, at the end."""
        shown = {f: p for f, p in problems.items() if getattr(self.fields, f, False)}
        others = [p for f, p in problems.items() if f not in shown]
        if others:
            shown["refused"] = "; ".join(others)
        return shown

    def action_cancel(self) -> None:
        self.dismiss(None)
