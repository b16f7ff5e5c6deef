"""One cold start, in its own process: open the app, paint the queue, print READY, exit.

`python bench/startup.py app DB` runs callback-tui on DB as AB; `python bench/startup.py floor`
runs the floor: a bare Textual app with a Header, a 50-row DataTable and a Footer.
READY is followed by the process's peak resident memory (KiB).
"""

from __future__ import annotations

import sys
from pathlib import Path


def peak_kib() -> int:
    """This process's peak resident memory. VmHWM belongs to the address space, so unlike
    ru_maxrss it does not carry over the high-water mark of the parent that spawned us."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status (Linux only)")


def ready() -> None:
    print(f"READY {peak_kib()}", flush=True)


def run_floor() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class Floor(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("When", "Patient", "Client", "Reason", "Tries", "Owner", "Marks")
            for i in range(50):
                table.add_row("09:00", f"Pet {i}", f"Client {i}", "Vomiting", "0", "AB", "vm")

        def on_ready(self) -> None:
            self.call_after_refresh(self.done)  # the first refresh shown (see run_app)

        def done(self) -> None:
            ready()
            self.exit()

    Floor().run(headless=True, size=(120, 36))


def run_app(db: str) -> None:
    from textual.screen import Screen

    from callback_tui.clock import FixedClock, zone
    from callback_tui.config import Settings, load_clinic
    from callback_tui.store.engine import open_database
    from callback_tui.tui.app import CallbackApp
    from callback_tui.tui.screens import today

    sys.path.insert(0, str(Path(__file__).parent))
    from day import NOW

    # Without PINs: what is measured is the start to the painted queue, as before sign-in
    # existed (a PIN check would add a person's typing and a deliberate hash to it).
    settings = Settings(timezone="America/Chicago", require_pin=False)
    clinic = load_clinic(settings, FixedClock(tz=zone("America/Chicago"), instant=NOW))

    # READY after the first refresh that is shown with the rows in: once the rows are in
    # the table and Textual has started (App.on_ready), whichever comes last. Textual
    # mounts an app inside a batch of updates and shows nothing drawn before it ends, so
    # a refresh within it paints nothing; the floor is marked the same way.
    marks: set[str] = set()

    def mark(what: str, screen: Screen[None]) -> None:
        marks.add(what)
        if marks == {"rows in", "started"}:
            screen.call_after_refresh(done, screen)

    def done(screen: Screen[None]) -> None:
        ready()
        screen.app.exit()

    class Measured(today.TodayScreen):
        def filled(self) -> None:
            super().filled()
            mark("rows in", self)

    class MeasuredApp(CallbackApp):
        def on_ready(self) -> None:  # Textual calls CallbackApp.on_ready too
            mark("started", self.screen)

    today.TodayScreen = Measured  # type: ignore[misc]  # the app pushes the one it finds here
    MeasuredApp(
        open_database(db), clinic, initials="AB", watch=False, backups=True, freeze_heap=True
    ).run(headless=True, size=(120, 36))


if __name__ == "__main__":
    if sys.argv[1] == "floor":
        run_floor()
    else:
        run_app(sys.argv[2])
