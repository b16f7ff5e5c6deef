"""Search by name or phone prefix on a data set: the per-keystroke query of the search box.

`python bench/search.py [DB]` prints p50 / p95 / max over a fixed, seeded mix of queries:
one-word name prefixes (2 to 5 letters), two-word queries and phone prefixes (3 to 7 digits).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from generate import FIRST, LAST, PETS  # noqa: E402

from callback_tui.store import search  # noqa: E402
from callback_tui.store.engine import open_database  # noqa: E402


def queries(count: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    words = [w.lower() for w in (*FIRST, *LAST, *PETS)]
    out: list[str] = []
    for _ in range(count):
        kind = rng.random()
        if kind < 0.5:
            word = rng.choice(words)
            out.append(word[: rng.randint(2, min(5, len(word)))])
        elif kind < 0.75:
            first, second = rng.choice(words), rng.choice(words)
            out.append(f"{first[: rng.randint(2, 4)]} {second[: rng.randint(2, 4)]}")
        else:
            digits = f"312555{rng.randrange(10_000):04d}"
            out.append(digits[: rng.randint(3, 7)])
    return out


def measure(path: Path, count: int = 1_000) -> dict[str, float]:
    """Milliseconds per query, with the results turned into what the screen lists."""
    database = open_database(str(path))
    try:
        mix = queries(count)
        for query in mix[:50]:  # warm the page cache; not counted
            search.find(database, query)
        times = []
        for query in mix:
            started = time.perf_counter()
            search.find(database, query)
            times.append((time.perf_counter() - started) * 1000)
    finally:
        database.dispose()
    times.sort()
    return {
        "queries": count,
        "p50_ms": statistics.median(times),
        "p95_ms": times[int(len(times) * 0.95) - 1],
        "max_ms": times[-1],
    }


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "out" / "clinic-10y.db"
    figures = measure(target)
    print(
        f"search on {target.name}: p50 {figures['p50_ms']:.2f} ms, p95 {figures['p95_ms']:.2f} ms,"
        f" max {figures['max_ms']:.2f} ms over {figures['queries']} queries (target p95 ≤ 20 ms)"
    )
