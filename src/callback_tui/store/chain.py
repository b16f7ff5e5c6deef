"""The tamper-evident audit trail: each event carries a hash of its content and of the event
before it, so an event changed, removed or slipped in afterwards breaks the chain there.

The content's form is fixed forever (a migration and `verify` depend on it): keys sorted,
compact JSON, UTF-8, times as ISO 8601 in UTC.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Protocol

import msgspec

GENESIS = "0" * 64
"""What the first event follows."""

CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
"""The JSON form of an event's content, and of its `before` and `after` as stored: the
definition. `written` makes the same text faster."""


def _as_plain(value: Any) -> Any:
    """A text or number of a subclass (a table's name is SQLAlchemy's `quoted_name`), as
    the plain value CANONICAL writes of it; anything else is no JSON here either."""
    for plain in (str, int):
        if isinstance(value, plain):
            return plain(value)
    raise TypeError(f"{type(value).__name__} is not written in an event")


_ENCODER = msgspec.json.Encoder(order="sorted", enc_hook=_as_plain)


def written(value: Any) -> str:
    """`value` in the fixed form, byte for byte what CANONICAL writes, for every value an
    event holds: text, whole numbers, flags and nothing, in maps and lists of such (no
    column holds a fraction, where the two would write some differently). msgspec writes it
    several times faster: an import chains tens of thousands of events.
    tests/unit/test_chain.py holds the two to the same text."""
    return _ENCODER.encode(value).decode()


class Linked(Protocol):
    id: int | None
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: int
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def content(event: Linked) -> bytes:
    """An event's content as hashed: everything but its id and the hashes."""
    return content_of(
        event.at,
        event.actor,
        event.action,
        event.entity,
        event.entity_id,
        written(event.before),
        written(event.after),
    )


def content_of(
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: int,
    before: str,
    after: str,
) -> bytes:
    """`content` of an event whose `before` and `after` are written already (`written`), as
    stored: the whole event in that form (keys sorted), made around them without writing
    them again."""
    opening, middle, closing = _frame(at, actor, action, entity)
    return f"{opening}{after}{middle}{before}{closing}{written(entity_id)}}}".encode()


@lru_cache(maxsize=256)
def _frame(at: datetime, actor: str, action: str, entity: str) -> tuple[str, str, str]:
    """The parts of an event's content around its `after`, its `before` and its entity's id.
    They are the same for every event of one kind a change records (one time, one actor):
    an import's thousands of events write them once."""
    encode = written
    return (
        f'{{"action":{encode(action)},"actor":{encode(actor)},"after":',
        f',"at":{encode(at.astimezone(UTC).isoformat())},"before":',
        f',"entity":{encode(entity)},"entity_id":',
    )


def link(previous: str, body: bytes) -> str:
    """The hash of an event whose content is `body`, following the event hashed `previous`."""
    return hashlib.sha256(previous.encode("ascii") + body).hexdigest()


@dataclass(frozen=True)
class Broken:
    """The first place where the chain does not hold."""

    event_id: int
    why: str

    def __str__(self) -> str:
        return f"event {self.event_id}: {self.why}"


@dataclass(frozen=True)
class Checked:
    events: int
    broken: Broken | None


class Stored(Linked, Protocol):
    prev_hash: str
    hash: str


def check(events: Iterable[Stored]) -> Checked:
    """Walk the events in id order and report the first broken link."""
    previous = GENESIS
    count = 0
    for event in events:
        count += 1
        assert event.id is not None
        if event.prev_hash != previous:
            why = (
                "it does not follow the event before it"
                " (an event before it was removed, changed or slipped in)"
            )
            return Checked(count, Broken(event.id, why))
        if link(previous, content(event)) != event.hash:
            return Checked(count, Broken(event.id, "its content was changed after it was written"))
        previous = event.hash
    return Checked(count, None)
