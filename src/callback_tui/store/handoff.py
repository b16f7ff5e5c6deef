"""The shift hand-off: per person and per pool, what is open, late, unreached, unsigned and
waiting, and how many of a person's callbacks a release would put back into the pools.

One query per table (callbacks, notes, tasks, staff), each grouped by whose the rows are:
never a query per person.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from callback_tui.domain.handoff import destination, why_kept
from callback_tui.domain.hours import Calendar
from callback_tui.domain.vocab import NoteStatus, Role, Status, pools_for
from callback_tui.store.engine import Database
from callback_tui.store.reports import late
from callback_tui.store.sql import Reads


@dataclass(frozen=True)
class HandoffLine:
    """One person's or one pool's share of the work at the end of a shift."""

    who: str
    """Initials, or the pool's pseudo-initials."""
    name: str
    """The person's name (blank for initials not on the staff); the pool's words: "TA pool"."""
    is_pool: bool
    open: int
    """Open callbacks they own."""
    overdue: int
    """Open and due before today, or a message past its response target with no call yet."""
    unreached_today: int
    """Closed as unreached today (the clinic's day)."""
    drafts: int
    """Unsigned drafts they wrote, and (a doctor's) those addressed to them."""
    tasks: int
    """Open tasks assigned to them by name (a pool has none)."""
    releasable: int
    """Unworked callbacks (domain/handoff.py) a release would put back into a pool."""
    to_pools: tuple[tuple[str, int], ...] = ()
    """Where those would go: (pool, how many), the most first."""
    kept: int = 0
    """Unworked callbacks with no pool to go to: a release leaves them with the person."""
    kept_why: str = ""
    role: Role | None = None
    """The person's role (None for a pool, or initials not on the staff)."""
    active: bool = True
    """False for a deactivated person (whose callbacks may still wait)."""


@dataclass(frozen=True)
class Handoff:
    day: date
    lines: tuple[HandoffLine, ...]
    """People by initials, then the pools in the profile's order."""

    def line(self, who: str) -> HandoffLine | None:
        return next((line for line in self.lines if line.who == who), None)


@dataclass
class _Tally:
    open: int = 0
    overdue: int = 0
    unreached_today: int = 0
    drafts: int = 0
    tasks: int = 0
    unworked: Counter[str | None] | None = None
    """Unworked callbacks by the pool they came from (None: none)."""

    def any(self) -> bool:
        return bool(self.open or self.overdue or self.unreached_today or self.drafts or self.tasks)


_CALLBACKS = f"""
SELECT cb.owner, cb.pool,
       SUM(CASE WHEN cb.status = :open THEN 1 ELSE 0 END),
       SUM(CASE WHEN cb.status = :open AND {late("cb.")} THEN 1 ELSE 0 END),
       SUM(CASE WHEN cb.status = :unreached AND cb.closed_at >= :start
                AND cb.closed_at < :end THEN 1 ELSE 0 END),
       SUM(CASE WHEN cb.status = :open AND cb.due_date <= :day AND NOT EXISTS (
                SELECT 1 FROM attempt a WHERE a.callback_id = cb.id
                AND a.at >= :start AND a.at < :end) THEN 1 ELSE 0 END)
FROM callback cb
WHERE (cb.status = :open
       OR (cb.status = :unreached AND cb.closed_at >= :start AND cb.closed_at < :end))
"""
"""Each owner's callbacks, by the pool they came from: open, overdue, unreached today, and
unworked (open, due today or earlier, no call logged today)."""


