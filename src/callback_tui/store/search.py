"""Finding a patient by any word of its or its client's name, or by the phone's first digits.

Each patient has a handful of rows in `search_term`; a query word is a prefix range on that
index, so the cost follows the number of hits shown, not the years of data. Plain indexed
rows (not SQLite FTS5) keep it the same on PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from callback_tui.domain import text
from callback_tui.store.engine import Database
from callback_tui.store.tables import Client, Patient, SearchTerm

LIMIT = 50
_TOP = "\U0010ffff"  # sorts after every other character: term >= w and term < w+TOP is "w…"


@dataclass(frozen=True)
class Found:
    patient_id: int
    patient: str
    species: str | None
    client_id: int
    client: str
    phone: str


def patient_terms(client: Client, patient: Patient) -> set[str]:
    return text.terms(client.name) | text.terms(patient.name) | {client.phone_digits}


def query_words(query: str) -> list[str]:
    """A query's words; one that is only a phone number (any punctuation) becomes its digits."""
    if any(ch.isdigit() for ch in query) and not any(ch.isalpha() for ch in query):
        digits = "".join(ch for ch in query if ch.isdigit())
        return [digits] if digits else []
    return text.words(query)


def find(database: Database, query: str, limit: int = LIMIT) -> list[Found]:
    """Patients whose card has a word starting with each word of `query` (all of them)."""
    words = sorted(set(query_words(query)), key=len, reverse=True)
    if not words:
        return []
    # The longest word leads (fewest hits); the others must each meet the same patient.
    lead, *rest = words
    term = col(SearchTerm.term)
    ids = select(SearchTerm.patient_id).where(term >= lead, term < lead + _TOP)
    for word in rest:
        other = aliased(SearchTerm)
        ids = ids.where(
            exists().where(
                col(other.patient_id) == SearchTerm.patient_id,
                col(other.term) >= word,
                col(other.term) < word + _TOP,
            )
        )
    ids = ids.distinct().limit(limit)
    with Session(database.engine) as session:
        matched = list(session.exec(ids))
        if not matched:
            return []
        rows = session.exec(
            select(Patient, Client)
            .join(Client, col(Client.id) == Patient.client_id)
            .where(col(Patient.id).in_(matched))
        ).all()
    found = [
        Found(p.id, p.name, p.species, c.id, c.name, c.phone)  # type: ignore[arg-type]
        for p, c in rows
    ]
    return sorted(
        found, key=lambda f: (text.folded(f.client), text.folded(f.patient), f.patient_id)
    )
