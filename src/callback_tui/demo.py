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


HISTORY_DAYS = 7
"""The days of past work the demo starts with."""
WINDOW_REACH = {"morning": 0.3, "afternoon": 0.55, "evening": 0.8}
"""How often a call in each call window reaches somebody in the demo's past week: mornings
fail most (the weekly review and the daily review's patterns show it)."""
SLOW_REACH = {"JM": 0.5}
"""People whose calls reach somebody less often (the reports' lowest reach rate)."""
CALL_TIMES = (time(9, 15), time(11, 0), time(13, 30), time(15, 45), time(17, 20))
"""When the desk works through its calls on each past day."""


def demo_spec(profile: str) -> dict[str, Any]:
    """The demo clinic of a profile: data/demo/<profile>.toml (clinic.toml: veterinary)."""
    folder = data_dir() / "demo"
    path = folder / f"{profile}.toml"
    if not path.exists():
        path = folder / "clinic.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


def build_demo(desk: FrontDesk, visits: int = 28, history_days: int = HISTORY_DAYS) -> None:
    """Fill an empty database with the demo clinic of the clinic's profile,
    deterministically for a given day: `history_days` of past work (for the reports and
    reviews), then this morning's visits and first calls."""
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
    if history_days:
        _past_days(desk, spec, history_days)

    for index in range(visits):
        family = families[index % len(families)]
        reason = reasons[index % len(reasons)]
        days_ago = rng.choice((1, 1, 1, 2, 3, 3, 4, 7, 8))
        hour = rng.choice((8, 9, 10, 11, 13, 14, 15, 16))
        when = datetime.combine(today - timedelta(days=days_ago), time(hour, rng.choice((0, 30))))
        fields = _visit(family, when, reason, rng.choice(assisting), rng.choice(doctors))
        fields["doctor_calls"] = "yes" if reason == "surgery" and index % 4 == 0 else "no"
        fields["source_id"] = f"DEMO-{index + 1:04d}"
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


def _past_days(desk: FrontDesk, spec: dict[str, Any], days: int) -> None:
    """`days` of past work, through the same services as real work, on a clock set back to
    each moment: each open day's visits (from the day before) made at 08:30 and a voicemail
    taken, then the due callbacks called at the day's call times by their owners (a pool's
    claimed first), each call reaching somebody as its window and its caller make likely."""
    from dataclasses import replace

    from callback_tui.clock import FixedClock

    clinic = desk.clinic
    calendar = clinic.calendar
    clock = FixedClock(tz=calendar.tz, instant=clinic.clock.now())
    past = FrontDesk(desk.database, replace(clinic, clock=clock))
    rng = random.Random(SEED + 1)
    families = spec["families"]
    reasons, assisting, doctors = _cast(spec)
    roles = queries.staff_roles(desk.database)
    staff = queries.staff(desk.database)
    identity = clinic.profile.identity
    confirmed = tuple(identity.identifiers)[: identity.confirm] if identity.required else ()
    requests = list(clinic.profile.requests)
    today = clinic.clock.today()
    for back in range(days, 0, -1):
        day = today - timedelta(days=back)
        if not calendar.is_open(day):
            continue
        clock.instant = calendar.at(day, time(8, 30))
        for index in range(rng.choice((4, 5, 6))):
            family = families[(back * 7 + index) % len(families)]
            reason = rng.choice(reasons)
            occurred = datetime.combine(day - timedelta(days=1), time(rng.choice((9, 11, 14, 16))))
            fields = _visit(family, occurred, reason, rng.choice(assisting), rng.choice(doctors))
            fields["source_id"] = f"DEMO-P{back:02d}{index:02d}"
            form, problems = clinic.read_visit(fields, roles)
            assert form is not None, problems
            past.callbacks.add_visit("demo", form)
        family = families[(back * 3) % len(families)]
        message, problems = clinic.read_message(
            {
                "source": "voicemail",
                "received_at": calendar.at(day, time(8, 10)).isoformat(),
                "name": family["client"],
                "phone": family["phone"],
                "patient": family["patient"],
                "request_type": rng.choice(requests),
                "message": "Please call back about the visit.",
                "voicemail_ok": "yes",
            },
            roles,
        )
        assert message is not None, problems
        past.messages.take_message("FD", message)
        for moment in CALL_TIMES:
            clock.instant = calendar.at(day, moment)
            for row in queries.callbacks(desk.database, day=day, pools=clinic.pools):
                if row.next_attempt_at is not None and row.next_attempt_at > clock.instant:
                    continue
                caller, version = row.owner, row.version
                if row.owner in clinic.pools:
                    caller = next(
                        (m.initials for m in staff if m.role in clinic.pools[row.owner]), ""
                    )
                    if not caller:
                        continue
                    version = past.callbacks.claim(caller, row.id, row.version).version
                window = calendar.window_of(clock.instant) or "afternoon"
                chance = WINDOW_REACH.get(window, 0.5) * SLOW_REACH.get(caller, 1.0)
                outcome = _outcome(rng, chance)
                concern = outcome is Outcome.SPOKE and rng.random() < 0.08
                past.callbacks.log_outcome(
                    caller,
                    row.id,
                    version,
                    CallOutcome(
                        outcome=outcome,
                        notes="Asked the doctor to call back." if concern else "",
                        concern_for_doctor=concern,
                        appointment_booked=outcome is Outcome.SPOKE and rng.random() < 0.35,
                        identifiers=confirmed if outcome is Outcome.SPOKE else (),
                    ),
                )


def _outcome(rng: random.Random, chance: float) -> Outcome:
    """A call that reaches somebody with the chance given; else no answer, busy, a voicemail
    left, or now and then a wrong number."""
    if rng.random() < chance:
        return Outcome.SPOKE
    return rng.choices(
        (Outcome.NO_ANSWER, Outcome.BUSY, Outcome.LEFT_MESSAGE, Outcome.WRONG_NUMBER),
        weights=(60, 20, 17, 3),
    )[0]


def _visit(
    family: dict[str, str], when: datetime, reason: str, assisted_by: str, doctor: str
) -> dict[str, str]:
    """A demo visit's fields, as the add form or an import row gives them."""
    return {
        "occurred_at": when.isoformat(sep=" ", timespec="minutes"),
        "reason": reason,
        "patient": family["patient"],
        "species": family.get("species", ""),
        "client": family["client"],
        "phone": family["phone"],
        "assisted_by": assisted_by,
        "doctor": doctor,
        "voicemail_ok": "yes",  # the demo families all agreed to messages
    }


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
