"""The role table (domain/access.py) through the service layer, row by row: the wrong
person is refused with the reason and nothing is written; the right person goes ahead."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, func, select

from callback_tui.domain.incidents import Step
from callback_tui.domain.vocab import NoteKind, NoteOrigin
from callback_tui.store import incidents, queries, tasks
from callback_tui.store.incident_desk import IncidentStart
from callback_tui.store.services import (
    ClientDetails,
    FrontDesk,
    NewNote,
    NotAllowed,
    NoteRef,
    PhoneEntry,
)
from callback_tui.store.tables import Callback, Event
from tests.conftest import add_visit


@pytest.fixture
def clinic_desk(desk: FrontDesk) -> FrontDesk:
    """The usual staff, with a regional manager and an owner."""
    desk.staff.add("system", "RM", "Reggie Moss", "regional_manager")
    desk.staff.add("system", "OW", "Oona Webb", "owner")
    return desk


def written(desk: FrontDesk) -> int:
    with Session(desk.database.engine) as session:
        return session.exec(select(func.count()).select_from(Event)).one()


def last_actor(desk: FrontDesk, action: str) -> str:
    with Session(desk.database.engine) as session:
        found = session.exec(
            select(Event.actor).where(Event.action == action).order_by(col(Event.id).desc())
        ).first()
    assert found is not None
    return found


def refused(desk: FrontDesk, reason: str, write: object, *args: object) -> None:
    """`write(*args)` is refused with exactly `reason`, and writes nothing."""
    before = written(desk)
    with pytest.raises(NotAllowed) as caught:
        write(*args)  # type: ignore[operator]
    assert str(caught.value) == reason
    assert written(desk) == before


# -- finalize a draft ---------------------------------------------------------------------


def doctors_draft(desk: FrontDesk) -> NoteRef:
    callback = add_visit(desk)[0]
    target = NewNote(patient_id=callback.patient_id, addressed_to="DRW", callback_id=callback.id)
    note = desk.notes.save("FD", target, "Owner called: still limping.")
    assert note.id is not None
    return NoteRef(note.id, note.version)


@pytest.mark.parametrize("actor", ["FD", "AB", "TR", "OM", "RM", "OW", "system"])
def test_only_a_doctor_finalizes_a_doctors_draft(clinic_desk: FrontDesk, actor: str) -> None:
    draft = doctors_draft(clinic_desk)
    refused(
        clinic_desk,
        "Only a doctor may finalize a doctor's draft.",
        clinic_desk.notes.finalize,
        actor,
        draft,
        "Seen: rest a week.",
    )


@pytest.mark.parametrize("doctor", ["DRW", "DRP"])
def test_the_addressed_doctor_or_another_finalizes(clinic_desk: FrontDesk, doctor: str) -> None:
    final = clinic_desk.notes.finalize(doctor, doctors_draft(clinic_desk), "Seen: rest a week.")
    assert final.status == "final"
    assert last_actor(clinic_desk, "note.finalized") == doctor


def test_a_deactivated_doctor_finalizes_nothing(clinic_desk: FrontDesk) -> None:
    draft = doctors_draft(clinic_desk)
    clinic_desk.staff.deactivate("OM", "DRP")
    refused(
        clinic_desk,
        "Only a doctor may finalize a doctor's draft.",
        clinic_desk.notes.finalize,
        "DRP",
        draft,
        "Seen.",
    )


def test_a_note_addressed_to_no_one_is_finalized_by_anyone(clinic_desk: FrontDesk) -> None:
    callback = add_visit(clinic_desk)[0]
    log = NewNote(patient_id=callback.patient_id, addressed_to=None, kind=NoteKind.COMMUNICATION)
    final = clinic_desk.notes.finalize("FD", log, "Owner asked for the invoice by e-mail.")
    assert (final.status, final.author) == ("final", "FD")


def client_update(desk: FrontDesk) -> NewNote:
    with Session(desk.database.engine) as session:
        callback = session.exec(select(Callback)).first()
    if callback is None:
        callback = add_visit(desk)[0]
    return NewNote(
        patient_id=callback.patient_id,
        addressed_to="DRW",
        callback_id=callback.id,
        origin=NoteOrigin.CLIENT_UPDATE,
    )


def test_the_desk_finalizes_a_client_update_it_resolves_on_the_phone(
    clinic_desk: FrontDesk,
) -> None:
    """Resolved: finalized at once by its author, new or only autosaved so far."""
    at_once = clinic_desk.notes.finalize("FD", client_update(clinic_desk), "All well.")
    assert (at_once.status, at_once.author) == ("final", "FD")
    kept = clinic_desk.notes.save("FD", client_update(clinic_desk), "All w", autosave=True)
    assert kept.id is not None
    final = clinic_desk.notes.finalize("FD", NoteRef(kept.id, kept.version), "All well.")
    assert final.status == "final"


def test_a_client_update_saved_for_the_doctor_is_the_doctors_to_finalize(
    clinic_desk: FrontDesk,
) -> None:
    """Still concerned: once saved as a draft for the doctor, only a doctor finalizes it;
    and nobody else's update is the desk's to finalize."""
    saved = clinic_desk.notes.save("FD", client_update(clinic_desk), "Still limping.")
    assert saved.id is not None
    for actor in ("FD", "AB"):
        refused(
            clinic_desk,
            "Only a doctor may finalize a doctor's draft.",
            clinic_desk.notes.finalize,
            actor,
            NoteRef(saved.id, saved.version),
            "Still limping.",
        )
    other = clinic_desk.notes.save("FD", client_update(clinic_desk), "Lim", autosave=True)
    assert other.id is not None
    refused(
        clinic_desk,
        "Only a doctor may finalize a doctor's draft.",
        clinic_desk.notes.finalize,
        "AB",
        NoteRef(other.id, other.version),
        "Limping.",
    )


# -- the incident's escalation and its close ----------------------------------------------


def escalated(desk: FrontDesk) -> incidents.IncidentView:
    """An incident the office manager could not remedy: at the regional manager's step."""
    (callback,) = add_visit(desk, patient="Biscuit", client="Jordan Lee")
    made = desk.incidents.open(
        "FD",
        IncidentStart(
            found_via="phone",
            what_happened="Billed twice for one visit.",
            patient_id=callback.patient_id,
        ),
    )
    assert made.id is not None
    desk.incidents.office_manager(
        "OM",
        made.id,
        made.version,
        available=True,
        office_manager="OM",
        conversation="Client still wants a refund.",
        remedied=False,
    )
    view = incidents.incident(desk.database, made.id)
    assert view is not None and view.step is Step.ESCALATION
    return view


