"""The note editor: write a draft for the doctor, finalize it, or amend a final note.

What is typed is kept every few seconds (an autosave, offered again after a crash) and on
leaving. A final note is shown read-only; the box under it appends a dated amendment.

When the draft changed at another desk meanwhile, both texts are shown, the person's own
between marker lines (domain/conflict.py). Nothing is saved, autosaved or finalized until
the person has chosen what to keep and deleted the markers.

The app keeps one editor (app.push_kept): opened again, for this note or another, it is
emptied and reads the note anew, as a new one does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static, TextArea

from callback_tui.domain import access, conflict, phones
from callback_tui.domain.access import Act
from callback_tui.domain.vocab import NoteOrigin, Role
from callback_tui.store import notes, queries
from callback_tui.store.errors import DeskError, Invalid, NoteIsFinal, StaleVersion
from callback_tui.store.notes import NoteView
from callback_tui.store.services import NewNote
from callback_tui.tui import display
from callback_tui.tui.screens.common import (
    FieldError,
    FormScreen,
    KeptScreen,
    app_of,
    empty_form,
    show_errors,
    show_text,
    steady_cursors,
)
from callback_tui.tui.widgets.confirm import Confirm
from callback_tui.tui.widgets.footer import Footer
from callback_tui.tui.widgets.text_area import TextBox
from callback_tui.tui.workers import desk_work, show_desk_error

Write = Literal["autosave", "save", "finalize", "amend"]

SETTLE = (
    "Changed at the other desk meanwhile: theirs first, yours between the --- lines. Keep"
    " what you want, delete the --- lines, then ctrl+s (not autosaved till then)."
)
"""What the state line says while both texts are shown."""


class NoteEditor(KeptScreen, FormScreen, Screen[NoteView | None]):
    """One note, full screen. Dismisses with the note as last stored (None if never saved)."""

    BINDINGS = [
        # One key, two meanings: check_action leaves exactly one of them live.
        Binding("ctrl+s", "save", "Save draft", id="save", priority=True, tooltip="Save the draft"),
        Binding(
            "ctrl+s",
            "amend",
            "Append amendment",
            id="amend",
            priority=True,
            tooltip="Add the amendment, dated and signed",
        ),
        Binding(
            "ctrl+f",
            "finalize",
            "Finalize",
            id="finalize",
            priority=True,
            tooltip="Make the note final (asks first)",
        ),
        Binding("escape", "leave", "Back", id="leave", tooltip="Save and go back"),
        # The same key where the person's role may not finalize (dimmed above): who may.
        Binding("ctrl+f", "may_not_finalize", show=False, id="finalize", priority=True),
    ]

    def __init__(self, target: int | NewNote, initials: str) -> None:
        super().__init__()
        self._start(target, initials)

    def _start(self, target: int | NewNote, initials: str) -> None:
        """Every piece of state about one opening of the editor, as it starts."""
        self.target = target
        self.initials = initials
        self.view: NoteView | None = None
        self._lock = threading.Lock()
        self._kept = ""
        """The text as last sent to the database (what a crash would leave)."""
        self._leaving = False
        self._asked = 0
        """How many writes have been asked for: each one's place in line."""
        self._landed = 0
        """The place in line of the latest whole text stored (a save or an autosave)."""
        self._marked_refused = False
        """Whether the field error under the note is about a conflict's marker lines."""
        self.role: Role | None = None
        """The person's role (None: no role, or deactivated), read with the note."""

    def reuse(self, target: int | NewNote, initials: str) -> None:
        """Empty, reading `target` anew, as a new one starts (see app.push_kept)."""
        self._start(target, initials)
        for line in ("#note-head", "#note-meta", "#note-hint", "#amendments", "#note-state"):
            show_text(self.query_one(line, Static), "")
        empty_form(self)  # both boxes empty, no field errors
        self.refresh_bindings()  # save and finalize dimmed until the note is read
        self._load()

    @property
    def busy(self) -> bool:
        """Whether a read or write of the note last opened here is still under way: a new
        editor is built then, not this one emptied (see app.push_kept)."""
        return any(worker.node is self and not worker.is_finished for worker in self.workers)

    @property
    def loaded(self) -> bool:
        return self.view is not None

    def compose(self) -> ComposeResult:
        with Vertical(id="note"):
            yield Static("", id="note-head", markup=False)
            yield Static("", id="note-meta", markup=False)
            yield Static("", id="note-hint", markup=False)
            yield TextBox(id="body", soft_wrap=True, show_line_numbers=False)
            yield FieldError("body")
            yield Static("", id="amendments", markup=False)
            yield TextBox(
                id="amendment",
                soft_wrap=True,
                placeholder="Write an amendment here; ctrl+s appends it, dated and signed.",
            )
            yield FieldError("amendment")
            yield Static("", id="note-state", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        steady_cursors(self)
        self._load()
        self.set_interval(app_of(self).clinic.settings.autosave_seconds, self._autosave)

    # -- loading --------------------------------------------------------------------------

    @desk_work(group="note-load", exclusive=True)
    def _load(self) -> None:
        app = app_of(self)
        if isinstance(self.target, NewNote):
            view = notes.new_note(app.database, self.target, self.initials)
        else:
            view = notes.note(app.database, self.target)
        me = queries.staff_member(app.database, self.initials)
        self.role = me.role if me is not None and me.active else None
        if view is None:
            app.call_from_thread(self.notify, "That note no longer exists.", severity="error")
            app.call_from_thread(self.dismiss, None)
        else:
            app.call_from_thread(self._show, view, view.body)

    def _show(self, view: NoteView, text: str) -> None:
        """Show `view`, with `text` in the editing box (the stored body, or a merge)."""
        self.view = view
        self._kept = view.body
        self.set_class(view.is_final, "-final")
        self._show_head(view)
        body = self.query_one("#body", TextArea)
        body.read_only = view.is_final
        body.load_text(text)
        if view.is_final:
            self.query_one("#amendments", Static).update(self._amendments_text(view))
            self.query_one("#amendment", TextArea).focus()
        else:
            body.focus()
            body.move_cursor(body.document.end)
        self._state("Final: read only. Amend below." if view.is_final else self._saved_state())
        self.refresh_bindings()

    def _show_head(self, view: NoteView) -> None:
        clinic = app_of(self).clinic
        head = Text()
        head.append("Final note" if view.is_final else "Draft note", style="bold")
        if view.addressed_to:
            head.append(f" for {view.addressed_to}", style="bold")
        head.append(" · ")
        head.append(view.patient, style="bold")
        if view.species:
            head.append(f" ({view.species})")
        head.append(" · ")
        head.append(view.client)
        head.append(f" · {phones.display(view.phone, clinic.settings.phone_region)}")
        self.query_one("#note-head", Static).update(head)

        meta = Text(f"{view.kind.capitalize()} note by {view.author}", style="dim")
        if view.callback is not None:
            brief = view.callback
            meta.append(
                f" · from the {clinic.profile.label(brief.reason)} {brief.kind.replace('_', ' ')}"
                f" callback due {display.moment(clinic.calendar, brief.due_at)}",
                style="dim",
            )
            if brief.last_outcome:
                meta.append(f" ({brief.last_outcome.replace('_', ' ')})", style="dim")
        elif view.origin == NoteOrigin.CLIENT_UPDATE:
            meta.append(" · client update", style="dim")
        if view.created_at:
            meta.append(f" · started {display.moment(clinic.calendar, view.created_at)}", "dim")
        if view.finalized_at:
            meta.append(f" · final {display.moment(clinic.calendar, view.finalized_at)}", "dim")
        self.query_one("#note-meta", Static).update(meta)

        hint = ""
        refusal = self.refusal(view)
        if refusal is not None:
            doctor = view.addressed_to or "the case doctor"
            hint = f"{refusal} ctrl+s keeps it as a draft for {doctor}."
        elif not view.is_final and view.origin == NoteOrigin.CLIENT_UPDATE:
            doctor = view.addressed_to or "the case doctor"
            hint = (
                f"Resolved? ctrl+f finalizes it now.  Still concerned? ctrl+s keeps it as a"
                f" draft for {doctor}."
            )
        elif view.editing_by and view.editing_by != self.initials:
            hint = f"{view.editing_by} has unsaved changes in this draft at another desk."
        self.query_one("#note-hint", Static).update(hint)

    def _amendments_text(self, view: NoteView) -> Text:
        calendar = app_of(self).clinic.calendar
        out = Text()
        for amendment in view.amendments:
            out.append(
                f"Amended {display.moment(calendar, amendment.at)} by {amendment.author}:\n",
                style="bold",
            )
            out.append(amendment.body + "\n")
        return out

    def _state(self, message: str, style: str = "dim") -> None:
        self.query_one("#note-state", Static).update(Text(message, style=style))

    def _saved_state(self) -> str:
        view = self.view
        if view is None or view.id is None:
            return "Not saved yet: kept every few seconds as you type."
        when = display.moment(app_of(self).clinic.calendar, view.updated_at)
        autosaved = view.editing_by == self.initials
        return f"{'Autosaved' if autosaved else 'Saved'} {when}."

    # -- what is typed --------------------------------------------------------------------

    def _typed(self) -> str:
        return self.query_one("#body", TextArea).text

    def _unsettled(self) -> bool:
        """Whether the other desk's change and ours are still both shown, between markers."""
        return conflict.has_markers(self._typed())

    def _refuse_marked(self) -> None:
        show_errors(self, {"body": conflict.MARKED})
        self._marked_refused = True

    def still_wrong(self, field: str) -> bool:
        return field == "body" and self._marked_refused and self._unsettled()

    @on(TextArea.Changed, "#body")
    def _changed(self) -> None:
        if self.view is None or self.view.is_final:
            return
        if self._unsettled():
            self._state(SETTLE, style="yellow")
            return
        if self._marked_refused:  # the markers are gone: so is the reason it was refused
            self._marked_refused = False
            self.query_one("#error-body", FieldError).show(None)
        if self._typed() != self._kept:
            self._state("Unsaved changes", style="yellow")

    def _autosave(self) -> None:
        view = self.view
        if view is None or view.is_final or self._leaving or self._unsettled():
            return
        text = self._typed()
        if text != self._kept and text.strip():
            self._write("autosave", text)

    def flush(self) -> None:
        """Save what is typed now, on this thread (the app is closing).

        A text still holding a conflict's markers cannot be stored: the note stays as the
        other desk left it.
        """
        view = self.view
        if view is None or view.is_final or not self._typed().strip() or self._unsettled():
            return
        self._run("save", self._typed(), leave=False, on_thread=False)

    # -- actions --------------------------------------------------------------------------

    def refusal(self, view: NoteView | None = None) -> str | None:
        """Why the person may not finalize this draft (one waiting for a doctor: a doctor
        does), or None when they may. As the service decides it: a client update its author
        resolves on the phone is theirs to finalize until they save it for the doctor."""
        view = view or self.view
        if view is None or view.is_final:
            return None
        waits = access.waits_for_doctor(
            addressed_to=view.addressed_to,
            origin=view.origin,
            author=view.author,
            handed_over=view.id is not None and view.editing_by != self.initials,
            actor=self.initials,
        )
        return access.refusal(Act.FINALIZE_DRAFT, self.role, addressed=waits)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "may_not_finalize":
            return self.refusal() is not None
        if action == "finalize" and self.refusal() is not None:
            return None  # dimmed: for a doctor (the line above the note says so)
        if action in ("save", "finalize"):
            if self.view is None:  # dimmed until the note is read: lit then, not added (a
                return None  # footer given keys it was not built with is built again)
            return not self.view.is_final
        if action == "amend":
            return self.view is not None and self.view.is_final
        return True

    def action_save(self) -> None:
        if self.view is not None and not self.view.is_final:
            if self._unsettled():
                self._refuse_marked()
                return
            self._write("save", self._typed())

    def action_amend(self) -> None:
        if self.view is not None and self.view.is_final:
            self._write("amend", self.query_one("#amendment", TextArea).text)

    def action_may_not_finalize(self) -> None:
        said = self.refusal()
        if said is not None:
            self.notify(said, severity="warning", markup=False)

    def action_finalize(self) -> None:
        view = self.view
        if view is None or view.is_final:
            return
        if not self._typed().strip():
            show_errors(self, {"body": "The note is empty: write what was said before finalizing."})
            return
        if self._unsettled():
            self._refuse_marked()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._write("finalize", self._typed())

        self.app.push_screen(
            Confirm(
                "Finalize this note?",
                "A final note never changes; later corrections are added as amendments.",
            ),
            answered,
        )

    def action_leave(self) -> None:
        view = self.view
        if view is None:
            self.dismiss(None)
            return
        if view.is_final:
            if not self.query_one("#amendment", TextArea).text.strip():
                self.dismiss(view)
            else:
                self._ask_to_leave(
                    view, "Leave without appending the amendment?", "What you typed is not kept."
                )
            return
        if self._unsettled():
            if self._typed() == self._kept:  # stored so by an older version: nothing new is lost
                self.dismiss(view)
            else:
                self._ask_to_leave(
                    view,
                    "Leave without saving?",
                    "The --- marker lines are still in the note, so it cannot be saved: it stays"
                    " as it was stored, and what you typed here is not kept.",
                )
            return
        text = self._typed()
        if not text.strip():
            if view.id is None:
                self.dismiss(None)
                return
            self.notify("An empty note is not saved: the draft keeps its earlier text.")
            text = self._kept
        self._leaving = True
        self._write("save", text, leave=True)

    def _ask_to_leave(self, view: NoteView, question: str, detail: str) -> None:
        """Leave without writing, the note as stored, once the person answers yes."""

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(view)

        self.app.push_screen(Confirm(question, detail), answered)

    # -- writing --------------------------------------------------------------------------

    def _write(self, kind: Write, text: str, leave: bool = False) -> None:
        self._asked += 1
        if leave or kind == "finalize":  # the editor closes once it is written
            self._write_then_close(kind, text, self._asked, leave)
        else:
            self._write_in_turn(kind, text, self._asked, leave)

    @desk_work(group="note-write")
    def _write_in_turn(self, kind: Write, text: str, turn: int, leave: bool) -> None:
        self._run(kind, text, leave=leave, on_thread=True, turn=turn)

    @desk_work(group="note-write", holds_keys=True)
    def _write_then_close(self, kind: Write, text: str, turn: int, leave: bool) -> None:
        """The last write, then back: keys typed meanwhile wait, for the screen beneath (not
        the note, whose text is being stored)."""
        self._run(kind, text, leave=leave, on_thread=True, turn=turn)

    def _run(
        self, kind: Write, text: str, *, leave: bool, on_thread: bool, turn: int | None = None
    ) -> None:
        """One write, serialised with the others (autosaves run while the user types).

        Writes run on threads, which may take the lock in another order than they were asked
        for: an autosave asked for just before a ctrl+s may come second. A save or autosave
        older than the text already stored is skipped, so an older text never overwrites a
        newer one, nor marks a settled note as unsaved again. One that comes after this
        editor finalized the note is skipped too: the final text is the newest, and the
        note takes no more saves (it would be refused as finalized at another desk).
        """
        app = app_of(self)
        if turn is None:
            self._asked += 1
            turn = self._asked

        def ui(callback: Callable[..., object], *args: object, **kwargs: object) -> None:
            if on_thread:
                app.call_from_thread(callback, *args, **kwargs)
            else:
                callback(*args, **kwargs)

        with self._lock:
            view = self.view
            if view is None:
                return
            target = view.ref or self.target
            whole_text = kind in ("save", "autosave")
            if whole_text and (view.is_final or (not leave and turn < self._landed)):
                return  # a newer text is stored already
            try:
                if kind == "amend":
                    assert view.id is not None
                    app.desk.notes.amend(self.initials, view.id, text)
                    fresh = notes.note(app.database, view.id)  # with its new amendment
                else:
                    assert not isinstance(target, int)
                    if kind == "finalize":
                        note = app.desk.notes.finalize(self.initials, target, text)
                    else:
                        note = app.desk.notes.save(
                            self.initials, target, text, autosave=kind == "autosave"
                        )
                    self._kept = text
                    if whole_text:
                        self._landed = max(self._landed, turn)
                    # What the save changed, without reading the note back every autosave.
                    fresh = replace(
                        view,
                        id=note.id,
                        version=note.version,
                        status=note.status,
                        body=note.body,
                        created_at=note.created_at,
                        updated_at=note.updated_at,
                        finalized_at=note.finalized_at,
                        editing_by=note.editing_by,
                    )
            except Invalid as exc:
                self._leaving = False
                ui(show_errors, self, exc.problems)
                return
            except NoteIsFinal as exc:
                ui(self._overtaken, str(exc), text, True)
                return
            except StaleVersion as exc:
                ui(self._overtaken, str(exc), text, False)
                return
            except DeskError as exc:
                self._leaving = False
                if kind == "autosave":
                    # It comes round every few seconds: say so in place, not in a toast each time.
                    ui(self._state, f"Not kept: {exc}", "red")
                else:
                    ui(show_desk_error, self, exc)
                return
            if fresh is not None:
                self.view = fresh
        ui(self._written, kind, fresh, leave)

    def _written(self, kind: Write, fresh: NoteView | None, leave: bool) -> None:
        if not self.is_mounted:
            return
        show_errors(self, {})
        if leave or kind == "finalize":
            if kind == "finalize":
                self.notify("Finalized. It is read-only from now on.")
            self.dismiss(fresh)
            return
        if kind == "amend" and fresh is not None:
            self.query_one("#amendment", TextArea).load_text("")
            self.query_one("#amendments", Static).update(self._amendments_text(fresh))
            self._state("Amendment appended.")
            return
        if fresh is not None:
            self._show_head(fresh)
            self.refresh_bindings()  # saved for the doctor: finalizing is theirs now
        if self._typed() == self._kept:
            self._state(self._saved_state())

    def _overtaken(self, message: str, mine: str, final: bool) -> None:
        """Another desk got there first: reload theirs and keep ours beside it, never lose it."""
        if not self.is_mounted:
            return  # closed meanwhile: nothing left to show it in
        self._leaving = False
        self.notify(message, severity="warning", markup=False)
        self._reload_keeping(mine, final)

    @desk_work(group="note-load", exclusive=True)
    def _reload_keeping(self, mine: str, final: bool) -> None:
        app = app_of(self)
        view = self.view
        fresh = notes.note(app.database, view.id) if view and view.id else None
        if fresh is None:
            return
        app.call_from_thread(self._merge, fresh, mine)

    def _merge(self, fresh: NoteView, mine: str) -> None:
        if fresh.is_final:
            self._show(fresh, fresh.body)
            self.query_one("#amendment", TextArea).load_text(mine)
            self._state("Your text is in the amendment box: ctrl+s appends it.", "yellow")
            return
        self._show(fresh, conflict.merged(fresh.body, mine))
        if self._unsettled():
            self._state(SETTLE, "yellow")
