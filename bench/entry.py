"""The real `callback-tui` command as the benchmarks run it.

The installed entry point beside this interpreter (`.venv/bin/callback-tui`), a settings file
with the clinic's zone and no PINs (the start is timed to the painted queue, with no one
typing a PIN on the way), and the clock pinned to the generator's NOW through CALLBACK_TUI_NOW,
so the command sees the same "today" as the in-process benchmarks.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

from day import NOW  # noqa: E402

ZONE = "America/Chicago"
"""The clinic's zone, as bench/startup.py configures it."""

ROUNDS = 15
"""Rounds of the side-by-side figures (the starts, `list` beside Taskwarrior). This machine's
speed swings by a third from one second to the next: over seven rounds, the median of the
10-year start against the 1-year one moved between 0.93 and 1.16 for the same code (1.00
over 21). Fifteen narrow that spread; they do not remove it."""


def rotated(names: Sequence[str], round_number: int) -> list[str]:
    """`names` in the order a round runs them: each goes first in turn, so none is always
    measured right after the same other one."""
    shift = round_number % len(names)
    return [*names[shift:], *names[:shift]]


def command(*args: str) -> list[str]:
    """`callback-tui ARGS` through the installed entry point, with the benchmark's settings."""
    beside = Path(sys.executable).with_name("callback-tui")
    found = str(beside) if beside.exists() else shutil.which("callback-tui")
    if found is None:
        raise RuntimeError("no callback-tui command: install the project (pip install -e .)")
    settings = OUT / "settings.toml"
    wanted = f'timezone = "{ZONE}"\nrequire_pin = false\n'
    if not settings.exists() or settings.read_text() != wanted:
        OUT.mkdir(parents=True, exist_ok=True)
        settings.write_text(wanted)
    return [found, "--settings", str(settings), *args]


def environment(**extra: str) -> dict[str, str]:
    """This process's environment with the clock pinned to the generator's NOW."""
    return {**os.environ, "CALLBACK_TUI_NOW": NOW.isoformat(), **extra}


def compiled() -> None:
    """Byte-compile callback-tui as an installed package is: an editable install under
    PYTHONDONTWRITEBYTECODE would otherwise compile every module at every start, a cost
    the floor (Textual, installed compiled) does not pay and a clinic's install does not."""
    import compileall

    import callback_tui

    compileall.compile_dir(Path(callback_tui.__file__).parent, quiet=1)


def apart(script: str, *args: str) -> Any:
    """Run a benchmark `script` with `args` and `--json` in a process of its own, as the app
    runs (not beside the data sets and figures of a whole benchmark run, which every
    collection would walk too), and return the figures it prints as its last line."""
    import json
    import subprocess

    done = subprocess.run(
        [sys.executable, script, *args, "--json"], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{Path(script).name} failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])
