"""Bad files and bad days: each is one line naming the file, exit 1, and no traceback, no SQL,
no patient data. Run through the real entry point, as the person at the desk meets them."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlmodel import Session, func, select

from callback_tui.cli import main
from callback_tui.store import engine as store_engine
from callback_tui.store import queries
from callback_tui.store.engine import open_database
from callback_tui.store.errors import DamagedFile, StoreError
from callback_tui.store.services import FrontDesk
from callback_tui.store.tables import Callback
from tests.conftest import add_visit

FIXTURE = Path(__file__).parents[1] / "fixtures" / "callback-0.1.0.db"
PATIENT_DATA = ("Biscuit", "Jordan", "Okafor", "312", "555")


def one_line(capsys: pytest.CaptureFixture[str], *, naming: Path | str) -> str:
    """The refusal: one line on stderr that names the file and gives nothing else away."""
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    line = lines[0]
    assert line.startswith("callback-tui: error: ") and str(naming) in line
    for leak in ("Traceback", "SELECT", "INSERT", "UPDATE", "[SQL", "parameters", "sqlite3."):
        assert leak not in line
    return line


@pytest.fixture
def clinic_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A current database file made from the 0.1.0 fixture (the demo clinic's families)."""
    settings = tmp_path / "settings.toml"
    settings.write_text('timezone = "America/Chicago"\n')
    monkeypatch.setenv("CALLBACK_TUI_SETTINGS", str(settings))
    monkeypatch.setenv("CALLBACK_TUI_NOW", "2026-11-24T09:00:00-06:00")
    path = tmp_path / "front-desk" / "callback.db"
    path.parent.mkdir()
    shutil.copy(FIXTURE, path)
    open_database(str(path)).dispose()  # upgraded, with its backup from before
    return path


