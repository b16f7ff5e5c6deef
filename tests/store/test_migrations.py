"""Upgrading files made by earlier versions: every row and event kept, or the file untouched."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import Session, SQLModel, select

from callback_tui.store import chain, reports, schema
from callback_tui.store.audit import verify
from callback_tui.store.backup import list_backups
from callback_tui.store.engine import Database, open_database
from callback_tui.store.errors import StoreError
from callback_tui.store.migrate import _migrate
from callback_tui.store.tables import Callback, Event

FIXTURE = Path(__file__).parents[1] / "fixtures" / "callback-0.1.0.db"
"""Made by callback-tui 0.1.0 from its demo clinic (plus a final note with an amendment, a
wrong number's task done, a second incident), before migrations existed. Never regenerate it:
it stands for the files clinics have."""

FIXTURE_020 = Path(__file__).parents[1] / "fixtures" / "callback-0.2.0.db"
FIXTURE_030 = Path(__file__).parents[1] / "fixtures" / "callback-0.3.0.db"
"""Made by callback-tui 0.2.0 (commit 2b6e875, schema 0003) from its demo clinic, with a call
spoken to and a missed one logged. Never regenerate it either."""

FIXTURE_040 = Path(__file__).parents[1] / "fixtures" / "callback-0.4.0.db"
"""Made by callback-tui 0.4.0 (commit b1d38ac, schema 0008) from its demo clinic on a clock
pinned to Monday 30 November 2026, 09:30 in Chicago, with a wrong number and its task, a
client given a second phone, and a voicemail taken in (a callback with a response target).
Never regenerate it either."""

TABLES_010 = (
    "staff", "client", "patient", "callback", "attempt", "note", "note_amendment", "task",
    "incident", "search_term", "event",
)  # fmt: skip


def rows(path: Path, table: str, columns: str = "*") -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(f"SELECT {columns} FROM {table} ORDER BY id").fetchall()


def copied(fixture: Path, tmp_path: Path, revision: str) -> tuple[Path, list[str]]:
    """A copy of `fixture` (at schema `revision`) to upgrade, and its tables."""
    copy = tmp_path / "clinic" / "callback.db"
    copy.parent.mkdir()
    shutil.copy(fixture, copy)
    with sqlite3.connect(copy) as connection:
        assert schema.revision_of(connection) == revision
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'alembic_version'"
            )
        ]
    return copy, tables


def event_columns() -> str:
    return "id, at, actor, action, entity, entity_id, before, after"


def columns_of(path: Path, table: str) -> str:
    """The columns `table` has in the file at `path` (later versions add some)."""
    with sqlite3.connect(path) as connection:
        return ", ".join(row[1] for row in connection.execute(f"PRAGMA table_info({table})"))


def every_row(path: Path, fixture: Path, tables: list[str]) -> dict[str, list[tuple[Any, ...]]]:
    """Each of `tables`' rows in the file at `path`, in the columns `fixture` has."""
    return {table: rows(path, table, columns_of(fixture, table)) for table in tables}


def contents(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every 0.1.0 table's rows, as 0.1.0 had them (events without their later hashes)."""
    return {
        table: rows(
            path, table, event_columns() if table == "event" else columns_of(FIXTURE, table)
        )
        for table in TABLES_010
    }


def phone_terms(path: Path) -> set[tuple[str, int]]:
    """The search terms 0005 adds to a file: each patient's phone by its last 7 and 4 digits
    and with its country code."""
    with sqlite3.connect(path) as connection:
        found = connection.execute(
            "SELECT p.id, c.phone, c.phone_digits"
            " FROM patient p JOIN client c ON c.id = p.client_id"
        ).fetchall()
    return {
        (term, patient_id)
        for patient_id, phone, national in found
        for term in (national[-7:], national[-4:], phone.lstrip("+"))
    }


def kept_and_indexed(before: dict[str, list[tuple[Any, ...]]], path: Path) -> None:
    """Every row of `before` is in the file as it was, and the search index has gained the
    phone terms (0005) and nothing else."""
    after = contents(path)
    old_terms = before.pop("search_term")
    new_terms = after.pop("search_term")
    assert after == before
    assert new_terms[: len(old_terms)] == old_terms
    added = {(term, patient_id) for _, term, patient_id in new_terms[len(old_terms) :]}
    assert added == phone_terms(path) - {(t, p) for _, t, p in old_terms}


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    copy = tmp_path / "clinic" / "callback.db"
    copy.parent.mkdir()
    shutil.copy(FIXTURE, copy)
    return copy


def test_a_010_file_upgrades_with_every_row_and_event_intact(old_file: Path) -> None:
    before = contents(old_file)
    assert sum(len(r) for r in before.values()) > 250  # the fixture really holds a clinic

    database = open_database(str(old_file))
    try:
        kept_and_indexed(dict(before), old_file)
        with sqlite3.connect(old_file) as connection:
            assert schema.revision_of(connection) == schema.HEAD
        result = verify(database)
        assert result.ok and result.events == len(before["event"])
    finally:
        database.dispose()
    kept = [b for b in list_backups(old_file) if "upgrade" in b.path.name]
    assert len(kept) == 1 and contents(kept[0].path) == before


def test_a_020_file_upgrades_with_every_row_and_event_intact(tmp_path: Path) -> None:
    copy = tmp_path / "clinic" / "callback.db"
    copy.parent.mkdir()
    shutil.copy(FIXTURE_020, copy)
    with sqlite3.connect(copy) as connection:
        assert schema.revision_of(connection) == "0003"
    tables = [*TABLES_010]
    before = every_row(copy, FIXTURE_020, tables)
    assert len(before["event"]) > 100

    database = open_database(str(copy))
    try:
        kept = {
            table: rows(copy, table, columns_of(FIXTURE_020, table))
            for table in tables
            if table != "search_term"
        }
        assert kept == {table: found for table, found in before.items() if table != "search_term"}
        terms = {(t, p) for _, t, p in rows(copy, "search_term")}
        assert terms == {(t, p) for _, t, p in before["search_term"]} | phone_terms(copy)
        with sqlite3.connect(copy) as connection:
            assert schema.revision_of(connection) == schema.HEAD
            indexes = {row[1] for row in connection.execute("PRAGMA index_list(callback)")}
        assert "ix_callback_owner_closed" in indexes
        # 0006: each attempt says which identifiers were confirmed (none before) and
        # whether a follow-up text went out (none did).
        added = rows(copy, "attempt", "identifiers, text_sent")
        assert len(added) == len(before["attempt"]) >= 2
        assert set(added) == {(None, 0)}
        result = verify(database)
        assert result.ok and result.events == len(before["event"])
    finally:
        database.dispose()


def test_the_upgraded_file_refuses_changes_to_its_audit_trail(old_file: Path) -> None:
    open_database(str(old_file)).dispose()
    with sqlite3.connect(old_file) as connection:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            connection.execute("UPDATE event SET actor = 'ZZ' WHERE id = 3")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            connection.execute("DELETE FROM event WHERE id = 3")


def test_a_desk_still_on_010_cannot_write_unlinked_events(old_file: Path) -> None:
    """What 0.1.0 writes (an event without hashes) is refused by the upgraded file itself."""
    open_database(str(old_file)).dispose()
    with (
        sqlite3.connect(old_file) as connection,
        pytest.raises(sqlite3.IntegrityError, match="use the newer callback-tui"),
    ):
        connection.execute(
            "INSERT INTO event (at, actor, action, entity, entity_id)"
            " VALUES ('2026-11-25 10:00:00', 'AB', 'staff.added', 'staff', 9)"
        )


def test_a_desk_left_behind_by_an_upgrade_refuses_to_write(desk: Any) -> None:
    """Another desk upgraded the file to a revision this version does not know: no write."""
    with sqlite3.connect(desk.database.path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0042'")
    with pytest.raises(StoreError, match="upgraded by a newer callback-tui"):
        desk.staff.add("OM", "EM", "Eve Moss", "front_desk")


def test_new_writes_continue_the_migrated_chain(old_file: Path, clinic: Any) -> None:
    from callback_tui.store.services import FrontDesk

    database = open_database(str(old_file))
    try:
        FrontDesk(database, clinic).staff.add("OM", "EM", "Eve Moss", "front_desk")
        result = verify(database)
        assert result.broken is None and result.events == len(rows(old_file, "event")) > 111
    finally:
        database.dispose()


def test_patients_missing_from_the_search_index_are_indexed_once(old_file: Path) -> None:
    with sqlite3.connect(old_file) as connection:
        connection.execute("DELETE FROM search_term")
    open_database(str(old_file)).dispose()
    indexed = set(rows(old_file, "search_term", "term, patient_id"))
    assert indexed == set(rows(FIXTURE, "search_term", "term, patient_id")) | phone_terms(old_file)


def test_migrations_from_nothing_give_the_schema_a_new_file_gets(tmp_path: Path) -> None:
    """A forgotten migration (a table changed without one) fails here."""
    migrated = tmp_path / "migrated.db"
    database = Database(path=migrated)
    _migrate(database)
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    database.dispose()
    assert differences == []

    fresh = tmp_path / "fresh.db"
    open_database(str(fresh)).dispose()

    def triggers(path: Path) -> set[str]:
        with sqlite3.connect(path) as connection:
            found = connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            return {name for (name,) in found}

    assert triggers(migrated) == triggers(fresh) == {
        "note_final_never_changes", "note_final_never_deleted",
        "event_never_changes", "event_never_deleted", "event_must_be_linked",
    }  # fmt: skip
    with sqlite3.connect(migrated) as connection:
        assert schema.revision_of(connection) == schema.HEAD


def test_a_failed_upgrade_leaves_the_file_as_it_was(
    old_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = contents(old_file)
    calls = 0
    real_link = chain.link

    def failing_link(previous: str, body: bytes) -> str:
        nonlocal calls
        calls += 1
        if calls == 50:  # halfway through chaining the old events
            raise RuntimeError("the disk went away")
        return real_link(previous, body)

    monkeypatch.setattr(chain, "link", failing_link)
    with pytest.raises(StoreError) as refused:
        open_database(str(old_file))
    message = str(refused.value)
    assert "could not upgrade" in message and "put back as it was" in message
    assert str(old_file) in message and "\n" not in message
    assert contents(old_file) == before
    with sqlite3.connect(old_file) as connection:
        assert schema.revision_of(connection) == schema.BASELINE
        columns = {row[1] for row in connection.execute("PRAGMA table_info(event)")}
        assert "hash" not in columns

    monkeypatch.setattr(chain, "link", real_link)
    open_database(str(old_file)).dispose()  # the next start upgrades it after all
    kept_and_indexed(before, old_file)


def test_a_file_from_a_newer_version_is_refused_by_name(old_file: Path) -> None:
    open_database(str(old_file)).dispose()
    with sqlite3.connect(old_file) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0042'")
    with pytest.raises(StoreError, match=r"callback\.db: made by a newer callback-tui"):
        open_database(str(old_file))


def big_old_file(path: Path, events: int) -> None:
    """The 0.1.0 fixture with many more events, so that upgrading it takes a while."""
    shutil.copy(FIXTURE, path)
    with sqlite3.connect(path) as connection:
        template = connection.execute(
            f"SELECT {event_columns()} FROM event WHERE action = 'callback.created' LIMIT 1"
        ).fetchone()
        connection.executemany(
            "INSERT INTO event (at, actor, action, entity, entity_id, before, after)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [template[1:] for _ in range(events)],
        )


def start_listing(target: Path) -> subprocess.Popen[bytes]:
    """The real command, which upgrades the file before it lists anything."""
    return subprocess.Popen(
        [sys.executable, "-m", "callback_tui", "list", "--db", str(target)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.slow
def test_killing_the_app_during_an_upgrade_leaves_an_old_or_a_new_file(tmp_path: Path) -> None:
    """kill -9 at several moments of an upgrade: the file is whole, at one revision or the
    other, with every event; the next start finishes the upgrade."""
    original = tmp_path / "original.db"
    big_old_file(original, events=15_000)
    expected = rows(original, "event", event_columns())

    timed = tmp_path / "timed" / "callback.db"
    timed.parent.mkdir()
    shutil.copy(original, timed)
    started = time.monotonic()
    assert start_listing(timed).wait() == 0
    whole_run = time.monotonic() - started

    revisions = set()
    for fraction in (0.2, 0.45, 0.7, 0.9):
        target = tmp_path / f"kill-{fraction}" / "callback.db"
        target.parent.mkdir()
        shutil.copy(original, target)
        process = start_listing(target)
        time.sleep(whole_run * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        with sqlite3.connect(target) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            revision = schema.revision_of(connection)
            hashes = (
                {h for (h,) in connection.execute("SELECT hash FROM event")}
                if (revision == schema.HEAD)
                else set()
            )
        assert revision in (schema.BASELINE, schema.HEAD)
        assert "" not in hashes  # new means wholly new: every event chained
        assert rows(target, "event", event_columns()) == expected
        revisions.add(revision)
    assert schema.BASELINE in revisions  # some kills did land before the upgrade committed

    database = open_database(str(target))  # the next start finishes what was cut short
    try:
        assert verify(database).ok
    finally:
        database.dispose()


def test_events_keep_the_full_row_and_the_real_time(desk: Any) -> None:
    """Empty columns are in the record too; a pinned clinic clock never dates an event."""
    from tests.conftest import add_visit

    callback = add_visit(desk)[0]
    with Session(desk.database.engine) as session:
        event = session.exec(
            select(Event).where(Event.entity == "callback", Event.entity_id == callback.id)
        ).one()
    assert event.after is not None
    assert event.after["next_attempt_at"] is None and event.after["closed_at"] is None
    assert set(event.after) == set(Callback.model_fields)
    assert event.at != desk.clinic.clock.now()  # the clinic clock is pinned in tests
    assert callback.created_at == desk.clinic.clock.now()


def test_patients_on_file_before_0005_are_found_by_their_phones_last_digits(
    tmp_path: Path,
) -> None:
    from callback_tui.store import search

    copy = tmp_path / "callback.db"
    shutil.copy(FIXTURE_020, copy)
    with sqlite3.connect(copy) as connection:
        patient_id, national = connection.execute(
            "SELECT p.id, c.phone_digits FROM patient p JOIN client c ON c.id = p.client_id"
        ).fetchone()
    database = open_database(str(copy))
    try:
        for typed in (national[-7:], national[-4:], "1" + national):
            assert patient_id in [f.patient_id for f in search.find(database, typed)], typed
    finally:
        database.dispose()


@pytest.mark.parametrize("fixture", [FIXTURE, FIXTURE_020], ids=["0.1.0", "0.2.0"])
def test_every_clients_number_becomes_its_best_phone(
    fixture: Path, tmp_path: Path, clinic: Any
) -> None:
    from callback_tui.store import queries, search
    from callback_tui.store.services import ClientDetails, FrontDesk, PhoneEntry

    copy = tmp_path / "clinic" / "callback.db"
    copy.parent.mkdir()
    shutil.copy(fixture, copy)
    clients = rows(copy, "client", "id, phone, phone_digits")
    assert len(clients) > 5

    database = open_database(str(copy))
    try:
        assert rows(copy, "client_phone", "client_id, number, digits, label, best") == [
            (client_id, phone, digits, "other", 1) for client_id, phone, digits in clients
        ]
        assert {reason for (reason,) in rows(copy, "client", "do_not_call_reason")} == {None}
        # The wrong number's task (0.1.0's fixture has one, done) is known as such.
        kinds = [kind for (kind,) in rows(copy, "task", "kind")]
        assert kinds == (["verify_number"] if fixture == FIXTURE else [])

        # The upgraded file takes a second number, found by search, and its chain holds.
        client_id, phone, _ = clients[0]
        view = queries.client_details(database, client_id)
        assert view is not None and view.phone == phone
        FrontDesk(database, clinic).clients.save_details(
            "AB",
            client_id,
            view.version,
            ClientDetails(
                phones=(PhoneEntry(phone, "home", best=True), PhoneEntry("312-555-0177")),
                voicemail_ok=view.voicemail_ok,
            ),
        )
        assert {found.client_id for found in search.find(database, "3125550177")} == {client_id}
        assert verify(database).ok
    finally:
        database.dispose()


def test_a_030_file_upgrades_with_every_row_and_event_intact(tmp_path: Path) -> None:
    """0.3.0 (schema 0004): the demo clinic, a missed call and a wrong number with its task."""
    copy, tables = copied(FIXTURE_030, tmp_path, "0004")
    before = every_row(copy, FIXTURE_030, tables)
    assert len(before["event"]) > 100 and len(before["task"]) == 1

    database = open_database(str(copy))
    try:
        after = every_row(copy, FIXTURE_030, tables)
        old_terms, new_terms = before.pop("search_term"), after.pop("search_term")
        assert after == before  # every row of every table, as it was
        assert {(t, p) for _, t, p in new_terms} == {(t, p) for _, t, p in old_terms} | phone_terms(
            copy
        )
        with sqlite3.connect(copy) as connection:
            assert schema.revision_of(connection) == schema.HEAD
        assert rows(copy, "task", "kind") == [("verify_number",)]
        phones = rows(copy, "client_phone", "client_id, number, best")
        assert phones == [(c, phone, 1) for c, phone in rows(copy, "client", "id, phone")]
        assert verify(database).ok
    finally:
        database.dispose()


@pytest.mark.parametrize(
    "fixture", [FIXTURE, FIXTURE_020, FIXTURE_030], ids=["0.1.0", "0.2.0", "0.3.0"]
)
def test_callbacks_on_file_before_0008_have_no_response_target(
    fixture: Path, tmp_path: Path, clinic: Any
) -> None:
    from callback_tui.store import queries

    copy = tmp_path / "clinic" / "callback.db"
    copy.parent.mkdir()
    shutil.copy(fixture, copy)
    database = open_database(str(copy))
    try:
        assert {target for (target,) in rows(copy, "callback", "target_at")} == {None}
        listed = queries.callbacks_between(database, None, None)
        assert listed and {row.target_at for row in listed} == {None}
        assert verify(database).ok
    finally:
        database.dispose()


def test_a_040_file_upgrades_with_every_row_and_event_intact(tmp_path: Path) -> None:
    """0.4.0 (schema 0008): the demo clinic, a wrong number, two phones, a message."""
    copy, tables = copied(FIXTURE_040, tmp_path, "0008")
    before = every_row(copy, FIXTURE_040, tables)
    assert len(before["event"]) > 100 and len(before["staff"]) == 9
    assert len(before["client_phone"]) > len(before["client"])
    assert [t for (t,) in rows(copy, "callback", "target_at") if t is not None]

    database = open_database(str(copy))
    try:
        after = every_row(copy, FIXTURE_040, tables)
        assert after == before  # every row of every table, as it was
        with sqlite3.connect(copy) as connection:
            assert schema.revision_of(connection) == schema.HEAD
        # 0009: nobody has a PIN yet (each chooses one at their first sign-in), no wrong
        # PIN is counted, nobody is locked out.
        assert set(rows(copy, "staff", "pin_hash, failed_pins, locked_until")) == {(None, 0, None)}
        assert verify(database).ok
    finally:
        database.dispose()


def test_staff_on_a_040_file_choose_a_pin_and_sign_in_after_the_upgrade(
    tmp_path: Path, clinic: Any
) -> None:
    from callback_tui.store import queries
    from callback_tui.store.errors import PinNotSet
    from callback_tui.store.services import FrontDesk

    copy = tmp_path / "clinic" / "callback.db"
    copy.parent.mkdir()
    shutil.copy(FIXTURE_040, copy)
    database = open_database(str(copy))
    try:
        desk = FrontDesk(database, clinic)
        member = queries.staff_member(database, "OM")
        assert member is not None and member.active and not member.has_pin
        with pytest.raises(PinNotSet):
            desk.staff.sign_in("OM", "2468")
        assert desk.staff.first_pin("OM", "2468").initials == "OM"
        assert desk.staff.sign_in("OM", "2468").role == "office_manager"
        assert rows(copy, "staff", "failed_pins")[7] == (0,)
        assert verify(database).ok
    finally:
        database.dispose()


FIXTURE_050 = Path(__file__).parents[1] / "fixtures" / "callback-0.5.0.db"
"""Made by callback-tui 0.5.0 (commit 29ecb7c, schema 0009) from its demo clinic on a clock
pinned to Monday 30 November 2026, 09:30 in Chicago: a voicemail taken at 09:35 from the TA
pool, claimed by TR and answered at 10:05 (an appointment booked), and a urinary callback
missed three times from 10:05 on, closed as unreached and escalated to its doctor. Never
regenerate it either."""


def test_a_050_file_upgrades_and_its_callbacks_gain_what_the_reports_count(
    tmp_path: Path, clinic: Any
) -> None:
    copy, tables = copied(FIXTURE_050, tmp_path, "0009")
    before = every_row(copy, FIXTURE_050, tables)
    assert len(before["callback"]) == 39 and len(before["attempt"]) == 10

    database = open_database(str(copy), calendar=lambda: clinic.calendar)
    try:
        after = every_row(copy, FIXTURE_050, tables)
        assert after == before  # every row of every table, as it was
        facts = {
            row[0]: row[1:]
            for row in rows(
                copy, "callback", "id, pool, deadline_at, first_try_at, wait_minutes, escalated"
            )
        }
        # The voicemail: from the TA pool (claimed by TR), due by its response target,
        # answered 30 open minutes after it was left (09:35 → 10:05 Chicago).
        assert facts[39] == (
            "TA", "2026-11-30 19:35:00.000000", "2026-11-30 16:05:00.000000", 30, 0
        )  # fmt: skip
        # The urinary callback: no pool's, due by midnight (Chicago) of its due day, first
        # called 35 minutes after it was made, escalated when closed as unreached.
        assert facts[17] == (
            None, "2026-12-01 06:00:00.000000", "2026-11-30 16:05:00.000000", 35, 1
        )  # fmt: skip
        assert sum(escalated for *_, escalated in facts.values()) == 1
        # Each call keeps its callback's pool: the voicemail's answer was the TA pool's work.
        pools_called = dict(rows(copy, "attempt", "callback_id, pool"))
        assert pools_called[39] == "TA" and pools_called[17] is None
        owners = dict(rows(copy, "callback", "id, owner"))
        for callback_id, (pool, deadline_at, first_try, wait, _) in facts.items():
            assert deadline_at is not None
            assert (first_try is None) == (wait is None)
            if owners[callback_id] in ("TA", "SA"):
                assert pool == owners[callback_id]  # still the pool's: it stays there
        with sqlite3.connect(copy) as connection:
            tried = dict(
                connection.execute("SELECT callback_id, MIN(at) FROM attempt GROUP BY callback_id")
            )
        assert {i: f[2] for i, f in facts.items() if f[2] is not None} == tried
        assert verify(database).ok
    finally:
        database.dispose()


FIXTURE_060 = Path(__file__).parents[1] / "fixtures" / "callback-0.6.0.db"
"""Made by callback-tui 0.6.0 (commit 9448930, schema 0010) from its demo clinic, 16 visits
and two days of past work (`demo.build_demo(desk, visits=16, history_days=2)`), on a clock
pinned to Tuesday 1 December 2026, 09:30 in Chicago; then put in rollback-journal mode and
vacuumed. Never regenerate it either."""


def test_a_060_file_upgrades_and_counts_late_work_from_its_indexes_alone(
    tmp_path: Path, clinic: Any
) -> None:
    copy, tables = copied(FIXTURE_060, tmp_path, "0010")
    before = every_row(copy, FIXTURE_060, tables)
    assert len(before["callback"]) == 30 and len(before["note"]) == 3

    # Two days on: callbacks past their due day, drafts waiting over a day.
    now = datetime(2026, 12, 3, 15, 0, tzinfo=clinic.calendar.tz)
    period = reports.Period.days_to(now.date(), 7)

    def read(database: Database) -> tuple[Any, Any]:
        card = reports.scorecard(database, period, clinic.calendar, now=now, pools=clinic.pools)
        return card, reports.daily_review(database, now, clinic.calendar)

    as_it_was = Database(path=copy)  # read as 0.6.0 left it: no upgrade
    try:
        card_before, review_before = read(as_it_was)
    finally:
        as_it_was.dispose()
    assert card_before.clinic.overdue > 0 and card_before.clinic.old_drafts > 0

    database = open_database(str(copy), calendar=lambda: clinic.calendar)
    try:
        after = every_row(copy, FIXTURE_060, tables)
        assert after == before  # every row of every table, as it was
        assert read(database) == (card_before, review_before)  # the same counts, the same lists
        assert verify(database).ok
    finally:
        database.dispose()

    with sqlite3.connect(copy) as connection:

        def columns(index: str) -> list[str]:
            return [row[2] for row in connection.execute(f"PRAGMA index_info({index})")]

        def plan(query: str) -> str:
            found = connection.execute(f"EXPLAIN QUERY PLAN {query}", {"today": "", "now": ""})
            return " ".join(row[-1] for row in found)

        assert columns("ix_callback_queue") == [
            "status", "due_date", "owner", "pool", "target_at", "attempts"
        ]  # fmt: skip
        assert columns("ix_note_status") == ["status", "created_at", "addressed_to", "author"]
        late = (
            "SELECT owner, pool, COUNT(*) FROM callback"
            f" WHERE status = 'open' AND {reports.late()} GROUP BY owner, pool"
        )
        assert "COVERING INDEX ix_callback_queue" in plan(late)
        drafts = (
            "SELECT COALESCE(addressed_to, author), COUNT(*) FROM note"
            " WHERE status = 'draft' AND created_at < :now GROUP BY COALESCE(addressed_to, author)"
        )
        assert "COVERING INDEX ix_note_status" in plan(drafts)
