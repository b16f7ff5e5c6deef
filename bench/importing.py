"""Importing a day's worth of visits: `callback-tui import` of 10 000 rows on a fresh database.

`python bench/importing.py [ROWS]` writes a deterministic CSV (visits of the last days,
about a quarter as many distinct clients as rows, reasons across the veterinary profile) to
bench/out and prints the seconds the import took, in process through `callback_tui.cli.main`:
the median of RUNS imports, each into a fresh database, as every other figure is a median.
"""

from __future__ import annotations

import csv
import io
import random
import shutil
import statistics
import sys
import time
from contextlib import redirect_stdout
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

from generate import FIRST, LAST, PETS, REASONS  # noqa: E402

from callback_tui import cli  # noqa: E402

ROWS = 10_000
RUNS = 3
STAFF = (("AB", "assistant"), ("CD", "assistant"), ("TR", "technician"), ("DRW", "doctor"))
NOW = datetime(2026, 11, 24, 9, 0)  # noqa: DTZ001 - a wall-clock time, as a CSV holds it
HEADER = (
    "source_id", "occurred_at", "reason", "patient", "client", "phone", "species",
    "assisted_by", "doctor",
)  # fmt: skip


def write_visits(path: Path, rows: int = ROWS, seed: int = 5) -> Path:
    """`rows` visits of the last five days from rows // 4 clients (one pet each)."""
    rng = random.Random(seed)
    clients = [
        (f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}", f"312-555-{i:04d}", rng.choice(PETS))
        for i in range(max(1, rows // 4))
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for i in range(rows):
            client, phone, pet = rng.choice(clients)
            occurred = NOW - timedelta(minutes=rng.randrange(5 * 24 * 60))
            when = occurred.strftime("%Y-%m-%d %H:%M")
            reason, by = rng.choice(REASONS), rng.choice(("AB", "CD", "TR"))
            writer.writerow([f"IMP{i}", when, reason, pet, client, phone, "dog", by, "DRW"])
    return path


def measure(rows: int = ROWS, runs: int = RUNS) -> dict[str, Any]:
    """Seconds for `callback-tui import` of `rows` visits into a fresh database: the median
    of `runs` imports, and each one's."""
    visits = write_visits(OUT / f"visits-{rows}.csv", rows)
    times = [import_once(visits) for _ in range(runs)]
    return {"rows": rows, "seconds": statistics.median(times), "runs": times}


def import_once(visits: Path) -> float:
    """Seconds for `callback-tui import` of `visits` into a fresh database with the staff."""
    work = OUT / "import"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    settings = work / "settings.toml"
    settings.write_text('timezone = "America/Chicago"\n')
    common = ["--db", str(work / "callback.db"), "--settings", str(settings)]
    with redirect_stdout(io.StringIO()):
        for initials, role in STAFF:
            assert cli.main(["staff", "add", initials, initials, "--role", role, *common]) == 0
    with redirect_stdout(io.StringIO()):
        started = time.perf_counter()
        assert cli.main(["import", str(visits), *common]) == 0
        return time.perf_counter() - started


def report(figures: dict[str, Any]) -> None:
    each = ", ".join(f"{seconds:.2f}" for seconds in figures["runs"])
    print(
        f"import {figures['rows']:,.0f} rows {figures['seconds']:.2f} s"
        f" (median of {each})  (target ≤ 3 s, goal ≤ 1 s)"
    )


if __name__ == "__main__":
    report(measure(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS))
