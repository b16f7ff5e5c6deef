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
