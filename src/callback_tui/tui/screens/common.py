"""Small pieces the screens share."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from time import monotonic
from typing import TYPE_CHECKING, Any, TypeVar, cast

from rich.text import Text
from textual import events, on
from textual.binding import Binding
from textual.cache import LRUCache
from textual.coordinate import Coordinate
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import UPDATE_PERIOD, Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import DataTable, RadioButton, RadioSet, Static

from callback_tui.store import queries
from callback_tui.store.queries import StaffMember
from callback_tui.tui.messages import DataChanged
from callback_tui.tui.widgets import columns
from callback_tui.tui.widgets.table import Table, content_of
from callback_tui.tui.workers import reporting

if TYPE_CHECKING:
    from callback_tui.tui.app import CallbackApp


F = TypeVar("F")


GO_TIP = "Go to tasks, incidents, staff, the hand-off, the reports or the reviews"
"""What `g` does, from every screen that has it (tasks.py PLACES lists the places)."""


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


def show_text(widget: Static, content: str | Text) -> None:
    """`widget.update(content)`, unless the widget shows just that already: an update lays
    the whole screen out again, and a screen coming back often says what it said before."""
    shown = widget.content
    if isinstance(content, str):
        same = isinstance(shown, str) and shown == content
    else:
        same = isinstance(shown, Text) and content_of(shown) == content_of(content)
    if not same:
        widget.update(content)


def leave_asking(screen: Screen[Any], typed: bool, question: str, detail: str) -> None:
    """Close `screen` with nothing done; first ask `question` (y / n) when something was typed
    in it, and stay, with what was typed, on a no."""
    if not typed:
        screen.dismiss(None)
        return
    from callback_tui.tui.widgets.confirm import Confirm

    def answered(discard: bool | None) -> None:
        if discard:
            screen.dismiss(None)

    screen.app.push_screen(Confirm(question, detail), answered)


class FieldError(Static):
    """The message under a form field; empty (and hidden) when the field is fine."""

    DEFAULT_CSS = """
    FieldError { color: $error; height: auto; display: none; }
    FieldError.-shown { display: block; }
    """

    def __init__(self, field: str) -> None:
        super().__init__("", id=f"error-{field}", markup=False)
        self.field = field
        self.refused: object = None
        """What the field held when the message was put here (see FormScreen)."""

    def show(self, message: str | None, refused: object = None) -> None:
        show_text(self, message or "")
        self.set_class(bool(message), "-shown")
        self.refused = refused if message else None


def empty_form(screen: Screen[Any], defaults: Mapping[str, str] | None = None) -> None:
    """Every field of `screen` as a new form has it, for a kept form opened again: text
    fields and boxes empty, boxes unticked, choices unmade, drop-downs at their `defaults`
    (by id) or blank, no errors. Quietly: no field reports a change it did not see typed.

    One walk through the screen's widgets finds every field (a query per kind of field
    walked them all once each, and matched each against a selector)."""
    from textual.widgets import Checkbox, Input, Select, TextArea

    defaults = defaults or {}
    for node in screen.walk_children(Widget):  # a list, made before any field changes
        if isinstance(node, Input):
            with node.prevent(Input.Changed):
                node.value = ""
        elif isinstance(node, TextArea):
            with node.prevent(TextArea.Changed):
                node.load_text("")
        elif isinstance(node, Checkbox):
            with node.prevent(Checkbox.Changed):
                node.value = False
        elif isinstance(node, RadioSet):
            clear_choice(node)
        elif isinstance(node, Select):
            with node.prevent(Select.Changed):
                if node.id is not None and node.id in defaults:
                    node.value = defaults[node.id]
                else:
                    node.clear()
    show_errors(screen, {})


def checked(
    screen: Screen[Any], form: F | None, problems: Iterable[tuple[str, str]] | Mapping[str, str]
) -> F | None:
    """`form` when it was read whole (its errors cleared); else None, each problem shown
    under its field."""
    show_errors(screen, {} if form is not None else dict(problems))
    return form


def show_errors(screen: Screen[Any], problems: Mapping[str, str]) -> None:
    """Put each problem under its field and clear the others; focus the first bad field."""
    errors: list[FieldError] = []
    by_id: dict[str, Widget] = {}  # the first widget with each id, as a query finds it
    for node in screen.walk_children(Widget):
        if isinstance(node, FieldError):
            errors.append(node)
        if node.id is not None:
            by_id.setdefault(node.id, node)
    first: str | None = None
    for error in errors:
        field = error.field
        target = by_id.get(field)
        held = field_state(target) if field in problems and target is not None else None
        error.show(problems.get(field), held)
        if field in problems and first is None:
            first = field
    if first is not None and (target := by_id.get(first)) is not None:
        target.focus()


def clear_choice(choices: RadioSet) -> None:
    """No button pressed, as a new set starts (a set will not let go of its choice itself)."""
    with choices.prevent(RadioButton.Changed, RadioSet.Changed):
        for button in choices.query(RadioButton):
            button.value = False
    choices._pressed_button = None


def field_state(widget: Widget) -> object:
    """What a form field holds now: its text, its tick, its pick."""
    # Imported here: the text area is not needed to paint the queue.
    from textual.widgets import TextArea

    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, RadioSet):
        return widget.pressed_index
    return getattr(widget, "value", None)


HELD_PAINT = 0.15
"""How long a kept screen's paint waits for its read at most (see KeptScreen)."""


