"""The demo clinic: staff, families and a realistic spread of callbacks around today."""

from __future__ import annotations

import random
import tomllib
from datetime import datetime, time, timedelta

from callback_tui.domain.vocab import Outcome
from callback_tui.resources import data_dir
from callback_tui.store import queries
from callback_tui.store.incident_desk import IncidentStart
from callback_tui.store.services import CallOutcome, FrontDesk

SEED = 20261122
REASONS = (
    ["surgery"] * 3 + ["core"] * 2 + ["vomiting"] * 3 + ["diarrhea"] * 2 + ["urinary"] * 2
    + ["illness"] * 3 + ["injury"] * 2 + ["general_question"] * 3
)  # fmt: skip
ASSISTING = ("AB", "AB", "CD", "TR", "JM")
DOCTORS = ("DRW", "DRP")


def build_demo(desk: FrontDesk, visits: int = 28) -> None:
    """Fill an empty database with the demo clinic, deterministically for a given day."""
    clinic = desk.clinic
    spec = tomllib.loads((data_dir() / "demo" / "clinic.toml").read_text(encoding="utf-8"))
    for person in spec["staff"]:
        desk.staff.add("demo", person["initials"], person["name"], person["role"])
    roles = queries.staff_roles(desk.database)
    families = spec["families"]
    rng = random.Random(SEED)
    today = clinic.clock.today()

    for index in range(visits):
        family = families[index % len(families)]
        reason = REASONS[index % len(REASONS)]
        days_ago = rng.choice((1, 1, 1, 2, 3, 3, 4, 7, 8))
        hour = rng.choice((8, 9, 10, 11, 13, 14, 15, 16))
        when = datetime.combine(today - timedelta(days=days_ago), time(hour, rng.choice((0, 30))))
        fields = {
            "occurred_at": when.isoformat(sep=" "),
            "reason": reason,
            "patient": family["patient"],
            "species": family["species"],
            "client": family["client"],
            "phone": family["phone"],
            "assisted_by": rng.choice(ASSISTING),
            "doctor": rng.choice(DOCTORS),
            "doctor_calls": "yes" if reason == "surgery" and index % 4 == 0 else "no",
            "source_id": f"DEMO-{index + 1:04d}",
            "voicemail_ok": "yes",  # the demo families all agreed to messages
        }
        form, problems = clinic.read_visit(fields, roles)
        assert form is not None, problems  # the demo data is ours: a problem is a bug
        desk.callbacks.add_visit("demo", form)

    # A morning already under way: some calls made, one concern for the doctor.
    queue = queries.callbacks(desk.database, day=today)
    done = [row for row in queue if row.owner not in ("SA", "TA")][:6]
    outcomes = (
        (Outcome.SPOKE, "Eating well, incision clean. Owner happy.", False),
        (Outcome.LEFT_MESSAGE, "Left a general message to call back.", False),
        (Outcome.NO_ANSWER, "", False),
        (Outcome.SPOKE, "Still vomiting twice a day; owner worried about weight.", True),
        (Outcome.BUSY, "", False),
        (Outcome.SPOKE, "Back to normal. Recheck not needed.", False),
    )
    for row, (outcome, notes, concern) in zip(done, outcomes, strict=False):
        desk.callbacks.log_outcome(
            row.owner,
            row.id,
            row.version,
            CallOutcome(outcome=outcome, notes=notes, concern_for_doctor=concern),
        )

    desk.incidents.open(
        "FD",
        IncidentStart(
            found_via="phone",
            what_happened="Client upset about waiting 40 minutes past the appointment time.",
            subject="Sam Okafor",
            staff_involved="FD, AB",
        ),
    )
