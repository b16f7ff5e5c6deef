"""The read layer's door (store/sql.py): parameters bound, never formatted; values read back
in the types the rows promise; one snapshot per read."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from msgspec.structs import replace
from sqlmodel import Session

from callback_tui.store import queries
from callback_tui.store.engine import Database
from callback_tui.store.services import FrontDesk
from callback_tui.store.sql import Reads, bind, chunks, day, flag, utc
from callback_tui.store.tables import Client
from tests.conftest import add_visit


def reads(paramstyle: str = "named") -> Reads:
    return Reads(sqlite3.connect(":memory:"), sqlite=True, paramstyle=paramstyle)


def test_a_list_expands_into_one_parameter_each_and_an_empty_one_matches_nothing() -> None:
    text, values = reads().prepare(
        "SELECT 1 WHERE a IN (:ids) AND b = :b", {"ids": [3, 1], "b": "x"}
    )
    assert text == "SELECT 1 WHERE a IN (:ids_0, :ids_1) AND b = :b"
    assert values == {"ids_0": 3, "ids_1": 1, "b": "x"}
    text, values = reads().prepare("SELECT 1 WHERE a IN (:ids)", {"ids": []})
    assert text == "SELECT 1 WHERE a IN (NULL)" and values == {}


def test_values_are_bound_never_written_into_the_statement() -> None:
    hostile = "x'); DROP TABLE staff; --"
    found = reads().all("SELECT :name, :name || '!'", name=hostile)
    assert found == [(hostile, hostile + "!")]


def test_casts_and_colons_inside_words_are_not_parameters() -> None:
    text, values = reads().prepare("SELECT a::text, 'b:c' WHERE d = :d", {"d": 1})
    assert text == "SELECT a::text, 'b:c' WHERE d = :d" and values == {"d": 1}


def test_a_missing_parameter_is_a_bug_named_at_once() -> None:
    with pytest.raises(KeyError, match=":absent"):
        reads().prepare("SELECT :absent", {})


def test_pyformat_drivers_get_their_placeholders_and_literal_percents() -> None:
    text, values = reads("pyformat").prepare(
        "SELECT name FROM t WHERE name LIKE 'A%' AND id IN (:ids)", {"ids": (1, 2)}
    )
    assert text == "SELECT name FROM t WHERE name LIKE 'A%%' AND id IN (%(ids_0)s, %(ids_1)s)"
    assert values == {"ids_0": 1, "ids_1": 2}


def test_times_cross_as_the_file_keeps_them_and_come_back_aware() -> None:
    chicago = timezone(timedelta(hours=-6))
    moment = datetime(2026, 11, 24, 9, 5, 7, 250, tzinfo=chicago)
    assert bind(moment, sqlite=True) == "2026-11-24 15:05:07.000250"
    assert bind(moment, sqlite=False) == datetime(2026, 11, 24, 15, 5, 7, 250)  # noqa: DTZ001
    assert bind(date(2026, 11, 24), sqlite=True) == "2026-11-24"
    assert utc("2026-11-24 15:05:07.000250") == moment.astimezone(UTC)
    assert day("2026-11-24") == date(2026, 11, 24) and flag(1) is True and flag(0) is False
    with pytest.raises(ValueError, match="naive"):
        bind(datetime(2026, 11, 24, 9, 0), sqlite=True)  # noqa: DTZ001


def test_long_lists_go_in_slices() -> None:
    assert [len(part) for part in chunks(range(1_203), 500)] == [500, 500, 203]
    assert list(chunks([], 500)) == []


def test_the_queue_read_sees_what_the_services_wrote(desk: FrontDesk, database: Database) -> None:
    """The same fixtures the services use: a visit added through them is read back whole."""
    (made,) = add_visit(desk, patient="Biscuit", occurred_at="2026-11-23 10:00")
    clinic = desk.clinic
    queue = queries.today(database, "AB", clinic.clock.today(), clinic.calendar)
    (row,) = queue.rows
    assert (row.id, row.patient, row.client, row.owner) == (made.id, "Biscuit", "Jordan Lee", "AB")
    assert row.due_at == made.due_at and row.due_at.tzinfo is not None
    with Session(database.engine) as session:  # the write side's own view of the same rows
        client = session.get(Client, row.client_id)
    assert client is not None
    assert (row.phone, row.do_not_call, row.voicemail_ok, row.text_ok) == (
        client.phone,
        client.do_not_call,
        client.voicemail_ok,
        client.text_ok,
    )
    assert queries.callback_row(database, row.id) == replace(row, section=None)


def test_a_read_is_one_snapshot_even_while_another_desk_writes(
    desk: FrontDesk, database: Database
) -> None:
    add_visit(desk, patient="Biscuit")
    with database.read() as found:
        before = found.value("SELECT COUNT(*) FROM callback")
        add_visit(desk, patient="Pepper", client="Ana Ruiz", phone="(312) 555-0177")
        assert found.value("SELECT COUNT(*) FROM callback") == before
    with database.read() as found:
        assert found.value("SELECT COUNT(*) FROM callback") == before + 1
