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
    """The people on file it names (client and patient), for the review-reply check."""
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


def _view(session: Session, incident: Incident) -> IncidentView:
    names: list[str] = []
    phones: list[str] = []
    if incident.client_id is not None:
        client = session.get(Client, incident.client_id)
        if client is not None:
            names.append(client.name)
            phones.append(client.phone)
    if incident.patient_id is not None:
        patient = session.get(Patient, incident.patient_id)
        if patient is not None:
            names.append(patient.name)
    waiting = session.exec(
        select(Task).where(Task.about == f"incident:{incident.id}", Task.status == "open")
    ).all()
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
        names=tuple(names),
        phones=tuple(phones),
        open_tasks=tuple(t.assignee or (t.role or "").replace("_", " ") for t in waiting),
    )


def incident(database: Database, incident_id: int) -> IncidentView | None:
    with Session(database.engine) as session:
        found = session.get(Incident, incident_id)
        return _view(session, found) if found is not None else None


def incidents(database: Database, *, open_only: bool = False) -> list[IncidentView]:
    """Incidents, oldest first (the board: the open ones)."""
    query = select(Incident)
    if open_only:
        query = query.where(Incident.status == "open")
    with Session(database.engine) as session:
        found = session.exec(query.order_by(col(Incident.created_at), col(Incident.id))).all()
        return [_view(session, one) for one in found]
