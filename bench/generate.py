"""Deterministic data sets for the benchmarks: a busy clinic's 1 year or 10 years.

Per year: 40 000 callbacks, 100 000 attempts, 20 000 notes, 500 incidents; 60 staff.
Rows go in with bulk inserts (this is test data, not a clinic's work, so it skips the
service layer and its events). "Today" is the benchmark's pinned day.
"""

from __future__ import annotations

import random
import sqlite3
import sys
from contextlib import closing
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from day import NOW, TODAY
from sqlalchemy import insert

from callback_tui.store import schema
from callback_tui.store.engine import open_database
from callback_tui.store.search import terms_of
from callback_tui.store.tables import (
    Attempt,
    Callback,
    Client,
    ClientPhone,
    Incident,
    Note,
    Patient,
    SearchTerm,
    Staff,
)

PER_YEAR = {"callbacks": 40_000, "attempts": 100_000, "notes": 20_000, "incidents": 500}
STAFF = 60
REASONS = (
    "surgery",
    "core",
    "vomiting",
    "diarrhea",
    "urinary",
    "illness",
    "injury",
    "general_question",
)
ROLES = (
    ["assistant"] * 24
    + ["technician"] * 16
    + ["doctor"] * 12
    + ["front_desk"] * 6
    + [
        "office_manager",
        "regional_manager",
    ]
)
FIRST = ("Alex", "Sam", "Jo", "Maria", "Dev", "Nina", "Owen", "Hana", "Leo", "Ama", "Ruth", "Ivan")
LAST = ("Lee", "Gonzalez", "Okafor", "Adler", "Sharma", "Petrova", "Walsh", "Sato", "Brennan")
PETS = ("Biscuit", "Luna", "Pepper", "Mochi", "Captain", "Kiwi", "Tank", "Yuzu", "Ziggy", "Coco")