def paint_waits(screen: Screen[Any]) -> bool:
    """Whether `screen`, on top and outside a batch of updates, has something waiting to be
    laid out or painted (as Screen's own idle handler tells, recomposing aside)."""
    return bool(
        screen.is_current
        and not screen.app._batch_count
        and (
            screen._layout_required
            or screen._scroll_required
            or screen._repaint_required
            or screen._dirty_widgets
        )
    )


class KeptScreen:
    """Mixed into the screens the app keeps and shows again (see app.push_kept).

    Textual restyles every widget of a screen each time it is pushed: for a kept dialog,
    half of what opening it costs, to arrive at the styles it already has. Its widgets
    restyle themselves as their classes, state or focus change, shown or not; what a
    hidden screen can miss is a change of the app's CSS (a theme), which Textual counts.
    So a kept screen is restyled on its return only when that count moved meanwhile.

    It is painted once on its return, too. Textual repaints a screen whole when it comes
    back; when its fields changed meanwhile (a form emptied, a queue's rows new), it lays
    the screen out and paints what moved first, then paints it all again in the same
    tick. One paint of it all, at the layout, shows the same.

    And a kept screen that reads what it shows again as it returns (`loaded` false) is
    first painted with what it read, not with what it showed last time and again a moment
    later: its paint waits for the read, HELD_PAINT seconds at most (then it shows what it
    has, and the rest as it comes, as a new screen does). Meanwhile the terminal shows what
    it showed.

    Two of its paints are not left to Textual's update timer, which ticks on a fixed beat
    of 1/60 s: the held one, made as soon as the read is in; and one asked for less than a
    beat after the last (rows read just after the screen was shown), made at the end of that
    beat, where the timer's next tick comes one to two beats after its last (20 to 30 ms).
    A paint asked for after a pause is still the timer's: it comes at once, after whatever
    else is on its way (`_on_idle`).

    Its first opening is spared two restyles of the whole screen as well (a third of what
    building it costs): Textual gives a new screen the classes of the terminal's size
    (`-narrow`, `-tall`…) once its widgets are styled, and restyles them all again as it is
    first shown. The size's classes are given before its widgets are made; and widgets
    styled as they mount, with the CSS of then, need no restyle when first shown with it.
    """

    _css_update_count: int
    _held_until: float | None = None
    """Until when the first paint since the return waits for the screen's read."""
    _settled = False
    """Whether this screen has been frozen out of the collector's way (app.settle_kept)."""
    _painted_at = 0.0
    """When it was last painted (monotonic seconds)."""
    _paint_due: Timer | None = None
    """The paint waiting for the frame's end (`_on_idle`)."""

    async def _on_compose(self, event: events.Compose) -> None:
        # Runs before Widget's own handler, which makes the widgets (the class comes first
        # in the MRO). The classes as Screen._on_resize gives them for the terminal's size:
        # set now, they are the same then, and nothing is restyled for them.
        screen = cast(Screen[Any], self)
        app = screen.app
        width, height = app.size
        horizontal = (
            app.HORIZONTAL_BREAKPOINTS
            if screen.HORIZONTAL_BREAKPOINTS is None
            else screen.HORIZONTAL_BREAKPOINTS
        ) or []
        vertical = (
            app.VERTICAL_BREAKPOINTS
            if screen.VERTICAL_BREAKPOINTS is None
            else screen.VERTICAL_BREAKPOINTS
        ) or []
        classes = {name: False for _, name in [*horizontal, *vertical]}
        for name in screen._get_breakpoint_classes(width, horizontal):
            classes[name] = True
        for name in screen._get_breakpoint_classes(height, vertical):
            classes[name] = True
        screen.update_classes(classes, animate=False)

    def _on_mount(self, event: events.Mount) -> None:
        # Its widgets were styled as they mounted, with the CSS of now (see the docstring).
        self._css_update_count = cast(Screen[Any], self).app._css_update_count

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's own handler (the class comes first in the MRO).
        screen = cast(Screen[Any], self)
        counted = screen.app._css_update_count
        if event.refresh_styles and self._css_update_count == counted:
            event.refresh_styles = False
        self._css_update_count = counted
        if not self._settled:
            self._settled = True
            screen.call_after_refresh(app_of(screen).settle_kept)  # once shown, built
        if not getattr(self, "loaded", True):
            self._held_until = monotonic() + HELD_PAINT
            screen.set_timer(HELD_PAINT, screen.refresh)  # paints then, read or not

    async def _on_idle(self, event: events.Idle) -> None:
        # Runs before Screen's own handler (the class comes first in the MRO), which leaves
        # the paint to its update timer (see the docstring).
        screen = cast(Screen[Any], self)
        if not paint_waits(screen):
            return
        if self._held_until is not None:
            if getattr(self, "loaded", True):
                self._on_timer_update()  # the paint held for the read: the read is in
            return
        wait = self._painted_at + UPDATE_PERIOD - monotonic()
        if wait > 0 and self._paint_due is None:
            self._paint_due = screen.set_timer(wait, self._paint_when_due)

    def _paint_when_due(self) -> None:
        self._paint_due = None
        if paint_waits(cast(Screen[Any], self)):
            self._on_timer_update()

    def _on_timer_update(self) -> None:
        screen = cast(Screen[Any], self)
        if self._held_until is not None:
            if not getattr(self, "loaded", True) and monotonic() < self._held_until:
                # Not yet: the update timer runs again at the next change (the read's).
                screen._update_timer.pause()
                return
            self._held_until = None
        if screen._layout_required and screen._repaint_required:
            # The whole screen is marked to be painted at the layout (Screen._refresh_layout
            # hands the widgets marked to the compositor first): the repaint is that one.
            screen._repaint_required = False
            screen._dirty_widgets.add(screen)
        if paint_waits(screen):  # Screen's handler paints it now
            self._painted_at = monotonic()
        super()._on_timer_update()  # type: ignore[misc]  # Screen's, next in the MRO


