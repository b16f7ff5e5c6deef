"""The command line through its entry point: `main`, and for the tests marked `process` the
installed script in a subprocess."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import pytest

from callback_tui.clock import FixedClock, zone
from callback_tui.config import Settings, load_clinic
from callback_tui.domain.vocab import Outcome
from callback_tui.store import notes, queries
from callback_tui.store.engine import Database, open_database
from callback_tui.store.incident_desk import IncidentStart
from callback_tui.store.notes import NoteView
from callback_tui.store.services import CallOutcome, FrontDesk, NoteRef
from callback_tui.store.tables import TABLES
from tests.cli.made_once import made_once
from tests.cli.runner import invoke

Run = Callable[..., subprocess.CompletedProcess[str]]
CHICAGO = zone("America/Chicago")


@pytest.fixture
def run(tmp_path: Path, request: pytest.FixtureRequest) -> Run:
    """`callback-tui ARGS` against a fresh database, in Chicago, on Tuesday 24 Nov 09:00: in
    this process, or in a subprocess for a test marked `process` (see runner.py)."""
    settings = tmp_path / "settings.toml"
    settings.write_text('timezone = "America/Chicago"\nclosures = [2026-11-26]\n')
    env = {
        **os.environ,
        "CALLBACK_TUI_DB": str(tmp_path / "data" / "callback.db"),
        "CALLBACK_TUI_SETTINGS": str(settings),
        "CALLBACK_TUI_NOW": "2026-11-24T09:00:00-06:00",
    }
    process = request.node.get_closest_marker("process") is not None

    def call(*args: str, module: bool = False) -> subprocess.CompletedProcess[str]:
        return invoke(args, env=env, cwd=tmp_path, process=process, module=module)

    call.database = Path(env["CALLBACK_TUI_DB"])  # type: ignore[attr-defined]
    return call


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def refused(result: subprocess.CompletedProcess[str]) -> str:
    """A user mistake: non-zero, a clear last line, and never a traceback."""
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    return result.stderr.strip().splitlines()[-1]


def staffed(run: Run) -> None:
    """Three people added through `staff add` (run once per test process, then copied)."""

    def steps() -> None:
        for initials, name, role in [
            ("AB", "Alex [bold]Baker[/]", "assistant"),
            ("TR", "Taylor Reed", "technician"),
            ("DRW", "Dr. Wong", "doctor"),
        ]:
            ok(run("staff", "add", initials, name, "--role", role))

    made_once("staffed", run.database, steps)  # type: ignore[attr-defined]


VISITS = (
    "source_id,occurred_at,reason,patient,client,phone,assisted_by,doctor,species\n"
    "V1,2026-11-23 10:00,vomiting,Biscuit,Jordan [i]Lee[/i],312-555-0142,AB,DRW,dog\n"
    "V2,2026-11-21 11:30,diarrhea,Luna,Maria Gonzalez,312-555-0102,AB,DRW,cat\n"
    "V3,2026-11-23 09:00,surgery,Pepper,Sam Okafor,312-555-0103,TR,DRW,dog\n"
    "V4,2026-11-23 09:30,general_question,Mochi,Ruth Adler,312-555-0104,AB,DRW,cat\n"
)


def test_a_long_list_of_problems_ends_with_those_found_in_many_rows(
    run: Run, tmp_path: Path
) -> None:
    """A file from a practice system whose staff are not added yet: every row names the
    same doctor. After the list, the few things to mend, counted, most rows first."""
    staffed(run)
    rows = [
        f"M{i},2026-11-23 10:00,vomiting,Pet {i},Client {i},312-555-{i:04d},"
        f"{'CD' if i % 3 else 'AB'},DRZ,dog\n"
        for i in range(1, 31)
    ]
    rows[4] = "M5,2026-11-23 10:00,grooming,Pet 5,Client 5,312-555-0005,AB,DRW,dog\n"
    (tmp_path / "practice.csv").write_text(VISITS.splitlines(keepends=True)[0] + "".join(rows))
    result = run("import", "practice.csv")
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 29 + 19 + 1 + 1 + 2 + 1  # DRZ, CD, grooming; the summary; the error
    assert lines[-5:] == [
        "row 30, column doctor: unknown initials 'DRZ' (add them with `staff add`)",
        "the same problem in many rows:",
        "  29 rows, column doctor: unknown initials 'DRZ' (add them with `staff add`)",
        "  19 rows, column assisted_by: unknown initials 'CD' (add them with `staff add`)",
        "callback-tui: error: practice.csv: 49 problems; nothing was imported",
    ]
    assert json.loads(ok(run("export")))["callbacks"] == []

    skipped = run("import", "practice.csv", "--skip-invalid")
    assert ok(skipped).strip() == "imported 0 callbacks from 30 rows (30 rows skipped)"
    assert skipped.stderr.strip().splitlines()[-3:] == lines[-4:-1]


def test_past_ten_problems_found_in_many_rows_the_rest_are_counted(
    run: Run, tmp_path: Path
) -> None:
    staffed(run)
    rows = [
        f"N{i},2026-11-23 10:00,vomiting,Pet {i},Client {i},312-555-{i:04d},AB,DR{i % 12:02d},dog\n"
        for i in range(24)
    ]  # twelve unknown doctors, two rows each
    (tmp_path / "doctors.csv").write_text(VISITS.splitlines(keepends=True)[0] + "".join(rows))
    lines = run("import", "doctors.csv").stderr.strip().splitlines()
    assert lines[24] == "the same problem in many rows:"
    assert lines[25:27] == [
        "  2 rows, column doctor: unknown initials 'DR00' (add them with `staff add`)",
        "  2 rows, column doctor: unknown initials 'DR01' (add them with `staff add`)",
    ]
    assert lines[-2:] == [
        "  and 2 other problems found in many rows",
        "callback-tui: error: doctors.csv: 24 problems; nothing was imported",
    ]
    assert len(lines) == 24 + 1 + 10 + 2


def test_a_file_saved_with_semicolons_or_tabs_imports_as_one_with_commas(
    run: Run, tmp_path: Path
) -> None:
    """A spreadsheet where the comma is the decimal mark saves its CSV with semicolons (and
    Windows line ends); text copied out of one has tabs. A comma inside a value stays in it."""
    staffed(run)
    header = "source_id,occurred_at,reason,patient,client,phone,assisted_by,doctor"
    semicolons = (
        header.replace(",", ";") + "\r\n"
        "S1;2026-11-23 10:00;vomiting;Rex;Lee, Ann;312-555-0150;AB;DRW\r\n"
        'S2;2026-11-23 11:00;surgery;"Bo; the cat";Kim Ray;312-555-0151;TR;DRW\r\n'
    )
    (tmp_path / "semicolons.csv").write_bytes(semicolons.encode("utf-8-sig"))
    assert ok(run("import", "semicolons.csv")).strip() == "imported 3 callbacks from 2 rows"
    tabs = (
        header.replace(",", "\t")
        + "\nT1\t2026-11-23 12:00\tdiarrhea\tMax\tJo Park\t312-555-0152\tAB\tDRW\n"
    )
    (tmp_path / "tabs.csv").write_text(tabs)
    assert ok(run("import", "tabs.csv")).strip() == "imported 1 callback from 1 row"
    everything = json.loads(ok(run("export")))
    assert {c["source_id"] for c in everything["callbacks"]} == {"S1", "S2", "T1"}
    assert {c["name"] for c in everything["clients"]} == {"Lee, Ann", "Kim Ray", "Jo Park"}
    assert {p["name"] for p in everything["patients"]} == {"Rex", "Bo; the cat", "Max"}


def test_version_through_python_dash_m(run: Run) -> None:
    assert ok(run("--version", module=True)).startswith("callback-tui ")


def test_staff_add_and_list(run: Run) -> None:
    staffed(run)
    table = ok(run("staff", "list"))
    assert "Alex [bold]Baker[/]" in table  # shown as typed, not as markup
    listed = json.loads(ok(run("staff", "list", "--format", "json")))
    assert listed[0] == {
        "initials": "AB",
        "name": "Alex [bold]Baker[/]",
        "role": "assistant",
        "active": True,
        "pin_set": False,
    }


def test_staff_mistakes_are_one_line(run: Run) -> None:
    staffed(run)
    assert refused(run("staff", "add", "AB", "Again", "--role", "assistant")) == (
        "callback-tui: error: initials: AB is already taken"
    )
    assert "2 to 4 letters" in refused(run("staff", "add", "A", "Ann", "--role", "assistant"))
    assert "invalid choice" in refused(run("staff", "add", "ZZ", "Zed", "--role", "janitor"))


@pytest.mark.process
def test_import_list_and_reimport(run: Run, tmp_path: Path) -> None:
    staffed(run)
    (tmp_path / "visits.csv").write_text(VISITS)
    assert ok(run("import", "visits.csv")).strip() == "imported 5 callbacks from 4 rows"
    assert "(4 rows already imported, skipped)" in ok(run("import", "visits.csv"))

    queue = json.loads(ok(run("list", "--initials", "AB", "--format", "json")))
    assert [(r["section"], r["patient"], r["owner"]) for r in queue] == [
        ("overdue", "Luna", "AB"),
        ("today", "Biscuit", "AB"),
        ("pool", "Pepper", "SA"),
    ]
    luna = queue[0]
    assert {k: luna[k] for k in ("due_date", "original_due_date", "status", "attempts")} == {
        "due_date": "2026-11-23",
        "original_due_date": "2026-11-22",
        "status": "open",
        "attempts": 0,
    }
    assert luna["due_at"] == "2026-11-23T08:00:00-06:00"
    required = {"id", "source_id", "patient", "client", "reason", "owner", "doctor"}
    assert required <= set(luna)

    everyone = json.loads(ok(run("list", "--format", "json")))
    assert len(everyone) == 4  # the day-3 post-op call is not due yet
    csv_out = ok(run("list", "--format", "csv")).splitlines()
    assert csv_out[0].startswith("id,source_id,patient,client")
    assert "Jordan [i]Lee[/i]" in ok(run("list"))


def test_a_bad_import_lists_every_problem_and_writes_nothing(run: Run, tmp_path: Path) -> None:
    staffed(run)
    (tmp_path / "bad.csv").write_text(
        VISITS + "V5,2026-11-31 10:00,grooming,Rex,Al,12,ZZ,DRW,dog\n"
    )
    result = run("import", "bad.csv")
    lines = result.stderr.strip().splitlines()
    assert lines[:-1] == [
        "row 5, column occurred_at: '2026-11-31 10:00' is not a date and time"
        " (use YYYY-MM-DD HH:MM)",
        "row 5, column reason: unknown reason 'grooming' (one of: surgery, core, vomiting,"
        " diarrhea, urinary, illness, injury, general_question)",
        "row 5, column phone: '12' is not a valid phone number",
        "row 5, column assisted_by: unknown initials 'ZZ' (add them with `staff add`)",
    ]
    assert refused(result) == "callback-tui: error: bad.csv: 4 problems; nothing was imported"
    assert json.loads(ok(run("export")))["callbacks"] == []

    skipped = run("import", "bad.csv", "--skip-invalid")
    assert ok(skipped).strip() == "imported 5 callbacks from 5 rows (1 row skipped)"
    assert "skipped: row 5, column reason" in skipped.stderr


def test_export_has_every_table(run: Run, tmp_path: Path) -> None:
    staffed(run)
    (tmp_path / "visits.csv").write_text(VISITS)
    ok(run("import", "visits.csv"))
    everything = json.loads(ok(run("export", "--format", "json")))
    assert list(everything) == list(TABLES)
    assert len(everything["callbacks"]) == 5
    assert "section" not in everything["callbacks"][0]  # a queue's notion, not a record's
    assert len(everything["staff"]) == 3
    assert {e["action"] for e in everything["events"]} >= {"staff.added", "callback.created"}
    dated = json.loads(ok(run("export", "--from", "2026-11-24", "--to", "2026-11-24")))
    assert [c["source_id"] for c in dated["callbacks"]] == ["V1", "V3", "V4"]
    assert ok(run("export", "--format", "csv", "--table", "staff")).startswith("id,initials,")
    assert "--from is after --to" in refused(
        run("export", "--from", "2026-12-01", "--to", "2026-11-01")
    )


@pytest.mark.process
def test_user_mistakes_never_show_a_traceback(run: Run, tmp_path: Path) -> None:
    staffed(run)
    assert refused(run("--initials", "ZZ")) == (
        "callback-tui: error: unknown initials 'ZZ' (known: AB, DRW, TR)"
    )
    assert "no-such.csv" in refused(run("import", "no-such.csv"))
    assert "not a date" in refused(run("list", "--date", "2026-02-30"))
    (tmp_path / "settings.toml").write_text('timezone = "America/Chicago"\nhours = 7\n')
    message = refused(run("list"))
    assert "settings.toml, line 2: hours" in message
    (tmp_path / "junk.db").write_text("not a database" * 100)
    assert "junk.db" in refused(run("--db", str(tmp_path / "junk.db"), "staff", "list"))


@contextmanager
def desk_at(tmp_path: Path, when: str) -> Iterator[FrontDesk]:
    """The CLI's database, written as the TUI would at `when` (YYYY-MM-DD HH:MM, Chicago)."""
    instant = datetime.fromisoformat(when).replace(tzinfo=CHICAGO)
    clinic = load_clinic(
        Settings(timezone="America/Chicago"), FixedClock(tz=CHICAGO, instant=instant)
    )
    database = open_database(str(tmp_path / "data" / "callback.db"))
    try:
        yield FrontDesk(database, clinic)
    finally:
        database.dispose()


