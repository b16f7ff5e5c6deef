"""A client's details: phones, window, consent, do-not-call; and a wrong number corrected."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, col, select

from callback_tui.domain.vocab import Outcome
from callback_tui.store import queries, search, tasks
from callback_tui.store.engine import Database
from callback_tui.store.services import (
    CallOutcome,
    ClientDetails,
    FrontDesk,
    Invalid,
    NumberCheck,
    PhoneEntry,
    StaleVersion,
)
from callback_tui.store.tables import Callback, Event
from tests.conftest import add_visit

JORDAN = "+13125550142"


def events(database: Database, action: str) -> list[Event]:
    with Session(database.engine) as session:
        found = select(Event).where(Event.action == action).order_by(col(Event.id))
        return list(session.exec(found))


def every_event(database: Database) -> int:
    with Session(database.engine) as session:
        return len(session.exec(select(Event.id)).all())


def details(**changes: Any) -> ClientDetails:
    values: dict[str, Any] = {
        "phones": (PhoneEntry("(312) 555-0142", "home", best=True),),
        "voicemail_ok": True,
    }
    values.update(changes)
    return ClientDetails(**values)


@pytest.fixture
def jordan(desk: FrontDesk) -> Callback:
    (callback,) = add_visit(desk, patient="Biscuit", client="Jordan Lee")
    return callback


def test_a_save_changes_phones_and_consent_with_one_event_naming_what_changed(
    desk: FrontDesk, jordan: Callback
) -> None:
    before = queries.client_details(desk.database, jordan.client_id)
    assert before is not None
    assert [(p.number, p.label, p.best) for p in before.phones] == [(JORDAN, "other", True)]
    saved = desk.clients.save_details(
        "FD",
        jordan.client_id,
        before.version,
        details(
            phones=(
                PhoneEntry("312 555 0142", "home"),
                PhoneEntry("(312) 555-0199", "mobile", best=True),
            ),
            preferred_window="evening",
            text_ok=True,
        ),
    )
    assert set(saved.changed) == {"phones", "preferred_window", "text_ok"}

    after = queries.client_details(desk.database, jordan.client_id)
    assert after is not None and after.version == before.version + 1
    assert [(p.number, p.label, p.best) for p in after.phones] == [
        ("+13125550199", "mobile", True),
        (JORDAN, "home", False),
    ]
    assert (after.preferred_window, after.voicemail_ok, after.text_ok) == ("evening", True, True)
    # The best phone is the one the queue shows and calls.
    row = queries.callback_row(desk.database, jordan.id)  # type: ignore[arg-type]
    assert row is not None and row.phone == "+13125550199"
    # Found by either number.
    for digits in ("3125550199", "312555014", "(312) 555-0142"):
        assert [f.patient for f in search.find(desk.database, digits)] == ["Biscuit"], digits

    (event,) = events(desk.database, "client.details_changed")
    assert (event.actor, event.entity, event.entity_id) == ("FD", "client", jordan.client_id)
    assert event.before is not None and event.after is not None
    assert event.before["phones"] == [{"number": JORDAN, "label": "other", "best": True}]
    assert event.after["phones"] == [
        {"number": "+13125550199", "label": "mobile", "best": True},
        {"number": JORDAN, "label": "home", "best": False},
    ]
    assert sorted(event.after["changed"]) == ["phones", "preferred_window", "text_ok"]
    assert (event.before["text_ok"], event.after["text_ok"]) == (False, True)
    assert event.after["phone"] == "+13125550199"


def test_a_removed_number_no_longer_finds_the_client(desk: FrontDesk, jordan: Callback) -> None:
    view = queries.client_details(desk.database, jordan.client_id)
    assert view is not None
    desk.clients.save_details(
        "FD",
        jordan.client_id,
        view.version,
        details(phones=(PhoneEntry("", "home"), PhoneEntry("312-555-0199", "work", best=True))),
    )
    assert search.find(desk.database, "3125550142") == []
    assert [f.phone for f in search.find(desk.database, "Biscuit")] == ["+13125550199"]


def test_do_not_call_needs_its_reason_and_is_kept_with_it(
    desk: FrontDesk, jordan: Callback
) -> None:
    view = queries.client_details(desk.database, jordan.client_id)
    assert view is not None
    with pytest.raises(Invalid) as refused:
        desk.clients.save_details("FD", jordan.client_id, view.version, details(do_not_call=True))
    assert refused.value.problems == {"reason": "say why the client is not to be called"}
    desk.clients.save_details(
        "FD",
        jordan.client_id,
        view.version,
        details(do_not_call=True, do_not_call_reason="Asked in writing: no calls, letters only"),
    )
    kept = queries.client_details(desk.database, jordan.client_id)
    assert kept is not None and kept.do_not_call
    assert kept.do_not_call_reason == "Asked in writing: no calls, letters only"
    (event,) = events(desk.database, "client.details_changed")
    assert event.after is not None
    assert sorted(event.after["changed"]) == ["do_not_call", "do_not_call_reason", "phones"]


def test_bad_input_is_refused_field_by_field_and_nothing_is_written(
    desk: FrontDesk, jordan: Callback
) -> None:
    view = queries.client_details(desk.database, jordan.client_id)
    assert view is not None
    written = every_event(desk.database)

    def refused(entry: ClientDetails) -> dict[str, str]:
        with pytest.raises(Invalid) as caught:
            desk.clients.save_details("FD", jordan.client_id, view.version, entry)
        return caught.value.problems

    one = PhoneEntry("(312) 555-0142", "home", best=True)
    assert refused(details(phones=(one, PhoneEntry("555", "mobile")))) == {
        "phone-1": "not a phone number that can be called: check the digits and the area code"
    }
    assert refused(details(phones=(one, PhoneEntry("312.555.0142", "work")))) == {
        "phone-1": "the same number as phone 1"
    }
    assert refused(details(phones=(PhoneEntry("(312) 555-0142", "home"),))) == {
        "phones": "pick the best phone: the one called and shown first"
    }
    assert refused(details(phones=(PhoneEntry(" ", best=True),))) == {
        "phones": "a client needs a phone number"
    }
    assert refused(details(phones=(one, PhoneEntry("312-555-0199", "pager")))) == {
        "label-1": "one of: mobile, home, work, other"
    }
    assert refused(details(preferred_window="lunchtime")) == {
        "window": "not one of the clinic's call windows"
    }
    assert every_event(desk.database) == written
    assert queries.client_details(desk.database, jordan.client_id) == view


def test_a_save_over_another_desks_change_is_refused(desk: FrontDesk, jordan: Callback) -> None:
    view = queries.client_details(desk.database, jordan.client_id)
    assert view is not None
    desk.clients.save_details("CD", jordan.client_id, view.version, details(text_ok=True))
    with pytest.raises(StaleVersion, match="changed at the other desk by CD"):
        desk.clients.save_details("FD", jordan.client_id, view.version, details())


def test_saving_what_is_already_there_writes_nothing(desk: FrontDesk, jordan: Callback) -> None:
    view = queries.client_details(desk.database, jordan.client_id)
    assert view is not None
    same = ClientDetails(phones=(PhoneEntry(JORDAN, "other", best=True),), voicemail_ok=True)
    written = every_event(desk.database)
    assert desk.clients.save_details("FD", jordan.client_id, view.version, same).changed == ()
    assert every_event(desk.database) == written
    assert queries.client_details(desk.database, jordan.client_id) == view


# -- a wrong number, corrected --------------------------------------------------------------


def wrong_number_task(desk: FrontDesk, callback: Callback) -> tasks.TaskRow:
    desk.callbacks.log_outcome(
        "AB",
        callback.id,  # type: ignore[arg-type]
        callback.version,
        CallOutcome(Outcome.WRONG_NUMBER),
    )
    (task,) = tasks.tasks(desk.database, initials="FD")
    assert task.kind == "verify_number"
    return task


def test_the_right_number_becomes_best_clears_the_flag_and_is_audited(
    desk: FrontDesk, jordan: Callback
) -> None:
    view = queries.client_details(desk.database, jordan.client_id)
    assert view is not None
    # A work number besides the one that turned out wrong.
    desk.clients.save_details(
        "FD",
        jordan.client_id,
        view.version,
        details(phones=(PhoneEntry(JORDAN, best=True), PhoneEntry("312-555-0150", "work"))),
    )
    task = wrong_number_task(desk, jordan)
    flagged = queries.callback_row(desk.database, jordan.id)  # type: ignore[arg-type]
    assert flagged is not None and flagged.wrong_number

    done = desk.tasks.verify_number(
        "FD", task.id, task.version, NumberCheck(number="312 555 0188", label="mobile")
    )
    assert (done.status, done.done_note) == ("done", "Right number: (312) 555-0188")
    row = queries.callback_row(desk.database, jordan.id)  # type: ignore[arg-type]
    assert row is not None and not row.wrong_number and row.phone == "+13125550188"
    corrected = queries.client_details(desk.database, jordan.client_id)
    assert corrected is not None
    assert [(p.number, p.label, p.best) for p in corrected.phones] == [
        ("+13125550188", "mobile", True),
        ("+13125550150", "work", False),
    ]
    assert [f.patient for f in search.find(desk.database, "3125550188")] == ["Biscuit"]
    assert search.find(desk.database, "3125550142") == []

    (client_event,) = events(desk.database, "client.number_corrected")
    assert client_event.actor == "FD" and client_event.entity_id == jordan.client_id
    assert client_event.before is not None and client_event.after is not None
    assert [p["number"] for p in client_event.before["phones"]] == [JORDAN, "+13125550150"]
    assert client_event.after["phones"][0] == {
        "number": "+13125550188",
        "label": "mobile",
        "best": True,
    }
    assert client_event.after["task_id"] == task.id
    (callback_event,) = events(desk.database, "callback.number_corrected")
    assert callback_event.before is not None and callback_event.after is not None
    assert (callback_event.before["wrong_number"], callback_event.after["wrong_number"]) == (
        True,
        False,
    )
    (task_event,) = events(desk.database, "task.done")
    assert task_event.after is not None and task_event.after["number_found"] is True


def test_none_found_needs_a_note_and_leaves_the_flag(desk: FrontDesk, jordan: Callback) -> None:
    task = wrong_number_task(desk, jordan)

    def refused(check: NumberCheck) -> dict[str, str]:
        with pytest.raises(Invalid) as caught:
            desk.tasks.verify_number("FD", task.id, task.version, check)
        return caught.value.problems

    assert refused(NumberCheck()) == {
        "number": "type the right number, or tick that none could be found"
    }
    assert refused(NumberCheck(number="555-01")) == {
        "number": "not a phone number that can be called: check the digits and the area code"
    }
    assert refused(NumberCheck(number="312-555-0188", none_found=True, note="x")) == {
        "number": "no number when none was found: clear it, or untick that"
    }
    assert refused(NumberCheck(none_found=True)) == {
        "note": "say what was tried to find the number"
    }
    desk.tasks.verify_number(
        "FD", task.id, task.version, NumberCheck(none_found=True, note="Records and referrer: none")
    )
    row = queries.callback_row(desk.database, jordan.id)  # type: ignore[arg-type]
    assert row is not None and row.wrong_number and row.phone == JORDAN
    assert events(desk.database, "client.number_corrected") == []
    (task_event,) = events(desk.database, "task.done")
    assert task_event.after is not None and task_event.after["number_found"] is False
    assert task_event.after["done_note"] == "Records and referrer: none"


# -- do-not-call overridden, counted -----------------------------------------------------------


def test_a_do_not_call_override_is_flagged_in_the_attempts_event(
    desk: FrontDesk, jordan: Callback
) -> None:
    (other,) = add_visit(desk, patient="Luna", client="Maria Gonzalez", phone="312-555-0102")
    view = queries.client_details(desk.database, jordan.client_id)
    assert view is not None
    desk.clients.save_details(
        "FD",
        jordan.client_id,
        view.version,
        details(do_not_call=True, do_not_call_reason="Asked not to be called"),
    )
    desk.callbacks.log_outcome(
        "AB",
        jordan.id,  # type: ignore[arg-type]
        jordan.version,
        CallOutcome(Outcome.SPOKE, dnc_justification="Post-op bleeding reported by the lab"),
    )
    desk.callbacks.log_outcome("AB", other.id, other.version, CallOutcome(Outcome.SPOKE))  # type: ignore[arg-type]
    logged = events(desk.database, "attempt.logged")
    assert [e.after.get("do_not_call_override") for e in logged if e.after] == [True, None]


# -- new clients: nothing assumed ---------------------------------------------------------------


def test_a_new_clients_consent_is_what_its_visit_says_and_nothing_more(desk: FrontDesk) -> None:
    (unsaid,) = add_visit(desk, patient="Biscuit", client="Jordan Lee", voicemail_ok="")
    (said,) = add_visit(
        desk,
        patient="Luna",
        client="Maria Gonzalez",
        phone="312-555-0102",
        voicemail_ok="yes",
        text_ok="Y",
        do_not_call="yes",
        preferred_window="Afternoon",
    )
    quiet = queries.client_details(desk.database, unsaid.client_id)
    assert quiet is not None
    assert (quiet.voicemail_ok, quiet.text_ok, quiet.do_not_call, quiet.preferred_window) == (
        False,
        False,
        False,
        None,
    )
    told = queries.client_details(desk.database, said.client_id)
    assert told is not None
    assert (told.voicemail_ok, told.text_ok, told.do_not_call, told.preferred_window) == (
        True,
        True,
        True,
        "afternoon",
    )
    assert told.do_not_call_reason == "marked do-not-call in an imported file"
    roles = queries.staff_roles(desk.database)
    from tests.conftest import visit_fields

    _, problems = desk.clinic.read_visit(
        visit_fields(preferred_window="lunch", text_ok="maybe"), roles
    )
    assert problems == [
        ("text_ok", "'maybe': use yes or no"),
        ("preferred_window", "not one of the clinic's call windows (morning, afternoon, evening)"),
    ]


def test_a_visit_finds_its_client_by_any_of_their_numbers(
    desk: FrontDesk, jordan: Callback
) -> None:
    view = queries.client_details(desk.database, jordan.client_id)
    assert view is not None
    desk.clients.save_details(
        "FD",
        jordan.client_id,
        view.version,
        details(phones=(PhoneEntry("312-555-0199", "mobile", best=True), PhoneEntry(JORDAN))),
    )
    (again,) = add_visit(desk, patient="Pepper", client="jordan lee", source_id="V9")
    assert again.client_id == jordan.client_id
    roles = queries.staff_roles(desk.database)
    from tests.conftest import visit_fields

    forms = []
    for number, patient in (("312-555-0199", "Mochi"), ("312-555-0142", "Rex")):
        form, problems = desk.clinic.read_visit(
            visit_fields(phone=number, patient=patient, client="Jordan Lee"), roles
        )
        assert form is not None, problems
        forms.append(form)
    made = desk.callbacks.import_visits("setup", forms)
    with Session(desk.database.engine) as session:
        owners = {session.get(Callback, i).client_id for i in made.created}  # type: ignore[union-attr]
    assert owners == {jordan.client_id}
    # Their new patients are found by either number.
    assert {f.patient for f in search.find(desk.database, "3125550199")} == {
        "Biscuit",
        "Pepper",
        "Mochi",
        "Rex",
    }
