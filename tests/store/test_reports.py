"""The reports' reads against hand-built days: every count worked out by hand from the calls."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from callback_tui.clock import FixedClock
from callback_tui.domain.vocab import Outcome
from callback_tui.store import queries, reports
from callback_tui.store.reports import CLINIC, Period
from callback_tui.store.services import CallOutcome, FrontDesk
from tests.conftest import add_visit, local, set_client
from tests.store.test_messages import take

TUESDAY = date(2026, 11, 24)


def call(desk: FrontDesk, who: str, callback_id: int, outcome: Outcome, **extra: Any) -> None:
    row = queries.callback_row(desk.database, callback_id)
    assert row is not None
    if row.owner in desk.clinic.pools:
        desk.callbacks.claim(who, callback_id, row.version)
        row = queries.callback_row(desk.database, callback_id)
        assert row is not None
    desk.callbacks.log_outcome(who, callback_id, row.version, CallOutcome(outcome, **extra))


def unreached(desk: FrontDesk, clock: FixedClock) -> int:
    """AB's vomiting check, missed in three windows on Tuesday: closed as unreached."""
    vomiting = add_visit(desk, occurred_at="2026-11-23 10:00", assisted_by="AB")[0]
    assert vomiting.id is not None
    for when in ("2026-11-24 09:10", "2026-11-24 13:10", "2026-11-24 17:10"):
        clock.instant = local(when)
        call(desk, "AB", vomiting.id, Outcome.NO_ANSWER)
    return vomiting.id


@pytest.fixture
def tuesday(desk: FrontDesk, clock: FixedClock) -> dict[str, int]:
    """Tuesday 24 November, made at 09:00 and worked until 12:30:

    - AB's vomiting check (due today) — spoken to at 09:30, appointment booked;
    - a surgery: SA's first post-op call (due today) — CD claims it, wrong number at 10:30;
      SA's day-3 call (due Friday) is not touched;
    - CD's diarrhea check from last Friday (due Saturday) — overdue;
    - a voicemail about a pet at 08:50 (TA pool, 4-hour target: 12:50) — TR claims it, no
      answer at 10:00, spoken to at 12:30.
    """
    vomiting = add_visit(desk, occurred_at="2026-11-23 10:00", assisted_by="AB")[0]
    surgery = add_visit(
        desk, occurred_at="2026-11-23 10:00", reason="surgery", client="Sam Okafor",
        phone="(312) 555-0177", patient="Pepper", assisted_by="CD",
    )  # fmt: skip
    late = add_visit(
        desk, occurred_at="2026-11-20 10:00", reason="diarrhea", client="Ana Ruiz",
        phone="(312) 555-0166", patient="Kiwi", assisted_by="CD",
    )[0]  # fmt: skip
    voicemail = take(
        desk, received_at="08:50", request_type="pet_concern", name="Rosa Patel",
        phone="(312) 555-0188", message="Milo is limping",
    )  # fmt: skip
    first_post_op = next(c for c in surgery if c.kind == "post_op_first")
    ids = {
        "vomiting": vomiting.id,
        "post_op": first_post_op.id,
        "late": late.id,
        "voicemail": voicemail.id,
    }
    assert all(isinstance(v, int) for v in ids.values())
    clock.instant = local("2026-11-24 09:30")
    call(desk, "AB", vomiting.id, Outcome.SPOKE, appointment_booked=True)  # type: ignore[arg-type]
    clock.instant = local("2026-11-24 10:00")
    call(desk, "TR", voicemail.id, Outcome.NO_ANSWER)  # type: ignore[arg-type]
    clock.instant = local("2026-11-24 10:30")
    call(desk, "CD", first_post_op.id, Outcome.WRONG_NUMBER)  # type: ignore[arg-type]
    clock.instant = local("2026-11-24 12:30")
    call(desk, "TR", voicemail.id, Outcome.SPOKE, early=True)  # type: ignore[arg-type]
    clock.instant = local("2026-11-24 13:00")
    return ids  # type: ignore[return-value]


def card(desk: FrontDesk, first: date = TUESDAY, last: date = TUESDAY) -> reports.Scorecard:
    clinic = desk.clinic
    return reports.scorecard(
        desk.database,
        Period(first, last),
        clinic.calendar,
        now=clinic.clock.now(),
        pools=clinic.pools,
    )


