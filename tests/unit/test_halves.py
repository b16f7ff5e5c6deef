"""Two parts of a list worked at once, one in a forked process: the same results, always."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from callback_tui.io.halves import in_two

WHEN = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def square(part: list[int]) -> list[tuple[int, int, datetime, int]]:
    """Each number, its square, a time, and the process that worked it out."""
    return [(n, n * n, WHEN, os.getpid()) for n in part]


KIND = list[tuple[int, int, datetime, int]]


def test_the_second_part_is_worked_in_another_process_and_comes_back_as_made() -> None:
    here, there = in_two(square, [1, 2, 3], [4, 5], KIND)
    assert [row[:3] for row in here] == [(1, 1, WHEN), (2, 4, WHEN), (3, 9, WHEN)]
    assert [row[:3] for row in there] == [(4, 16, WHEN), (5, 25, WHEN)]
    assert there[0][2].tzinfo is UTC
    assert {row[3] for row in here} == {os.getpid()}
    assert {row[3] for row in there} != {os.getpid()}


def test_a_part_the_other_process_fails_on_is_worked_here() -> None:
    parent = os.getpid()

    def fails_elsewhere(part: list[int]) -> list[tuple[int, int, datetime, int]]:
        if os.getpid() != parent:
            raise RuntimeError("the other process fails")
        return square(part)

    here, there = in_two(fails_elsewhere, [1], [2, 3], KIND)
    assert [row[:2] for row in [*here, *there]] == [(1, 1), (2, 4), (3, 9)]
    assert {row[3] for row in there} == {parent}


def test_results_that_do_not_come_back_as_their_kind_are_worked_here() -> None:
    here, there = in_two(square, [1], [2], list[str])
    assert [row[:2] for row in [*here, *there]] == [(1, 1), (2, 4)]
    assert {row[3] for row in there} == {os.getpid()}
