"""The day's backup: made once, after the first paint, by the real app only; damage is told."""

from __future__ import annotations

from pathlib import Path

import pytest

from callback_tui.store import backup
from callback_tui.store.errors import DamagedFile
from callback_tui.store.services import FrontDesk
from callback_tui.tui.app import CallbackApp
from tests.conftest import add_visit
from tests.tui.conftest import SIZE, settle
from tests.tui.test_store_errors import errors_shown, until


def dailies(desk: FrontDesk) -> list[Path]:
    assert desk.database.path is not None
    return [b.path for b in backup.list_backups(desk.database.path) if b.label == backup.DAILY]


def app_for(desk: FrontDesk, *, backups: bool) -> CallbackApp:
    return CallbackApp(
        desk.database, desk.clinic, initials="AB", watch=False, blink=False, backups=backups
    )


async def test_the_first_start_of_the_day_makes_the_days_backup(desk: FrontDesk) -> None:
    add_visit(desk)
    app = app_for(desk, backups=True)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: bool(dailies(desk)))
        (made,) = dailies(desk)
        assert made.name.startswith("callback-20261124-")  # the clinic's day (pinned in tests)
    async with app_for(desk, backups=True).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause(0.3)
        assert dailies(desk) == [made]  # the second start of the day makes none


async def test_tests_and_the_demo_make_no_backup(desk: FrontDesk) -> None:
    async with app_for(desk, backups=False).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause(0.3)
    assert dailies(desk) == []


async def test_a_damaged_file_found_by_the_days_check_is_told_and_locks_writes(
    desk: FrontDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    said = "/clinic/callback.db: the database file is damaged (its quick check failed)"

    def damaged(*_args: object, **_kwargs: object) -> None:
        raise DamagedFile(said)

    monkeypatch.setattr(backup, "daily_backup", damaged)
    app = app_for(desk, backups=True)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: bool(errors_shown(app)))
        assert errors_shown(app) == [said]
        assert desk.database.damaged
        with pytest.raises(DamagedFile):
            desk.staff.add("OM", "EM", "Eve Moss", "front_desk")
