"""A task "due today" is due by the end of the clinic's day, never the minute it is made."""

from __future__ import annotations

from datetime import datetime

import pytest

from callback_tui.config import Clinic
from tests.conftest import local


@pytest.mark.parametrize(
    ("now", "due"),
    [
        ("2026-11-24 09:00", "2026-11-24 18:00"),  # a Tuesday: its closing time
        ("2026-11-24 17:59", "2026-11-24 18:00"),
        ("2026-11-24 18:00", "2026-11-25 18:00"),  # closed already: the next open day's
        ("2026-11-25 20:00", "2026-11-27 18:00"),  # Thursday 26th is a closure
        ("2026-11-28 10:00", "2026-11-28 12:00"),  # Saturday closes at noon
        ("2026-11-29 10:00", "2026-11-30 18:00"),  # closed on Sunday
        ("2026-11-24 06:30", "2026-11-24 18:00"),  # before opening: the same day
    ],
)
def test_the_end_of_the_working_day(clinic: Clinic, now: str, due: str) -> None:
    closing = clinic.calendar.day_end(local(now))
    assert closing == local(due)
    assert isinstance(closing, datetime)
