"""Identity before a conversation is saved, the follow-up text, and the ladder's end in a
medical clinic: what log_outcome refuses field by field, and what it records."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, col, select

from callback_tui.clock import FixedClock
from callback_tui.domain.vocab import Outcome
from callback_tui.store.engine import Database
from callback_tui.store.services import CallOutcome, FrontDesk, Invalid, Logged
from callback_tui.store.tables import Attempt, Callback, Event, Task
from tests.conftest import add_visit, local, set_client


@pytest.fixture
def desk(medical_desk: FrontDesk) -> FrontDesk:
    return medical_desk


def visit(desk: FrontDesk, **fields: str) -> int:
    defaults = {"reason": "procedure", "assisted_by": "MA", "species": ""}
    (callback,) = add_visit(desk, **{**defaults, **fields})
    assert callback.id is not None and callback.owner == "CLIN"
    return callback.id


def load(database: Database, kind: Any, row_id: int) -> Any:
    with Session(database.engine) as session:
        return session.get(kind, row_id)


def log(desk: FrontDesk, callback_id: int, outcome: Outcome, **extra: Any) -> Logged:
    version = load(desk.database, Callback, callback_id).version
    return desk.callbacks.log_outcome("NR", callback_id, version, CallOutcome(outcome, **extra))


def refused(desk: FrontDesk, callback_id: int, outcome: Outcome, **extra: Any) -> dict[str, str]:
    with pytest.raises(Invalid) as caught:
        log(desk, callback_id, outcome, **extra)
    with Session(desk.database.engine) as session:
        assert session.exec(select(Attempt)).all() == []  # nothing written
    return caught.value.problems


def test_spoke_needs_two_identifiers_ticked(desk: FrontDesk) -> None:
    callback_id = visit(desk)
    problems = refused(desk, callback_id, Outcome.SPOKE, identity_verified=True)
    assert problems == {
        "identity": "tick the 2 identifiers the caller confirmed (date of birth, address,"
        " phone on file, patient id) before saving a conversation"
    }
    assert "identity" in refused(desk, callback_id, Outcome.SPOKE, identifiers=("dob",))
    assert "identity" in refused(desk, callback_id, Outcome.SPOKE, identifiers=("dob", "dob"))


def test_an_unknown_identifier_is_refused(desk: FrontDesk) -> None:
    callback_id = visit(desk)
    problems = refused(desk, callback_id, Outcome.SPOKE, identifiers=("dob", "ssn"))
    assert problems == {"identity": "not an identifier of this clinic: ssn"}


def test_the_attempt_records_which_two_never_their_values(desk: FrontDesk) -> None:
    callback_id = visit(desk)
    logged = log(desk, callback_id, Outcome.SPOKE, identifiers=("patient_id", "dob"))
    assert logged.callback.status == "completed"
    attempt = load(desk.database, Attempt, logged.attempt.id)
    # In the profile's order, whatever the order ticked.
    assert (attempt.identifiers, attempt.identity_verified) == ("dob,patient_id", True)
    with Session(desk.database.engine) as session:
        event = session.exec(
            select(Event).where(Event.action == "attempt.logged").order_by(col(Event.id).desc())
        ).first()
    assert event is not None and event.after is not None
    assert event.after["identifiers"] == "dob,patient_id"


def test_identifiers_ticked_on_a_missed_call_are_not_kept(desk: FrontDesk) -> None:
    callback_id = visit(desk)
    logged = log(desk, callback_id, Outcome.NO_ANSWER, identifiers=("dob", "address"))
    attempt = load(desk.database, Attempt, logged.attempt.id)
    assert (attempt.identifiers, attempt.identity_verified) == (None, False)


def test_a_left_message_is_an_attempt_in_a_medical_clinic(desk: FrontDesk) -> None:
    callback_id = visit(desk)
    logged = log(desk, callback_id, Outcome.LEFT_MESSAGE)
    assert (logged.callback.status, logged.callback.misses) == ("open", 1)
    assert logged.callback.next_attempt_at == local("2026-11-24 12:00")


def test_a_follow_up_text_needs_consent_and_a_right_number(desk: FrontDesk) -> None:
    callback_id = visit(desk)
    problems = refused(desk, callback_id, Outcome.NO_ANSWER, text_sent=True)
    assert problems == {"text": "the client has not agreed to text messages"}
    set_client(desk, text_ok=True)
    problems = refused(desk, callback_id, Outcome.WRONG_NUMBER, text_sent=True)
    assert problems == {"text": "the number was reported wrong: send no text to it"}
    logged = log(desk, callback_id, Outcome.NO_ANSWER, text_sent=True)
    assert load(desk.database, Attempt, logged.attempt.id).text_sent is True


def test_no_voicemail_without_consent(desk: FrontDesk) -> None:
    callback_id = visit(desk)
    set_client(desk, voicemail_ok=False)
    problems = refused(desk, callback_id, Outcome.LEFT_MESSAGE)
    assert problems == {"outcome": "the client has not agreed to voicemail messages"}


def three_misses(desk: FrontDesk, clock: FixedClock, callback_id: int) -> Logged:
    log(desk, callback_id, Outcome.NO_ANSWER)  # 09:00, morning
    clock.advance(hours=3, minutes=30)  # 12:30, afternoon
    log(desk, callback_id, Outcome.LEFT_MESSAGE)
    clock.advance(hours=5)  # 17:30, evening
    return log(desk, callback_id, Outcome.BUSY)


def test_the_third_attempt_closes_it_with_a_path_back_and_a_task_for_the_doctor(
    desk: FrontDesk, clock: FixedClock
) -> None:
    callback_id = visit(desk)
    logged = three_misses(desk, clock, callback_id)
    assert (logged.callback.status, logged.callback.misses) == ("unreached", 3)
    assert logged.callback.closing_note == (
        "Closed as unreached after 3 unsuccessful attempts; escalated to the case doctor (DRW)."
        " Path back for the client: We won't keep calling, but your request stays on file:"
        " call Lakeside Family Practice at (312) 555-0100 whenever suits you, or send a portal"
        " message, and we will take it from there."
    )
    (task,) = logged.tasks
    assert (task.assignee, task.role) == ("DRW", "doctor")
    # Within one open hour: 17:30 + 30 minutes to closing at 18:00, the rest from 08:00.
    assert task.due_at == local("2026-11-25 08:30")


def test_without_a_case_doctor_it_escalates_to_the_clinical_team(
    desk: FrontDesk, clock: FixedClock
) -> None:
    callback_id = visit(desk)
    with Session(desk.database.engine) as session:  # a message that named no doctor
        callback = session.get(Callback, callback_id)
        assert callback is not None
        callback.doctor = ""
        session.add(callback)
        session.commit()
    clock.advance(hours=1)  # 10:00
    log(desk, callback_id, Outcome.NO_ANSWER)
    clock.advance(hours=3)  # 13:00
    log(desk, callback_id, Outcome.NO_ANSWER)
    clock.advance(hours=4, minutes=30)  # 17:30
    logged = log(desk, callback_id, Outcome.NO_ANSWER)
    (task,) = logged.tasks
    assert (task.assignee, task.role) == (None, "technician")
    assert "escalated to the clinical team (technician)" in (logged.callback.closing_note or "")
    with Session(desk.database.engine) as session:
        assert session.exec(select(Task)).one().id == task.id
