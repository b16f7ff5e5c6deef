"""Upset-patient incidents through the service: every path, every step an event."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC

import pytest
from sqlmodel import Session, col, select

from callback_tui.domain.incidents import FoundVia, Step, check_reply
from callback_tui.store import incidents, tasks
from callback_tui.store.incident_desk import IncidentStart
from callback_tui.store.services import FrontDesk, Invalid, NotAllowed, ServiceError
from callback_tui.store.tables import Client, Event, Incident, Note, Patient
from tests.conftest import add_visit


@pytest.fixture
def desk_with_rm(desk: FrontDesk) -> FrontDesk:
    desk.staff.add("setup", "RM", "Reggie Moss", "regional_manager")
    return desk


def start(desk: FrontDesk, found_via: str = "in_office") -> incidents.IncidentView:
    (callback,) = add_visit(desk, patient="Biscuit", client="Jordan Lee")
    made = desk.incidents.open(
        "AB",
        IncidentStart(
            found_via=found_via,
            what_happened="Waited 40 minutes; left before being seen.",
            patient_id=callback.patient_id,
            staff_involved="AB, FD",
        ),
    )
    view = incidents.incident(desk.database, made.id)  # type: ignore[arg-type]
    assert view is not None
    return view


def again(desk: FrontDesk, view: incidents.IncidentView) -> incidents.IncidentView:
    fresh = incidents.incident(desk.database, view.id)
    assert fresh is not None
    return fresh


def incident_actions(desk: FrontDesk) -> list[tuple[str, str]]:
    with Session(desk.database.engine) as session:
        rows = session.exec(select(Event).where(Event.entity == "incident").order_by(col(Event.id)))
        return [(e.actor, e.action) for e in rows]


def test_remedied_by_the_office_manager_on_the_spot(desk: FrontDesk) -> None:
    view = start(desk)
    assert (view.step, view.subject, view.owner) == (
        Step.OFFICE_MANAGER,
        "Biscuit · Jordan Lee",
        "office manager",
    )
    view = again(
        desk,
        _om(desk, view, available=True, remedied=True, said="Apologised; next visit on us."),
    )
    assert (view.step, view.resolution) == (Step.LEADERSHIP, "Apologised; next visit on us.")
    assert "Resolution:\nApologised; next visit on us." in view.summary(desk.clinic.calendar)
    desk.incidents.summary_sent("OM", view.id, view.version)
    view = again(desk, view)
    assert view.step is Step.CLOSE
    with pytest.raises(NotAllowed, match="Only an office manager, a regional manager or the"):
        desk.incidents.close("AB", view.id, view.version)
    desk.incidents.close("OM", view.id, view.version)
    view = again(desk, view)
    assert (view.status, view.step, view.closed_by) == ("closed", Step.CLOSED, "OM")
    assert incident_actions(desk) == [
        ("AB", "incident.opened"),
        ("OM", "incident.remedied"),
        ("OM", "incident.leadership_told"),
        ("OM", "incident.closed"),
    ]
    with Session(desk.database.engine) as session:
        documented = session.exec(select(Note).where(Note.incident_id == view.id)).all()
    assert [(n.kind, n.status, n.author) for n in documented] == [
        ("communication", "final", "AB"),
        ("communication", "final", "OM"),
    ]


def _om(
    desk: FrontDesk,
    view: incidents.IncidentView,
    *,
    available: bool,
    remedied: bool | None = None,
    said: str = "",
    actor: str = "OM",
) -> incidents.IncidentView:
    desk.incidents.office_manager(
        actor,
        view.id,
        view.version,
        available=available,
        office_manager="OM",
        conversation=said,
        remedied=remedied,
    )
    return again(desk, view)


def test_unavailable_then_not_remedied_then_the_regional_manager(desk_with_rm: FrontDesk) -> None:
    desk = desk_with_rm
    view = _om(desk, start(desk), available=False, actor="AB")
    assert view.step is Step.OFFICE_MANAGER and view.open_tasks == ("OM",)
    (task,) = tasks.tasks(desk.database, initials="OM")
    assert (task.title, task.about.incident_id) == (
        "Upset client: speak with Biscuit · Jordan Lee",
        view.id,
    )

    view = _om(desk, view, available=True, remedied=False, said="Still wants a refund.")
    assert view.step is Step.ESCALATION and view.open_tasks == ("regional manager",)
    assert tasks.tasks(desk.database, initials="OM") == []  # done by recording the call
    (rm_task,) = tasks.tasks(desk.database, initials="RM")
    assert rm_task.title == "Upset client not remedied: Biscuit · Jordan Lee"

    desk.incidents.escalation("RM", view.id, view.version, "Refunded the exam; client satisfied.")
    view = again(desk, view)
    assert (view.step, view.resolution, view.open_tasks) == (
        Step.LEADERSHIP,
        "Refunded the exam; client satisfied.",
        (),
    )
    assert "escalated to the regional manager" in view.summary(desk.clinic.calendar)
    desk.incidents.summary_sent("RM", view.id, view.version)
    desk.incidents.close("RM", view.id, again(desk, view).version)
    assert again(desk, view).status == "closed"


def test_an_online_review_reply_naming_the_patient_is_refused_until_clean(
    desk: FrontDesk,
) -> None:
    view = start(desk, found_via="online_review")
    view = _om(desk, view, available=True, remedied=True, said="Called; resolved.")
    desk.incidents.summary_sent("OM", view.id, view.version)
    view = again(desk, view)
    assert view.step is Step.REVIEW
    with pytest.raises(ServiceError, match="review reply is not posted"):
        desk.incidents.close("OM", view.id, view.version)

    bad = "Sorry Jordan, we hope Biscuit's vomiting is better. Call 312-555-0142."
    with pytest.raises(Invalid) as refused:
        desk.incidents.review_reply(
            "OM", view.id, view.version, platform="Google", link="", reply=bad, posted=True
        )
    message = refused.value.problems["reply"]
    for hit in ("'Jordan' (a name)", '"Biscuit\'s" (a name)', "'vomiting' (a clinical word)",
                "'312-555-0142' (a phone number)"):  # fmt: skip
        assert hit in message
    assert again(desk, view).review_reply == ""  # nothing half-written

    desk.incidents.review_reply(
        "OM", view.id, view.version, platform="Google", link="", reply=bad, posted=False
    )
    view = again(desk, view)
    assert view.review_reply == bad and view.step is Step.REVIEW  # kept as a draft
    good = "Thank you for the feedback. We have spoken with you and value your trust."
    desk.incidents.review_reply(
        "OM", view.id, view.version, platform="Google", link="https://g.co/x", reply=good,
        posted=True,
    )  # fmt: skip
    view = again(desk, view)
    assert view.step is Step.CLOSE and view.reply_posted_at is not None
    desk.incidents.close("OM", view.id, view.version)


def test_a_kept_draft_is_an_incident_at_step_one_and_completing_it_keeps_its_id(
    desk: FrontDesk,
) -> None:
    kept = desk.incidents.keep_draft(
        "AB", None, None, {"subject": "Ms [b]Ortiz[/b]", "what_happened": "Shouted at"}
    )
    view = incidents.incident(desk.database, kept.id)  # type: ignore[arg-type]
    assert view is not None
    assert (view.step, view.draft["what_happened"], view.owner) == (
        Step.WHAT_HAPPENED,
        "Shouted at",
        "AB",
    )
    with pytest.raises(Invalid) as refused:
        desk.incidents.open(
            "AB", IncidentStart(found_via="mail", what_happened=" "), (view.id, view.version)
        )
    assert set(refused.value.problems) == {"found_via", "what_happened", "subject"}
    done = desk.incidents.open(
        "AB",
        IncidentStart(found_via="phone", what_happened="Shouted at the desk.", subject="Ms Ortiz"),
        (view.id, view.version),
    )
    assert done.id == view.id and done.step == "office_manager" and done.draft is None
    assert incident_actions(desk) == [("AB", "incident.started"), ("AB", "incident.opened")]


def test_steps_out_of_order_are_refused(desk: FrontDesk) -> None:
    view = start(desk)
    with pytest.raises(ServiceError, match="at the Office manager step"):
        desk.incidents.summary_sent("OM", view.id, view.version)
    with pytest.raises(Invalid) as refused:
        desk.incidents.office_manager(
            "OM", view.id, view.version, available=True, office_manager="AB", remedied=None
        )
    assert set(refused.value.problems) == {"office_manager", "conversation", "remedied"}


def test_check_reply_finds_names_phones_and_clinical_words() -> None:
    hits = check_reply(
        "Dear Zoë, the X-ray and lab  results for Rex are fine; call +1 (312) 555-0142.",
        names=["Zoe Park", "Rex"],
        phones=["+13125550142"],
        words=["x-ray", "lab results", "surgery"],
    )
    assert [(h.found, h.why) for h in hits] == [
        ("Zoë", "a name"),
        ("X-ray", "a clinical word"),
        ("lab  results", "a clinical word"),
        ("Rex", "a name"),
        ("+1 (312) 555-0142", "a phone number"),
    ]
    assert (
        check_reply("Thank you; we value your feedback.", names=["Zoe"], phones=[], words=["x-ray"])
        == []
    )


def test_a_name_given_twice_is_one_hit() -> None:
    hits = check_reply(
        "Sorry Jordan.", names=["Biscuit · Jordan Lee", "Jordan Lee"], phones=[], words=[]
    )
    assert [(h.found, h.why) for h in hits] == [("Jordan", "a name")]


def test_terminal_codes_typed_into_an_incident_are_not_kept(desk: FrontDesk) -> None:
    made = desk.incidents.open(
        "AB",
        IncidentStart(
            found_via="phone",
            what_happened="Shouted\x1b[2J at the desk.\x07",
            subject="Sam \x1b[31mOkafor\x1b[0m",
            staff_involved="AB,\x1b]0;pwned\x07 FD",
        ),
    )
    assert (made.subject, made.staff_involved) == ("Sam [31mOkafor[0m", "AB,]0;pwned FD")
    assert made.what_happened == "Shouted[2J at the desk."
    kept = desk.incidents.keep_draft("AB", None, None, {"subject": "Lee\x1b[5m", "what": "x\x9b"})
    assert kept.draft == {"subject": "Lee[5m", "what": "x"}
    assert "\x1b" not in kept.subject


def _stored_as_viewed(desk: FrontDesk, view: incidents.IncidentView) -> None:
    """Every field of the view is the stored incident's, in the same types."""
    with Session(desk.database.engine) as session:
        stored = session.get(Incident, view.id)
        assert stored is not None
        client = session.get(Client, stored.client_id) if stored.client_id else None
        patient = session.get(Patient, stored.patient_id) if stored.patient_id else None
        assert (view.names, view.phones) == incidents.people(stored, client, patient)
        for field in fields(incidents.IncidentView):
            if field.name in Incident.model_fields:
                expected = getattr(stored, field.name)
                if field.name == "draft":
                    expected = dict(expected or {})
                assert getattr(view, field.name) == expected, field.name
                assert type(getattr(view, field.name)) in (type(expected), Step, FoundVia)
    for when in (view.occurred_at, view.created_at, view.summary_sent_at, view.closed_at):
        assert when is None or when.tzinfo is UTC


