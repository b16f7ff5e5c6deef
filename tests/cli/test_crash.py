"""Killing the app mid-typing loses at most a few seconds: the real program, in a terminal."""

from __future__ import annotations

import signal
from pathlib import Path

from callback_tui.store import notes
from callback_tui.store.engine import open_database
from callback_tui.store.notes import NoteView
from tests.cli.terminal import Terminal, until


def stored(db_path: Path) -> NoteView:
    database = open_database(str(db_path))
    try:
        (note,) = notes.notes(database)
        return note
    finally:
        database.dispose()


def test_killed_mid_typing_the_draft_is_kept_and_offered_again(
    clinic_files: tuple[dict[str, str], Path],
) -> None:
    env, db_path = clinic_files
    first = Terminal(["--initials", "DRW"], env)
    try:
        first.wait_for("Drafts")
        first.mark()
        first.type("d")
        first.wait_for("Owner worried.")  # the draft's row in the inbox
        first.mark()
        first.type("\r")
        first.wait_for("Medical note by AB")
        first.type(" Call her back after 4 pm")
        until(
            lambda: stored(db_path).body == "Owner worried. Call her back after 4 pm",
            "the autosave",
        )
    finally:
        first.kill()
    assert first.process.returncode == -signal.SIGKILL
    kept = stored(db_path)
    assert (kept.body, kept.editing_by, kept.status) == (
        "Owner worried. Call her back after 4 pm",
        "DRW",
        "draft",
    )

    second = Terminal(["--initials", "DRW"], env)
    try:
        second.wait_for("unsaved notes from last time")
        second.mark()
        second.type("\r")
        second.wait_for("Medical note by AB")
        second.type(".")
        second.type("\x13")  # ctrl+s
        until(lambda: stored(db_path).editing_by is None, "the save")
    finally:
        code = second.quit()
    assert code == 0
    assert stored(db_path).body == "Owner worried. Call her back after 4 pm."
