"""Pilot helpers: the app on the test database, steady cursors, no background polling."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from callback_tui.store.services import FrontDesk
from callback_tui.tui.app import CallbackApp, make_app

SIZE = (120, 36)

MakeApp = Callable[..., CallbackApp]


@pytest.fixture
def make(desk: FrontDesk) -> MakeApp:
    def build(initials: str | None = "AB", watch: bool = False) -> CallbackApp:
        return make_app(desk.database, desk.clinic, initials=initials, watch=watch, blink=False)

    return build


async def settle(pilot: Pilot[None]) -> None:
    """Let workers finish and their messages land."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
