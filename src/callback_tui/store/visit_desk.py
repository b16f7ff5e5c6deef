"""Writes that create callbacks: one visit from the form, or a file's visits in bulk.

An import is one transaction: what is on file of the clients and patients it names is read
first, then its rows and their audit events are made a batch at a time and go in with bulk
inserts, written on a second thread while the next batch is made (`Work.inserting_behind`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Protocol

from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, col, select
from sqlmodel.sql.expression import Select

from callback_tui.config import Clinic
from callback_tui.domain import measures, phones, rules
from callback_tui.domain.hours import Calendar
from callback_tui.domain.intake import VisitForm
from callback_tui.store.errors import Invalid, ServiceError
from callback_tui.store.search import terms_of
from callback_tui.store.tables import Callback, Client, ClientPhone, Patient, SearchTerm
from callback_tui.store.unit import Desk, Work, new_row, row_values


class Caller(Protocol):
    """What makes a new client and patient: a visit, or a message from a new caller."""

    @property
    def client(self) -> str: ...
    @property
    def phone(self) -> str: ...
    @property
    def patient(self) -> str: ...
    @property
    def species(self) -> str | None: ...
    @property
    def voicemail_ok(self) -> bool | None: ...
    @property
    def text_ok(self) -> bool | None: ...
    @property
    def do_not_call(self) -> bool | None: ...
    @property
    def preferred_window(self) -> str | None: ...


BATCH = 500
"""Visits written per batch: the progress moves after each, and no IN-list is longer."""

IMPORTED_DO_NOT_CALL = "marked do-not-call in an imported file"
"""The reason a do-not-call from an import carries (the file gives none)."""


@dataclass(frozen=True)
class Imported:
    created: tuple[int, ...]
    """The ids of the callbacks created."""
    already_imported: int
    """Visits skipped because they were imported before: by their source_id, or, for rows
    without one, by their client, patient, time and reason (see `_visit_key`)."""


@dataclass(frozen=True, slots=True)
class _Card:
    """What an import needs of a client on file: its id, and what its patients are found by."""

    id: int
    name: str
    phones: tuple[tuple[str, str], ...]
    """Each of its phones: (E.164, national digits)."""


@dataclass
class _Known:
    """What an import has found on file or created so far, so each is looked up once."""

    clients: dict[tuple[str, str], _Card] = field(default_factory=dict)
    """By (phone, casefolded name): a client is there under each of its numbers."""
    phones: set[str] = field(default_factory=set)
    """The phones whose clients are in `clients`."""
    patients: dict[tuple[int, str], int] = field(default_factory=dict)
    """Patient ids by (client id, casefolded name)."""
    loaded_clients: set[int] = field(default_factory=set)
    """The clients whose patients are in `patients`."""
    source_ids: set[str] = field(default_factory=set)
    """Source ids imported before (or earlier in this file)."""
    visits: set[tuple[int, datetime, str]] = field(default_factory=set)
    """The visits on file of the patients in `loaded_visits`, by `_visit_key`."""
    loaded_visits: set[int] = field(default_factory=set)
    """The patients whose visits are in `visits`."""
    deadlines: dict[date, datetime] = field(default_factory=dict)
    """Each due day's deadline (an import's thousands of callbacks share a few days)."""

    def deadline(self, day: date, calendar: Calendar) -> datetime:
        """A visit callback's deadline for its first due `day` (`measures.deadline`)."""
        found = self.deadlines.get(day)
        if found is None:
            found = self.deadlines[day] = measures.deadline(day, None, calendar)
        return found


def _client_key(form: VisitForm) -> tuple[str, str]:
    """One client per phone and name, whatever the name's case: any of its phones."""
    return form.phone, form.client.casefold()


def _patient_key(client_id: int, form: VisitForm) -> tuple[int, str]:
    """One patient per client and name, whatever the name's case."""
    return client_id, form.patient.casefold()


def _visit_key(patient_id: int, occurred_at: datetime, reason: str) -> tuple[int, datetime, str]:
    """What tells a visit apart when its file gives no source_id: the patient (so the client
    too), when it happened, and why."""
    return patient_id, occurred_at.astimezone(UTC), reason


