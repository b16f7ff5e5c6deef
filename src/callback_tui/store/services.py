"""The service layer: every write to the database, each one transaction with its audit events.

Screens and commands call these methods; nothing else writes. A method either commits
everything it set out to do, with an event for each record it changed, or nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, SQLModel, col, select

from callback_tui.config import Clinic
from callback_tui.domain import ladder, phones, rules, text
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
    check_initials,
)
from callback_tui.store.engine import Database
from callback_tui.store.search import patient_terms

if TYPE_CHECKING:
    from callback_tui.store.incident_desk import IncidentDesk

from callback_tui.store.tables import (
    Amendment,
    Attempt,
    Callback,
    Client,
    Event,
    Note,
    Patient,
    SearchTerm,
    Staff,
    Task,
)

Row = TypeVar("Row", bound=SQLModel)


class ServiceError(Exception):
    """A write that was refused; the message is for the person at the desk."""


class Invalid(ServiceError):
    """Refused input, field by field."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {problem}" for name, problem in problems.items()))
        self.problems = problems


class StaleVersion(ServiceError):
    """The row changed at another desk since this one read it; nothing was written."""


class NotFound(ServiceError):
    pass


class NoteIsFinal(ServiceError):
    """The note was finalized (here or at another desk): it takes amendments only."""


@dataclass
class Work:
    """One unit of work: a session inside a write transaction, and who is doing it."""

    session: Session
    actor: str
    now: datetime

    def record(self, action: str, row: SQLModel, before: dict[str, Any] | None = None) -> None:
        """Append the audit event for a change to `row` (flushed, so it has its id)."""
        self.session.add(row)
        self.session.flush()
        self.session.add(
            Event(
                at=self.now,
                actor=self.actor,
                action=action,
                entity=type(row).__tablename__,  # type: ignore[arg-type]
                entity_id=row.id,  # type: ignore[attr-defined]
                before=before,
                after=snapshot(row),
            )
        )


def snapshot(row: SQLModel) -> dict[str, Any]:
    return row.model_dump(mode="json")


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


@dataclass(frozen=True)
class NewNote:
    """A note not written yet: whom it is about and for."""

    patient_id: int
    addressed_to: str | None
    """The doctor the draft waits for."""
    callback_id: int | None = None
    kind: NoteKind = NoteKind.MEDICAL
    origin: NoteOrigin = NoteOrigin.CLIENT_UPDATE


@dataclass(frozen=True)
class NoteRef:
    """A stored note as the screen read it."""

    id: int
    version: int


@dataclass(frozen=True)
class Imported:
    created: tuple[Callback, ...]
    already_imported: int
    """Visits skipped because their source_id was imported before."""


