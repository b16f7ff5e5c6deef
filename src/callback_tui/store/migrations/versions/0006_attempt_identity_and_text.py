"""Each attempt keeps which identifiers the caller confirmed (their keys, never their values)
and whether the approved follow-up text was sent.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attempt") as batch:
        batch.add_column(sa.Column("identifiers", sa.String(), nullable=True))
        batch.add_column(
            sa.Column("text_sent", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    raise NotImplementedError("callback-tui files only move forward; restore a backup instead")