def initials_for(index: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return "B" + letters[index // 26] + letters[index % 26]


def generate(path: Path, years: int, seed: int = 7) -> Path:
    """The data set of `years` at `path`: made once, and made again when this version's
    schema is newer than the one it was made with (the benchmarks time this version's file,
    never an upgrade)."""
    if path.exists():
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as made:
            if schema.revision_of(made) == schema.HEAD:
                return path
        for old in path.parent.glob(path.name + "*"):  # the file, its -wal and -shm
            old.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for leftover in path.parent.glob(partial.name + "*"):
        leftover.unlink()
    database = open_database(str(partial))
    rng = random.Random(seed)
    staff = [
        {
            "initials": initials_for(i),
            "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "role": role,
        }
        for i, role in enumerate(ROLES[:STAFF])
    ]
    staff[0]["initials"] = "AB"  # the person the start-up benchmark opens as
    assistants = [s["initials"] for s in staff if s["role"] in ("assistant", "technician")]
    doctors = [s["initials"] for s in staff if s["role"] == "doctor"]
    callbacks_total = PER_YEAR["callbacks"] * years
    clients_total = callbacks_total // 4
    days = 365 * years
    with database.writer.begin() as connection:
        connection.execute(insert(Staff), [{**s, "active": True, "version": 1} for s in staff])
        clients = [
            {
                "name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}",
                "phone": f"+1312555{i % 10_000:04d}",
                "phone_digits": f"312555{i % 10_000:04d}",
                "voicemail_ok": True,
                "text_ok": i % 3 == 0,
                "do_not_call": i % 97 == 0,
                "version": 1,
            }
            for i in range(clients_total)
        ]
        connection.execute(insert(Client), clients)
        connection.execute(
            insert(ClientPhone),
            [
                {
                    "client_id": i + 1,
                    "number": client["phone"],
                    "digits": client["phone_digits"],
                    "label": "mobile",
                    "best": True,
                }
                for i, client in enumerate(clients)
            ],
        )
        patients = [
            {"client_id": i + 1, "name": rng.choice(PETS), "species": "dog", "version": 1}
            for i in range(clients_total)
        ]
        connection.execute(insert(Patient), patients)
        # The search index, as the service layer keeps it (patient i+1 belongs to client i+1).
        connection.execute(
            insert(SearchTerm),
            [
                {"term": term, "patient_id": i + 1}
                for i, (client, patient) in enumerate(zip(clients, patients, strict=True))
                for term in terms_of(
                    client["name"],
                    patient["name"],
                    phones=[(client["phone"], client["phone_digits"])],
                )
            ],
        )
        rows = []
        for i in range(callbacks_total):
            # Spread over the years up to a few days ahead of today, each year alike: its
            # recent days busier. So a longer history adds older rows, not more of today's
            # work: a 10-year set has the 1-year set's queue, with nine more years behind it.
            year = rng.randrange(years) if years > 1 else 0  # (the 1-year set as it was)
            back = 365 * year + int(365 * rng.random() ** 1.3) - 5
            due_day = TODAY - timedelta(days=back)
            due_at = datetime(
                due_day.year, due_day.month, due_day.day, 14, 0, tzinfo=UTC
            ) + timedelta(minutes=rng.randrange(0, 600))
            is_open = back < 0 or (back < 3 and rng.random() < 0.6) or (back == 0)
            owner = rng.choice(assistants) if rng.random() < 0.8 else rng.choice(("SA", "TA"))
            patient = rng.randrange(clients_total) + 1
            rows.append(
                {
                    "source_id": f"B{i}",
                    "kind": "follow_up",
                    "patient_id": patient,
                    "client_id": patient,
                    "reason": rng.choice(REASONS),
                    "source": "visit",
                    "priority": "routine",
                    "owner": owner,
                    "doctor": rng.choice(doctors),
                    "assisted_by": owner if owner not in ("SA", "TA") else None,
                    "base_at": due_at - timedelta(days=1),
                    "due_at": due_at,
                    "due_date": due_day,
                    "status": "open"
                    if is_open
                    else rng.choice(("completed",) * 9 + ("unreached",)),
                    "attempts": 0 if is_open else 1,
                    "misses": 0,
                    "wrong_number": False,
                    "notes": "",
                    "created_at": due_at - timedelta(days=1),
                    "closed_at": None if is_open else due_at,
                    # What the reports count (no draw from rng: the rest stays as it was).
                    "pool": owner if owner in ("SA", "TA") else None,
                    "deadline_at": datetime.combine(
                        due_day + timedelta(days=1), time(6, 0), tzinfo=UTC
                    ),
                    "first_try_at": None if is_open else due_at,
                    "wait_minutes": None if is_open else (i * 37) % 240,
                    "version": 1,
                }
            )
        for start in range(0, len(rows), 20_000):
            connection.execute(insert(Callback), rows[start : start + 20_000])
        attempts = [
            {
                "callback_id": (called := rng.randrange(callbacks_total) + 1),
                "pool": rows[called - 1]["pool"],
                "at": NOW - timedelta(minutes=rng.randrange(days * 24 * 60)),
                "by": rng.choice(assistants),
                "channel": "phone",
                "outcome": rng.choice(("spoke", "left_message", "no_answer", "busy")),
                "identity_verified": False,
                "appointment_booked": False,
                "concern_for_doctor": False,
                "notes": "Routine follow-up.",
            }
            for _ in range(PER_YEAR["attempts"] * years)
        ]
        for start in range(0, len(attempts), 50_000):
            connection.execute(insert(Attempt), attempts[start : start + 50_000])
        connection.execute(
            insert(Note),
            [
                {
                    "patient_id": rng.randrange(clients_total) + 1,
                    "author": rng.choice(assistants),
                    "addressed_to": rng.choice(doctors),
                    "kind": "medical",
                    "status": "final" if rng.random() < 0.97 else "draft",
                    "body": "Owner reports the patient is doing well. " * 3,
                    "created_at": NOW - timedelta(minutes=rng.randrange(days * 24 * 60)),
                    "updated_at": NOW,
                    "version": 1,
                }
                for _ in range(PER_YEAR["notes"] * years)
            ],
        )
        connection.execute(
            insert(Incident),
            [
                {
                    "occurred_at": NOW - timedelta(days=rng.randrange(days)),
                    "found_via": rng.choice(("in_office", "phone", "online_review")),
                    "what_happened": "Waited too long.",
                    "staff_involved": "",
                    "step": "closed",
                    "status": "closed",
                    "opened_by": "AB",
                    "created_at": NOW,
                    "version": 1,
                }
                for _ in range(PER_YEAR["incidents"] * years)
            ],
        )
    database.dispose()
    partial.rename(path)
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    return path


if __name__ == "__main__":
    years = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    print(generate(Path(__file__).with_name("out") / f"clinic-{years}y.db", years))
