"""Pictures of the reports (with the trend chart) and the daily review: pinned clock, the
hand-built Tuesday, at 80x24 and 120x40."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from tests.store.test_reports import tuesday  # noqa: F401  (the hand-built Tuesday)
from tests.tui.conftest import MakeApp, settle
from tests.tui.test_snapshots import size  # noqa: F401  (80x24 and 120x40)


def going(*keys: str) -> Any:
    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)

    return run


@pytest.mark.usefixtures("tuesday")
def test_reports(snap_compare: Any, size: tuple[int, int], make: MakeApp) -> None:
    # 30 days: the trend has weeks with nothing in them and the week of the hand-built day.
    assert snap_compare(make("OM"), terminal_size=size, run_before=going("g", "r", "3"))


@pytest.mark.usefixtures("tuesday")
def test_daily_review(snap_compare: Any, size: tuple[int, int], make: MakeApp) -> None:
    assert snap_compare(make("OM"), terminal_size=size, run_before=going("g", "v"))


@pytest.mark.usefixtures("tuesday")
def test_weekly_review(snap_compare: Any, size: tuple[int, int], make: MakeApp) -> None:
    assert snap_compare(make("OM"), terminal_size=size, run_before=going("g", "w"))
