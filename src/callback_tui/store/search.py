"""Finding a patient by any word of its or its client's name, or by the digits of any of the
client's phones as people type them.

Each patient has a handful of rows in `search_term`; a query word is a prefix range on that
index, so the cost follows the number of hits shown, not the years of data. Plain indexed
rows (not SQLite FTS5) keep it the same on PostgreSQL.

The search runs as one parameterized query on the read layer (store/sql.py): no ORM is
imported to find a patient. `terms_of` is the one rule for what a patient is found by; the
writers keep the rows with it (`reindex` when a client's phones change).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from callback_tui.domain import text
from callback_tui.domain.phones import search_digits
from callback_tui.store.engine import Database

if TYPE_CHECKING:
    from sqlmodel import Session

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


def terms_of(client_name: str, patient_name: str, *, phones: Iterable[tuple[str, str]]) -> set[str]:
    """What a patient is found by: the words of both names, and for each of the client's
    phones, given as (E.164, national digits), the runs of digits people type
    (phones.search_digits). Given as values: an import makes thousands, and an object costs
    more than its terms.

    The one rule for search terms: a change to it leaves files made before with the old
    terms, so it comes with a migration that adds the new ones (as 0005 did).
    """
    found = text.terms(client_name) | text.terms(patient_name)
    for e164, national in phones:
        found |= search_digits(e164, national)
    return found


def reindex(session: Session, client_id: int) -> None:
    """Make the search rows of a client's patients anew, from its name and phones as they are
    now in `session` (a write's). Derived data: not audited."""
    from sqlmodel import col, delete, select

    from callback_tui.store.tables import Client, ClientPhone, Patient, SearchTerm

    session.flush()
    client = session.get(Client, client_id)
    assert client is not None
    found = session.exec(
        select(ClientPhone.number, ClientPhone.digits).where(ClientPhone.client_id == client_id)
    )
    phones = set(found.all())
    patients = session.exec(select(Patient.id, Patient.name).where(Patient.client_id == client_id))
    for patient_id, name in patients.all():
        assert patient_id is not None
        session.execute(delete(SearchTerm).where(col(SearchTerm.patient_id) == patient_id))
        for term in sorted(terms_of(client.name, name, phones=phones)):
            session.add(SearchTerm(term=term, patient_id=patient_id))


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
    # A word is a range on the index (`term >= w AND term < w + TOP`), never a pattern, so
    # no character of it is special. The values go as parameters; only their names (fixed
    # and numbered here) are in the text.
    lead, *rest = words
    parameters: dict[str, Any] = {"lead": lead, "lead_end": lead + _TOP, "limit": limit}
    clauses = ["t.term >= :lead", "t.term < :lead_end"]
    for index, word in enumerate(rest):
        other = f"t{index}"
        clauses.append(
            f"EXISTS (SELECT 1 FROM search_term {other} WHERE {other}.patient_id = t.patient_id"
            f" AND {other}.term >= :word_{index} AND {other}.term < :word_{index}_end)"
        )
        parameters[f"word_{index}"] = word
        parameters[f"word_{index}_end"] = word + _TOP
    matched = (
        "SELECT DISTINCT t.patient_id FROM search_term t"
        f" WHERE {' AND '.join(clauses)} LIMIT :limit"
    )
    with database.read() as reads:
        rows = reads.all(
            "SELECT p.id, p.name, p.species, c.id, c.name, c.phone"
            f" FROM ({matched}) hit"
            " JOIN patient p ON p.id = hit.patient_id"
            " JOIN client c ON c.id = p.client_id",
            **parameters,
        )
    found = [Found(*row) for row in rows]
    return sorted(
        found, key=lambda f: (text.folded(f.client), text.folded(f.patient), f.patient_id)
    )
