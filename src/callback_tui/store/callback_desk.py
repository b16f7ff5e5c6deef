"""Writes of callbacks: visits and imports that create them, claims, and logged calls."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, col, select

from callback_tui.domain import ladder, phones, rules
from callback_tui.domain.intake import VisitForm
from callback_tui.domain.vocab import (
    POOLS,
    Channel,
    NoteKind,
    NoteOrigin,
    NoteStatus,
    Outcome,
    Priority,
    Role,
    Status,
)
from callback_tui.store.errors import Invalid, ServiceError
from callback_tui.store.search import patient_terms
from callback_tui.store.tables import Attempt, Callback, Client, Note, Patient, SearchTerm, Task
from callback_tui.store.unit import (
    Desk,
    Work,
    long_text,
    new_row,
    role_of,
    row_values,
    snapshot,
)


@dataclass(frozen=True)
class CallOutcome:
    """What the person at the desk entered for one call."""

    outcome: Outcome
    notes: str = ""
    channel: Channel = Channel.PHONE
    duration_minutes: int | None = None
    appointment_booked: bool = False
    concern_for_doctor: bool = False
    identity_verified: bool = False
    dnc_justification: str = ""


@dataclass(frozen=True)
class Logged:
    """What logging an outcome did."""

    callback: Callback
    attempt: Attempt
    draft: Note | None
    tasks: tuple[Task, ...]


Found = TypeVar("Found", Client, Patient)

BATCH = 500
"""Visits written per batch: the progress moves after each, and no IN-list is longer."""


@dataclass(frozen=True)
class Imported:
    created: tuple[int, ...]
    """The ids of the callbacks created."""
    already_imported: int
    """Visits skipped because their source_id was imported before."""


@dataclass
class _Known:
    """What an import has found on file or created so far, so each is looked up once."""

    clients: dict[tuple[str, str], Client] = field(default_factory=dict)
    """By (phone, casefolded name)."""
    phones: set[str] = field(default_factory=set)
    """The phones whose clients are in `clients`."""
    patients: dict[tuple[int, str], Patient] = field(default_factory=dict)
    """By (client id, casefolded name)."""
    loaded_clients: set[int] = field(default_factory=set)
    """The clients whose patients are in `patients`."""
    source_ids: set[str] = field(default_factory=set)
    """Source ids imported before (or earlier in this file)."""


def _client_key(form: VisitForm) -> tuple[str, str]:
    """One client per phone and name, whatever the name's case."""
    return form.phone, form.client.casefold()


def _patient_key(client: Client, form: VisitForm) -> tuple[int, str]:
    """One patient per client and name, whatever the name's case."""
    return _id(client), form.patient.casefold()


def _id(row: Client) -> int:
    assert row.id is not None, "inserted rows have their ids"
    return row.id


def _new_patient(client: Client, form: VisitForm) -> Patient:
    return Patient(client_id=client.id, name=form.patient, species=form.species)  # type: ignore[arg-type]


def _callback(
    work: Work, form: VisitForm, item: rules.PlannedCallback, client: Client, patient: Patient
) -> dict[str, Any]:
    """The values of a new callback for one planned call of a visit."""
    return {
        "source_id": form.source_id,
        "kind": item.kind,
        "patient_id": patient.id,
        "client_id": client.id,
        "reason": form.visit.reason,
        "source": form.source.value,
        "priority": form.priority.value,
        "owner": form.owner or item.owner,
        "doctor": form.visit.doctor,
        "assisted_by": form.visit.assisted_by,
        "base_at": form.visit.occurred_at,
        "due_at": item.due.at,
        "due_date": item.due.day,
        "original_due_date": item.due.original_day,
        "notes": form.notes,
        "created_at": work.now,
    }


def _on_file(work: Work, kind: type[Found], column: Any, among: Sequence[Any]) -> Iterator[Found]:
    """The rows of `kind` whose `column` is among `among`, oldest first within each query
    (one query per BATCH values, well under any database's limit on parameters)."""
    for start in range(0, len(among), BATCH):
        yield from work.session.exec(
            select(kind).where(col(column).in_(among[start : start + BATCH])).order_by(col(kind.id))
        )


