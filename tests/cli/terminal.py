"""`callback-tui` run in a pseudo-terminal, as a person runs it: keys in, the screen out."""

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
from collections.abc import Callable
from pathlib import Path

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

    def write(self, sequence: str) -> None:
        """`sequence` in one write, as a terminal sends keys typed faster than it reads."""
        os.write(self.main, sequence.encode())

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