def write_notes(tmp_path: Path) -> None:
    """A concern draft for DRW and a final, amended note, written as the TUI would."""
    with desk_at(tmp_path, "2026-11-23 09:00") as desk:
        database = desk.database
        rows = queries.callbacks(database, day=date(2026, 11, 24), status="all")
        first, second = rows[0], rows[1]
        for row, text in ((first, "Still [b]vomiting[/b]."), (second, "Stools normal.\nAll good.")):
            desk.callbacks.log_outcome(
                "AB", row.id, row.version, CallOutcome(Outcome.SPOKE, text, concern_for_doctor=True)
            )
        final = next(n for n in desk_notes(database) if n.body.startswith("Stools"))
        assert final.id is not None
        desk.notes.finalize("DRW", NoteRef(final.id, final.version), final.body)
        desk.notes.amend("DRW", final.id, "Recheck in 2 weeks.")


def desk_notes(database: Database) -> list[NoteView]:
    return notes.notes(database)


def test_notes_list_drafts_doctor_and_formats(run: Run, tmp_path: Path) -> None:
    staffed(run)
    (tmp_path / "visits.csv").write_text(VISITS)
    ok(run("import", "visits.csv"))
    assert ok(run("notes", "list")).strip().splitlines()[1:] == []  # a header, no notes yet
    write_notes(tmp_path)

    table = ok(run("notes", "list")).splitlines()
    assert len(table) == 3
    assert "Still [b]vomiting[/b]." in table[1] and " 1d " in table[1]  # literal, aged
    assert "final" in table[2] and "Stools normal." in table[2]

    drafts = json.loads(ok(run("notes", "list", "--drafts", "--format", "json")))
    assert [(n["status"], n["addressed_to"], n["body"]) for n in drafts] == [
        ("draft", "DRW", "Still [b]vomiting[/b].")
    ]
    everything = json.loads(ok(run("notes", "list", "--doctor", "drw", "--format", "json")))
    assert [len(n["amendments"]) for n in everything] == [0, 1]
    assert everything[1]["amendments"][0]["body"] == "Recheck in 2 weeks."
    assert everything[1]["body"] == "Stools normal.\nAll good."
    as_csv = list(csv.DictReader(io.StringIO(ok(run("notes", "list", "--format", "csv")))))
    assert json.loads(as_csv[1]["amendments"])[0]["body"] == "Recheck in 2 weeks."
    assert "unknown initials 'ZZ'" in refused(run("notes", "list", "--doctor", "ZZ"))

    exported = json.loads(ok(run("export")))
    assert len(exported["notes"]) == 2 and len(exported["amendments"]) == 1
    assert ok(run("export", "--format", "csv", "--table", "notes")).startswith("id,patient_id,")


