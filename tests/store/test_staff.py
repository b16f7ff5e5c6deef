"""Who is at the desk: PINs, sign-in, lockout, lock and sign-out, and the staff list's
changes, each through the service layer and checked in the database and its events."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import msgspec
import pytest
from sqlmodel import Session, col, select

from callback_tui.clock import FixedClock
from callback_tui.config import Clinic, Settings, load_clinic
from callback_tui.domain.vocab import Role
from callback_tui.io import exporter
from callback_tui.store import queries
from callback_tui.store.audit import verify
from callback_tui.store.engine import Database, open_database
from callback_tui.store.errors import Invalid, LockedOut, NotAllowed, PinNotSet, WrongPin
from callback_tui.store.services import FrontDesk
from callback_tui.store.staff_desk import SignedIn
from callback_tui.store.tables import Event, Staff


@pytest.fixture
def pin_clinic(settings: Settings, clock: FixedClock) -> Clinic:
    """The clinic asking for PINs: 5 tries, a 15-minute lockout (the defaults)."""
    return load_clinic(msgspec.structs.replace(settings, require_pin=True), clock)


@pytest.fixture
def staffed(tmp_path: Path, pin_clinic: Clinic) -> Iterator[FrontDesk]:
    """A clinic set up from nothing: the system adds its people, the office manager
    chooses a PIN (setting up ends), then FD and DRW choose theirs."""
    database = open_database(str(tmp_path / "pins" / "callback.db"))
    desk = FrontDesk(database, pin_clinic)
    for initials, name, role in [
        ("OM", "Olive Marsh", "office_manager"),
        ("FD", "Frankie Diaz", "front_desk"),
        ("DRW", "Dr. Wong", "doctor"),
        ("AB", "Alex Baker", "assistant"),
    ]:
        desk.staff.add("system", initials, name, role)
    desk.staff.first_pin("OM", "1357")
    desk.staff.first_pin("FD", "2468")
    desk.staff.first_pin("DRW", "9753")
    yield desk
    database.dispose()


def events(database: Database, *actions: str) -> list[Event]:
    with Session(database.engine) as session:
        query = select(Event).order_by(col(Event.id))
        if actions:
            query = query.where(col(Event.action).in_(actions))
        return list(session.exec(query))


def staff_row(database: Database, initials: str) -> Staff:
    with Session(database.engine) as session:
        return session.exec(select(Staff).where(Staff.initials == initials)).one()


# -- signing in ---------------------------------------------------------------------------


def test_the_right_pin_signs_in(staffed: FrontDesk) -> None:
    assert staffed.staff.sign_in("fd", "2468") == SignedIn("FD", "Frankie Diaz", Role.FRONT_DESK)
    signed = events(staffed.database, "staff.signed_in")[-1]
    assert signed.after is not None
    assert (signed.actor, signed.entity, signed.after["initials"]) == ("FD", "staff", "FD")


def test_a_wrong_pin_is_counted_and_says_the_tries_left(staffed: FrontDesk) -> None:
    with pytest.raises(WrongPin) as wrong:
        staffed.staff.sign_in("FD", "1111")
    assert str(wrong.value) == "Wrong PIN for FD: 4 tries left." and wrong.value.left == 4
    assert staff_row(staffed.database, "FD").failed_pins == 1
    failed = events(staffed.database, "staff.pin_failed")
    assert [(e.actor, e.after and e.after["failed_pins"]) for e in failed] == [("FD", 1)]
    staffed.staff.sign_in("FD", "2468")  # a right PIN starts the count again
    assert staff_row(staffed.database, "FD").failed_pins == 0


def test_the_fifth_wrong_pin_locks_out_until_the_lockout_ends(
    staffed: FrontDesk, clock: FixedClock
) -> None:
    for left in (4, 3, 2, 1):
        with pytest.raises(WrongPin, match=f"{left} tr"):
            staffed.staff.sign_in("FD", "0000")
    with pytest.raises(LockedOut) as locked:
        staffed.staff.sign_in("FD", "0000")
    # 09:00 at the clinic (the pinned clock) + 15 minutes
    assert str(locked.value) == "FD is locked out after 5 wrong PINs; try again after 09:15."
    assert locked.value.until == clock.now().replace(minute=15)
    assert [e.action for e in events(staffed.database, "staff.locked_out")] == ["staff.locked_out"]

    written = len(events(staffed.database))
    with pytest.raises(LockedOut):
        staffed.staff.sign_in("FD", "2468")  # even the right PIN: it is not checked
    with pytest.raises(LockedOut):
        staffed.staff.unlock("FD", "2468")
    assert len(events(staffed.database)) == written  # nothing written while locked out

    clock.advance(minutes=15)
    assert staffed.staff.sign_in("FD", "2468").initials == "FD"
    row = staff_row(staffed.database, "FD")
    assert (row.failed_pins, row.locked_until) == (0, None)


def test_the_tries_and_lockout_follow_the_settings(tmp_path: Path, clinic: Clinic) -> None:
    settings = msgspec.structs.replace(
        clinic.settings, require_pin=True, pin_tries=3, pin_lockout_minutes=1440
    )
    desk = FrontDesk(open_database(str(tmp_path / "c.db")), load_clinic(settings, clinic.clock))
    desk.staff.add("system", "FD", "Frankie Diaz", "front_desk")
    desk.staff.first_pin("FD", "2468")
    for _ in range(2):
        with pytest.raises(WrongPin):
            desk.staff.sign_in("FD", "0000")
    with pytest.raises(LockedOut, match=r"after 3 wrong PINs; try again after Wed 25 Nov 09:00\."):
        desk.staff.sign_in("FD", "0000")
    desk.database.dispose()


def test_an_office_manager_ends_a_lockout_by_setting_a_new_pin(staffed: FrontDesk) -> None:
    for _ in range(5):
        with pytest.raises((WrongPin, LockedOut)):
            staffed.staff.sign_in("FD", "0000")
    staffed.staff.set_pin("OM", "FD", "8642")
    assert staffed.staff.sign_in("FD", "8642").initials == "FD"


def test_a_person_without_a_pin_chooses_one_first(staffed: FrontDesk) -> None:
    with pytest.raises(PinNotSet, match=r"^AB has no PIN yet: choose one\.$"):
        staffed.staff.sign_in("AB", "1234")
    with pytest.raises(Invalid, match="a PIN is 4 to 8 digits"):
        staffed.staff.first_pin("AB", "12")
    assert staffed.staff.first_pin("AB", "4321").initials == "AB"
    assert [e.action for e in events(staffed.database)][-2:] == [
        "staff.pin_set",
        "staff.signed_in",
    ]
    with pytest.raises(Exception, match="has a PIN already"):
        staffed.staff.first_pin("AB", "9999")  # nobody takes over a PIN once chosen
    assert staffed.staff.sign_in("AB", "4321").initials == "AB"


@pytest.mark.parametrize("initials", ["ZZ", "Z", "system"])
def test_unknown_initials_are_refused_by_field(staffed: FrontDesk, initials: str) -> None:
    with pytest.raises(Invalid) as refused:
        staffed.staff.sign_in(initials, "1234")
    assert set(refused.value.problems) == {"initials"}


def test_a_deactivated_person_cannot_sign_in(staffed: FrontDesk) -> None:
    staffed.staff.deactivate("OM", "FD")
    with pytest.raises(Invalid, match="FD is deactivated"):
        staffed.staff.sign_in("FD", "2468")
    with pytest.raises(Invalid, match="FD is deactivated"):
        staffed.staff.first_pin("FD", "2468")


def test_a_pin_is_asked_unless_the_clinic_switched_pins_off(staffed: FrontDesk, desk: Any) -> None:
    with pytest.raises(Invalid, match="type your PIN"):
        staffed.staff.sign_in("FD", None)
    # require_pin = false (the tests' usual clinic): initials alone, as the picker did
    assert desk.staff.sign_in("FD", None).initials == "FD"
    assert events(desk.database, "staff.signed_in")[-1].actor == "FD"


def test_lock_unlock_and_sign_out_are_events(staffed: FrontDesk) -> None:
    staffed.staff.sign_in("FD", "2468")
    staffed.staff.lock("FD", "idle")
    staffed.staff.unlock("FD", "2468")
    staffed.staff.lock("FD", "privacy")
    staffed.staff.sign_out("FD")
    said = [
        (e.action, e.actor, (e.after or {}).get("reason"))
        for e in events(staffed.database)
        if e.action.startswith("staff.") and e.actor == "FD"
    ]
    assert said[-5:] == [
        ("staff.signed_in", "FD", None),
        ("staff.locked", "FD", "idle"),
        ("staff.unlocked", "FD", None),
        ("staff.locked", "FD", "privacy"),
        ("staff.signed_out", "FD", None),
    ]
    with pytest.raises(Invalid, match="reason"):
        staffed.staff.lock("FD", "lunch")


# -- the staff list -----------------------------------------------------------------------


def test_while_setting_up_the_system_adds_people_and_gives_pins(
    tmp_path: Path, pin_clinic: Clinic
) -> None:
    desk = FrontDesk(open_database(str(tmp_path / "new.db")), pin_clinic)
    assert desk.staff.setting_up()
    desk.staff.add("system", "OM", "Olive Marsh", "office_manager")
    desk.staff.add("system", "RM", "Reggie Moss", "regional_manager")
    desk.staff.set_pin("system", "RM", "1234")  # a regional manager's PIN sets up nothing
    assert desk.staff.setting_up()
    desk.staff.set_pin("system", "OM", "1357")
    assert not desk.staff.setting_up()
    with pytest.raises(NotAllowed, match="Only an office manager or the owner"):
        desk.staff.add("system", "FD", "Frankie Diaz", "front_desk")
    with pytest.raises(NotAllowed):
        desk.staff.set_pin("system", "RM", "4321")
    desk.staff.add("OM", "FD", "Frankie Diaz", "front_desk")
    desk.database.dispose()


@pytest.mark.parametrize(
    ("change", "args"),
    [
        ("add", ("EM", "Eve Moss", "front_desk")),
        ("rename", ("AB", "Alex Baker-Lee")),
        ("set_role", ("AB", "technician")),
        ("deactivate", ("AB",)),
        ("activate", ("AB",)),
        ("reset_pin", ("DRW",)),
        ("set_pin", ("DRW", "1111")),
    ],
)
def test_staff_changes_are_for_an_office_manager_or_the_owner(
    staffed: FrontDesk, change: str, args: tuple[str, ...]
) -> None:
    before = len(events(staffed.database))
    for actor in ("FD", "DRW" if change not in ("reset_pin", "set_pin") else "AB", "system"):
        with pytest.raises(NotAllowed, match="Only an office manager or the owner"):
            getattr(staffed.staff, change)(actor, *args)
    assert len(events(staffed.database)) == before  # nothing written
    getattr(staffed.staff, change)("OM", *args)


def test_a_person_sets_their_own_pin(staffed: FrontDesk) -> None:
    staffed.staff.set_pin("FD", "FD", "13579")
    assert staffed.staff.sign_in("FD", "13579").initials == "FD"
    with pytest.raises(NotAllowed):
        staffed.staff.reset_pin("FD", "FD")  # a reset is the office manager's


def test_the_office_manager_renames_changes_roles_deactivates_and_resets(
    staffed: FrontDesk,
) -> None:
    staffed.staff.rename("OM", "AB", "Alex Baker-Lee")
    staffed.staff.set_role("OM", "AB", "technician")
    staffed.staff.deactivate("OM", "AB")
    staffed.staff.reset_pin("OM", "DRW")
    members = {m.initials: m for m in queries.staff(staffed.database)}
    assert members["AB"] == queries.StaffMember(
        "AB", "Alex Baker-Lee", Role.TECHNICIAN, active=False, has_pin=False
    )
    assert members["DRW"].has_pin is False and members["FD"].has_pin is True
    assert set(members) == {"AB", "DRW", "FD", "OM"}  # deactivated people stay listed
    with pytest.raises(PinNotSet):
        staffed.staff.sign_in("DRW", "9753")
    staffed.staff.activate("OM", "AB")
    assert queries.staff_member(staffed.database, "AB").active  # type: ignore[union-attr]
    actions = [e.action for e in events(staffed.database) if e.actor == "OM"][-5:]
    assert actions == [
        "staff.renamed",
        "staff.role_changed",
        "staff.deactivated",
        "staff.pin_reset",
        "staff.activated",
    ]
    assert staffed.staff.deactivate("OM", "FD") is None
    staffed.staff.deactivate("OM", "FD")  # already: nothing more written
    assert [e.action for e in events(staffed.database)][-1] == "staff.deactivated"


def test_changes_are_refused_by_field(staffed: FrontDesk) -> None:
    with pytest.raises(Invalid, match="role"):
        staffed.staff.set_role("OM", "AB", "janitor")
    with pytest.raises(Invalid, match="name"):
        staffed.staff.rename("OM", "AB", "   ")
    with pytest.raises(Invalid, match="initials"):
        staffed.staff.rename("OM", "QQ", "Nobody")
    with pytest.raises(Invalid, match="pin"):
        staffed.staff.set_pin("OM", "AB", "12ab")


def test_a_deactivated_office_manager_changes_nothing(staffed: FrontDesk) -> None:
    staffed.staff.add("OM", "OW", "Oona Webb", "owner")
    staffed.staff.set_pin("OM", "OW", "2222")
    staffed.staff.deactivate("OW", "OM")
    with pytest.raises(NotAllowed):
        staffed.staff.rename("OM", "AB", "Someone Else")


# -- the PIN and its hash stay out of everything ------------------------------------------


PINS_USED = ("60606", "1357", "2468", "9753", "1111", "2222")


def test_no_pin_or_hash_reaches_an_event_or_an_export(staffed: FrontDesk) -> None:
    staffed.staff.set_pin("OM", "AB", "60606")
    for attempt in ("1111", "2222"):
        with pytest.raises(WrongPin):
            staffed.staff.sign_in("AB", attempt)
    staffed.staff.sign_in("AB", "60606")
    hashes = [staff_row(staffed.database, who).pin_hash for who in ("OM", "FD", "DRW", "AB")]
    secrets = [*(h for h in hashes if h), "$argon2"]
    # A PIN is digits, which also occur inside the audit chain's hex hashes; look for it
    # as a value of its own, never as part of a longer run of letters and digits.
    pins = [re.compile(rf"(?<![0-9a-zA-Z]){pin}(?![0-9a-zA-Z])") for pin in PINS_USED]

    everything = json.dumps([[e.before, e.after] for e in events(staffed.database)])
    json_export, csv_export = StringIO(), StringIO()
    calendar = staffed.clinic.calendar
    exporter.write_json(json_export, staffed.database, calendar, None, None)
    exporter.write_csv(csv_export, staffed.database, calendar, "staff", None, None)
    for text in (everything, json_export.getvalue(), csv_export.getvalue()):
        assert "pin_hash" not in text
        for secret in secrets:
            assert secret not in text
        for pin in pins:
            assert not pin.search(text), pin.pattern
    pin_set = [e.after and e.after["pin_set"] for e in events(staffed.database, "staff.pin_set")]
    assert pin_set and all(s is True for s in pin_set)
    reset = events(staffed.database, "staff.added")[0]
    assert reset.after is not None and reset.after["pin_set"] is False
    assert csv_export.getvalue().splitlines()[0].split(",") == [
        "id", "initials", "name", "role", "active", "pin_set", "failed_pins", "locked_until",
        "version",
    ]  # fmt: skip
    assert verify(staffed.database).ok
