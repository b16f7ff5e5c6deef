"""The audit chain's content: written once, the same bytes whichever way it is made."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import MetaData, Numeric, Table
from sqlmodel import SQLModel

from callback_tui.store import chain, tables  # noqa: F401 - tables: every table on the metadata

# What an event's columns hold: text of any kind (quotes, controls, accents, emoji), numbers,
# flags and nothing, in maps of such.
plain = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.text(),
)
document = st.dictionaries(st.text(), st.one_of(plain, st.dictionaries(st.text(), plain)))
# Deeper, with lists: what `also` adds to an event (a client's phones, the fields changed).
nested = st.recursive(
    plain,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(), inner)),
    max_leaves=20,
)


@settings(max_examples=500)
@given(value=nested)
def test_written_is_byte_for_byte_what_the_fixed_form_writes(value: Any) -> None:
    """`written` (msgspec) makes exactly CANONICAL's text (the definition, Python's json) of
    every value an event holds: keys sorted at every depth, text as it is but for the
    escapes JSON needs, whole numbers to 64 bits."""
    assert chain.written(value) == chain.CANONICAL.encode(value)


def test_written_takes_text_and_numbers_of_subclasses_as_plain_ones() -> None:
    """A table's name is SQLAlchemy's `quoted_name`, a str; a flag is a bool, not a number."""
    name = Table("client", MetaData()).name
    assert type(name) is not str
    assert chain.written({"entity": name, "n": True}) == '{"entity":"client","n":true}'
    assert chain.written(name) == chain.CANONICAL.encode(name)


def test_no_column_holds_a_fraction() -> None:
    """Where `written` and CANONICAL could differ (1e+16 against 1e16): no value of a row is
    ever a fraction (a float, or a decimal, which CANONICAL refuses), so the two write
    every event the same."""
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            assert not isinstance(column.type, Numeric), f"{table.name}.{column.name}"


@settings(max_examples=400)
@given(
    at=st.datetimes(
        min_value=datetime(2000, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
        max_value=datetime(2100, 1, 1),  # noqa: DTZ001
        timezones=st.sampled_from([UTC, ZoneInfo("America/Chicago")]),
    ),
    actor=st.text(),
    action=st.text(),
    entity=st.text(),
    entity_id=st.integers(min_value=0, max_value=2**63),
    before=st.one_of(st.none(), document),
    after=st.one_of(st.none(), document),
)
def test_content_from_written_parts_is_the_whole_event_in_the_fixed_form(
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: int,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """An event's `before` and `after` are written once (as stored) and its content is made
    around them: byte for byte the whole event written as JSON in the fixed form, as every
    stored hash was made (and as `content`, which `verify` checks, makes it)."""
    event = SimpleNamespace(
        at=at, actor=actor, action=action, entity=entity, entity_id=entity_id,
        before=before, after=after,
    )  # fmt: skip
    made = chain.content_of(
        at,
        actor,
        action,
        entity,
        entity_id,
        chain.written(before),
        chain.written(after),
    )
    whole = {
        "at": at.astimezone(UTC).isoformat(), "actor": actor, "action": action,
        "entity": entity, "entity_id": entity_id, "before": before, "after": after,
    }  # fmt: skip
    fixed = json.dumps(whole, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert made == fixed.encode("utf-8")
    assert chain.content(event) == made


def test_the_content_form_is_the_one_fixed_forever() -> None:
    """Keys sorted, compact, UTF-8 as it is, the time in UTC: every stored hash depends on it (the
    hash as the form before `content_of` made it)."""
    event = SimpleNamespace(
        at=datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("America/Chicago")),
        actor="AB",
        action="client.created",
        entity="client",
        entity_id=7,
        before=None,
        after={"name": 'Zoë "Z" O\'Neil', "id": 7},
    )
    expected = (
        '{"action":"client.created","actor":"AB","after":{"id":7,"name":"Zoë \\"Z\\" O\'Neil"},'
        '"at":"2026-11-24T15:00:00+00:00","before":null,"entity":"client","entity_id":7}'
    )
    assert chain.content(event) == expected.encode()
    assert chain.link(chain.GENESIS, expected.encode()) == (
        "8f3d7e9b3f49bae2e41a27e25c72a902ccd9b96a448fc20f60811fd6759337df"
    )
