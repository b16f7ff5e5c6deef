"""Input the command line accepts is right; input it refuses gets one line, never a traceback.

Each test goes through `main([...])`, as the person at the desk would meet it.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from callback_tui.cli import main

HEADER = "source_id,occurred_at,reason,patient,client,phone,assisted_by,doctor,interval_days"
ROW = "V{n},2026-11-23 10:00,illness,Biscuit,Jordan Lee,312-555-0142,AB,DRW,"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database with AB (assistant) and DRW (doctor), in Chicago on Tue 24 Nov 2026 09:00."""
    settings = tmp_path / "settings.toml"
    settings.write_text('timezone = "America/Chicago"\n')
    database = tmp_path / "callback.db"
    monkeypatch.setenv("CALLBACK_TUI_DB", str(database))
    monkeypatch.setenv("CALLBACK_TUI_SETTINGS", str(settings))
    monkeypatch.setenv("CALLBACK_TUI_NOW", "2026-11-24T09:00:00-06:00")
    assert main(["staff", "add", "AB", "Alex Baker", "--role", "assistant"]) == 0
    assert main(["staff", "add", "DRW", "Dr. Wong", "--role", "doctor"]) == 0
    return database


def visits(tmp_path: Path, *rows: str, header: str = HEADER) -> str:
    path = tmp_path / "visits.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return str(path)


def refused(capsys: pytest.CaptureFixture[str], argv: list[str]) -> list[str]:
    """Run a command that must be refused: exit 1, nothing on stdout; the stderr lines."""
    capsys.readouterr()
    assert main(argv) == 1
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err
    return err.splitlines()


def exported(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, list[dict[str, object]]]:
    capsys.readouterr()
    assert main(["export", *argv]) == 0
    everything: dict[str, list[dict[str, object]]] = json.loads(capsys.readouterr().out)
    return everything


