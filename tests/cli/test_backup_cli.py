"""`callback-tui backup`, `backup --list` and `restore`: what they print, and every refusal as
one line on stderr (never a traceback)."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

import pytest

from callback_tui.cli import main
from callback_tui.store import schema
from callback_tui.store.engine import Database
from callback_tui.store.services import FrontDesk
from tests.store.test_backup import contents, files_restore_refuses, settled

Captured = pytest.CaptureFixture[str]


def ok(capsys: Captured, *args: str) -> str:
    assert main(list(args)) == 0, capsys.readouterr().err
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def refused(capsys: Captured, *args: str) -> str:
    """Exit 1, nothing on stdout, one line on stderr."""
    assert main(list(args)) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("callback-tui: error: ")
    return lines[0].removeprefix("callback-tui: error: ")


@pytest.fixture
def db(database: Database) -> str:
    assert database.path is not None
    return str(database.path)


def test_backup_prints_the_file_it_made(db: str, capsys: Captured, tmp_path: Path) -> None:
    made = Path(ok(capsys, "backup", "--db", db).strip())
    assert made.parent == Path(db).parent / "backups"
    assert made.name.startswith("callback-") and made.name.endswith("-manual.db")
    assert contents(made) == contents(Path(db))

    (tmp_path / "usb").mkdir()
    into = Path(ok(capsys, "backup", str(tmp_path / "usb"), "--db", db).strip())
    assert into.parent == tmp_path / "usb"
    named = ok(capsys, "backup", str(tmp_path / "usb" / "audit.db"), "--db", db).strip()
    assert named == str(tmp_path / "usb" / "audit.db")


def test_the_database_comes_from_the_environment_too(
    db: str, capsys: Captured, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CALLBACK_TUI_DB", db)
    made = Path(ok(capsys, "backup").strip())
    assert made.parent == Path(db).parent / "backups"


def test_backup_list_in_every_format(desk: FrontDesk, capsys: Captured) -> None:
    assert desk.database.path is not None
    db = str(desk.database.path)
    first = ok(capsys, "backup", "--db", db).strip()
    (Path(db).parent / "backups" / "callback-20200101-000000-manual.db").write_text("garbage")

    table = ok(capsys, "backup", "--list", "--db", db)
    header, newest, oldest = table.splitlines()
    assert header.split() == ["when", "label", "size", "revision", "path"]
    assert newest.split()[2:] == ["manual", *newest.split()[3:5], schema.HEAD, first]
    assert newest.split()[4] == "KB"
    assert oldest.split() == [
        "2020-01-01", "00:00:00", "manual", "7", "B", "unreadable",
        str(Path(db).parent / "backups" / "callback-20200101-000000-manual.db"),
    ]  # fmt: skip

    listed = json.loads(ok(capsys, "backup", "--list", "--format", "json", "--db", db))
    assert listed[0] == {
        "when": listed[0]["when"],
        "label": "manual",
        "size": Path(first).stat().st_size,
        "revision": schema.HEAD,
        "readable": True,
        "path": first,
    }
    assert (listed[1]["revision"], listed[1]["readable"]) == (None, False)

    rows = list(csv.DictReader(io.StringIO(ok(capsys, "backup", "--list", "--format", "csv",
                                              "--db", db))))  # fmt: skip
    assert [row["path"] for row in rows] == [first, listed[1]["path"]]


def test_restore_prints_one_line_per_fact(desk: FrontDesk, capsys: Captured) -> None:
    assert desk.database.path is not None
    db = str(desk.database.path)
    made = ok(capsys, "backup", "--db", db).strip()
    desk.staff.add("OM", "ZZ", "Zed After", "assistant")

    said = ok(capsys, "restore", made, "--db", db).splitlines()

    assert said[0] == f"restored {db} from {made}"
    assert said[1].startswith(f"kept the database as it was: {Path(db).parent / 'backups'}/")
    assert said[2] == f"schema revision {schema.HEAD}, this version's"
    assert contents(Path(db)) == contents(Path(made))


# -- refusals -------------------------------------------------------------------------------


def test_backup_refusals(db: str, capsys: Captured, tmp_path: Path) -> None:
    nowhere = tmp_path / "nowhere"
    assert refused(capsys, "backup", str(nowhere / "copy.db"), "--db", db) == (
        f"{nowhere}: no such folder; nothing was backed up"
    )
    assert refused(capsys, "backup", f"{nowhere}/", "--db", db) == (
        f"{nowhere}: no such folder; nothing was backed up"
    )
    existing = tmp_path / "already.db"
    existing.write_text("keep me")
    assert refused(capsys, "backup", str(existing), "--db", db) == (
        f"{existing}: already exists; a backup never overwrites a file"
    )
    assert existing.read_text() == "keep me"
    assert refused(capsys, "backup", "--list", str(tmp_path), "--db", db) == (
        "backup --list takes no DEST"
    )
    assert refused(capsys, "backup", "--format", "json", "--db", db) == (
        "--format goes with --list"
    )


def test_backup_of_what_is_not_a_database_file(capsys: Captured, tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "callbak.db"
    assert refused(capsys, "backup", "--db", str(missing)) == (
        f"{missing}: no such database file; nothing to back up"
    )
    assert not missing.parent.exists()  # nothing created on the way
    assert refused(capsys, "backup", "--db", str(tmp_path)) == (
        f"{tmp_path}: is a folder, not a database file; nothing to back up"
    )
    notes = tmp_path / "notes.txt"
    notes.write_text("call Mrs Lee back about Biscuit\n" * 20)
    assert refused(capsys, "backup", "--db", str(notes)) == (
        f"{notes}: not a callback-tui database (not an SQLite file)"
    )


def test_backup_and_restore_are_for_sqlite_files(capsys: Captured, tmp_path: Path) -> None:
    server = "postgresql://desk:s3cret@db.clinic.local/callbacks"
    for command in (["backup"], ["backup", "--list"], ["restore", str(tmp_path)]):
        said = refused(capsys, *command, "--db", server)
        assert said.endswith("backup and restore work on SQLite database files only"
                             " (use the database server's own backups)")  # fmt: skip
        assert "s3cret" not in said


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into any folder")
def test_backup_into_a_folder_that_cannot_be_written(
    db: str, capsys: Captured, tmp_path: Path
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        said = refused(capsys, "backup", str(locked), "--db", db)
    finally:
        locked.chmod(0o700)
    assert said == f"{locked}: cannot write a backup there (Permission denied)"


def test_backup_where_writing_is_refused(
    db: str, capsys: Captured, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same refusal as above, on any machine (root writes into a 0500 folder)."""

    def denied(*_args: object, **_kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    assert refused(capsys, "backup", str(tmp_path), "--db", db) == (
        f"{tmp_path}: cannot write a backup there (Permission denied)"
    )


def test_restore_refusals(database: Database, capsys: Captured, tmp_path: Path) -> None:
    db = settled(database)
    before = contents(db)
    for source, why in files_restore_refuses(db, tmp_path / "sources").items():
        assert refused(capsys, "restore", str(source), "--db", str(db)) == f"{source}: {why}"
    assert contents(db) == before
    assert not (db.parent / "backups").exists()
