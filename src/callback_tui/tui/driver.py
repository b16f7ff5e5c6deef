"""Textual's terminal driver (Linux, macOS), answering `escape` in a few hundredths of a second.

A terminal sends `escape` as the byte that also starts the sequences of other keys (arrows,
function keys), so a lone escape can only be told apart by waiting a moment for more bytes.
Textual waits `ESCDELAY` milliseconds (100 unless set), but looks for the end of that wait only
when its input loop wakes, every 100 ms: a lone escape was taken 100 to 200 ms after it was
pressed. Every "back" at the desk is an escape. Measured through a pseudo-terminal, escape
to the screen beneath repainted: 109 ms median with Textual's driver, 48 ms with this one.

`Driver` wakes its input loop exactly when the wait ends, and the wait is 25 ms unless the
person set `ESCDELAY` (tui/__init__.py sets it before Textual reads it). The bytes of one key
sequence arrive together (a terminal writes them at once; over SSH, in one packet), so a short
wait splits none. Escape typed quickly before a key reads as that key with alt held, whatever
the wait; the app takes it apart again (tui/keys.py).

The loop is Textual 8's `LinuxDriver.run_input_thread` with that one change, and its parser
(`Parser`) reads escape then a key of the top row as the others: Textual reads those few as
the character WezTerm on macOS sends for Option and that key, so a quick `escape` `9` (back,
then the reports' 90 days) typed "ª" into the field left open.
"""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder
from collections.abc import Iterable

from textual import events
from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
from textual._loop import loop_last
from textual._parser import ParseError
from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver
from textual.keys import _character_to_key

LOOP_WAKE = 0.1
"""Seconds the input loop sleeps at most with nothing to read (as Textual's)."""


OPTION_ROW = frozenset(
    sequence
    for sequence, meant in ANSI_SEQUENCES_KEYS.items()
    if len(sequence) == 2 and sequence[0] == "\x1b" and isinstance(meant, str)
)
"""Escape then a key of the top row ("\x1b9"), which Textual reads as a character ("ª")."""


class Parser(XTermParser):
    """Textual's parser, but escape then a top-row key is that key with alt held, as escape
    then any other character is (see the module); and escape then a key Textual names
    without alt (enter, space, ctrl+s…) is escape, then that key.

    Textual gives alt only to a key named by one character: escape typed quickly before
    enter was read as a plain enter, the escape lost (back from the reports, then the next
    call: the reports stayed, and took the enter)."""

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        if sequence in OPTION_ROW:
            character = sequence[1]
            name = character if character.isalnum() else _character_to_key(character)
            yield events.Key(f"alt+{name}", character)
            return
        keys = list(super()._sequence_to_key_events(sequence, alt))
        if alt and not any(key.key.startswith("alt+") for key in keys):
            yield events.Key("escape", "\x1b")  # the escape the alt stood for
        yield from keys


class Driver(LinuxDriver):
    """LinuxDriver, its input loop woken when an escape's wait ends (see the module)."""

    def run_input_thread(self) -> None:
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        fileno = self.fileno
        event_read = selectors.EVENT_READ
        parser = Parser(self._debug)
        feed = parser.feed
        tick = parser.tick
        decode = getincrementaldecoder("utf-8")().decode

        def process(ready: list[tuple[selectors.SelectorKey, int]], final: bool = False) -> None:
            for last, (_key, mask) in loop_last(ready):
                if mask & event_read:
                    data = decode(os.read(fileno, 1024 * 4), final=final and last)
                    if not data:
                        break  # stdin piped, and at its end
                    for event in feed(data):
                        self.process_message(event)
            for event in tick():
                self.process_message(event)

        def sleep() -> float:
            """Until the escape's wait ends, if one is running; else as Textual sleeps."""
            ends = parser._timeout_time
            if ends is None:
                return LOOP_WAKE
            return min(LOOP_WAKE, max(0.0, ends - get_time()))

        try:
            while not self.exit_event.is_set():
                process(selector.select(sleep()))
            selector.unregister(self.fileno)
            process(selector.select(LOOP_WAKE), final=True)
        finally:
            selector.close()
            try:
                for _event in feed(""):
                    pass
            except (EOFError, ParseError):
                pass
