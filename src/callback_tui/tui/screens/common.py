"""Small pieces the screens share."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, cast

from textual import on
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import DataTable, Static

from callback_tui.store import queries
from callback_tui.store.queries import StaffMember
from callback_tui.tui.messages import DataChanged
from callback_tui.tui.workers import reporting

if TYPE_CHECKING:
    from callback_tui.tui.app import CallbackApp


def app_of(node: DOMNode) -> CallbackApp:
    """The running CallbackApp, typed (screens reach the desk and the clinic through it)."""
    return cast("CallbackApp", node.app)


def load_staff(node: DOMNode, then: Callable[[list[StaffMember]], None]) -> None:
    """Read the staff list in a thread worker and hand it to `then` on the UI thread."""
    app = app_of(node)

    def read() -> None:
        staff = queries.staff(app.database)
        app.call_from_thread(then, staff)

    node.run_worker(reporting(node, read), thread=True, exclusive=True, group="staff")


class FieldError(Static):
    """The message under a form field; empty (and hidden) when the field is fine."""

    DEFAULT_CSS = """
    FieldError { color: $error; height: auto; display: none; }
    FieldError.-shown { display: block; }
    """

    def __init__(self, field: str) -> None:
        super().__init__("", id=f"error-{field}", markup=False)

    def show(self, message: str | None) -> None:
        self.update(message or "")
        self.set_class(bool(message), "-shown")


def show_errors(screen: Screen[Any], problems: Mapping[str, str]) -> None:
    """Put each problem under its field and clear the others; focus the first bad field."""
    first: str | None = None
    for error in screen.query(FieldError):
        field = (error.id or "").removeprefix("error-")
        error.show(problems.get(field))
        if field in problems and first is None:
            first = field
    if first is not None:
        target = screen.query(f"#{first}")
        if target:
            target.first().focus()


def steady_cursors(node: DOMNode) -> None:
    """Stop cursors blinking where the app asks for it (snapshots need a still screen)."""
    if app_of(node).blink:
        return
    # Imported here: the text area is not needed to paint the queue.
    from textual.widgets import Input, TextArea

    for widget in node.query("Input, TextArea"):
        if isinstance(widget, Input | TextArea):
            widget.cursor_blink = False


class ListScreen(Screen[None]):
    """A full screen around one DataTable whose row keys name what each row shows.

    Subclasses keep their rows by key and enable their keys in `check_action`; moving the
    cursor refreshes the footer, so keys that do not apply to the row show dimmed.
    """

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    COLUMNS: tuple[str, ...] = ()

    def __init__(self) -> None:
        # The table stays hidden until its first load has filled it (no empty flash, and no
        # header-wide first paint left behind a modal).
        super().__init__(classes="-loading")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for column in self.COLUMNS:
            table.add_column(column, key=column.lower())
        table.focus()
        self.reload()

    def reload(self) -> None:
        """Start loading what the table shows (in a worker); subclasses say what."""
        raise NotImplementedError

    @on(DataChanged)
    def _changed(self) -> None:
        self.reload()

    def filled(self) -> None:
        """Call once the table holds what was loaded."""
        self.remove_class("-loading")

    def current_key(self) -> str | None:
        """The highlighted row's key, or None when the table is empty or not there yet."""
        if not self.is_mounted:
            return None
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value

    @on(DataTable.RowHighlighted)
    def _moved(self) -> None:
        self.refresh_bindings()  # the footer rebuilds only if a key's state changed

    def show_rows(self, rows: Mapping[str, tuple[object, ...]]) -> None:
        """Put `rows` (cells by row key, in order) in the table, keeping the cursor's row,
        or its place when that row has gone (a call saved: on to the next).

        The table is rebuilt, not patched: DataTable keys its render caches by its count of
        changes, so a patched table re-renders every row anyway and only piles up stale
        cache entries, which `clear` lets go of. (widgets/table.py's Table keeps its own
        renders by content, so rows that did not change are not rendered again.)
        """
        table = self.query_one(DataTable)
        keep, place = self.current_key(), table.cursor_row
        table.clear()
        for key, cells in rows.items():
            table.add_row(*cells, key=key)
        if keep is not None and keep in rows:
            table.move_cursor(row=table.get_row_index(keep))
        elif rows:  # its row has left the list: the next one takes its place
            table.move_cursor(row=min(place, len(rows) - 1))

    def action_cursor_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()