def test_the_clinics_day_counted_by_hand(desk: FrontDesk, tuesday: dict[str, int]) -> None:
    clinic = card(desk).clinic
    assert (clinic.created, clinic.completed, clinic.on_time, clinic.first_call) == (5, 2, 2, 1)
    assert clinic.overdue == 1  # the diarrhea check due on Saturday
    assert (clinic.calls, clinic.reached, clinic.booked, clinic.wrong_numbers) == (4, 2, 1, 1)
    # First calls: the vomiting check 30 open minutes after 09:00, the voicemail 70 after
    # 08:50, the post-op call 90 after 09:00; all by their deadlines.
    assert sorted(clinic.waits) == [30, 70, 90] and clinic.within_target == 3
    assert (clinic.unreached, clinic.escalations, clinic.dnc_overrides) == (0, 0, 0)


def test_each_person_and_each_pool(desk: FrontDesk, tuesday: dict[str, int]) -> None:
    scorecard = card(desk)
    ab, cd, tr = (scorecard.people[who] for who in ("AB", "CD", "TR"))
    assert (ab.created, ab.completed, ab.first_call, ab.calls, ab.reached, ab.booked) == (
        1, 1, 1, 1, 1, 1
    )  # fmt: skip
    assert ab.waits == (30,)
    # CD owns the claimed post-op call and the overdue diarrhea check.
    assert (cd.created, cd.overdue, cd.calls, cd.wrong_numbers, cd.waits) == (2, 1, 1, 1, (90,))
    assert (tr.completed, tr.first_call, tr.on_time, tr.calls, tr.reached) == (1, 0, 1, 2, 1)
    # Pools count their callbacks, claimed or not, and the calls made on them.
    sa, ta = scorecard.pools["SA"], scorecard.pools["TA"]
    assert (sa.created, sa.calls, sa.wrong_numbers, sa.waits) == (2, 1, 1, (90,))
    assert (ta.created, ta.completed, ta.calls, ta.reached, ta.waits) == (1, 1, 2, 1, (70,))
    assert scorecard.scope(CLINIC) == scorecard.clinic
    assert scorecard.scope("DRP").created == 0  # nothing of theirs: an empty tally
    assert scorecard.names["AB"] == "Alex Baker"


def test_a_period_before_the_work_counts_nothing(desk: FrontDesk, tuesday: dict[str, int]) -> None:
    before = card(desk, date(2026, 11, 16), date(2026, 11, 23)).clinic
    assert (before.created, before.calls, before.completed, before.waits) == (0, 0, 0, ())
    assert before.overdue == 1  # overdue is as of now, whatever the period


def test_unreached_escalated_overrides_drafts_and_incidents(
    desk: FrontDesk, clock: FixedClock
) -> None:
    unreached(desk, clock)  # closed as unreached, escalated to the case doctor
    # A client marked do-not-call, called anyway with a justification (and a concern noted).
    other = add_visit(
        desk, occurred_at="2026-11-23 11:00", client="Ana Ruiz", phone="(312) 555-0166",
        patient="Kiwi", assisted_by="CD",
    )[0]  # fmt: skip
    assert other.id is not None
    set_client(desk, "Ana Ruiz", do_not_call=True)
    call(
        desk, "CD", other.id, Outcome.SPOKE, dnc_justification="Bleeding reported by the lab",
        concern_for_doctor=True, notes="Still bleeding a little",
    )  # fmt: skip
    from callback_tui.store.incident_desk import IncidentStart

    desk.incidents.open(
        "FD", IncidentStart(found_via="phone", what_happened="Waited an hour.", subject="Sam")
    )
    clinic = card(desk).clinic
    assert (clinic.unreached, clinic.escalations, clinic.dnc_overrides) == (1, 1, 1)
    assert (clinic.completed, clinic.first_call) == (1, 1)
    assert clinic.incidents_opened == 1 and card(desk).people["FD"].incidents_opened == 1
    assert clinic.old_drafts == 0
    # A day and a half later the concern's draft has waited over 24 hours, for the doctor.
    clock.instant = local("2026-11-26 08:00")
    later = card(desk, TUESDAY, date(2026, 11, 26))
    assert later.clinic.old_drafts == 1 and later.people["DRW"].old_drafts == 1


