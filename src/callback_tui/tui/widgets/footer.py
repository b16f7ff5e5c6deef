"""The key footer: every key on one line at any width, rebuilt only when what it shows changes.

Textual's footer rebuilds all its keys whenever a screen's bindings are refreshed: every move
of a list's cursor, every return from a dialog. A rebuild mounts a dozen widgets, which is most
of what a return to the queue costs; and each rebuild left the old keys alive (see
tui/watches.py).

On a narrow terminal Textual's footer cuts off the keys at its right end. This one gives up
the least useful parts first, until every key fits: the spacing, then the command palette's
key (ctrl+p still opens it), then the long descriptions of the keys at the right end (the
app's own, then the screen's least used), then those descriptions altogether. The keys
themselves always stay; f1 lists every key with its full description.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from msgspec import Struct
from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

from callback_tui.tui.watches import drop_detached_watches

SHORT = {
    "Log call": "Log",
    "Go to": "Go",
    "Client update": "Update",
    "This patient / all": "Patient",
    "Open note": "Open",
    "Leave (kept)": "Leave",
    "Save step": "Save",
    "Save draft": "Save",
    "Find patient": "Find",
    "Copy summary": "Copy",
    "Close incident": "Close",
    "Append amendment": "Amend",
    "Left message": "Left msg",
    "No answer": "No ans",
    "Wrong number": "Wrong #",
}
"""Shorter descriptions the footer falls back on when the full ones do not fit."""


class Plan(Struct, frozen=True):
    """How the footer shows its keys at one width."""

    compact: bool
    palette: bool
    descriptions: tuple[str, ...]


def key_width(key: str, description: str, compact: bool) -> int:
    """Cells one key takes in the footer (Textual's footer styles: padding and margins)."""
    if compact:  # "k desc" and a space after it
        return cell_len(key) + (1 + cell_len(description) if description else 0) + 1
    return cell_len(key) + 2 + (cell_len(description) + 1 if description else 0)


def plans(
    keys: Sequence[tuple[str, str]], compact: bool, palette: bool
) -> Iterator[tuple[Plan, int]]:
    """Ways to show `keys` ((key, description) pairs, most important first), each with the
    cells it takes, from the fullest to the barest."""
    palette_key = ("^p", "palette")

    def width(plan: Plan) -> int:
        shown = [
            key_width(key, description, plan.compact)
            for (key, _full), description in zip(keys, plan.descriptions, strict=True)
        ]
        if plan.palette:  # a border on its left; docked to the right
            shown.append(key_width(*palette_key, plan.compact) + (1 if plan.compact else 2))
        return sum(shown)

    full = tuple(description for _key, description in keys)
    steps = [Plan(compact, palette, full), Plan(True, palette, full), Plan(True, False, full)]
    descriptions = list(full)
    for index in reversed(range(len(keys))):  # the least important keys give way first
        short = SHORT.get(descriptions[index])
        if short is not None:
            descriptions[index] = short
            steps.append(Plan(True, False, tuple(descriptions)))
    for index in reversed(range(len(keys))):
        if descriptions[index]:
            descriptions[index] = ""
            steps.append(Plan(True, False, tuple(descriptions)))
    for plan in steps:
        yield plan, width(plan)


def fit(keys: Sequence[tuple[str, str]], available: int, compact: bool, palette: bool) -> Plan:
    """The fullest way to show `keys` in `available` cells (the barest if none fits)."""
    last: Plan | None = None
    for plan, width in plans(keys, compact, palette):
        if width <= available:
            return plan
        last = plan
    assert last is not None
    return last


Key = tuple[str, str, str]
"""A key as the footer shows it: (key, action, description)."""
Shown = tuple[int, tuple[Key, ...]]
"""The footer's width, and the keys it shows, most important first."""


class Footer(TextualFooter):
    """Textual's footer, fitted to its width, rebuilt only when a key it has never shown
    appears, or the width changes.

    A key that is only dimmed or lit is set in place. Keys that go away and come back with
    the focus (a dialog's letter keys, while its notes field takes letters) are hidden and
    shown again: a rebuild would mount and style every key, most of the cost of a focus
    move in a dialog.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._keys_shown: Shown | None = None
        """The width and the keys shown, as last set."""
        self._rebuild_asked = False
        self._keys_built: Shown | None = None
        """The width and the keys the footer was built with (a superset of those shown)."""
        self._compact_asked = self.compact
        self._palette_asked = self.show_command_palette
        self._built = Plan(self._compact_asked, self._palette_asked, ())
        """The plan the footer was built with."""

    def _width(self) -> int:
        return self.size.width or self.app.size.width

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if not (screen.app.app_focus and self.is_attached and screen is self.screen):
            super().bindings_changed(screen)  # it rebuilds nothing now: nothing to remember
            return
        shown = [  # only what it shows: hidden keys come and go with the focus (ctrl+c)
            (binding, enabled, tip)
            for _node, binding, enabled, tip in screen.active_bindings.values()
            if binding.show
        ]
        keys: Shown = (
            self._width(),
            tuple((binding.key, binding.action, binding.description) for binding, _, _ in shown),
        )
        states = {(b.key, b.action): (enabled, tip) for b, enabled, tip in shown}
        if keys == self._keys_shown and self.children:
            # The same keys: only whether each is lit, and its tooltip, may have changed
            # (most moves of a cursor, most returns from a dialog). Set those in place.
            self._relight(states)
            return
        if self.children and self._show_only(keys):
            self._keys_shown = keys
            self._relight(states)
            return
        self._keys_shown = self._keys_built = keys
        # As Textual's footer does, but once: a new footer hears of its screen's keys a few
        # times before its first build (its keys unbuilt), and asked each time, built anew.
        self._bindings_ready = True
        if not self._rebuild_asked:
            self._rebuild_asked = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_asked = False
        await self.recompose()

    def _show_only(self, keys: Shown) -> bool:
        """Show just `keys` (the width, then each key) of those built, in place; False when
        that cannot be done: a key not built, another width, or another order."""
        built = self._keys_built
        width, wanted = keys
        if built is None or built[0] != width or not is_subsequence(wanted, built[1]):
            return False
        built_keys = {
            (footer_key.key, footer_key.action): footer_key
            for footer_key in self.query_children(FooterKey)
            if not footer_key.has_class("-command-palette")
        }
        plan = fit(
            [(built_keys[key, action].key_display, words) for key, action, words in wanted],
            width,
            self._compact_asked,
            self._palette_asked,
        )
        if (plan.compact, plan.palette) != (self._built.compact, self._built.palette):
            return False  # every key would be styled again: as costly as a rebuild
        descriptions = dict(zip(((k, a) for k, a, _ in wanted), plan.descriptions, strict=True))
        for place, footer_key in built_keys.items():
            description = descriptions.get(place)
            footer_key.display = description is not None
            if description is not None and footer_key.description != description:
                footer_key.description = description
                footer_key.refresh(layout=True)
        return True

    def _relight(self, states: dict[tuple[str, str], tuple[bool, str]]) -> None:
        """Dim or light each key shown as `states` says ((key, action): (enabled, tooltip)),
        as Textual's footer would have built it (no binding groups here: keys stand alone)."""
        for key in self.query_children(FooterKey):
            state = states.get((key.key, key.action))
            if state is None:
                continue  # the command palette's key
            enabled, tip = state
            if key._disabled == enabled:  # Textual's footer keeps the state there
                key._disabled = not enabled
                key.set_class(not enabled, "-disabled")
            if key.tooltip != (tip or None):
                key.tooltip = tip or None

    def on_resize(self, event: events.Resize) -> None:
        if self._keys_shown is not None and self._keys_shown[0] != event.size.width:
            self.bindings_changed(self.screen)

    def compose(self) -> ComposeResult:
        widgets: list[Widget] = list(super().compose())
        keys = [
            w for w in widgets if isinstance(w, FooterKey) and not w.has_class("-command-palette")
        ]
        plan = fit(
            [(key.key_display, key.description) for key in keys],
            self._width(),
            self._compact_asked,
            self._palette_asked,
        )
        self.compact = plan.compact
        self._built = plan
        for key, description in zip(keys, plan.descriptions, strict=True):
            key.description = description
            # As the key's binding to the footer's `compact` will set it once mounted: then
            # it changes nothing, rather than style each new key a second time.
            key.set_class(plan.compact, "-compact", update=False)
        for widget in widgets:
            if plan.palette or not widget.has_class("-command-palette"):
                yield widget

    async def recompose(self) -> None:
        await super().recompose()
        drop_detached_watches(self)


def is_subsequence(part: Sequence[object], whole: Sequence[object]) -> bool:
    """Whether `part` is `whole` with some items left out, in the same order."""
    remaining = iter(whole)
    return all(any(item == other for other in remaining) for item in part)
