"""`callback-tui list --initials AB` against Taskwarrior 2.6 listing one project's due tasks.

`python bench/taskwarrior.py [--rounds N]` builds Taskwarrior's counterpart of the 1-year data
set, then times, interleaved round by round with output to /dev/null:

    task project:AB +PENDING due.before:2026-11-25 list
    callback-tui --db bench/out/clinic-1y.db list --initials AB --date 2026-11-24

The Taskwarrior set (bench/out/taskwarrior: its own TASKRC and data) matches the 1-year
callbacks: 40 000 tasks, one project per owner of the callbacks (the assistants and technicians,
and the SA / TA pools), each project as many tasks as its owner has callbacks (AB: 817);
500 pending. Project AB holds as pending the rows `list --initials AB` shows on the generator's
day (AB's own due callbacks and the SA pool's: 50), with their due times, and as many due later
as AB has open callbacks due after that day (40). The other pending tasks go to the other projects
in proportion to their open callbacks, due within days of that day; the rest are completed.

Both list the same day: callback-tui with its clock pinned (bench/entry.py), Taskwarrior, which
cannot pin its clock, with `due.before:` the next day at midnight in the clinic's zone (TZ).

Taskwarrior runs as shipped but for `rc.confirmation=off`, `rc.hooks=off`, no color and
`rc.verbose=nothing`. Its garbage collection stays on: with `rc.gc=off` Taskwarrior 2.6 gives up
its pending-only shortcut and reads all 40 000 tasks for every report, more than twice the work
of its default. The load leaves every completed task in completed.data, so there is nothing to
collect; that the data files do not change over the runs is checked. The `rc.gc=off` time is
recorded beside it, for reference.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

from entry import ROUNDS, ZONE, command, environment, rotated  # noqa: E402
from generate import TODAY, generate  # noqa: E402

TASKS = 40_000
PENDING = 500
INSTALL = "apt-get install taskwarrior"
WORK = OUT / "taskwarrior"
STAMP = "%Y%m%dT%H%M%SZ"


def task_command() -> str | None:
    """The `task` command if it is Taskwarrior 2.6, else None."""
    found = shutil.which("task")
    if found is None:
        return None
    version = subprocess.run([found, "--version"], capture_output=True, text=True).stdout
    return found if version.strip().startswith("2.6") else None


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(STAMP)


def listed_for_ab(db: Path) -> list[dict[str, str]]:
    """The rows `callback-tui list --initials AB` shows on the generator's day."""
    shown = subprocess.run(
        command("--db", str(db), "list", "--initials", "AB", "--format", "json"),
        env=environment(),
        capture_output=True,
        text=True,
        check=True,
    )
    return list(json.loads(shown.stdout))


def tasks_for(db: Path, seed: int = 3) -> list[dict[str, str]]:
    """Taskwarrior's counterpart of the callbacks in `db`, as `task import` reads it."""
    rng = random.Random(seed)
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        owners = connection.execute(
            "SELECT owner, count(*), sum(status = 'open') FROM callback GROUP BY owner"
            " ORDER BY owner"
        ).fetchall()
        (ab_later,) = connection.execute(
            "SELECT count(*) FROM callback WHERE owner = 'AB' AND status = 'open' AND due_date > ?",
            (TODAY.isoformat(),),
        ).fetchone()
    listed = listed_for_ab(db)
    day = datetime(TODAY.year, TODAY.month, TODAY.day, 15, tzinfo=UTC)
    due: list[tuple[str, datetime]] = [
        ("AB", datetime.fromisoformat(row["due_at"])) for row in listed
    ]
    due += [("AB", day + timedelta(days=rng.randint(1, 5))) for _ in range(ab_later)]
    others = [owner for owner, _, open_ in owners if owner != "AB" for _ in range(open_)]
    for owner in rng.sample(others, PENDING - len(due)):
        due.append((owner, day + timedelta(days=rng.randint(-2, 5), minutes=rng.randrange(600))))
    pending_per_project: dict[str, int] = {}
    for owner, _ in due:
        pending_per_project[owner] = pending_per_project.get(owner, 0) + 1
    tasks = [{"status": "pending", "project": owner, "due": stamp(at)} for owner, at in due]
    for owner, total, _ in owners:
        for _ in range(total - pending_per_project.get(owner, 0)):
            at = day - timedelta(days=int(365 * rng.random() ** 1.3), minutes=rng.randrange(600))
            tasks.append({"status": "completed", "project": owner, "due": stamp(at)})
            tasks[-1]["end"] = tasks[-1]["due"]
    assert len(tasks) == TASKS and len(due) == PENDING, (len(tasks), len(due))
    for number, task in enumerate(tasks):
        task["uuid"] = str(uuid.UUID(int=number + 1))
        task["description"] = f"Call back client {number} about their pet"
        due_at = datetime.strptime(task["due"], STAMP).replace(tzinfo=UTC)
        task["entry"] = stamp(due_at - timedelta(days=1))  # as the generator's created_at
    return tasks


