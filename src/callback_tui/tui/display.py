"""How queue values look on screen. User text always becomes `Text`, never markup."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from rich.text import Text

from callback_tui.domain import text
from callback_tui.domain.hours import Calendar
from callback_tui.domain.vocab import DRAFT_WAITS_TOO_LONG
from callback_tui.store.queries import QueueRow


def literal(value: str | None, style: str = "") -> Text:
    """User text, exactly as typed: brackets are characters, not markup."""
    return Text(value or "", style=style, no_wrap=True, overflow="ellipsis")


def when(row: QueueRow, today: date, calendar: Calendar, now: datetime | None = None) -> Text:
    """When a callback is due; for a message on the clock (given `now`), how long is left
    to its response target, or how late it is ("45m left", "late 1h10")."""
    if now is not None and row.on_the_clock():
        clock = _clock(row, today, calendar, now)
        if clock is not None:
            return clock
    due = calendar.local(row.due_at)
    if row.status == "open" and row.due_date < today:
        return Text(due.strftime("%a %d %b"), style="bold red")
    label = due.strftime("%H:%M")
    if row.next_attempt_at is not None:
        return Text(f"next {label}", style="yellow")
    if due.date() != today:
        label = due.strftime("%a %d %H:%M")
    return Text(label)


def _clock(row: QueueRow, today: date, calendar: Calendar, now: datetime) -> Text | None:
    late = row.late_minutes(now)
    assert late is not None and row.target_at is not None
    if row.is_late(now):
        return Text(f"late {span(max(late, 1))}", style="bold red")
    if calendar.local(row.target_at).date() != today:
        return None  # due another day: its date says more than hours left
    return Text(f"{span(-late)} left", style="yellow" if -late <= 60 else "")


def span(minutes: int) -> str:
    """Minutes as the desk reads a clock: "45m", "1h10", "3h"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest}m"
    return f"{hours}h{rest:02d}" if rest else f"{hours}h"


def marks(row: QueueRow) -> Text:
    """Short flags: do-not-call, consent, wrong number, urgency, a closed-day move."""
    out = Text()
    pieces: list[tuple[str, str]] = []
    if row.do_not_call:
        pieces.append(("DNC", "bold white on red"))
    if row.wrong_number:
        pieces.append(("WRONG#", "bold red"))
    if row.priority == "urgent":
        pieces.append(("URGENT", "bold yellow"))
    if row.voicemail_ok:
        pieces.append(("vm", "dim"))
    if row.text_ok:
        pieces.append(("txt", "dim"))
    if row.original_due_date is not None:
        pieces.append((f"from {row.original_due_date:%a %d}", "dim italic"))
    for index, (label, style) in enumerate(pieces):
        if index:
            out.append(" ")
        out.append(label, style=style)
    return out


def moment(calendar: Calendar, instant: datetime | None) -> str:
    """A stored time as the desk reads it: "Tue 24 Nov 09:05"."""
    return calendar.local(instant).strftime("%a %d %b %H:%M") if instant else ""


def waiting(elapsed: timedelta) -> Text:
    """A draft's age; past a day it stands out."""
    late = elapsed > DRAFT_WAITS_TOO_LONG
    return Text(text.age(elapsed), style="bold red" if late else "", justify="right")
