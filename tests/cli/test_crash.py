"""Killing the app mid-typing loses at most a few seconds: the real program, in a terminal."""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from callback_tui.clock import FixedClock, zone
from callback_tui.config import Settings, load_clinic
from callback_tui.domain.vocab import Outcome
from callback_tui.store import notes
from callback_tui.store.engine import open_database
from callback_tui.store.notes import NoteView
from callback_tui.store.services import CallOutcome, FrontDesk
from tests.conftest import add_visit

SCRIPT = Path(sys.executable).with_name("callback-tui")
WAIT = 30.0
"""Seconds to wait for the program to show or store something (a slow CI machine)."""


class Terminal:
    """`callback-tui` on a pseudo-terminal of 120 x 36, its output collected as it comes."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.main, secondary = pty.openpty()
        fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 36, 120, 0, 0))
        self.process = subprocess.Popen(
            [str(SCRIPT), *args],
            stdin=secondary,
            stdout=secondary,
            stderr=secondary,
            env=env,
            start_new_session=True,
        )
        os.close(secondary)
        self.output = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.main, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output.extend(chunk)

    def wait_for(self, text: str) -> None:
        """Until `text` has been drawn (since the last `mark`)."""
        until(lambda: text.encode() in self.output, f"the screen to show {text!r}")

    def mark(self) -> None:
        self.output.clear()

    def type(self, keys: str) -> None:
        for key in keys:
            os.write(self.main, key.encode())
            time.sleep(0.01)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=WAIT)
        os.close(self.main)

    def quit(self) -> int:
        self.type("\x11")  # ctrl+q
        code = self.process.wait(timeout=WAIT)
        os.close(self.main)
        return code


def until(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting for {what}")


@pytest.fixture
def clinic_files(tmp_path: Path) -> Iterator[tuple[dict[str, str], Path]]:
    """A database with one concern draft for DRW, and the environment to open it."""
    settings_file = tmp_path / "settings.toml"
    # Sign-in is tested on its own (tests/tui/test_sign_in.py); here the crash is what counts.
    settings_file.write_text(
        'timezone = "America/Chicago"\nautosave_seconds = 0.5\nrequire_pin = false\n'
    )
    db_path = tmp_path / "data" / "callback.db"
    tz = zone("America/Chicago")
    from datetime import datetime

    now = datetime(2026, 11, 24, 9, 0, tzinfo=tz)
    clinic = load_clinic(Settings(timezone="America/Chicago"), FixedClock(tz=tz, instant=now))
    database = open_database(str(db_path))
    desk = FrontDesk(database, clinic)
    desk.staff.add("setup", "AB", "Alex Baker", "assistant")
    desk.staff.add("setup", "DRW", "Dr. Wong", "doctor")
    callback = add_visit(desk)[0]
    desk.callbacks.log_outcome(
        "AB",
        callback.id,  # type: ignore[arg-type]
        callback.version,
        CallOutcome(Outcome.SPOKE, "Owner worried.", concern_for_doctor=True),
    )
    database.dispose()
    env = {
        **os.environ,
        "CALLBACK_TUI_DB": str(db_path),
        "CALLBACK_TUI_SETTINGS": str(settings_file),
        "CALLBACK_TUI_NOW": "2026-11-24T09:00:00-06:00",
        "TERM": "xterm-256color",
    }
    yield env, db_path


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