def test_tasks_list_mine_all_and_json(run: Run, tmp_path: Path) -> None:
    staffed(run)
    ok(run("staff", "add", "FD", "Frankie Diaz", "--role", "front_desk"))
    (tmp_path / "visits.csv").write_text(VISITS)
    ok(run("import", "visits.csv"))
    assert ok(run("tasks", "list")).strip().splitlines()[1:] == []

    with desk_at(tmp_path, "2026-11-24 09:30") as desk:
        row = queries.callbacks(desk.database, day=date(2026, 11, 24), initials="AB")[0]
        desk.callbacks.log_outcome("AB", row.id, row.version, CallOutcome(Outcome.WRONG_NUMBER))

    table = ok(run("tasks", "list", "--initials", "fd")).splitlines()
    assert len(table) == 2 and "front desk" in table[1] and "Verify the phone number" in table[1]
    assert ok(run("tasks", "list", "--initials", "AB")).strip().splitlines()[1:] == []
    (task,) = json.loads(ok(run("tasks", "list", "--all", "--format", "json")))
    assert (task["role"], task["status"], task["about_ref"]) == (
        "front_desk",
        "open",
        f"callback:{row.id}",
    )
    # Made at 09:30, due by the end of the clinic's day.
    assert (task["created_at"], task["due_at"]) == (
        "2026-11-24T09:30:00-06:00",
        "2026-11-24T18:00:00-06:00",
    )
    assert "unknown initials 'ZZ'" in refused(run("tasks", "list", "--initials", "ZZ"))
    assert len(json.loads(ok(run("export")))["tasks"]) == 1


