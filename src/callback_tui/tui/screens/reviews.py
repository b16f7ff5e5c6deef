"""The daily review (`g v`) and the weekly review (`g w`): read-only pages, top to bottom.

The daily review goes through what must not wait (callbacks past their target, referral
items, unreached clinical callbacks and their escalation, old drafts, wrong numbers) and the
week's patterns of missed calls; the weekly review sets the last seven days against the seven
before. Both read in a thread worker through the read layer (store/reports.py); names and
reasons are shown literally.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from callback_tui.domain import measures, text
from callback_tui.domain.measures import Better
from callback_tui.store import reports
from callback_tui.store.reports import DailyReview as Daily
from callback_tui.store.reports import Pattern, ReviewItem, WeekFigures
from callback_tui.store.reports import WeeklyReview as Weekly
from callback_tui.tui import display
from callback_tui.tui.screens.common import GO_TIP, KeptScreen, app_of
from callback_tui.tui.widgets.footer import Footer
from callback_tui.tui.widgets.listing import Listing
from callback_tui.tui.widgets.page import Page
from callback_tui.tui.workers import desk_work


class Read(Message):
    def __init__(self, review: object) -> None:
        super().__init__()
        self.review = review


class ReviewScreen(KeptScreen, Screen[None]):
    """A heading and one scrolling page of sections; `r` reads it again.

    The app keeps one of each kind (app.push_kept); opened again, it reads again, and
    writes its page again only when what it read differs (or the minute, which the waits
    it shows count in)."""

    TITLE_WORDS = ""
    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("g", "go", "Go to", id="go", tooltip=GO_TIP),
        Binding("r", "reload", "Read again", id="reload"),
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
    ]

    def __init__(self, initials: str) -> None:
        super().__init__()
        self.initials = initials
        self.review: object | None = None
        self.sections: list[RenderableType] = []
        """What the page shows, section by section."""
        self._shown: object = None
        """What the page was written from (`page_key`)."""

    @property
    def loaded(self) -> bool:
        return self.review is not None

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(self.TITLE_WORDS, classes="who", id="title", markup=False)
            yield Static("", classes="counts", id="when", markup=False)
        # Rendered a screenful at a time: a day's review can list hundreds of callbacks and
        # drafts, which a text widget lays out and paints whole, at every turn.
        page = Page(id="page")
        page.show([Text("Reading…")])
        yield page
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#page").focus()
        self._read()

    def reuse(self, initials: str) -> None:
        """Read anew, from the top of the page (the app keeps one per person)."""
        self.initials = initials
        self.review = None
        page = self.query_one("#page", Page)
        page.scroll_home(animate=False)
        page.focus()
        self._read()

    @desk_work(group="review", exclusive=True)
    def _read(self) -> None:
        self.post_message(Read(self.fetch()))

    def fetch(self) -> object:
        raise NotImplementedError

    def page(self, review: Any) -> tuple[str, list[RenderableType]]:
        """The words beside the title, and the page's sections."""
        raise NotImplementedError

    def page_key(self, review: Any) -> object:
        """All the page depends on: the same key, the same page."""
        return review

    @on(Read)
    def _show(self, message: Read) -> None:
        self.review = message.review
        shown = self.page_key(message.review)
        if shown == self._shown:
            return  # the page says just that already
        self._shown = shown
        when, self.sections = self.page(message.review)
        self.query_one("#when", Static).update(when)
        self.query_one("#page", Page).show(self.sections)

    def action_reload(self) -> None:
        self.review = None
        self._read()

    def action_go(self) -> None:
        from callback_tui.tui.screens.tasks import go_to

        go_to(self, self.initials)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_scroll_down(self) -> None:
        self.query_one("#page", Page).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one("#page", Page).scroll_up()


def heading(words: str, count: int | None = None) -> Text:
    shown = Text(words, style="bold")
    if count is not None:
        shown.append(f" ({count})", style="bold" if count else "dim")
    return shown


def listing(columns: Sequence[str], rows: Iterable[Sequence[Text]], empty: str) -> RenderableType:
    """A plain table of `rows` under `columns`, or the words `empty` when there are none."""
    found = Listing(columns, rows)
    if not found.rows:
        return Text(f"  {empty}", style="dim")
    return found


