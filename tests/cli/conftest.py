"""Fixtures of the command-line tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from callback_tui.clock import FixedClock, zone
from callback_tui.config import Settings, load_clinic
from callback_tui.domain.vocab import Outcome
from callback_tui.store.engine import open_database
from callback_tui.store.services import CallOutcome, FrontDesk
from tests.conftest import add_visit


@pytest.fixture
def clinic_files(tmp_path: Path) -> Iterator[tuple[dict[str, str], Path]]:
    """A database with one concern draft for DRW, and the environment to open it."""
    settings_file = tmp_path / "settings.toml"
    # Sign-in is tested on its own (tests/tui/test_sign_in.py): these tests start signed in.
    settings_file.write_text(
        'timezone = "America/Chicago"\nautosave_seconds = 0.5\nrequire_pin = false\n'
    )
    db_path = tmp_path / "data" / "callback.db"
    tz = zone("America/Chicago")
    now = datetime(2026, 11, 24, 9, 0, tzinfo=tz)
    clinic = load_clinic(Settings(timezone="America/Chicago"), FixedClock(tz=tz, instant=now))
    database = open_database(str(db_path))
    desk = FrontDesk(database, clinic)
    desk.staff.add("setup", "AB", "Alex Baker", "assistant")
    desk.staff.add("setup", "DRW", "Dr. Wong", "doctor")
    callback = add_visit(desk)[0]
    desk.callbacks.log_outcome(
        "AB",
        callback.id,  # type: ignore[arg-type]
        callback.version,
        CallOutcome(Outcome.SPOKE, "Owner worried.", concern_for_doctor=True),
    )
    database.dispose()
    env = {
        **os.environ,
        "CALLBACK_TUI_DB": str(db_path),
        "CALLBACK_TUI_SETTINGS": str(settings_file),
        "CALLBACK_TUI_NOW": "2026-11-24T09:00:00-06:00",
        "TERM": "xterm-256color",
    }
    yield env, db_path
