"""The start as a person sees it: `callback-tui --initials AB` in a terminal, to the painted queue.

`python bench/terminal.py [--rounds N]` runs the installed command (bench/entry.py) in a
pseudo-terminal of 120x36 on the 1-year data set, and beside it, round by round, the floor
(bench/startup.py's bare Textual app) as a script in the same kind of terminal. The time runs
from the spawn until the screen holds the queue's header counts ("done today"), which are
written with the rows once the queue has loaded; the floor's mark is its first row.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import sys
import termios
import time
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

from entry import ROUNDS, command, compiled, environment, rotated  # noqa: E402
from generate import generate  # noqa: E402

SIZE = (36, 120)
TIMEOUT = 30.0

FLOOR = """
from textual.app import App
from textual.widgets import DataTable, Footer, Header

class Floor(App):
    def compose(self):
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("When", "Patient", "Client", "Reason", "Tries", "Owner", "Marks")
        table.add_row("09:00", "FLOOR-PAINTED", "", "", "", "", "")
        for i in range(49):
            table.add_row("09:00", f"Pet {i}", f"Client {i}", "Vomiting", "0", "AB", "vm")

Floor().run()
"""


def painted(argv: list[str], mark: bytes, env: dict[str, str]) -> float:
    """Seconds from spawning `argv` in a fresh pseudo-terminal until `mark` is on its screen."""
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: a terminal of SIZE, then the command
        os.execvpe(argv[0], argv, env)
    try:
        rows, cols = SIZE

        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        seen = b""
        while mark not in seen:
            if time.perf_counter() - started > TIMEOUT:
                raise RuntimeError(f"{argv[-1]}: nothing painted in {TIMEOUT:.0f} s")
            ready, _, _ = select.select([fd], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    raise RuntimeError(f"{argv}: ended before painting: {seen[-400:]!r}") from None
                if not chunk:
                    raise RuntimeError(f"{argv}: ended before painting")
                seen = seen[-4096:] + chunk
        return time.perf_counter() - started
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def measure(rounds: int = ROUNDS) -> dict[str, float]:
    db = generate(OUT / "clinic-1y.db", 1)
    env = environment(TERM="xterm-256color", COLORTERM="truecolor")
    app = command("--db", str(db), "--initials", "AB")
    floor = [sys.executable, "-c", FLOOR]
    painted(floor, b"FLOOR-PAINTED", env)  # warm the file cache once; not counted
    painted(app, b"done today", env)
    runs = {"floor": (floor, b"FLOOR-PAINTED"), "app": (app, b"done today")}
    times: dict[str, list[float]] = {name: [] for name in runs}
    for number in range(rounds):
        for name in rotated(list(runs), number):
            times[name].append(painted(*runs[name], env))
    floor_s, app_s = statistics.median(times["floor"]), statistics.median(times["app"])
    return {"floor_seconds": floor_s, "app_seconds": app_s, "ratio": app_s / floor_s}


def report(figures: dict[str, float]) -> None:
    print(
        f"start in a terminal {figures['ratio']:.2f}  (target ≤ 1.5):"
        f" callback-tui --initials AB {figures['app_seconds'] * 1000:.0f} ms,"
        f" floor {figures['floor_seconds'] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    compiled()
    report(measure(parser.parse_args().rounds))