@pytest.mark.parametrize("actor", ["FD", "OM", "DRW", "AB", "system"])
def test_only_a_regional_manager_or_the_owner_records_the_escalation_outcome(
    clinic_desk: FrontDesk, actor: str
) -> None:
    """As a new user found it: FD at step 3 was accepted and closed the RM's task. No more."""
    view = escalated(clinic_desk)
    refused(
        clinic_desk,
        "Only a regional manager or the owner may record the outcome of an escalated incident.",
        clinic_desk.incidents.escalation,
        actor,
        view.id,
        view.version,
        "Refunded the exam.",
    )
    fresh = incidents.incident(clinic_desk.database, view.id)
    assert fresh is not None and fresh.step is Step.ESCALATION and fresh.resolution == ""
    (task,) = tasks.tasks(clinic_desk.database, initials="RM")  # still the RM's to do
    assert task.status == "open"


@pytest.mark.parametrize("actor", ["RM", "OW"])
def test_a_regional_manager_or_the_owner_records_it(clinic_desk: FrontDesk, actor: str) -> None:
    view = escalated(clinic_desk)
    clinic_desk.incidents.escalation(actor, view.id, view.version, "Refunded the exam.")
    assert last_actor(clinic_desk, "incident.resolved") == actor
    assert tasks.tasks(clinic_desk.database, initials="RM") == []


def ready_to_close(desk: FrontDesk) -> incidents.IncidentView:
    view = escalated(desk)
    desk.incidents.escalation("RM", view.id, view.version, "Refunded the exam.")
    fresh = incidents.incident(desk.database, view.id)
    assert fresh is not None
    desk.incidents.summary_sent("RM", fresh.id, fresh.version)
    fresh = incidents.incident(desk.database, view.id)
    assert fresh is not None and fresh.step is Step.CLOSE
    return fresh


@pytest.mark.parametrize("actor", ["FD", "AB", "TR", "DRW", "system"])
def test_front_desk_and_clinical_staff_do_not_close_an_incident(
    clinic_desk: FrontDesk, actor: str
) -> None:
    view = ready_to_close(clinic_desk)
    refused(
        clinic_desk,
        "Only an office manager, a regional manager or the owner may close an incident.",
        clinic_desk.incidents.close,
        actor,
        view.id,
        view.version,
    )


@pytest.mark.parametrize("actor", ["OM", "RM", "OW"])
def test_managers_and_the_owner_close_an_incident(clinic_desk: FrontDesk, actor: str) -> None:
    view = ready_to_close(clinic_desk)
    clinic_desk.incidents.close(actor, view.id, view.version)
    assert last_actor(clinic_desk, "incident.closed") == actor


# -- pools and do-not-call ----------------------------------------------------------------


def test_pools_are_claimed_by_their_roles(clinic_desk: FrontDesk) -> None:
    (question,) = add_visit(clinic_desk, reason="general_question")
    assert question.owner == "TA" and question.id is not None
    for actor in ("AB", "FD", "OM"):
        refused(
            clinic_desk,
            "Only a technician may claim from the TA pool.",
            clinic_desk.callbacks.claim,
            actor,
            question.id,
            question.version,
        )
    assert clinic_desk.callbacks.claim("TR", question.id, question.version).owner == "TR"


def test_anyone_at_the_desk_edits_do_not_call_and_it_is_audited(clinic_desk: FrontDesk) -> None:
    (callback,) = add_visit(clinic_desk)
    view = queries.client_details(clinic_desk.database, callback.client_id)
    assert view is not None
    clinic_desk.clients.save_details(
        "FD",
        view.id,
        view.version,
        ClientDetails(
            phones=(PhoneEntry(view.phone, best=True),),
            voicemail_ok=view.voicemail_ok,
            do_not_call=True,
            do_not_call_reason="Asked not to be called again.",
        ),
    )
    assert last_actor(clinic_desk, "client.details_changed") == "FD"
