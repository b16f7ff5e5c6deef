"""The reports (`g r`): the scorecard of a period, per person and pool, with its weekly trend.

The left table lists the clinic, each pool and each person with the measures that tell them
apart (reach, first-call resolution, time to first attempt); the right one is the whole
scorecard of the highlighted line, each measure beside its goal; below, that line's weekly
trend. The period is today, 7, 30 or 90 days, or one of the person's own. Everything is read
in a thread worker through the read layer (store/reports.py); `e` writes the view as CSV.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Static

from callback_tui.domain import measures
from callback_tui.domain.measures import BY_KEY, MEASURES, Tally
from callback_tui.store import reports
from callback_tui.store.reports import CLINIC, Period, Scorecard, Week
from callback_tui.tui.screens.common import (
    GO_TIP,
    FieldError,
    FormScreen,
    KeptScreen,
    app_of,
    show_errors,
    show_text,
)
from callback_tui.tui.widgets.footer import Footer
from callback_tui.tui.widgets.table import Table
from callback_tui.tui.workers import desk_work

PERIODS = {"1": 1, "7": 7, "3": 30, "9": 90}
"""The period keys: today, the last 7, 30 and 90 days (today included)."""

TREND_WEEKS = 13

ORDERS = ("name", "reach_rate", "first_call", "wait_median")
"""How `o` orders the people and pools: by name, or worst first by a measure."""
ORDER_WORDS = {
    "name": "by name",
    "reach_rate": "lowest reach first",
    "first_call": "lowest FCR first",
    "wait_median": "longest wait first",
}
RANKED_FROM = 5
"""Ordered worst first, a line is ranked on a measure only with at least this many calls,
completed callbacks or first calls behind it (one unanswered call is not a reach rate);
the others follow, by name."""
BEHIND: dict[str, Callable[[Tally], int]] = {
    "reach_rate": lambda t: t.calls,
    "first_call": lambda t: t.completed,
    "wait_median": lambda t: len(t.waits),
}
"""What each ordering measure is made of, counted (see RANKED_FROM)."""

SCOPE_COLUMNS = ("Who", "Reach", "FCR", "Wait", "Calls", "Overdue")
SCOPE_MEASURES = ("reach_rate", "first_call", "wait_median", "calls", "overdue")
"""The left table's measures (after Who); "calls" is a count of the tally, not a measure."""
NARROW_COLUMNS = 4
"""Under WIDE columns of terminal the left table has only its first four columns (the
scorecard beside it has the others)."""
WIDE = 100


@dataclass(frozen=True)
class Line:
    """One line of the left table: a scope and its tally."""

    scope: str
    label: str
    name: str
    tally: Tally


class Loaded(Message):
    def __init__(self, card: Scorecard, scope: str, weeks: list[Week]) -> None:
        super().__init__()
        self.card = card
        self.scope = scope
        """The line expected to be highlighted, whose trend was read with the card."""
        self.weeks = weeks


class TrendLoaded(Message):
    def __init__(self, scope: str, last: date, weeks: list[Week]) -> None:
        super().__init__()
        self.scope = scope
        self.last = last
        self.weeks = weeks


