"""Times typed at the desk or in an import file."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from callback_tui.domain.intake import parse_time
from tests.conftest import TZ

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("typed", "today", "expected"),
    [
        ("2026-11-23 10:00", None, datetime(2026, 11, 23, 16, 0, tzinfo=UTC)),
        ("2026-11-23T10:00:00+00:00", None, datetime(2026, 11, 23, 10, 0, tzinfo=UTC)),
        ("09:30", TODAY, datetime(2026, 11, 24, 15, 30, tzinfo=UTC)),
        (" 9:30 ", TODAY, datetime(2026, 11, 24, 15, 30, tzinfo=UTC)),
        ("2026-11-20 08:00", TODAY, datetime(2026, 11, 20, 14, 0, tzinfo=UTC)),
    ],
)
def test_times_are_clinic_time_and_hh_mm_is_today(
    typed: str, today: date | None, expected: datetime
) -> None:
    assert parse_time(typed, TZ, today) == expected


def test_a_bad_time_says_what_shape_it_takes() -> None:
    with pytest.raises(ValueError, match=r"'25:99' is not a date and time \(use HH:MM, or"):
        parse_time("25:99", TZ, TODAY)
    with pytest.raises(ValueError, match=r"\(use YYYY-MM-DD HH:MM\)"):
        parse_time("09:30", TZ)  # without a day, a bare time is not enough (imports)
