"""`verify`: the file and the audit trail's chain, and the first broken link named."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from callback_tui.cli import main
from callback_tui.store.services import FrontDesk
from tests.conftest import add_visit


@pytest.fixture
def worked(desk: FrontDesk) -> Path:
    """A file with a morning's events on it."""
    add_visit(desk, patient="Biscuit")
    add_visit(desk, patient="Mochi", client="Sam Ortiz", phone="(312) 555-0199")
    assert desk.database.path is not None
    desk.database.dispose()
    return desk.database.path


def events(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute("SELECT count(*) FROM event").fetchone()[0])


def tamper(path: Path, statement: str) -> None:
    """What someone with the file and an SQLite shell could do: drop the guard, then edit."""
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TRIGGER event_never_changes")
        connection.execute("DROP TRIGGER event_never_deleted")
        connection.execute(statement)


def test_an_untouched_trail_holds(worked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--db", str(worked)]) == 0
    out = capsys.readouterr().out
    assert "the file is intact" in out
    assert f"the audit trail holds: {events(worked)} events" in out


def test_an_event_edited_with_plain_sql_is_the_broken_link(
    worked: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tamper(worked, "UPDATE event SET actor = 'DRW' WHERE id = 9")
    assert main(["verify", "--db", str(worked)]) == 1
    err = capsys.readouterr().err
    assert "broken at event 9: its content was changed after it was written" in err


def test_an_event_deleted_with_plain_sql_breaks_the_next_link(
    worked: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tamper(worked, "DELETE FROM event WHERE id = 9")
    assert main(["verify", "--db", str(worked)]) == 1
    assert "broken at event 10: it does not follow the event before it" in capsys.readouterr().err


def test_the_guard_refuses_plain_sql_on_events(worked: Path) -> None:
    with sqlite3.connect(worked) as connection:
        for statement in ("UPDATE event SET actor = 'DRW' WHERE id = 9", "DELETE FROM event"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                connection.execute(statement)


def test_a_file_that_is_not_there_is_refused_not_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped path is no sound file: nothing is created, and the error names the path."""
    missing = tmp_path / "callbak.db"
    assert main(["verify", "--db", str(missing)]) == 1
    assert f"{missing}: no such database file" in capsys.readouterr().err
    assert not missing.exists()
