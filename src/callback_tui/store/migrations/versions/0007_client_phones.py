"""A client's several phones, the reason for a do-not-call, and what a task takes to be done.

Every client's one number becomes its best phone (labelled "other": nobody said which kind
it is). The search index already holds its digits (0005). Tasks that ask to verify a wrong
number, as the call log made them, are marked as such so they can be done by correcting it.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "client_phone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(), nullable=False),
        sa.Column("digits", sa.String(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("best", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_client_phone_client_id_client")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_phone")),
    )
    op.create_index("ix_client_phone_client", "client_phone", ["client_id", "number"], unique=True)
    op.create_index("ix_client_phone_number", "client_phone", ["number"])
    op.execute(
        "INSERT INTO client_phone (client_id, number, digits, label, best)"
        " SELECT id, phone, phone_digits, 'other', TRUE FROM client ORDER BY id"
    )

    with op.batch_alter_table("client") as batch:
        batch.add_column(sa.Column("do_not_call_reason", sa.String(), nullable=True))

    with op.batch_alter_table("task") as batch:
        batch.add_column(sa.Column("kind", sa.String(), nullable=True))
    op.execute(
        "UPDATE task SET kind = 'verify_number'"
        " WHERE about LIKE 'callback:%' AND title LIKE 'Verify the phone number of %'"
    )


def downgrade() -> None:
    raise NotImplementedError("callback-tui files only move forward; restore a backup instead")