def _insert(work: Work, kind: type[SQLModel], rows: Sequence[Client | Patient]) -> None:
    """`Work.insert_many` for new objects, which then have their ids."""
    values = [row_values(row) for row in rows]
    work.insert_many(kind, values)
    for row, inserted in zip(rows, values, strict=True):
        row.id = inserted["id"]


class CallbackDesk(Desk):
    """The writes of the morning run-through."""

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
        created: list[int] = []
        skipped = 0
        with self.write(actor) as work:
            known = _Known()
            done = 0
            for start in range(0, len(forms), BATCH):
                batch = forms[start : start + BATCH]
                made, duplicates = self._import_batch(work, batch, known)
                created.extend(made)
                skipped += duplicates
                if progress is not None:
                    for index in range(done + 1, done + len(batch) + 1):
                        progress(index)
                done += len(batch)
        return Imported(created=tuple(created), already_imported=skipped)

    def _import_batch(
        self, work: Work, forms: Sequence[VisitForm], known: _Known
    ) -> tuple[list[int], int]:
        """Create a batch's callbacks: their ids, and how many visits were imported before."""
        fresh_ids = {f.source_id for f in forms if f.source_id is not None} - known.source_ids
        if fresh_ids:
            on_file = select(Callback.source_id).where(col(Callback.source_id).in_(fresh_ids))
            known.source_ids |= {found for found in work.session.exec(on_file) if found}
        visits: list[tuple[VisitForm, list[rules.PlannedCallback]]] = []
        for form in forms:
            if form.source_id is not None:
                if form.source_id in known.source_ids:
                    continue
                known.source_ids.add(form.source_id)
            visits.append((form, self._plan(form)))
        skipped = len(forms) - len(visits)

        self._load_clients(work, {form.phone for form, _ in visits}, known)
        new_clients: dict[int, Client] = {}
        for index, (form, _) in enumerate(visits):
            key = _client_key(form)
            if key not in known.clients:
                known.clients[key] = new_clients[index] = self._new_client(form)
        _insert(work, Client, list(new_clients.values()))
        known.loaded_clients |= {_id(client) for client in new_clients.values()}

        self._load_patients(work, [known.clients[_client_key(f)] for f, _ in visits], known)
        new_patients: dict[int, Patient] = {}
        for index, (form, _) in enumerate(visits):
            client = known.clients[_client_key(form)]
            patient_key = _patient_key(client, form)
            if patient_key not in known.patients:
                known.patients[patient_key] = new_patients[index] = _new_patient(client, form)
        _insert(work, Patient, list(new_patients.values()))
        # Derived data, not audited: inserted, not recorded (as `_patient` adds them).
        terms = [
            {"term": term, "patient_id": patient.id}
            for index, patient in new_patients.items()
            for term in patient_terms(known.clients[_client_key(visits[index][0])], patient)
        ]
        if terms:
            work.session.execute(insert(SearchTerm.__table__), terms)  # type: ignore[attr-defined]

        made: list[dict[str, Any]] = []
        changes: list[tuple[str, type[SQLModel], dict[str, Any]]] = []
        for index, (form, planned) in enumerate(visits):
            client = known.clients[_client_key(form)]
            patient = known.patients[_patient_key(client, form)]
            callbacks = [
                new_row(Callback, _callback(work, form, item, client, patient)) for item in planned
            ]
            made.extend(callbacks)
            if index in new_clients:
                changes.append(("client.created", Client, row_values(client)))
            if index in new_patients:
                changes.append(("patient.created", Patient, row_values(patient)))
            changes.extend(("callback.created", Callback, callback) for callback in callbacks)
        try:
            work.insert_many(Callback, made)
        except IntegrityError:
            raise Invalid({"source_id": "a visit was imported twice"}) from None
        work.record_many(changes)
        return [row["id"] for row in made], skipped

    def _load_clients(self, work: Work, phones_named: set[str], known: _Known) -> None:
        """Put the clients on file with these phones in `known` (the first of a name)."""
        phones_new = sorted(phones_named - known.phones)
        known.phones |= set(phones_new)
        for client in _on_file(work, Client, Client.phone, phones_new):
            known.clients.setdefault((client.phone, client.name.casefold()), client)

    def _load_patients(self, work: Work, clients: list[Client], known: _Known) -> None:
        """Put the patients on file of these clients in `known` (the first of a name)."""
        ids = sorted({_id(client) for client in clients} - known.loaded_clients)
        known.loaded_clients |= set(ids)
        for patient in _on_file(work, Patient, Patient.client_id, ids):
            known.patients.setdefault((patient.client_id, patient.name.casefold()), patient)

    def _add_visit(self, work: Work, form: VisitForm) -> tuple[list[Callback], bool]:
        """One visit's callbacks, a record at a time."""
        if form.source_id is not None:
            seen = work.session.exec(
                select(Callback.id).where(Callback.source_id == form.source_id).limit(1)
            ).first()
            if seen is not None:
                return [], True
        planned = self._plan(form)
        client = self._client(work, form)
        patient = self._patient(work, client, form)
        made: list[Callback] = []
        for item in planned:
            callback = Callback(**_callback(work, form, item, client, patient))
            try:
                work.record("callback.created", callback)
            except IntegrityError:
                raise Invalid({"source_id": f"{form.source_id} was imported twice"}) from None
            made.append(callback)
        return made, False

    def _plan(self, form: VisitForm) -> list[rules.PlannedCallback]:
        try:
            return rules.plan(form.visit, self.clinic.profile, self.clinic.calendar)
        except ValueError as exc:
            raise Invalid({"reason": str(exc)}) from None

    def _client(self, work: Work, form: VisitForm) -> Client:
        key = _client_key(form)
        found = next(
            (
                c
                for c in work.session.exec(
                    select(Client).where(Client.phone == form.phone).order_by(col(Client.id))
                ).all()
                if (c.phone, c.name.casefold()) == key
            ),
            None,
        )
        if found is None:
            found = self._new_client(form)
            work.record("client.created", found)
        return found

    def _new_client(self, form: VisitForm) -> Client:
        return Client(
            name=form.client,
            phone=form.phone,
            phone_digits=phones.national_digits(form.phone, self.clinic.settings.phone_region),
        )

    def _patient(self, work: Work, client: Client, form: VisitForm) -> Patient:
        for patient in work.session.exec(
            select(Patient).where(Patient.client_id == client.id).order_by(col(Patient.id))
        ):
            if patient.name.casefold() == form.patient.casefold():
                return patient
        patient = _new_patient(client, form)
        work.record("patient.created", patient)
        for term in patient_terms(client, patient):
            work.session.add(SearchTerm(term=term, patient_id=patient.id))  # type: ignore[arg-type]
        return patient

    def claim(self, actor: str, callback_id: int, version: int) -> Callback:
        """Take a pool item: it then carries the claimer's initials."""
        with self.write(actor) as work:
            callback = self.guarded(work, Callback, callback_id, version)
            if callback.owner not in POOLS:
                raise ServiceError(f"this callback already belongs to {callback.owner}")
            role = role_of(work, actor)
            if role is None or role not in POOLS[callback.owner]:
                raise ServiceError(f"{actor} may not claim from the {callback.owner} pool")
            before = snapshot(callback)
            callback.owner = actor
            callback.version += 1
            work.record("callback.claimed", callback, before)
        return callback

    def log_outcome(self, actor: str, callback_id: int, version: int, entry: CallOutcome) -> Logged:
        """Record one call and apply the attempt ladder, as one transaction."""
        problems: dict[str, str] = {}
        notes = long_text(entry.notes, "notes", problems)
        justification = " ".join(entry.dnc_justification.split())
        if entry.duration_minutes is not None and not 0 <= entry.duration_minutes <= 600:
            problems["duration"] = "minutes must be between 0 and 600"
        if entry.concern_for_doctor and not notes and "notes" not in problems:
            problems["notes"] = "describe the concern for the doctor"

        with self.write(actor) as work:
            callback = self.guarded(work, Callback, callback_id, version)
            client = work.session.get(Client, callback.client_id)
            assert client is not None
            if callback.status != Status.OPEN:
                raise ServiceError(f"this callback is already {callback.status}")
            if client.do_not_call and not justification:
                problems["justification"] = (
                    "the client asked not to be called: record the urgent clinical need"
                )
            if entry.channel is Channel.TEXT and not client.text_ok:
                problems["channel"] = "the client has not agreed to text messages"
            if (
                entry.outcome is Outcome.LEFT_MESSAGE
                and entry.channel is Channel.PHONE
                and not client.voicemail_ok
            ):
                problems["outcome"] = "the client has not agreed to voicemail messages"
            if (
                entry.outcome is Outcome.SPOKE
                and self.clinic.profile.identity_required
                and not entry.identity_verified
            ):
                problems["identity"] = "verify two identifiers before saving a conversation"
            if problems:
                raise Invalid(problems)

            before = snapshot(callback)
            earlier = work.session.exec(
                select(Attempt.at, Attempt.outcome).where(Attempt.callback_id == callback_id)
            ).all()
            policy = self.clinic.policy
            misses = [at for at, outcome in earlier if ladder.is_miss(Outcome(outcome), policy)]
            reason = self.clinic.profile.reasons.get(callback.reason)
            decision = ladder.decide(
                entry.outcome,
                work.now,
                misses,
                priority=Priority(callback.priority),
                clinical=reason.clinical if reason else True,
                policy=policy,
                calendar=self.clinic.calendar,
            )
            attempt = Attempt(
                callback_id=callback_id,
                at=work.now,
                by=actor,
                channel=entry.channel.value,
                outcome=entry.outcome.value,
                duration_minutes=entry.duration_minutes,
                identity_verified=entry.identity_verified,
                appointment_booked=entry.appointment_booked,
                concern_for_doctor=entry.concern_for_doctor,
                dnc_justification=justification or None,
                notes=notes,
            )
            work.record("attempt.logged", attempt)

            callback.attempts += 1
            callback.misses += int(ladder.is_miss(entry.outcome, policy))
            callback.status = decision.status.value
            callback.next_attempt_at = decision.next_attempt_at
            if decision.next_attempt_at is not None:
                settled = rules.settle(decision.next_attempt_at, self.clinic.calendar)
                callback.due_at, callback.due_date = settled.at, settled.day
            if decision.status is not Status.OPEN:
                callback.closed_at = work.now
                callback.closing_note = decision.closing_note
            if decision.wrong_number:
                callback.wrong_number = True
            callback.version += 1
            work.record(f"callback.{entry.outcome.value}", callback, before)

            tasks: list[Task] = []
            if decision.wrong_number:
                tasks.append(
                    Task(
                        role=Role.FRONT_DESK.value,
                        title=f"Verify the phone number of {client.name}",
                        about=f"callback:{callback_id}",
                        due_at=work.now,
                        created_at=work.now,
                    )
                )
            if decision.escalate:
                tasks.append(
                    Task(
                        assignee=callback.doctor,
                        role=Role.DOCTOR.value,
                        title=f"Unreached after {callback.misses} attempts: {client.name}",
                        about=f"callback:{callback_id}",
                        due_at=work.now,
                        created_at=work.now,
                    )
                )
            for task in tasks:
                work.record("task.created", task)

            draft: Note | None = None
            if entry.concern_for_doctor:
                draft = Note(
                    patient_id=callback.patient_id,
                    callback_id=callback_id,
                    author=actor,
                    addressed_to=callback.doctor,
                    kind=NoteKind.MEDICAL.value,
                    origin=NoteOrigin.CALL.value,
                    status=NoteStatus.DRAFT.value,
                    body=notes,
                    created_at=work.now,
                    updated_at=work.now,
                )
                work.record("note.drafted", draft)
        return Logged(callback=callback, attempt=attempt, draft=draft, tasks=tuple(tasks))
