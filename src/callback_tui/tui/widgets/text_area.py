"""The app's multi-line text box: Textual's TextArea whose undo and redo never end the app.

Why: Textual 8.2.8 (the newest release; Textualize/textual#6686, fix proposed in #6687 and
not released) replays an undo or redo batch, then refreshes the size, and only then puts the
cursor back. When the replay shortens the text enough to hide the scrollbar (undoing a paste
of sixty lines, redoing the deletion of a long selection), the refresh scrolls to a cursor
still on a line that no longer exists, and the app ends with "document line index … out of
bounds".

The fix: before the replay, the cursor goes to the top of the batch, a place the text before
and after the replay share (nothing before any edit's top changes), so the refresh always
finds it; the replay then puts the cursor where Textual means it to be. Should a replay still
fail, the text is put back as it was before the key and the history it could not replay is
dropped: the person keeps their words and the app keeps running.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.widgets import TextArea
from textual.widgets.text_area import Edit, Selection

NOT_UNDONE = "That change could not be undone: the text is as it was."


class TextBox(TextArea):
    """Every multi-line field of the app uses this, never TextArea itself."""

    def undo(self) -> None:
        batches = self.history.undo_stack
        if batches:
            self._replay(super().undo, batches[-1])

    def redo(self) -> None:
        batches = self.history.redo_stack
        if batches:
            self._replay(super().redo, batches[-1])

    def _replay(self, replay: Callable[[], None], batch: Sequence[Edit]) -> None:
        text, selection = self.text, self.selection
        try:
            if batch:
                self.selection = Selection.cursor(min(edit.top for edit in batch))
            replay()
        except Exception:
            # A fault inside Textual's history, not in what was typed: keep the words.
            self._put_back(text, selection)

    def _put_back(self, text: str, selection: Selection) -> None:
        self.load_text(text)  # which also drops the history that could not be replayed
        self.selection = selection  # clamped to the text by TextArea's own validation
        self.notify(NOT_UNDONE, markup=False)