def test_list_marks_a_missed_callback_with_its_next_try(run: Run, tmp_path: Path) -> None:
    staffed(run)
    (tmp_path / "visits.csv").write_text(VISITS)
    ok(run("import", "visits.csv"))
    with desk_at(tmp_path, "2026-11-24 09:00") as desk:
        row = next(
            r
            for r in queries.callbacks(desk.database, day=date(2026, 11, 24))
            if r.patient == "Biscuit"
        )
        desk.callbacks.log_outcome("AB", row.id, row.version, CallOutcome(Outcome.NO_ANSWER))

    (listed,) = [line for line in ok(run("list")).splitlines() if "Biscuit" in line]
    assert "next 11-24 12:00" in listed  # as Today shows it: not to be called before then
    (luna,) = [line for line in ok(run("list")).splitlines() if "Luna" in line]
    assert "next" not in luna and "11-23 08:00" in luna
    (record,) = [r for r in json.loads(ok(run("list", "--format", "json"))) if r["id"] == row.id]
    assert record["next_attempt_at"] == record["due_at"] == "2026-11-24T12:00:00-06:00"


def test_incidents_list_open_and_json(run: Run, tmp_path: Path) -> None:
    staffed(run)
    assert ok(run("incidents", "list")).strip().splitlines()[1:] == []
    with desk_at(tmp_path, "2026-11-24 07:00") as desk:
        desk.incidents.open(
            "AB",
            IncidentStart(
                found_via="phone",
                what_happened="Waited [b]40[/b] minutes.\nLeft upset.",
                subject="Jordan [i]Lee[/i]",
            ),
        )
    table = ok(run("incidents", "list", "--open")).splitlines()
    assert len(table) == 2
    assert "Waited [b]40[/b] minutes." in table[1] and "2h 00m" in table[1]
    (incident,) = json.loads(ok(run("incidents", "list", "--format", "json")))
    assert (incident["status"], incident["step"], incident["found_via"], incident["subject"]) == (
        "open",
        "office_manager",
        "phone",
        "Jordan [i]Lee[/i]",
    )
    assert incident["what_happened"] == "Waited [b]40[/b] minutes.\nLeft upset."


