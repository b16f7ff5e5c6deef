"""The writes of an upset-patient incident, step by step; each one transaction with its events.

1 what happened (and its note) → 2 office manager (spoke now, or a task) → 3 regional manager
when not remedied → 4 leadership told → 5 the online review's reply, when found that way →
closed by an office manager, regional manager or owner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import select

from callback_tui.domain import text
from callback_tui.domain.access import Act
from callback_tui.domain.incidents import (
    NEEDED,
    NOT_DONE,
    FoundVia,
    Step,
    check_reply,
)
from callback_tui.domain.vocab import NoteKind, NoteOrigin, NoteStatus, Role
from callback_tui.store.errors import Invalid, ServiceError
from callback_tui.store.incidents import people
from callback_tui.store.tables import Client, Incident, Note, Patient, Task
from callback_tui.store.unit import (
    Desk,
    Work,
    long_text,
    refuse,
    required_text,
    role_of,
    short_text,
    snapshot,
)


@dataclass(frozen=True)
class IncidentStart:
    """Step 1, as the person at the desk filled it in."""

    found_via: str
    what_happened: str
    note_kind: str = NoteKind.COMMUNICATION.value
    occurred_at: datetime | None = None
    """None: now."""
    subject: str = ""
    patient_id: int | None = None
    staff_involved: str = ""


class IncidentDesk(Desk):
    """The writes of the upset-patient wizard, step by step."""

    # -- plumbing -------------------------------------------------------------------------

    def _load(self, work: Work, incident_id: int, version: int, step: Step) -> Incident:
        incident = self.guarded(work, Incident, incident_id, version)
        if incident.status != "open":
            raise ServiceError("this incident is closed")
        if incident.step != step:
            raise ServiceError(f"this incident is at the {Step(incident.step).label} step")
        return incident

    def _note(self, work: Work, incident: Incident, kind: str, body: str) -> Note:
        note = Note(
            patient_id=incident.patient_id,
            incident_id=incident.id,
            author=work.actor,
            kind=kind,
            origin=NoteOrigin.INCIDENT.value,
            status=NoteStatus.FINAL.value,
            body=body,
            created_at=work.now,
            updated_at=work.now,
            finalized_at=work.now,
        )
        work.record("note.finalized", note)
        return note

    def _task(
        self, work: Work, incident: Incident, role: Role, who: str | None, title: str
    ) -> None:
        task = Task(
            assignee=who,
            role=role.value,
            title=title,
            about=f"incident:{incident.id}",
            due_at=self.due_today(work),
            created_at=work.now,
        )
        work.record("task.created", task)

    def _finish_tasks(self, work: Work, incident: Incident, role: Role, said: str) -> None:
        """The step's task is done once the step is: close it, saying where it was done."""
        for task in work.session.exec(
            select(Task).where(
                Task.about == f"incident:{incident.id}", Task.role == role, Task.status == "open"
            )
        ):
            before = snapshot(task)
            task.status, task.done_by, task.done_at, task.done_note = (
                "done",
                work.actor,
                work.now,
                said,
            )
            task.version += 1
            work.record("task.done", task, before)

    def _advance(
        self, work: Work, incident: Incident, step: Step, before: dict[str, Any], action: str
    ) -> None:
        incident.step = step.value
        incident.draft = None
        incident.version += 1
        work.record(action, incident, before)

    # -- step 1 ---------------------------------------------------------------------------

    def keep_draft(
        self, actor: str, incident_id: int | None, version: int | None, fields: dict[str, str]
    ) -> Incident:
        """Keep what was typed in the current step, unsubmitted (a new incident if need be)."""
        kept = {key: text.without_controls(str(value)) for key, value in fields.items()}
        with self.write(actor) as work:
            if incident_id is None:
                found_via = kept.get("found_via", "")
                incident = Incident(
                    subject=" ".join(kept.get("subject", "").split())[: text.NAME_LIMIT],
                    occurred_at=work.now,
                    found_via=found_via if found_via in set(FoundVia) else FoundVia.IN_OFFICE,
                    what_happened="",
                    opened_by=actor,
                    draft=kept,
                    created_at=work.now,
                )
                work.record("incident.started", incident)
                return incident
            assert version is not None
            incident = self.guarded(work, Incident, incident_id, version)
            if incident.draft == kept:
                return incident
            before = snapshot(incident)
            incident.draft = kept
            incident.version += 1
            work.record("incident.draft_kept", incident, before)
        return incident

    def open(
        self, actor: str, start: IncidentStart, kept: tuple[int, int] | None = None
    ) -> Incident:
        """Complete step 1: the incident, and its note (communication log or clinical)."""
        problems: dict[str, str] = {}
        if start.found_via not in set(FoundVia):
            problems["found_via"] = NEEDED["found_via"]
        what = long_text(
            start.what_happened, "what_happened", problems, required=NEEDED["what_happened"]
        )
        if start.note_kind not in set(NoteKind):
            problems["note_kind"] = NEEDED["note_kind"]
        subject = short_text(start.subject, "subject", problems)
        staff_involved = short_text(start.staff_involved, "staff_involved", problems)
        if not subject and "subject" not in problems and start.patient_id is None:
            problems["subject"] = NEEDED["subject"]
        if start.occurred_at is not None and start.occurred_at > self.clinic.clock.now():
            problems["occurred_at"] = "that is in the future"
        if problems:
            raise Invalid(problems)
        with self.write(actor) as work:
            client_id = None
            if start.patient_id is not None:
                patient = work.session.get(Patient, start.patient_id)
                if patient is None:
                    raise Invalid({"subject": "that patient is no longer on file"})
                client = work.session.get(Client, patient.client_id)
                assert client is not None
                client_id = client.id
                subject = subject or f"{patient.name} · {client.name}"
            if kept is not None:
                incident = self._load(work, kept[0], kept[1], Step.WHAT_HAPPENED)
                before: dict[str, Any] | None = snapshot(incident)
            else:
                incident = Incident(found_via=start.found_via, what_happened="", opened_by=actor)
                before = None
            incident.client_id = client_id
            incident.patient_id = start.patient_id
            incident.subject = subject
            incident.occurred_at = start.occurred_at or work.now
            incident.found_via = start.found_via
            incident.what_happened = what
            incident.staff_involved = staff_involved
            incident.note_kind = start.note_kind
            incident.step = Step.OFFICE_MANAGER.value
            incident.draft = None
            incident.created_at = incident.created_at if before else work.now
            if before is not None:
                incident.version += 1
            work.record("incident.opened", incident, before)
            self._note(work, incident, start.note_kind, what)
        return incident

    # -- step 2: the office manager -------------------------------------------------------

    def office_manager(
        self,
        actor: str,
        incident_id: int,
        version: int,
        *,
        available: bool,
        office_manager: str,
        conversation: str = "",
        remedied: bool | None = None,
    ) -> Incident:
        """Record the office manager's conversation, or send them a task when they are away."""
        problems: dict[str, str] = {}
        manager = office_manager.strip().upper()
        said = ""
        if available:
            said = long_text(
                conversation,
                "conversation",
                problems,
                required=NEEDED["conversation"],
            )
            if remedied is None:
                problems["remedied"] = NEEDED["remedied"]
        with self.write(actor) as work:
            incident = self._load(work, incident_id, version, Step.OFFICE_MANAGER)
            role = role_of(work, manager) if manager else None
            if manager and role is not Role.OFFICE_MANAGER:
                problems["office_manager"] = f"{manager} is not an office manager on the staff list"
            if available and not manager:
                problems["office_manager"] = NEEDED["office_manager"]
            if problems:
                raise Invalid(problems)
            before = snapshot(incident)
            incident.office_manager = manager or None
            if not available:
                waiting = work.session.exec(
                    select(Task.id).where(
                        Task.about == f"incident:{incident.id}",
                        Task.role == Role.OFFICE_MANAGER,
                        Task.status == "open",
                    )
                ).first()
                if waiting is None:
                    self._task(
                        work,
                        incident,
                        Role.OFFICE_MANAGER,
                        manager or None,
                        f"Upset client: speak with {incident.subject}",
                    )
                incident.draft = None
                incident.version += 1
                work.record("incident.office_manager_asked", incident, before)
                return incident
            self._note(work, incident, NoteKind.COMMUNICATION.value, said)
            self._finish_tasks(work, incident, Role.OFFICE_MANAGER, "Recorded on the incident.")
            incident.remedied = remedied
            if remedied:
                incident.resolution = said
                self._advance(work, incident, Step.LEADERSHIP, before, "incident.remedied")
            else:
                self._task(
                    work,
                    incident,
                    Role.REGIONAL_MANAGER,
                    None,
                    f"Upset client not remedied: {incident.subject}",
                )
                self._advance(work, incident, Step.ESCALATION, before, "incident.escalated")
        return incident

    # -- step 3: the regional manager -----------------------------------------------------

    def escalation(self, actor: str, incident_id: int, version: int, outcome: str) -> Incident:
        """The regional manager's outcome: how it was resolved (a regional manager or the
        owner records it: NotAllowed for anyone else)."""
        said = required_text(outcome, "outcome", NEEDED["outcome"])
        with self.write(actor) as work:
            refuse(work, Act.RECORD_ESCALATION)
            incident = self._load(work, incident_id, version, Step.ESCALATION)
            before = snapshot(incident)
            self._note(work, incident, NoteKind.COMMUNICATION.value, said)
            self._finish_tasks(work, incident, Role.REGIONAL_MANAGER, "Recorded on the incident.")
            incident.resolution = said
            self._advance(work, incident, Step.LEADERSHIP, before, "incident.resolved")
        return incident

    # -- step 4: leadership ---------------------------------------------------------------

    def summary_sent(self, actor: str, incident_id: int, version: int) -> Incident:
        with self.write(actor) as work:
            incident = self._load(work, incident_id, version, Step.LEADERSHIP)
            before = snapshot(incident)
            incident.summary_sent_at = work.now
            incident.summary_sent_by = actor
            online = incident.found_via == FoundVia.ONLINE_REVIEW
            next_step = Step.REVIEW if online else Step.CLOSE
            self._advance(work, incident, next_step, before, "incident.leadership_told")
        return incident

    # -- step 5: the online review --------------------------------------------------------

    def review_reply(
        self,
        actor: str,
        incident_id: int,
        version: int,
        *,
        platform: str,
        link: str,
        reply: str,
        posted: bool,
    ) -> Incident:
        """Keep the reply draft; `posted` (only for a clean reply) moves on to closing."""
        problems: dict[str, str] = {}
        platform = short_text(platform, "platform", problems)
        link = short_text(link, "link", problems)
        said = long_text(reply, "reply", problems, required=NEEDED["reply"] if posted else "")
        if problems and not posted:
            raise Invalid(problems)  # a plain save only refuses text over its limit
        with self.write(actor) as work:
            incident = self._load(work, incident_id, version, Step.REVIEW)
            if posted:
                if not platform:
                    problems["platform"] = NEEDED["platform"]
                hits = check_reply(said, **self.private_details(work, incident)) if said else []
                if hits:
                    found = ", ".join(f"{h.found!r} ({h.why})" for h in hits)
                    problems["reply"] = f"the reply tells the public too much: {found}"
                if problems:
                    raise Invalid(problems)
            before = snapshot(incident)
            incident.review_platform, incident.review_link, incident.review_reply = (
                platform,
                link,
                said,
            )
            if posted:
                incident.reply_posted_at = work.now
                self._advance(work, incident, Step.CLOSE, before, "incident.reply_posted")
            else:
                incident.draft = None
                incident.version += 1
                work.record("incident.reply_saved", incident, before)
        return incident

    def private_details(self, work: Work, incident: Incident) -> dict[str, Any]:
        """What a public reply must not name: the incident's people, their phone, and the
        clinic's clinical words."""
        client = work.session.get(Client, incident.client_id) if incident.client_id else None
        patient = work.session.get(Patient, incident.patient_id) if incident.patient_id else None
        names, phones = people(incident, client, patient)
        return {"names": names, "phones": phones, "words": self.clinic.review_words}

    # -- closing --------------------------------------------------------------------------

    def close(self, actor: str, incident_id: int, version: int) -> Incident:
        """Close it: an office manager, regional manager or owner, once every step is done."""
        with self.write(actor) as work:
            refuse(work, Act.CLOSE_INCIDENT)
            incident = self.guarded(work, Incident, incident_id, version)
            if incident.status != "open":
                raise ServiceError("this incident is already closed")
            if incident.step != Step.CLOSE:
                missing = NOT_DONE[Step(incident.step)]
                raise ServiceError(f"not ready to close: {missing}")
            before = snapshot(incident)
            incident.status = "closed"
            incident.closed_at = work.now
            incident.closed_by = actor
            self._advance(work, incident, Step.CLOSED, before, "incident.closed")
        return incident
