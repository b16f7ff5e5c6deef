"""The reports and the reviews, as the office manager uses them: keys pressed, figures read."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import msgspec
import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from callback_tui.config import load_clinic
from callback_tui.store.services import FrontDesk
from callback_tui.tui.screens.reports import PeriodDialog, ReportsScreen
from callback_tui.tui.screens.reviews import DailyReview, WeeklyReview
from callback_tui.tui.widgets.page import Page
from tests.store.test_reports import tuesday  # noqa: F401  (the hand-built Tuesday)
from tests.tui.conftest import SIZE, MakeApp, settle


def table(app: object, which: str) -> list[list[str]]:
    found = app.screen.query_one(which, DataTable)  # type: ignore[attr-defined]
    return [[cell.plain for cell in found.get_row_at(i)] for i in range(found.row_count)]


def card_of(app: object) -> dict[str, str]:
    return {row[0]: row[1] for row in table(app, "#card")}


def words(app: object, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


@pytest.mark.usefixtures("tuesday")
async def test_g_r_lists_the_clinic_pools_and_people_with_the_scorecard_beside(
    make: MakeApp,
) -> None:
    app = make("OM")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g", "r")
        await settle(pilot)
        assert isinstance(app.screen, ReportsScreen)
        assert words(app, "#title") == "Reports, 7 days: Wed 18 Nov to Tue 24 Nov"
        lines = table(app, "#scopes")
        # The clinic, its pools, then its people (by name): the lines with anything to count.
        assert [line[0] for line in lines] == ["Clinic", "SA pool", "TA pool", "AB", "CD", "TR"]
        clinic = lines[0]
        # Clinic: 2 of 4 calls reached somebody, 1 of 2 completed on the first attempt, the
        # median first call 70 open minutes after the callback could be worked.
        assert clinic[1:4] == ["50 %", "50 %", "1 h 10"]
        card = card_of(app)
        assert card["Created"] == "5" and card["Overdue now"] == "1"
        assert card["Wrong numbers"] == "1" and card["Booking rate"] == "50 %"
        # The highlighted line's scorecard follows the cursor: TR's two calls, one answered.
        rows = [line[0] for line in lines]
        for _ in range(rows.index("TR")):
            await pilot.press("down")
        await settle(pilot)
        card = card_of(app)
        assert card["Reach rate"] == "50 %" and card["First-call resolution"] == "0 %"
        goals = {row[0]: row[2] for row in table(app, "#card")}
        assert goals["First-call resolution"] == "≥ 80 % ✗"  # misses the goal, marked


@pytest.mark.usefixtures("tuesday")
async def test_periods_and_the_order_worst_first(make: MakeApp) -> None:
    app = make("OM")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g", "r")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert words(app, "#title") == "Reports, today: Tue 24 Nov"
        await pilot.press("9")
        await settle(pilot)
        assert words(app, "#title").startswith("Reports, 90 days: Thu 27 Aug")
        # Worst first by reach rate, only with enough calls behind it: too few here, so
        # everyone follows by name (no one ranked on a single call).
        await pilot.press("o")
        await settle(pilot)
        assert words(app, "#order-words") == "lowest reach first"
        names = [line[0] for line in table(app, "#scopes")]
        assert names[0] == "Clinic" and names[1:] == sorted(names[1:])


async def test_with_enough_calls_the_lowest_reach_rate_comes_first(
    make: MakeApp, desk: FrontDesk, clock: object
) -> None:
    from callback_tui.domain.vocab import Outcome
    from tests.conftest import add_visit, local
    from tests.store.test_reports import call

    phones = iter(f"(312) 555-01{n:02d}" for n in range(10, 99))
    for who, reached in (("AB", 4), ("CD", 1)):
        for index in range(5):
            made = add_visit(
                desk, occurred_at="2026-11-23 10:00", assisted_by=who,
                client=f"Client {who}{index}", phone=next(phones),
            )[0]  # fmt: skip
            assert made.id is not None
            clock.instant = local("2026-11-24 10:00")  # type: ignore[attr-defined]
            outcome = Outcome.SPOKE if index < reached else Outcome.NO_ANSWER
            call(desk, who, made.id, outcome)
    app = make("OM")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g", "r", "o")
        await settle(pilot)
        lines = table(app, "#scopes")
        assert [line[:2] for line in lines[:3]] == [
            ["Clinic", "50 %"],
            ["CD", "20 %"],
            ["AB", "80 %"],
        ]


async def test_the_reports_are_kept_and_start_again_as_new_with_the_figures_read_again(
    make: MakeApp,
    desk: FrontDesk,
    tuesday: dict[str, int],  # noqa: F811  (the fixture, imported above)
) -> None:
    from callback_tui.domain.vocab import Outcome
    from tests.store.test_reports import call

    app = make("OM")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("g", "r")
        await settle(pilot)
        reports = app.screen
        assert isinstance(reports, ReportsScreen)
        assert card_of(app)["Reach rate"] == "50 %"  # 2 of 4 calls
        await pilot.press("9", "o", "down", "down")  # another period, order and line
        await settle(pilot)
        assert words(app, "#title").startswith("Reports, 90 days")
        await pilot.press("escape")
        await settle(pilot)
        call(desk, "CD", tuesday["late"], Outcome.SPOKE)  # a fifth call, meanwhile
        await pilot.resize_terminal(80, 24)  # and a narrower terminal
        await pilot.press("g", "r")
        await settle(pilot)
        assert app.screen is reports and reports.loaded
        assert words(app, "#title") == "Reports, 7 days: Wed 18 Nov to Tue 24 Nov"
        assert words(app, "#order-words") == "by name"
        lines = table(app, "#scopes")
        assert lines[0][0] == "Clinic" and len(lines[0]) == 4  # narrow: four columns
        assert app.screen.query_one("#scopes", DataTable).cursor_row == 0
        assert card_of(app)["Reach rate"] == "60 %"  # read again: 3 of 5
        assert "of the clinic" in words(app, "#trend-title")


@pytest.mark.usefixtures("tuesday")
async def test_a_period_of_ones_own_is_refused_field_by_field(make: MakeApp) -> None:
    app = make("OM")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g", "r", "c")
        await settle(pilot)
        assert isinstance(app.screen, PeriodDialog)
        first = app.screen.query_one("#first", Input)
        last = app.screen.query_one("#last", Input)
        first.value, last.value = "2026-11-31", "2026-11-20"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "YYYY-MM-DD" in str(app.screen.query_one("#error-first", Static).render())
        first.value = "2026-11-23"
        await pilot.press("ctrl+s")
        await settle(pilot)
        said = str(app.screen.query_one("#error-last", Static).render())
        assert said == "the last day comes on or after the first"
        assert last.value == "2026-11-20"  # what was typed stays
        first.value, last.value = "2020-01-01", "2026-11-24"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert str(app.screen.query_one("#error-first", Static).render()) == "two years at most"
        first.value = "2026-11-23"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReportsScreen)
        assert words(app, "#title") == "Reports, 2 days: Mon 23 Nov to Tue 24 Nov"


@pytest.mark.usefixtures("tuesday")
async def test_the_period_dialog_is_kept_and_opens_again_on_the_period_shown(
    make: MakeApp,
) -> None:
    app = make("OM")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g", "r", "c")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PeriodDialog)
        dialog.query_one("#first", Input).value = "2026-13-01"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert str(dialog.query_one("#error-first", Static).render())  # refused
        await pilot.press("escape", "9", "c")  # cancelled; 90 days; the dialog again
        await settle(pilot)
        assert app.screen is dialog
        assert dialog.query_one("#first", Input).value == "2026-08-27"
        assert dialog.query_one("#last", Input).value == "2026-11-24"
        assert not str(dialog.query_one("#error-first", Static).render())  # as new
        assert dialog.query_one("#first", Input).has_focus
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert words(app, "#title").startswith("Reports, 90 days: Thu 27 Aug")


@pytest.mark.usefixtures("tuesday")
async def test_e_exports_the_view_as_guarded_csv(
    make: MakeApp, desk: FrontDesk, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    settings = msgspec.structs.replace(desk.clinic.settings, export_folder=str(folder))
    clinic = load_clinic(settings, desk.clinic.clock)
    desk.staff.rename("setup", "CD", "=HYPERLINK(1)")  # a name a spreadsheet would run
    app = make("OM", clinic=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g", "r", "e")
        await settle(pilot)
        path = folder / "report-2026-11-18-to-2026-11-24.csv"
        assert path.exists()
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
        by_scope = {row["scope"]: row for row in rows}
        assert by_scope["clinic"]["reach_rate"] == "0.5"
        assert by_scope["clinic"]["created"] == "5"
        assert by_scope["CD"]["name"] == "'=HYPERLINK(1)"
        assert any(str(path) in n.message for n in app._notifications)


@pytest.mark.usefixtures("tuesday")
async def test_the_daily_and_weekly_reviews(make: MakeApp) -> None:
    app = make("OM")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g", "v")
        await settle(pilot)
        assert isinstance(app.screen, DailyReview)
        text = _plain(app.screen)
        assert "Past their due day or response target (1)" in text
        assert "Kiwi" in text and "Ana Ruiz" in text  # the overdue diarrhea check
        assert "Wrong numbers waiting to be verified (1)" in text
        assert "Call windows: morning 1 missed of 3 calls" in text
        assert " ".join(text.split()).startswith(
            "At a glance: 1 past target · 0 unreached clinical · 0 drafts over 24 h"
            " · 1 wrong number · calls fail most in the morning (1 of 3 missed)"
        )
        await pilot.press("g", "w")
        await settle(pilot)
        assert isinstance(app.screen, WeeklyReview)
        text = _plain(app.screen)
        assert "Reach rate" in text and "50 %" in text
        assert "morning" in text and "33 % of 3" in text
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "TodayScreen"


async def daily_review_page(pilot: Pilot[None]) -> Page:
    """From Today, `g v`, settled: the daily review's page."""
    await settle(pilot)
    await pilot.press("g", "v")
    await settle(pilot)
    assert isinstance(pilot.app.screen, DailyReview)
    return pilot.app.screen.query_one("#page", Page)


