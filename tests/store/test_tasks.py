"""Tasks: who sees them, who may do them, and what doing them records."""

from __future__ import annotations

from datetime import UTC

import pytest
from sqlmodel import Session, select

from callback_tui.clock import FixedClock
from callback_tui.domain.vocab import Outcome
from callback_tui.store import tasks
from callback_tui.store.incident_desk import IncidentStart
from callback_tui.store.services import (
    CallOutcome,
    FrontDesk,
    Invalid,
    NumberCheck,
    ServiceError,
    StaleVersion,
)
from callback_tui.store.tables import Event, Task
from tests.conftest import add_visit, local


@pytest.fixture
def wrong_number(desk: FrontDesk) -> tasks.TaskRow:
    (callback,) = add_visit(desk, patient="[b]Rex[/b]", client="Jordan Lee")
    desk.callbacks.log_outcome(
        "AB",
        callback.id,  # type: ignore[arg-type]
        callback.version,
        CallOutcome(Outcome.WRONG_NUMBER),
    )
    (task,) = tasks.tasks(desk.database)
    return task


def test_a_role_task_is_in_the_inbox_of_everyone_in_that_role(
    desk: FrontDesk, wrong_number: tasks.TaskRow
) -> None:
    assert [t.id for t in tasks.tasks(desk.database, initials="FD")] == [wrong_number.id]
    assert tasks.tasks(desk.database, initials="AB") == []
    assert wrong_number.owner == "front desk"
    assert wrong_number.about.label == "[b]Rex[/b] · Jordan Lee (vomiting callback)"
    assert wrong_number.about.client_id is not None


def none_found(note: str) -> NumberCheck:
    return NumberCheck(none_found=True, note=note)


def test_done_with_a_note_records_who_and_when(
    desk: FrontDesk, wrong_number: tasks.TaskRow
) -> None:
    done = desk.tasks.verify_number(
        "FD", wrong_number.id, wrong_number.version, none_found(" No other number. ")
    )
    assert (done.status, done.done_by, done.done_note) == ("done", "FD", "No other number.")
    assert done.done_at == desk.clinic.clock.now()
    assert tasks.tasks(desk.database, initials="FD") == []
    assert [t.status for t in tasks.tasks(desk.database, include_done=True)] == ["done"]
    with Session(desk.database.engine) as session:
        event = session.exec(select(Event).where(Event.action == "task.done")).one()
    assert (event.actor, event.before["status"], event.after["status"]) == ("FD", "open", "done")  # type: ignore[index]


def test_only_its_person_or_role_may_do_it_and_only_once(
    desk: FrontDesk, wrong_number: tasks.TaskRow
) -> None:
    with pytest.raises(ServiceError, match="for front desk, not AB"):
        desk.tasks.verify_number("AB", wrong_number.id, wrong_number.version, none_found("no"))
    with pytest.raises(Invalid) as refused:
        desk.tasks.verify_number("FD", wrong_number.id, wrong_number.version, none_found("  "))
    assert refused.value.problems == {"note": "say what was tried to find the number"}
    desk.tasks.verify_number("FD", wrong_number.id, wrong_number.version, none_found("None."))
    with pytest.raises(StaleVersion):
        desk.tasks.verify_number("FD", wrong_number.id, wrong_number.version, none_found("No."))


def test_a_plain_note_is_not_enough_for_a_wrong_numbers_task(
    desk: FrontDesk, wrong_number: tasks.TaskRow
) -> None:
    with pytest.raises(ServiceError, match="done with the right number"):
        desk.tasks.complete("FD", wrong_number.id, wrong_number.version, "Fixed.")
    assert [t.status for t in tasks.tasks(desk.database, include_done=True)] == ["open"]


def test_an_unreached_clinical_callback_is_the_case_doctors_task(desk: FrontDesk) -> None:
    (callback,) = add_visit(desk, doctor="DRP")
    version = callback.version
    for _ in range(3):
        logged = desk.callbacks.log_outcome(
            "AB",
            callback.id,  # type: ignore[arg-type]
            version,
            CallOutcome(Outcome.NO_ANSWER),
        )
        version = logged.callback.version
        desk.clinic.clock.advance(hours=5)  # type: ignore[attr-defined]
    (task,) = tasks.tasks(desk.database, initials="DRP")
    assert tasks.tasks(desk.database, initials="DRW") == []  # named for DRP only
    with pytest.raises(ServiceError, match="for DRP"):
        desk.tasks.complete("DRW", task.id, task.version, "I called.")


