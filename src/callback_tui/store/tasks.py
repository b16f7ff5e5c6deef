"""Reads about tasks: one person's inbox (their own and their role's), and listings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, or_, select

from callback_tui.store.engine import Database
from callback_tui.store.queries import staff_member
from callback_tui.store.tables import Callback, Client, Incident, Patient, Task


@dataclass(frozen=True)
class About:
    """What a task concerns, as the inbox names it and where `open` goes."""

    ref: str
    label: str
    client_id: int | None
    patient_id: int | None

    @property
    def incident_id(self) -> int | None:
        kind, _, number = self.ref.partition(":")
        return int(number) if kind == "incident" else None


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
        member = staff_member(database, initials)
        role = member.role if member else None
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
    incident_ids = {int(ref.partition(":")[2]) for ref in refs if ref.startswith("incident:")}
    if incident_ids:
        for incident in session.exec(select(Incident).where(col(Incident.id).in_(incident_ids))):
            ref = f"incident:{incident.id}"
            label = f"Incident {incident.id}: {incident.subject or 'someone not on file'}"
            named[ref] = About(ref, label, incident.client_id, incident.patient_id)
    return {ref: named.get(ref, About(ref, ref, None, None)) for ref in refs}
