"""Finding a patient, and one family's timeline."""

from __future__ import annotations

import pytest

from callback_tui.clock import FixedClock
from callback_tui.domain.vocab import Outcome
from callback_tui.store import history, search
from callback_tui.store.history import EntryKind
from callback_tui.store.services import CallOutcome, FrontDesk, NoteRef
from tests.conftest import add_visit


@pytest.fixture
def families(desk: FrontDesk) -> FrontDesk:
    add_visit(desk, patient="Biscuit", client="Jordan Lee", phone="(312) 555-0142")
    add_visit(desk, patient="Zoë", client="Maria O'Brien-Núñez", phone="(773) 555-0101")
    add_visit(desk, patient="Luna", client="Leena Park", phone="(312) 555-0177")
    add_visit(desk, patient="[bold]Rex[/bold]", client="王 小明", phone="(312) 555-0188")
    return desk


def found(desk: FrontDesk, query: str) -> list[str]:
    return [f"{f.patient}/{f.client}" for f in search.find(desk.database, query)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lee", ["Biscuit/Jordan Lee", "Luna/Leena Park"]),  # a word's start, any word
        ("LEE jor", ["Biscuit/Jordan Lee"]),  # every word must meet the same card
        ("bisc", ["Biscuit/Jordan Lee"]),  # the patient's name
        ("obrien", ["Zoë/Maria O'Brien-Núñez"]),  # punctuation dropped
        ("nunez zoe", ["Zoë/Maria O'Brien-Núñez"]),  # accents folded
        ("(312) 555-01", ["Biscuit/Jordan Lee", "Luna/Leena Park", "[bold]Rex[/bold]/王 小明"]),
        ("7735", ["Zoë/Maria O'Brien-Núñez"]),  # phone prefix
        ("5550142", ["Biscuit/Jordan Lee"]),  # the last seven digits
        ("555-0177", ["Luna/Leena Park"]),
        ("0101", ["Zoë/Maria O'Brien-Núñez"]),  # the last four
        ("1 (312) 555-0188", ["[bold]Rex[/bold]/王 小明"]),  # with the country code
        ("+13125550142", ["Biscuit/Jordan Lee"]),
        (
            "555",
            [
                "Biscuit/Jordan Lee",
                "Luna/Leena Park",
                "[bold]Rex[/bold]/王 小明",
                "Zoë/Maria O'Brien-Núñez",
            ],
        ),
        ("王", ["[bold]Rex[/bold]/王 小明"]),
        ("[bold]", ["[bold]Rex[/bold]/王 小明"]),
        ("2555", []),  # a run no one types: neither a start nor the last 7 or 4
        ("", []),
        ("  ", []),
    ],
)
def test_search_by_name_word_or_phone_prefix(
    families: FrontDesk, query: str, expected: list[str]
) -> None:
    assert found(families, query) == sorted(expected, key=lambda s: s.rsplit("/", 1)[1].casefold())


def test_the_seven_digits_typed_from_a_message_find_the_family(desk: FrontDesk) -> None:
    add_visit(desk, patient="Pepper", client="Sam Okafor", phone="(312) 555-0106")
    assert found(desk, "5550106") == ["Pepper/Sam Okafor"]
    assert found(desk, "0106 okafor") == ["Pepper/Sam Okafor"]


def test_history_is_one_timeline_newest_first(desk: FrontDesk, clock: FixedClock) -> None:
    callbacks = add_visit(desk, reason="surgery", doctor_calls="no")
    add_visit(desk, patient="Pepper", reason="vomiting")
    first = callbacks[0]
    clock.advance(minutes=5)
    logged = desk.callbacks.log_outcome(
        "AB",
        first.id,  # type: ignore[arg-type]
        first.version,
        CallOutcome(outcome=Outcome.SPOKE, notes="Sore but eating.", concern_for_doctor=True),
    )
    assert logged.draft is not None and logged.draft.id is not None
    clock.advance(minutes=5)
    desk.notes.finalize("DRW", NoteRef(logged.draft.id, logged.draft.version), "Sore but eating.")
    clock.advance(minutes=5)
    desk.notes.amend("DRW", logged.draft.id, "Pain meds extended.")

    whole = history.history(desk.database, first.client_id)
    assert whole is not None
    assert [p.name for p in whole.patients] == ["Biscuit", "Pepper"]
    kinds = [(e.kind, e.patient, e.status) for e in whole.entries]
    assert kinds[:3] == [
        (EntryKind.AMENDMENT, "Biscuit", "final"),
        (EntryKind.NOTE, "Biscuit", "final"),
        (EntryKind.CALL, "Biscuit", "spoke"),
    ]
    assert {e.patient for e in whole.entries if e.kind is EntryKind.CALLBACK} == {
        "Biscuit",
        "Pepper",
    }
    times = [e.at for e in whole.entries]
    assert times == sorted(times, reverse=True)

    one = history.history(desk.database, first.client_id, patient_id=first.patient_id)
    assert one is not None and one.patient_id == first.patient_id
    assert {e.patient for e in one.entries} == {"Biscuit"}


def test_history_of_a_missing_client_is_none(desk: FrontDesk) -> None:
    assert history.history(desk.database, 404) is None


def test_history_lists_records_of_one_instant_newest_first(desk: FrontDesk) -> None:
    """Records made at the same moment (a visit's callbacks, two calls logged in one second)
    come newest first, by the order they were made: not in whatever order the database
    happens to return ties, which SQLite and PostgreSQL do not share."""
    callbacks = add_visit(desk, reason="surgery", doctor_calls="no")
    callbacks += add_visit(desk, reason="vomiting")
    assert len(callbacks) >= 3
    for callback in callbacks[:2]:
        desk.callbacks.log_outcome(
            "AB",
            callback.id,  # type: ignore[arg-type]
            callback.version,
            CallOutcome(outcome=Outcome.NO_ANSWER, notes=f"Try {callback.id}"),
        )

    whole = history.history(desk.database, callbacks[0].client_id)
    assert whole is not None
    made = [(e.kind, e.detail) for e in whole.entries if e.kind is EntryKind.CALL]
    assert made == [(EntryKind.CALL, f"Try {c.id}") for c in reversed(callbacks[:2])]
    listed = [e.detail.partition(",")[0] for e in whole.entries if e.kind is EntryKind.CALLBACK]
    assert listed == [c.kind.replace("_", " ") for c in reversed(callbacks)]
