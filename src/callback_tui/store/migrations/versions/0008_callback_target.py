"""A message's callback keeps its response target: the queue counts time left and lateness
against it (a visit's callbacks have none).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("callback") as batch:
        batch.add_column(sa.Column("target_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("callback-tui files only move forward; restore a backup instead")
