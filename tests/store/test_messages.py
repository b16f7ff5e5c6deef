"""A message taken in becomes one callback: routed, due at its response target, audited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from callback_tui.store import queries
from callback_tui.store.services import FrontDesk
from callback_tui.store.tables import Callback, Client, Event, Patient
from tests.conftest import add_visit, local


def message_fields(**fields: str) -> dict[str, str]:
    base = {
        "source": "voicemail",
        "received_at": "08:30",
        "name": "Robin Ash",
        "phone": "(312) 555-0188",
        "request_type": "appointment_request",
        "message": "Would like to book a check-up [next week].",
    }
    base.update(fields)
    return base


def take(desk: FrontDesk, **fields: str) -> Callback:
    form, problems = desk.clinic.read_message(
        message_fields(**fields), queries.staff_roles(desk.database)
    )
    assert form is not None, problems
    return desk.messages.take_message("FD", form)


def problems_of(desk: FrontDesk, **fields: str) -> dict[str, str]:
    form, problems = desk.clinic.read_message(
        message_fields(**fields), queries.staff_roles(desk.database)
    )
    assert form is None
    return dict(problems)


def events(desk: FrontDesk) -> list[Event]:
    with Session(desk.database.engine) as session:
        return list(session.exec(select(Event).where(Event.actor == "FD").order_by(Event.id)))


def test_a_new_callers_voicemail_becomes_a_desk_callback_due_at_its_target(
    medical_desk: FrontDesk,
) -> None:
    callback = take(medical_desk)
    # Routine: four open hours from 08:30 on a Tuesday open 08:00-18:00.
    assert callback.target_at == callback.due_at == local("2026-11-24 12:30")
    assert callback.due_date == date(2026, 11, 24)
    assert callback.owner == "DESK"
    assert callback.source == "voicemail"
    assert callback.priority == "routine"
    assert callback.kind == "message"
    assert callback.reason == "appointment_request"
    assert callback.notes == "Would like to book a check-up [next week]."
    assert callback.base_at == local("2026-11-24 08:30")
    with Session(medical_desk.database.engine) as session:
        client = session.exec(select(Client)).one()
        patient = session.exec(select(Patient)).one()
    assert (client.name, client.phone, client.voicemail_ok) == ("Robin Ash", "+13125550188", False)
    assert patient.name == "Robin Ash"
    actions = [event.action for event in events(medical_desk)]
    assert actions == ["client.created", "patient.created", "callback.created"]
    made = events(medical_desk)[-1].after
    assert made is not None and made["priority_reason"].startswith("routine")


def test_words_in_a_message_make_it_urgent_for_the_clinical_pool(medical_desk: FrontDesk) -> None:
    callback = take(
        medical_desk,
        request_type="prescription_question",
        message="Chest pain since the new tablets",
        received_at="2026-11-23 17:30",
    )
    assert callback.priority == "urgent"
    assert callback.owner == "CLIN"
    # One open hour: half an hour before Monday's closing, half an hour after Tuesday's opening.
    assert callback.target_at == local("2026-11-24 08:30")
    assert callback.due_date == date(2026, 11, 24)


def test_a_given_priority_owner_and_doctor_are_kept(medical_desk: FrontDesk) -> None:
    callback = take(
        medical_desk,
        request_type="results_question",
        priority="informational",
        owner="nr",
        doctor="DRW",
        received_at="",
    )
    assert (callback.priority, callback.owner, callback.doctor) == ("informational", "NR", "DRW")
    assert callback.base_at == local("2026-11-24 09:00")  # now, when no time is given


def test_a_message_from_a_client_on_file_adds_no_client(desk: FrontDesk) -> None:
    visit = add_visit(desk)[0]
    callback = take(
        desk,
        client_id=str(visit.client_id),
        patient_id=str(visit.patient_id),
        name="",
        phone="",
        request_type="medication_refill",
    )
    assert (callback.client_id, callback.patient_id) == (visit.client_id, visit.patient_id)
    assert [event.action for event in events(desk)] == ["callback.created"]


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"phone": "12"}, "phone", ""),
        ({"name": ""}, "name", "required"),
        ({"source": "pigeon"}, "source", "voicemail"),
        ({"request_type": "haircut"}, "request_type", "unknown request type"),
        ({"message": "  "}, "message", ""),
        ({"received_at": "23:00"}, "received_at", "still to come"),
        ({"received_at": "soon"}, "received_at", "HH:MM"),
        ({"owner": "ZZ"}, "owner", "unknown initials"),
        ({"doctor": "FD"}, "doctor", "not a doctor"),
        ({"priority": "whenever"}, "priority", "urgent"),
    ],
)
def test_each_mistake_is_refused_by_its_field(
    medical_desk: FrontDesk, fields: dict[str, str], field: str, words: str
) -> None:
    problems = problems_of(medical_desk, **fields)
    assert list(problems) == [field]
    assert words in problems[field]


def test_every_problem_is_listed_at_once(medical_desk: FrontDesk) -> None:
    problems = problems_of(medical_desk, phone="", message="", request_type="")
    assert list(problems) == ["phone", "request_type", "message"]


def test_a_message_for_a_patient_no_longer_on_file_is_refused(medical_desk: FrontDesk) -> None:
    from callback_tui.store.errors import Invalid

    form, _ = medical_desk.clinic.read_message(message_fields(client_id="41", patient_id="42"), {})
    assert form is not None
    with pytest.raises(Invalid) as refused:
        medical_desk.messages.take_message("FD", form)
    assert list(refused.value.problems) == ["name"]
    assert events(medical_desk) == []