@pytest.mark.usefixtures("tuesday")
async def test_a_review_is_laid_out_at_the_pages_width_and_again_when_it_changes(
    make: MakeApp,
) -> None:
    """The page is laid out at the width it has: narrower, it is laid out again to fit."""
    app = make("OM")
    async with app.run_test(size=(120, 40)) as pilot:
        page = await daily_review_page(pilot)
        wide = [line.rstrip() for line in page.text()]
        assert any(len(line) > 80 for line in wide)  # the glance line, on one line
        assert any("Kiwi" in line and "Ana Ruiz" in line for line in wide)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        narrow = [line.rstrip() for line in page.text()]
        width = page.scrollable_content_region.width
        assert max(len(line) for line in narrow) <= width < 80
        assert any("Kiwi" in line and "Ana Ruiz" in line for line in narrow)
        assert narrow[0] != wide[0] and narrow[0] in wide[0]  # the glance line wraps sooner


@pytest.mark.usefixtures("tuesday")
async def test_a_long_review_is_never_written_under_its_scrollbar(make: MakeApp) -> None:
    """Short terminal, long page: the scrollbar comes after the page is laid out; the text
    was laid out beside it, not under it."""
    app = make("OM")
    async with app.run_test(size=(80, 12)) as pilot:
        page = await daily_review_page(pilot)
        assert page.show_vertical_scrollbar  # the page is longer than the screen
        assert 0 < page.built_width <= page.scrollable_content_region.width


