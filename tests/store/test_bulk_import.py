"""An import writes in bulk, yet leaves exactly what adding its visits one by one would."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, col, select

from callback_tui.config import Clinic
from callback_tui.domain.intake import VisitForm
from callback_tui.domain.vocab import Outcome, Status
from callback_tui.store import audit, chain, queries, sql
from callback_tui.store.callback_desk import CallOutcome
from callback_tui.store.chain import content_of, link
from callback_tui.store.engine import Database, open_database
from callback_tui.store.errors import ServiceError
from callback_tui.store.services import FrontDesk
from callback_tui.store.tables import TABLES, Callback, Client, SearchTerm
from callback_tui.store.visit_desk import _on_file
from tests.conftest import add_visit, visit_fields

RECORDED_AT = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
STAFF = [("AB", "assistant"), ("TR", "technician"), ("DRW", "doctor"), ("DRP", "doctor")]
CLIENTS = [
    ("Jordan Lee", "(312) 555-0142"),
    ("jordan lee", "(312) 555-0142"),  # the same client, whatever the case
    ("Jordan Leigh", "(312) 555-0142"),  # another client on the same phone
    ("Maria Gonzalez", "312-555-0102"),
    ("Sam Okafor", "+1 312 555 0103"),
]
visit = st.fixed_dictionaries(
    {
        "source_id": st.one_of(st.none(), st.sampled_from([f"V{i}" for i in range(12)])),
        "client": st.sampled_from(range(len(CLIENTS))),
        "patient": st.sampled_from(["Biscuit", "biscuit", "Luna", "Pepper"]),
        "reason": st.sampled_from(["vomiting", "surgery", "core", "illness", "general_question"]),
        "assisted_by": st.sampled_from(["AB", "TR"]),
        "doctor": st.sampled_from(["DRW", "DRP"]),
        "day": st.integers(min_value=18, max_value=23),
    }
)


def forms(desk: FrontDesk, visits: list[dict[str, Any]]) -> list[VisitForm]:
    """The checked forms of `visits`, each source_id once (as the import's check leaves them)."""
    roles = queries.staff_roles(desk.database)
    out: list[VisitForm] = []
    seen: set[str] = set()
    for v in visits:
        if v["source_id"] is not None:
            if v["source_id"] in seen:
                continue
            seen.add(v["source_id"])
        client, phone = CLIENTS[v["client"]]
        fields = visit_fields(
            source_id=v["source_id"] or "",
            client=client,
            phone=phone,
            patient=v["patient"],
            reason=v["reason"],
            assisted_by=v["assisted_by"],
            doctor=v["doctor"],
            occurred_at=f"2026-11-{v['day']} 10:00",
        )
        form, problems = desk.clinic.read_visit(fields, roles)
        assert form is not None, problems
        out.append(form)
    return out


def contents(database: Database) -> dict[str, Any]:
    """Every row of every table, the events and their hashes too, ids included."""
    found: dict[str, Any] = {}
    with Session(database.engine) as session:
        for name, table in [*TABLES.items(), ("search_terms", SearchTerm)]:
            rows = session.exec(select(table).order_by(col(table.id))).all()
            found[name] = [row.model_dump() for row in rows]
    assert found["events"], "TABLES holds the audit trail"
    return found


def fresh(clinic: Clinic, path: Path) -> FrontDesk:
    desk = FrontDesk(open_database(str(path)), clinic)
    for initials, role in STAFF:
        desk.staff.add("setup", initials, initials, role)
    return desk


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    earlier=st.lists(visit, max_size=4),
    visits=st.lists(visit, min_size=1, max_size=14),
    batch=st.sampled_from([1, 2, 3, 500]),
)
def test_a_bulk_import_leaves_what_one_visit_at_a_time_does(
    clinic: Clinic,
    tmp_path_factory: Any,
    monkeypatch: Any,
    earlier: list[dict[str, Any]],
    visits: list[dict[str, Any]],
    batch: int,
) -> None:
    folder = tmp_path_factory.mktemp("twins")
    # Both twins' events carry the same time, so their hashes must match as well.
    monkeypatch.setattr("callback_tui.store.unit.real_now", lambda: RECORDED_AT)
    bulk, single = fresh(clinic, folder / "bulk.db"), fresh(clinic, folder / "single.db")
    try:
        # Both start with the same visits on file, so some clients, patients and
        # source_ids of the file are there already.
        for desk in (bulk, single):
            for form in forms(desk, earlier):
                desk.callbacks.add_visit("AB", form)
        monkeypatch.setattr("callback_tui.store.visit_desk.BATCH", batch)
        batch_forms = forms(bulk, visits)
        imported = bulk.callbacks.import_visits("TR", batch_forms)
        made = [single.callbacks.add_visit("TR", form) for form in forms(single, visits)]

        assert list(imported.created) == [c.id for callbacks in made for c in callbacks]
        assert imported.already_imported == sum(
            1 for form, callbacks in zip(batch_forms, made, strict=True) if not callbacks
        )
        assert contents(bulk.database) == contents(single.database)
        assert audit.verify(bulk.database).ok
    finally:
        bulk.database.dispose()
        single.database.dispose()


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(
        min_value=datetime(2, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
        max_value=datetime(9998, 12, 31),  # noqa: DTZ001
        timezones=st.sampled_from([UTC, ZoneInfo("America/Chicago"), ZoneInfo("Asia/Kolkata")]),
    )
)
def test_the_quick_utc_bind_writes_what_sqlalchemy_writes(value: datetime) -> None:
    """An import binds its times with `sqlite_utc_text`: the very text the column type and
    SQLite's DATETIME write, or the rows would not compare with those written one by one."""
    from sqlalchemy.dialects import sqlite

    from callback_tui.store.tables import Callback, sqlite_utc_text

    process = Callback.__table__.c["due_at"].type._cached_bind_processor(sqlite.dialect())  # type: ignore[attr-defined]
    assert sqlite_utc_text(value) == process(value)