class DailyReview(ReviewScreen):
    """What the day's review goes through (store/reports.py `daily_review`)."""

    TITLE_WORDS = "Daily review"

    def fetch(self) -> Daily:
        app = app_of(self)
        clinic = app.clinic
        profile = clinic.profile
        referral = [key for key, request in profile.requests.items() if request.referral]
        return reports.daily_review(
            app.database, clinic.clock.now(), clinic.calendar, referral_reasons=referral
        )

    def page_key(self, review: Daily) -> object:
        # How long each old draft has waited is the one thing on the page that moves
        # with the clock.
        now = app_of(self).clinic.clock.now()
        return review, tuple(display.waiting(now - d.created_at) for d in review.old_drafts)

    def page(self, review: Daily) -> tuple[str, list[RenderableType]]:
        calendar = app_of(self).clinic.calendar
        now = app_of(self).clinic.clock.now()

        def due(item: ReviewItem) -> Text:
            if item.target_at is not None:
                return Text(f"target {display.moment(calendar, item.target_at)}")
            return Text(f"due {item.due_date:%a %d %b}")

        def item_row(item: ReviewItem, extra: Callable[[ReviewItem], Text] = due) -> list[Text]:
            return [
                display.literal(item.patient),
                display.literal(item.client),
                display.literal(self._reason(item.reason)),
                Text(item.owner),
                extra(item),
            ]

        columns = ("Patient", "Client", "Reason", "Owner", "Due")

        def escalation(item: ReviewItem) -> Text:
            done = item.escalation == "done"
            return Text(f"escalation {item.escalation}", style="green" if done else "bold yellow")

        sections: list[RenderableType] = [
            self._glance(review),
            Text(""),
            heading("Past their due day or response target", len(review.past_target)),
            listing(columns, (item_row(i) for i in review.past_target), "none: all on time"),
            Text(""),
            heading("Referral items open", len(review.referral)),
            listing(columns, (item_row(i) for i in review.referral), "none"),
            Text(""),
            heading("Unreached clinical callbacks, last 7 days", len(review.unreached)),
            listing(
                (*columns[:4], "Escalation"),
                (item_row(i, escalation) for i in review.unreached),
                "none",
            ),
            Text(""),
            heading("Drafts waiting over 24 hours", len(review.old_drafts)),
            listing(
                ("Patient", "Written by", "For", "Waiting"),
                (
                    [
                        display.literal(d.patient or "—"),
                        Text(d.author),
                        Text(d.addressed_to or "—"),
                        display.waiting(now - d.created_at),
                    ]
                    for d in review.old_drafts
                ),
                "none",
            ),
            Text(""),
            heading("Wrong numbers waiting to be verified", len(review.wrong_numbers)),
            listing(columns, (item_row(i) for i in review.wrong_numbers), "none"),
            Text(""),
            heading("This week's missed calls (no answer or busy)"),
            self._patterns("Call windows", review.miss_windows),
            self._patterns("Reasons", review.miss_reasons, self._reason),
        ]
        return f"{review.day:%a %d %b}", sections

    def _glance(self, review: Daily) -> Text:
        """The review in one line: how many of each, and where calls fail most."""
        counts = (
            (len(review.past_target), f"{len(review.past_target)} past target"),
            (len(review.unreached), f"{len(review.unreached)} unreached clinical"),
            (len(review.old_drafts), f"{text.counted(len(review.old_drafts), 'draft')} over 24 h"),
            (len(review.wrong_numbers), text.counted(len(review.wrong_numbers), "wrong number")),
        )
        shown = Text("At a glance: ", style="bold")
        for index, (count, words) in enumerate(counts):
            if index:
                shown.append(" · ")
            shown.append(words, style="bold yellow" if count else "green")
        if review.miss_windows:
            worst = review.miss_windows[0]
            shown.append(" · calls fail most in the ")
            shown.append(worst.name, style="bold")
            shown.append(f" ({worst.misses} of {worst.calls} missed)")
        return shown

    def _reason(self, key: str) -> str:
        """A reason's or request type's label (its key, for one the profile no longer has)."""
        profile = app_of(self).clinic.profile
        found = profile.reasons.get(key) or profile.requests.get(key)
        return found.label if found is not None else key.replace("_", " ")

    def _patterns(
        self, what: str, patterns: list[Pattern], name: Callable[[str], str] = str
    ) -> RenderableType:
        if not patterns:
            return Text(f"  {what}: no missed calls this week", style="dim")
        shown = Text(f"  {what}: ")
        for index, pattern in enumerate(patterns):
            if index:
                shown.append(", ")
            shown.append(name(pattern.name), style="bold")
            shown.append(f" {pattern.misses} missed of {text.counted(pattern.calls, 'call')}")
        return shown