def taskrc() -> Path:
    rc = WORK / "taskrc"
    rc.write_text(
        f"data.location={WORK / 'data'}\n"
        "confirmation=off\nhooks=off\ncolor=off\nverbose=nothing\n"
        "news.version=2.6.0\n"  # no "run task news" nag after an upgrade
    )
    return rc


def task_environment() -> dict[str, str]:
    return environment(TASKRC=str(WORK / "taskrc"), TASKDATA=str(WORK / "data"), TZ=ZONE)


def build(task: str, db: Path) -> None:
    """Load the counterpart of `db` into bench/out/taskwarrior, unless it is there already."""
    WORK.mkdir(parents=True, exist_ok=True)
    wanted = json.dumps(tasks_for(db), indent=0)
    source = WORK / "tasks.json"
    pending = WORK / "data" / "pending.data"
    if source.exists() and source.read_text() == wanted and pending.exists():
        return
    shutil.rmtree(WORK / "data", ignore_errors=True)
    (WORK / "data").mkdir()
    source.write_text(wanted)
    taskrc()
    # A report with garbage collection on moves any completed task still in pending.data.
    for argv in ([task, "import", str(source)], [task, "rc.gc=on", "list"]):
        subprocess.run(argv, env=task_environment(), stdout=subprocess.DEVNULL, check=True)
    lines = len(pending.read_text().splitlines())
    if lines != PENDING:
        raise RuntimeError(f"{pending}: {lines} tasks pending, expected {PENDING}")


def data_files() -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in (WORK / "data").iterdir()}


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def measure(rounds: int = ROUNDS) -> dict[str, float] | None:
    """Median seconds of each command and callback-tui ÷ Taskwarrior; None without Taskwarrior."""
    task = task_command()
    if task is None:
        print(f"Taskwarrior 2.6 is not installed ({INSTALL}): list vs Taskwarrior skipped")
        return None
    db = generate(OUT / "clinic-1y.db", 1)
    build(task, db)
    before = (TODAY + timedelta(days=1)).isoformat()
    query = ["project:AB", "+PENDING", f"due.before:{before}", "list"]
    commands = {
        "taskwarrior": ([task, *query], task_environment()),
        "taskwarrior_gc_off": ([task, "rc.gc=off", *query], task_environment()),
        "callback_tui": (
            command("--db", str(db), "list", "--initials", "AB", "--date", TODAY.isoformat()),
            environment(),
        ),
    }
    files = data_files()
    for argv, env in commands.values():  # warm the file cache once; not counted
        timed(argv, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for number in range(rounds):
        for name in rotated(list(commands), number):
            times[name].append(timed(*commands[name]))
    if data_files() != files:
        raise RuntimeError(f"{WORK / 'data'} changed while listing: the figure is not a read")
    figures = {f"{name}_seconds": statistics.median(runs) for name, runs in times.items()}
    figures["ratio"] = figures["callback_tui_seconds"] / figures["taskwarrior_seconds"]
    return figures


def report(figures: dict[str, float] | None) -> None:
    if figures is None:
        return
    print(
        f"list AB vs Taskwarrior  {figures['ratio']:.2f}  (target ≤ 1):"
        f" callback-tui {figures['callback_tui_seconds'] * 1000:.0f} ms,"
        f" task {figures['taskwarrior_seconds'] * 1000:.0f} ms"
        f" ({figures['taskwarrior_gc_off_seconds'] * 1000:.0f} ms with rc.gc=off)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    report(measure(parser.parse_args().rounds))
