"""Every screen and dialog opened by its key, and closed by escape: key to painted, on 1-year data.

`python bench/keys.py [--rounds N]` runs the app in this process under Pilot (120x36) on the
1-year set as AB (clock pinned to the generator's NOW, heap frozen as the CLI does). From the
Today queue it presses each screen's key, as a terminal sends it, and times until that screen
is on top, ready for keys (its rows or fields filled) and painted; then escape, until the
queue is back and painted. A `g` chord's two keys go at once, as typed quickly: the place
opens without the Go to menu between (tui/keys.py, `take_next`). The first open of each
screen (which loads its code) is reported apart; p50 / p95 are over the following rounds,
with the CPU time the process spent (which other programs on a busy machine do not inflate).
`bench/run.py` runs it in a process of its own. Target: p95 ≤ 100 ms everywhere.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

from entry import apart  # noqa: E402
from generate import NOW, generate  # noqa: E402

ROUNDS = 20
TIMEOUT = 10.0

SCREENS: list[tuple[str, tuple[str, ...], str]] = [
    ("Log call (enter)", ("enter",), "OutcomeScreen"),
    ("Add callback (a)", ("a",), "AddCallbackScreen"),
    ("Client update (u): find", ("u",), "FindPatient"),
    ("Drafts (d)", ("d",), "DraftsInbox"),
    ("History (h)", ("h",), "HistoryScreen"),
    ("Find a patient (/)", ("slash",), "FindPatient"),
    ("Tasks (g t)", ("g", "t"), "TasksScreen"),
    ("Incidents board (g i)", ("g", "i"), "IncidentsBoard"),
    ("Incident (i)", ("i",), "IncidentScreen"),
    ("Who (w)", ("w",), "WhoScreen"),
    ("Message (m)", ("m",), "MessageScreen"),
    ("Staff (g s)", ("g", "s"), "StaffScreen"),
    ("Hand-off (g o)", ("g", "o"), "HandoffScreen"),
    ("Reports (g r)", ("g", "r"), "ReportsScreen"),
    ("Daily review (g v)", ("g", "v"), "DailyReview"),
    ("Weekly review (g w)", ("g", "w"), "WeeklyReview"),
]
"""What is measured: a name, the keys from Today, and the screen they open."""

INNER: list[tuple[str, tuple[str, ...], str, tuple[str, ...], str]] = [
    ("Period (reports: c)", ("g", "r"), "ReportsScreen", ("c",), "PeriodDialog"),
    ("Client details (history: e)", ("h",), "HistoryScreen", ("e",), "ClientDetailsScreen"),
    ("Note editor (drafts: enter)", ("d",), "DraftsInbox", ("enter",), "NoteEditor"),
]
"""The dialogs opened from another screen: a name, the keys from Today to that screen and
the screen (not timed), then the key timed and the dialog it opens; escape, timed, goes back
to that screen, and escape again (not timed) to Today."""


async def run_rounds(db: Path, rounds: int) -> dict[str, dict[str, list[float]]]:
    """Milliseconds, by screen: "first" open, then "open" and "escape" round by round."""
    from textual import events

    from callback_tui.clock import FixedClock, zone
    from callback_tui.config import Settings, load_clinic
    from callback_tui.store.engine import open_database
    from callback_tui.tui.app import CallbackApp
    from callback_tui.tui.keys import ready_for_keys

    # Without PINs: what is measured is the start to the painted queue, as before sign-in
    # existed (a PIN check would add a person's typing and a deliberate hash to it).
    settings = Settings(timezone="America/Chicago", require_pin=False)
    clinic = load_clinic(settings, FixedClock(tz=zone("America/Chicago"), instant=NOW))
    database = open_database(str(db))
    app = CallbackApp(database, clinic, initials="AB", watch=False, freeze_heap=True)

    def send(*keys: str) -> None:
        """As a terminal sends keys: straight into the app, without waiting on it."""
        driver = app._driver
        assert driver is not None
        for key in keys:
            event = events.Key(key, key if len(key) == 1 else None)
            event.set_sender(app)
            driver.send_message(event)

    async def painted(screen_name: str) -> float:
        """When `screen_name` is on top, ready for keys, and painted once more."""
        deadline = time.perf_counter() + TIMEOUT
        while True:
            screen = app.screen
            on_top = type(screen).__name__ == screen_name
            if on_top and ready_for_keys(screen) and app.keys.idle:
                break
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{screen_name} did not open (on top: {screen!r})")
            await asyncio.sleep(0.001)
        done = asyncio.Event()
        stamp: list[float] = []

        def mark() -> None:
            stamp.append(time.perf_counter())
            done.set()

        screen.call_after_refresh(mark)
        await asyncio.wait_for(done.wait(), TIMEOUT)
        return stamp[0]

    places = [(name, (), "TodayScreen", keys, shown) for name, keys, shown in SCREENS]
    times: dict[str, dict[str, list[float]]] = {
        name: {"first": [], "open": [], "escape": [], "open_cpu": [], "escape_cpu": []}
        for name, *_ in [*places, *INNER]
    }
    try:
        async with app.run_test(size=(120, 36)):
            await painted("TodayScreen")
            for number in range(rounds + 1):
                for name, way, over, keys, screen_name in [*places, *INNER]:
                    if way:  # to the screen the dialog opens over
                        send(*way)
                        await painted(over)
                        await asyncio.sleep(0.05)
                    pressed, cpu = time.perf_counter(), time.process_time()
                    send(*keys)
                    opened = await painted(screen_name)
                    open_cpu = time.process_time() - cpu
                    await asyncio.sleep(0.05)  # a person reads before going back
                    leaving, cpu = time.perf_counter(), time.process_time()
                    send("escape")
                    back = await painted(over)
                    escape_cpu = time.process_time() - cpu
                    if way:
                        send("escape")
                        await painted("TodayScreen")
                    await asyncio.sleep(0.05)
                    kind = "first" if number == 0 else "open"
                    times[name][kind].append((opened - pressed) * 1000)
                    if number:
                        times[name]["escape"].append((back - leaving) * 1000)
                        times[name]["open_cpu"].append(open_cpu * 1000)
                        times[name]["escape_cpu"].append(escape_cpu * 1000)
    finally:
        database.dispose()
    return times


def percentile(values: list[float], share: float) -> float:
    return sorted(values)[max(0, int(len(values) * share) - 1)]


def measure(rounds: int = ROUNDS) -> dict[str, Any]:
    db = generate(OUT / "clinic-1y.db", 1)
    times = asyncio.run(run_rounds(db, rounds))
    figures: dict[str, Any] = {}
    for name, kinds in times.items():
        figures[name] = {
            "first_ms": kinds["first"][0],
            "open_p50": statistics.median(kinds["open"]),
            "open_p95": percentile(kinds["open"], 0.95),
            "escape_p50": statistics.median(kinds["escape"]),
            "escape_p95": percentile(kinds["escape"], 0.95),
            "open_cpu_p50": statistics.median(kinds["open_cpu"]),
            "escape_cpu_p50": statistics.median(kinds["escape_cpu"]),
        }
    return figures


def measure_apart(rounds: int = ROUNDS) -> dict[str, Any]:
    """`measure` in a process of its own, as the app runs (entry.apart)."""
    figures: dict[str, Any] = apart(__file__, "--rounds", str(rounds))
    return figures


def report(figures: dict[str, Any]) -> None:
    worst = max(max(f["open_p95"], f["escape_p95"]) for f in figures.values())
    print(f"key to painted screen, p50 / p95 ms (target p95 ≤ 100; worst {worst:.0f}):")
    width = max(len(name) for name in figures)  # the names line up, the longest too
    print(
        f"  {'screen':{width}} {'open':>15} {'escape':>15} {'first open':>11}"
        f"   {'CPU ms p50: open / escape':>26}"
    )
    for name, f in figures.items():
        print(
            f"  {name:{width}} {f['open_p50']:6.0f} / {f['open_p95']:5.0f}"
            f"   {f['escape_p50']:6.0f} / {f['escape_p95']:5.0f}   {f['first_ms']:8.0f}"
            f"   {f['open_cpu_p50']:13.0f} / {f['escape_cpu_p50']:6.0f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    results = measure(args.rounds)
    if args.json:
        print(json.dumps(results))
    else:
        report(results)
