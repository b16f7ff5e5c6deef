"""Shared fixtures: a clinic in a fixed zone with a pinned clock, and a fresh database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from callback_tui.clock import FixedClock, zone
from callback_tui.config import Clinic, Settings, load_clinic
from callback_tui.store.engine import Database, open_database
from callback_tui.store.services import FrontDesk
from callback_tui.store.tables import Callback

# The commands the tests start (the real entry point, in a subprocess) keep their compiled
# modules, as an installed callback-tui does: a shell that asks Python not to write them
# would have every one of those processes compile SQLAlchemy and the app anew (a second each).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

TZ_NAME = "America/Chicago"
TZ = zone(TZ_NAME)
# Tuesday 24 November 2026, 09:00 at the clinic.
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=TZ)


def local(text: str) -> datetime:
    """A clinic-local wall-clock time, `YYYY-MM-DD HH:MM`."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(tz=TZ, instant=NOW)


@pytest.fixture(autouse=True, scope="session")
def cheap_pins() -> Iterator[None]:
    """PINs hashed with argon2-cffi's cheapest parameters: the same Argon2id, in a
    fraction of the time (each test that hashes would otherwise take a noticeable moment)."""
    from argon2.profiles import CHEAPEST

    from callback_tui.domain import pins

    pins.use_parameters(CHEAPEST)
    yield
    pins.use_parameters(None)


@pytest.fixture
def settings() -> Settings:
    """The clinic's settings; without PINs (the initials picker), as before sign-in existed:
    the tests of sign-in make clinics that ask for them.

    The note editor autosaves on a wall-clock timer. It ticks at the longest interval allowed
    (60 s), so that on a slow machine no autosave lands in the middle of a test that counts
    the events it wrote; the tests of autosaving ask for a quick one themselves.
    """
    return Settings(
        clinic_name="Riverside Animal Clinic",
        clinic_phone="(312) 555-0100",
        timezone=TZ_NAME,
        closures=[date(2026, 11, 26)],
        require_pin=False,
        autosave_seconds=60,
    )


@pytest.fixture
def clinic(settings: Settings, clock: FixedClock) -> Clinic:
    return load_clinic(settings, clock)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = open_database(str(tmp_path / "clinic" / "callback.db"))
    yield db
    db.dispose()


@pytest.fixture
def desk(database: Database, clinic: Clinic) -> FrontDesk:
    """A front desk with a small staff: two assistants, a technician, two doctors, a manager."""
    front_desk = FrontDesk(database, clinic)
    for initials, name, role in [
        ("AB", "Alex Baker", "assistant"),
        ("CD", "Casey Dunn", "assistant"),
        ("TR", "Taylor Reed", "technician"),
        ("DRW", "Dr. Wong", "doctor"),
        ("DRP", "Dr. Patel", "doctor"),
        ("OM", "Olive Marsh", "office_manager"),
        ("FD", "Frankie Diaz", "front_desk"),
    ]:
        front_desk.staff.add("setup", initials, name, role)
    return front_desk


@pytest.fixture
def medical(clock: FixedClock) -> Clinic:
    """A medical practice in the same zone, on the same pinned clock."""
    settings = Settings(
        clinic_name="Lakeside Family Practice",
        clinic_phone="(312) 555-0100",
        timezone=TZ_NAME,
        profile="medical",
        require_pin=False,
    )
    return load_clinic(settings, clock)


@pytest.fixture
def medical_desk(tmp_path: Path, medical: Clinic) -> Iterator[FrontDesk]:
    """The medical practice's desk: a nurse, an assistant, a doctor and the front desk."""
    db = open_database(str(tmp_path / "practice" / "callback.db"))
    front_desk = FrontDesk(db, medical)
    for initials, name, role in [
        ("NR", "Nora Reyes", "technician"),
        ("MA", "Mo Adams", "assistant"),
        ("DRW", "Dr. Wong", "doctor"),
        ("FD", "Frankie Diaz", "front_desk"),
    ]:
        front_desk.staff.add("setup", initials, name, role)
    yield front_desk
    db.dispose()


def set_client(desk: FrontDesk, name: str | None = None, **flags: bool) -> None:
    """Set a client's consent flags on file (the only client, or the one named)."""
    from sqlmodel import Session, select

    from callback_tui.store.tables import Client

    with Session(desk.database.engine) as session:
        query = select(Client) if name is None else select(Client).where(Client.name == name)
        client = session.exec(query).one()
        for flag, value in flags.items():
            setattr(client, flag, value)
        session.add(client)
        session.commit()


def visit_fields(**fields: str) -> dict[str, str]:
    """An import row / form with sensible values; keyword arguments override."""
    base = {
        "occurred_at": "2026-11-23 10:00",
        "reason": "vomiting",
        "patient": "Biscuit",
        "species": "dog",
        "client": "Jordan Lee",
        "phone": "(312) 555-0142",
        "assisted_by": "AB",
        "doctor": "DRW",
        "voicemail_ok": "yes",  # agreed: no consent is assumed when the row does not say
    }
    base.update(fields)
    return base


def add_visit(desk: FrontDesk, actor: str = "setup", **fields: str) -> list[Callback]:
    """Create a visit's callbacks through the same reader the form and import use."""
    from callback_tui.store import queries

    roles = queries.staff_roles(desk.database)
    form, problems = desk.clinic.read_visit(visit_fields(**fields), roles)
    assert form is not None, problems
    return desk.callbacks.add_visit(actor, form)
