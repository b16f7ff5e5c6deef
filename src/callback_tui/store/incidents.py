"""Reads about incidents: one for the wizard, the board of open ones, and listings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from callback_tui.domain.hours import Calendar
from callback_tui.domain.incidents import FoundVia, Step, SummaryFacts, leadership_summary
from callback_tui.store import sql
from callback_tui.store.engine import Database
from callback_tui.store.sql import Reads, Row

if TYPE_CHECKING:  # the desk's ORM rows; reading never imports them
    from callback_tui.store.tables import Client, Incident, Patient


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
    return _people(
        incident.subject,
        (client.name, client.phone) if client is not None else None,
        patient.name if patient is not None else None,
    )


def _people(
    subject: str, client: tuple[str, str] | None, patient: str | None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`people` from plain values: the subject, the client's name and phone, the patient's name."""
    names = [subject]
    phones: list[str] = []
    if client is not None:
        names.append(client[0])
        phones.append(client[1])
    if patient is not None:
        names.append(patient)
    return tuple(names), tuple(phones)


_INCIDENTS = """
SELECT i.id, i.version, i.step, i.status, i.subject, i.client_id, i.patient_id,
       i.occurred_at, i.found_via, i.what_happened, i.staff_involved, i.note_kind,
       i.opened_by, i.office_manager, i.remedied, i.resolution, i.summary_sent_at,
       i.summary_sent_by, i.review_platform, i.review_link, i.review_reply,
       i.reply_posted_at, i.draft, i.created_at, i.closed_at, i.closed_by,
       c.id, c.name, c.phone, p.id, p.name
FROM incident i
LEFT JOIN client c ON c.id = i.client_id
LEFT JOIN patient p ON p.id = i.patient_id
"""
"""An incident with the client and patient it names (if on file), in the order `_view` reads."""


def _views(reads: Reads, found: list[Row]) -> list[IncidentView]:
    """The incidents found, with who their open tasks wait for (one more query per 500)."""
    waiting: dict[str, list[str]] = {}
    refs = [f"incident:{row[0]}" for row in found]
    for batch in sql.chunks(refs):
        for about, assignee, role in reads.all(
            "SELECT about, assignee, role FROM task"
            " WHERE status = :open AND about IN (:refs) ORDER BY id",
            open="open",
            refs=batch,
        ):
            waiting.setdefault(about, []).append(assignee or (role or "").replace("_", " "))
    return [_view(row, waiting.get(f"incident:{row[0]}", [])) for row in found]


def _view(row: Row, open_tasks: list[str]) -> IncidentView:
    # The client and patient are on file when the outer joins found them (their ids).
    client = (row[27], row[28]) if row[26] is not None else None
    patient = row[30] if row[29] is not None else None
    names, phones = _people(row[4], client, patient)
    draft = sql.document(row[22])
    return IncidentView(
        id=row[0],
        version=row[1],
        step=Step(row[2]),
        status=row[3],
        subject=row[4],
        client_id=row[5],
        patient_id=row[6],
        occurred_at=sql.utc(row[7]),
        found_via=FoundVia(row[8]),
        what_happened=row[9],
        staff_involved=row[10],
        note_kind=row[11],
        opened_by=row[12],
        office_manager=row[13],
        remedied=None if row[14] is None else sql.flag(row[14]),
        resolution=row[15],
        summary_sent_at=sql.utc_or_none(row[16]),
        summary_sent_by=row[17],
        review_platform=row[18],
        review_link=row[19],
        review_reply=row[20],
        reply_posted_at=sql.utc_or_none(row[21]),
        draft=dict(draft or {}),
        created_at=sql.utc(row[23]),
        closed_at=sql.utc_or_none(row[24]),
        closed_by=row[25],
        names=names,
        phones=phones,
        open_tasks=tuple(open_tasks),
    )


def incident(database: Database, incident_id: int) -> IncidentView | None:
    with database.read() as reads:
        found = _views(reads, reads.all(f"{_INCIDENTS} WHERE i.id = :id", id=incident_id))
    return found[0] if found else None


def incidents(database: Database, *, open_only: bool = False) -> list[IncidentView]:
    """Incidents, oldest first (the board: the open ones)."""
    where = "WHERE i.status = :open" if open_only else ""
    with database.read() as reads:
        found = reads.all(f"{_INCIDENTS} {where} ORDER BY i.created_at, i.id", open="open")
        return _views(reads, found)