class ReportsScreen(KeptScreen, Screen[None]):
    """The scorecard screen. Nothing here writes to the database.

    The app keeps one per person (app.push_kept): opened again, it starts as a new one does
    (the last 7 days, by name, the clinic highlighted) and reads again."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("g", "go", "Go to", id="go", tooltip=GO_TIP),
        Binding("1", "period(1)", "Today", id="today"),
        Binding("7", "period(7)", "7 days", id="days7"),
        Binding("3", "period(30)", "30 days", id="days30"),
        Binding("9", "period(90)", "90 days", id="days90"),
        Binding("c", "custom", "Period…", id="custom", tooltip="From and to dates of your own"),
        Binding("o", "order", "Order", id="order", tooltip="Order by name or worst first"),
        Binding("e", "export", "Export CSV", id="export", tooltip="Write this view as CSV"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def __init__(self, initials: str) -> None:
        super().__init__()
        self.initials = initials
        self.period = Period(date.min, date.min)
        """The last 7 days at the clinic, once mounted (the clinic's clock is the app's)."""
        self.order = "name"
        self.card: Scorecard | None = None
        self.lines: dict[str, Line] = {}
        self.weeks: dict[str, list[Week]] = {}
        self._trends_asked: set[str] = set()
        """The scopes whose trend of this period is being read or has been."""
        self._shown_scope: str | None = None
        """The line whose scorecard and trend are shown on the right and below."""

    @property
    def loaded(self) -> bool:
        """Whether the scorecard and the highlighted line's trend are on screen."""
        return self.card is not None and self._current_scope() in self.weeks

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static("Reports", classes="who", id="title", markup=False)
            yield Static("", classes="counts", id="order-words", markup=False)
        with Horizontal(id="panes"):
            yield Table(id="scopes", cursor_type="row", zebra_stripes=True)
            yield Table(id="card", cursor_type="none", zebra_stripes=True)
        with Vertical(id="trend"):
            yield Static("", id="trend-title", markup=False)
            yield TrendChart(id="chart")
        yield Footer()

    def on_mount(self) -> None:
        scopes = self.query_one("#scopes", DataTable)
        self._add_scope_columns(scopes)
        card = self.query_one("#card", DataTable)
        for column, key in (("Measure", "measure"), ("Value", "value"), ("Goal", "goal")):
            card.add_column(column, key=key)
        scopes.focus()
        self.period = Period.days_to(app_of(self).clinic.clock.today(), 7)
        self._load()

    def reuse(self, initials: str) -> None:
        """As a new one would be: the last 7 days, by name, from the clinic's line, read anew."""
        self.initials = initials
        period = Period.days_to(app_of(self).clinic.clock.today(), 7)
        if (period, self.order) != (self.period, "name"):
            # Other figures than the ones about to be read: none, rather than those a moment.
            self.query_one("#scopes", DataTable).clear()
            self.query_one("#card", DataTable).clear()
            self.query_one(TrendChart).show([])
        self.period, self.order = period, "name"
        scopes = self.query_one("#scopes", DataTable)
        if scopes.row_count:
            scopes.move_cursor(row=0)
        scopes.focus()
        self._load(scope=CLINIC)

    # -- reading ---------------------------------------------------------------------------

    def _load(self, scope: str | None = None) -> None:
        """Read the period's scorecard, and with it the trend of the line that will be
        highlighted (`scope`, or the one highlighted now): one read, shown at once."""
        show_text(self.query_one("#title", Static), self._title())
        scope = scope or self._current_scope() or CLINIC
        self.card, self.weeks, self._trends_asked = None, {}, {scope}
        self._read(self.period, scope)

    def _ask_trend(self, scope: str) -> None:
        if scope not in self._trends_asked:
            self._trends_asked.add(scope)
            self._read_trend(scope, self.period.last)

    @desk_work(group="reports", exclusive=True)
    def _read(self, period: Period, scope: str) -> None:
        app = app_of(self)
        clinic = app.clinic
        card = reports.scorecard(
            app.database, period, clinic.calendar, now=clinic.clock.now(), pools=clinic.pools
        )
        self.post_message(Loaded(card, scope, self._weeks(scope, period.last)))

    @desk_work(group="trend")
    def _read_trend(self, scope: str, last: date) -> None:
        self.post_message(TrendLoaded(scope, last, self._weeks(scope, last)))

    def _weeks(self, scope: str, last: date) -> list[Week]:
        """`scope`'s trend to `last` (in a worker)."""
        app = app_of(self)
        clinic = app.clinic
        return reports.trend(
            app.database, last, TREND_WEEKS, clinic.calendar, who=scope, pools=clinic.pools
        )

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.card.period != self.period:
            return  # read for a period left meanwhile
        self.card = message.card
        self.weeks[message.scope] = message.weeks
        self._show_lines()

    def _title(self) -> str:
        days = self.period.days
        span = "today" if days == 1 else f"{days} days"
        return f"Reports, {span}: {self.period.words()}"

    # -- the left table --------------------------------------------------------------------

    def _show_lines(self) -> None:
        card = self.card
        if card is None:
            return
        table = self.query_one("#scopes", Table)
        kept = self._current_scope()
        self.lines = {line.scope: line for line in self._ordered(card)}
        refill(table, {scope: self._scope_cells(line) for scope, line in self.lines.items()})
        show_text(self.query_one("#order-words", Static), ORDER_WORDS[self.order])
        place = list(self.lines).index(kept) if kept in self.lines else 0
        table.move_cursor(row=place)
        self._show_scope(list(self.lines)[place])

    def _ordered(self, card: Scorecard) -> list[Line]:
        clinic = Line(CLINIC, "Clinic", "the clinic", card.clinic)
        pools = [Line(p, f"{p} pool", f"the {p} pool", t) for p, t in card.pools.items()]
        people = [Line(w, w, card.names.get(w, w), t) for w, t in card.people.items()]
        others = sorted([*pools, *people], key=self._sort_key)
        return [clinic, *others]

    def _sort_key(self, line: Line) -> tuple[Any, ...]:
        if self.order == "name":
            return (line.scope not in (self.card.pools if self.card else {}), line.label)
        measure = BY_KEY[self.order]
        value = measure.value(line.tally)
        if value is None or BEHIND[self.order](line.tally) < RANKED_FROM:
            return (True, 0.0, line.label)
        worst_first = value if measure.better is measures.Better.HIGHER else -value
        return (False, worst_first, line.label)

    def _columns_shown(self) -> int:
        return len(SCOPE_COLUMNS) if self.app.size.width >= WIDE else NARROW_COLUMNS

    def _add_scope_columns(self, table: DataTable[Any]) -> None:
        for column in SCOPE_COLUMNS[: self._columns_shown()]:
            table.add_column(column, key=column.lower())

    def on_resize(self) -> None:
        table = self.query_one("#scopes", DataTable)
        if len(table.columns) != self._columns_shown():
            table.clear(columns=True)
            self._add_scope_columns(table)
            self._show_lines()

    def _scope_cells(self, line: Line) -> list[Text]:
        cells = [Text(line.label, style="bold" if line.scope == CLINIC else "")]
        goals = app_of(self).clinic.goals
        for key in SCOPE_MEASURES[: self._columns_shown() - 1]:
            if key == "calls":
                cells.append(Text(str(line.tally.calls), justify="right"))
                continue
            measure = BY_KEY[key]
            value = measure.value(line.tally)
            style = "bold red" if measure.misses(value, goals) else ""
            cells.append(Text(measures.shown(measure, value), style=style, justify="right"))
        return cells

    def _current_scope(self) -> str | None:
        table = self.query_one("#scopes", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None

    @on(DataTable.RowHighlighted, "#scopes")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        # The table says so after each refill too, for lines the cursor has passed on from:
        # what counts is the line it is on now, once.
        scope = self._current_scope()
        if scope is not None and scope != self._shown_scope:
            self._show_scope(scope)

    # -- the right table and the trend -----------------------------------------------------

    def _show_scope(self, scope: str) -> None:
        line = self.lines.get(scope)
        if line is None:
            return
        self._shown_scope = scope
        goals = app_of(self).clinic.goals
        rows: dict[str, tuple[Text, ...]] = {}
        for measure in MEASURES:
            value = measure.value(line.tally)
            missed = measure.misses(value, goals)
            goal = Text(measures.goal_words(measure, goals), style="dim")
            if missed:
                goal.append(" ✗", style="bold red")
            rows[measure.key] = (
                Text(measure.label),
                Text(measures.shown(measure, value), "bold red" if missed else "", justify="right"),
                goal,
            )
        refill(self.query_one("#card", Table), rows)
        title = f"Weekly trend of {line.name}: reach rate and median time to first attempt"
        show_text(self.query_one("#trend-title", Static), title)
        chart = self.query_one(TrendChart)
        weeks = self.weeks.get(scope)
        if weeks is None:
            chart.show([])
            self._ask_trend(scope)
        else:
            chart.show(weeks)

    @on(TrendLoaded)
    def _trend_loaded(self, message: TrendLoaded) -> None:
        if message.last != self.period.last:
            return  # read for a period left meanwhile
        self.weeks[message.scope] = message.weeks
        if self._current_scope() == message.scope:
            self.query_one(TrendChart).show(message.weeks)

    # -- keys ------------------------------------------------------------------------------

    def action_period(self, days: int) -> None:
        self.period = Period.days_to(app_of(self).clinic.clock.today(), days)
        self._load()

    def action_custom(self) -> None:
        def chosen(period: Period | None) -> None:
            if period is not None:
                self.period = period
                self._load()

        app_of(self).push_kept(PeriodDialog, self.period, callback=chosen)

    def action_order(self) -> None:
        self.order = ORDERS[(ORDERS.index(self.order) + 1) % len(ORDERS)]
        self._show_lines()

    def action_export(self) -> None:
        if self.card is None:
            return
        self._export(self.card)

    @desk_work(group="export")
    def _export(self, card: Scorecard) -> None:
        from callback_tui.config import export_folder
        from callback_tui.io import scorecard

        app = app_of(self)
        folder = export_folder(app.clinic.settings)
        path = csv_path(folder, card.period)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with path.open("w", encoding="utf-8", newline="") as out:
                scorecard.write_csv(out, card)
        except OSError as error:
            why = error.strerror or "it could not be written"
            said = f"The report was not exported: {folder} ({why})."
            app.call_from_thread(app.notify, said, severity="error", markup=False)
            return
        app.call_from_thread(app.notify, f"Report written to {path}", markup=False)

    def action_reload(self) -> None:
        self._load()

    def action_go(self) -> None:
        from callback_tui.tui.screens.tasks import go_to

        go_to(self, self.initials)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_cursor_down(self) -> None:
        self.query_one("#scopes", DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one("#scopes", DataTable).action_cursor_up()


class TrendChart(Vertical):
    """The weekly trend as a chart: reach rate (%, left axis) and median time to first attempt
    (open hours, right axis), one point per week that had any; the weeks' start days below."""

    DEFAULT_CSS = """
    TrendChart { height: 1fr; }
    TrendChart #plot { height: 1fr; }
    """

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self._shown: list[Week] | None = None

    def compose(self) -> ComposeResult:
        from textual_plotext import PlotextPlot

        yield PlotextPlot(id="plot")

    def show(self, weeks: list[Week]) -> None:
        """Draw `weeks` (none: an empty chart); the weeks drawn already are left as they are."""
        from textual_plotext import PlotextPlot

        if weeks == self._shown:
            return
        self._shown = list(weeks)
        plot = self.query_one(PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        if weeks:
            _draw(plt, weeks)
        plot.refresh()


def _draw(plt: Any, weeks: list[Week]) -> None:
    """The weeks on plotext's figure: explicit ticks, so the chart reads the same each time."""
    places = [float(place) for place in range(1, len(weeks) + 1)]
    ticks = places[:: max(1, len(weeks) // 4)]
    plt.xticks(ticks, [f"{weeks[int(tick) - 1].period.first:%d %b}" for tick in ticks])
    reach = [
        (place, week.reach_rate * 100)
        for place, week in zip(places, weeks, strict=True)
        if week.reach_rate is not None
    ]
    wait = [
        (place, week.wait_median / 60)
        for place, week in zip(places, weeks, strict=True)
        if week.wait_median is not None
    ]
    if reach:
        plt.plot(*zip(*reach, strict=True), label="reach %", marker="dot", yside="left")
    if wait:
        plt.plot(*zip(*wait, strict=True), label="first call, h", marker="dot", yside="right")
    plt.xlim(0.5, len(weeks) + 0.5)
    plt.ylim(0, 100, yside="left")
    plt.yticks([0, 50, 100], ["0 %", "50 %", "100 %"], yside="left")
    top = _hours_axis(max((hours for _, hours in wait), default=0.0))
    plt.ylim(0, top, yside="right")
    plt.yticks([0, top / 2, top], [_hours(0), _hours(top / 2), _hours(top)], yside="right")


def _hours_axis(longest: float) -> float:
    """The top of the hours axis: a round number of hours above the longest wait."""
    for top in (1, 2, 4, 8, 12, 24, 48, 96):
        if longest <= top:
            return float(top)
    return float(round(longest * 1.2))


def _hours(value: float) -> str:
    return f"{value:g} h"


class PeriodDialog(KeptScreen, FormScreen, ModalScreen[Period | None]):
    """A period of the person's own: from and to dates, each checked on its own. The app
    keeps one (app.push_kept): opened again, it holds the period shown, as a new one does."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Show", id="save", priority=True),
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    def __init__(self, period: Period) -> None:
        super().__init__(classes="modal")
        self.period = period

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("A period of your own (YYYY-MM-DD)", classes="title", markup=False)
            yield Static("From", classes="label", markup=False)
            yield Input(self.period.first.isoformat(), id="first", max_length=10, compact=True)
            yield FieldError("first")
            yield Static("To (included)", classes="label", markup=False)
            yield Input(self.period.last.isoformat(), id="last", max_length=10, compact=True)
            yield FieldError("last")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#first", Input).focus()

    def reuse(self, period: Period) -> None:
        self.period = period
        show_errors(self, {})
        for field, day in (("first", period.first), ("last", period.last)):
            entry = self.query_one(f"#{field}", Input)
            entry.value = day.isoformat()
            entry.cursor_position = len(entry.value)  # at the end, as in a new one
        self.query_one("#first", Input).focus()

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "first":
            self.query_one("#last", Input).focus()
        else:
            self.action_save()

    def action_save(self) -> None:
        days: dict[str, date] = {}
        problems: dict[str, str] = {}
        for field in ("first", "last"):
            typed = self.query_one(f"#{field}", Input).value.strip()
            try:
                days[field] = date.fromisoformat(typed)
            except ValueError:
                problems[field] = "write a date as YYYY-MM-DD, for example 2026-11-30"
        if not problems and days["first"] > days["last"]:
            problems["last"] = "the last day comes on or after the first"
        if not problems and (days["last"] - days["first"]).days >= 366 * 2:
            problems["first"] = "two years at most"
        if problems:
            show_errors(self, problems)
            return
        self.dismiss(Period(days["first"], days["last"]))

    def action_cancel(self) -> None:
        self.dismiss(None)


def refill(table: Table, rows: Mapping[str, Sequence[Text]]) -> None:
    """`rows` (cells by row key, in order) in `table`, unless it shows just them already (a
    refill lays the table out and paints it again, for the same figures)."""
    if table.shows(rows):
        return
    table.clear()
    for key, cells in rows.items():
        table.add_row(*cells, key=key)


def csv_path(folder: Path, period: Period) -> Path:
    """Where the export of a period's report goes."""
    return folder / f"report-{period.first.isoformat()}-to-{period.last.isoformat()}.csv"