@pytest.mark.process
def test_a_piped_table_keeps_its_columns_aligned_with_wide_names(run: Run) -> None:
    ok(run("staff", "add", "AB", "李小龍", "--role", "assistant"))
    ok(run("staff", "add", "CD", "Zoë Ng", "--role", "doctor"))
    header, wide, accented = ok(run("staff", "list")).splitlines()
    assert header.split() == ["initials", "name", "role", "active", "pin"]
    # The role column starts at one terminal column on every line (李小龍 takes six).
    assert header.index("role") == wide.index("assistant") + 3 == accented.index("doctor")


@pytest.mark.parametrize(
    ("words", "plain"),
    [
        ([], True),
        (["--initials", "AB"], True),
        (["--db", "x.db", "--settings=s.toml", "--initials=AB"], True),
        (["--db"], False),  # the value is missing: the full parser says so
        (["--db", "--initials", "AB"], False),
        (["--help"], False),
        (["--version"], False),
        (["list"], False),
        (["--db", "x.db", "lsit"], False),  # a mistyped command is named as one
        (["--initials", "AB", "demo"], False),
    ],
)
def test_only_the_plain_start_skips_the_command_parsers(words: list[str], plain: bool) -> None:
    from callback_tui.cli import build_parser, opens_the_app

    assert opens_the_app(words) is plain
    if plain:  # parsed the same either way
        lean = build_parser(commands=False).parse_args(words)
        assert lean == build_parser().parse_args(words)