def handoff(
    database: Database,
    *,
    now: datetime,
    calendar: Calendar,
    pools: Mapping[str, frozenset[Role]],
    initials: str | None = None,
) -> Handoff:
    """The hand-off as it stands at `now`: a line per person who has anything open, unreached
    today, unsigned or waiting, then one per pool of the clinic (`pools`: the profile's).

    With `initials`: only that person's line (even when it is all zeros) and the pools their
    role works.
    """
    day = calendar.local(now).date()
    start = calendar.at(day, time())
    end = calendar.at(day + timedelta(days=1), time())
    wanted = initials.upper() if initials is not None else None
    with database.read() as reads:
        staff = _staff(reads)
        role = staff[wanted][1] if wanted is not None and wanted in staff else None
        worked = tuple(pools_for(role, pools)) if role is not None else ()
        owners = (wanted, *worked) if wanted is not None else None
        tallies: dict[str, _Tally] = {}

        def tally(who: str) -> _Tally:
            return tallies.setdefault(who, _Tally())

        only = " AND cb.owner IN (:owners)" if owners is not None else ""
        for owner, pool, open_, overdue, unreached, unworked in reads.all(
            f"{_CALLBACKS}{only} GROUP BY cb.owner, cb.pool",
            open=Status.OPEN.value,
            unreached=Status.UNREACHED.value,
            day=day,
            today=day,
            now=now,
            start=start,
            end=end,
            owners=owners or (),
        ):
            line = tally(owner)
            line.open += int(open_ or 0)
            line.overdue += int(overdue or 0)
            line.unreached_today += int(unreached or 0)
            if unworked:
                line.unworked = line.unworked or Counter()
                line.unworked[pool] += int(unworked)

        mine = " AND (author = :initials OR addressed_to = :initials)" if wanted else ""
        for author, addressed_to, count in reads.all(
            f"SELECT author, addressed_to, COUNT(*) FROM note WHERE status = :draft{mine}"
            " GROUP BY author, addressed_to",
            draft=NoteStatus.DRAFT.value,
            initials=wanted,
        ):
            tally(author).drafts += int(count)
            if addressed_to is not None and addressed_to != author:
                tally(addressed_to).drafts += int(count)  # waits for that doctor

        theirs = " AND assignee = :initials" if wanted else ""
        for assignee, count in reads.all(
            "SELECT assignee, COUNT(*) FROM task WHERE status = :open"
            f" AND assignee IS NOT NULL{theirs} GROUP BY assignee",
            open="open",
            initials=wanted,
        ):
            tally(assignee).tasks += int(count)

    people = sorted(who for who, t in tallies.items() if who not in pools and t.any())
    if wanted is not None:
        people = [wanted]
    lines = [_person(who, tallies.get(who, _Tally()), staff, pools) for who in people]
    for pool in worked if wanted is not None else tuple(pools):
        found = tallies.get(pool, _Tally())
        lines.append(
            HandoffLine(
                who=pool,
                name=f"{pool} pool",
                is_pool=True,
                open=found.open,
                overdue=found.overdue,
                unreached_today=found.unreached_today,
                drafts=0,
                tasks=0,
                releasable=0,
            )
        )
    return Handoff(day=day, lines=tuple(lines))


def _staff(reads: Reads) -> dict[str, tuple[str, Role | None, bool]]:
    """Everyone on the staff, deactivated people too: (name, role, active) by initials."""
    return {
        initials: (name, Role(role), bool(active))
        for initials, name, role, active in reads.all(
            "SELECT initials, name, role, active FROM staff"
        )
    }


def _person(
    who: str,
    found: _Tally,
    staff: Mapping[str, tuple[str, Role | None, bool]],
    pools: Mapping[str, frozenset[Role]],
) -> HandoffLine:
    name, role, active = staff.get(who, ("", None, True))
    works = pools_for(role, pools) if role is not None else []
    to_pools: Counter[str] = Counter()
    kept = 0
    for pool, count in (found.unworked or Counter()).items():
        goes = destination(pool, works, pools)
        if goes is None:
            kept += count
        else:
            to_pools[goes] += count
    return HandoffLine(
        who=who,
        name=name,
        is_pool=False,
        open=found.open,
        overdue=found.overdue,
        unreached_today=found.unreached_today,
        drafts=found.drafts,
        tasks=found.tasks,
        releasable=sum(to_pools.values()),
        to_pools=tuple(sorted(to_pools.items(), key=lambda item: (-item[1], item[0]))),
        kept=kept,
        kept_why=why_kept(role) if kept else "",
        role=role,
        active=active,
    )
