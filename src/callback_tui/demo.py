"""The demo clinic: staff, families and a realistic spread of callbacks around today."""

from __future__ import annotations

import random
import tomllib
from datetime import datetime, time, timedelta
from functools import cache
from typing import Any

from callback_tui.domain.pins import DEMO_PIN
from callback_tui.domain.vocab import Outcome
from callback_tui.resources import data_dir
from callback_tui.store import queries
from callback_tui.store.incident_desk import IncidentStart
from callback_tui.store.services import CallOutcome, FrontDesk

SEED = 20261122
"""Every demo person's PIN (the sign-in screen says so in the demo only)."""
REASONS = (
    ["surgery"] * 3 + ["core"] * 2 + ["vomiting"] * 3 + ["diarrhea"] * 2 + ["urinary"] * 2
    + ["illness"] * 3 + ["injury"] * 2 + ["general_question"] * 3
)  # fmt: skip
ASSISTING = ("AB", "AB", "CD", "TR", "JM")
DOCTORS = ("DRW", "DRP")
"""The veterinary demo's visits and people; another profile's demo file names its own."""

MORNING = (
    (Outcome.SPOKE, "Eating well, incision clean. Owner happy.", False),
    (Outcome.LEFT_MESSAGE, "Left a general message to call back.", False),
    (Outcome.NO_ANSWER, "", False),
    (Outcome.SPOKE, "Still vomiting twice a day; owner worried about weight.", True),
    (Outcome.BUSY, "", False),
    (Outcome.SPOKE, "Back to normal. Recheck not needed.", False),
)
"""The first calls of the demo's morning: outcome, notes, concern for the doctor."""
MORNING_PEOPLE = (
    (Outcome.SPOKE, "Recovering well, wound clean. No questions.", False),
    *MORNING[1:3],
    (Outcome.SPOKE, "Still nauseous after the new tablets; asks the doctor to call.", True),
    *MORNING[4:],
)
"""The same morning at a medical or dental practice."""


def demo_spec(profile: str) -> dict[str, Any]:
    """The demo clinic of a profile: data/demo/<profile>.toml (clinic.toml: veterinary)."""
    folder = data_dir() / "demo"
    path = folder / f"{profile}.toml"
    if not path.exists():
        path = folder / "clinic.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


def build_demo(desk: FrontDesk, visits: int = 28) -> None:
    """Fill an empty database with the demo clinic of the clinic's profile,
    deterministically for a given day."""
    clinic = desk.clinic
    spec = demo_spec(clinic.profile.name)
    for person in spec["staff"]:
        desk.staff.add("demo", person["initials"], person["name"], person["role"])
    desk.staff.seed_pins("demo", demo_pin_hash(), [person["initials"] for person in spec["staff"]])
    roles = queries.staff_roles(desk.database)
    families = spec["families"]
    reasons, assisting, doctors = _cast(spec)
    rng = random.Random(SEED)
    today = clinic.clock.today()

    for index in range(visits):
        family = families[index % len(families)]
        reason = reasons[index % len(reasons)]
        days_ago = rng.choice((1, 1, 1, 2, 3, 3, 4, 7, 8))
        hour = rng.choice((8, 9, 10, 11, 13, 14, 15, 16))
        when = datetime.combine(today - timedelta(days=days_ago), time(hour, rng.choice((0, 30))))
        fields = {
            "occurred_at": when.isoformat(sep=" "),
            "reason": reason,
            "patient": family["patient"],
            "species": family.get("species", ""),
            "client": family["client"],
            "phone": family["phone"],
            "assisted_by": rng.choice(assisting),
            "doctor": rng.choice(doctors),
            "doctor_calls": "yes" if reason == "surgery" and index % 4 == 0 else "no",
            "source_id": f"DEMO-{index + 1:04d}",
            "voicemail_ok": "yes",  # the demo families all agreed to messages
        }
        form, problems = clinic.read_visit(fields, roles)
        assert form is not None, problems  # the demo data is ours: a problem is a bug
        desk.callbacks.add_visit("demo", form)

    # A morning already under way: some calls made, one concern for the doctor.
    outcomes = MORNING if clinic.profile.name == "veterinary" else MORNING_PEOPLE
    identity = clinic.profile.identity
    confirmed = tuple(identity.identifiers)[: identity.confirm] if identity.required else ()
    for (caller, row_id, version), (outcome, notes, concern) in zip(
        _first_calls(desk, len(outcomes)), outcomes, strict=False
    ):
        desk.callbacks.log_outcome(
            caller,
            row_id,
            version,
            CallOutcome(
                outcome=outcome,
                notes=notes,
                concern_for_doctor=concern,
                identifiers=confirmed if outcome is Outcome.SPOKE else (),
            ),
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


@cache
def demo_pin_hash() -> str:
    """The hash of DEMO_PIN, made once: hashing it for each person would add a noticeable
    moment per person to the demo's start."""
    from callback_tui.domain.pins import hash_pin

    return hash_pin(DEMO_PIN)


def _cast(spec: dict[str, Any]) -> tuple[list[str], tuple[str, ...], tuple[str, ...]]:
    """The visit reasons (each as often as its weight), who assists and the doctors."""
    if "visits" not in spec:
        return list(REASONS), ASSISTING, DOCTORS
    reasons = [reason for reason, weight in spec["visits"].items() for _ in range(weight)]
    staff = spec["staff"]
    assisting = tuple(p["initials"] for p in staff if p["role"] in ("assistant", "technician"))
    doctors = tuple(p["initials"] for p in staff if p["role"] == "doctor")
    return reasons, assisting, doctors


def _first_calls(desk: FrontDesk, wanted: int) -> list[tuple[str, int, int]]:
    """The callbacks the morning's first calls go to, with who calls: today's own rows first,
    then pool items, each claimed by someone who may work that pool."""
    clinic = desk.clinic
    queue = queries.callbacks(desk.database, day=clinic.clock.today(), pools=clinic.pools)
    calls = [(row.owner, row.id, row.version) for row in queue if row.owner not in clinic.pools]
    staff = queries.staff(desk.database)
    for row in queue:
        if len(calls) >= wanted:
            break
        if row.owner not in clinic.pools:
            continue
        claimer = next(m.initials for m in staff if m.role in clinic.pools[row.owner])
        claimed = desk.callbacks.claim(claimer, row.id, row.version)
        calls.append((claimer, row.id, claimed.version))
    return calls[:wanted]
