"""Keys as a terminal sends them, read by the real program: typed fast, none misread."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.terminal import Terminal


@pytest.fixture
def inbox(clinic_files: tuple[dict[str, str], Path]) -> Iterator[Terminal]:
    """`callback-tui` as DRW in a terminal, the drafts inbox open; it must quit cleanly."""
    env, _db_path = clinic_files
    terminal = Terminal(["--initials", "DRW"], env)
    try:
        terminal.wait_for("Drafts")
        terminal.mark()
        terminal.type("d")
        terminal.wait_for("Owner worried.")  # the draft's row
        terminal.mark()
        yield terminal
    finally:
        code = terminal.quit()
    assert code == 0


def test_escape_typed_fast_before_a_key_is_escape_then_that_key(inbox: Terminal) -> None:
    """A terminal sends escape, g, v typed within the escape wait as one read that Textual
    takes for alt+g, v: back from the drafts inbox, then the daily review (g v)."""
    inbox.write("\x1bgv")  # one write: the bytes arrive together
    inbox.wait_for("Daily review")


def test_an_arrow_key_stays_an_arrow_and_a_lone_escape_goes_back(inbox: Terminal) -> None:
    """The escape wait is short (tui/driver.py): an arrow's bytes, sent together, are still
    one key, and a lone escape still comes through once the wait is over."""
    inbox.write("\x1b[B")  # down: an escape, not alone
    inbox.type("\r")  # still in the inbox: enter opens the draft
    inbox.wait_for("Medical note by AB")
    inbox.mark()
    inbox.write("\x1b")  # alone: back to the inbox (nothing typed, nothing asked)
    inbox.wait_for("Owner worried.")


def test_escape_typed_fast_before_a_digit_is_escape_then_that_digit(inbox: Terminal) -> None:
    """Escape then 9 sent together is no "ª" (Textual reads a few such pairs as the
    characters WezTerm on macOS sends for Option and a digit): the period dialog closes,
    then the reports show 90 days."""
    inbox.type("g")
    inbox.type("r")
    inbox.wait_for("Reports, 7 days")
    inbox.mark()
    inbox.type("c")
    inbox.wait_for("A period of your own")
    inbox.mark()
    inbox.write("\x1b9")  # one write: the bytes arrive together
    inbox.wait_for("Reports, 90 days")


def test_escape_typed_fast_before_enter_is_escape_then_enter(inbox: Terminal) -> None:
    """Textual reads escape then enter sent together as a plain enter (it gives alt only to
    a key named by one character): back from the reports, then enter on the draft, not an
    enter taken by the reports with the escape lost."""
    inbox.type("g")
    inbox.type("r")
    inbox.wait_for("Reports, 7 days")
    inbox.mark()
    inbox.write("\x1b\r")  # one write: the bytes arrive together
    inbox.wait_for("Medical note by AB")
