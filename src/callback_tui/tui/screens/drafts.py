"""The drafts inbox: every draft waiting for a doctor, by doctor, oldest first."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Footer, Static

from callback_tui.domain.vocab import DRAFT_WAITS_TOO_LONG, NoteOrigin
from callback_tui.store import notes
from callback_tui.store.notes import NoteView
from callback_tui.tui import display
from callback_tui.tui.screens.common import ListScreen, app_of


class DraftsLoaded(Message):
    def __init__(self, drafts: list[NoteView]) -> None:
        super().__init__()
        self.drafts = drafts


class DraftsInbox(ListScreen):
    """Drafts grouped by the doctor they wait for; the person at the desk's own group first."""

    COLUMNS = ("For", "Waiting", "Patient", "Client", "By", "From", "Note")

    BINDINGS = [
        Binding("enter", "open", "Open", id="open", priority=True, tooltip="Open the draft"),
        Binding("escape", "back", "Back", id="back"),
    ]

    def __init__(self, initials: str) -> None:
        super().__init__()
        self.initials = initials
        self.drafts: list[NoteView] | None = None
        self._by_key: dict[str, NoteView] = {}

    @property
    def loaded(self) -> bool:
        return self.drafts is not None

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static("Drafts inbox", classes="who", markup=False)
            yield Static("", classes="counts", id="counts", markup=False)
        yield DataTable(cursor_type="row", zebra_stripes=True, id="drafts")
        yield Static(
            "No drafts waiting. Concerns raised on calls and client updates for a doctor"
            " land here.",
            id="empty",
            markup=False,
        )
        yield Footer()

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="drafts")
    def _load(self) -> None:
        self.post_message(DraftsLoaded(notes.drafts(app_of(self).database)))

    @on(DraftsLoaded)
    def _show(self, message: DraftsLoaded) -> None:
        app = app_of(self)
        now = app.clinic.clock.now()
        mine = [d for d in message.drafts if d.addressed_to == self.initials]
        others = [d for d in message.drafts if d.addressed_to != self.initials]
        ordered = mine + others
        self.drafts = ordered
        table = self.query_one(DataTable)
        keep = self.current()
        table.clear()
        self._by_key = {}
        previous: str | None = "-"
        for draft in ordered:
            key = str(draft.id)
            self._by_key[key] = draft
            group = draft.addressed_to or "—"
            origin = "client update" if draft.origin == NoteOrigin.CLIENT_UPDATE else "call"
            if draft.callback is not None:
                origin += f" · {app.clinic.profile.label(draft.callback.reason)}"
            first = display.literal(draft.first_line)
            if draft.editing_by:
                first = Text.assemble((f"✎ {draft.editing_by} ", "yellow"), first)
            table.add_row(
                Text(group if group != previous else "", style="bold"),
                display.waiting(now - draft.created_at) if draft.created_at else Text(""),
                display.literal(draft.patient, "bold"),
                display.literal(draft.client),
                Text(draft.author),
                Text(origin, style="dim"),
                first,
                key=key,
            )
            previous = group
        if keep is not None and str(keep.id) in self._by_key:
            table.move_cursor(row=table.get_row_index(str(keep.id)))
        late = sum(1 for d in ordered if d.created_at and now - d.created_at > DRAFT_WAITS_TOO_LONG)
        counts = Text(f"{len(ordered)} draft(s) · {len(mine)} for {self.initials} · ")
        counts.append(f"{late} older than 24 h", style="bold red" if late else "")
        self.query_one("#counts", Static).update(counts)
        self.set_class(not ordered, "-empty")
        self.filled()
        self.refresh_bindings()

    def current(self) -> NoteView | None:
        return self._by_key.get(self.current_key() or "")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            return True if self.current() is not None else None
        return True

    def action_open(self) -> None:
        from callback_tui.tui.screens.note_editor import NoteEditor

        draft = self.current()
        if draft is None or draft.id is None:
            return
        self.app.push_screen(NoteEditor(draft.id, self.initials), lambda _: self.reload())

    def action_back(self) -> None:
        self.dismiss(None)
