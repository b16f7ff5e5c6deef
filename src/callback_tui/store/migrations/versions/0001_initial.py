"""The schema of callback-tui 0.1.0, the first release.

A file made by 0.1.0 (before migrations existed) holds exactly this and is taken as being at
this revision, with its constraints unnamed as 0.1.0 made them.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "client",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("phone", sa.String(), nullable=False),
        sa.Column("phone_digits", sa.String(), nullable=False),
        sa.Column("preferred_window", sa.String(), nullable=True),
        sa.Column("voicemail_ok", sa.Boolean(), nullable=False),
        sa.Column("text_ok", sa.Boolean(), nullable=False),
        sa.Column("do_not_call", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client")),
    )
    op.create_index(op.f("ix_client_name"), "client", ["name"], unique=False)
    op.create_index(op.f("ix_client_phone"), "client", ["phone"], unique=False)
    op.create_index(op.f("ix_client_phone_digits"), "client", ["phone_digits"], unique=False)
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("entity", sa.String(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    op.create_index(op.f("ix_event_at"), "event", ["at"], unique=False)
    op.create_index(op.f("ix_event_entity_id"), "event", ["entity_id"], unique=False)
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initials", sa.String(length=4), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
        sa.UniqueConstraint("initials", name=op.f("uq_staff_initials")),
    )
    op.create_table(
        "task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignee", sa.String(), nullable=True),
        sa.Column("role", sa.String(), nullable=True),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("about", sa.String(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("done_note", sa.String(), nullable=True),
        sa.Column("done_by", sa.String(), nullable=True),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task")),
    )
    op.create_index(op.f("ix_task_about"), "task", ["about"], unique=False)
    op.create_index(op.f("ix_task_assignee"), "task", ["assignee"], unique=False)
    op.create_index(op.f("ix_task_role"), "task", ["role"], unique=False)
    op.create_index(op.f("ix_task_status"), "task", ["status"], unique=False)
    op.create_table(
        "patient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("species", sa.String(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_patient_client_id_client")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patient")),
    )
    op.create_index(op.f("ix_patient_client_id"), "patient", ["client_id"], unique=False)
    op.create_index(op.f("ix_patient_name"), "patient", ["name"], unique=False)
    op.create_table(
        "callback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.String(), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("priority", sa.String(), nullable=False),
        sa.Column("owner", sa.String(), nullable=False),
        sa.Column("doctor", sa.String(), nullable=False),
        sa.Column("assisted_by", sa.String(), nullable=True),
        sa.Column("base_at", sa.DateTime(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("original_due_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("misses", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("wrong_number", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.Column("closing_note", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_callback_client_id_client")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_callback_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callback")),
    )
    op.create_index(op.f("ix_callback_client_id"), "callback", ["client_id"], unique=False)
    op.create_index(
        "ix_callback_owner_queue", "callback", ["owner", "status", "due_date"], unique=False
    )
    op.create_index(op.f("ix_callback_patient_id"), "callback", ["patient_id"], unique=False)
    op.create_index("ix_callback_queue", "callback", ["status", "due_date"], unique=False)
    op.create_index("ix_callback_source", "callback", ["source_id", "kind"], unique=True)
    op.create_table(
        "incident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("found_via", sa.String(), nullable=False),
        sa.Column("what_happened", sa.String(), nullable=False),
        sa.Column("staff_involved", sa.String(), nullable=False),
        sa.Column("note_kind", sa.String(), nullable=False),
        sa.Column("step", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("opened_by", sa.String(), nullable=False),
        sa.Column("office_manager", sa.String(), nullable=True),
        sa.Column("remedied", sa.Boolean(), nullable=True),
        sa.Column("resolution", sa.String(), nullable=False),
        sa.Column("summary_sent_at", sa.DateTime(), nullable=True),
        sa.Column("summary_sent_by", sa.String(), nullable=True),
        sa.Column("review_platform", sa.String(), nullable=False),
        sa.Column("review_link", sa.String(), nullable=False),
        sa.Column("review_reply", sa.String(), nullable=False),
        sa.Column("reply_posted_at", sa.DateTime(), nullable=True),
        sa.Column("draft", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_by", sa.String(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_incident_client_id_client")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_incident_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident")),
    )
    op.create_index(op.f("ix_incident_status"), "incident", ["status"], unique=False)
    op.create_index(op.f("ix_incident_step"), "incident", ["step"], unique=False)
    op.create_table(
        "search_term",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_search_term_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_term")),
    )
    op.create_index("ix_search_term", "search_term", ["term", "patient_id"], unique=False)
    op.create_index("ix_search_term_patient", "search_term", ["patient_id", "term"], unique=False)
    op.create_table(
        "attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("callback_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by", sa.String(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("outcome", sa.String(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("identity_verified", sa.Boolean(), nullable=False),
        sa.Column("appointment_booked", sa.Boolean(), nullable=False),
        sa.Column("concern_for_doctor", sa.Boolean(), nullable=False),
        sa.Column("dnc_justification", sa.String(), nullable=True),
        sa.Column("notes", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["callback_id"], ["callback.id"], name=op.f("fk_attempt_callback_id_callback")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attempt")),
    )
    op.create_index(op.f("ix_attempt_callback_id"), "attempt", ["callback_id"], unique=False)
    op.create_table(
        "note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("callback_id", sa.Integer(), nullable=True),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("addressed_to", sa.String(), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("origin", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("finalized_at", sa.DateTime(), nullable=True),
        sa.Column("editing_by", sa.String(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["callback_id"], ["callback.id"], name=op.f("fk_note_callback_id_callback")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incident.id"], name=op.f("fk_note_incident_id_incident")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_note_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note")),
    )
    op.create_index(op.f("ix_note_addressed_to"), "note", ["addressed_to"], unique=False)
    op.create_index(op.f("ix_note_callback_id"), "note", ["callback_id"], unique=False)
    op.create_index(op.f("ix_note_editing_by"), "note", ["editing_by"], unique=False)
    op.create_index(op.f("ix_note_incident_id"), "note", ["incident_id"], unique=False)
    op.create_index(op.f("ix_note_patient_id"), "note", ["patient_id"], unique=False)
    op.create_index(op.f("ix_note_status"), "note", ["status"], unique=False)
    op.create_table(
        "note_amendment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["note_id"], ["note.id"], name=op.f("fk_note_amendment_note_id_note")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note_amendment")),
    )
    op.create_index(op.f("ix_note_amendment_note_id"), "note_amendment", ["note_id"], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            """CREATE TRIGGER note_final_never_changes BEFORE UPDATE ON note
            WHEN OLD.status = 'final'
            BEGIN SELECT RAISE(ABORT, 'a final note never changes: add an amendment'); END"""
        )
        op.execute(
            """CREATE TRIGGER note_final_never_deleted BEFORE DELETE ON note
            WHEN OLD.status = 'final'
            BEGIN SELECT RAISE(ABORT, 'a final note is never deleted'); END"""
        )


def downgrade() -> None:
    raise NotImplementedError("callback-tui files only move forward; restore a backup instead")
