"""The read layer on PostgreSQL: the same demo clinic, written through the services on an
SQLite file and on a PostgreSQL database, reads back the same through every query.

Runs when CALLBACK_TUI_TEST_POSTGRES names an empty database the tests may fill, for example
`postgresql+psycopg2://user:password@127.0.0.1/callback_test` (with the driver installed:
`pip install psycopg2-binary`); skipped otherwise, as CI has no server.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from callback_tui.config import Clinic
from callback_tui.demo import build_demo
from callback_tui.store import (
    best_time_query,
    handoff,
    history,
    incidents,
    notes,
    queries,
    search,
    tasks,
)
from callback_tui.store.engine import Database, open_database
from callback_tui.store.services import FrontDesk

URL = os.environ.get("CALLBACK_TUI_TEST_POSTGRES", "")

pytestmark = pytest.mark.skipif(not URL, reason="no CALLBACK_TUI_TEST_POSTGRES database")


def everything_read(database: Database, clinic: Clinic) -> dict[str, Any]:
    day = clinic.clock.today()
    found = search.find(database, "a")
    return {
        "staff": queries.staff(database),
        "today": queries.today(database, "AB", day, clinic.calendar),
        "all": queries.callbacks(database, day=day, status="all"),
        "between": queries.callbacks_between(database, None, None),
        "notes": notes.notes(database),
        "drafts": notes.drafts(database),
        "tasks": tasks.tasks(database, include_done=True),
        "incidents": incidents.incidents(database),
        "search": [search.find(database, q) for q in ("bis", "lee", "312", "o'b", "a b")],
        "history": [history.history(database, f.patient_id) for f in found[:5]],
        "handoff": handoff.handoff(
            database, now=clinic.clock.now(), calendar=clinic.calendar, pools=clinic.pools
        ),
        "time_to_call": [
            best_time_query.time_to_call(database, f.client_id, clinic.calendar) for f in found[:5]
        ],
    }


def test_every_read_gives_the_same_rows_on_postgresql(tmp_path: Path, clinic: Clinic) -> None:
    sqlite = open_database(str(tmp_path / "clinic.db"))
    server = open_database(URL)
    try:
        if queries.staff(server):
            pytest.fail(f"{server.label} is not empty: give the tests a database of their own")
        for database in (sqlite, server):
            build_demo(FrontDesk(database, clinic))
        on_file, on_server = everything_read(sqlite, clinic), everything_read(server, clinic)
        assert on_file["today"].rows, "the demo clinic gives AB a queue"
        for name, rows in on_file.items():
            assert on_server[name] == rows, name
    finally:
        sqlite.dispose()
        server.dispose()
