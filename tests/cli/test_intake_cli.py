"""`callback-tui intake`: a message handed over by a script becomes a callback with a target."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import Run, ok, refused, run, staffed

__all__ = ["run"]  # the fixture, shared with the command's other tests


@pytest.mark.process
def test_a_voicemail_becomes_a_callback_due_at_its_target(run: Run) -> None:
    staffed(run)
    said = ok(
        run(
            "intake", "--source", "voicemail", "--phone", "312-555-0188", "--name", "Robin Ash",
            "--message", "Biscuit is [bold]not eating[/bold] since yesterday",
            "--type", "pet_concern", "--received", "08:30",
        )
    )  # fmt: skip
    # Urgent (the words say so): one open hour from 08:30, for the technicians' pool.
    expected = "callback 1: concern about a pet (urgent) for TA, target Tue 24 Nov 09:30"
    assert said.strip() == expected

    listed = json.loads(ok(run("list", "--format", "json")))
    assert [row["patient"] for row in listed] == ["Robin Ash"]
    row = listed[0]
    assert row["source"] == "voicemail"
    assert row["target_at"].startswith("2026-11-24T09:30")
    assert row["late_minutes"] == 0  # 09:00 now: half an hour left
    table = ok(run("list"))
    assert "target_at" in table and "late_minutes" in table

    # The export keeps where it came from and its target, for the reviews.
    (exported,) = json.loads(ok(run("export")))["callbacks"]
    assert exported["source"] == "voicemail"
    assert exported["target_at"].startswith("2026-11-24T09:30")
    header = ok(run("export", "--format", "csv", "--table", "callbacks")).splitlines()[0]
    assert "source" in header.split(",") and "target_at" in header.split(",")


def test_a_message_past_its_target_is_listed_late(run: Run) -> None:
    staffed(run)
    ok(
        run(
            "intake", "--source", "web_form", "--phone", "312-555-0188", "--message",
            "Please call about a refill", "--type", "medication_refill",
            "--received", "2026-11-23 13:00",
        )
    )  # fmt: skip
    csv_text = ok(run("list", "--format", "csv"))
    header, first = csv_text.splitlines()[:2]
    fields = dict(zip(header.split(","), first.split(","), strict=False))
    # Routine: four open hours from Monday 13:00 is Monday 17:00; 09:00 Tuesday is 16h late.
    assert fields["late_minutes"] == str(16 * 60)
    assert fields["client"] == "Unknown caller"


def test_a_bad_phone_is_one_clear_line(run: Run) -> None:
    staffed(run)
    line = refused(
        run("intake", "--source", "voicemail", "--phone", "12", "--message", "hello",
            "--type", "billing")
    )  # fmt: skip
    assert line.startswith("callback-tui: error: --phone:")
    assert "Traceback" not in line


def test_every_mistake_is_named_by_its_option(run: Run) -> None:
    staffed(run)
    line = refused(
        run("intake", "--source", "pigeon", "--phone", "312-555-0188", "--message", "hi",
            "--type", "haircut", "--received", "25:00")
    )  # fmt: skip
    assert "--source:" in line and "--type:" in line and "--received:" in line
    assert ok(run("list")).count("\n") <= 1  # nothing was written


MIXED = (
    "source_id,occurred_at,reason,patient,client,phone,assisted_by,doctor,"
    "source,request_type,priority,message,received_at,voicemail_ok\n"
    "V1,2026-11-23 10:00,vomiting,Biscuit,Jordan Lee,312-555-0142,AB,DRW,,,,,,yes\n"
    ",,,,Robin Ash,312-555-0188,,,voicemail,medication_refill,,Refill [please],08:30,yes\n"
    ",,,Rex,Noor Haddad,312-555-0199,,,web_form,pet_concern,urgent,Limping,2026-11-23 17:45,\n"
)


def test_an_import_takes_visits_and_messages_together(run: Run, tmp_path: Path) -> None:
    staffed(run)
    file = tmp_path / "mixed.csv"
    file.write_text(MIXED)
    assert ok(run("import", str(file))).strip() == "imported 3 callbacks from 3 rows"
    listed = {row["patient"]: row for row in json.loads(ok(run("list", "--format", "json")))}
    assert listed["Robin Ash"]["source"] == "voicemail"
    assert listed["Robin Ash"]["target_at"].startswith("2026-11-24T12:30")
    assert listed["Rex"]["priority"] == "urgent"
    assert listed["Rex"]["target_at"].startswith("2026-11-24T08:45")  # 15 minutes Monday
    assert listed["Biscuit"]["target_at"] is None
    clients = {c["name"]: c for c in json.loads(ok(run("export", "--format", "json")))["clients"]}
    assert clients["Robin Ash"]["voicemail_ok"] is True
    assert clients["Noor Haddad"]["voicemail_ok"] is False

    again = ok(run("import", str(file))).strip()
    assert again == "imported 0 callbacks from 3 rows (3 rows already imported, skipped)"


def test_a_bad_message_row_refuses_the_whole_file(run: Run, tmp_path: Path) -> None:
    staffed(run)
    file = tmp_path / "bad.csv"
    file.write_text(MIXED.replace("312-555-0199", "12").replace("pet_concern", "haircut"))
    result = run("import", str(file))
    assert refused(result).endswith("2 problems; nothing was imported")
    assert "row 3, column phone:" in result.stderr
    assert "row 3, column request_type:" in result.stderr
    assert json.loads(ok(run("list", "--format", "json"))) == []


def test_a_file_of_messages_needs_a_messages_columns(run: Run, tmp_path: Path) -> None:
    staffed(run)
    file = tmp_path / "messages.csv"
    file.write_text("client,phone,message\nRobin Ash,312-555-0188,Call me\n")
    result = run("import", str(file))
    refused(result)
    assert "column source: missing from the header" in result.stderr
    assert "column request_type: missing from the header" in result.stderr
