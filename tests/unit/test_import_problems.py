"""The count of problems found in many rows, after a long import's list (io/importer.py)."""

from __future__ import annotations

from callback_tui.io.importer import SUMMED_PAST, Problem, repeated

MISSING = "unknown initials 'DRZ' (add them with `staff add`)"


def test_a_list_short_enough_to_read_is_not_summed() -> None:
    problems = [Problem(row, "doctor", MISSING) for row in range(1, SUMMED_PAST + 1)]
    assert repeated(problems) == []
    longer = [*problems, Problem(SUMMED_PAST + 1, "doctor", MISSING)]
    assert repeated(longer) == [(SUMMED_PAST + 1, Problem(1, "doctor", MISSING))]


def test_only_what_repeats_is_counted_most_rows_first_then_by_first_row() -> None:
    problems = [
        Problem(1, "phone", "'12' is not a valid phone number"),
        *[Problem(row, "assisted_by", "unknown initials 'CD'") for row in (2, 3)],
        *[Problem(row, "doctor", MISSING) for row in range(4, 14)],
        *[Problem(row, "species", "unknown species 'dgo'") for row in (14, 15)],
        *[Problem(row, "reason", f"unknown reason 'r{row}'") for row in range(16, 26)],
    ]
    assert repeated(problems) == [
        (10, Problem(4, "doctor", MISSING)),
        (2, Problem(2, "assisted_by", "unknown initials 'CD'")),
        (2, Problem(14, "species", "unknown species 'dgo'")),
    ]


def test_rows_are_counted_once_each() -> None:
    """A row counts once, however many times it shows the same problem."""
    problems = [Problem(row, "doctor", MISSING) for row in range(1, 12) for _ in (1, 2)]
    assert repeated(problems) == [(11, Problem(1, "doctor", MISSING))]
