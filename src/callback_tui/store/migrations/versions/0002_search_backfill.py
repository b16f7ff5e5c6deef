"""Index for search every patient that has no search words yet.

Files from before the search index existed had their patients indexed at every open; this
does it once. A patient's words: each word of its name and its client's name, and the
client's national phone digits.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from callback_tui.domain.text import terms

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    missing = bind.execute(
        sa.text(
            "SELECT patient.id, patient.name, client.name, client.phone_digits"
            " FROM patient JOIN client ON client.id = patient.client_id"
            " WHERE NOT EXISTS"
            " (SELECT 1 FROM search_term WHERE search_term.patient_id = patient.id)"
        )
    ).all()
    rows = [
        {"term": term, "patient_id": patient_id}
        for patient_id, patient, client, digits in missing
        for term in sorted(terms(client) | terms(patient) | {digits})
    ]
    if rows:
        bind.execute(
            sa.text("INSERT INTO search_term (term, patient_id) VALUES (:term, :patient_id)"),
            rows,
        )


def downgrade() -> None:
    raise NotImplementedError("callback-tui files only move forward; restore a backup instead")
