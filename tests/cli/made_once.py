"""Databases the command-line tests set up through the real entry point, made once per test
process and copied for each later test that starts from the same state.

Setting up a clinic takes a handful of commands, each a new process (and, with PINs, a
hash); the steps and their results are the same every time, so only the first test that
needs a state pays for it. The copy goes through SQLite's backup API: what the last command
wrote is in it, whatever the journal holds.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

_MADE: dict[str, Path] = {}
_FOLDER = Path(tempfile.mkdtemp(prefix="callback-tui-cli-states-"))


def made_once(name: str, database: Path, make: Callable[[], None]) -> None:
    """Bring `database` to the state `make` leaves it in: by `make` the first time (in this
    process), by a copy of what it made after that."""
    kept = _MADE.get(name)
    if kept is None:
        make()
        kept = _FOLDER / f"{name}.db"
        _copy(database, kept)
        _MADE[name] = kept
        return
    database.parent.mkdir(parents=True, exist_ok=True)
    _copy(kept, database)


def _copy(source: Path, target: Path) -> None:
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