def test_views_are_the_stored_incidents_oldest_first_and_the_board_the_open_ones(
    desk_with_rm: FrontDesk,
) -> None:
    desk = desk_with_rm
    first = _om(desk, start(desk), available=True, remedied=False, said="Wants a refund.")
    assert (first.remedied, first.phones) == (False, ("+13125550142",))
    assert first.names == ("Biscuit · Jordan Lee", "Jordan Lee", "Biscuit")
    desk.clinic.clock.advance(hours=1)  # type: ignore[attr-defined]
    kept = desk.incidents.keep_draft("AB", None, None, {"subject": "Ms Ortiz", "said": "Loud"})
    desk.incidents.escalation("RM", first.id, first.version, "Refunded.")
    desk.incidents.summary_sent("RM", first.id, again(desk, first).version)
    desk.incidents.close("RM", first.id, again(desk, first).version)

    listed = incidents.incidents(desk.database)
    assert [v.id for v in listed] == [first.id, kept.id]
    for view in listed:
        _stored_as_viewed(desk, view)
    closed, draft = listed
    assert closed.closed_at is not None and closed.summary_sent_at is not None
    assert (draft.draft, draft.remedied, draft.names, draft.phones) == (
        {"subject": "Ms Ortiz", "said": "Loud"},
        None,
        ("Ms Ortiz",),
        (),
    )
    assert incidents.incidents(desk.database, open_only=True) == [draft]
    assert incidents.incident(desk.database, kept.id) == draft  # type: ignore[arg-type]
    assert incidents.incident(desk.database, 999) is None
