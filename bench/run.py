"""Run the benchmarks: `python bench/run.py [--rounds N]`.

Cold start to the painted Today queue and peak memory, for callback-tui on the 1-year and
10-year data sets and for the floor (a bare Textual app), interleaved round by round so all
three see the same machine; the same start through the real `callback-tui` command in a
terminal, beside the floor in one (bench/terminal.py); `list` beside Taskwarrior 2.6 when it
is installed (bench/taskwarrior.py); an outcome saved through the UI (bench/ui_save.py);
every screen opened by its key and closed by escape (bench/keys.py); search by name / phone
prefix on the 10-year set; the 90-day scorecard on the 1-year set (bench/scorecard.py); and an
import of 10 000 visits into a fresh database (the median of three, bench/importing.py).
Figures are printed and written to bench/out/results.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

import importing  # noqa: E402
import keys  # noqa: E402
import scorecard  # noqa: E402
import taskwarrior  # noqa: E402
import terminal  # noqa: E402
import ui_save  # noqa: E402
from entry import ROUNDS, compiled, rotated  # noqa: E402
from generate import generate  # noqa: E402
from search import measure as measure_search  # noqa: E402


def cold_start(*args: str) -> tuple[float, int]:
    """Seconds from spawning a fresh interpreter to READY, and its peak RSS in KiB."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, str(HERE / "startup.py"), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - started
    child.wait(timeout=60)
    if not line.startswith("READY"):
        raise RuntimeError(f"{args[0]} did not start: {line!r}")
    return elapsed, int(line.split()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()
    compiled()
    sets = {"1y": generate(OUT / "clinic-1y.db", 1), "10y": generate(OUT / "clinic-10y.db", 10)}
    runs: dict[str, list[tuple[float, int]]] = {"floor": [], "1y": [], "10y": []}
    cold_start("floor")  # warm the file cache once; not counted
    for number in range(args.rounds):
        for name in rotated(list(runs), number):
            runs[name].append(
                cold_start("floor") if name == "floor" else cold_start("app", str(sets[name]))
            )

    def median(name: str, index: int) -> float:
        return statistics.median(run[index] for run in runs[name])

    floor_s, floor_kib = median("floor", 0), median("floor", 1)
    one_s, one_kib = median("1y", 0), median("1y", 1)
    ten_s, ten_kib = median("10y", 0), median("10y", 1)
    results = {
        "rounds": args.rounds,
        "start_seconds": {"floor": floor_s, "1y": one_s, "10y": ten_s},
        "peak_rss_mib": {"floor": floor_kib / 1024, "1y": one_kib / 1024, "10y": ten_kib / 1024},
        "start_vs_floor_1y": one_s / floor_s,
        "start_10y_vs_1y": ten_s / one_s,
        "memory_vs_floor_1y": one_kib / floor_kib,
        "list_vs_taskwarrior": taskwarrior.measure(args.rounds),
        "terminal": terminal.measure(args.rounds),
        "ui_save": ui_save.measure_apart(),
        "keys": keys.measure_apart(),
        "search_10y": measure_search(sets["10y"]),
        "scorecard_1y": scorecard.measure(sets["1y"]),
        "import": importing.measure(),
    }
    OUT.mkdir(exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"cold start to painted queue (median of {args.rounds}):")
    print(f"  floor {floor_s * 1000:7.0f} ms   {floor_kib / 1024:6.1f} MiB peak")
    print(f"  1y    {one_s * 1000:7.0f} ms   {one_kib / 1024:6.1f} MiB peak")
    print(f"  10y   {ten_s * 1000:7.0f} ms   {ten_kib / 1024:6.1f} MiB peak")
    print(f"start 1y / floor  {results['start_vs_floor_1y']:.2f}  (target ≤ 1.5)")
    print(f"start 10y / 1y    {results['start_10y_vs_1y']:.2f}  (target ≤ 1.1)")
    print(f"memory 1y / floor {results['memory_vs_floor_1y']:.2f}  (target ≤ 1.5)")
    terminal.report(results["terminal"])
    taskwarrior.report(results["list_vs_taskwarrior"])
    ui_save.report(results["ui_save"])
    keys.report(results["keys"])
    found = results["search_10y"]
    print(
        f"search 10y        p50 {found['p50_ms']:.2f} ms, p95 {found['p95_ms']:.2f} ms,"
        f" max {found['max_ms']:.2f} ms  (target p95 ≤ 20 ms)"
    )
    scorecard.report(results["scorecard_1y"])
    importing.report(results["import"])


if __name__ == "__main__":
    main()
