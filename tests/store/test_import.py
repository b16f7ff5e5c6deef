"""SPEC §4.1: the import checks the whole file first and writes all of it or nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from callback_tui.io import importer
from callback_tui.io.importer import ImportFailed, import_file
from callback_tui.store.services import FrontDesk
from callback_tui.store.tables import Callback, Event

HEADER = "source_id,occurred_at,reason,patient,client,phone,assisted_by,doctor,interval_days"
GOOD = [
    "V1,2026-11-23 10:00,vomiting,Biscuit,Jordan Lee,312-555-0142,AB,DRW,",
    "V2,2026-11-20 15:00,surgery,Luna,Maria Gonzalez,312-555-0102,CD,DRP,",
    "V3,2026-11-23T09:30:00-06:00,illness,Pepper,Sam Okafor,+1 312 555 0103,TR,DRW,3",
]


def write(tmp_path: Path, *lines: str, header: str = HEADER) -> Path:
    path = tmp_path / "visits.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def callbacks(desk: FrontDesk) -> int:
    with Session(desk.database.engine) as session:
        return int(session.exec(select(func.count()).select_from(Callback)).one())


def problems(desk: FrontDesk, path: Path) -> list[str]:
    before = callbacks(desk)
    with pytest.raises(ImportFailed) as caught:
        import_file(desk, path, actor="system")
    assert callbacks(desk) == before, "a refused import must write nothing"
    return [str(p) for p in caught.value.problems]


def test_a_good_file_creates_every_callback_in_one_go(desk: FrontDesk, tmp_path: Path) -> None:
    report = import_file(desk, write(tmp_path, *GOOD), actor="system")
    assert (len(report.imported.created), report.rows) == (4, 3)
    with Session(desk.database.engine) as session:
        pepper = session.exec(select(Callback).where(Callback.source_id == "V3")).one()
        actors = set(session.exec(select(Event.actor).where(Event.action == "callback.created")))
    # The doctor's 3 days land on the 26th, a closure, so the call moves to the 27th.
    assert (pepper.original_due_date, pepper.due_date) == (date(2026, 11, 26), date(2026, 11, 27))
    assert actors == {"system"}


def test_reimporting_the_same_ids_never_duplicates(desk: FrontDesk, tmp_path: Path) -> None:
    path = write(tmp_path, *GOOD)
    import_file(desk, path, actor="system")
    again = import_file(desk, path, actor="system")
    assert (len(again.imported.created), again.imported.already_imported) == (0, 3)
    assert callbacks(desk) == 4


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "X,2026-11-23 10:00,vomiting,Rex,Al,312-555-0150,ZZ,DRW,",
            "row 2, column assisted_by: unknown initials 'ZZ'",
        ),
        (
            "X,2026-11-23 10:00,grooming,Rex,Al,312-555-0150,AB,DRW,",
            "row 2, column reason: unknown reason 'grooming'",
        ),
        (
            "X,2026-02-30 10:00,vomiting,Rex,Al,312-555-0150,AB,DRW,",
            "row 2, column occurred_at: '2026-02-30 10:00' is not a date and time",
        ),
        (
            "X,2026-11-23 10:00,vomiting,,Al,312-555-0150,AB,DRW,",
            "row 2, column patient: a value is required",
        ),
        (
            "X,2026-11-23 10:00,illness,Rex,Al,312-555-0150,AB,DRW,ten",
            "row 2, column interval_days: 'ten' is not a whole number of days",
        ),
        (
            "X,2026-11-23 10:00,vomiting,Rex,Al,555,AB,DRW,",
            "row 2, column phone: '555' is not a valid phone number",
        ),
        (
            "V1,2026-11-23 10:00,vomiting,Rex,Al,312-555-0150,AB,DRW,",
            "row 2, column source_id: repeats row 1",
        ),
    ],
)
def test_each_kind_of_bad_row_refuses_the_whole_file(
    desk: FrontDesk, tmp_path: Path, line: str, expected: str
) -> None:
    found = problems(desk, write(tmp_path, GOOD[0], line))
    assert len(found) == 1 and found[0].startswith(expected), found


def test_every_problem_is_listed_not_just_the_first(desk: FrontDesk, tmp_path: Path) -> None:
    found = problems(
        desk,
        write(
            tmp_path,
            "A,yesterday,grooming,Rex,Al,312-555-0150,ZZ,AB,",
            GOOD[1],
            "B,2026-11-23 10:00,surgery,Rex,Al,312-555-0150,AB,DRW,4",
        ),
    )
    assert [p.split(":")[0] for p in found] == [
        "row 1, column occurred_at",
        "row 1, column reason",
        "row 1, column assisted_by",
        "row 1, column doctor",
        "row 3, column interval_days",
    ]


def test_a_missing_header_column_is_named(desk: FrontDesk, tmp_path: Path) -> None:
    path = write(
        tmp_path, "V1,2026-11-23 10:00,vomiting,Rex", header="source_id,occurred_at,reason,patient"
    )
    assert problems(desk, path)[0] == "row 0, column client: missing from the header"


def test_an_undecodable_file_names_row_and_column(desk: FrontDesk, tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        (HEADER + "\n" + GOOD[0] + "\n").encode()
        + "V9,2026-11-23 10:00,vomiting,Rex,Zoë,312-555-0150,AB,DRW,\n".encode("latin-1")
    )
    assert problems(desk, path) == ["row 2, column client: not UTF-8 text (byte 0xeb)"]


def test_an_empty_file_and_ragged_rows_are_refused(desk: FrontDesk, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert problems(desk, empty) == ["row 0, column -: the file is empty: a header row is required"]
    ragged = write(tmp_path, GOOD[0] + ",extra")
    assert problems(desk, ragged) == ["row 1, column -: more values than the header has columns"]


def test_skip_invalid_imports_the_good_rows_and_lists_the_rest(
    desk: FrontDesk, tmp_path: Path
) -> None:
    path = write(
        tmp_path, GOOD[0], "X,2026-11-23 10:00,grooming,Rex,Al,312-555-0150,AB,DRW,", GOOD[2]
    )
    report = import_file(desk, path, actor="system", skip_invalid=True)
    assert len(report.imported.created) == 2
    assert [str(p).split(":")[0] for p in report.refused] == ["row 2, column reason"]


def test_header_problems_refuse_even_with_skip_invalid(desk: FrontDesk, tmp_path: Path) -> None:
    path = write(tmp_path, "V1,2026-11-23 10:00", header="source_id,occurred_at")
    with pytest.raises(ImportFailed):
        import_file(desk, path, actor="system", skip_invalid=True)


def test_progress_is_reported_per_row(desk: FrontDesk, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    import_file(
        desk, write(tmp_path, *GOOD), actor="system", progress=lambda d, t: seen.append((d, t))
    )
    assert seen == [(1, 3), (2, 3), (3, 3)]


KEYLESS = [line.partition(",")[2] for line in GOOD]
"""The same visits from a system that gives no source_id."""


def test_reimporting_rows_without_ids_is_detected_and_skipped(
    desk: FrontDesk, tmp_path: Path
) -> None:
    header = HEADER.removeprefix("source_id,")
    path = write(tmp_path, *KEYLESS, header=header)
    first = import_file(desk, path, actor="system")
    assert (len(first.imported.created), first.imported.already_imported) == (4, 0)
    again = import_file(desk, path, actor="system")
    assert (len(again.imported.created), again.imported.already_imported) == (0, 3)
    assert callbacks(desk) == 4
    # The client's name in another case, the time written in another zone: the same visit.
    # A new visit in the same file is still imported (in the same transaction).
    grown = write(
        tmp_path,
        "2026-11-23 16:00:00+00:00,vomiting,Biscuit,JORDAN LEE,(312) 555-0142,AB,DRW,",
        "2026-11-24 08:00,vomiting,Biscuit,Jordan Lee,312-555-0142,AB,DRW,",
        header=header,
    )
    third = import_file(desk, grown, actor="system")
    assert (len(third.imported.created), third.imported.already_imported) == (1, 1)
    assert callbacks(desk) == 5


def test_a_visit_added_by_hand_is_not_imported_again(desk: FrontDesk, tmp_path: Path) -> None:
    from tests.conftest import add_visit

    add_visit(
        desk,
        occurred_at="2026-11-23 10:00",
        patient="Biscuit",
        client="Jordan Lee",
        phone="(312) 555-0142",
    )
    path = write(tmp_path, KEYLESS[0], header=HEADER.removeprefix("source_id,"))
    report = import_file(desk, path, actor="system")
    assert (len(report.imported.created), report.imported.already_imported) == (0, 1)


def test_a_row_without_an_id_given_twice_in_one_file_is_a_problem(
    desk: FrontDesk, tmp_path: Path
) -> None:
    path = write(
        tmp_path, KEYLESS[0], KEYLESS[1], KEYLESS[0], header=HEADER.removeprefix("source_id,")
    )
    assert problems(desk, path) == ["row 3, column -: repeats row 1"]


def test_a_big_file_checked_in_two_processes_reads_as_in_one(
    desk: FrontDesk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past IN_TWO_FROM rows, about half the rows are checked in a forked process: the
    visits, messages and problems come back the same, in the same order, as when every row
    is checked here (times in the same zone, too)."""
    header = (
        "source_id,occurred_at,reason,patient,client,phone,assisted_by,doctor,"
        "source,request_type,priority,message,received_at"
    )
    rows = [
        *(f"{line.removesuffix(',')},,,,," for line in GOOD[:2]),
        "V4,2026-11-23 10:00,vomiting,Biscuit,Jordan Lee,(312) 555-0142,AB,DRW,,,,,",
        ",2026-11-22 10:00,illness,Rex,Noor Haddad,312-555-0199,TR,DRW,,,,,",
        ",2026-11-22 10:00,illness,rex,noor haddad,+1 312 555 0199,TR,DRW,,,,,",  # repeats
        "V1,2026-11-21 10:00,illness,Luna,Maria Gonzalez,312-555-0102,CD,DRP,,,,,",  # repeats
        "V5,2026-11-23 25:00,haircut,Bo,Ann Bell,12,ZZ,DRW,,,,,",  # every kind of wrong
        ",,,,Robin Ash,312-555-0188,,,voicemail,medication_refill,,Refill [b]please[/b],08:30",
        ",,,Rex,Noor Haddad,312-555-0199,,,web_form,pet_concern,urgent,Limping,2026-11-23 17:45",
    ]
    path = write(tmp_path, *rows, header=header)
    forked: list[int] = []
    in_two = importer.halves.in_two

    def counted(*args: object) -> object:
        forked.append(1)
        return in_two(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(importer.halves, "in_two", counted)
    monkeypatch.setattr(importer, "IN_TWO_FROM", 10**9)
    alone = importer.check_file(desk, path)
    monkeypatch.setattr(importer, "IN_TWO_FROM", 2)
    both = importer.check_file(desk, path)
    assert forked == [1], "the second check went through the fork"
    assert len(alone.forms) == 4 and len(alone.messages) == 2 and len(alone.problems) > 4
    assert repr(both) == repr(alone)
