"""Today: the morning run-through of one person's callbacks, their pools and the overdue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Static

from callback_tui.domain import text
from callback_tui.domain.hours import Calendar
from callback_tui.store import queries
from callback_tui.store.errors import DeskError, ServiceError
from callback_tui.store.queries import Queue, QueueRow, Section
from callback_tui.tui import display
from callback_tui.tui.screens.common import GO_TIP, ListScreen, app_of, show_text
from callback_tui.tui.widgets.footer import Footer
from callback_tui.tui.widgets.table import Table
from callback_tui.tui.workers import desk_work

if TYPE_CHECKING:
    from callback_tui.store.notes import NoteView
    from callback_tui.store.services import Logged, NewNote
    from callback_tui.store.tasks import Waiting
    from callback_tui.tui.screens.add_callback import Added


class QueueLoaded(Message):
    def __init__(self, queue: Queue, *, on_to_next: bool = False) -> None:
        super().__init__()
        self.queue = queue
        self.on_to_next = on_to_next
        """The highlighted row's call was just logged: the cursor moves on (see show_rows)."""


class TodayScreen(ListScreen):
    """One person's queue: overdue first, then due today, then the pools they may work."""

    COLUMNS = ("When", "Patient", "Client", "Reason", "Tries", "Owner", "Marks")
    # Narrow: the count of tries is in the dialog (and "next 17:00" says a try is waiting);
    # the owner matters only for pool rows, which come last, and `c` is lit only on them.
    DROPPED_FIRST = ("Tries", "Owner")
    WRAPPED = ("Reason", "Marks", "Client", "Patient")

    BINDINGS = [
        # A priority binding: the table's own (hidden) enter would otherwise hide it in the footer.
        Binding(
            "enter",
            "log_call",
            "Log call",
            id="log_call",
            tooltip="Log a call outcome",
            priority=True,
        ),
        Binding("c", "claim", "Claim", id="claim", tooltip="Take a pool item as your own"),
        # The same key on a row that is no pool item: it says why nothing was claimed.
        Binding("c", "cannot_claim", show=False, id="claim"),
        Binding("a", "add", "Add", id="add", tooltip="Add a callback by hand"),
        Binding("u", "update", "Update", id="update", tooltip="A client called back with news"),
        Binding("d", "drafts", "Drafts", id="drafts", tooltip="Drafts waiting for a doctor"),
        Binding("h", "history", "History", id="history", tooltip="This patient's history"),
        Binding(
            "slash", "search", "Search", id="search", key_display="/", tooltip="Find a patient"
        ),
        Binding("g", "go", "Go to", id="go", tooltip=GO_TIP),
        Binding("w", "who", "Who", id="who", tooltip="The next person at the desk"),
    ]

    def __init__(self, initials: str) -> None:
        super().__init__()
        self.initials = initials
        self.queue: Queue | None = None
        self._rows: dict[str, QueueRow] = {}
        self._cells: dict[tuple[QueueRow, date], tuple[Text, ...]] = {}
        """Each row's cells as last shown, by the row as read and the day it was shown on."""
        self.waiting: Waiting | None = None
        """Open tasks and incidents for the person, counted after each load."""
        self._offered: set[str] = set()
        """Initials whose unsaved drafts were offered already in this run."""
        self._read_at = -1
        """The data generation (app.data_generation) when the queue was last read."""
        self._narrow_width = 0
        """The header's width on a narrow screen, the name left out (see _fit_header)."""

    @property
    def loaded(self) -> bool:
        return self.queue is not None and self.queue.initials == self.initials

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static("", id="who", markup=False)
            yield Static("", id="name", markup=False)
            yield Static("", classes="pools", id="pools", markup=False)
            yield Static("", classes="day -full", id="day", markup=False)
            yield Static("", classes="day -brief", id="day-brief", markup=False)
            yield Static("", classes="counts -full", id="counts", markup=False)
            yield Static("", classes="counts -brief", id="counts-brief", markup=False)
        yield Table(cursor_type="row", zebra_stripes=True, id="queue")
        yield Static("", id="empty", markup=False)
        yield Footer(compact=True)  # every key of the morning fits on one line

    # -- loading --------------------------------------------------------------------------

    def reload(self) -> None:
        app = app_of(self)
        self._read_at = app.data_generation
        day = app.clinic.clock.today()
        early = app.take_first_queue(self.initials, day)
        if early is not None:  # read at start: the first frame shown holds it
            app.when_started(partial(self.post_message, QueueLoaded(early)))
        else:
            self._load(self.initials, day)

    @desk_work(group="queue", exclusive=True)
    def _load(self, initials: str, day: date) -> None:
        app = app_of(self)
        self.post_message(
            QueueLoaded(
                queries.today(
                    app.database,
                    initials,
                    day,
                    app.clinic.calendar,
                    app.clinic.pools,
                    app.clinic.clock.now(),
                )
            )
        )

    @on(QueueLoaded)
    def _show(self, message: QueueLoaded) -> None:
        queue = message.queue
        if queue.initials != self.initials:
            return  # an answer for initials we have since switched away from
        if self.queue is None or self.queue.initials != queue.initials:
            self.waiting = None  # someone else's counts
        self.queue = queue
        clinic = app_of(self).clinic
        self._show_header(queue)
        self._rows = {str(row.id): row for row in queue.rows}
        now = clinic.clock.now()
        kept, self._cells = self._cells, {}
        listed: dict[str, tuple[Text, ...]] = {}
        for key, row in self._rows.items():
            # A row read again unchanged shows the same cells: the very ones, which the
            # table then knows without looking into them. A message on the clock counts
            # down with `now`: its cells are made anew.
            cells = None if row.on_the_clock() else kept.get((row, queue.day))
            if cells is None:
                cells = (
                    display.when(row, queue.day, clinic.calendar, now),
                    display.literal(row.patient, "bold"),
                    display.literal(row.client),
                    Text(clinic.profile.label(row.reason)),
                    Text(str(row.attempts), justify="right"),
                    Text(row.owner, style="cyan" if row.section is Section.POOL else ""),
                    display.marks(row),
                )
            self._cells[row, queue.day] = listed[key] = cells
        self.show_rows(listed, on_to_next=message.on_to_next)
        self.set_class(not queue.rows, "-empty")
        self.filled()
        self._show_empty()
        if self.is_current:  # under a dialog, they are counted when it closes (resume)
            self._count_waiting(queue.initials)
        self.refresh_bindings()
        if queue.initials not in self._offered:
            self._offered.add(queue.initials)
            self.call_after_refresh(self._find_unsaved, queue.initials)  # after the paint

    # -- what waits besides callbacks -----------------------------------------------------

    @desk_work(group="waiting", exclusive=True)
    def _count_waiting(self, initials: str) -> None:
        from callback_tui.store import tasks

        waiting = tasks.waiting(app_of(self).database, initials)
        app_of(self).call_from_thread(self._waiting_counted, initials, waiting)

    def on_screen_resume(self) -> None:
        """Back from another screen (drafts, tasks, the note editor…): the queue is read
        again only if something was written meanwhile, as a kept list does (inbox.py)."""
        if not self.loaded:
            return
        if self._read_at != app_of(self).data_generation:
            self.reload()  # a task or an incident done, a note saved: the queue may differ
        else:
            # Once the screen is painted again: counted meanwhile, the thread's work would
            # take turns with the paint's.
            self.call_after_refresh(self._count_waiting, self.initials)

    def _waiting_counted(self, initials: str, waiting: Waiting) -> None:
        if initials != self.initials or self.queue is None:
            return
        self.waiting = waiting
        self._show_header(self.queue)
        self._show_empty()

    def _waits(self) -> str:
        """What else waits for the person, with the keys to it ("2 open tasks: g t");
        empty when nothing does."""
        waiting = self.waiting
        if waiting is None:
            return ""
        said = []
        if waiting.tasks:
            said.append(f"{text.counted(waiting.tasks, 'open task')}: g t")
        if waiting.incidents:
            said.append(f"{text.counted(waiting.incidents, 'incident')} at your step: g i")
        return " · ".join(said)

    def _show_empty(self) -> None:
        queue = self.queue
        if queue is None:
            return
        pools = " or ".join(queue.pools)
        waits = self._waits()
        show_text(
            self.query_one("#empty", Static),
            f"Nothing due for {queue.initials} today"
            + (f", and nothing waiting in the {pools} pool." if pools else ".")
            + (f" Waiting for you: {waits}." if waits else "")
            + "   a: add a callback · w: "
            + ("the next person" if app_of(self).require_pin else "switch initials"),
        )

    # -- unsaved drafts from a crash ------------------------------------------------------

    @desk_work(group="unsaved")
    def _find_unsaved(self, initials: str) -> None:
        app = app_of(self)
        from callback_tui.store import notes  # after the paint: the queue comes first

        found = notes.unsettled(app.database, initials)
        if found:
            app.call_from_thread(self._offer_unsaved, initials, found)

    def _offer_unsaved(self, initials: str, found: list[NoteView]) -> None:
        from callback_tui.tui.screens.recover import RecoverScreen

        if initials != self.initials or self.app.screen is not self:
            return

        def picked(note_id: int | None) -> None:
            if note_id is not None:
                self._edit(note_id)

        self.app.push_screen(RecoverScreen(found), picked)

    def _edit(self, target: int | NewNote) -> None:
        from callback_tui.tui.screens.note_editor import NoteEditor

        app_of(self).push_kept(NoteEditor, target, self.initials, callback=ignore)

    def _show_header(self, queue: Queue) -> None:
        show_text(self.query_one("#who", Static), queue.initials)
        name = queue.member.name if queue.member is not None else ""
        show_text(self.query_one("#name", Static), f"  {name}" if name else "")
        pools_said = f"pools {' '.join(queue.pools)}" if queue.pools else ""
        pools = self.query_one("#pools", Static)
        show_text(pools, pools_said)
        pools.display = bool(pools_said)
        day = Text(queue.day.strftime("%A %d %B %Y"))
        short = Text(queue.day.strftime("%a %d %b"))  # on a narrow screen
        if app_of(self).demo:
            day.append("  demo clinic: nothing is kept", style="bold yellow")
            short.append("  demo", style="bold yellow")
        show_text(self.query_one("#day", Static), day)
        show_text(self.query_one("#day-brief", Static), short)
        show_text(self.query_one("#counts", Static), self._counts(queue, brief=False))
        brief = self._counts(queue, brief=True)
        show_text(self.query_one("#counts-brief", Static), brief)
        self._narrow_width = sum(
            [
                2,  # the bar's padding
                cell_len(queue.initials),
                2 + cell_len(pools_said) if pools_said else 0,
                2 + short.cell_len,
                2 + brief.cell_len,
            ]
        )
        self._fit_header()

    def _counts(self, queue: Queue, *, brief: bool) -> Text:
        """The header's counts; `brief` (a narrow screen) leaves out the overdue when there
        are none, and "today" after "done"."""
        counts, waiting = queue.counts, self.waiting
        parts = [Text(f"to do {counts.to_do}")]
        if counts.overdue or not brief:
            parts.append(Text(f"overdue {counts.overdue}", "bold red" if counts.overdue else ""))
        if counts.late:
            parts.append(Text(f"late {counts.late}", "bold red"))
        done = "done" if brief else "done today"
        parts.append(Text(f"{done} {counts.done_today}", "green"))
        if waiting is not None and waiting.tasks:
            parts.append(Text(f"tasks {waiting.tasks}", "yellow"))
        if waiting is not None and waiting.incidents:
            parts.append(Text(f"incidents {waiting.incidents}", "yellow"))
        return Text(" · ").join(parts)

    def _fit_header(self) -> None:
        """On a narrow screen the header stays one line: the name gives way first (it is cut
        short), then the day (left out), never the initials, pools or counts."""
        crowded = self._narrow_width > self.app.size.width
        self.query_one("#topbar").set_class(crowded, "-crowded")

    def on_resize(self) -> None:
        self._fit_header()

    # -- rows -----------------------------------------------------------------------------

    def current_row(self) -> QueueRow | None:
        return self._rows.get(self.current_key() or "")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # None shows the key dimmed: it exists, but not for this row.
        if action in ("log_call", "claim"):
            row = self.current_row()
            if row is None:
                return None
            return True if action == "log_call" or row.section is Section.POOL else None
        if action == "cannot_claim":
            row = self.current_row()
            return self.loaded and (row is None or row.section is not Section.POOL)
        return True

    # -- actions --------------------------------------------------------------------------

    def action_log_call(self) -> None:
        from callback_tui.domain import ladder
        from callback_tui.tui.screens.outcome import OutcomeScreen, confirm_early

        row = self.current_row()
        if row is None:
            return

        app = app_of(self)
        initials, day = self.initials, app.clinic.clock.today()
        shown = False

        def read_after_save() -> Callable[[], None] | None:
            """In the dialog's saving worker: the rows as the save left them, to show under
            the dialog just before it closes (one paint shows both)."""
            try:
                clinic = app.clinic
                read_at = app.data_generation  # the save is committed by now
                fresh = queries.today(
                    app.database, initials, day, clinic.calendar, clinic.pools, clinic.clock.now()
                )
            except DeskError:
                return None  # the reload below reads again, and says what is wrong

            def show() -> None:
                nonlocal shown
                if fresh.initials == self.initials:
                    self._read_at = read_at
                    self._show(QueueLoaded(fresh, on_to_next=True))
                    shown = True

            return show

        def logged(result: Logged | None) -> None:
            if result is not None:
                said = outcome_summary(result, app.clinic.calendar)
                if result.early and not result.counted and result.callback.next_attempt_at:
                    said += (
                        " That window was tried already: this call does not count toward"
                        f" the {app.clinic.policy.max_attempts} tries."
                    )
                self.notify(said, markup=False)
                if result.draft is not None and result.draft.id is not None:
                    self._edit(result.draft.id)  # the concern, ready for more words
            overtaken = dialog is not None and dialog.overtaken
            if not shown and (result is not None or overtaken):
                # Logged, but its rows were not read in the save; or not logged here because
                # another desk changed the callback: the rows shown are old. (A dialog closed
                # with nothing done leaves them as they were: nothing to read again.)
                self.reload()

        member = self.queue.member if self.queue else None
        caller = member.name if member else self.initials
        dialog: OutcomeScreen | None = None

        def call(early: bool) -> None:
            nonlocal dialog
            dialog = app.push_kept(
                OutcomeScreen,
                row,
                self.initials,
                caller,
                read_after_save,
                early=early,
                callback=logged,
            )

        now = app.clinic.clock.now()
        if not ladder.waits(row.next_attempt_at, now):
            call(early=False)
            return

        # Each try belongs in another window: calling sooner is the person's explicit choice.
        def answered(yes: bool | None) -> None:
            if yes:
                call(early=True)

        when = ladder.next_try_words(row.next_attempt_at, now, app.clinic.calendar)
        self.app.push_screen(confirm_early(f"{when}."), answered)

    def action_claim(self) -> None:
        row = self.current_row()
        if row is not None and row.section is Section.POOL:
            self._claim(row)

    def action_cannot_claim(self) -> None:
        """`c` on a row that is no pool item (or on an empty list): say why nothing happened."""
        row = self.current_row()
        pools = ", ".join(self.queue.pools) if self.queue else ""
        if pools:
            only = f"Only pool callbacks ({pools}) can be claimed"
        else:
            only = f"Only pool callbacks can be claimed, and {self.initials} works no pool"
        if row is None:
            said = f"{only}; there is nothing on the list."
        elif row.owner == self.initials:
            said = f"{only}; this one is already yours."
        else:
            said = f"{only}; this one is {row.owner}'s."
        self.notify(said, severity="warning", markup=False)

    @desk_work(group="write")
    def _claim(self, row: QueueRow) -> None:
        app = app_of(self)
        try:
            app.desk.callbacks.claim(self.initials, row.id, row.version)
        except ServiceError as exc:
            app.call_from_thread(self.notify, str(exc), severity="warning", markup=False)
        else:
            message = f"Claimed {row.patient} from the {row.owner} pool."
            app.call_from_thread(self.notify, message, markup=False)
        app.call_from_thread(self.reload)

    def action_add(self) -> None:
        from callback_tui.tui.screens.add_callback import AddCallbackScreen

        def added(created: Added | None) -> None:
            if created is not None and self.queue is not None:
                said = added_summary(created, self.queue, app_of(self).clinic.calendar)
                self.notify(said, markup=False)
                self.reload()

        app_of(self).push_kept(AddCallbackScreen, self.initials, callback=added)

    def action_update(self) -> None:
        from callback_tui.tui.screens.client_update import start_client_update

        start_client_update(self, self.initials, None)

    def action_drafts(self) -> None:
        from callback_tui.tui.screens.drafts import DraftsInbox

        app_of(self).push_kept(DraftsInbox, self.initials, callback=ignore)

    def action_history(self) -> None:
        from callback_tui.tui.screens.history import HistoryScreen, open_search

        row = self.current_row()
        if row is None:
            open_search(self, self.initials)
        else:
            app_of(self).push_kept(
                HistoryScreen, row.client_id, self.initials, row.patient_id, callback=ignore
            )

    def action_search(self) -> None:
        from callback_tui.tui.screens.history import open_search

        open_search(self, self.initials)

    def action_go(self) -> None:
        from callback_tui.tui.screens.tasks import go_to

        go_to(self, self.initials)

    def action_who(self) -> None:
        from callback_tui.tui.screens.who import WhoScreen

        app = app_of(self)
        if app.require_pin:  # the next person signs in with their PIN
            app.next_person()
            return

        def switch(initials: str | None) -> None:
            if initials and initials != self.initials:
                self.initials = initials
                self.query_one(DataTable).clear()
                self.reload()

        app.push_kept(WhoScreen, current=self.initials, callback=switch)


