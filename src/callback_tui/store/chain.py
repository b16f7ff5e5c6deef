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
from typing import Any, Protocol

GENESIS = "0" * 64
"""What the first event follows."""

CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
"""The JSON form of an event's content, and of its `before` and `after` as stored."""


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
    encode = CANONICAL.encode
    return content_of(
        event.at,
        event.actor,
        event.action,
        event.entity,
        event.entity_id,
        encode(event.before),
        encode(event.after),
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
    """`content` of an event whose `before` and `after` are written already (CANONICAL), as
    stored: the whole event in that form (keys sorted), made around them without writing
    them again."""
    encode = CANONICAL.encode
    return (
        f'{{"action":{encode(action)},"actor":{encode(actor)},"after":{after},'
        f'"at":{encode(at.astimezone(UTC).isoformat())},"before":{before},'
        f'"entity":{encode(entity)},"entity_id":{encode(entity_id)}}}'
    ).encode()


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