def _best_phone(client: dict[str, Any]) -> dict[str, Any]:
    """The phone row of a new client's one number (its kind unsaid)."""
    return {
        "client_id": client["id"],
        "number": client["phone"],
        "digits": client["phone_digits"],
        "label": phones.UNSAID,
        "best": True,
    }


def _new_patient(client_id: int | None, form: Caller) -> dict[str, Any]:
    return {"client_id": client_id, "name": form.patient, "species": form.species}


def _callback(
    work: Work,
    form: VisitForm,
    item: rules.PlannedCallback,
    client_id: int,
    patient_id: int,
    clinic: Clinic,
    deadline_at: datetime,
) -> dict[str, Any]:
    """The values of a new callback for one planned call of a visit, late after
    `deadline_at` (`measures.deadline` of its first due day)."""
    owner = form.owner or item.owner
    return {
        "source_id": form.source_id,
        "kind": item.kind,
        "patient_id": patient_id,
        "client_id": client_id,
        "reason": form.visit.reason,
        "source": form.source.value,
        "priority": form.priority.value,
        "owner": owner,
        "doctor": form.visit.doctor,
        "assisted_by": form.visit.assisted_by,
        "base_at": form.visit.occurred_at,
        "due_at": item.due.at,
        "due_date": item.due.day,
        "original_due_date": item.due.original_day,
        "notes": form.notes,
        "created_at": work.now,
        "pool": owner if owner in clinic.pools else None,
        "deadline_at": deadline_at,
    }


def _on_file(
    work: Work, query: Select[*tuple[Any, ...]], column: Any, among: Sequence[Any]
) -> Iterator[Any]:
    """The rows of `query` whose `column` is among `among`, oldest first within each query
    (one query per BATCH values, well under any database's limit on parameters)."""
    if among and work.writing_behind:
        raise RuntimeError("a read while the import's rows are written behind")
    for start in range(0, len(among), BATCH):
        chunk = among[start : start + BATCH]
        yield from work.session.execute(query.where(column.in_(chunk)))


