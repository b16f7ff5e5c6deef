"""Phone numbers: one reading per number, however often a file names it."""

from __future__ import annotations

import pytest

from callback_tui.domain import phones


@pytest.mark.parametrize("typed", ["(312) 555-0142", "312-555-0142", "+1 312 555 0142"])
def test_usual_ways_of_typing_a_number_give_one_e164(typed: str) -> None:
    assert phones.normalise(typed, "US") == "+13125550142"
    assert phones.national_digits("+13125550142", "US") == "3125550142"


@pytest.mark.parametrize(
    ("typed", "why"),
    [("call me", "is not a phone number"), ("312-555-01", "is not a valid phone number")],
)
def test_a_refused_number_is_refused_every_time_it_is_read(typed: str, why: str) -> None:
    for _ in range(2):  # the second reading is remembered, and refused the same way
        with pytest.raises(ValueError, match=why):
            phones.normalise(typed, "US")


def test_the_region_is_part_of_what_is_remembered() -> None:
    assert phones.normalise("020 7946 0958", "GB") == "+442079460958"
    with pytest.raises(ValueError):
        phones.normalise("020 7946 0958", "US")


def test_a_number_is_found_by_the_runs_of_digits_people_type() -> None:
    found = phones.search_digits("+13125550106", "3125550106")
    assert found == {"3125550106", "5550106", "0106", "13125550106"}
