"""Index the callbacks each person closed, by when: the queue's "done today" count reads a
day of one person's work, not all of it (on ten years of data, 14 ms became under 1).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_callback_owner_closed", "callback", ["owner", "closed_at"])


def downgrade() -> None:
    raise NotImplementedError("callback-tui files only move forward; restore a backup instead")
