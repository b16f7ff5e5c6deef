"""The database file: where and how it is created, and the pragmas every connection gets."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from callback_tui.store.engine import ChangeWatcher, Database, StoreError, open_database


def test_file_is_private_in_a_private_folder(tmp_path: Path) -> None:
    target = tmp_path / "fresh" / "nested" / "callback.db"
    db = open_database(str(target))
    try:
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    finally:
        db.dispose()


def test_every_connection_gets_the_safety_pragmas(database: Database) -> None:
    with database.engine.connect() as connection:
        pragma = lambda name: connection.execute(text(f"PRAGMA {name}")).scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 5000


def test_writes_take_the_lock_up_front(database: Database) -> None:
    with database.writer.begin() as connection:
        # In an IMMEDIATE transaction the write lock is already held: a second writer is refused.
        other = open_database(str(database.path))
        try:
            with pytest.raises(StoreError, match="busy"), other.engine.connect() as second:
                second.exec_driver_sql("PRAGMA busy_timeout = 0")
                second.exec_driver_sql("BEGIN IMMEDIATE")
        finally:
            other.dispose()
        connection.execute(text("SELECT 1"))


def test_a_file_that_is_not_a_database_is_named(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("this is not SQLite, just some text long enough to fill a header" * 20)
    with pytest.raises(StoreError) as caught:
        open_database(str(bogus))
    assert str(bogus) in str(caught.value)


def test_the_watcher_sees_another_connections_commit(database: Database) -> None:
    watcher = ChangeWatcher(database)
    try:
        assert not watcher.changed()
        other = open_database(str(database.path))
        with other.writer.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO staff (initials, name, role, active, version)"
                    " VALUES ('ZZ', 'Z', 'owner', 1, 1)"
                )
            )
        other.dispose()
        assert watcher.changed()
        assert not watcher.changed()
    finally:
        watcher.close()


def test_closing_the_watcher_while_another_thread_looks_is_safe(database: Database) -> None:
    """The app closes its watcher from the UI thread while a worker may be polling it."""
    import threading

    for _ in range(20):
        watcher = ChangeWatcher(database)
        stop = threading.Event()
        answers: list[bool] = []

        def poll(
            watcher: ChangeWatcher = watcher,
            stop: threading.Event = stop,
            answers: list[bool] = answers,
        ) -> None:
            while not stop.is_set():
                answers.append(watcher.changed())

        pollers = [threading.Thread(target=poll) for _ in range(3)]
        for poller in pollers:
            poller.start()
        watcher.close()
        stop.set()
        for poller in pollers:
            poller.join()
        assert watcher.changed() is True  # closed: "maybe", never a crash
