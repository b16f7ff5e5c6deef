"""A scorecard as records: for `callback-tui report` and the reports screen's CSV export.

One record per scope (the clinic, each pool, each person), a value per measure: counts as
whole numbers, shares from 0 to 1, waits in open minutes, incident times in hours; empty
where there is nothing to measure.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from typing import Any, TextIO

from callback_tui.domain.measures import MEASURES, Tally, Unit
from callback_tui.io.exporter import cell
from callback_tui.store.reports import CLINIC, Scorecard

HEAD = ("from", "to", "scope", "kind", "name")
"""The columns before the measures (whose keys follow, in the scorecard's order)."""

COLUMNS = (*HEAD, *(measure.key for measure in MEASURES))


def scopes(scorecard: Scorecard) -> list[tuple[str, str, str, Tally]]:
    """(scope, kind, name, tally): the clinic, then each pool, then each person by initials."""
    found = [(CLINIC, "clinic", "the clinic", scorecard.clinic)]
    found += [(pool, "pool", f"{pool} pool", t) for pool, t in sorted(scorecard.pools.items())]
    found += [
        (who, "person", scorecard.names.get(who, who), t)
        for who, t in sorted(scorecard.people.items())
    ]
    return found


def values(tally: Tally) -> dict[str, float | int | None]:
    """Each measure's value, rounded as a record holds it."""
    found: dict[str, float | int | None] = {}
    for measure in MEASURES:
        value = measure.value(tally)
        if value is not None and measure.unit is Unit.SHARE:
            value = round(value, 4)
        elif value is not None and measure.unit in (Unit.MINUTES, Unit.HOURS):
            value = round(value, 1)
            value = int(value) if float(value).is_integer() else value
        found[measure.key] = value
    return found


def records(scorecard: Scorecard, only: str | None = None) -> list[dict[str, Any]]:
    """One record per scope (or only the scope `only`)."""
    period = scorecard.period
    return [
        {
            "from": period.first.isoformat(),
            "to": period.last.isoformat(),
            "scope": scope,
            "kind": kind,
            "name": name,
            **values(tally),
        }
        for scope, kind, name, tally in scopes(scorecard)
        if only is None or scope == only
    ]


def document(
    scorecard: Scorecard, goals: Mapping[str, float], only: str | None = None
) -> dict[str, Any]:
    """The JSON report: the period, the goals, and the scopes' records."""
    return {
        "from": scorecard.period.first.isoformat(),
        "to": scorecard.period.last.isoformat(),
        "goals": dict(goals),
        "scopes": [
            {key: value for key, value in record.items() if key not in ("from", "to")}
            for record in records(scorecard, only)
        ],
    }


def write_csv(out: TextIO, scorecard: Scorecard, only: str | None = None) -> None:
    """The records as CSV, each cell guarded against running as a spreadsheet formula."""
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for record in records(scorecard, only):
        writer.writerow({key: cell(value) for key, value in record.items()})
