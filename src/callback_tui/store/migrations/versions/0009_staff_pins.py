"""Staff sign in with a PIN: its Argon2id hash (none until chosen), the wrong PINs in a row,
and until when a person is locked out after too many.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff") as batch:
        batch.add_column(sa.Column("pin_hash", sa.String(), nullable=True))
        batch.add_column(sa.Column("failed_pins", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("locked_until", sa.DateTime(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("callback-tui files only move forward; restore a backup instead")
