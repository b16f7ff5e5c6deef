"""An outcome saved through the UI: key → committed → queue repainted, on the 1-year data set.

`python bench/ui_save.py [--saves N]` runs the app in this process under Pilot (120x36) on a
copy of the 1-year set, as AB, built as bench/startup.py builds it (clock pinned to the
generator's NOW). Each save: with the cursor on the queue's first row, `enter` opens the Log
call dialog, `s` picks "spoke", `ctrl+s` saves. The time runs from the ctrl+s key press (and,
separately, from enter) until the reloaded rows have been painted: the queue reloads
once the dialog's save is committed. Each save is then checked in the file with sqlite3 (one
attempt more) and on screen (one row fewer in the queue).

A call spoken to completes the callback, so every save takes a row off AB's queue, which
holds 50 on the day (9 of AB's own, 41 of the SA pool). The copy gives AB enough more first:
closed callbacks of other people, reopened as AB's and due that day, of clients who may be
called (a do-not-call client's call needs a reason typed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import statistics
import sys
import time
from contextlib import closing
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

from entry import apart  # noqa: E402
from generate import NOW, TODAY, generate  # noqa: E402

SAVES = 100
WARM_UP = 5
"""Saves before the timed ones: the first opens of the dialog import its code."""
TIMEOUT = 10.0


def copy_with_rows(source: Path, target: Path, extra: int) -> Path:
    """`source` copied to `target`, with `extra` more callbacks due for AB on the day."""
    target.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with closing(read_only(source)) as original, closing(sqlite3.connect(target)) as copy:
        original.backup(copy)
        with copy:
            (due_at,) = copy.execute(
                "SELECT min(due_at) FROM callback WHERE status = 'open' AND due_date = ?",
                (TODAY.isoformat(),),
            ).fetchone()
            copy.execute(
                "UPDATE callback SET owner = 'AB', status = 'open', closed_at = NULL,"
                " due_at = ?, due_date = ? WHERE id IN ("
                "  SELECT callback.id FROM callback JOIN client ON client.id = callback.client_id"
                "  WHERE callback.status != 'open' AND callback.owner NOT IN ('SA', 'TA')"
                "  AND NOT client.do_not_call ORDER BY callback.id LIMIT ?)",
                (due_at, TODAY.isoformat(), extra),
            )
    return target


def read_only(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True)


def attempts(db: Path) -> int:
    """Calls logged in the file, as committed."""
    with closing(read_only(db)) as connection:
        (count,) = connection.execute("SELECT count(*) FROM attempt").fetchone()
    return int(count)


async def run_saves(db: Path, saves: int) -> tuple[list[float], list[float], list[float]]:
    """Milliseconds from ctrl+s, and from enter, to the repainted queue, save by save; and
    the CPU time the process spent from ctrl+s until the save was checked."""
    from textual.events import DescendantFocus
    from textual.screen import ModalScreen
    from textual.widgets import DataTable

    from callback_tui.clock import FixedClock, zone
    from callback_tui.config import Settings, load_clinic
    from callback_tui.store.engine import open_database
    from callback_tui.tui.app import CallbackApp
    from callback_tui.tui.screens import today

    painted: dict[str, float] = {}
    queue_painted = asyncio.Event()

    def stamp(what: str) -> None:
        painted[what] = time.perf_counter()
        if what == "queue":
            queue_painted.set()

    class TimedToday(today.TodayScreen):
        """Notes when the reloaded rows are on screen (as bench/startup.py marks them)."""

        def filled(self) -> None:
            super().filled()
            self.call_after_refresh(stamp, "queue")

    today.TodayScreen = TimedToday  # type: ignore[misc]  # the app pushes the one it finds here

    class Timed(CallbackApp):
        """Notes when a move of the focus is on screen."""

        def on_descendant_focus(self, event: DescendantFocus) -> None:
            self.call_after_refresh(stamp, "focus")

    async def press(key: str) -> tuple[float, float]:
        """When `key` went in, and when the focus move it caused was painted."""
        painted.pop("focus", None)
        pressed = time.perf_counter()
        await pilot.press(key)  # returns once the app is idle
        if "focus" not in painted:
            raise RuntimeError(f"{key} moved the focus nowhere: the flow has changed")
        return pressed, painted["focus"]

    # Without PINs: what is measured is the start to the painted queue, as before sign-in
    # existed (a PIN check would add a person's typing and a deliberate hash to it).
    settings = Settings(timezone="America/Chicago", require_pin=False)
    clinic = load_clinic(settings, FixedClock(tz=zone("America/Chicago"), instant=NOW))
    database = open_database(str(db))
    app = Timed(database, clinic, initials="AB", watch=False, freeze_heap=True)  # as the CLI
    from_save: list[float] = []
    from_enter: list[float] = []
    cpu_save: list[float] = []
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await asyncio.wait_for(queue_painted.wait(), TIMEOUT)
            table = app.screen.query_one(DataTable)
            for number in range(WARM_UP + saves):
                if isinstance(app.screen, ModalScreen) or table.row_count == 0:
                    raise RuntimeError(f"save {number}: the queue is not there to work on")
                rows, logged = table.row_count, attempts(db)
                app.clear_notifications()  # a person never has a hundred toasts up at once
                queue_painted.clear()
                entered, opened = await press("enter")  # the dialog focuses its first field
                if not isinstance(app.screen, ModalScreen):
                    raise RuntimeError(f"save {number}: enter opened no dialog")
                picking, picked = await press("s")  # the pick moves on to the notes
                saving, cpu = time.perf_counter(), time.process_time()
                await pilot.press("ctrl+s")
                try:
                    await asyncio.wait_for(queue_painted.wait(), TIMEOUT)
                except TimeoutError:
                    raise RuntimeError(f"save {number}: the queue did not reload") from None
                spent = time.process_time() - cpu
                if attempts(db) != logged + 1 or table.row_count != rows - 1:
                    raise RuntimeError(f"save {number}: not committed, or the row still shown")
                if number >= WARM_UP:
                    saved = painted["queue"] - saving
                    from_save.append(saved * 1000)
                    cpu_save.append(spent * 1000)
                    from_enter.append((opened - entered + picked - picking + saved) * 1000)
    finally:
        database.dispose()
    return from_save, from_enter, cpu_save


def percentile(values: list[float], share: float) -> float:
    """As bench/search.py takes its p95."""
    return sorted(values)[max(0, int(len(values) * share) - 1)]


def measure(saves: int = SAVES) -> dict[str, float]:
    work = OUT / "ui_save"
    work.mkdir(parents=True, exist_ok=True)
    db = copy_with_rows(generate(OUT / "clinic-1y.db", 1), work / "clinic.db", WARM_UP + saves)
    from_save, from_enter, cpu_save = asyncio.run(run_saves(db, saves))
    return {
        "saves": saves,
        "p50": statistics.median(from_save),
        "p95": percentile(from_save, 0.95),
        "max": max(from_save),
        "from_enter_p50": statistics.median(from_enter),
        "from_enter_p95": percentile(from_enter, 0.95),
        "cpu_p50": statistics.median(cpu_save),
        "cpu_p95": percentile(cpu_save, 0.95),
    }


def report(figures: dict[str, float]) -> None:
    print(
        f"outcome saved via UI p50 {figures['p50']:.1f} ms, p95 {figures['p95']:.1f} ms"
        f" from ctrl+s (target p95 ≤ 50 ms); from enter p50 {figures['from_enter_p50']:.1f} ms,"
        f" p95 {figures['from_enter_p95']:.1f} ms; {figures['saves']:.0f} saves;"
        f" CPU p50 {figures['cpu_p50']:.1f} ms, p95 {figures['cpu_p95']:.1f} ms"
    )


def measure_apart(saves: int = SAVES) -> dict[str, float]:
    """`measure` in a process of its own, as the app runs (entry.apart)."""
    figures: dict[str, float] = apart(__file__, "--saves", str(saves))
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=SAVES)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures = measure(args.saves)
    if args.json:
        print(json.dumps(figures))
    else:
        report(figures)
