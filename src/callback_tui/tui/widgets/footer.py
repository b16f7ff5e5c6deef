"""The key footer: rebuilt only when the keys it shows change, and never keeping the old ones.

Textual's footer rebuilds all its keys whenever a screen's bindings are refreshed: every move
of a list's cursor, every return from a dialog. A rebuild mounts a dozen widgets, which is most
of what a return to the queue costs; and each rebuild left the old keys alive (see
tui/watches.py).
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer as TextualFooter

from callback_tui.tui.watches import drop_detached_watches


class Footer(TextualFooter):
    """Textual's footer, rebuilt only when a key appears, goes, or is dimmed or lit."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._keys_shown: tuple[object, ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if not (screen.app.app_focus and self.is_attached and screen is self.screen):
            super().bindings_changed(screen)  # it rebuilds nothing now: nothing to remember
            return
        keys = tuple(
            (binding.key, binding.action, binding.description, binding.show, enabled, tooltip)
            for _node, binding, enabled, tooltip in screen.active_bindings.values()
        )
        if keys == self._keys_shown and self.children:
            return
        self._keys_shown = keys
        super().bindings_changed(screen)

    async def recompose(self) -> None:
        await super().recompose()
        drop_detached_watches(self)