@settings(max_examples=300, deadline=None)
@given(
    when=st.datetimes(
        min_value=datetime(1, 1, 2),  # noqa: DTZ001 - hypothesis bounds are naive
        max_value=datetime(9999, 12, 30),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    day=st.dates(),
    status=st.sampled_from(list(Status)),
    text=st.text(),
)
def test_an_event_writes_times_days_and_choices_as_the_fixed_form_does(
    when: datetime, day: date, status: Status, text: str
) -> None:
    """An event leaves a time in UTC, a day and a choice to msgspec: the text it writes is
    the fixed form's (CANONICAL) of each value as `_json` gives it."""
    from callback_tui.store.unit import _json

    values = {"at": when, "day": day, "status": status, "text": text, "none": None}
    assert chain.written(values) == chain.CANONICAL.encode(
        {key: _json(value) for key, value in values.items()}
    )


def test_the_quick_utc_bind_refuses_a_naive_time_as_the_column_does() -> None:
    from callback_tui.store.tables import sqlite_utc_text

    with pytest.raises(ValueError, match="naive"):
        sqlite_utc_text(datetime(2026, 11, 24, 9, 0))  # noqa: DTZ001 - naive on purpose
    assert sqlite_utc_text(None) is None


def test_each_event_stores_the_very_text_its_hash_covers(desk: FrontDesk) -> None:
    """An event's `before` and `after` are written once: the text in the file is the text
    inside the content hashed, whether the change came one at a time or in an import."""
    first = add_visit(desk, patient="Zoë", client='Róisín "Ro" O\'Neil')[0]
    desk.callbacks.log_outcome("AB", first.id or 0, first.version, CallOutcome(Outcome.NO_ANSWER))
    desk.callbacks.import_visits("TR", forms(desk, [{
        "source_id": "V1", "client": 3, "patient": "Luna", "reason": "surgery",
        "assisted_by": "AB", "doctor": "DRW", "day": 20,
    }]))  # fmt: skip
    assert desk.database.path is not None
    with closing(sqlite3.connect(desk.database.path)) as connection:
        rows = connection.execute(
            'SELECT at, actor, action, entity, entity_id, "before", "after", prev_hash, hash'
            " FROM event ORDER BY id"
        ).fetchall()
    actions = {row[2] for row in rows}
    assert {"callback.no_answer", "attempt.logged", "client.created"} <= actions
    assert any(row[5] != "null" for row in rows), "a change with a before is among them"
    for at, actor, action, entity, entity_id, before, after, previous, hashed in rows:
        body = content_of(sql.utc(at), actor, action, entity, entity_id, before, after)
        assert link(previous, body) == hashed


def test_an_insert_that_fails_behind_leaves_nothing_of_the_import(
    desk: FrontDesk, monkeypatch: Any
) -> None:
    """The rows of an import are written on another thread, a batch behind the one being
    made. When one of those writes fails in a later batch, the error reaches the import in
    words and the batches written before it are rolled back with it; no writer is left."""
    assert desk.database.path is not None
    with closing(sqlite3.connect(desk.database.path)) as connection, connection:
        connection.execute(
            "CREATE TRIGGER no_luna BEFORE INSERT ON patient WHEN NEW.name = 'Luna'"
            " BEGIN SELECT RAISE(ABORT, 'no Luna here'); END"
        )
    before = contents(desk.database)
    monkeypatch.setattr("callback_tui.store.visit_desk.BATCH", 1)
    visits = [
        {"source_id": f"V{i}", "client": i + 2, "patient": name, "reason": "surgery",
         "assisted_by": "AB", "doctor": "DRW", "day": 20}
        for i, name in enumerate(["Biscuit", "Pepper", "Luna"])
    ]  # fmt: skip
    with pytest.raises(ServiceError, match=r"^a row could not be written \(the file refused it\)$"):
        desk.callbacks.import_visits("TR", forms(desk, visits))
    assert contents(desk.database) == before
    assert not [t for t in threading.enumerate() if t.name.startswith("callback-tui-writer")]
    # The desk writes on afterwards: the unit of work and its connection were given back.
    add_visit(desk, patient="Pepper")


def test_nothing_reads_or_records_through_the_session_while_rows_are_written_behind(
    desk: FrontDesk,
) -> None:
    """The writer thread has the connection: a read, or a row recorded the ORM's way, in
    the middle of a bulk write is a mistake in the code, and stops it."""
    with (
        pytest.raises(RuntimeError, match="recorded"),
        desk.callbacks.write("TR") as work,
        work.inserting_behind(Client),
    ):
        work.record("client.created", Client(name="Ann", phone="+13125550100"))
    query = select(Callback.id, Callback.source_id)
    with (
        pytest.raises(RuntimeError, match="read"),
        desk.callbacks.write("TR") as work,
        work.inserting_behind(Client),
    ):
        list(_on_file(work, query, Callback.source_id, ["V1"]))
    assert contents(desk.database)["clients"] == []


def test_a_new_row_takes_the_defaults_and_refuses_a_column_the_table_lacks() -> None:
    from callback_tui.store.unit import new_row, row_values

    made = new_row(Client, {"name": "Jordan Lee", "phone": "+13125550142"})
    assert made == row_values(Client(name="Jordan Lee", phone="+13125550142"))
    with pytest.raises(TypeError, match="Client has no column colour, size"):
        new_row(Client, {"name": "Jordan Lee", "size": 3, "colour": "red"})
