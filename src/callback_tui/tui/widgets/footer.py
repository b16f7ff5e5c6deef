"""The key footer, without keeping every key it ever showed (see tui/watches.py)."""

from __future__ import annotations

from textual.widgets import Footer as TextualFooter

from callback_tui.tui.watches import drop_detached_watches


class Footer(TextualFooter):
    """Textual's footer; each rebuild of its keys lets the old ones go."""

    async def recompose(self) -> None:
        await super().recompose()
        drop_detached_watches(self)
