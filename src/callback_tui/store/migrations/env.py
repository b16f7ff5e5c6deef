"""Alembic's environment: migrations run on the connection store/migrate.py hands over.

That connection is already inside the write transaction (BEGIN IMMEDIATE, foreign keys off),
so the whole upgrade commits or rolls back as one.
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from callback_tui.store import tables  # noqa: F401  (registers the tables)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,  # SQLite alters most things by rebuilding the table
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
