"""Callback records for `list` and `export`: the same shape everywhere."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from callback_tui.domain import text
from callback_tui.domain.hours import Calendar
from callback_tui.store.incidents import IncidentView
from callback_tui.store.notes import NoteView
from callback_tui.store.queries import QueueRow
from callback_tui.store.tasks import TaskRow

CALLBACK_FIELDS = (
    "id", "source_id", "patient", "client", "phone", "reason", "kind", "priority", "owner",
    "doctor", "due_date", "due_at", "original_due_date", "next_attempt_at", "status",
    "attempts", "source", "target_at",
)  # fmt: skip
"""A callback's fields, with where it came from and, for a message, its response target
(kept after it was answered: a review asks whether it was met)."""
LIST_FIELDS = (*CALLBACK_FIELDS, "section", "late_minutes")
"""A queue listing also says where each callback stands (overdue, today or pool), and for a
message not tried yet how late it is."""


def callback_record(row: QueueRow, calendar: Calendar) -> dict[str, Any]:
    """A callback as scripts and auditors read it: names, clinic-local dates, ISO times."""
    return {
        "id": row.id,
        "source_id": row.source_id,
        "patient": row.patient,
        "client": row.client,
        "phone": row.phone,
        "reason": row.reason,
        "kind": row.kind,
        "priority": row.priority,
        "owner": row.owner,
        "doctor": row.doctor,
        "due_date": row.due_date.isoformat(),
        "due_at": _iso(calendar, row.due_at),
        "original_due_date": row.original_due_date.isoformat() if row.original_due_date else None,
        "next_attempt_at": (_iso(calendar, row.next_attempt_at)),
        "status": row.status,
        "attempts": row.attempts,
        "source": row.source,
        "target_at": _iso(calendar, row.target_at),
    }


def queue_record(row: QueueRow, calendar: Calendar, now: datetime | None = None) -> dict[str, Any]:
    """A callback as `list` prints it: the record plus its place in the queue and, for a
    message on the clock, the minutes past its target (0 while there is time left; None for
    a visit's callback or a message already tried)."""
    section = row.section.value if row.section is not None else None
    late = row.late_minutes(now) if now is not None else None
    return {
        **callback_record(row, calendar),
        "section": section,
        "late_minutes": None if late is None else max(late, 0),
    }


NOTE_FIELDS = (
    "id", "status", "kind", "origin", "patient", "client", "author", "addressed_to",
    "callback_id", "created_at", "updated_at", "finalized_at", "age", "body", "amendments",
)  # fmt: skip


def note_record(view: NoteView, calendar: Calendar, now: datetime) -> dict[str, Any]:
    """A note for `notes list`: clinic-local times, and how long a draft has waited."""

    return {
        "id": view.id,
        "status": view.status,
        "kind": view.kind,
        "origin": view.origin,
        "patient": view.patient,
        "client": view.client,
        "author": view.author,
        "addressed_to": view.addressed_to,
        "callback_id": view.callback.id if view.callback else None,
        "created_at": _iso(calendar, view.created_at),
        "updated_at": _iso(calendar, view.updated_at),
        "finalized_at": _iso(calendar, view.finalized_at),
        "age": None if view.is_final or not view.created_at else text.age(now - view.created_at),
        "body": view.body,
        "amendments": [
            {"author": a.author, "at": _iso(calendar, a.at), "body": a.body}
            for a in view.amendments
        ],
    }


TASK_FIELDS = (
    "id", "due_at", "for", "assignee", "role", "title", "about", "about_ref", "status",
    "done_by", "done_at", "done_note", "created_at",
)  # fmt: skip


def task_record(row: TaskRow, calendar: Calendar) -> dict[str, Any]:
    """A task for `tasks list`: whose it is, what it is about (named), clinic-local times."""
    return {
        "id": row.id,
        "due_at": _iso(calendar, row.due_at),
        "for": row.owner,
        "assignee": row.assignee,
        "role": row.role,
        "title": row.title,
        "about": row.about.label,
        "about_ref": row.about.ref,
        "status": row.status,
        "done_by": row.done_by,
        "done_at": _iso(calendar, row.done_at),
        "done_note": row.done_note,
        "created_at": _iso(calendar, row.created_at),
    }


INCIDENT_FIELDS = (
    "id", "occurred_at", "status", "step", "owner", "age", "found_via", "opened_by", "subject",
    "staff_involved", "what_happened", "office_manager", "remedied", "resolution",
    "summary_sent_at", "review_platform", "review_reply", "reply_posted_at", "closed_at",
    "closed_by",
)  # fmt: skip


def incident_record(row: IncidentView, calendar: Calendar, now: datetime) -> dict[str, Any]:
    """An incident for `incidents list`; an open one says how long it has been open."""

    return {
        "id": row.id,
        "occurred_at": _iso(calendar, row.occurred_at),
        "status": row.status,
        "step": row.step.value,
        "owner": row.owner,
        "age": text.age(now - row.created_at) if row.status == "open" else None,
        "found_via": row.found_via.value,
        "opened_by": row.opened_by,
        "subject": row.subject,
        "staff_involved": row.staff_involved,
        "what_happened": row.what_happened,
        "office_manager": row.office_manager,
        "remedied": row.remedied,
        "resolution": row.resolution,
        "summary_sent_at": _iso(calendar, row.summary_sent_at),
        "review_platform": row.review_platform,
        "review_reply": row.review_reply,
        "reply_posted_at": _iso(calendar, row.reply_posted_at),
        "closed_at": _iso(calendar, row.closed_at),
        "closed_by": row.closed_by,
    }


def _iso(calendar: Calendar, moment: datetime | None) -> str | None:
    """A stored time as an ISO string in clinic time (None stays None)."""
    return calendar.local(moment).isoformat() if moment else None