def ignore(_result: object) -> None:
    """For a screen whose result says nothing to the one beneath."""


def outcome_summary(result: Logged, calendar: Calendar) -> str:
    """One line for the toast after a call is logged."""
    callback = result.callback
    said = result.attempt.outcome.replace("_", " ").capitalize()
    if callback.status == "completed":
        line = f"{said}: completed."
    elif callback.status == "unreached":
        line = f"{said}: closed as unreached."
    elif callback.next_attempt_at is not None:
        line = f"{said}: next try {calendar.local(callback.next_attempt_at):%a %H:%M}."
    else:
        line = f"{said}: kept open."
    if result.draft is not None:
        line += f" Draft note for {result.draft.addressed_to}."
    if result.tasks:
        line += f" {text.counted(len(result.tasks), 'task')} created."
    return line


def added_summary(added: Added, queue: Queue, calendar: Calendar) -> str:
    """One line for the toast after a callback is added by hand: when each is due, and
    whether it shows on the list the person is looking at."""
    if not added.callbacks:
        return "Nothing added: that visit is on file already."
    dues: list[str] = []
    elsewhere = False
    for callback in added.callbacks:
        due = calendar.local(callback.due_at)
        mine = callback.owner == queue.initials or callback.owner in queue.pools
        on_list = mine and callback.due_date <= queue.day
        if on_list and callback.due_date == queue.day:
            said = f"due today {due:%H:%M}"
        else:
            said = f"due {due:%a %d %b %H:%M}"
        if not mine:
            said += f" on {callback.owner}'s list"
        dues.append(said)
        elsewhere = elsewhere or not on_list
    count = len(added.callbacks)
    what = "a callback" if count == 1 else text.counted(count, "callback")
    line = f"Added {what} for {added.patient}, {' and '.join(dues)}"
    if elsewhere:
        line += " (not on today's list)" if count == 1 else " (not all on today's list)"
    return line + "."
