"""The shift hand-off: each person's and pool's counts on hand-built data, and the release that
puts a person's unworked callbacks back into their pools (one transaction, an event each)."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from typing import Any

import pytest
from sqlmodel import Session, select

from callback_tui.store import history
from callback_tui.store.handoff import Handoff, HandoffLine, handoff
from callback_tui.store.history import EntryKind
from callback_tui.store.services import FrontDesk, NotAllowed, NotFound, ServiceError
from callback_tui.store.tables import Attempt, Callback, Event, Note, Task
from tests.conftest import add_visit, local

TODAY = date(2026, 11, 24)
YESTERDAY = date(2026, 11, 23)
TOMORROW = date(2026, 11, 25)
_patients = itertools.count(1)


def callback(desk: FrontDesk, owner: str, due: date = TODAY, **values: Any) -> int:
    """A callback owned by `owner`, due on `due` at 10:00, with any other column given."""
    (made,) = add_visit(desk, patient=f"Pet {next(_patients)}", occurred_at="2026-11-20 10:00")
    with Session(desk.database.engine) as session:
        row = session.get(Callback, made.id)
        assert row is not None
        row.owner, row.due_date, row.due_at = owner, due, local(f"{due} 10:00")
        row.pool = values.pop("pool", None)
        for key, value in values.items():
            setattr(row, key, value)
        session.add(row)
        session.commit()
        assert row.id is not None
        return row.id


def add(desk: FrontDesk, *rows: Any) -> None:
    with Session(desk.database.engine) as session:
        session.add_all(rows)
        session.commit()


def tried(desk: FrontDesk, callback_id: int, at: datetime) -> None:
    add(desk, Attempt(callback_id=callback_id, at=at, by="AB", outcome="no_answer"))


def draft(desk: FrontDesk, author: str, addressed_to: str | None, status: str = "draft") -> Note:
    at = local("2026-11-24 08:00")
    return Note(
        author=author,
        addressed_to=addressed_to,
        status=status,
        body="Seen to?",
        created_at=at,
        updated_at=at,
    )


def task(assignee: str | None, role: str | None = None, status: str = "open") -> Task:
    at = local("2026-11-24 08:00")
    return Task(
        assignee=assignee, role=role, title="Call back", about="x", due_at=at, created_at=at,
        status=status,
    )  # fmt: skip


@pytest.fixture
def shift(desk: FrontDesk) -> dict[str, int]:
    """AB's day, DRW's own call, a pool item, drafts and tasks (ids by name)."""
    made = {
        "today": callback(desk, "AB"),  # no pool: an assistant's goes to SA
        "overdue": callback(desk, "AB", YESTERDAY, pool="TA"),
        "tried": callback(desk, "AB"),
        "tomorrow": callback(desk, "AB", TOMORROW),
        "late_message": callback(
            desk, "AB", pool="TA", source="voicemail", target_at=local("2026-11-24 08:00")
        ),
        "unreached": callback(
            desk, "AB", YESTERDAY, status="unreached", closed_at=local("2026-11-24 08:30")
        ),
        "unreached_before": callback(
            desk, "AB", YESTERDAY, status="unreached", closed_at=local("2026-11-23 17:00")
        ),
        "completed": callback(desk, "AB", status="completed", closed_at=local("2026-11-24 08:45")),
        "doctor": callback(desk, "DRW"),
        "pool": callback(desk, "TA", YESTERDAY, pool="TA"),
    }
    tried(desk, made["tried"], local("2026-11-24 08:15"))
    tried(desk, made["overdue"], local("2026-11-23 15:00"))  # yesterday: still unworked
    add(
        desk,
        draft(desk, "AB", "DRW"),
        draft(desk, "AB", None, status="final"),
        draft(desk, "DRW", "DRW"),
        task("AB"),
        task("AB", status="done"),
        task(None, role="front_desk"),
    )
    return made


def read(desk: FrontDesk, initials: str | None = None) -> Handoff:
    clinic = desk.clinic
    return handoff(
        desk.database,
        now=clinic.clock.now(),
        calendar=clinic.calendar,
        pools=clinic.pools,
        initials=initials,
    )


def counts(line: HandoffLine) -> tuple[int, ...]:
    return (
        line.open,
        line.overdue,
        line.unreached_today,
        line.drafts,
        line.tasks,
        line.releasable,
    )


def test_a_line_per_person_with_anything_then_every_pool(
    desk: FrontDesk, shift: dict[str, int]
) -> None:
    found = read(desk)
    assert found.day == TODAY
    assert [(line.who, line.name, line.is_pool) for line in found.lines] == [
        ("AB", "Alex Baker", False),
        ("DRW", "Dr. Wong", False),
        ("SA", "SA pool", True),
        ("TA", "TA pool", True),
        ("DESK", "DESK pool", True),
    ]  # CD, FD (a role's task is no one's by name) and the others have nothing
    ab, drw, sa, ta, desk_pool = found.lines
    # Open: today, overdue, tried, tomorrow, the late message. Overdue: yesterday's and the
    # message past its target untried. Unworked: today's, yesterday's (tried yesterday),
    # the message; not the one tried today, not tomorrow's.
    assert counts(ab) == (5, 2, 1, 1, 1, 3)
    assert ab.to_pools == (("TA", 2), ("SA", 1))
    assert (ab.kept, ab.kept_why) == (0, "")
    # A doctor's own call stays with them; their own draft and the one waiting for them.
    assert counts(drw) == (1, 0, 0, 2, 0, 0)
    assert (drw.kept, drw.kept_why) == (1, "a doctor's own calls stay with them")
    assert counts(ta) == (1, 1, 0, 0, 0, 0)
    assert counts(sa) == counts(desk_pool) == (0, 0, 0, 0, 0, 0)


def test_one_persons_line_and_the_pools_they_work(desk: FrontDesk, shift: dict[str, int]) -> None:
    assert [line.who for line in read(desk, "ab").lines] == ["AB", "SA"]
    assert counts(read(desk, "AB").lines[0]) == counts(read(desk).lines[0])
    nothing = read(desk, "TR")  # a technician: both pools they work, their line all zeros
    assert [(line.who, counts(line)) for line in nothing.lines] == [
        ("TR", (0, 0, 0, 0, 0, 0)),
        ("SA", (0, 0, 0, 0, 0, 0)),
        ("TA", (1, 1, 0, 0, 0, 0)),
    ]


def owners(desk: FrontDesk) -> dict[int, tuple[str, str | None]]:
    with Session(desk.database.engine) as session:
        return {c.id: (c.owner, c.pool) for c in session.exec(select(Callback)).all()}  # type: ignore[misc]


def released_events(desk: FrontDesk) -> list[Event]:
    with Session(desk.database.engine) as session:
        query = select(Event).where(Event.action == "callback.released").order_by(Event.id)  # type: ignore[arg-type]
        return list(session.exec(query).all())


def test_releasing_puts_the_unworked_back_into_their_pools_with_an_event_each(
    desk: FrontDesk, shift: dict[str, int]
) -> None:
    before = read(desk).lines[0]
    done = desk.callbacks.release("AB", "AB")  # their own
    assert (done.released, done.kept, done.kept_why) == (3, 0, "")
    assert done.to_pools == {"SA": 1, "TA": 2}
    assert done.released == before.releasable
    now = owners(desk)
    assert now[shift["today"]] == ("SA", "SA")  # no pool of its own: the assistant's
    assert now[shift["overdue"]] == ("TA", "TA")
    assert now[shift["late_message"]] == ("TA", "TA")
    for kept in ("tried", "tomorrow", "unreached", "completed"):
        assert now[shift[kept]][0] == "AB"
    events = released_events(desk)
    assert [e.entity_id for e in events] == [
        shift["today"],
        shift["overdue"],
        shift["late_message"],
    ]
    for event in events:
        assert event.actor == "AB" and event.before is not None and event.after is not None
        assert (event.before["owner"], event.after["owner"]) == ("AB", event.after["pool"])
        assert event.after["version"] == event.before["version"] + 1
    ab = read(desk).lines[0]
    assert (ab.open, ab.releasable) == (2, 0)
    assert read(desk).line("TA").open == 3  # type: ignore[union-attr]


def test_an_office_manager_releases_someone_and_the_history_shows_it(
    desk: FrontDesk, shift: dict[str, int]
) -> None:
    desk.callbacks.release("OM", "AB")
    client_id = _client_of(desk, shift["overdue"])
    found = history.history(desk.database, client_id)
    assert found is not None
    releases = [e for e in found.entries if e.kind is EntryKind.RELEASE]
    assert sorted(e.detail for e in releases) == [
        "AB's, back into the SA pool",
        "AB's, back into the TA pool",
        "AB's, back into the TA pool",
    ]
    assert {(e.by, e.status, e.at) for e in releases} == {
        ("OM", "released", desk.clinic.clock.now())
    }


def _client_of(desk: FrontDesk, callback_id: int) -> int:
    with Session(desk.database.engine) as session:
        row = session.get(Callback, callback_id)
        assert row is not None
        return row.client_id


def test_a_doctors_own_calls_stay_with_them(desk: FrontDesk, shift: dict[str, int]) -> None:
    done = desk.callbacks.release("OM", "DRW")
    assert (done.released, done.kept, done.to_pools) == (0, 1, {})
    assert done.kept_why == "a doctor's own calls stay with them"
    assert owners(desk)[shift["doctor"]] == ("DRW", None)
    assert released_events(desk) == []


def test_a_doctors_call_made_in_a_pool_goes_back_to_it(desk: FrontDesk) -> None:
    made = callback(desk, "DRW", pool="SA")  # moved to the doctor from the SA pool
    assert desk.callbacks.release("DRW", "DRW").to_pools == {"SA": 1}
    assert owners(desk)[made] == ("SA", "SA")


@pytest.mark.parametrize("actor", ["CD", "FD", "DRW", "TR", "system"])
def test_only_the_person_or_a_manager_may_release_and_nothing_is_written(
    desk: FrontDesk, shift: dict[str, int], actor: str
) -> None:
    had = owners(desk)
    with pytest.raises(NotAllowed) as refused:
        desk.callbacks.release(actor, "AB")
    assert str(refused.value) == (
        "Only an office manager or the owner may put someone else's unworked callbacks"
        " back into their pools."
    )
    assert owners(desk) == had
    assert released_events(desk) == []


def test_a_pool_or_a_stranger_is_nobodys_to_release(desk: FrontDesk, shift: dict[str, int]) -> None:
    with pytest.raises(ServiceError, match="TA is a pool"):
        desk.callbacks.release("OM", "TA")
    with pytest.raises(NotFound, match="ZZ"):
        desk.callbacks.release("OM", "zz")