def test_the_weekly_trend_puts_each_call_and_wait_in_its_week(
    desk: FrontDesk, tuesday: dict[str, int]
) -> None:
    clinic = desk.clinic
    weeks = reports.trend(desk.database, TUESDAY, 3, clinic.calendar, pools=clinic.pools)
    assert [w.period.last for w in weeks] == [date(2026, 11, 10), date(2026, 11, 17), TUESDAY]
    assert [(w.calls, w.reached) for w in weeks] == [(0, 0), (0, 0), (4, 2)]
    assert weeks[-1].reach_rate == 0.5 and weeks[-1].wait_median == 70
    assert weeks[0].reach_rate is None and weeks[0].wait_median is None
    tr = reports.trend(desk.database, TUESDAY, 1, clinic.calendar, who="TR", pools=clinic.pools)
    assert [(w.calls, w.reached, w.waits) for w in tr] == [(2, 1, (70,))]
    ta = reports.trend(desk.database, TUESDAY, 1, clinic.calendar, who="TA", pools=clinic.pools)
    assert [(w.calls, w.reached, w.waits) for w in ta] == [(2, 1, (70,))]


def test_each_week_of_the_trend_counts_as_that_weeks_scorecard(
    desk: FrontDesk, tuesday: dict[str, int], clock: FixedClock
) -> None:
    """The trend and the scorecard count the same calls and waits in two ways (one read per
    week against one per period): over weeks with calls in each, they agree, for the
    clinic, a person and a pool."""
    calls = [
        ("2026-11-09 10:00", "2026-11-10 10:00", "AB", Outcome.SPOKE),
        ("2026-11-09 10:00", "2026-11-10 16:30", "CD", Outcome.NO_ANSWER),
        ("2026-11-12 10:00", "2026-11-13 09:15", "AB", Outcome.NO_ANSWER),
        ("2026-11-16 10:00", "2026-11-17 11:00", "AB", Outcome.SPOKE),
        ("2026-11-16 10:00", "2026-11-17 14:45", "CD", Outcome.SPOKE),
    ]
    for number, (visit, when, who, outcome) in enumerate(calls):
        made = add_visit(
            desk, occurred_at=visit, assisted_by=who, client=f"Client {number}",
            phone=f"(312) 555-02{number:02d}",
        )[0]  # fmt: skip
        assert made.id is not None
        clock.instant = local(when)
        call(desk, who, made.id, outcome)
    clock.instant = local("2026-11-24 12:30")
    clinic = desk.clinic
    for who in (CLINIC, "AB", "TA"):
        weeks = reports.trend(
            desk.database, TUESDAY, 3, clinic.calendar, who=who, pools=clinic.pools
        )
        for week in weeks:
            card = reports.scorecard(
                desk.database, week.period, clinic.calendar, now=clock.now(), pools=clinic.pools
            )
            tally = card.scope(who)
            assert (week.calls, week.reached, sorted(week.waits)) == (
                tally.calls,
                tally.reached,
                sorted(tally.waits),
            ), (who, week.period)
        if who == CLINIC:  # calls in every week, waits in more than one: not a vacuous match
            assert all(week.calls for week in weeks)
            assert sum(1 for week in weeks if week.waits) > 1


@pytest.mark.parametrize("day", [date(2026, 11, 24), date(2026, 3, 8), date(2026, 11, 1)])
def test_the_call_windows_as_time_ranges_name_each_minute_as_the_calendar_does(day: date) -> None:
    """The reviews count calls by window in SQL, over each day's windows as UTC ranges: each
    minute of a day (a daylight-saving change included) falls in the range of the window
    `Calendar.window_of` names, overlapping windows included, or in none when it names none."""
    from datetime import UTC, datetime, timedelta

    from callback_tui.config import Settings
    from callback_tui.domain.hours import CallWindow, Span

    calendar = Settings(timezone="America/Chicago").calendar()
    windows = (("late", "11:00-14:00"), ("morning", "08:00-12:00"), ("evening", "17:00-19:30"),
               ("middle", "09:00-10:00"), ("long", "07:00-18:00"))  # fmt: skip
    calendar = replace(
        calendar, windows=tuple(CallWindow(name, Span.parse(span)) for name, span in windows)
    )
    ranges = reports._window_ranges(calendar, Period(day, day))
    start = calendar.at(day, datetime.min.time())
    minute = start
    while minute < calendar.at(day + timedelta(days=1), datetime.min.time()):
        found = [name for name, first, until in ranges if first <= minute < until]
        assert len(found) <= 1, minute
        assert (found[0] if found else None) == calendar.window_of(minute), minute
        minute += timedelta(minutes=1)
    assert minute.tzinfo is UTC