class VisitDesk(Desk):
    """The writes of the add-callback form and of the import."""

    def add_visit(self, actor: str, form: VisitForm) -> list[Callback]:
        """Create the callbacks one visit owes (the add-callback form)."""
        with self.write(actor) as work:
            created, _ = self._add_visit(work, form)
        return created

    def import_visits(
        self,
        actor: str,
        forms: Sequence[VisitForm],
        progress: Callable[[int], None] | None = None,
    ) -> Imported:
        """Create the callbacks of many visits in one transaction: all of them or none.

        The same records and events as `add_visit` once per visit, written a batch of
        visits at a time: a few queries find the clients and patients a batch names, and
        one statement per table inserts what is new.
        """
        with self.write(actor) as work:
            return self._import_visits(work, forms, progress)

    def _import_visits(
        self,
        work: Work,
        forms: Sequence[VisitForm],
        progress: Callable[[int], None] | None = None,
    ) -> Imported:
        """`import_visits` inside a unit of work already open (an import with messages).

        What is on file of the clients, patients and visits the forms name is read first;
        then the rows are made a batch at a time while the batch before is written
        (`Work.inserting_behind`): nothing is read in between.
        """
        created: list[int] = []
        skipped = 0
        known = _Known()
        done = 0
        self._look_up(work, forms, known)
        try:
            with work.inserting_behind(Client, ClientPhone, Patient, SearchTerm, Callback):
                for start in range(0, len(forms), BATCH):
                    batch = forms[start : start + BATCH]
                    made, duplicates = self._import_batch(work, batch, known)
                    created.extend(made)
                    skipped += duplicates
                    if progress is not None:
                        for index in range(done + 1, done + len(batch) + 1):
                            progress(index)
                    done += len(batch)
        except IntegrityError:
            # Not expected: every row was checked, and what is on file read, under the write
            # lock. A trigger or a key the checks do not know of refused one.
            raise ServiceError("a row could not be written (the file refused it)") from None
        return Imported(created=tuple(created), already_imported=skipped)

    def _look_up(self, work: Work, forms: Sequence[VisitForm], known: _Known) -> None:
        """Put in `known` what is on file of what `forms` name: their source ids, their
        clients (by phone), those clients' patients, and, for visits without a source_id,
        those patients' visits."""
        sources = sorted({form.source_id for form in forms if form.source_id is not None})
        query = select(Callback.id, Callback.source_id)
        on_file = _on_file(work, query, Callback.source_id, sources)
        known.source_ids |= {found.source_id for found in on_file}
        self._load_clients(work, {form.phone for form in forms}, known)
        cards = [known.clients[key] for key in map(_client_key, forms) if key in known.clients]
        self._load_patients(work, cards, known)
        keyless = (self._patient_on_file(form, known) for form in forms if form.source_id is None)
        self._load_visits(work, {patient for patient in keyless if patient is not None}, known)

    def _import_batch(
        self, work: Work, forms: Sequence[VisitForm], known: _Known
    ) -> tuple[list[int], int]:
        """Create a batch's callbacks: their ids, and how many visits were imported before
        (`known` holds what is on file: `_look_up`)."""
        visits: list[VisitForm] = []
        for form in forms:
            if form.source_id is not None:
                if form.source_id in known.source_ids:
                    continue
                known.source_ids.add(form.source_id)
            visits.append(form)
        if any(form.source_id is None for form in visits):
            visits = self._not_on_file(work, visits, known)
        skipped = len(forms) - len(visits)

        cards, new_clients = self._clients_of(work, visits, known)
        patient_ids, new_patients = self._patients_of(work, visits, cards, known)

        made: list[dict[str, Any]] = []
        changes: list[tuple[str, type[SQLModel], dict[str, Any]]] = []
        calendar = self.clinic.calendar
        for index, (form, card, patient_id) in enumerate(
            zip(visits, cards, patient_ids, strict=True)
        ):
            callbacks = [
                new_row(
                    Callback,
                    _callback(
                        work,
                        form,
                        item,
                        card.id,
                        patient_id,
                        self.clinic,
                        known.deadline(item.due.day, calendar),
                    ),
                )
                for item in form.planned
            ]
            made.extend(callbacks)
            # On file from now on, for the visits of later batches to be checked against.
            known.visits.add(_visit_key(patient_id, form.visit.occurred_at, form.visit.reason))
            if index in new_clients:
                changes.append(("client.created", Client, new_clients[index]))
            if index in new_patients:
                changes.append(("patient.created", Patient, new_patients[index]))
            changes.extend(("callback.created", Callback, callback) for callback in callbacks)
        work.insert_many(Callback, made)
        work.record_many(changes)
        return [row["id"] for row in made], skipped

    def _not_on_file(self, work: Work, visits: list[VisitForm], known: _Known) -> list[VisitForm]:
        """`visits` but those without a source_id that are on file already: the same
        client and patient, time and reason (imported before, or added by hand)."""
        keyless = [form for form in visits if form.source_id is None]
        self._load_clients(work, {form.phone for form in keyless}, known)
        cards = [known.clients[key] for key in map(_client_key, keyless) if key in known.clients]
        self._load_patients(work, cards, known)
        patients = [
            self._patient_on_file(form, known) if form.source_id is None else None
            for form in visits
        ]
        self._load_visits(work, {p for p in patients if p is not None}, known)
        fresh: list[VisitForm] = []
        # The visits of `visits` kept so far (earlier batches' are in `known.visits`).
        taken: set[tuple[str, str, str, datetime, str]] = set()
        for form, patient_id in zip(visits, patients, strict=True):
            if form.source_id is None:
                if form.identity in taken:
                    continue
                if patient_id is not None:
                    key = _visit_key(patient_id, form.visit.occurred_at, form.visit.reason)
                    if key in known.visits:
                        continue
            taken.add(form.identity)
            fresh.append(form)
        return fresh

    @staticmethod
    def _patient_on_file(form: VisitForm, known: _Known) -> int | None:
        card = known.clients.get(_client_key(form))
        return None if card is None else known.patients.get(_patient_key(card.id, form))

    def _load_visits(self, work: Work, patient_ids: set[int], known: _Known) -> None:
        """Put the visits on file of these patients in `known`."""
        ids = sorted(patient_ids - known.loaded_visits)
        known.loaded_visits |= set(ids)
        query = select(Callback.patient_id, Callback.base_at, Callback.reason)
        for found in _on_file(work, query, Callback.patient_id, ids):
            known.visits.add(_visit_key(found.patient_id, found.base_at, found.reason))

    # Rows as plain values, not objects: an object costs more to make than to insert.

    def _clients_of(
        self, work: Work, visits: Sequence[VisitForm], known: _Known
    ) -> tuple[list[_Card], dict[int, dict[str, Any]]]:
        """Each visit's client, on file (in `known`: `_look_up`) or inserted now; and the new
        ones' rows, by the visit that names them first."""
        new: dict[int, dict[str, Any]] = {}
        by_key: dict[tuple[str, str], dict[str, Any]] = {}
        for index, form in enumerate(visits):
            key = _client_key(form)
            if key not in known.clients and key not in by_key:
                by_key[key] = new[index] = new_row(Client, self._client_values(form))
        work.insert_many(Client, list(new.values()))
        # Each new client's number is its best phone: part of the client, whose event has it.
        work.insert_many(
            ClientPhone, [new_row(ClientPhone, _best_phone(row)) for row in new.values()]
        )
        for key, row in by_key.items():
            phone = (row["phone"], row["phone_digits"])
            known.clients[key] = _Card(row["id"], row["name"], (phone,))
            known.loaded_clients.add(row["id"])
        return [known.clients[_client_key(form)] for form in visits], new

    def _patients_of(
        self, work: Work, visits: Sequence[VisitForm], cards: list[_Card], known: _Known
    ) -> tuple[list[int], dict[int, dict[str, Any]]]:
        """Each visit's patient id, on file (in `known`: `_look_up`) or inserted now (with its
        search terms); and the new ones' rows, by the visit that names them first."""
        new: dict[int, dict[str, Any]] = {}
        by_key: dict[tuple[int, str], dict[str, Any]] = {}
        for index, (form, card) in enumerate(zip(visits, cards, strict=True)):
            key = _patient_key(card.id, form)
            if key not in known.patients and key not in by_key:
                by_key[key] = new[index] = new_row(Patient, _new_patient(card.id, form))
        work.insert_many(Patient, list(new.values()))
        for key, row in by_key.items():
            known.patients[key] = row["id"]
            known.loaded_visits.add(row["id"])  # a new patient's visits are this import's
        # Derived data, not audited: inserted, not recorded (as `_patient` adds them).
        terms = [
            new_row(SearchTerm, {"term": term, "patient_id": patient["id"]})
            for index, patient in new.items()
            for term in terms_of(cards[index].name, patient["name"], phones=cards[index].phones)
        ]
        work.insert_many(SearchTerm, terms)
        ids = [
            known.patients[_patient_key(card.id, form)]
            for form, card in zip(visits, cards, strict=True)
        ]
        return ids, new

    def _load_clients(self, work: Work, phones_named: set[str], known: _Known) -> None:
        """Put the clients on file with any of these phones in `known` (the first of a name)."""
        phones_new = sorted(phones_named - known.phones)
        known.phones |= set(phones_new)
        query = (
            select(ClientPhone.number, Client.id, Client.name)
            .join(Client, col(Client.id) == col(ClientPhone.client_id))
            .order_by(col(Client.id))
        )
        found = list(_on_file(work, query, ClientPhone.number, phones_new))
        numbers: dict[int, list[tuple[str, str]]] = {}
        every_phone = select(ClientPhone.client_id, ClientPhone.number, ClientPhone.digits)
        ids = sorted({row.id for row in found})
        for phone in _on_file(
            work, every_phone.order_by(col(ClientPhone.id)), ClientPhone.client_id, ids
        ):
            numbers.setdefault(phone.client_id, []).append((phone.number, phone.digits))
        for row in found:
            card = _Card(row.id, row.name, tuple(numbers[row.id]))
            known.clients.setdefault((row.number, row.name.casefold()), card)

    def _load_patients(self, work: Work, clients: list[_Card], known: _Known) -> None:
        """Put the patients on file of these clients in `known` (the first of a name)."""
        ids = sorted({client.id for client in clients} - known.loaded_clients)
        known.loaded_clients |= set(ids)
        query = select(Patient.id, Patient.client_id, Patient.name).order_by(col(Patient.id))
        for found in _on_file(work, query, Patient.client_id, ids):
            known.patients.setdefault((found.client_id, found.name.casefold()), found.id)

    def _add_visit(self, work: Work, form: VisitForm) -> tuple[list[Callback], bool]:
        """One visit's callbacks, a record at a time; none when it is on file already (by its
        source_id, or as the same visit: see `_not_on_file`)."""
        if form.source_id is not None:
            seen = work.session.exec(
                select(Callback.id).where(Callback.source_id == form.source_id).limit(1)
            ).first()
            if seen is not None:
                return [], True
        elif not self._not_on_file(work, [form], _Known()):
            return [], True
        client = self._client(work, form)
        patient = self._patient(work, client, form)
        made: list[Callback] = []
        for item in form.planned:
            assert client.id is not None and patient.id is not None, "flushed rows have ids"
            deadline_at = measures.deadline(item.due.day, None, self.clinic.calendar)
            values = _callback(work, form, item, client.id, patient.id, self.clinic, deadline_at)
            callback = Callback(**values)
            try:
                work.record("callback.created", callback)
            except IntegrityError:
                raise Invalid({"source_id": f"{form.source_id} was imported twice"}) from None
            made.append(callback)
        return made, False

    def _client(self, work: Work, form: Caller) -> Client:
        """The client on file with this name and any phone of theirs, or a new one."""
        on_file = (
            select(Client)
            .join(ClientPhone, col(ClientPhone.client_id) == col(Client.id))
            .where(ClientPhone.number == form.phone)
            .order_by(col(Client.id))
        )
        name = form.client.casefold()
        named = (c for c in work.session.exec(on_file).all() if c.name.casefold() == name)
        found = next(named, None)
        if found is None:
            found = Client(**self._client_values(form))
            work.record("client.created", found)
            assert found.id is not None, "flushed rows have ids"
            work.session.add(ClientPhone(**_best_phone(row_values(found))))
        return found

    def _client_values(self, form: Caller) -> dict[str, Any]:
        """The values of the new client a visit names.

        Consent the visit does not state is not assumed: no voicemail and no texts until
        someone records them (a message is left only where consent is known), calls allowed.
        """
        region = self.clinic.settings.phone_region
        do_not_call = bool(form.do_not_call)
        return {
            "name": form.client,
            "phone": form.phone,
            "phone_digits": phones.national_digits(form.phone, region),
            "voicemail_ok": bool(form.voicemail_ok),
            "text_ok": bool(form.text_ok),
            "do_not_call": do_not_call,
            "do_not_call_reason": IMPORTED_DO_NOT_CALL if do_not_call else None,
            "preferred_window": form.preferred_window,
        }

    def _patient(self, work: Work, client: Client, form: Caller) -> Patient:
        for patient in work.session.exec(
            select(Patient).where(Patient.client_id == client.id).order_by(col(Patient.id))
        ):
            if patient.name.casefold() == form.patient.casefold():
                return patient
        patient = Patient(**_new_patient(client.id, form))
        work.record("patient.created", patient)
        numbers = work.session.exec(
            select(ClientPhone.number, ClientPhone.digits).where(ClientPhone.client_id == client.id)
        ).all()
        for term in terms_of(client.name, patient.name, phones=numbers):
            work.session.add(SearchTerm(term=term, patient_id=patient.id))  # type: ignore[arg-type]
        return patient
