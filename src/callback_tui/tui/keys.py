"""Typed keys, taken one at a time: none lost, none ahead of what the one before it did.

Textual hands each key from the terminal to the focused widget's queue and goes straight on
to the next, so a fast typist's keys run ahead of their effects: after `enter`, the `n` that
was meant for the Log call dialog reaches the queue's table before the dialog exists; after
`tab`, the space meant for the next checkbox lands in the text area the tab is leaving.

`KeyGate` lets the app take a key only once everything the one before it set off has settled
(every widget's messages handled, the screen on top mounted and its after-paint work done)
and the screen on top is ready for keys (its rows or fields filled in: a screen says so with
`ready_for_keys`, else `loaded`, else it is ready). The others wait, in order. Work that
decides where the next keys go, such as a save that closes a dialog, holds the gate closed
until it is done (`hold` / `release`).

A key's action may take the key typed right behind it and answer it itself (`take_next`):
`g` takes the place's key waiting behind it and goes there, without opening its menu first.

Nothing waits for ever: a key is let through after WAIT_LIMIT whatever the screen is doing
(a stuck keyboard is worse than a race).

The gate also says when a key's work is over (`on_quiet`): everything it set off settled,
no hold in force, the screen on top ready for the next key and painted (or WAIT_LIMIT
passed).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import events
from textual.css.query import NoMatches
from textual.keys import _character_to_key

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

WAIT_LIMIT = 2.0
"""Seconds a key waits at most: for the one before it to settle, or for the screen."""
POLL = 0.002
"""Seconds between looks, once a few immediate looks found the app still busy."""


def ready_for_keys(screen: Screen[Any]) -> bool:
    """Whether `screen` has what it shows (rows, filled fields) and may take keys."""
    if not screen.is_mounted:
        return False
    try:
        if hasattr(type(screen), "ready_for_keys"):
            return bool(screen.ready_for_keys)  # type: ignore[attr-defined]
        return bool(getattr(screen, "loaded", True))
    except NoMatches:  # its widgets are not all there yet
        return False


def escape_then(key: events.Key) -> tuple[events.Key, events.Key] | None:
    """The two keys an `alt+` key most likely was: escape, then the key.

    A terminal sends escape as the byte that also starts the sequences of other keys, and
    Textual reads escape followed by a key within its escape wait (tui/driver.py) as that
    key with alt held.
    A fast `escape` `g` `v` (back, then go to the daily review) would arrive as alt+g then v.
    No key of this app is bound with alt, so an alt+ key with a character is taken apart
    again: escape, then the key (None for any other key).
    """
    character = key.character
    if not key.key.startswith("alt+") or character is None or len(character) != 1:
        return None
    if not character.isprintable():
        return None
    return events.Key("escape", "\x1b"), events.Key(_character_to_key(character), character)


class KeyGate:
    """One key at a time (see the module's docstring)."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.waiting: deque[events.Key | events.Paste] = deque()
        self._in_hand = False
        """A key was let through and what it set off has not settled yet."""
        self._since = 0.0
        """When the key in hand was let through, or the first waiting key began to wait."""
        self._holds: dict[object, float] = {}
        """Holds in force, by token, with when each was taken."""
        self._passed: events.Key | events.Paste | None = None
        self._watcher: asyncio.Task[None] | None = None
        self.on_quiet: Callable[[], object] | None = None
        """Called once the work of the keys let through is over (see the module's
        docstring)."""
        self._quiet_due = False
        """A key was let through since `on_quiet` was last called."""

    # -- the app's side -------------------------------------------------------------------

    def admit(self, key: events.Key | events.Paste) -> bool:
        """Whether `key` (or a paste), fresh from the terminal, may be handled now; if not,
        it waits."""
        if key is self._passed:
            self._passed = None
        elif self.waiting or self._in_hand or not self._open():
            if not self.waiting:
                self._since = self._now()
            self.waiting.append(key)
            self._watch()
            return False
        self._in_hand = True
        self._since = self._now()
        self._quiet_due = self.on_quiet is not None
        self._watch()
        return True

    # -- the screens' side ----------------------------------------------------------------

    def hold(self) -> object:
        """Keep keys waiting until `release(token)` (a save that will close its dialog, say).

        A hold lapses after WAIT_LIMIT even if never released (its worker cancelled before
        it ran, say): keys are never stopped for good."""
        token = object()
        self._holds[token] = self._now()
        return token

    def release(self, token: object) -> None:
        self._holds.pop(token, None)
        self._watch()

    def take_next(self, wanted: Callable[[str], bool]) -> str | None:
        """The key waiting first, taken out of the queue if `wanted(its name)`; else None,
        and it stays (a key typed ahead that the key before it can answer itself)."""
        first = self.waiting[0] if self.waiting else None
        if isinstance(first, events.Key) and wanted(first.key):
            self.waiting.popleft()
            return first.key
        return None

    @property
    def idle(self) -> bool:
        """No key in hand and none waiting."""
        return not (self._in_hand or self.waiting)

    # -- inside ---------------------------------------------------------------------------

    def _now(self) -> float:
        return asyncio.get_running_loop().time()

    def _watch(self) -> None:
        if self._watcher is None or self._watcher.done():
            self._watcher = asyncio.create_task(self._run())

    async def _run(self) -> None:
        looks = 0
        while self._in_hand or self.waiting or self._quiet_due:
            await asyncio.sleep(0 if looks < 20 else POLL)
            looks += 1
            overdue = self._now() - self._since > WAIT_LIMIT
            if self._in_hand and (overdue or self._settled()):
                self._in_hand = False
                self._since = self._now()
            if not self._in_hand and self.waiting and (overdue or self._open()):
                self._passed = self.waiting.popleft()
                self._in_hand = True  # until the app takes it (admit), and it settles
                self._since = self._now()
                self.app.post_message(self._passed)
                looks = 0
            if self._quiet_due and self.idle and (overdue or (self._open() and self._painted())):
                self._quiet_due = False
                if self.on_quiet is not None:
                    self.on_quiet()

    def _open(self) -> bool:
        """Whether the screen on top may take a key now."""
        if self._holds:
            now = self._now()
            for token, since in list(self._holds.items()):
                if now - since > WAIT_LIMIT:
                    del self._holds[token]
            if self._holds:
                return False
        try:
            screen = self.app.screen
        except Exception:  # no screen yet, or the app is closing: nothing to wait for
            return True
        return ready_for_keys(screen) and self._settled()

    def _painted(self) -> bool:
        """Whether the screen on top has nothing left to lay out or paint."""
        try:
            screen = self.app.screen
        except Exception:
            return True
        return not (screen._layout_required or screen._repaint_required or screen._dirty_widgets)

    def _settled(self) -> bool:
        """Whether every message sent so far to the app and the screen on top (its widgets)
        has been handled, and the screen is painted.

        Only those: the screens kept out of sight hold some forty widgets each, which no
        key reaches, and this is looked at many times for each key."""
        app = self.app
        try:
            screen = app.screen
        except Exception:
            return True
        if not screen.is_mounted or screen._callbacks:
            return False
        return all(
            pump._message_queue.empty()
            and pump._pending_message is None
            and not pump._next_callbacks
            for pump in (app, screen, *screen.walk_children())
            if not pump._closed
        )
