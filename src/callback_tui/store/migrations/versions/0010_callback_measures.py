"""Callbacks keep what the reports count: the pool they came from, their deadline, when they
were first called and how long that took in open time, and whether they were escalated; each
call keeps its callback's pool; the times the reports select by are indexed.

The facts are worked out for every callback already in the file, from the same rules the
desk now applies when a callback is made or first called (domain/measures.py), on the
clinic's calendar (its zone and opening hours, handed over by the command that opens the
file; the default settings' when none is). A callback that was retried may have had its due
day moved by the ladder: its first due day is taken as the earlier of its due day and the day
of its first call.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import context, op

from callback_tui.domain import measures
from callback_tui.domain.hours import Calendar
from callback_tui.store.tables import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

BATCH = 5_000

callback = sa.table(
    "callback",
    sa.column("id", sa.Integer()),
    sa.column("owner", sa.String()),
    sa.column("created_at", UTCDateTime()),
    sa.column("base_at", UTCDateTime()),
    sa.column("due_date", sa.Date()),
    sa.column("target_at", UTCDateTime()),
    sa.column("pool", sa.String()),
    sa.column("deadline_at", UTCDateTime()),
    sa.column("first_try_at", UTCDateTime()),
    sa.column("wait_minutes", sa.Integer()),
    sa.column("escalated", sa.Boolean()),
)
attempt = sa.table(
    "attempt", sa.column("callback_id", sa.Integer()), sa.column("at", UTCDateTime())
)
event = sa.table(
    "event",
    sa.column("id", sa.Integer()),
    sa.column("action", sa.String()),
    sa.column("entity_id", sa.Integer()),
    sa.column("before", sa.JSON()),
)
task = sa.table("task", sa.column("about", sa.String()), sa.column("title", sa.String()))
staff = sa.table("staff", sa.column("initials", sa.String()))


def upgrade() -> None:
    with op.batch_alter_table("callback") as batch:
        batch.add_column(sa.Column("pool", sa.String(), nullable=True))
        batch.add_column(sa.Column("deadline_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("first_try_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("wait_minutes", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("escalated", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # Each index holds every column its report reads (store/reports.py).
    op.create_index("ix_callback_created", "callback", ["created_at", "owner", "pool"])
    op.create_index(
        "ix_callback_closed",
        "callback",
        ["closed_at", "status", "owner", "pool", "attempts", "escalated", "deadline_at"],
    )
    op.create_index(
        "ix_callback_first_try",
        "callback",
        ["first_try_at", "owner", "pool", "wait_minutes", "deadline_at"],
    )
    with op.batch_alter_table("attempt") as batch:
        batch.add_column(sa.Column("pool", sa.String(), nullable=True))
    op.create_index(
        "ix_attempt_at",
        "attempt",
        [
            "at",
            "channel",
            "by",
            "outcome",
            "appointment_booked",
            "pool",
            "callback_id",
            "dnc_justification",
        ],
    )
    _backfill(_calendar())
    # Each call, the pool of its callback (worked out just above).
    op.execute(
        "UPDATE attempt SET pool = (SELECT callback.pool FROM callback"
        " WHERE callback.id = attempt.callback_id)"
    )


def _calendar() -> Calendar:
    given: Callable[[], Calendar] | None = context.config.attributes.get("calendar")
    if given is not None:
        return given()
    from callback_tui.config import Settings

    return Settings().calendar()


def _backfill(calendar: Calendar) -> None:
    bind = op.get_bind()
    people = set(bind.execute(sa.select(staff.c.initials)).scalars())
    claimed: dict[int, str] = {}
    for callback_id, before in bind.execute(
        sa.select(event.c.entity_id, event.c.before)
        .where(event.c.action == "callback.claimed")
        .order_by(event.c.id)
    ):
        if isinstance(before, dict) and before.get("owner"):
            claimed.setdefault(callback_id, str(before["owner"]))
    escalated = {
        int(about.split(":", 1)[1])
        for (about,) in bind.execute(
            sa.select(task.c.about).where(
                task.c.about.like("callback:%"), task.c.title.like("Unreached after%")
            )
        )
        if about.split(":", 1)[1].isdigit()
    }
    first_try = (
        sa.select(sa.func.min(attempt.c.at))
        .where(attempt.c.callback_id == callback.c.id)
        .scalar_subquery()
    )
    page = (
        sa.select(
            callback.c.id,
            callback.c.owner,
            callback.c.created_at,
            callback.c.base_at,
            callback.c.due_date,
            callback.c.target_at,
            first_try.label("first_try"),
        )
        .where(callback.c.id > sa.bindparam("after"))
        .order_by(callback.c.id)
        .limit(BATCH)
    )
    change = (
        sa.update(callback)
        .where(callback.c.id == sa.bindparam("row_id"))
        .values(
            pool=sa.bindparam("new_pool"),
            deadline_at=sa.bindparam("new_deadline", type_=UTCDateTime()),
            first_try_at=sa.bindparam("new_first_try", type_=UTCDateTime()),
            wait_minutes=sa.bindparam("new_wait"),
            escalated=sa.bindparam("new_escalated"),
        )
    )
    facts = _Facts(people, claimed, escalated, calendar)
    after = 0
    while rows := bind.execute(page, {"after": after}).all():  # a batch at a time, by id
        bind.execute(change, [facts.of(row) for row in rows])
        after = rows[-1][0]


class _Facts:
    """What the reports count of each callback on file, worked out from its row."""

    def __init__(
        self, people: set[str], claimed: dict[int, str], escalated: set[int], calendar: Calendar
    ) -> None:
        self.people, self.claimed, self.escalated = people, claimed, escalated
        self.calendar = calendar
        self.open_time = measures.OpenTime(calendar)

    def of(self, row: Any) -> dict[str, Any]:
        row_id, owner, created_at, base_at, due_date, target_at, first_try = row
        calendar = self.calendar
        first_try = _aware(first_try)
        first_due: date = due_date
        if first_try is not None and target_at is None:
            first_due = min(due_date, calendar.local(first_try).date())
        wait = None
        if first_try is not None:
            ready = measures.ready_at(created_at, base_at, first_due, target_at, calendar)
            wait = measures.wait_minutes(ready, first_try, calendar, self.open_time)
        return {
            "row_id": row_id,
            "new_pool": self.claimed.get(row_id, owner if owner not in self.people else None),
            "new_deadline": measures.deadline(first_due, target_at, calendar),
            "new_first_try": first_try,
            "new_wait": wait,
            "new_escalated": row_id in self.escalated,
        }


def _aware(value: Any) -> datetime | None:
    """The first call's time as an aware UTC datetime, however the driver returns it."""
    if value is None:
        return None
    found = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return found if found.tzinfo is not None else found.replace(tzinfo=UTC)


def downgrade() -> None:
    raise NotImplementedError("callback-tui files only move forward; restore a backup instead")
