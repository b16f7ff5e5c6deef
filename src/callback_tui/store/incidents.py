"""Reads about incidents: one for the wizard, the board of open ones, and listings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from callback_tui.domain.hours import Calendar
from callback_tui.domain.incidents import FoundVia, Step, SummaryFacts, leadership_summary
from callback_tui.store.engine import Database
from callback_tui.store.tables import Client, Incident, Patient, Task


@dataclass(frozen=True)
class IncidentView:
    id: int
    version: int
    step: Step
    status: str
    subject: str
    client_id: int | None
    patient_id: int | None
    occurred_at: datetime
    found_via: FoundVia
    what_happened: str
    staff_involved: str
    note_kind: str
    opened_by: str
    office_manager: str | None
    remedied: bool | None
    resolution: str
    summary_sent_at: datetime | None
    summary_sent_by: str | None
    review_platform: str
    review_link: str
    review_reply: str
    reply_posted_at: datetime | None
    draft: dict[str, Any]
    created_at: datetime
    closed_at: datetime | None
    closed_by: str | None
    names: tuple[str, ...]
    """Who it names (as typed, and the client and patient on file): see `people`."""
    phones: tuple[str, ...]
    open_tasks: tuple[str, ...]
    """Who the open tasks about it wait for."""

    @property
    def owner(self) -> str:
        """Who has to act next."""
        if self.step is Step.WHAT_HAPPENED:
            return self.opened_by
        if self.step is Step.ESCALATION:
            return "regional manager"
        if self.step in (Step.OFFICE_MANAGER, Step.REVIEW, Step.CLOSE, Step.LEADERSHIP):
            return self.office_manager or "office manager"
        return self.closed_by or ""

    def summary(self, calendar: Calendar) -> str:
        return leadership_summary(
            SummaryFacts(
                when=calendar.local(self.occurred_at).strftime("%a %d %b %Y %H:%M"),
                found_via=self.found_via,
                subject=self.subject,
                what_happened=self.what_happened,
                staff_involved=self.staff_involved,
                office_manager=self.office_manager or "",
                resolution=self.resolution,
                escalated=self.remedied is False,
            )
        )


def people(
    incident: Incident, client: Client | None, patient: Patient | None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Who an incident names, and their phones: what a public review reply must not contain."""
    names = [incident.subject]
    phones: list[str] = []
    if client is not None:
        names.append(client.name)
        phones.append(client.phone)
    if patient is not None:
        names.append(patient.name)
    return tuple(names), tuple(phones)


def _query() -> Any:
    return (
        select(Incident, Client, Patient)
        .outerjoin(Client, col(Client.id) == Incident.client_id)
        .outerjoin(Patient, col(Patient.id) == Incident.patient_id)
    )


def _views(session: Session, query: Any) -> list[IncidentView]:
    """The incidents `query` finds: one query for them and their people, one for open tasks."""
    found = session.exec(query).all()
    waiting: dict[str, list[str]] = {}
    for about, assignee, role in session.exec(
        select(Task.about, Task.assignee, Task.role).where(
            Task.status == "open", col(Task.about).startswith("incident:")
        )
    ):
        waiting.setdefault(about, []).append(assignee or (role or "").replace("_", " "))
    return [
        _view(
            incident, people(incident, client, patient), waiting.get(f"incident:{incident.id}", [])
        )
        for incident, client, patient in found
    ]


def _view(
    incident: Incident, named: tuple[tuple[str, ...], tuple[str, ...]], open_tasks: list[str]
) -> IncidentView:
    names, phones = named
    return IncidentView(
        id=incident.id,  # type: ignore[arg-type]
        version=incident.version,
        step=Step(incident.step),
        status=incident.status,
        subject=incident.subject,
        client_id=incident.client_id,
        patient_id=incident.patient_id,
        occurred_at=incident.occurred_at,
        found_via=FoundVia(incident.found_via),
        what_happened=incident.what_happened,
        staff_involved=incident.staff_involved,
        note_kind=incident.note_kind,
        opened_by=incident.opened_by,
        office_manager=incident.office_manager,
        remedied=incident.remedied,
        resolution=incident.resolution,
        summary_sent_at=incident.summary_sent_at,
        summary_sent_by=incident.summary_sent_by,
        review_platform=incident.review_platform,
        review_link=incident.review_link,
        review_reply=incident.review_reply,
        reply_posted_at=incident.reply_posted_at,
        draft=dict(incident.draft or {}),
        created_at=incident.created_at,
        closed_at=incident.closed_at,
        closed_by=incident.closed_by,
        names=names,
        phones=phones,
        open_tasks=tuple(open_tasks),
    )


def incident(database: Database, incident_id: int) -> IncidentView | None:
    with Session(database.engine) as session:
        found = _views(session, _query().where(Incident.id == incident_id))
    return found[0] if found else None


def incidents(database: Database, *, open_only: bool = False) -> list[IncidentView]:
    """Incidents, oldest first (the board: the open ones)."""
    query = _query().order_by(col(Incident.created_at), col(Incident.id))
    if open_only:
        query = query.where(Incident.status == "open")
    with Session(database.engine) as session:
        return _views(session, query)
