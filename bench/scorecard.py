"""The 90-day scorecard on the 1-year data set (SPEC §6: ≤ 200 ms, goal ≤ 100 ms), and the
13-week trend the reports screen reads beside it.

`python bench/scorecard.py [DB]` prints p50 / p95 / max over 20 runs after one to warm the
page cache: each run is the whole read (the clinic, every pool and person) as the reports
screen and `callback-tui report` make it.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from day import NOW  # noqa: E402

from callback_tui.clock import FixedClock, zone  # noqa: E402
from callback_tui.config import Settings, load_clinic  # noqa: E402
from callback_tui.store import reports  # noqa: E402
from callback_tui.store.engine import open_database  # noqa: E402

RUNS = 20


def measure(path: Path, runs: int = RUNS) -> dict[str, dict[str, float]]:
    """Milliseconds per read: the 90-day scorecard, and the 13-week trend of the clinic."""
    tz = zone("America/Chicago")
    clinic = load_clinic(
        Settings(timezone="America/Chicago", require_pin=False), FixedClock(tz=tz, instant=NOW)
    )
    database = open_database(str(path), calendar=lambda: clinic.calendar)
    today = clinic.clock.today()
    period = reports.Period.days_to(today, 90)

    def scorecard() -> object:
        return reports.scorecard(
            database, period, clinic.calendar, now=clinic.clock.now(), pools=clinic.pools
        )

    def trend() -> object:
        return reports.trend(database, today, 13, clinic.calendar, pools=clinic.pools)

    figures = {}
    try:
        for name, read in (("scorecard_90d", scorecard), ("trend_13w", trend)):
            read()  # warm the page cache; not counted
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                read()
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            figures[name] = {
                "p50_ms": statistics.median(times),
                "p95_ms": times[int(len(times) * 0.95) - 1],
                "max_ms": times[-1],
            }
    finally:
        database.dispose()
    return figures


def report(figures: dict[str, dict[str, float]]) -> None:
    card, trend = figures["scorecard_90d"], figures["trend_13w"]
    print(
        f"scorecard 90 days, 1y  p50 {card['p50_ms']:.1f} ms, p95 {card['p95_ms']:.1f} ms"
        "  (target ≤ 200 ms, goal ≤ 100 ms)"
    )
    print(f"trend 13 weeks, 1y     p50 {trend['p50_ms']:.1f} ms, p95 {trend['p95_ms']:.1f} ms")


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "out" / "clinic-1y.db"
    report(measure(target))
