"""Reads for the reports: the scorecard of a period (the clinic's, each person's, each pool's),
its weekly trend, and the daily and weekly reviews.

Everything is counted in SQL, grouped by person and pool in one pass per table over the
period's rows (the times the reports select by are indexed: see migration 0010); what is made
of the counts is domain/measures.py. The waits behind the time to first attempt come back as
counts of each length, for their median and 90th percentile. Portable SQL: no date
functions, no JSON, no dialect's own syntax. Calendar facts are worked out in Python and asked
as time ranges: a week of the trend, a call window on a given day (its wall-clock span, in UTC).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from callback_tui.domain import measures
from callback_tui.domain.hours import Calendar
from callback_tui.domain.measures import Tally
from callback_tui.domain.vocab import DRAFT_WAITS_TOO_LONG, Outcome, Source, Status, TaskKind
from callback_tui.store import sql
from callback_tui.store.engine import Database
from callback_tui.store.sql import Reads

CLINIC = "clinic"
"""The scope of the whole clinic, beside people's initials and pools' names."""

REFERRAL_SOURCES = (Source.REFERRAL_CLINIC.value, Source.REFERRAL_QUESTION.value)


def late(alias: str = "") -> str:
    """The SQL of "overdue" for an open callback (`alias` its table's, such as "c."): past
    its due day (:today), or a message past its response target (:now) with no call yet.
    The scorecard, the daily review and the hand-off all count it so."""
    return (
        f"({alias}due_date < :today OR ({alias}target_at IS NOT NULL"
        f" AND {alias}attempts = 0 AND {alias}target_at < :now))"
    )


@dataclass(frozen=True)
class Period:
    """Clinic days from `first` to `last`, both included."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("a period ends on or after the day it starts")

    @classmethod
    def days_to(cls, last: date, days: int) -> Period:
        """The `days` days up to and including `last` (1: that day alone)."""
        return cls(last - timedelta(days=days - 1), last)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def start(self, calendar: Calendar) -> datetime:
        return calendar.at(self.first, time(0, 0))

    def end(self, calendar: Calendar) -> datetime:
        return calendar.at(self.last + timedelta(days=1), time(0, 0))

    def before(self) -> Period:
        """The period of the same length just before this one (last week, for this week)."""
        return Period(self.first - timedelta(days=self.days), self.first - timedelta(days=1))

    def words(self) -> str:
        """One day as "Mon 30 Nov"; more as "Tue 24 Nov to Mon 30 Nov"."""
        if self.first == self.last:
            return f"{self.first:%a %d %b}"
        return f"{self.first:%a %d %b} to {self.last:%a %d %b}"


@dataclass(frozen=True)
class Scorecard:
    period: Period
    clinic: Tally
    people: Mapping[str, Tally]
    """By initials: what each person owns (callbacks) and did (calls, drafts, incidents)."""
    pools: Mapping[str, Tally]
    """By pool: its callbacks (waiting there, or claimed from it) and the calls made on them."""
    names: Mapping[str, str] = field(default_factory=dict)
    """Everyone's name by initials, for the screen."""

    def scope(self, who: str) -> Tally:
        """The clinic's tally, a pool's or a person's (empty for someone with nothing)."""
        if who == CLINIC:
            return self.clinic
        return self.pools.get(who) or self.people.get(who) or Tally()


class _Tallies:
    """Counts added up per scope as the grouped rows come in."""

    def __init__(self, pools: Collection[str]) -> None:
        self.pools = pools
        self.counts: dict[str, Counter[str]] = {}
        self.waits: dict[str, list[int]] = {}
        self.hours: dict[str, list[float]] = {}

    def add(self, owner: str | None, pool: str | None, **counts: int) -> None:
        for scope in self._scopes(owner, pool):
            counted = self.counts.get(scope)
            if counted is None:
                counted = self.counts[scope] = Counter()
            for name, count in counts.items():  # (Counter.update checks its argument's type)
                counted[name] += count

    def wait(self, owner: str | None, pool: str | None, minutes: int, times: int) -> None:
        """`times` first calls that each waited `minutes`."""
        for scope in self._scopes(owner, pool):
            self.waits.setdefault(scope, []).extend([minutes] * times)

    def close_hours(self, who: str | None, hours: float) -> None:
        for scope in self._scopes(who, None):
            self.hours.setdefault(scope, []).append(hours)

    def _scopes(self, owner: str | None, pool: str | None) -> list[str]:
        scopes = [CLINIC]
        if owner and owner not in self.pools:
            scopes.append(owner)
        home = pool or (owner if owner in self.pools else None)
        if home:
            scopes.append(home)
        return scopes

    def tally(self, scope: str) -> Tally:
        counts = self.counts.get(scope, Counter())
        return Tally(
            **{name: counts[name] for name in _COUNTED},
            waits=tuple(self.waits.get(scope, ())),
            close_hours=tuple(self.hours.get(scope, ())),
        )

    def scopes(self) -> set[str]:
        return set(self.counts) | set(self.waits) | set(self.hours)


_COUNTED = (
    "created", "completed", "on_time", "first_call", "unreached", "escalations", "overdue",
    "calls", "reached", "booked", "wrong_numbers", "dnc_overrides", "within_target",
    "old_drafts", "incidents_opened", "incidents_closed", "replies_posted",
)  # fmt: skip


def scorecard(
    database: Database,
    period: Period,
    calendar: Calendar,
    *,
    now: datetime,
    pools: Collection[str],
) -> Scorecard:
    """The period's counts for the clinic, each person and each pool, as of `now` (which
    "overdue" and "drafts over 24 h" are counted at)."""
    window = {"start": period.start(calendar), "end": period.end(calendar)}
    tallies = _Tallies(pools)
    with database.read() as reads:
        _callbacks(reads, tallies, window, now, calendar)
        _calls(reads, tallies, window)
        _drafts_and_incidents(reads, tallies, window, now)
        names: dict[str, str] = dict(reads.all("SELECT initials, name FROM staff"))
    scopes = tallies.scopes()
    return Scorecard(
        period=period,
        clinic=tallies.tally(CLINIC),
        people={s: tallies.tally(s) for s in sorted(scopes - {CLINIC} - set(pools))},
        pools={s: tallies.tally(s) for s in pools if s in scopes},
        names=names,
    )


def _callbacks(
    reads: Reads, tallies: _Tallies, window: dict[str, datetime], now: datetime, calendar: Calendar
) -> None:
    for owner, pool, count in reads.all(
        "SELECT owner, pool, COUNT(*) FROM callback"
        " WHERE created_at >= :start AND created_at < :end GROUP BY owner, pool",
        **window,
    ):
        tallies.add(owner, pool, created=count)
    for owner, pool, status, count, on_time, first_call, escalated in reads.all(
        "SELECT owner, pool, status, COUNT(*),"
        " SUM(CASE WHEN closed_at <= deadline_at THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN attempts = 1 THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN escalated THEN 1 ELSE 0 END)"
        " FROM callback WHERE closed_at >= :start AND closed_at < :end"
        " GROUP BY owner, pool, status",
        **window,
    ):
        if status == Status.COMPLETED:
            tallies.add(owner, pool, completed=count, on_time=on_time, first_call=first_call)
        elif status == Status.UNREACHED:
            tallies.add(owner, pool, unreached=count, escalations=escalated)
    for owner, pool, count in reads.all(
        f"SELECT owner, pool, COUNT(*) FROM callback WHERE status = 'open' AND {late()}"
        " GROUP BY owner, pool",
        today=calendar.local(now).date(),
        now=now,
    ):
        tallies.add(owner, pool, overdue=count)
    # The waits come back counted by their length: many first calls wait as long as others.
    for owner, pool, wait, times, within in reads.all(
        "SELECT owner, pool, wait_minutes, COUNT(*),"
        " SUM(CASE WHEN first_try_at <= deadline_at THEN 1 ELSE 0 END)"
        " FROM callback"
        " WHERE first_try_at >= :start AND first_try_at < :end AND wait_minutes IS NOT NULL"
        " GROUP BY owner, pool, wait_minutes",
        **window,
    ):
        tallies.wait(owner, pool, wait, times)
        tallies.add(owner, pool, within_target=within)


def _calls(reads: Reads, tallies: _Tallies, window: dict[str, datetime]) -> None:
    for by, pool, count, reached, booked, wrong, overrides in reads.all(
        "SELECT by, pool, COUNT(*),"
        " SUM(CASE WHEN outcome = :spoke THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN appointment_booked THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN outcome = :wrong THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN dnc_justification IS NOT NULL THEN 1 ELSE 0 END)"
        " FROM attempt"
        " WHERE at >= :start AND at < :end AND channel = 'phone'"
        " GROUP BY by, pool",
        spoke=Outcome.SPOKE.value,
        wrong=Outcome.WRONG_NUMBER.value,
        **window,
    ):
        tallies.add(
            by,
            pool,
            calls=count,
            reached=reached,
            booked=booked,
            wrong_numbers=wrong,
            dnc_overrides=overrides,
        )


def _drafts_and_incidents(
    reads: Reads, tallies: _Tallies, window: dict[str, datetime], now: datetime
) -> None:
    for who, count in reads.all(
        "SELECT COALESCE(addressed_to, author), COUNT(*) FROM note"
        " WHERE status = 'draft' AND created_at < :stale"
        " GROUP BY COALESCE(addressed_to, author)",
        stale=now - DRAFT_WAITS_TOO_LONG,
    ):
        tallies.add(who, None, old_drafts=count)
    for who, count in reads.all(
        "SELECT opened_by, COUNT(*) FROM incident"
        " WHERE created_at >= :start AND created_at < :end GROUP BY opened_by",
        **window,
    ):
        tallies.add(who, None, incidents_opened=count)
    for who, opened, closed in reads.all(
        "SELECT closed_by, created_at, closed_at FROM incident"
        " WHERE closed_at >= :start AND closed_at < :end",
        **window,
    ):
        tallies.add(who, None, incidents_closed=1)
        hours = (sql.utc(closed) - sql.utc(opened)).total_seconds() / 3600
        tallies.close_hours(who, hours)
    for who, count in reads.all(
        "SELECT office_manager, COUNT(*) FROM incident"
        " WHERE reply_posted_at >= :start AND reply_posted_at < :end GROUP BY office_manager",
        **window,
    ):
        tallies.add(who, None, replies_posted=count)


# -- the weekly trend -----------------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    """One week of the trend: its reach rate and its median time to first attempt."""

    period: Period
    calls: int
    reached: int
    waits: tuple[int, ...]

    @property
    def reach_rate(self) -> float | None:
        return measures.rate(self.reached, self.calls)

    @property
    def wait_median(self) -> float | None:
        return measures.median(self.waits)


def trend(
    database: Database,
    last: date,
    weeks: int,
    calendar: Calendar,
    *,
    who: str = CLINIC,
    pools: Collection[str] = (),
) -> list[Week]:
    """The `weeks` weeks (of seven days) up to and including `last`, oldest first, for the
    clinic, a person (`who` = initials: their calls, their callbacks' waits) or a pool."""
    if weeks < 1:
        raise ValueError("a trend has at least one week")
    periods = [Period.days_to(last - timedelta(days=7 * back), 7) for back in range(weeks)][::-1]
    edges = {f"w{index}": p.start(calendar) for index, p in enumerate(periods)}
    edges[f"w{weeks}"] = periods[-1].end(calendar)
    scope, scope_values = _trend_scope(who, pools)
    # The calls: one range read per week, each over its own stretch of the time index (a CASE
    # over every week's edges, row by row, took three times as long). Plain UNION ALL.
    calls_sql = " UNION ALL ".join(
        f"SELECT {i}, COUNT(*), SUM(CASE WHEN a.outcome = :spoke THEN 1 ELSE 0 END)"
        f" FROM attempt a WHERE a.at >= :w{i} AND a.at < :w{i + 1} AND a.channel = 'phone'"
        f"{scope.format(person='a.by', pool='a.pool')}"
        for i in range(weeks)
    )
    # The waits come back counted by their length, week by week. The clinic's and a pool's
    # are many: read week by week, as the calls. A person's are few and indexed by owner:
    # read once, and placed in their week by one CASE (per week, each read would go through
    # all of them again).
    if who == CLINIC or who in pools:
        waits_sql = " UNION ALL ".join(
            f"SELECT {i}, c.wait_minutes, COUNT(*) FROM callback c"
            f" WHERE c.first_try_at >= :w{i} AND c.first_try_at < :w{i + 1}"
            f" AND c.wait_minutes IS NOT NULL{scope.format(person='c.owner', pool='c.pool')}"
            " GROUP BY c.wait_minutes"
            for i in range(weeks)
        )
    else:
        week_of = (
            "CASE "
            + " ".join(f"WHEN c.first_try_at < :w{i + 1} THEN {i}" for i in range(weeks))
            + " END"
        )
        waits_sql = (
            f"SELECT {week_of}, c.wait_minutes, COUNT(*) FROM callback c"
            f" WHERE c.first_try_at >= :w0 AND c.first_try_at < :w{weeks}"
            f" AND c.wait_minutes IS NOT NULL{scope.format(person='c.owner', pool='c.pool')}"
            f" GROUP BY {week_of}, c.wait_minutes"
        )
    values = {**edges, **scope_values}
    with database.read() as reads:
        calls = reads.all(calls_sql, spoke=Outcome.SPOKE.value, **values)
        found = reads.all(waits_sql, **values)
    tried = {week: (count, reached or 0) for week, count, reached in calls}
    waits: dict[int, list[int]] = {}
    for week, wait, times in found:
        waits.setdefault(week, []).extend([wait] * times)
    return [
        Week(
            period=p,
            calls=tried.get(index, (0, 0))[0],
            reached=tried.get(index, (0, 0))[1],
            waits=tuple(waits.get(index, ())),
        )
        for index, p in enumerate(periods)
    ]


def _trend_scope(who: str, pools: Collection[str]) -> tuple[str, dict[str, str]]:
    """The WHERE clause that narrows the trend to a person or a pool ({person}, {pool}: the
    columns that say whose a row is, in that query)."""
    if who == CLINIC:
        return "", {}
    if who in pools:
        return " AND {pool} = :who", {"who": who}
    return " AND {person} = :who", {"who": who}


# -- the daily review -----------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewItem:
    """A callback the review points to."""

    callback_id: int
    patient: str
    client: str
    reason: str
    owner: str
    due_date: date
    target_at: datetime | None
    status: str
    escalation: str = ""
    """For an unreached clinical item: whether its escalation task is open or done."""


@dataclass(frozen=True)
class DraftItem:
    note_id: int
    patient: str
    author: str
    addressed_to: str | None
    created_at: datetime


@dataclass(frozen=True)
class Pattern:
    """Where the week's misses gather: a reason or a call window, and its misses of its calls."""

    name: str
    misses: int
    calls: int


@dataclass(frozen=True)
class DailyReview:
    day: date
    past_target: list[ReviewItem]
    referral: list[ReviewItem]
    unreached: list[ReviewItem]
    old_drafts: list[DraftItem]
    wrong_numbers: list[ReviewItem]
    miss_reasons: list[Pattern]
    miss_windows: list[Pattern]


_ITEM = """
SELECT c.id, p.name, cl.name, c.reason, c.owner, c.due_date, c.target_at, c.status
FROM callback c JOIN patient p ON p.id = c.patient_id JOIN client cl ON cl.id = c.client_id
"""

_MISSES = (Outcome.NO_ANSWER.value, Outcome.BUSY.value)
OUTSIDE_WINDOWS = "outside the call windows"
"""Where calls made outside every call window are counted."""


def daily_review(
    database: Database,
    now: datetime,
    calendar: Calendar,
    *,
    referral_reasons: Collection[str] = (),
) -> DailyReview:
    """What the day's review goes through: open items past their due day or target, open
    referral items, clinical items closed unreached in the last seven days with their
    escalation's state, drafts waiting over 24 hours, wrong numbers not yet verified, and the
    reasons and call windows with the most missed calls this week (the seven days to today)."""
    today = calendar.local(now).date()
    week = Period.days_to(today, 7)
    start = week.start(calendar)
    with database.read() as reads:
        past = reads.all(
            f"{_ITEM} WHERE c.status = 'open' AND {late('c.')} ORDER BY c.due_date, c.id",
            today=today,
            now=now,
        )
        referral = reads.all(
            f"{_ITEM} WHERE c.status = 'open'"
            " AND (c.source IN (:sources) OR c.reason IN (:reasons)) ORDER BY c.due_date, c.id",
            sources=REFERRAL_SOURCES,
            reasons=tuple(referral_reasons),
        )
        # Picked among the week's closed callbacks (by the index on closed_at) with a CASE:
        # asked for by status, SQLite would go through every unreached callback ever.
        unreached = reads.all(
            f"{_ITEM} WHERE c.closed_at >= :start"
            " AND CASE WHEN c.status = 'unreached' AND c.escalated THEN 1 ELSE 0 END = 1"
            " ORDER BY c.closed_at DESC, c.id",
            start=start,
        )
        escalations: dict[str, str] = dict(
            reads.all(
                "SELECT about, status FROM task WHERE about IN (:abouts) AND kind IS NULL",
                abouts=[f"callback:{row[0]}" for row in unreached],
            )
        )
        drafts = reads.all(
            "SELECT n.id, COALESCE(p.name, ''), n.author, n.addressed_to, n.created_at"
            " FROM note n LEFT JOIN patient p ON p.id = n.patient_id"
            " WHERE n.status = 'draft' AND n.created_at < :stale ORDER BY n.created_at, n.id",
            stale=now - DRAFT_WAITS_TOO_LONG,
        )
        wrong = reads.all(
            f"{_ITEM} WHERE c.id IN (SELECT CAST(SUBSTR(t.about, 10) AS INTEGER) FROM task t"
            " WHERE t.kind = :verify AND t.status = 'open' AND t.about LIKE 'callback:%')"
            " ORDER BY c.id",
            verify=TaskKind.VERIFY_NUMBER.value,
        )
        reasons = reads.all(
            "SELECT c.reason, COUNT(*), SUM(CASE WHEN a.outcome IN (:misses) THEN 1 ELSE 0 END)"
            " FROM attempt a JOIN callback c ON c.id = a.callback_id"
            " WHERE a.at >= :start AND a.at < :end AND a.channel = 'phone' GROUP BY c.reason",
            start=start,
            end=week.end(calendar),
            misses=_MISSES,
        )
        windows = _window_counts(reads, calendar, week)
    by_reason = Counter({reason: calls for reason, calls, _ in reasons})
    missed_reason = Counter({reason: missed or 0 for reason, _, missed in reasons})
    by_window = Counter({name: calls for name, (calls, _, _) in windows.items()})
    missed_window = Counter({name: missed for name, (_, _, missed) in windows.items()})
    return DailyReview(
        day=today,
        past_target=[_item(row) for row in past],
        referral=[_item(row) for row in referral],
        unreached=[
            _item(row, escalations.get(f"callback:{row[0]}", "no task found")) for row in unreached
        ],
        old_drafts=[DraftItem(row[0], row[1], row[2], row[3], sql.utc(row[4])) for row in drafts],
        wrong_numbers=[_item(row) for row in wrong],
        miss_reasons=_patterns(missed_reason, by_reason),
        miss_windows=_patterns(missed_window, by_window),
    )


def _item(row: sql.Row, escalation: str = "") -> ReviewItem:
    return ReviewItem(
        callback_id=row[0],
        patient=row[1],
        client=row[2],
        reason=row[3],
        owner=row[4],
        due_date=sql.day(row[5]),
        target_at=sql.utc_or_none(row[6]),
        status=row[7],
        escalation=escalation,
    )


def _patterns(misses: Mapping[str, int], calls: Mapping[str, int], top: int = 3) -> list[Pattern]:
    """The names with the most misses (ties: the more calls, then by name), at most `top`."""
    ranked = sorted(misses, key=lambda name: (-misses[name], -calls[name], name))
    return [Pattern(name, misses[name], calls[name]) for name in ranked[:top] if misses[name]]


# -- the weekly review ----------------------------------------------------------------------


@dataclass(frozen=True)
class WeekFigures:
    """One week's booking and reach, reach by call window, and what blocked calls."""

    period: Period
    calls: int
    reached: int
    booked: int
    windows: Mapping[str, tuple[int, int]]
    """Reached and calls, by call window (in the clinic's order)."""
    wrong_numbers: int
    dnc_overrides: int
    unreached: int

    @property
    def reach_rate(self) -> float | None:
        return measures.rate(self.reached, self.calls)

    @property
    def booking_rate(self) -> float | None:
        return measures.rate(self.booked, self.reached)


@dataclass(frozen=True)
class WeeklyReview:
    this_week: WeekFigures
    last_week: WeekFigures


def weekly_review(database: Database, today: date, calendar: Calendar) -> WeeklyReview:
    """The seven days to `today` against the seven before."""
    this_week = Period.days_to(today, 7)
    return WeeklyReview(
        this_week=_week_figures(database, this_week, calendar),
        last_week=_week_figures(database, this_week.before(), calendar),
    )


def _week_figures(database: Database, period: Period, calendar: Calendar) -> WeekFigures:
    window = {"start": period.start(calendar), "end": period.end(calendar)}
    with database.read() as reads:
        totals = reads.first(
            "SELECT COUNT(*),"
            " SUM(CASE WHEN outcome = :spoke THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN appointment_booked THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN outcome = :wrong THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN dnc_justification IS NOT NULL THEN 1 ELSE 0 END)"
            " FROM attempt WHERE at >= :start AND at < :end AND channel = 'phone'",
            spoke=Outcome.SPOKE.value,
            wrong=Outcome.WRONG_NUMBER.value,
            **window,
        )
        # Counted among all callbacks closed in the week (by the index on closed_at): asked
        # for by status, SQLite would go through every unreached callback ever, by status.
        unreached = reads.value(
            "SELECT SUM(CASE WHEN status = 'unreached' THEN 1 ELSE 0 END) FROM callback"
            " WHERE closed_at >= :start AND closed_at < :end",
            **window,
        )
        by_window = _window_counts(reads, calendar, period)
    calls, reached, booked, wrong, overrides = (int(value or 0) for value in totals or ())
    return WeekFigures(
        period=period,
        calls=calls,
        reached=reached,
        booked=booked,
        windows={name: (spoke, tried) for name, (tried, spoke, _) in by_window.items()},
        wrong_numbers=wrong,
        dnc_overrides=overrides,
        unreached=int(unreached or 0),
    )


def _window_counts(
    reads: Reads, calendar: Calendar, period: Period
) -> dict[str, tuple[int, int, int]]:
    """The period's phone calls by call window: calls, reached, missed; in the clinic's order
    of windows, then those made outside any, when there are.

    Counted in SQL, one range of the time index per window and day: a call window is a
    wall-clock span of each local day, so each day's is a range of UTC times."""
    ranges = _window_ranges(calendar, period)
    values: dict[str, object] = {"start": period.start(calendar), "end": period.end(calendar)}
    counts = ["COUNT(*)", "SUM(CASE WHEN outcome = :spoke THEN 1 ELSE 0 END)",
              "SUM(CASE WHEN outcome IN (:misses) THEN 1 ELSE 0 END)"]  # fmt: skip
    parts = [f"SELECT -1, {', '.join(counts)} FROM attempt"
             " WHERE at >= :start AND at < :end AND channel = 'phone'"]  # fmt: skip
    for index, (_, first, until) in enumerate(ranges):
        values[f"from{index}"], values[f"until{index}"] = first, until
        parts.append(
            f"SELECT {index}, {', '.join(counts)} FROM attempt"
            f" WHERE at >= :from{index} AND at < :until{index} AND channel = 'phone'"
        )
    found: dict[str, list[int]] = {w.name: [0, 0, 0] for w in calendar.windows}
    outside = [0, 0, 0]
    for index, *counted in reads.all(
        " UNION ALL ".join(parts), spoke=Outcome.SPOKE.value, misses=_MISSES, **values
    ):
        numbers = [int(value or 0) for value in counted]
        if index < 0:  # all the calls: those outside the windows are what is left
            outside = [a + b for a, b in zip(outside, numbers, strict=True)]
            continue
        tally = found[ranges[index][0]]
        for place, number in enumerate(numbers):
            tally[place] += number
            outside[place] -= number
    found[OUTSIDE_WINDOWS] = outside
    return {name: (c, r, m) for name, (c, r, m) in found.items() if c}


def _window_ranges(calendar: Calendar, period: Period) -> list[tuple[str, datetime, datetime]]:
    """Each day's call windows in `period`, as UTC ranges (name, from, until). Where windows
    overlap, the time belongs to the one listed first, as `Calendar.window_of` has it."""
    spans: list[tuple[str, time, time]] = []
    taken: list[tuple[time, time]] = []
    for window in calendar.windows:
        pieces = [(window.span.start, window.span.end)]
        for first, last in taken:
            pieces = [
                piece
                for start, end in pieces
                for piece in ((start, min(end, first)), (max(start, last), end))
                if piece[0] < piece[1]
            ]
        spans.extend((window.name, start, end) for start, end in pieces)
        taken.append((window.span.start, window.span.end))
    days = [period.first + timedelta(days=offset) for offset in range(period.days)]
    return [
        (name, calendar.at(day, start), calendar.at(day, end))
        for day in days
        for name, start, end in spans
    ]
