"""The import's client columns through the real command: consent is what the file says, and
nothing is assumed where it says nothing."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import Run, ok, refused, run, staffed

__all__ = ["run"]  # the fixture, shared with the command's other tests

HEADER = "source_id,occurred_at,reason,patient,client,phone,assisted_by,doctor"
CONSENT = ",voicemail_ok,text_ok,do_not_call,preferred_window"


def clients(run: Run) -> dict[str, dict[str, object]]:
    everything = json.loads(ok(run("export", "--format", "json")))
    phones = {p["client_id"]: p for p in everything["client_phones"]}
    return {
        c["name"]: {
            **{k: c[k] for k in ("voicemail_ok", "text_ok", "do_not_call", "preferred_window")},
            "phone": (phones[c["id"]]["number"], phones[c["id"]]["label"], phones[c["id"]]["best"]),
        }
        for c in everything["clients"]
    }


def test_consent_columns_set_new_clients_and_their_absence_assumes_none(
    run: Run, tmp_path: Path
) -> None:
    staffed(run)
    (tmp_path / "consent.csv").write_text(
        HEADER + CONSENT + "\n"
        "V1,2026-11-23 10:00,vomiting,Biscuit,Jordan Lee,312-555-0142,AB,DRW,yes,no,,evening\n"
        "V2,2026-11-23 11:00,vomiting,Luna,Maria Gonzalez,312-555-0102,AB,DRW,,yes,yes,\n"
        "V3,2026-11-23 12:00,vomiting,Rex,Sam Okafor,312-555-0103,AB,DRW,,,,\n"
    )
    (tmp_path / "plain.csv").write_text(
        HEADER + "\nV4,2026-11-23 10:30,vomiting,Mochi,Ruth Adler,312-555-0104,AB,DRW\n"
    )
    assert ok(run("import", "consent.csv")).strip() == "imported 3 callbacks from 3 rows"
    assert ok(run("import", "plain.csv")).strip() == "imported 1 callback from 1 row"

    assert clients(run) == {
        "Jordan Lee": {
            "voicemail_ok": True,
            "text_ok": False,
            "do_not_call": False,
            "preferred_window": "evening",
            "phone": ("+13125550142", "other", True),
        },
        "Maria Gonzalez": {
            "voicemail_ok": False,
            "text_ok": True,
            "do_not_call": True,
            "preferred_window": None,
            "phone": ("+13125550102", "other", True),
        },
        "Sam Okafor": {
            "voicemail_ok": False,
            "text_ok": False,
            "do_not_call": False,
            "preferred_window": None,
            "phone": ("+13125550103", "other", True),
        },
        "Ruth Adler": {
            "voicemail_ok": False,
            "text_ok": False,
            "do_not_call": False,
            "preferred_window": None,
            "phone": ("+13125550104", "other", True),
        },
    }


def test_bad_consent_values_are_named_by_row_and_column(run: Run, tmp_path: Path) -> None:
    staffed(run)
    (tmp_path / "bad.csv").write_text(
        HEADER + CONSENT + "\n"
        "V1,2026-11-23 10:00,vomiting,Biscuit,Jordan Lee,312-555-0142,AB,DRW,perhaps,no,,lunch\n"
    )
    result = run("import", "bad.csv")
    assert result.stderr.strip().splitlines()[:-1] == [
        "row 1, column voicemail_ok: 'perhaps': use yes or no",
        "row 1, column preferred_window: not one of the clinic's call windows"
        " (morning, afternoon, evening)",
    ]
    assert refused(result) == "callback-tui: error: bad.csv: 2 problems; nothing was imported"
