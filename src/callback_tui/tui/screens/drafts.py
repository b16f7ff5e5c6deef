"""The drafts inbox: every draft waiting for a doctor, by doctor, oldest first."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from callback_tui.domain import text
from callback_tui.domain.vocab import DRAFT_WAITS_TOO_LONG, NoteOrigin
from callback_tui.store import notes
from callback_tui.store.notes import NoteView
from callback_tui.tui import display
from callback_tui.tui.screens.common import app_of
from callback_tui.tui.screens.inbox import Inbox


class DraftsInbox(Inbox[NoteView]):
    """Drafts grouped by the doctor they wait for; the person at the desk's own group first."""

    HEADING = "Drafts inbox"
    EMPTY = "No drafts waiting. Concerns raised on calls and client updates for a doctor land here."
    COLUMNS = ("For", "Waiting", "Patient", "Client", "By", "From", "Note")
    DROPPED_FIRST = ("From", "By")  # narrow: both are in the note's heading
    WRAPPED = ("Note",)
    ROW_ACTIONS = ("open",)

    BINDINGS = [
        Binding("enter", "open", "Open", id="open", priority=True, tooltip="Open the draft"),
    ]

    def fetch(self) -> list[NoteView]:
        drafts = notes.drafts(app_of(self).database)
        mine = [d for d in drafts if d.addressed_to == self.initials]
        return mine + [d for d in drafts if d.addressed_to != self.initials]

    def cells(self, row: NoteView, previous: NoteView | None) -> list[Text]:
        clinic = app_of(self).clinic
        group = row.addressed_to or "—"
        same_group = previous is not None and (previous.addressed_to or "—") == group
        origin = "client update" if row.origin == NoteOrigin.CLIENT_UPDATE else "call"
        if row.callback is not None:
            origin += f" · {clinic.profile.label(row.callback.reason)}"
        first = display.literal(row.first_line)
        if row.editing_by:
            first = Text.assemble((f"✎ {row.editing_by} ", "yellow"), first)
        waited = clinic.clock.now() - row.created_at if row.created_at else None
        return [
            Text("" if same_group else group, style="bold"),
            display.waiting(waited) if waited is not None else Text(""),
            display.literal(row.patient, "bold"),
            display.literal(row.client),
            Text(row.author),
            Text(origin, style="dim"),
            first,
        ]

    def counts(self, rows: list[NoteView]) -> Text:
        now = app_of(self).clinic.clock.now()
        mine = sum(1 for d in rows if d.addressed_to == self.initials)
        late = sum(1 for d in rows if d.created_at and now - d.created_at > DRAFT_WAITS_TOO_LONG)
        out = Text(f"{text.counted(len(rows), 'draft')} · {mine} for {self.initials} · ")
        out.append(f"{late} older than 24 h", style="bold red" if late else "")
        return out

    def action_open(self) -> None:
        from callback_tui.tui.screens.note_editor import NoteEditor

        draft = self.current()
        if draft is not None and draft.id is not None:
            app_of(self).push_kept(NoteEditor, draft.id, self.initials, callback=lambda _: None)