class WeeklyReview(ReviewScreen):
    """The last seven days against the seven before (store/reports.py `weekly_review`)."""

    TITLE_WORDS = "Weekly review"

    def fetch(self) -> Weekly:
        app = app_of(self)
        clinic = app.clinic
        return reports.weekly_review(app.database, clinic.clock.today(), clinic.calendar)

    def page(self, review: Weekly) -> tuple[str, list[RenderableType]]:
        this, last = review.this_week, review.last_week
        table = Table(box=None, padding=(0, 1), header_style="dim")
        for column, justify in (("", "left"), ("this week", "right"), ("last week", "right")):
            table.add_column(column, justify=justify)  # type: ignore[arg-type]
        table.add_column("change", justify="right")
        for label, pick, unit, better in _FIGURES:
            now_value, then_value = pick(this), pick(last)
            table.add_row(
                Text(label),
                Text(_figure(now_value, unit)),
                Text(_figure(then_value, unit), style="dim"),
                _change(now_value, then_value, unit, better),
            )
        windows = Table(box=None, padding=(0, 1), header_style="dim")
        for column in ("call window", "this week", "last week", "change"):
            windows.add_column(column, justify="left" if column == "call window" else "right")
        names = [*this.windows, *(n for n in last.windows if n not in this.windows)]
        for name in names:
            now_rate = _window_rate(this, name)
            then_rate = _window_rate(last, name)
            windows.add_row(
                Text(name),
                Text(f"{_figure(now_rate, '%')} of {this.windows.get(name, (0, 0))[1]}"),
                Text(f"{_figure(then_rate, '%')} of {last.windows.get(name, (0, 0))[1]}", "dim"),
                _change(now_rate, then_rate, "%", Better.HIGHER),
            )
        sections: list[RenderableType] = [
            heading("Reach and booking"),
            table,
            Text(""),
            heading("Reach rate by call window"),
            windows if names else Text("  no calls in either week", style="dim"),
        ]
        return f"{this.period.words()}, against {last.period.words()}", sections


_FIGURES: tuple[tuple[str, Callable[[WeekFigures], float | None], str, Better], ...] = (
    ("Calls", lambda w: w.calls, "", Better.HIGHER),
    ("People reached", lambda w: w.reached, "", Better.HIGHER),
    ("Reach rate", lambda w: w.reach_rate, "%", Better.HIGHER),
    ("Booking rate", lambda w: w.booking_rate, "%", Better.HIGHER),
    ("Wrong numbers", lambda w: w.wrong_numbers, "", Better.LOWER),
    ("Do-not-call overrides", lambda w: w.dnc_overrides, "", Better.LOWER),
    ("Unreached closures", lambda w: w.unreached, "", Better.LOWER),
)
"""The weekly review's lines: label, value, unit ("%": a share), which way is better."""


def _window_rate(week: WeekFigures, name: str) -> float | None:
    reached, tried = week.windows.get(name, (0, 0))
    return measures.rate(reached, tried)


def _figure(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.0f} %" if unit == "%" else f"{value:.0f}"


def _change(now: float | None, then: float | None, unit: str, better: Better) -> Text:
    """The change from last week, green when for the better, red when for the worse."""
    if now is None or then is None or now == then:
        return Text("—" if now is None or then is None else "same", style="dim")
    difference = (now - then) * (100 if unit == "%" else 1)
    words = f"{'▲' if difference > 0 else '▼'} {abs(difference):.0f}{' pts' if unit else ''}"
    good = (difference > 0) == (better is Better.HIGHER)
    return Text(words, style="green" if good else "red")
