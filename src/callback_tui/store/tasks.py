"""Reads about tasks: one person's inbox (their own and their role's), and listings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from callback_tui.domain.vocab import Role
from callback_tui.store import sql
from callback_tui.store.engine import Database
from callback_tui.store.sql import Reads


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
    kind: str | None = None
    """What doing it takes beyond a note (TaskKind), if anything."""

    @property
    def owner(self) -> str:
        """Whose it is: the person, else the role."""
        return self.assignee or (self.role or "").replace("_", " ")


_TASKS = """
SELECT id, version, assignee, role, title, about, due_at, status, done_note, done_by,
       done_at, created_at, kind
FROM task
"""


def _role(reads: Reads, initials: str) -> str | None:
    found = reads.value("SELECT role FROM staff WHERE initials = :initials", initials=initials)
    return str(found) if found is not None else None


def _theirs(role: str | None) -> str:
    """The tasks a person may do: their own, and their role's that name nobody.

    Someone not on staff has no role: they see, besides their own, the tasks that name
    neither a person nor a role (as the desk lets them do those)."""
    role_matches = "role = :role" if role is not None else "role IS NULL"
    return f"(assignee = :initials OR (assignee IS NULL AND {role_matches}))"


def tasks(
    database: Database, *, initials: str | None = None, include_done: bool = False
) -> list[TaskRow]:
    """Tasks by due time. With `initials`: theirs, and their role's that name nobody."""
    clauses: list[str] = []
    with database.read() as reads:
        role = None
        if initials is not None:
            initials = initials.upper()
            role = _role(reads, initials)
            clauses.append(_theirs(role))
        if not include_done:
            clauses.append("status = :open")
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        found = reads.all(
            f"{_TASKS} {where} ORDER BY due_at, id", initials=initials, role=role, open="open"
        )
        abouts = _abouts(reads, [row[5] for row in found])
    return [
        TaskRow(
            id=row[0],
            version=row[1],
            assignee=row[2],
            role=row[3],
            title=row[4],
            about=abouts[row[5]],
            due_at=sql.utc(row[6]),
            status=row[7],
            done_note=row[8],
            done_by=row[9],
            done_at=sql.utc_or_none(row[10]),
            created_at=sql.utc(row[11]),
            kind=row[12],
        )
        for row in found
    ]


@dataclass(frozen=True)
class Waiting:
    """What waits for a person besides their callbacks (what Today's header points to)."""

    tasks: int
    """Their open tasks, and their role's that name nobody."""
    incidents: int
    """Open incidents whose next step is theirs and that no open task stands for."""


_AWAITING_ROLE = {
    Role.OFFICE_MANAGER.value: (
        "i.step IN ('office_manager', 'leadership', 'review', 'close')"
        " AND (i.office_manager = :initials OR i.office_manager IS NULL)"
    ),
    Role.REGIONAL_MANAGER.value: "i.step = 'escalation'",
}
"""Which open incidents wait for each role (as IncidentView.owner names them)."""


def waiting(database: Database, initials: str) -> Waiting:
    """How many open tasks, and incidents at a step of theirs, wait for `initials`."""
    initials = initials.upper()
    with database.read() as reads:
        role = _role(reads, initials)
        count = reads.value(
            f"SELECT COUNT(*) FROM task WHERE status = :open AND {_theirs(role)}",
            open="open",
            initials=initials,
            role=role,
        )
        # An unfinished first step waits for whoever started it.
        steps = ["(i.step = 'what_happened' AND i.opened_by = :initials)"]
        if role in _AWAITING_ROLE:
            steps.append(f"({_AWAITING_ROLE[role]})")
        incidents = reads.value(
            f"SELECT COUNT(*) FROM incident i WHERE i.status = :open AND ({' OR '.join(steps)})"
            " AND NOT EXISTS (SELECT 1 FROM task t WHERE t.status = :open"
            " AND t.about = 'incident:' || i.id)",
            open="open",
            initials=initials,
        )
    return Waiting(tasks=int(count or 0), incidents=int(incidents or 0))


def _abouts(reads: Reads, refs: list[str]) -> dict[str, About]:
    """Name each `callback:12` by its patient and client; other references stay as they are."""
    ids = {int(ref.partition(":")[2]) for ref in refs if ref.startswith("callback:")}
    named: dict[str, About] = {}
    for batch in sql.chunks(sorted(ids)):
        for callback_id, reason, patient_id, patient, client_id, client in reads.all(
            "SELECT cb.id, cb.reason, p.id, p.name, c.id, c.name FROM callback cb"
            " JOIN patient p ON p.id = cb.patient_id"
            " JOIN client c ON c.id = cb.client_id"
            " WHERE cb.id IN (:ids)",
            ids=batch,
        ):
            ref = f"callback:{callback_id}"
            label = f"{patient} · {client} ({reason.replace('_', ' ')} callback)"
            named[ref] = About(ref, label, client_id, patient_id)
    incident_ids = {int(ref.partition(":")[2]) for ref in refs if ref.startswith("incident:")}
    for batch in sql.chunks(sorted(incident_ids)):
        for incident_id, subject, client_id, patient_id in reads.all(
            "SELECT id, subject, client_id, patient_id FROM incident WHERE id IN (:ids)",
            ids=batch,
        ):
            ref = f"incident:{incident_id}"
            label = f"Incident {incident_id}: {subject or 'someone not on file'}"
            named[ref] = About(ref, label, client_id, patient_id)
    return {ref: named.get(ref, About(ref, ref, None, None)) for ref in refs}
