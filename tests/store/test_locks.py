"""What this process does beside its own connections never costs another desk its view.

POSIX locks belong to a process: one `open()` and `close()` of the database file by Python
drops every lock SQLite holds on it here. Another desk closing its last connection then takes
this desk for gone, checkpoints, and deletes the WAL, and this desk's next writes land in a
deleted file that nobody else will ever read.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from callback_tui.store.backup import daily_backup, make_backup
from callback_tui.store.engine import open_database
from callback_tui.store.services import FrontDesk


def other_desk_counts_staff(path: Path) -> int:
    """Another process opens the file, reads, and closes its (only) connection."""
    script = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
        " print(c.execute('SELECT count(*) FROM staff').fetchone()[0]); c.close()"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True
    )
    return int(done.stdout)


@pytest.mark.parametrize(
    "beside",
    [
        pytest.param(lambda path: make_backup(path), id="a backup"),
        pytest.param(lambda path: daily_backup(path, date(2026, 11, 24)), id="the daily backup"),
        pytest.param(lambda path: open_database(str(path)).dispose(), id="a second open"),
    ],
)
def test_writes_after_work_beside_the_connections_reach_the_other_desks(
    desk: FrontDesk, beside: Callable[[Path], object]
) -> None:
    path = desk.database.path
    assert path is not None
    staff = other_desk_counts_staff(path)
    beside(path)
    assert other_desk_counts_staff(path) == staff
    desk.staff.add("OM", "EM", "Eve Moss", "front_desk")
    assert other_desk_counts_staff(path) == staff + 1
    assert path.with_name(path.name + "-wal").exists()  # still this desk's, not deleted
