"""`callback-tui report`: the scorecard through the real entry point, in every format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from callback_tui.domain.vocab import Outcome
from callback_tui.store import queries
from callback_tui.store.services import CallOutcome
from tests.cli.made_once import made_once
from tests.cli.test_cli import Run, desk_at, ok, refused, run, staffed

__all__ = ["run"]  # the fixture, shared with the command's other tests

VISITS = (
    "source_id,occurred_at,reason,patient,client,phone,assisted_by,doctor,species\n"
    "V1,2026-11-23 10:00,vomiting,Biscuit,Jordan Lee,312-555-0142,AB,DRW,dog\n"
    "V2,2026-11-23 11:30,diarrhea,Luna,Maria Gonzalez,312-555-0102,AB,DRW,cat\n"
)


def worked_tuesday(run: Run, tmp_path: Path) -> None:
    """Two of AB's callbacks due on Tuesday: one spoken to at 09:30 (booked), one not
    answered at 10:00."""

    def steps() -> None:
        staffed(run)
        visits = tmp_path / "visits.csv"
        visits.write_text(VISITS)
        ok(run("import", str(visits)))
        for when, patient, outcome in (
            ("2026-11-24 09:30", "Biscuit", Outcome.SPOKE),
            ("2026-11-24 10:00", "Luna", Outcome.NO_ANSWER),
        ):
            with desk_at(tmp_path, when) as desk:
                row = next(
                    r
                    for r in queries.callbacks(desk.database, day=desk.clinic.clock.today())
                    if r.patient == patient
                )
                booked = outcome is Outcome.SPOKE
                entry = CallOutcome(outcome, appointment_booked=booked)
                desk.callbacks.log_outcome("AB", row.id, row.version, entry)

    made_once("worked-tuesday", run.database, steps)  # type: ignore[attr-defined]


@pytest.mark.process
def test_the_report_as_a_table(run: Run, tmp_path: Path) -> None:
    worked_tuesday(run, tmp_path)
    table = ok(run("report"))
    lines = table.splitlines()
    assert lines[0] == "the clinic, Wed 18 Nov to Tue 24 Nov"
    rows = {line[:25].strip(): line[25:].split() for line in lines[2:]}
    assert rows["Created"] == ["2"]
    assert rows["Completed"] == ["1"]
    assert rows["Reach rate"] == ["50", "%"]
    assert rows["Booking rate"] == ["100", "%"]
    assert rows["First-call resolution"] == ["100", "%", "≥", "80", "%"]
    # Made at 09:00 on their due day: first called 30 and 60 open minutes later.
    assert rows["First call, median"] == ["45", "min", "≤", "2", "h", "00"]
    assert rows["First call, 90th pct"] == ["1", "h", "00"]
    ab = ok(run("report", "--initials", "ab"))
    assert ab.splitlines()[0] == "Alex [bold]Baker[/], Wed 18 Nov to Tue 24 Nov"


def test_the_report_as_csv_and_json(run: Run, tmp_path: Path) -> None:
    worked_tuesday(run, tmp_path)
    rows = list(csv.DictReader(io.StringIO(ok(run("report", "--format", "csv")))))
    assert [row["scope"] for row in rows] == ["clinic", "AB"]
    clinic = rows[0]
    assert (clinic["from"], clinic["to"]) == ("2026-11-18", "2026-11-24")
    assert (clinic["created"], clinic["reach_rate"], clinic["wait_median"]) == ("2", "0.5", "45")
    assert clinic["incidents_closed"] == "0" and clinic["close_median"] == ""
    assert rows[1]["name"] == "Alex [bold]Baker[/]"
    document = json.loads(ok(run("report", "--format", "json", "--from", "2026-11-24")))
    assert (document["from"], document["to"]) == ("2026-11-24", "2026-11-24")
    assert document["goals"]["first_call"] == 80
    clinic_json = document["scopes"][0]
    assert clinic_json["scope"] == "clinic" and clinic_json["kind"] == "clinic"
    assert clinic_json["reach_rate"] == 0.5 and clinic_json["booking_rate"] == 1.0
    only_ab = json.loads(ok(run("report", "--format", "json", "--initials", "AB")))
    assert [s["scope"] for s in only_ab["scopes"]] == ["AB"]


def test_a_period_before_anything_counts_nothing(run: Run, tmp_path: Path) -> None:
    worked_tuesday(run, tmp_path)
    document = json.loads(
        ok(run("report", "--format", "json", "--from", "2026-10-01", "--to", "2026-10-31"))
    )
    clinic = document["scopes"][0]
    assert (clinic["created"], clinic["reach_rate"], clinic["wait_median"]) == (0, None, None)


def test_report_mistakes_are_one_line(run: Run, tmp_path: Path) -> None:
    staffed(run)
    assert refused(run("report", "--from", "2026-11-30", "--to", "2026-11-01")) == (
        "callback-tui: error: --from 2026-11-30 is after --to 2026-11-01:"
        " give the earlier day first"
    )
    said = refused(run("report", "--initials", "ZZ"))
    assert "unknown initials 'ZZ'" in said and "pools: SA, TA, DESK" in said
    assert "not a date" in refused(run("report", "--from", "yesterday"))
