"""The service layer: each write is one transaction with its events, or nothing at all."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, func, select

from callback_tui.clock import FixedClock
from callback_tui.config import load_clinic
from callback_tui.domain.vocab import Channel, Outcome
from callback_tui.store import queries
from callback_tui.store.engine import open_database
from callback_tui.store.services import (
    CallOutcome,
    FrontDesk,
    Invalid,
    NotAllowed,
    ServiceError,
    StaleVersion,
)
from callback_tui.store.tables import Attempt, Callback, Client, Event, Note, Staff, Task
from tests.conftest import add_visit, local


def count(desk: FrontDesk, table: type) -> int:
    with Session(desk.database.engine) as session:
        return int(session.exec(select(func.count()).select_from(table)).one())


def load(desk: FrontDesk, callback_id: int) -> Callback:
    with Session(desk.database.engine) as session:
        found = session.get(Callback, callback_id)
        assert found is not None
        return found


def events(desk: FrontDesk) -> list[tuple[str, str, str]]:
    with Session(desk.database.engine) as session:
        return [
            (e.actor, e.action, e.entity) for e in session.exec(select(Event).order_by(Event.id))
        ]


# -- staff ------------------------------------------------------------------------------


def test_adding_staff_records_an_event(desk: FrontDesk) -> None:
    staff = desk.staff.add("OM", "jk", "Jamie Kim", "technician")
    assert staff.initials == "JK"
    assert events(desk)[-1] == ("OM", "staff.added", "staff")


@pytest.mark.parametrize(
    ("initials", "name", "role", "field", "message"),
    [
        ("A", "Ann", "assistant", "initials", "2 to 4 letters"),
        ("A1", "Ann", "assistant", "initials", "2 to 4 letters"),
        ("AB", "Ann", "assistant", "initials", "already taken"),
        ("TA", "Ann", "technician", "initials", "shared pool"),
        ("NEW", "   ", "assistant", "name", "required"),
        ("NEW", "Ann", "janitor", "role", "not one of"),
    ],
)
def test_bad_staff_is_refused_field_by_field(
    desk: FrontDesk, initials: str, name: str, role: str, field: str, message: str
) -> None:
    before = count(desk, Event)
    with pytest.raises(Invalid) as caught:
        desk.staff.add("OM", initials, name, role)
    assert message in caught.value.problems[field]
    assert count(desk, Event) == before


# -- visits -----------------------------------------------------------------------------


def test_a_visit_creates_its_callbacks_client_and_patient_with_events(desk: FrontDesk) -> None:
    made = add_visit(desk, reason="surgery", occurred_at="2026-11-23 15:00")
    assert [(c.kind, c.owner, c.due_date) for c in made] == [
        ("post_op_first", "SA", date(2026, 11, 24)),
        ("post_op_day3", "SA", date(2026, 11, 27)),
    ]
    assert [e[1] for e in events(desk)[-4:]] == [
        "client.created",
        "patient.created",
        "callback.created",
        "callback.created",
    ]


def test_the_same_client_and_patient_are_reused(desk: FrontDesk) -> None:
    add_visit(desk, reason="vomiting")
    add_visit(desk, reason="illness", client="JORDAN LEE", phone="312-555-0142")
    assert count(desk, Client) == 1
    add_visit(desk, reason="illness", phone="312-555-0199")
    assert count(desk, Client) == 2


# -- outcomes ---------------------------------------------------------------------------


def log(desk: FrontDesk, callback: Callback, outcome: Outcome, **extra: object) -> Callback:
    fresh = load(desk, callback.id)  # type: ignore[arg-type]
    desk.callbacks.log_outcome("AB", fresh.id, fresh.version, CallOutcome(outcome=outcome, **extra))  # type: ignore[arg-type]
    return load(desk, callback.id)  # type: ignore[arg-type]


@pytest.mark.parametrize("outcome", [Outcome.SPOKE, Outcome.LEFT_MESSAGE])
def test_contact_completes_with_an_attempt_and_events(desk: FrontDesk, outcome: Outcome) -> None:
    (callback,) = add_visit(desk)
    done = log(desk, callback, outcome, notes="Eating again.", duration_minutes=4)
    assert (done.status, done.attempts, done.closed_at) == ("completed", 1, desk.clinic.clock.now())
    assert done.version == 2
    assert events(desk)[-2:] == [
        ("AB", "attempt.logged", "attempt"),
        ("AB", f"callback.{outcome.value}", "callback"),
    ]


@pytest.mark.parametrize("outcome", [Outcome.NO_ANSWER, Outcome.BUSY])
def test_a_miss_keeps_it_open_with_the_next_attempt(desk: FrontDesk, outcome: Outcome) -> None:
    (callback,) = add_visit(desk)
    after = log(desk, callback, outcome)
    assert after.status == "open"
    assert (after.attempts, after.misses) == (1, 1)
    # Logged Tuesday 09:00 (morning): next is the afternoon window, and the list follows it.
    assert after.next_attempt_at == local("2026-11-24 12:00")
    assert after.due_at == after.next_attempt_at
    assert after.due_date == date(2026, 11, 24)


def test_wrong_number_flags_it_and_asks_the_front_desk(desk: FrontDesk) -> None:
    (callback,) = add_visit(desk)
    after = log(desk, callback, Outcome.WRONG_NUMBER)
    assert (after.status, after.wrong_number, after.misses) == ("open", True, 0)
    with Session(desk.database.engine) as session:
        task = session.exec(select(Task)).one()
    assert (task.role, task.about) == ("front_desk", f"callback:{callback.id}")
    assert "Jordan Lee" in task.title


def test_the_third_miss_closes_it_unreached_and_escalates_to_the_doctor(
    desk: FrontDesk, clock: FixedClock
) -> None:
    (callback,) = add_visit(desk)
    log(desk, callback, Outcome.NO_ANSWER)
    clock.advance(hours=3, minutes=30)  # 12:30, afternoon
    log(desk, callback, Outcome.BUSY)
    clock.advance(hours=5)  # 17:30, evening
    after = log(desk, callback, Outcome.NO_ANSWER)
    assert (after.status, after.attempts, after.misses) == ("unreached", 3, 3)
    assert after.closing_note and "escalated" in after.closing_note
    with Session(desk.database.engine) as session:
        task = session.exec(select(Task)).one()
    assert (task.assignee, task.role) == ("DRW", "doctor")


def test_concern_for_the_doctor_completes_and_drafts_a_note(desk: FrontDesk) -> None:
    (callback,) = add_visit(desk, doctor="DRP")
    after = log(desk, callback, Outcome.SPOKE, notes="Still lethargic.", concern_for_doctor=True)
    assert after.status == "completed"
    with Session(desk.database.engine) as session:
        note = session.exec(select(Note)).one()
    assert (note.status, note.addressed_to, note.author, note.body) == (
        "draft",
        "DRP",
        "AB",
        "Still lethargic.",
    )
    assert note.callback_id == callback.id


def _refused(desk: FrontDesk, callback: Callback, field: str, **extra: object) -> str:
    fresh = load(desk, callback.id)  # type: ignore[arg-type]
    before = (count(desk, Event), count(desk, Attempt), fresh.version)
    with pytest.raises(Invalid) as caught:
        desk.callbacks.log_outcome("AB", fresh.id, fresh.version, CallOutcome(**extra))  # type: ignore[arg-type]
    assert (count(desk, Event), count(desk, Attempt), load(desk, fresh.id).version) == before  # type: ignore[arg-type]
    return caught.value.problems[field]


def _set_client(desk: FrontDesk, **flags: bool) -> None:
    with Session(desk.database.engine) as session:
        client = session.exec(select(Client)).one()
        for name, value in flags.items():
            setattr(client, name, value)
        session.add(client)
        session.commit()


def test_do_not_call_needs_a_justification(desk: FrontDesk) -> None:
    (callback,) = add_visit(desk)
    _set_client(desk, do_not_call=True)
    message = _refused(desk, callback, "justification", outcome=Outcome.SPOKE)
    assert "asked not to be called" in message
    after = log(desk, callback, Outcome.SPOKE, dnc_justification="Post-op bleeding concern")
    assert after.status == "completed"


def test_voicemail_and_text_need_consent(desk: FrontDesk) -> None:
    (callback,) = add_visit(desk)
    _set_client(desk, voicemail_ok=False)
    assert "voicemail" in _refused(desk, callback, "outcome", outcome=Outcome.LEFT_MESSAGE)
    assert "text" in _refused(
        desk, callback, "channel", outcome=Outcome.SPOKE, channel=Channel.TEXT
    )


def test_a_concern_needs_words_and_notes_have_a_limit(desk: FrontDesk) -> None:
    (callback,) = add_visit(desk)
    assert "describe" in _refused(
        desk, callback, "notes", outcome=Outcome.SPOKE, concern_for_doctor=True
    )
    assert "20,000" in _refused(desk, callback, "notes", outcome=Outcome.SPOKE, notes="x" * 20_001)


def test_notes_keep_markup_and_scripts_but_lose_control_characters(desk: FrontDesk) -> None:
    (callback,) = add_visit(desk)
    body = "[bold]not bold[/] 猫は元気です\x1b[31m\nline two\x07"
    log(desk, callback, Outcome.SPOKE, notes=body)
    with Session(desk.database.engine) as session:
        attempt = session.exec(select(Attempt)).one()
    assert attempt.notes == "[bold]not bold[/] 猫は元気です[31m\nline two"


def test_a_closed_callback_takes_no_more_outcomes(desk: FrontDesk) -> None:
    (callback,) = add_visit(desk)
    done = log(desk, callback, Outcome.SPOKE)
    with pytest.raises(ServiceError, match="already completed"):
        desk.callbacks.log_outcome("AB", done.id, done.version, CallOutcome(outcome=Outcome.SPOKE))  # type: ignore[arg-type]


# -- two desks --------------------------------------------------------------------------


def test_a_stale_save_from_the_other_desk_is_refused_and_nothing_overwritten(
    desk: FrontDesk, clock: FixedClock
) -> None:
    (callback,) = add_visit(desk, reason="general_question")  # TA pool
    assert desk.database.path is not None
    other_db = open_database(str(desk.database.path))
    other = FrontDesk(other_db, load_clinic(desk.clinic.settings, clock))
    try:
        seen_here = load(desk, callback.id)  # type: ignore[arg-type]
        other.callbacks.claim("TR", seen_here.id, seen_here.version)  # type: ignore[arg-type]
        with pytest.raises(StaleVersion) as caught:
            desk.callbacks.log_outcome(
                "AB",
                seen_here.id,
                seen_here.version,
                CallOutcome(outcome=Outcome.SPOKE),  # type: ignore[arg-type]
            )
        assert str(caught.value) == "changed at the other desk by TR — reloaded"
        now = load(desk, callback.id)  # type: ignore[arg-type]
        assert (now.owner, now.status, now.attempts, now.version) == ("TR", "open", 0, 2)
        assert count(desk, Attempt) == 0
    finally:
        other_db.dispose()


# -- pools ------------------------------------------------------------------------------


def test_claiming_a_pool_item_puts_my_initials_on_it(desk: FrontDesk) -> None:
    (first, _) = add_visit(desk, reason="surgery")
    claimed = desk.callbacks.claim("AB", first.id, first.version)  # type: ignore[arg-type]
    assert (claimed.owner, claimed.version) == ("AB", 2)
    assert events(desk)[-1] == ("AB", "callback.claimed", "callback")


def test_only_the_pools_roles_may_claim(desk: FrontDesk) -> None:
    (question,) = add_visit(desk, reason="general_question")
    with pytest.raises(NotAllowed, match=r"^Only a technician may claim from the TA pool\.$"):
        desk.callbacks.claim("AB", question.id, question.version)  # type: ignore[arg-type]
    (mine,) = add_visit(desk, reason="vomiting")
    with pytest.raises(ServiceError, match="already belongs to AB"):
        desk.callbacks.claim("TR", mine.id, mine.version)  # type: ignore[arg-type]


# -- the queue --------------------------------------------------------------------------


def test_the_queue_shows_overdue_then_today_then_pools_with_counts(desk: FrontDesk) -> None:
    add_visit(desk, reason="vomiting", occurred_at="2026-11-23 14:00", patient="Today late")
    add_visit(desk, reason="vomiting", occurred_at="2026-11-21 10:00", patient="Overdue")
    add_visit(desk, reason="diarrhea", occurred_at="2026-11-23 08:30", patient="Today early")
    add_visit(desk, reason="surgery", occurred_at="2026-11-23 09:00", patient="Spay")
    add_visit(desk, reason="vomiting", occurred_at="2026-11-24 08:00", patient="Tomorrow")
    add_visit(desk, reason="general_question", occurred_at="2026-11-23 09:00", patient="TA item")
    add_visit(desk, reason="vomiting", assisted_by="CD", patient="Not mine")
    day = desk.clinic.clock.today()
    queue = queries.today(desk.database, "AB", day, desk.clinic.calendar)
    assert [(r.section.value, r.patient, r.owner) for r in queue.rows] == [
        ("overdue", "Overdue", "AB"),
        ("today", "Today early", "AB"),
        ("today", "Today late", "AB"),
        ("pool", "Spay", "SA"),
    ]
    assert queue.pools == ("SA",)
    assert (queue.counts.to_do, queue.counts.overdue, queue.counts.done_today) == (3, 1, 0)
    log(desk, load(desk, queue.rows[1].id), Outcome.SPOKE)
    again = queries.today(desk.database, "AB", day, desk.clinic.calendar)
    assert (again.counts.to_do, again.counts.done_today) == (2, 1)
    technician = queries.today(desk.database, "TR", day, desk.clinic.calendar)
    assert {r.patient for r in technician.rows} == {"Spay", "TA item"}


def test_staff_names_are_kept_as_typed(desk: FrontDesk) -> None:
    desk.staff.add("OM", "BK", "[bold]Bo[/] Kim", "assistant")
    with Session(desk.database.engine) as session:
        assert (
            session.exec(select(Staff.name).where(Staff.initials == "BK")).one()
            == "[bold]Bo[/] Kim"
        )