def test_a_value_longer_than_csv_allows_names_its_row_and_column(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long_notes = "x" * 140_000  # past the csv module's own limit of 131 072
    rows = [f"{ROW.format(n=n)}," for n in (1, 2)] + [f"{ROW.format(n=3)},{long_notes}"]
    file = visits(tmp_path, *rows, header=f"{HEADER},notes")
    assert refused(capsys, ["import", file, "--db", str(db)]) == [
        "row 3, column notes: longer than 20,000 characters",
        f"callback-tui: error: {file}: 1 problem; nothing was imported",
    ]
    assert exported(capsys)["callbacks"] == []


def test_a_date_the_rules_cannot_place_is_one_row_problem(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    far = "V2,9999-12-30 10:00,illness,Luna,Maria Gonzalez,312-555-0102,AB,DRW,"
    file = visits(tmp_path, ROW.format(n=1), far, ROW.format(n=3))
    assert refused(capsys, ["import", file, "--db", str(db)])[0] == (
        "row 2, column occurred_at: '9999-12-30 10:00' is too far in the future"
        " to place its callbacks"
    )
    assert main(["import", file, "--db", str(db), "--skip-invalid"]) == 0
    out, err = capsys.readouterr()
    assert out == "imported 2 callbacks from 3 rows (1 row skipped)\n"
    assert err.startswith("skipped: row 2, column occurred_at: '9999-12-30 10:00'")


def test_export_to_the_last_day_there_is_means_no_end(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", visits(tmp_path, ROW.format(n=1))]) == 0
    everything = exported(capsys, "--from", "0001-01-01", "--to", "9999-12-31")
    assert [c["source_id"] for c in everything["callbacks"]] == ["V1"]
    assert main(["export", "--format", "csv", "--to", "9999-12-31"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2  # the header and V1


def test_a_time_the_clocks_skip_is_refused(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    skipped = "V1,2026-03-08 02:30,illness,Biscuit,Jordan Lee,312-555-0142,AB,DRW,"
    assert refused(capsys, ["import", visits(tmp_path, skipped), "--db", str(db)])[0] == (
        "row 1, column occurred_at: 02:30 does not exist on 2026-03-08 (the clocks went forward)"
    )
    # 01:30 on 1 Nov happens twice; the first (daylight time, 06:30 UTC) is taken.
    twice = "V2,2026-11-01 01:30,vomiting,Biscuit,Jordan Lee,312-555-0142,AB,DRW,"
    assert main(["import", visits(tmp_path, twice), "--db", str(db)]) == 0
    (callback,) = exported(capsys)["callbacks"]
    assert callback["due_at"] == "2026-11-02T00:30:00-06:00"  # 24 hours on


def test_a_column_twice_in_the_header_is_refused(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = visits(tmp_path, f"{ROW.format(n=1)},Luna", header=f"{HEADER},patient")
    assert refused(capsys, ["import", file, "--db", str(db)]) == [
        "row 0, column patient: appears twice in the header",
        f"callback-tui: error: {file}: 1 problem; nothing was imported",
    ]


@pytest.mark.parametrize("typed", ["7_0", "\u0667", "+7", "1e1", "00000000000000000000400"])
def test_interval_days_are_plain_digits_in_range(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], typed: str
) -> None:
    file = visits(tmp_path, ROW.format(n=1) + typed)
    (problem, _) = refused(capsys, ["import", file, "--db", str(db)])
    assert problem.startswith("row 1, column interval_days: ")
    assert problem.endswith(("is not a whole number of days", "days is out of range (1 to 365)"))
    assert main(["import", visits(tmp_path, ROW.format(n=1) + "007"), "--db", str(db)]) == 0
    (callback,) = exported(capsys)["callbacks"]
    assert callback["due_date"] == "2026-11-30"


def test_header_names_reach_the_terminal_without_controls(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = visits(tmp_path, ROW.format(n=1) + ",x", header=f"{HEADER},\x1b]0;pwned\x07memo\x9b2J")
    capsys.readouterr()
    assert main(["import", file, "--db", str(db)]) == 0
    assert capsys.readouterr().err == "ignored columns: ]0;pwnedmemo2J\n"


def test_lists_send_no_terminal_controls(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A record from before names were cleaned on the way in.
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE staff SET name = ? WHERE initials = 'AB'", ("Al\x1b[2Jex\x9b",))
    capsys.readouterr()
    assert main(["staff", "list"]) == 0
    table = capsys.readouterr().out
    assert " Al[2Jex " in table and "\x1b" not in table and "\x9b" not in table
    assert main(["staff", "list", "--format", "csv"]) == 0
    assert "AB,Al[2Jex,assistant" in capsys.readouterr().out
    assert main(["staff", "list", "--format", "json"]) == 0
    raw = capsys.readouterr().out
    assert "\\u001b" in raw and "\\u009b" in raw and not any(ch in raw for ch in "\x1b\x9b")
    assert json.loads(raw)[0]["name"] == "Al\x1b[2Jex\x9b"  # escaped, not lost


def test_csv_cells_a_spreadsheet_would_run_are_kept_as_text(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    row = "@1,2026-11-23 10:00,vomiting,=cmd|' /C calc'!A0,Jo Lee,+1 312-555-0142,AB,DRW,"
    assert main(["import", visits(tmp_path, row)]) == 0
    with sqlite3.connect(db) as connection:  # a leading tab: only an older record has one
        connection.execute("UPDATE client SET name = ?", ("\t-2+3",))
    for argv in (["list", "--format", "csv"], ["export", "--format", "csv"]):
        capsys.readouterr()
        assert main(argv) == 0
        (record,) = csv.DictReader(io.StringIO(capsys.readouterr().out))
        assert (record["source_id"], record["patient"], record["client"], record["phone"]) == (
            "'@1",
            "'=cmd|' /C calc'!A0",
            "'\t-2+3",
            "'+13125550142",
        )
        assert record["attempts"] == "0"  # a number stays a number


def test_as_names_someone_on_file_or_the_system(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    file = visits(tmp_path, ROW.format(n=1))
    monkeypatch.setenv("CALLBACK_TUI_NEW_PIN", "2468")
    assert main(["staff", "pin", "DRW"]) == 0  # DRW's first PIN
    monkeypatch.setenv("CALLBACK_TUI_PIN", "2468")
    assert refused(capsys, ["import", file, "--as", "XX"]) == [
        "callback-tui: error: unknown initials 'XX' for --as (known: AB, DRW)"
    ]
    (escape,) = refused(
        capsys, ["staff", "add", "TR", "Tay", "--role", "technician", "--as", "\x1b"]
    )
    assert escape.startswith("callback-tui: error: unknown initials '\\x1b' for --as")
    assert main(["import", file, "--as", "drw"]) == 0
    events = exported(capsys)["events"]
    assert [(e["action"], e["actor"]) for e in events if e["entity"] == "staff"] == [
        ("staff.added", "system"),
        ("staff.added", "system"),
        ("staff.pin_set", "DRW"),
        ("staff.signed_in", "DRW"),
        ("staff.signed_in", "DRW"),  # at the import: --as drw with DRW's PIN
    ]
    assert {e["actor"] for e in events if e["action"] == "callback.created"} == {"DRW"}


def test_an_empty_db_is_refused(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert refused(capsys, ["staff", "list", "--db", ""]) == [
        "callback-tui: error: --db is empty: give a file path or a database URL"
    ]
