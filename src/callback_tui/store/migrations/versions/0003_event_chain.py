"""Make the audit trail tamper-evident: hash-chain every event, refuse UPDATE and DELETE,
and refuse a new event that comes without its link.

Existing events are chained in id order, as store/chain.py does for new ones.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from datetime import UTC
from types import SimpleNamespace

import sqlalchemy as sa
from alembic import op

from callback_tui.store import chain

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_BATCH = 2_000

_EVENT = sa.table(
    "event",
    sa.column("id", sa.Integer()),
    sa.column("at", sa.DateTime()),
    sa.column("actor", sa.String()),
    sa.column("action", sa.String()),
    sa.column("entity", sa.String()),
    sa.column("entity_id", sa.Integer()),
    sa.column("before", sa.JSON()),
    sa.column("after", sa.JSON()),
    sa.column("prev_hash", sa.String()),
    sa.column("hash", sa.String()),
)


def upgrade() -> None:
    with op.batch_alter_table("event") as batch:
        batch.add_column(sa.Column("prev_hash", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("hash", sa.String(64), nullable=False, server_default=""))

    bind = op.get_bind()
    previous = chain.GENESIS
    last_id = 0
    while True:
        rows = bind.execute(
            sa.select(_EVENT).where(_EVENT.c.id > last_id).order_by(_EVENT.c.id).limit(_BATCH)
        ).all()
        if not rows:
            break
        links = []
        for row in rows:
            event = SimpleNamespace(**row._asdict())
            event.at = event.at.replace(tzinfo=UTC)  # stored as naive UTC
            digest = chain.link(previous, chain.content(event))
            links.append({"row_id": row.id, "prev_hash": previous, "hash": digest})
            previous = digest
        bind.execute(
            _EVENT.update()
            .where(_EVENT.c.id == sa.bindparam("row_id"))
            .values(prev_hash=sa.bindparam("prev_hash"), hash=sa.bindparam("hash")),
            links,
        )
        last_id = rows[-1].id

    if bind.dialect.name == "sqlite":
        op.execute(
            """CREATE TRIGGER event_never_changes BEFORE UPDATE ON event
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"""
        )
        op.execute(
            """CREATE TRIGGER event_never_deleted BEFORE DELETE ON event
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"""
        )
        # A desk still running 0.1.0 on the upgraded file writes events without their link:
        # refuse them (the whole change rolls back) rather than break the chain.
        op.execute(
            """CREATE TRIGGER event_must_be_linked BEFORE INSERT ON event
            WHEN NEW.hash = '' OR NEW.prev_hash = ''
            BEGIN SELECT RAISE(ABORT, 'this file was upgraded: use the newer callback-tui'); END"""
        )


def downgrade() -> None:
    raise NotImplementedError("callback-tui files only move forward; restore a backup instead")