class FrontDesk:
    """The writes of the front desk."""

    def __init__(self, database: Database, clinic: Clinic) -> None:
        self.database = database
        self.clinic = clinic

    # -- plumbing -------------------------------------------------------------------------

    @contextmanager
    def _write(self, actor: str) -> Iterator[Work]:
        try:
            with (
                Session(self.database.writer, expire_on_commit=False) as session,
                session.begin(),
            ):
                yield Work(session=session, actor=actor, now=self.clinic.clock.now())
        except OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise ServiceError(
                    "the database is busy at another desk; nothing was saved, try again"
                ) from None
            raise

    def _last_actor(self, work: Work, kind: type[SQLModel], row_id: int) -> str:
        """Who last changed a row, from the audit trail."""
        by = work.session.exec(
            select(Event.actor)
            .where(Event.entity == kind.__tablename__, Event.entity_id == row_id)
            .order_by(col(Event.id).desc())
            .limit(1)
        ).first()
        return by or "someone"

    def _guarded(self, work: Work, kind: type[Row], row_id: int, version: int) -> Row:
        """Load a row for change, refusing if another desk changed it since `version`."""
        row = work.session.get(kind, row_id)
        if row is None:
            raise NotFound(f"{kind.__tablename__} {row_id} no longer exists")
        if row.version != version:  # type: ignore[attr-defined]
            by = self._last_actor(work, kind, row_id)
            raise StaleVersion(f"changed at the other desk by {by} — reloaded")
        return row

    # -- staff ----------------------------------------------------------------------------

    def add_staff(self, actor: str, initials: str, name: str, role: str) -> Staff:
        problems: dict[str, str] = {}
        try:
            initials = check_initials(initials)
            if initials in POOLS:
                problems["initials"] = f"{initials} is a shared pool's name"
        except ValueError as exc:
            problems["initials"] = str(exc)
        try:
            name = text.clean(name, limit=text.NAME_LIMIT)
            if not name:
                problems["name"] = "a name is required"
        except ValueError as exc:
            problems["name"] = f"too long: {exc}"
        if role not in {r.value for r in Role}:
            problems["role"] = f"{role!r} is not one of: {', '.join(r.value for r in Role)}"
        if problems:
            raise Invalid(problems)
        with self._write(actor) as work:
            if work.session.exec(select(Staff).where(Staff.initials == initials)).first():
                raise Invalid({"initials": f"{initials} is already taken"})
            staff = Staff(initials=initials, name=name, role=role)
            work.record("staff.added", staff)
        return staff

    # -- callbacks ------------------------------------------------------------------------

    def add_visit(self, actor: str, form: VisitForm) -> list[Callback]:
        """Create the callbacks one visit owes (the add-callback form)."""
        with self._write(actor) as work:
            created, _ = self._add_visit(work, form, clients={})
        return created

    def import_visits(
        self,
        actor: str,
        forms: Sequence[VisitForm],
        progress: Callable[[int], None] | None = None,
    ) -> Imported:
        """Create the callbacks of many visits in one transaction: all of them or none."""
        created: list[Callback] = []
        skipped = 0
        with self._write(actor) as work:
            clients: dict[tuple[str, str], Client] = {}
            for index, form in enumerate(forms, start=1):
                made, duplicate = self._add_visit(work, form, clients)
                created.extend(made)
                skipped += duplicate
                if progress is not None:
                    progress(index)
        return Imported(created=tuple(created), already_imported=skipped)

    def _add_visit(
        self,
        work: Work,
        form: VisitForm,
        clients: dict[tuple[str, str], Client],
    ) -> tuple[list[Callback], bool]:
        """One visit's callbacks; `clients` remembers the clients met in this transaction."""
        if form.source_id is not None:
            seen = work.session.exec(
                select(Callback.id).where(Callback.source_id == form.source_id).limit(1)
            ).first()
            if seen is not None:
                return [], True
        try:
            planned = rules.plan(form.visit, self.clinic.profile, self.clinic.calendar)
        except ValueError as exc:
            raise Invalid({"reason": str(exc)}) from None
        client = self._client(work, form, clients)
        patient = self._patient(work, client, form)
        made: list[Callback] = []
        for item in planned:
            callback = Callback(
                source_id=form.source_id,
                kind=item.kind,
                patient_id=patient.id,  # type: ignore[arg-type]
                client_id=client.id,  # type: ignore[arg-type]
                reason=form.visit.reason,
                source=form.source.value,
                priority=form.priority.value,
                owner=form.owner or item.owner,
                doctor=form.visit.doctor,
                assisted_by=form.visit.assisted_by,
                base_at=form.visit.occurred_at,
                due_at=item.due.at,
                due_date=item.due.day,
                original_due_date=item.due.original_day,
                notes=form.notes,
                created_at=work.now,
            )
            try:
                work.record("callback.created", callback)
            except IntegrityError:
                raise Invalid({"source_id": f"{form.source_id} was imported twice"}) from None
            made.append(callback)
        return made, False

    def _client(self, work: Work, form: VisitForm, cache: dict[tuple[str, str], Client]) -> Client:
        key = (form.phone, form.client.casefold())
        if key in cache:
            return cache[key]
        found = next(
            (
                c
                for c in work.session.exec(select(Client).where(Client.phone == form.phone)).all()
                if c.name.casefold() == key[1]
            ),
            None,
        )
        if found is None:
            found = Client(
                name=form.client,
                phone=form.phone,
                phone_digits=phones.national_digits(form.phone, self.clinic.settings.phone_region),
            )
            work.record("client.created", found)
        cache[key] = found
        return found

    def _patient(self, work: Work, client: Client, form: VisitForm) -> Patient:
        for patient in work.session.exec(select(Patient).where(Patient.client_id == client.id)):
            if patient.name.casefold() == form.patient.casefold():
                return patient
        patient = Patient(client_id=client.id, name=form.patient, species=form.species)  # type: ignore[arg-type]
        work.record("patient.created", patient)
        for term in patient_terms(client, patient):
            work.session.add(SearchTerm(term=term, patient_id=patient.id))  # type: ignore[arg-type]
        return patient

    def claim(self, actor: str, callback_id: int, version: int) -> Callback:
        """Take a pool item: it then carries the claimer's initials."""
        with self._write(actor) as work:
            callback = self._guarded(work, Callback, callback_id, version)
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

        with self._write(actor) as work:
            callback = self._guarded(work, Callback, callback_id, version)
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

    # -- notes --------------------------------------------------------------------------

    def save_note(
        self, actor: str, target: NoteRef | NewNote, body: str, *, autosave: bool = False
    ) -> Note:
        """Keep a draft's text (creating the draft the first time).

        An autosave marks the text as not settled by `actor` (offered again after a crash);
        a save settles it. A save that changes nothing writes nothing.
        """
        clean = required_text(body, "body", NOTE_EMPTY)
        with self._write(actor) as work:
            note, before = self._draft_for_change(work, target)
            editing_by = actor if autosave else None
            if before is not None and note.body == clean and note.editing_by == editing_by:
                return note
            note.body = clean
            note.updated_at = work.now
            note.editing_by = editing_by
            if before is None:
                action = "note.drafted"
            else:
                note.version += 1
                action = "note.autosaved" if autosave else "note.saved"
            work.record(action, note, before)
        return note

    def finalize_note(self, actor: str, target: NoteRef | NewNote, body: str) -> Note:
        """Save the text and make the note final: from now on it only takes amendments."""
        clean = required_text(body, "body", NOTE_EMPTY)
        with self._write(actor) as work:
            note, before = self._draft_for_change(work, target)
            note.body = clean
            note.updated_at = note.finalized_at = work.now
            note.status = NoteStatus.FINAL.value
            note.editing_by = None
            if before is not None:
                note.version += 1
            work.record("note.finalized", note, before)
        return note

    def amend_note(self, actor: str, note_id: int, body: str) -> Amendment:
        """Append a dated, signed amendment to a final note."""
        clean = required_text(body, "amendment", AMENDMENT_EMPTY)
        with self._write(actor) as work:
            note = work.session.get(Note, note_id)
            if note is None:
                raise NotFound(f"note {note_id} no longer exists")
            if note.status != NoteStatus.FINAL:
                raise ServiceError("this note is still a draft: edit it instead of amending")
            amendment = Amendment(note_id=note_id, author=actor, at=work.now, body=clean)
            work.record("note.amended", amendment)
        return amendment

    def _draft_for_change(
        self, work: Work, target: NoteRef | NewNote
    ) -> tuple[Note, dict[str, Any] | None]:
        """The draft to write, with its state before; a new one (before None) for a NewNote."""
        if isinstance(target, NoteRef):
            note = work.session.get(Note, target.id)
            if note is not None and note.status == NoteStatus.FINAL:
                raise NoteIsFinal(
                    f"this note was finalized by {self._last_actor(work, Note, target.id)}"
                    " and never changes: add an amendment instead"
                )
            note = self._guarded(work, Note, target.id, target.version)
            return note, snapshot(note)
        problems: dict[str, str] = {}
        patient = work.session.get(Patient, target.patient_id)
        if patient is None:
            problems["patient"] = "pick a patient"
        if (
            target.addressed_to is not None
            and not work.session.exec(
                select(Staff.id).where(Staff.initials == target.addressed_to)
            ).first()
        ):
            problems["addressed_to"] = f"{target.addressed_to} is not on the staff list"
        if target.callback_id is not None:
            callback = work.session.get(Callback, target.callback_id)
            if callback is None or callback.patient_id != target.patient_id:
                problems["callback"] = "that callback is not this patient's"
        if problems:
            raise Invalid(problems)
        note = Note(
            patient_id=target.patient_id,
            callback_id=target.callback_id,
            author=work.actor,
            addressed_to=target.addressed_to,
            kind=target.kind.value,
            origin=target.origin.value,
            status=NoteStatus.DRAFT.value,
            body="",
            created_at=work.now,
            updated_at=work.now,
        )
        return note, None

    # -- tasks --------------------------------------------------------------------------

    def complete_task(self, actor: str, task_id: int, version: int, note: str) -> Task:
        """Mark a task done, saying what was done. Only its person, or its role, may."""
        said = required_text(note, "note", "say what was done")
        with self._write(actor) as work:
            task = self._guarded(work, Task, task_id, version)
            if task.status != "open":
                raise ServiceError(f"this task was already done by {task.done_by or 'someone'}")
            role = role_of(work, actor)
            if actor != task.assignee and (task.assignee is not None or role != task.role):
                whose = task.assignee or (task.role or "").replace("_", " ")
                raise ServiceError(f"this task is for {whose}, not {actor}")
            before = snapshot(task)
            task.status = "done"
            task.done_note = said
            task.done_by = actor
            task.done_at = work.now
            task.version += 1
            work.record("task.done", task, before)
        return task

    @cached_property
    def incidents(self) -> IncidentDesk:
        """The writes of upset-patient incidents (their own module: they are many)."""
        from callback_tui.store.incident_desk import IncidentDesk

        return IncidentDesk(self)


def long_text(value: str, field: str, problems: dict[str, str], *, required: str = "") -> str:
    """Multi-line user text as kept (NOTE_LIMIT). Too long, or empty when `required` says
    why it is needed, is put in `problems` under `field`."""
    try:
        kept = text.clean(value, limit=text.NOTE_LIMIT, multiline=True)
    except ValueError as exc:
        problems[field] = f"too long: {exc}"
        return ""
    if required and not kept:
        problems[field] = required
    return kept


def required_text(value: str, field: str, why: str) -> str:
    """`long_text` for a form of one field: refused at once (Invalid) when wrong."""
    problems: dict[str, str] = {}
    kept = long_text(value, field, problems, required=why)
    if problems:
        raise Invalid(problems)
    return kept


def role_of(work: Work, initials: str) -> Role | None:
    role = work.session.exec(select(Staff.role).where(Staff.initials == initials)).first()
    return Role(role) if role else None


NOTE_EMPTY = "the note is empty: write what was said before saving"
AMENDMENT_EMPTY = "the amendment is empty: write the correction before saving"
