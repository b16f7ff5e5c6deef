"""Pilot helpers: the app on the test database, steady cursors, no background polling."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import msgspec
import pytest
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from callback_tui.clock import FixedClock
from callback_tui.config import Clinic, Settings, load_clinic
from callback_tui.store.services import FrontDesk
from callback_tui.tui.app import CallbackApp
from callback_tui.tui.screens.today import TodayScreen

SIZE = (120, 36)

MakeApp = Callable[..., CallbackApp]


@pytest.fixture(autouse=True)
def patient_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Typed keys wait up to 10 s for a screen, not 2 (tui/keys.py WAIT_LIMIT).

    The limit is for a screen that never gets ready; on a loaded CI machine a first open can
    take longer than 2 s, and a key let through early would fail a test of where keys land
    for a reason the test is not about. The tests of the limit itself set their own.
    """
    from callback_tui.tui import keys

    monkeypatch.setattr(keys, "WAIT_LIMIT", 10.0)


@pytest.fixture
def make(desk: FrontDesk) -> MakeApp:
    def build(
        initials: str | None = "AB",
        watch: bool = False,
        demo: bool = False,
        clinic: Clinic | None = None,
    ) -> CallbackApp:
        return CallbackApp(
            desk.database,
            clinic or desk.clinic,
            initials=initials,
            watch=watch,
            demo=demo,
            blink=False,
        )

    return build


PIN = "1234"
"""The PIN everyone has at the PIN clinic (pin_desk), but TR, who has none yet."""


@pytest.fixture
def pin_clinic(settings: Settings, clock: FixedClock) -> Clinic:
    """The test clinic asking for PINs; three wrong ones in a row lock a person out."""
    return load_clinic(msgspec.structs.replace(settings, require_pin=True, pin_tries=3), clock)


@pytest.fixture
def pin_desk(desk: FrontDesk, pin_clinic: Clinic) -> FrontDesk:
    """The test desk (its staff, its file) at the PIN clinic: everyone has PIN 1234 but TR."""
    from callback_tui.domain.pins import hash_pin

    front_desk = FrontDesk(desk.database, pin_clinic)
    everyone = ["AB", "CD", "DRW", "DRP", "FD", "OM"]
    front_desk.staff.seed_pins("setup", hash_pin(PIN), everyone)
    return front_desk


async def sign_in(pilot: Pilot[None], initials: str, pin: str = PIN) -> None:
    """At the sign-in screen: the initials, enter, the PIN, enter."""
    from textual.widgets import Input

    field = pilot.app.screen.query_one("#initials", Input)
    field.value = ""
    field.focus()
    await pilot.press(*initials.lower(), "enter", *pin, "enter")
    await settle(pilot)


def _loaded(app: object) -> bool:
    """Whether the screen on top has what it loads in the background."""
    from callback_tui.tui.screens.who import WhoScreen

    screen = app.screen  # type: ignore[attr-defined]
    if isinstance(screen, WhoScreen):
        return bool(screen.staff) or bool(screen.query_one("#nobody").render().plain)  # type: ignore[attr-defined]
    return bool(getattr(screen, "loaded", True)) and _tables_measured(app)


def _tables_measured(app: object) -> bool:
    """Whether every table has measured the rows it was given (it does so when idle).

    Under load a picture could otherwise catch a table with new rows in header-wide columns.
    """
    from textual.widgets import DataTable

    for screen in app.screen_stack:  # type: ignore[attr-defined]
        for table in screen.query(DataTable):
            if table._require_update_dimensions or table._new_rows or table._updated_cells:
                return False
    return True


def shown(app: object) -> list[list[str]]:
    """The cells of the table on the screen on top, as plain text, row by row."""
    from textual.widgets import DataTable

    table = app.screen.query_one(DataTable)  # type: ignore[attr-defined]
    return [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def settle(pilot: Pilot[None]) -> None:
    """Let workers start and finish, their messages land, typed keys reach the screens
    they wait for (tui/keys.py), and the screen repaint.

    Under load a worker may not have started yet when we look, so wait for what the
    screen shows, not only for the workers that happen to exist (up to 10 s).
    """
    for _ in range(200):
        # A cancelled worker is an exclusive one replaced by a newer one (search as you type).
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        keys = getattr(pilot.app, "keys", None)
        if _loaded(pilot.app) and not pilot.app.workers and (keys is None or keys.idle):
            break
        await pilot.pause(0.05)
    await pilot.pause()


async def dialog_over_today(pilot: Pilot[None], key: str) -> TodayScreen:
    """From the start, settled: the queue, then `key`'s dialog over it. Returns the queue."""
    await settle(pilot)
    today = pilot.app.screen
    assert isinstance(today, TodayScreen)
    await pilot.press(key)
    await settle(pilot)
    return today


async def open_first_draft(pilot: Pilot[None]) -> None:
    """From Today, settled: `d`, then `enter` on the inbox's first draft, the note read."""
    from callback_tui.tui.screens.note_editor import NoteEditor

    await settle(pilot)
    await pilot.press("d")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    editor = pilot.app.screen
    assert isinstance(editor, NoteEditor) and editor.view is not None


def count_footer_rebuilds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, the screens whose footer rebuilt its keys, one entry per rebuild."""
    from callback_tui.tui.widgets.footer import Footer

    rebuilt: list[str] = []
    recompose = Footer.recompose

    async def counted(footer: Footer) -> None:
        rebuilt.append(type(footer.screen).__name__)
        await recompose(footer)

    monkeypatch.setattr(Footer, "recompose", counted)
    return rebuilt
