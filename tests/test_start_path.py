"""The start path: what runs before the first painted queue, and before a read command's output.

Neither imports the ORM stack (SQLAlchemy, SQLModel, pydantic) nor Alembic: they cost more than
painting the screen. The service layer loads in the background once the queue is painted, and
a write that comes before it waits for it. Each check runs in a fresh interpreter, where
`sys.modules` shows what the path really imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from callback_tui.config import Clinic
from callback_tui.store import schema
from callback_tui.store.engine import Database
from callback_tui.store.services import FrontDesk
from callback_tui.store.tables import TABLES
from callback_tui.tui.app import WriteSide

HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "pydantic_core", "alembic", "argon2")

APP = """
import json, sys
from callback_tui.clock import FixedClock, zone
from callback_tui.config import Settings, load_clinic
from callback_tui.store.engine import open_database
from callback_tui.tui.app import CallbackApp

HEAVY = {heavy!r}
clock = FixedClock(tz=zone("America/Chicago"), instant={instant})
clinic = load_clinic(Settings(timezone="America/Chicago", require_pin=False), clock)

class Probe(CallbackApp):
    def on_queue_loaded(self, message):
        self.call_after_refresh(self.painted)

    def painted(self):
        rows = self.screen.query_one("DataTable").row_count
        loaded = sorted({{m.split(".")[0] for m in sys.modules}} & set(HEAVY))
        print(json.dumps({{"rows": rows, "loaded": loaded}}))
        self.exit()

Probe(open_database({db!r}), clinic, initials="AB", watch=False).run(
    headless=True, size=(120, 36)
)
"""

SIGN_IN = """
import json, sys
from callback_tui.clock import FixedClock, zone
from callback_tui.config import Settings, load_clinic
from callback_tui.store.engine import open_database
from callback_tui.tui.app import CallbackApp

HEAVY = {heavy!r}
clock = FixedClock(tz=zone("America/Chicago"), instant={instant})
clinic = load_clinic(Settings(timezone="America/Chicago", require_pin=True), clock)

class Probe(CallbackApp):
    def on_ready(self):
        self.set_interval(0.01, self.look)

    def look(self):
        screen = self.screen
        if type(screen).__name__ == "SignInScreen" and screen.loaded:
            self.call_after_refresh(self.painted)

    def painted(self):
        people = self.screen.query_one("OptionList").option_count
        loaded = sorted({{m.split(".")[0] for m in sys.modules}} & set(HEAVY))
        print(json.dumps({{"people": people, "loaded": loaded}}))
        self.exit()

Probe(open_database({db!r}), clinic, initials="AB", watch=False).run(
    headless=True, size=(80, 24)
)
"""

COMMAND = """
import sys
from callback_tui.cli import main

code = main({argv!r})
loaded = sorted({{m.split(".")[0] for m in sys.modules}} & set({heavy!r}))
print("LOADED", *loaded, file=sys.stderr)
sys.exit(code)
"""


def in_a_fresh_interpreter(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture
def clinic_file(database: Database, clinic: Clinic) -> Path:
    """The demo clinic, AB's queue full, made (as it must be) through the service layer."""
    from callback_tui.demo import build_demo

    build_demo(FrontDesk(database, clinic), history_days=0)  # the morning is enough here
    assert database.path is not None
    database.dispose()
    return database.path


def test_the_painted_queue_imports_no_orm(clinic_file: Path, clinic: Clinic) -> None:
    code = APP.format(heavy=HEAVY, instant=_instant(clinic), db=str(clinic_file))
    result = in_a_fresh_interpreter(code)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown["rows"] > 0, "the probe saw a painted queue with rows"
    assert shown["loaded"] == []


def test_the_sign_in_screen_imports_no_orm_nor_argon2(clinic_file: Path, clinic: Clinic) -> None:
    """With PINs, the first screen is the sign-in: the PIN check (the ORM, argon2) loads
    once someone types, in a thread, never before the screen is painted."""
    code = SIGN_IN.format(heavy=HEAVY, instant=_instant(clinic), db=str(clinic_file))
    result = in_a_fresh_interpreter(code)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown["people"] > 0, "the probe saw the staff to pick from"
    assert shown["loaded"] == []


def _instant(clinic: Clinic) -> str:
    """The pinned clock's instant as code for the probe."""
    now = clinic.clock.now()
    return f"__import__('datetime').datetime.fromisoformat({now.isoformat()!r})"


@pytest.mark.parametrize(
    "argv",
    [
        ["list", "--initials", "AB", "--date", "2026-11-24"],
        ["list", "--format", "json"],
        ["tasks", "list"],
        ["incidents", "list", "--format", "csv"],
        ["notes", "list"],
        ["staff", "list"],
    ],
)
def test_a_read_command_imports_no_orm(clinic_file: Path, argv: list[str]) -> None:
    result = in_a_fresh_interpreter(
        COMMAND.format(argv=[*argv, "--db", str(clinic_file)], heavy=HEAVY)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip(), "the command printed its rows"
    assert result.stderr.strip().splitlines()[-1] == "LOADED"


def test_a_write_command_still_loads_the_service_layer(clinic_file: Path) -> None:
    argv = [
        "intake", "--source", "voicemail", "--type", "medication_refill", "--phone",
        "312-555-0199", "--message", "Refill, please.", "--db", str(clinic_file),
    ]  # fmt: skip
    result = in_a_fresh_interpreter(COMMAND.format(argv=argv, heavy=HEAVY))
    assert result.returncode == 0, result.stderr
    assert "sqlmodel" in result.stderr.strip().splitlines()[-1]


def test_the_export_names_and_the_tables_agree() -> None:
    assert tuple(TABLES) == schema.EXPORTED


def test_the_write_side_is_made_once_whoever_asks_first(desk: FrontDesk) -> None:
    side = WriteSide(desk.database, desk.clinic)
    found: list[FrontDesk] = []
    askers = [threading.Thread(target=lambda: found.append(side.get())) for _ in range(4)]
    side.start()
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join(timeout=30)
    assert len(found) == 4 and len({id(item) for item in found}) == 1
    assert side.get() is found[0]