def damage(path: Path) -> None:
    """Overwrite the middle third of the file, as a failing disk might; its header and schema
    page survive, so the damage shows when the data is read."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode = DELETE")
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size // 3)
        handle.write(b"\xff" * (size // 3))


def test_a_folder_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--db", str(tmp_path)]) == 1
    assert "is a folder" in one_line(capsys, naming=tmp_path)


def test_a_device_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["staff", "list", "--db", "/dev/null"]) == 1
    assert "is not a regular file" in one_line(capsys, naming="/dev/null")


def test_a_file_that_is_not_sqlite_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "visits.csv"
    notes.write_text("occurred_at,reason,patient\n2026-11-24 09:00,illness,Biscuit\n")
    assert main(["staff", "list", "--db", str(notes)]) == 1
    assert "not a callback-tui database" in one_line(capsys, naming=notes)
    assert notes.read_text().startswith("occurred_at")  # left alone


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["export"],
        ["staff", "list"],
        ["staff", "add", "ZZ", "Zed Zee", "--role", "owner"],
    ],
)
def test_a_damaged_file_is_named_with_its_latest_backup(
    clinic_file: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    damage(clinic_file)
    assert main([*command, "--db", str(clinic_file)]) == 1
    line = one_line(capsys, naming=clinic_file)
    assert "damaged" in line and "callback-tui restore" in line
    assert str(clinic_file.parent / "backups") in line


def test_a_write_never_proceeds_on_a_file_known_to_be_damaged(
    clinic_file: Path, desk: FrontDesk
) -> None:
    database = open_database(str(clinic_file))
    try:
        database.dispose()  # no connection open while the disk fails under the file
        damage(clinic_file)
        with pytest.raises(DamagedFile):
            queries.callbacks_between(database, None, None)
        assert database.damaged
        with pytest.raises(DamagedFile, match="nothing was saved"):
            FrontDesk(database, desk.clinic).staff.add("system", "ZZ", "Zed Zee", "owner")
    finally:
        database.dispose()


def test_a_file_locked_by_a_long_write_elsewhere_is_named(
    clinic_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_engine, "BUSY_TIMEOUT_MS", 300)
    other_desk = sqlite3.connect(clinic_file, isolation_level=None)
    other_desk.execute("BEGIN IMMEDIATE")
    try:
        assert (
            main(["staff", "add", "ZZ", "Zed Zee", "--role", "owner", "--db", str(clinic_file)])
            == 1
        )
    finally:
        other_desk.execute("ROLLBACK")
        other_desk.close()
    line = one_line(capsys, naming=clinic_file)
    assert "busy" in line and "nothing was saved" in line


def test_a_file_from_a_newer_version_is_named(
    clinic_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(clinic_file) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0042'")
    assert main(["list", "--db", str(clinic_file)]) == 1
    assert "made by a newer callback-tui" in one_line(capsys, naming=clinic_file)


def test_a_full_disk_saves_nothing_and_says_so(desk: FrontDesk) -> None:
    """SQLite's page limit stands in for a full disk: the same error, SQLITE_FULL."""
    database = desk.database
    database.engine.dispose()

    @event.listens_for(database.engine, "connect")
    def _small_disk(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    def callbacks() -> int:
        with Session(database.engine) as session:
            return session.exec(select(func.count()).select_from(Callback)).one()

    before = callbacks()
    with pytest.raises(StoreError, match="the disk is full; nothing was saved"):
        add_visit(desk, notes="x" * 19_000)
    assert callbacks() == before


@pytest.mark.parametrize(
    ("target", "says"),
    [
        ("foo://bar", "not a kind of database callback-tui can open"),
        (
            "postgresql+psycopg2://desk@localhost/clinic",
            "driver for this database is not installed",
        ),
    ],
)
def test_database_urls_that_cannot_work_are_named(
    target: str, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if "psycopg2" in target and importlib.util.find_spec("psycopg2") is not None:
        pytest.skip("the PostgreSQL driver is installed here")
    assert main(["list", "--db", target]) == 1
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_file_named_by_url_is_created_private(tmp_path: Path) -> None:
    path = tmp_path / "by-url" / "callback.db"
    assert main(["staff", "list", "--db", f"sqlite:///{path}"]) == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


# -- as a person without permission ---------------------------------------------------------
# The suite may run as root, which SQLite's and the kernel's permission checks let through,
# so these run the real command as an unprivileged user (setpriv) in a folder both can reach.

NOBODY = 65534


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to act as another user")
    folder = Path(tempfile.mkdtemp(prefix="callback-tui-perm-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder)


def as_nobody(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    settings = home / "settings.toml"
    if not settings.exists():
        settings.write_text('timezone = "America/Chicago"\n')
        settings.chmod(0o644)
    return subprocess.run(
        ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
         sys.executable, "-m", "callback_tui", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "HOME": str(home), "CALLBACK_TUI_SETTINGS": str(settings)},
    )  # fmt: skip


def refused_line(result: subprocess.CompletedProcess[str], naming: Path) -> str:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(naming) in lines[0], result.stderr
    # Paths may hold digits of their own (a temporary folder, a backup's time): not data.
    words = result.stderr.replace(str(naming.parent), "")
    assert not any(leak in words for leak in ("Traceback", "INSERT", *PATIENT_DATA))
    return lines[0]


def test_a_write_to_a_read_only_file_gives_no_data_away(shared_folder: Path) -> None:
    path = shared_folder / "callback.db"
    shutil.copy(FIXTURE, path)
    open_database(str(path)).dispose()
    for name in ("callback.db", "callback.db-wal", "callback.db-shm"):
        if (shared_folder / name).exists():
            (shared_folder / name).chmod(0o644)
    result = as_nobody(
        "staff", "add", "ZZ", "Zed Okafor 312-555-0100", "--role", "owner", "--db", str(path),
        home=shared_folder,
    )  # fmt: skip
    line = refused_line(result, naming=path)
    assert "read-only" in line or "cannot open" in line


def test_a_database_in_an_unreadable_folder_is_named(shared_folder: Path) -> None:
    locked = shared_folder / "private"
    locked.mkdir(mode=0o700)
    path = locked / "callback.db"
    result = as_nobody("list", "--db", str(path), home=shared_folder)
    assert "permission" in refused_line(result, naming=path)


def test_an_older_file_is_upgraded_with_a_word_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text('timezone = "America/Chicago"\n')
    monkeypatch.setenv("CALLBACK_TUI_SETTINGS", str(settings))
    path = tmp_path / "old" / "callback.db"
    path.parent.mkdir()
    shutil.copy(FIXTURE, path)
    assert main(["staff", "list", "--db", str(path), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert "bringing it up to date" in captured.err and str(path) in captured.err
    assert '"initials": "DRW"' in captured.out  # the listing itself is untouched by the word
    assert main(["staff", "list", "--db", str(path)]) == 0
    assert capsys.readouterr().err == ""  # once only
