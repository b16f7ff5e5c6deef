"""`export`: every record, for audits and for moving data elsewhere."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime, time, timedelta
from typing import Any, TextIO

from callback_tui.domain.hours import Calendar
from callback_tui.io.records import CALLBACK_FIELDS, callback_record
from callback_tui.store import queries
from callback_tui.store.engine import Database
from callback_tui.store.tables import TABLES


def bounds(
    calendar: Calendar, first: date | None, last: date | None
) -> tuple[datetime | None, datetime | None]:
    """Clinic-local days [first, last] as UTC instants [start, end)."""
    start = calendar.at(first, time()) if first else None
    end = calendar.at(last + timedelta(days=1), time()) if last else None
    return start, end


def records(
    database: Database, table: str, calendar: Calendar, first: date | None, last: date | None
) -> list[dict[str, Any]]:
    start, end = bounds(calendar, first, last)
    if table == "callbacks":
        return [
            callback_record(row, calendar)
            for row in queries.callbacks_between(database, start, end)
        ]
    return list(queries.table_rows(database, table, start=start, end=end))


def write_json(
    out: TextIO, database: Database, calendar: Calendar, first: date | None, last: date | None
) -> None:
    """One object whose keys are the table names, each a list of records."""
    everything = {table: records(database, table, calendar, first, last) for table in TABLES}
    json.dump(everything, out, ensure_ascii=False, indent=1)
    out.write("\n")


def write_csv(
    out: TextIO,
    database: Database,
    calendar: Calendar,
    table: str,
    first: date | None,
    last: date | None,
) -> None:
    """One table as CSV (a CSV file holds one table)."""
    rows = records(database, table, calendar, first, last)
    columns = list(CALLBACK_FIELDS) if table == "callbacks" else _columns(table)
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: cell(v) for k, v in row.items()})


def _columns(table: str) -> list[str]:
    return list(TABLES[table].model_fields)


def cell(value: Any) -> Any:
    """A value for a CSV cell: lists and objects (amendments, event snapshots) as JSON."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value
