"""Keys as a terminal sends them, read by the real program: typed fast, none misread."""

from __future__ import annotations

from pathlib import Path

from tests.cli.terminal import Terminal


def test_escape_typed_fast_before_a_key_is_escape_then_that_key(
    clinic_files: tuple[dict[str, str], Path],
) -> None:
    """A terminal sends escape, g, v typed within a tenth of a second as one read that
    Textual takes for alt+g, v: back from the drafts inbox, then the daily review (g v)."""
    env, _db_path = clinic_files
    terminal = Terminal(["--initials", "DRW"], env)
    try:
        terminal.wait_for("Drafts")
        terminal.mark()
        terminal.type("d")
        terminal.wait_for("Owner worried.")  # the inbox is open
        terminal.mark()
        terminal.write("\x1bgv")  # one write: the bytes arrive together
        terminal.wait_for("Daily review")
    finally:
        code = terminal.quit()
    assert code == 0


def test_an_arrow_key_stays_an_arrow_and_a_lone_escape_goes_back(
    clinic_files: tuple[dict[str, str], Path],
) -> None:
    """The escape wait is short (tui/driver.py): an arrow's bytes, sent together, are still
    one key, and a lone escape still comes through once the wait is over."""
    env, _db_path = clinic_files
    terminal = Terminal(["--initials", "DRW"], env)
    try:
        terminal.wait_for("Drafts")
        terminal.mark()
        terminal.type("d")
        terminal.wait_for("Owner worried.")
        terminal.write("\x1b[B")  # down: an escape, not alone
        terminal.mark()
        terminal.type("\r")  # still in the inbox: enter opens the draft
        terminal.wait_for("Medical note by AB")
        terminal.mark()
        terminal.write("\x1b")  # alone: back to the inbox (nothing typed, nothing asked)
        terminal.wait_for("Owner worried.")
    finally:
        code = terminal.quit()
    assert code == 0
