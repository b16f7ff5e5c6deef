"""`callback-tui intake`: a message handed over by a script becomes a callback with a target."""

from __future__ import annotations

import json

from tests.cli.test_cli import Run, ok, refused, run, staffed

__all__ = ["run"]  # the fixture, shared with the command's other tests


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
