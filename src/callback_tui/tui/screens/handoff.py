"""The shift hand-off (`g o`): per person and per pool, what is open, overdue, unreached
today, unsigned and waiting; `r` puts the highlighted person's unworked callbacks back into
their pools for the next shift.

The person at the desk may release their own; an office manager or the owner, anyone's.
Otherwise `r` is dimmed with a line saying why, as it is on a pool's row. The service layer
refuses what the role rules forbid whatever the screen shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Static

from callback_tui.domain import access
from callback_tui.domain.access import Act
from callback_tui.domain.handoff import UNWORKED, pools_said
from callback_tui.domain.text import counted
from callback_tui.store.handoff import Handoff, HandoffLine, handoff
from callback_tui.store.queries import StaffMember, staff_member
from callback_tui.tui.screens.common import GO_TIP, ListScreen, app_of
from callback_tui.tui.widgets.confirm import Confirm
from callback_tui.tui.widgets.footer import Footer
from callback_tui.tui.widgets.table import Table
from callback_tui.tui.workers import desk_work

if TYPE_CHECKING:
    from callback_tui.store.services import Released


class HandoffLoaded(Message):
    def __init__(self, found: Handoff, me: StaffMember | None) -> None:
        super().__init__()
        self.found = found
        self.me = me


class HandoffScreen(ListScreen):
    """One row per person with anything open or waiting, then one per pool; mine first."""

    COLUMNS = (
        "Who", "Name", "Open", "Overdue", "Unreached today", "Drafts", "Tasks", "To release",
    )  # fmt: skip
    DROPPED_FIRST = ("Name",)
    WRAPPED = ("Name",)

    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("r", "release", "Release", id="release", tooltip="Put unworked calls back"),
        # The same key where it may not be used: it says why.
        Binding("r", "refused", show=False, id="refused"),
        Binding("g", "go", "Go to", id="go", tooltip=GO_TIP),
    ]

    def __init__(self, initials: str) -> None:
        super().__init__()
        self.initials = initials
        self.found: Handoff | None = None
        self.me: StaffMember | None = None
        self._by_key: dict[str, HandoffLine] = {}

    @property
    def loaded(self) -> bool:
        return self.found is not None

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static("Shift hand-off", classes="who", markup=False)
            yield Static("", classes="counts", id="counts", markup=False)
        yield Table(cursor_type="row", zebra_stripes=True)
        yield Static("", id="may", markup=False)
        yield Footer()

    def reuse(self, initials: str) -> None:
        """Read anew (the app keeps one per person: see app.push_kept)."""
        self.initials = initials
        self.reload()

    def reload(self) -> None:
        self._load()

    @desk_work(group="handoff", exclusive=True)
    def _load(self) -> None:
        app = app_of(self)
        clinic = app.clinic
        found = handoff(
            app.database,
            now=clinic.clock.now(),
            calendar=clinic.calendar,
            pools=clinic.pools,
        )
        self.post_message(HandoffLoaded(found, staff_member(app.database, self.initials)))

    @on(HandoffLoaded)
    def _show(self, message: HandoffLoaded) -> None:
        self.found, self.me = message.found, message.me
        lines = sorted(message.found.lines, key=lambda line: line.who != self.initials)
        if message.found.line(self.initials) is None:
            lines.insert(0, _nothing(self.initials, self.me))
        self._by_key = {line.who: line for line in lines}
        self.show_rows({line.who: _cells(line, line.who == self.initials) for line in lines})
        people = [line for line in lines if not line.is_pool]
        waiting = sum(line.releasable for line in people)
        self.query_one("#counts", Static).update(
            f"{counted(len(people), 'person', 'people')} · {waiting} to release"
        )
        self.filled()
        self._said()
        self.refresh_bindings()

    # -- who may --------------------------------------------------------------------------

    def current(self) -> HandoffLine | None:
        return self._by_key.get(self.current_key() or "")

    def refusal(self) -> str | None:
        """Why `r` does nothing on the highlighted row; None when it releases."""
        line = self.current()
        if line is None:
            return None
        if line.is_pool:
            return f"The {line.who} pool's callbacks are nobody's to release."
        me = self.me
        role = me.role if me is not None and me.active else None
        said = access.refusal(Act.RELEASE_ITEMS, role, own=line.who == self.initials)
        if said is not None:
            return said
        if line.releasable == 0:
            if line.kept:
                return f"Nothing of {line.who}'s to release: {line.kept_why}."
            return f"Nothing of {line.who}'s to release ({UNWORKED})."
        return None

    @on(DataTable.RowHighlighted)
    def _said(self) -> None:
        may = self.query_one("#may", Static)
        said = self.refusal() if self.loaded else None
        may.update(said or "")
        may.display = said is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "release":
            if not self.loaded or self.current() is None or self.refusal() is not None:
                return None  # dimmed; the key says why (action_refused)
            return True
        if action == "refused":
            return self.loaded and self.current() is not None and self.refusal() is not None
        return True

    def action_refused(self) -> None:
        said = self.refusal()
        if said is not None:
            self.notify(said, severity="warning", markup=False)

    # -- the release ----------------------------------------------------------------------

    def action_release(self) -> None:
        line = self.current()
        if line is None or self.refusal() is not None:
            return
        count = counted(line.releasable, "unworked callback")
        where = "their pools" if line.releasable > 1 else "its pool"
        question = (
            f"Put {line.who}'s {count} back into {where} ({pools_said(dict(line.to_pools))})?"
        )
        detail = f"Unworked: {UNWORKED}. The history keeps {line.who}'s initials."
        if line.kept:
            detail += f" {counted(line.kept, 'callback')} stay: {line.kept_why}."

        def answered(yes: bool | None) -> None:
            if yes:
                self._release(line.who)

        self.app.push_screen(Confirm(question, detail), answered)

    @desk_work(group="write")
    def _release(self, who: str) -> None:
        app = app_of(self)
        done = app.desk.callbacks.release(self.initials, who)
        app.call_from_thread(self._released, who, done)

    def _released(self, who: str, done: Released) -> None:
        if done.released:
            said = (
                f"Released {counted(done.released, 'callback')} of {who}'s"
                f" ({pools_said(done.to_pools)})."
            )
        else:
            said = f"Nothing of {who}'s to release."
        if done.kept:
            said += f" {counted(done.kept, 'callback')} stay with {who}: {done.kept_why}."
        self.notify(said, markup=False)
        self.reload()

    def action_back(self) -> None:
        self.dismiss(None)


def _nothing(initials: str, me: StaffMember | None) -> HandoffLine:
    """The signed-in person's row when they have nothing open or waiting."""
    return HandoffLine(
        who=initials,
        name=me.name if me is not None else "",
        is_pool=False,
        open=0,
        overdue=0,
        unreached_today=0,
        drafts=0,
        tasks=0,
        releasable=0,
        role=me.role if me is not None else None,
    )


def _cells(line: HandoffLine, mine: bool) -> tuple[Text, ...]:
    def number(count: int, style: str = "") -> Text:
        return Text(str(count) if count else "·", style=style if count else "dim")

    who = Text(line.who, style="bold" if mine or not line.is_pool else "")
    name = Text(line.name or "not on the staff", style="dim" if line.is_pool else "")
    if not line.active:
        name.append(" (deactivated)", style="dim")
    return (
        who,
        name,
        number(line.open),
        number(line.overdue, "bold red"),
        number(line.unreached_today, "yellow"),
        number(line.drafts),
        number(line.tasks),
        number(line.releasable, "bold"),
    )