def test_the_daily_review(desk: FrontDesk, tuesday: dict[str, int], clock: FixedClock) -> None:
    clinic = desk.clinic
    review = reports.daily_review(desk.database, clock.now(), clinic.calendar)
    assert [item.callback_id for item in review.past_target] == [tuesday["late"]]
    assert [item.callback_id for item in review.wrong_numbers] == [tuesday["post_op"]]
    assert review.unreached == [] and review.old_drafts == [] and review.referral == []
    # This week's misses: the voicemail's no-answer at 10:00, in the morning window.
    assert [(p.name, p.misses, p.calls) for p in review.miss_windows] == [("morning", 1, 3)]
    assert [(p.name, p.misses) for p in review.miss_reasons] == [("pet_concern", 1)]


def test_the_daily_review_shows_an_escalation_and_its_state(
    desk: FrontDesk, clock: FixedClock
) -> None:
    vomiting = unreached(desk, clock)
    review = reports.daily_review(desk.database, clock.now(), desk.clinic.calendar)
    assert [(i.callback_id, i.escalation) for i in review.unreached] == [(vomiting, "open")]
    assert review.miss_windows[0].misses == 1  # one miss in each window


def test_the_weekly_review_against_last_week(desk: FrontDesk, tuesday: dict[str, int]) -> None:
    review = reports.weekly_review(desk.database, TUESDAY, desk.clinic.calendar)
    this, last = review.this_week, review.last_week
    assert this.period == Period(date(2026, 11, 18), TUESDAY)
    assert last.period == Period(date(2026, 11, 11), date(2026, 11, 17))
    assert (this.calls, this.reached, this.booked, this.wrong_numbers) == (4, 2, 1, 1)
    assert this.reach_rate == 0.5 and this.booking_rate == 0.5
    # By window: three morning calls (one spoken to), the 12:30 call in the afternoon.
    assert dict(this.windows) == {"morning": (1, 3), "afternoon": (1, 1)}
    assert (last.calls, last.reach_rate, last.windows) == (0, None, {})


def test_calls_outside_every_window_are_counted_apart(
    desk: FrontDesk, tuesday: dict[str, int], clock: FixedClock
) -> None:
    """An early call (07:40, before the morning window) and a late one (19:30, after the
    evening's): in neither window, both counted, the late one's miss too."""
    for number, (when, outcome) in enumerate(
        (("2026-11-24 07:40", Outcome.SPOKE), ("2026-11-24 19:30", Outcome.NO_ANSWER))
    ):
        made = add_visit(
            desk, occurred_at="2026-11-23 10:00", assisted_by="AB", client=f"Early {number}",
            phone=f"(312) 555-03{number:02d}",
        )[0]  # fmt: skip
        assert made.id is not None
        clock.instant = local(when)
        call(desk, "AB", made.id, outcome)
    week = reports.weekly_review(desk.database, TUESDAY, desk.clinic.calendar).this_week
    assert dict(week.windows) == {
        "morning": (1, 3),
        "afternoon": (1, 1),
        "outside the call windows": (1, 2),
    }
    assert list(week.windows)[-1] == "outside the call windows"  # after the clinic's windows
    daily = reports.daily_review(desk.database, clock.now(), desk.clinic.calendar)
    outside = [p for p in daily.miss_windows if p.name == "outside the call windows"]
    assert [(p.misses, p.calls) for p in outside] == [(1, 2)]


def test_the_daily_review_lists_open_referral_items(desk: FrontDesk) -> None:
    """A referral question taken in (a request the profile marks as a referral) and a visit
    sent by a referring clinic are open referral items; an ordinary visit is not."""
    question = take(
        desk, request_type="referral_question", name="Ivan Horvat", phone="(312) 555-0115",
        message="Has the cardiologist had the records?",
    )  # fmt: skip
    referred = add_visit(
        desk, source="referral_clinic", client="Grace Kim", phone="(312) 555-0114",
        patient="Bao",
    )[0]  # fmt: skip
    add_visit(desk, client="Tom Fischer", phone="(312) 555-0113", patient="Olive")
    profile = desk.clinic.profile
    referral = [key for key, request in profile.requests.items() if request.referral]
    assert "referral_question" in referral
    review = reports.daily_review(
        desk.database, desk.clinic.clock.now(), desk.clinic.calendar, referral_reasons=referral
    )
    assert {item.callback_id for item in review.referral} == {question.id, referred.id}
