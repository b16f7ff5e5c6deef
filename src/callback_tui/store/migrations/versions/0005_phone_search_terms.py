"""Find patients by the runs of their phone's digits people type, not only its start.

Search used to know a phone by its national number alone, so "5550106" (the last seven
digits), "0106" (the last four) or "13125550106" (with the country code) found nothing. New
patients get those terms from the service layer (store/search.py, `terms_of`); this adds
them to every patient already on file. Rows only: the table and its indexes stay as they are.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BATCH = 5_000


def _phone_terms(e164: str, national: str) -> set[str]:
    """The phone's terms as this revision defines them (kept here: a migration must not
    change with the code after it)."""
    found = {national, national[-7:], national[-4:], e164.lstrip("+")}
    return {digits for digits in found if digits}


def upgrade() -> None:
    bind = op.get_bind()
    patients = bind.execute(
        sa.text(
            "SELECT patient.id, client.phone, client.phone_digits"
            " FROM patient JOIN client ON client.id = patient.client_id ORDER BY patient.id"
        )
    ).all()
    add = sa.text(
        "INSERT INTO search_term (term, patient_id)"
        " SELECT CAST(:term AS VARCHAR), CAST(:patient_id AS INTEGER)"
        " WHERE NOT EXISTS (SELECT 1 FROM search_term"
        " WHERE term = :term AND patient_id = :patient_id)"
    )
    rows = [
        {"term": term, "patient_id": patient_id}
        for patient_id, phone, national in patients
        for term in sorted(_phone_terms(phone, national) - {national})
    ]
    for start in range(0, len(rows), BATCH):
        bind.execute(add, rows[start : start + BATCH])


def downgrade() -> None:
    raise NotImplementedError("callback-tui files only move forward; restore a backup instead")