class FormScreen:
    """Mixed into every form screen: a field's error goes as soon as the field is changed
    (typed in, ticked, picked), so what is still on screen is still wrong.

    A change that leaves the field as it was when refused (a keystroke that reached the
    field just before the save did) keeps the error, and so does one the screen knows has
    not fixed it yet (`still_wrong`).
    """

    def still_wrong(self, field: str) -> bool:
        """Whether `field`'s error still holds after a change (for a screen that can tell)."""
        return False

    def _field_changed(self, message: Message) -> None:
        control = getattr(message, "control", None)
        if not isinstance(control, Widget) or not control.id or self.still_wrong(control.id):
            return
        for error in control.screen.query(FieldError):
            if error.field == control.id and field_state(control) != error.refused:
                error.show(None)

    # Named handlers, found through the class's MRO, so no widget module is imported here.
    _on_input_changed = _field_changed
    _on_text_area_changed = _field_changed
    _on_checkbox_changed = _field_changed
    _on_radio_set_changed = _field_changed
    _on_select_changed = _field_changed


def steady_cursors(node: DOMNode) -> None:
    """Stop cursors blinking where the app asks for it (snapshots need a still screen)."""
    if app_of(node).blink:
        return
    # Imported here: the text area is not needed to paint the queue.
    from textual.widgets import Input, TextArea

    for widget in node.query("Input, TextArea"):
        if isinstance(widget, Input | TextArea):
            widget.cursor_blink = False


