"""`callback-tui handoff` in every format, and `--release AB --as OM` with the PIN rules of the
other writing commands, through the real entry point."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.cli.made_once import made_once
from tests.cli.test_staff_cli import Run, env, events, ok, refused, run, set_up

__all__ = ["env", "run"]  # the fixtures, used by name

VISITS = (
    "source_id,occurred_at,reason,patient,client,phone,assisted_by,doctor\n"
    "V1,2026-11-23 10:00,vomiting,Biscuit,Jordan Lee,312-555-0142,AB,DRW\n"
    "V2,2026-11-22 10:00,diarrhea,Luna,Maria Gonzalez,312-555-0102,AB,DRW\n"
    "V3,2026-11-23 09:00,general_question,Pepper,Sam Okafor,312-555-0103,AB,DRW\n"
)
"""AB's check due today, AB's overdue one (due yesterday), and a question for the TA pool."""


def shift(run: Run, tmp_path: Path) -> None:
    """The set-up clinic, and AB's import of VISITS (run once per test process, then copied)."""

    def steps() -> None:
        set_up(run)
        (tmp_path / "visits.csv").write_text(VISITS)
        ok(run("import", "visits.csv", "--as", "AB", pin="2468"))

    made_once("shift", run.database, steps)  # type: ignore[attr-defined]


def lines(run: Run, *args: str) -> dict[str, dict[str, object]]:
    found = json.loads(ok(run("handoff", "--format", "json", *args)))
    return {line["who"]: line for line in found}


def test_json_has_every_line_with_its_counts(run: Run, tmp_path: Path) -> None:
    shift(run, tmp_path)
    found = lines(run)
    assert list(found) == ["AB", "SA", "TA", "DESK"]
    assert found["AB"] == {
        "who": "AB",
        "name": "Alex Baker",
        "pool": False,
        "open": 2,
        "overdue": 1,
        "unreached_today": 0,
        "drafts": 0,
        "tasks": 0,
        "to_release": 2,
        "to_pools": {"SA": 2},
        "kept": 0,
        "kept_why": "",
    }
    assert (found["TA"]["name"], found["TA"]["open"], found["TA"]["pool"]) == ("TA pool", 1, True)
    assert list(lines(run, "--initials", "ab")) == ["AB", "SA"]


@pytest.mark.process
def test_the_table_and_csv_say_the_same(run: Run, tmp_path: Path) -> None:
    shift(run, tmp_path)
    table = ok(run("handoff")).splitlines()
    assert table[0].split() == [
        "who", "name", "open", "overdue", "unreached", "today", "drafts", "tasks", "to",
        "release", "where",
    ]  # fmt: skip
    assert table[1].split() == ["AB", "Alex", "Baker", "2", "1", "0", "0", "0", "2", "SA", "2"]
    rows = list(csv.DictReader(io.StringIO(ok(run("handoff", "--format", "csv")))))
    assert [row["who"] for row in rows] == ["AB", "SA", "TA", "DESK"]
    assert (rows[0]["to_release"], rows[0]["to_pools"]) == ("2", "SA 2")


def test_csv_cells_are_guarded_against_formulas(run: Run, tmp_path: Path) -> None:
    set_up(run)
    ok(run("staff", "add", "ZZ", "=HYPERLINK(1)", "--role", "assistant", "--as", "OM", pin="1357"))
    (row, _pool) = csv.DictReader(
        io.StringIO(ok(run("handoff", "--initials", "ZZ", "--format", "csv")))
    )
    assert row["name"] == "'=HYPERLINK(1)"


def test_an_office_manager_releases_and_the_events_keep_the_initials(
    run: Run, tmp_path: Path
) -> None:
    shift(run, tmp_path)
    said = ok(run("handoff", "--release", "AB", "--as", "OM", pin="1357"))
    assert said == "released 2 callbacks of AB's into their pools (SA 2)\n"
    found = lines(run)
    assert "AB" not in found  # nothing open or waiting is left with AB
    assert found["SA"]["open"] == 2
    released = [e for e in events(run) if e["action"] == "callback.released"]
    assert [(e["actor"], e["before"]["owner"], e["after"]["owner"]) for e in released] == [  # type: ignore[index]
        ("OM", "AB", "SA"),
        ("OM", "AB", "SA"),
    ]
    assert ok(run("handoff", "--release", "ab", "--as", "AB", pin="2468")) == (
        "nothing of AB's to release\n"
    )


def test_someone_else_or_the_system_is_refused_in_one_line(run: Run, tmp_path: Path) -> None:
    shift(run, tmp_path)
    ok(run("staff", "pin", "FD", new_pin="8642"))
    assert refused(run("handoff", "--release", "AB", "--as", "FD", pin="8642")) == (
        "callback-tui: error: Only an office manager or the owner may put someone else's"
        " unworked callbacks back into their pools."
    )
    assert refused(run("handoff", "--release", "AB")).endswith("Give --as with your initials.")
    assert refused(run("handoff", "--release", "AB", "--as", "OM", pin="0000")).startswith(
        "callback-tui: error: Wrong PIN"
    )
    assert "TA is a pool" in refused(run("handoff", "--release", "TA", "--as", "OM", pin="1357"))
    assert "unknown initials 'QQ'" in refused(run("handoff", "--initials", "QQ"))
    assert lines(run)["AB"]["to_release"] == 2  # nothing was written


def test_another_day(run: Run, tmp_path: Path) -> None:
    shift(run, tmp_path)
    # On Wednesday, today's check is overdue too.
    found = lines(run, "--date", "2026-11-25")
    assert (found["AB"]["open"], found["AB"]["overdue"], found["AB"]["to_release"]) == (2, 2, 2)
    mistake = run("handoff", "--date", "2026-02-30")  # a usage mistake: 2, as argparse's
    assert (mistake.returncode, mistake.stdout) == (2, "")
    assert mistake.stderr == (
        "callback-tui: error: --date '2026-02-30': not a date: February 2026 has 28 days\n"
    )
