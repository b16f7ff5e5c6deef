"""Backups and restore: consistent, self-contained, private copies, and a restore that refuses
what it must and gives back exactly what was backed up."""

from __future__ import annotations

import shutil
import sqlite3
import stat
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from dateutil.tz import tzlocal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, col, select

from callback_tui.domain.vocab import Outcome
from callback_tui.store import files, schema
from callback_tui.store.backup import (
    DAILY,
    DAMAGED,
    PRE_RESTORE,
    daily_backup,
    latest_backup,
    list_backups,
    make_backup,
)
from callback_tui.store.engine import Database
from callback_tui.store.errors import DamagedFile, DeskError, StoreError
from callback_tui.store.restore import restore
from callback_tui.store.services import CallOutcome, FrontDesk
from callback_tui.store.tables import Callback, Staff
from tests.conftest import add_visit

FIXTURES = Path(__file__).parents[1] / "fixtures"
LOCAL = tzlocal()
"""Backup names carry this machine's wall-clock time."""

# -- files for the tests: what the database holds, and broken copies of it ----------------


def contents(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows (and the schema itself), in a stable order."""
    with closing(sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)) as db:
        names = [
            row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        found = {name: sorted(db.execute(f'SELECT * FROM "{name}"'), key=repr) for name in names}
        found["(schema)"] = sorted(db.execute("SELECT type, name, sql FROM sqlite_master"))
    return found


def settled(database: Database) -> Path:
    """The database file with everything in it (closed: the -wal is checkpointed away)."""
    assert database.path is not None
    database.dispose()
    with closing(sqlite3.connect(database.path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return database.path


def damage(path: Path, *, where: str = "middle") -> None:
    """Overwrite pages of a (settled) database file: its header, or two pages in the middle."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        if where == "header":
            handle.write(b"\x5a" * 4096)
        else:
            handle.seek((size // 4096 // 2) * 4096)
            handle.write(b"\xff" * 8192)


def truncated(path: Path, copy: Path) -> Path:
    shutil.copyfile(path, copy)
    with copy.open("r+b") as handle:
        handle.truncate(copy.stat().st_size // 2)
    return copy


def from_a_newer_version(path: Path, copy: Path) -> Path:
    """A copy that says it holds schema revision 9999."""
    shutil.copyfile(path, copy)
    with closing(sqlite3.connect(copy)) as connection, connection:
        connection.execute(
            "CREATE TABLE IF NOT EXISTS alembic_version"
            " (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"
        )
        connection.execute("DELETE FROM alembic_version")
        connection.execute("INSERT INTO alembic_version VALUES ('9999')")
    return copy


def files_restore_refuses(db: Path, folder: Path) -> dict[Path, str]:
    """Files `restore` must refuse (a settled database's copies, broken), each with the reason."""
    folder.mkdir()
    garbage = folder / "garbage.db"
    garbage.write_bytes(b"\x00\x01 these bytes are no database " * 64)
    overwritten = folder / "overwritten.db"
    shutil.copyfile(db, overwritten)
    damage(overwritten)
    foreign = folder / "foreign.db"
    with closing(sqlite3.connect(foreign)) as connection:
        connection.execute("CREATE TABLE recipe (name TEXT)")
    damaged = "the file is damaged (its integrity check failed); nothing was restored"
    return {
        folder / "nothing-here.db": "no such file; nothing was restored",
        folder: "is a folder, not a backup file; nothing was restored",
        garbage: "not a database file; nothing was restored",
        truncated(db, folder / "truncated.db"): damaged,
        overwritten: damaged,
        from_a_newer_version(db, folder / "newer.db"): (
            f"made by a newer callback-tui (schema revision 9999; this version knows up to"
            f" {schema.HEAD}); nothing was restored"
        ),
        foreign: "not a callback-tui database; nothing was restored",
        db: "is the database itself; name a backup to restore",
    }


def quick_check_fails(path: Path) -> bool:
    try:
        with closing(sqlite3.connect(path)) as connection:
            return connection.execute("PRAGMA quick_check").fetchall() != [("ok",)]
    except sqlite3.DatabaseError:
        return True


# -- the round trip, as a property ----------------------------------------------------------


@dataclass(frozen=True)
class AddStaff:
    initials: str
    role: str


@dataclass(frozen=True)
class AddVisit:
    reason: str
    patient: str
    client: str
    days_ago: int


@dataclass(frozen=True)
class LogCall:
    pick: int
    outcome: Outcome


@dataclass(frozen=True)
class Claim:
    pick: int
    actor: str


Write = AddStaff | AddVisit | LogCall | Claim

WRITES = st.lists(
    st.one_of(
        st.builds(
            AddStaff,
            st.sampled_from(["JK", "LM", "NP", "QRS"]),
            st.sampled_from(["assistant", "technician", "doctor"]),
        ),
        st.builds(
            AddVisit,
            st.sampled_from(["vomiting", "surgery", "general_question", "illness"]),
            st.sampled_from(["Biscuit", "Luna", "Pepper"]),
            st.sampled_from(["Jordan Lee", "Maria Gonzalez"]),
            st.integers(1, 5),
        ),
        st.builds(LogCall, st.integers(0, 30), st.sampled_from(list(Outcome))),
        st.builds(Claim, st.integers(0, 30), st.sampled_from(["AB", "TR", "CD"])),
    ),
    max_size=6,
)


def apply(desk: FrontDesk, write: Write) -> None:
    """One write through the service layer; a refused one writes nothing, which is fine here."""
    try:
        match write:
            case AddStaff(initials, role):
                desk.staff.add("OM", initials, f"Staff {initials}", role)
            case AddVisit(reason, patient, client, days_ago):
                when = date(2026, 11, 24) - timedelta(days=days_ago)
                add_visit(
                    desk,
                    occurred_at=f"{when} 10:00",
                    reason=reason,
                    patient=patient,
                    client=client,
                )
            case LogCall(pick, outcome):
                if found := _open_callback(desk.database, pick):
                    entry = CallOutcome(outcome=outcome, notes="called")
                    desk.callbacks.log_outcome("AB", found.id, found.version, entry)  # type: ignore[arg-type]
            case Claim(pick, actor):
                if found := _open_callback(desk.database, pick):
                    desk.callbacks.claim(actor, found.id, found.version)  # type: ignore[arg-type]
    except DeskError:
        pass


def _open_callback(database: Database, pick: int) -> Callback | None:
    with Session(database.engine) as session:
        rows = session.exec(
            select(Callback).where(Callback.status == "open").order_by(col(Callback.id))
        ).all()
    return rows[pick % len(rows)] if rows else None


# One database across examples on purpose: each starts from what the earlier ones left (and
# after a restore), and the property must hold from any state.
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(before=WRITES, after=WRITES)
def test_restore_gives_back_exactly_what_was_backed_up(
    desk: FrontDesk, before: list[Write], after: list[Write]
) -> None:
    db = desk.database.path
    assert db is not None
    for write in before:
        apply(desk, write)
    at_backup = contents(db)
    made = make_backup(db)
    assert contents(made) == at_backup

    for write in after:
        apply(desk, write)
    restored = restore(db, made)

    assert contents(db) == at_backup
    assert restored.kept is not None and PRE_RESTORE in restored.kept.name


def test_a_running_desk_reads_and_writes_the_restored_database(desk: FrontDesk) -> None:
    db = desk.database.path
    assert db is not None
    made = make_backup(db)
    desk.staff.add("OM", "ZZ", "Zed After", "assistant")
    restore(db, made)

    def initials() -> set[str]:
        with Session(desk.database.engine) as session:
            return set(session.exec(select(Staff.initials)).all())

    assert "ZZ" not in initials()
    desk.staff.add("OM", "ZZ", "Zed Again", "assistant")  # the same pool, after the restore
    assert "ZZ" in initials()


# -- making a backup ------------------------------------------------------------------------


def test_a_backup_holds_committed_rows_only_in_one_file(desk: FrontDesk) -> None:
    database = desk.database
    db = database.path
    assert db is not None
    desk.staff.add("OM", "CM", "Committed", "assistant")
    assert Path(f"{db}-wal").stat().st_size > 0  # that commit is still in the -wal

    # Another desk in the middle of a write transaction (it holds the write lock).
    with database.writer.connect() as connection, connection.begin() as pending:
        session = Session(bind=connection)
        session.add(Staff(initials="UN", name="Uncommitted", role="assistant"))
        session.flush()
        made = make_backup(db)
        pending.rollback()

    copied = {row[1] for row in contents(made)["staff"]}
    assert "CM" in copied
    assert "UN" not in copied
    assert not Path(f"{made}-wal").exists() and not Path(f"{made}-shm").exists()
    assert made.read_bytes()[18:20] == b"\x01\x01"  # a rollback-journal file, not WAL
    assert list(made.parent.glob(".*")) == []  # no temporary file left


def test_backups_are_private_and_named_by_time_and_label(database: Database) -> None:
    db = database.path
    assert db is not None
    when = datetime(2026, 11, 24, 9, 5, 7, tzinfo=LOCAL)
    first = make_backup(db, when=when)
    second = make_backup(db, when=when)

    assert first == db.parent / "backups" / "callback-20261124-090507-manual.db"
    assert second.name == "callback-20261124-090507-manual.2.db"
    assert stat.S_IMODE(first.parent.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in (first, second)} == {0o600}


def test_a_backup_into_a_folder_or_a_new_file(database: Database, tmp_path: Path) -> None:
    db = database.path
    assert db is not None
    elsewhere = tmp_path / "usb"
    elsewhere.mkdir()
    into_folder = make_backup(db, elsewhere, when=datetime(2026, 11, 24, 9, 0, tzinfo=LOCAL))
    named = make_backup(db, elsewhere / "before-the-audit.db")

    assert into_folder == elsewhere / "callback-20261124-090000-manual.db"
    assert named == elsewhere / "before-the-audit.db"
    assert {stat.S_IMODE(p.stat().st_mode) for p in (into_folder, named)} == {0o600}
    with pytest.raises(StoreError, match=r"before-the-audit\.db: already exists"):
        make_backup(db, named)
    with pytest.raises(StoreError, match="nowhere: no such folder"):
        make_backup(db, tmp_path / "nowhere" / "copy.db")


def test_no_database_file_nothing_to_back_up(tmp_path: Path) -> None:
    missing = tmp_path / "callback.db"
    with pytest.raises(StoreError, match=r"callback\.db: no such database file; nothing to back"):
        make_backup(missing)
    assert not missing.exists()
    assert not (tmp_path / "backups").exists()


def test_the_list_is_newest_first_and_marks_an_unreadable_file(database: Database) -> None:
    db = database.path
    assert db is not None
    older = make_backup(db, when=datetime(2026, 11, 23, 18, 0, tzinfo=LOCAL))
    newer = make_backup(db, label="pre-restore", when=datetime(2026, 11, 24, 8, 0, tzinfo=LOCAL))
    garbage = db.parent / "backups" / "callback-20261124-120000-manual.db"
    garbage.write_bytes(b"not a database at all" * 100)
    (db.parent / "backups" / "notes.txt").write_text("not a backup")

    listed = list_backups(db)

    assert [b.path for b in listed] == [garbage, newer, older]
    assert [b.label for b in listed] == ["manual", "pre-restore", "manual"]
    assert listed[1].made_at == datetime(2026, 11, 24, 8, 0, tzinfo=LOCAL)
    assert listed[1].size == newer.stat().st_size
    assert (listed[0].readable, listed[0].revision) == (False, None)
    assert (listed[1].readable, listed[1].revision) == (True, schema.revision_of_file(str(db)))
    assert latest_backup(db) == garbage  # the cheap answer reads names only


# -- the daily backup -----------------------------------------------------------------------


def test_daily_once_a_day(database: Database) -> None:
    db = database.path
    assert db is not None
    made = daily_backup(db, date(2026, 11, 24))
    assert made is not None and made.name.startswith("callback-20261124-")
    assert made.name.endswith(f"-{DAILY}.db")
    assert daily_backup(db, date(2026, 11, 24)) is None
    assert daily_backup(db, date(2026, 11, 25)) is not None


def test_daily_keeps_fourteen_and_never_removes_other_backups(database: Database) -> None:
    db = database.path
    assert db is not None
    manual = make_backup(db, when=datetime(2026, 1, 1, 9, 0, tzinfo=LOCAL))
    before_restore = make_backup(
        db, label=PRE_RESTORE, when=datetime(2026, 1, 2, 9, 0, tzinfo=LOCAL)
    )
    first = date(2026, 11, 1)
    for day in range(20):
        daily_backup(db, first + timedelta(days=day))

    dailies = [b for b in list_backups(db) if b.label == DAILY]
    assert [b.made_at.date() for b in dailies] == [
        first + timedelta(days=day) for day in range(19, 5, -1)
    ]
    assert manual.exists() and before_restore.exists()


def test_daily_refuses_a_damaged_file_and_names_the_latest_backup(database: Database) -> None:
    db = settled(database)
    latest = make_backup(db, when=datetime(2026, 11, 23, 9, 0, tzinfo=LOCAL))
    damage(db)
    assert quick_check_fails(db)

    with pytest.raises(DamagedFile) as refused:
        daily_backup(db, date(2026, 11, 24))

    message = str(refused.value)
    assert message.startswith(f"{db}: the database file is damaged")
    assert f"to go back to the latest backup: callback-tui restore {latest}" in message
    assert [b.path for b in list_backups(db)] == [latest]


# -- restore --------------------------------------------------------------------------------


def test_restore_keeps_the_database_as_it_was(desk: FrontDesk) -> None:
    db = desk.database.path
    assert db is not None
    made = make_backup(db)
    desk.staff.add("OM", "ZZ", "Zed After", "assistant")
    as_it_was = contents(db)

    restored = restore(db, made)

    assert restored.kept is not None and restored.kept.name.endswith(f"-{PRE_RESTORE}.db")
    assert contents(restored.kept) == as_it_was
    assert (restored.database, restored.source, restored.revision) == (db, made, schema.HEAD)
    assert restored.facts == (
        f"restored {db} from {made}",
        f"kept the database as it was: {restored.kept}",
        f"schema revision {schema.HEAD}, this version's",
    )


def test_restore_waits_for_another_desks_write_then_gives_up_in_words(
    desk: FrontDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = desk.database.path
    assert db is not None
    made = make_backup(db)
    desk.staff.add("OM", "ZZ", "Zed After", "assistant")
    as_it_was = contents(db)
    monkeypatch.setattr(files, "BUSY_SECONDS", 0.3)

    writing = desk.database.writer.connect()  # another desk, mid-write: it holds the lock
    with writing, writing.begin(), pytest.raises(StoreError) as refused:
        restore(db, made)

    assert str(refused.value) == (
        f"{db}: the database is busy with a long write at another desk; try again in a moment;"
        " nothing was restored"
    )
    assert contents(db) == as_it_was


def test_restore_an_older_version_into_a_new_file(tmp_path: Path) -> None:
    old = tmp_path / "from-0.1.0.db"
    shutil.copyfile(FIXTURES / "callback-0.1.0.db", old)
    db = tmp_path / "fresh" / "callback.db"

    restored = restore(db, old)

    assert contents(db) == contents(old)
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert restored.kept is None
    assert restored.revision == schema.BASELINE
    assert restored.facts[1:] == (
        "there was no database file to keep",
        f"schema revision {schema.BASELINE}, older than this version's {schema.HEAD}:"
        " it is brought up to date the next time callback-tui opens it",
    )


@pytest.mark.parametrize("where", ["header", "middle"])
def test_restore_over_a_damaged_database_keeps_it_aside(database: Database, where: str) -> None:
    db = settled(database)
    good = make_backup(db)
    damage(db, where=where)

    restored = restore(db, good)

    assert contents(db) == contents(good)
    assert restored.kept_damaged and restored.kept is not None
    assert restored.kept.name.endswith(f"-{DAMAGED}.db")
    assert restored.facts[1] == f"kept the damaged database file as it was: {restored.kept}"
    assert latest_backup(db) == good  # a damaged copy is never offered


def test_restore_refuses_by_name_and_changes_nothing(database: Database, tmp_path: Path) -> None:
    db = settled(database)
    before = contents(db)
    for source, why in files_restore_refuses(db, tmp_path / "sources").items():
        with pytest.raises(StoreError) as refused:
            restore(db, source)
        assert str(refused.value) == f"{source}: {why}"
    assert contents(db) == before
    assert list_backups(db) == []
