"""Reads about tasks (one person's inbox: their own and their role's) and incidents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, or_, select

from callback_tui.store.engine import Database
from callback_tui.store.tables import Callback, Client, Incident, Patient, Staff, Task


@dataclass(frozen=True)
class About:
    """What a task concerns, as the inbox names it and where `open` goes."""

    ref: str
    label: str
    client_id: int | None
    patient_id: int | None


@dataclass(frozen=True)
class TaskRow:
    id: int
    version: int
    assignee: str | None
    role: str | None
    title: str
    about: About
    due_at: datetime
    status: str
    done_note: str | None
    done_by: str | None
    done_at: datetime | None
    created_at: datetime

    @property
    def owner(self) -> str:
        """Whose it is: the person, else the role."""
        return self.assignee or (self.role or "").replace("_", " ")


def tasks(
    database: Database, *, initials: str | None = None, include_done: bool = False
) -> list[TaskRow]:
    """Tasks by due time. With `initials`: theirs, and their role's that name nobody."""
    query = select(Task)
    if initials is not None:
        with Session(database.engine) as session:
            role = session.exec(select(Staff.role).where(Staff.initials == initials)).first()
        query = query.where(
            or_(
                Task.assignee == initials,
                (col(Task.assignee).is_(None)) & (Task.role == role),
            )
        )
    if not include_done:
        query = query.where(Task.status == "open")
    with Session(database.engine) as session:
        found = session.exec(query.order_by(col(Task.due_at), col(Task.id))).all()
        abouts = _abouts(session, [t.about for t in found])
    return [
        TaskRow(
            id=t.id,  # type: ignore[arg-type]
            version=t.version,
            assignee=t.assignee,
            role=t.role,
            title=t.title,
            about=abouts[t.about],
            due_at=t.due_at,
            status=t.status,
            done_note=t.done_note,
            done_by=t.done_by,
            done_at=t.done_at,
            created_at=t.created_at,
        )
        for t in found
    ]


def _abouts(session: Session, refs: list[str]) -> dict[str, About]:
    """Name each `callback:12` by its patient and client; other references stay as they are."""
    ids = {int(ref.partition(":")[2]) for ref in refs if ref.startswith("callback:")}
    named: dict[str, About] = {}
    if ids:
        rows = session.exec(
            select(Callback, Patient, Client)
            .join(Patient, col(Patient.id) == Callback.patient_id)
            .join(Client, col(Client.id) == Callback.client_id)
            .where(col(Callback.id).in_(ids))
        ).all()
        for callback, patient, client in rows:
            ref = f"callback:{callback.id}"
            label = f"{patient.name} · {client.name} ({callback.reason.replace('_', ' ')} callback)"
            named[ref] = About(ref, label, client.id, patient.id)
    return {ref: named.get(ref, About(ref, ref, None, None)) for ref in refs}


@dataclass(frozen=True)
class IncidentRow:
    id: int
    occurred_at: datetime
    found_via: str
    what_happened: str
    staff_involved: str
    step: str
    status: str
    opened_by: str
    client: str | None
    patient: str | None
    closed_at: datetime | None


def incidents(database: Database, *, open_only: bool = False) -> list[IncidentRow]:
    """Upset-patient incidents, oldest first, with the client and patient named when known."""
    query = (
        select(Incident, Client.name, Patient.name)
        .outerjoin(Client, col(Client.id) == Incident.client_id)
        .outerjoin(Patient, col(Patient.id) == Incident.patient_id)
    )
    if open_only:
        query = query.where(Incident.status == "open")
    with Session(database.engine) as session:
        found = session.exec(query.order_by(col(Incident.occurred_at), col(Incident.id))).all()
    return [
        IncidentRow(
            id=incident.id,  # type: ignore[arg-type]
            occurred_at=incident.occurred_at,
            found_via=incident.found_via,
            what_happened=incident.what_happened,
            staff_involved=incident.staff_involved,
            step=incident.step,
            status=incident.status,
            opened_by=incident.opened_by,
            client=client,
            patient=patient,
            closed_at=incident.closed_at,
        )
        for incident, client, patient in found
    ]