def test_rows_are_the_stored_tasks_in_due_order_with_their_filters(
    desk: FrontDesk, wrong_number: tasks.TaskRow
) -> None:
    desk.clinic.clock.advance(hours=1)  # type: ignore[attr-defined]
    made = desk.incidents.open(
        "AB", IncidentStart(found_via="phone", what_happened="Shouted.", subject="Ms Ortiz")
    )
    desk.incidents.office_manager(
        "AB",
        made.id,
        made.version,
        available=False,
        office_manager="OM",  # type: ignore[arg-type]
    )
    desk.tasks.verify_number("FD", wrong_number.id, wrong_number.version, none_found("None."))

    everything = tasks.tasks(desk.database, include_done=True)
    assert [t.id for t in everything] == [wrong_number.id, everything[1].id]  # by due time
    with Session(desk.database.engine) as session:
        stored = {t.id: t for t in session.exec(select(Task))}
    for row in everything:
        task = stored[row.id]
        assert row.about.ref == task.about
        for name in ("id", "version", "assignee", "role", "title", "due_at", "status",
                     "done_note", "done_by", "done_at", "created_at", "kind"):  # fmt: skip
            assert getattr(row, name) == getattr(task, name), name
        assert row.due_at.tzinfo is UTC and row.created_at.tzinfo is UTC
    assert everything[0].done_at is not None and everything[0].done_at.tzinfo is UTC

    (om_task,) = tasks.tasks(desk.database)  # open only
    assert om_task.about == tasks.About(
        f"incident:{made.id}", f"Incident {made.id}: Ms Ortiz", None, None
    )
    assert tasks.tasks(desk.database, initials="FD") == []
    assert [t.status for t in tasks.tasks(desk.database, initials="FD", include_done=True)] == [
        "done"
    ]
    assert tasks.tasks(desk.database, initials="OM") == [om_task]


def test_an_unknown_reference_stays_as_it_is_and_a_roleless_task_is_anyones(
    desk: FrontDesk,
) -> None:
    now = desk.clinic.clock.now()
    with Session(desk.database.engine) as session:
        session.add(Task(title="Call back the lab", about="lab:7", due_at=now, created_at=now))
        session.commit()
    (row,) = tasks.tasks(desk.database, initials="ZZ")  # on no staff: no role, as the desk sees it
    assert (row.about, row.owner) == (tasks.About("lab:7", "lab:7", None, None), "")
    assert tasks.tasks(desk.database, initials="FD") == []


def test_a_task_made_today_is_due_when_the_clinic_closes(
    desk: FrontDesk, wrong_number: tasks.TaskRow
) -> None:
    assert desk.clinic.calendar.local(wrong_number.due_at) == local("2026-11-24 18:00")
    assert wrong_number.created_at == desk.clinic.clock.now()


def test_an_incident_task_made_after_closing_is_due_by_the_next_days_close(
    desk: FrontDesk, clock: FixedClock
) -> None:
    clock.instant = local("2026-11-25 19:30")  # Thursday the 26th is a closure
    made = desk.incidents.open(
        "FD", IncidentStart(found_via="phone", what_happened="Upset.", subject="Ms Ortiz")
    )
    desk.incidents.office_manager(
        "FD",
        made.id,
        made.version,
        available=False,  # type: ignore[arg-type]
        office_manager="OM",
    )
    (task,) = tasks.tasks(desk.database, initials="OM")
    assert desk.clinic.calendar.local(task.due_at) == local("2026-11-27 18:00")


def test_what_waits_for_a_person_besides_callbacks(desk: FrontDesk) -> None:
    desk.staff.add("setup", "RM", "Reggie Moss", "regional_manager")
    assert tasks.waiting(desk.database, "OM") == tasks.Waiting(tasks=0, incidents=0)
    made = desk.incidents.open(
        "FD", IncidentStart(found_via="phone", what_happened="Upset.", subject="Ms Ortiz")
    )
    # At the office manager's step with no task sent: the incident itself waits for them.
    assert tasks.waiting(desk.database, "OM") == tasks.Waiting(tasks=0, incidents=1)
    assert tasks.waiting(desk.database, "FD") == tasks.Waiting(tasks=0, incidents=0)
    asked = desk.incidents.office_manager(
        "FD",
        made.id,
        made.version,
        available=False,
        office_manager="OM",  # type: ignore[arg-type]
    )
    # A task stands for it now: counted once, as the task.
    assert tasks.waiting(desk.database, "om") == tasks.Waiting(tasks=1, incidents=0)
    desk.incidents.office_manager(
        "OM",
        asked.id,
        asked.version,
        available=True,
        office_manager="OM",  # type: ignore[arg-type]
        conversation="No luck.",
        remedied=False,
    )
    assert tasks.waiting(desk.database, "OM") == tasks.Waiting(tasks=0, incidents=0)
    assert tasks.waiting(desk.database, "RM") == tasks.Waiting(tasks=1, incidents=0)
    # A first step kept unfinished waits for whoever started it.
    desk.incidents.keep_draft("AB", None, None, {"subject": "Mr Ng"})
    assert tasks.waiting(desk.database, "AB") == tasks.Waiting(tasks=0, incidents=1)