def test_a_start_with_a_missing_value_or_a_mistyped_command_is_told_off(run: Run) -> None:
    missing = run("--db")
    assert missing.returncode == 2
    assert "COMMAND" in missing.stderr and "--db: expected one argument" in missing.stderr
    typo = run("--initials", "AB", "lsit")
    assert typo.returncode == 2 and "invalid choice: 'lsit'" in typo.stderr


@pytest.mark.parametrize(
    ("words", "line"),
    [
        (
            ("list", "--date", "2026-11-31"),
            "--date '2026-11-31': not a date: November 2026 has 30 days",
        ),
        (("list", "--date", "2026-13-01"), "--date '2026-13-01': there is no month 13;"),
        (("list", "--date", "tomorrow"), "--date 'tomorrow': not a date; write it as YYYY-MM-DD"),
        (
            ("export", "--from", "2026-02-29"),
            "--from '2026-02-29': not a date: February 2026 has 28 days",
        ),
        (("export", "--to", "24/11/2026"), "--to '24/11/2026': not a date; write it as YYYY-MM-DD"),
    ],
)
def test_a_bad_date_is_one_line_without_the_usage(
    run: Run, words: tuple[str, ...], line: str
) -> None:
    result = run(*words)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"callback-tui: error: {line}")
    assert result.stderr.count("\n") == 1 and "usage" not in result.stderr


def test_the_demo_refuses_a_profile_that_does_not_ship(run: Run) -> None:
    line = refused(run("demo", "--profile", "optician"))
    assert "no such profile (known: dental, medical, veterinary)" in line
    assert "use a profile's name" in refused(run("demo", "--profile", "../settings"))


def test_the_demo_takes_no_database(run: Run, tmp_path: Path) -> None:
    """The demo always runs on a new temporary database: a --db would be silently unused."""
    target = tmp_path / "mine.db"
    result = run("demo", "--db", str(target))
    assert result.returncode == 2 and "unrecognized arguments: --db" in result.stderr
    assert not target.exists()
