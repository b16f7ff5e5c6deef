"""The read layer's door to the database: parameterized SQL in, plain rows out.

Every read the screens and commands make is a query in portable SQL with named parameters
(`:name`), run on a plain DB-API connection: no ORM is imported on the way to the first
painted queue. No value is ever formatted into the text. A list, tuple or set given as a
parameter expands into `:name_0, :name_1, …` for `IN (:name)`; an empty one matches nothing.

Values cross in the shapes the file keeps (SQLAlchemy's: times as naive UTC, on SQLite as
text). `bind` turns Python values into those shapes; `utc`, `day`, `flag` and `document`
turn what comes back into the types the typed rows promise, whichever the backend.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any, Protocol

_PARAMETER = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
"""`:name`, but neither `::type` (a PostgreSQL cast) nor `a:b` inside a word."""

_SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"
"""How SQLAlchemy writes a DateTime in an SQLite file: comparisons are on this text."""

Row = tuple[Any, ...]


class Cursor(Protocol):
    def execute(self, sql: str, parameters: Any = ..., /) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def close(self) -> None: ...


class Connection(Protocol):
    def cursor(self) -> Any: ...


class Reads:
    """Queries inside one read transaction (see `Database.read`): they all see one moment."""

    def __init__(self, connection: Connection, *, sqlite: bool, paramstyle: str = "named"):
        self.connection = connection
        self._sqlite = sqlite
        self._pyformat = paramstyle in ("pyformat", "format")

    def all(self, sql: str, **parameters: Any) -> list[Row]:
        text, values = self.prepare(sql, parameters)
        cursor = self.connection.cursor()
        try:
            cursor.execute(text, values)
            return [tuple(row) for row in cursor.fetchall()]
        finally:
            cursor.close()

    def first(self, sql: str, **parameters: Any) -> Row | None:
        found = self.all(sql, **parameters)
        return found[0] if found else None

    def value(self, sql: str, **parameters: Any) -> Any:
        found = self.first(sql, **parameters)
        return None if found is None else found[0]

    def prepare(self, sql: str, parameters: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        """The statement as the driver wants it, lists expanded, values in the file's shapes."""
        values: dict[str, Any] = {}

        def place(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in parameters:
                raise KeyError(f"no value given for :{name}")
            given = parameters[name]
            if isinstance(given, list | tuple | set | frozenset):
                items = sorted(given) if isinstance(given, set | frozenset) else list(given)
                if not items:
                    return "NULL"  # x IN (NULL) holds for no row
                names = [f"{name}_{index}" for index in range(len(items))]
                for item_name, item in zip(names, items, strict=True):
                    values[item_name] = bind(item, sqlite=self._sqlite)
                return ", ".join(self._placeholder(n) for n in names)
            values[name] = bind(given, sqlite=self._sqlite)
            return self._placeholder(name)

        if self._pyformat:
            sql = sql.replace("%", "%%")
        return _PARAMETER.sub(place, sql), values

    def _placeholder(self, name: str) -> str:
        return f"%({name})s" if self._pyformat else f":{name}"


def bind(value: Any, *, sqlite: bool) -> Any:
    """A Python value in the shape the database keeps it."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; pass an aware one")
        naive = value.astimezone(UTC).replace(tzinfo=None)
        return naive.strftime(_SQLITE_TIME) if sqlite else naive
    if isinstance(value, date):
        return value.isoformat() if sqlite else value
    return value


def utc(value: Any) -> datetime:
    """A stored time (text on SQLite, a naive timestamp elsewhere) as an aware UTC datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        raise TypeError(f"not a stored time: {type(value).__name__}")
    return value.replace(tzinfo=UTC)


def utc_or_none(value: Any) -> datetime | None:
    return None if value is None else utc(value)


def day(value: Any) -> date:
    """A stored date (text on SQLite, a date elsewhere)."""
    if isinstance(value, str):
        return date.fromisoformat(value)
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, date):
        raise TypeError(f"not a stored date: {type(value).__name__}")
    return value


def day_or_none(value: Any) -> date | None:
    return None if value is None else day(value)


def flag(value: Any) -> bool:
    """A stored boolean (0/1 on SQLite)."""
    return bool(value)


def document(value: Any) -> Any:
    """A stored JSON value (text on SQLite, already decoded by some drivers elsewhere)."""
    if isinstance(value, str | bytes):
        return json.loads(value)
    return value


def chunks(values: Iterable[Any], size: int = 500) -> Iterable[list[Any]]:
    """Values in slices small enough for one `IN (…)` on every backend."""
    batch: list[Any] = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