async def test_a_review_is_kept_reads_again_and_is_written_again_only_when_it_changed(
    make: MakeApp,
    desk: FrontDesk,
    tuesday: dict[str, int],  # noqa: F811  (the fixture, imported above)
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from callback_tui.domain.vocab import Outcome
    from tests.store.test_reports import call

    written: list[object] = []
    show = Page.show

    def counted(page: Page, sections: Any) -> None:
        written.append(sections)
        show(page, sections)

    monkeypatch.setattr(Page, "show", counted)
    app = make("OM")
    async with app.run_test(size=SIZE) as pilot:
        page = await daily_review_page(pilot)
        review = app.screen
        assert isinstance(review, DailyReview)
        assert "Past their due day or response target (1)" in _plain(review)
        pages = len(written)
        await pilot.press("escape", "g", "v")  # nothing changed meanwhile
        await settle(pilot)
        assert app.screen is review and review.loaded
        assert len(written) == pages  # read again, and the same: the page stays
        await pilot.press("escape")
        await settle(pilot)
        call(desk, "CD", tuesday["late"], Outcome.SPOKE)  # the overdue check, done
        await pilot.press("g", "v")
        await settle(pilot)
        assert app.screen is review
        assert "Past their due day or response target (0)" in _plain(review)
        assert len(written) > pages
        assert any("none: all on time" in line for line in page.text())


def _plain(review: object) -> str:
    """What a review's page reads as, at the screen's width."""
    from io import StringIO

    from rich.console import Console, Group

    console = Console(width=SIZE[0], record=True, file=StringIO())
    console.print(Group(*review.sections))  # type: ignore[attr-defined]
    return console.export_text()


@pytest.mark.usefixtures("tuesday")
async def test_an_export_that_cannot_be_written_says_so_in_words(
    make: MakeApp, desk: FrontDesk, tmp_path: Path
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    settings = msgspec.structs.replace(desk.clinic.settings, export_folder=str(blocked / "x"))
    app = make("OM", clinic=load_clinic(settings, desk.clinic.clock))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g", "r", "e")
        await settle(pilot)
        said = [n.message for n in app._notifications]
        assert any(m.startswith("The report was not exported:") for m in said), said
        assert not any("Traceback" in m or "Errno" in m for m in said)
        assert isinstance(app.screen, ReportsScreen)  # still there, nothing half-written
        assert blocked.read_text() == "not a folder"