class ListScreen(KeptScreen, Screen[None]):
    """A full screen around one DataTable whose row keys name what each row shows.

    Subclasses keep their rows by key and enable their keys in `check_action`; moving the
    cursor refreshes the footer, so keys that do not apply to the row show dimmed.
    """

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    COLUMNS: tuple[str, ...] = ()
    DROPPED_FIRST: tuple[str, ...] = ()
    """Columns (by heading) left out, in this order, while the rows are wider than the screen."""
    WRAPPED: tuple[str, ...] = ()
    """Columns (by heading) that may be narrowed, their text wrapped (see columns.py)."""

    initials: str
    """Whose screen it is (each list screen sets it)."""

    def __init__(self) -> None:
        # The table stays hidden until its first load has filled it (no empty flash, and no
        # header-wide first paint left behind a modal).
        super().__init__(classes="-loading")
        self._fit = columns.Fit(tuple(range(len(self.COLUMNS))))
        self._listed: Mapping[str, tuple[object, ...]] | None = None
        """The rows last shown, to fit them again to a new width."""
        self._line_counts: LRUCache[tuple[str, int], int] = LRUCache(4096)
        self._widths: dict[str, tuple[tuple[object, ...], list[int]]] = {}
        """Each row's cells as last fitted, with their widths (see `_natural`)."""

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        self._add_columns(table)
        table.focus()
        self.reload()

    def _lines(self, text: Text, width: int) -> int:
        """Lines `text` takes wrapped at `width` cells (remembered: lists repeat their texts)."""
        known = (text.plain, width)
        count = self._line_counts.get(known)
        if count is None:
            count = self._line_counts[known] = len(text.wrap(self.app.console, width))
        return count

    def _add_columns(self, table: DataTable[Any]) -> None:
        for index in self._fit.shown:
            column = self.COLUMNS[index]
            table.add_column(column, key=column.lower(), width=self._fit.widths.get(index))

    def _fitted(self, rows: Mapping[str, tuple[object, ...]]) -> columns.Fit:
        """The columns that fit the screen's width with these rows in them."""
        table = self.query_one(DataTable)
        # Less the scrollbar's gutter, kept whether or not the rows need it (app.tcss).
        room = (table.size.width or self.size.width) - table.styles.scrollbar_size_vertical
        index = self.COLUMNS.index
        return columns.fit(
            self._natural(rows),
            self.COLUMNS,
            room,
            table.cell_padding,
            dropped=[index(column) for column in self.DROPPED_FIRST],
            wrapping=[index(column) for column in self.WRAPPED],
        )

    def _natural(self, rows: Mapping[str, tuple[object, ...]]) -> list[int]:
        """`columns.natural_widths` of the rows, each row measured once for the cells it
        has: a list that keeps a row's cells from one load to the next (Today) measures
        only the rows that changed."""
        kept, self._widths = self._widths, {}
        for key, cells in rows.items():
            known = kept.get(key)
            if known is None or known[0] is not cells:
                known = cells, columns.row_widths(cells)
            self._widths[key] = known
        return columns.natural_widths(self.COLUMNS, (w for _c, w in self._widths.values()))

    @on(Table.Resized)
    @on(events.ScreenResume)
    def _resized(self) -> None:
        # A new terminal size, the keys panel opened beside it, back from a dialog.
        self.call_after_refresh(self._refit)  # once every size is settled

    def _refit(self) -> None:
        if self._listed is not None and self._fitted(self._listed) != self._fit:
            self.show_rows(self._listed)

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

    def show_rows(
        self, rows: Mapping[str, tuple[object, ...]], *, on_to_next: bool = False
    ) -> None:
        """Put `rows` (cells by row key, in order) in the table, keeping the cursor's row,
        or its place when that row has gone (a call saved: on to the next).

        `on_to_next`: the highlighted row was just dealt with (a call logged on it): the
        cursor goes on to the next row, even if that row is still listed (tried, and waiting
        for its next window): to the row now in its place, or the one after it when the tried
        row stayed where it was.

        A table that shows just these rows already is left alone; one that shows them and a
        few more (rows dealt with) has those removed. Otherwise it is refilled: DataTable keys
        its render caches by its count of changes, so a table patched row by row would render
        every row again anyway. (widgets/table.py's Table keeps its own renders by content,
        so rows that did not change are not rendered again, however the table was filled.)
        """
        table = self.query_one(DataTable)
        keep, place = self.current_key(), table.cursor_row
        self._listed = rows
        fitted = self._fitted(rows)
        shown = {key: columns.shown(cells, fitted, self._lines) for key, cells in rows.items()}
        if fitted == self._fit and isinstance(table, Table):
            # Read again and the same (a list opened again): the table stays as it is, and
            # is neither laid out nor painted again. The same less a few (a call saved): those
            # rows are taken out, the others stay.
            wanted = {key: cells for key, (cells, _) in shown.items()}
            same = table.shows(wanted)
            if not same:
                gone = table.left_out(wanted)
                if gone is None:
                    table.clear()
                else:
                    for row_key in gone:
                        table.remove_row(row_key)
                    same = True
        else:  # another width, or rows that need more room: other columns
            same = False
            self._fit = fitted
            table.clear(columns=True)
            self._add_columns(table)
        if not same:
            for key, (cells, height) in shown.items():
                table.add_row(*cells, key=key, height=height)
        if keep is not None and keep in rows and not on_to_next:
            table.move_cursor(row=table.get_row_index(keep))
        elif rows:  # its row has left the list (or was dealt with): on to the next one
            stayed = (
                on_to_next
                and keep is not None
                and keep in rows
                and table.get_row_index(keep) == place
            )
            if stayed:  # the row dealt with is where it was: the one after it
                place += 1
            table.move_cursor(row=min(place, len(rows) - 1))

    def action_go(self) -> None:
        """`g`, then `t` (tasks), `i` (the incidents board) or `s` (staff): from every list."""
        from callback_tui.tui.screens.tasks import go_to

        go_to(self, self.initials)

    def action_cursor_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()
