"""Writes of callbacks: claims and logged calls (visit_desk.py creates them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time, timedelta

from sqlmodel import col, select

from callback_tui.domain import best_time, handoff, ladder, measures, rules, targets
from callback_tui.domain.access import Act
from callback_tui.domain.profile import Profile
from callback_tui.domain.scripts import say
from callback_tui.domain.vocab import (
    Channel,
    NoteKind,
    NoteOrigin,
    NoteStatus,
    Outcome,
    Priority,
    Role,
    Status,
    TaskKind,
)
from callback_tui.store.errors import Invalid, NotFound, ServiceError, TooEarly
from callback_tui.store.tables import Attempt, Callback, Client, Note, Staff, Task
from callback_tui.store.unit import Work, long_text, refuse, snapshot
from callback_tui.store.visit_desk import VisitDesk


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
    """Ticked where the profile asks for no identifiers (see `identifiers`)."""
    identifiers: tuple[str, ...] = ()
    """The keys of the identifiers the caller confirmed (the profile's list): where the
    profile requires identity, *spoke* needs as many as it says (two). Never their values."""
    text_sent: bool = False
    """The approved follow-up text was sent (only to a client who agreed to texts)."""
    dnc_justification: str = ""
    early: bool = False
    """The person confirmed a call before the callback's next try (the client asked to be
    called now, or called in): without it such a call is refused (TooEarly)."""


@dataclass(frozen=True)
class Logged:
    """What logging an outcome did."""

    callback: Callback
    attempt: Attempt
    draft: Note | None
    tasks: tuple[Task, ...]
    early: bool = False
    """Made before the callback's next try, as the person confirmed."""
    counted: bool = False
    """One of the tries toward the unreached limit (an early miss in a window already tried
    is not)."""


@dataclass(frozen=True)
class Released:
    """What putting a person's unworked callbacks back into their pools did."""

    released: int
    kept: int
    """Unworked callbacks with no pool to go to: they stay with the person."""
    kept_why: str
    """Why those stay ("a doctor's own calls stay with them"); blank when none do."""
    to_pools: dict[str, int] = field(default_factory=dict)
    """How many went to each pool."""


class CallbackDesk(VisitDesk):
    """The writes of the morning run-through, and (from VisitDesk) of new visits."""

    def claim(self, actor: str, callback_id: int, version: int) -> Callback:
        """Take a pool item: it then carries the claimer's initials."""
        with self.write(actor) as work:
            callback = self.guarded(work, Callback, callback_id, version)
            pools = self.clinic.pools
            if callback.owner not in pools:
                raise ServiceError(f"this callback already belongs to {callback.owner}")
            refuse(work, Act.CLAIM_POOL, pool=callback.owner, pools=pools)
            before = snapshot(callback)
            callback.pool = callback.pool or callback.owner
            callback.owner = actor
            callback.version += 1
            work.record("callback.claimed", callback, before)
        return callback

    def release(self, actor: str, initials: str) -> Released:
        """Put `initials`' unworked callbacks back into their pools for the next shift, as one
        transaction with a `callback.released` event per callback (its `before` keeps the
        person's initials as owner).

        Unworked: open callbacks the person owns, due today or earlier, with no call logged
        on them today (the clinic's day). Each goes to the pool it came from, else to the
        first pool the person's role works; one with neither stays with them (domain/
        handoff.py). The person themself may release, or an office manager or the owner.
        """
        whose = initials.strip().upper()
        with self.write(actor) as work:
            if whose in self.clinic.pools:
                raise ServiceError(f"{whose} is a pool: its callbacks are nobody's to release")
            person = work.session.exec(select(Staff).where(Staff.initials == whose)).first()
            if person is None:
                raise NotFound(f"no one on the staff has the initials {whose}")
            refuse(work, Act.RELEASE_ITEMS, own=work.actor == whose)
            calendar = self.clinic.calendar
            day = calendar.local(work.now).date()
            start = calendar.at(day, time())
            end = calendar.at(day + timedelta(days=1), time())
            tried_today = select(Attempt.callback_id).where(Attempt.at >= start, Attempt.at < end)
            unworked = work.session.exec(
                select(Callback)
                .where(
                    Callback.owner == whose,
                    Callback.status == Status.OPEN.value,
                    Callback.due_date <= day,
                    col(Callback.id).not_in(tried_today),
                )
                .order_by(col(Callback.id))
            ).all()
            role = Role(person.role)
            works = self.clinic.profile.pools_for(role)
            to_pools: dict[str, int] = {}
            kept = 0
            for callback in unworked:
                pool = handoff.destination(callback.pool, works, self.clinic.pools)
                if pool is None:
                    kept += 1
                    continue
                before = snapshot(callback)
                callback.owner = pool
                callback.pool = pool
                callback.version += 1
                work.record("callback.released", callback, before, also={"released_at": work.now})
                to_pools[pool] = to_pools.get(pool, 0) + 1
        return Released(
            released=sum(to_pools.values()),
            kept=kept,
            kept_why=handoff.why_kept(role) if kept else "",
            to_pools=to_pools,
        )

    def log_outcome(self, actor: str, callback_id: int, version: int, entry: CallOutcome) -> Logged:
        """Record one call and apply the attempt ladder, as one transaction.

        Before the callback's next try (set by a miss) a call is refused with TooEarly,
        unless the person confirmed an early call (`entry.early`): its attempt's event then
        says so, with who made it.
        """
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
            earlier = work.session.exec(
                select(Attempt.at, Attempt.outcome).where(Attempt.callback_id == callback_id)
            ).all()
            calendar = self.clinic.calendar
            early = False
            if ladder.waits(callback.next_attempt_at, work.now):
                if not entry.early:
                    last_try = max((at for at, _ in earlier), default=None)
                    next_try = callback.next_attempt_at
                    raise TooEarly(ladder.too_early_words(next_try, last_try, work.now, calendar))
                early = True
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
            if entry.text_sent and not client.text_ok:
                problems["text"] = "the client has not agreed to text messages"
            elif entry.text_sent and entry.outcome is Outcome.WRONG_NUMBER:
                problems["text"] = "the number was reported wrong: send no text to it"
            identifiers = self._identifiers(entry, problems)
            if problems:
                raise Invalid(problems)

            before = snapshot(callback)
            policy = self.clinic.policy
            misses = [at for at, outcome in earlier if ladder.is_miss(Outcome(outcome), policy)]
            profile = self.clinic.profile
            escalation = _escalation(profile, callback.doctor)
            # Only a miss sets a next try: only then is the client's best time worked out.
            prefer = self._prefer(work, client) if ladder.is_miss(entry.outcome, policy) else None
            decision = ladder.decide(
                entry.outcome,
                work.now,
                misses,
                priority=Priority(callback.priority),
                clinical=profile.escalates(callback.reason),
                policy=policy,
                calendar=calendar,
                counted=callback.misses,
                early_of=callback.next_attempt_at if early else None,
                path_back=say(self.clinic.scripts.path_back, self._names()),
                escalate_to=escalation.words,
                prefer=prefer,
            )
            attempt = Attempt(
                callback_id=callback_id,
                pool=callback.pool,
                at=work.now,
                by=actor,
                channel=entry.channel.value,
                outcome=entry.outcome.value,
                duration_minutes=entry.duration_minutes,
                identity_verified=entry.identity_verified or bool(identifiers),
                identifiers=",".join(identifiers) or None,
                appointment_booked=entry.appointment_booked,
                concern_for_doctor=entry.concern_for_doctor,
                dnc_justification=justification or None,
                notes=notes,
                text_sent=entry.text_sent,
            )
            # Facts a report counts that are no column: an early call, a do-not-call overridden.
            noted = {"early": early, "do_not_call_override": client.do_not_call}
            also = {fact: True for fact, happened in noted.items() if happened}
            work.record("attempt.logged", attempt, also=also or None)

            if callback.first_try_at is None:
                # Before the ladder moves its due day: the wait counts from the first one.
                ready = measures.ready_at(
                    callback.created_at,
                    callback.base_at,
                    callback.due_date,
                    callback.target_at,
                    calendar,
                )
                callback.first_try_at = work.now
                callback.wait_minutes = measures.wait_minutes(ready, work.now, calendar)
            callback.attempts += 1
            callback.misses += int(decision.counted)
            callback.status = decision.status.value
            callback.next_attempt_at = decision.next_attempt_at
            if decision.next_attempt_at is not None:
                settled = rules.settle(decision.next_attempt_at, calendar)
                callback.due_at, callback.due_date = settled.at, settled.day
            if decision.status is not Status.OPEN:
                callback.closed_at = work.now
                callback.closing_note = decision.closing_note
            if decision.wrong_number:
                callback.wrong_number = True
            callback.escalated = callback.escalated or decision.escalate
            callback.version += 1
            work.record(f"callback.{entry.outcome.value}", callback, before)

            tasks: list[Task] = []
            if decision.wrong_number:
                tasks.append(
                    Task(
                        role=Role.FRONT_DESK.value,
                        title=f"Verify the phone number of {client.name}",
                        about=f"callback:{callback_id}",
                        kind=TaskKind.VERIFY_NUMBER.value,
                        due_at=self.due_today(work),
                        created_at=work.now,
                    )
                )
            if decision.escalate:
                tasks.append(
                    Task(
                        assignee=escalation.assignee,
                        role=escalation.role.value,
                        title=f"Unreached after {callback.misses} attempts: {client.name}",
                        about=f"callback:{callback_id}",
                        due_at=targets.after(work.now, profile.escalation.allowance, calendar),
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
        return Logged(
            callback=callback,
            attempt=attempt,
            draft=draft,
            tasks=tuple(tasks),
            early=early,
            counted=decision.counted,
        )

    def _prefer(self, work: Work, client: Client) -> str | None:
        """The window a retry goes to first: the one the client asked for, else the one
        their past phone calls reached them in most often (domain/best_time.py), else none."""
        calendar = self.clinic.calendar
        stated = best_time.preferred(client.preferred_window, None, calendar)
        if stated is not None:
            return stated
        calls = work.session.exec(
            select(Attempt.at, Attempt.outcome)
            .join(Callback, col(Attempt.callback_id) == col(Callback.id))
            .where(Callback.client_id == client.id, Attempt.channel == Channel.PHONE.value)
        ).all()
        found = best_time.learned(((at, Outcome(outcome)) for at, outcome in calls), calendar)
        return found.window if found is not None else None

    def _identifiers(self, entry: CallOutcome, problems: dict[str, str]) -> tuple[str, ...]:
        """The identifiers a conversation confirmed, in the profile's order; where the profile
        requires identity, too few (or unknown ones) go in `problems` under "identity".

        Kept for a conversation only: ticks left on an unanswered call confirmed nobody.
        """
        if entry.outcome is not Outcome.SPOKE:
            return ()
        rule = self.clinic.profile.identity
        ticked = set(entry.identifiers)
        unknown = ticked - rule.identifiers.keys()
        if unknown:
            problems["identity"] = f"not an identifier of this clinic: {', '.join(sorted(unknown))}"
            return ()
        if rule.required and len(ticked) < rule.confirm:
            listed = ", ".join(label.lower() for label in rule.identifiers.values())
            problems["identity"] = (
                f"tick the {rule.confirm} identifiers the caller confirmed ({listed})"
                " before saving a conversation"
            )
        return tuple(key for key in rule.identifiers if key in ticked)

    def _names(self) -> dict[str, str]:
        settings = self.clinic.settings
        return {"clinic": settings.clinic_name, "clinic_phone": settings.clinic_phone}


@dataclass(frozen=True)
class _Escalation:
    """Who an unreached clinical callback goes to: the case doctor, else a role."""

    assignee: str | None
    role: Role
    words: str


def _escalation(profile: Profile, doctor: str | None) -> _Escalation:
    if doctor:
        return _Escalation(doctor, Role.DOCTOR, f"the case doctor ({doctor})")
    role = Role(profile.escalation.role)
    team = "the clinical team" if role is not Role.DOCTOR else "the doctors"
    return _Escalation(None, role, f"{team} ({role.value.replace('_', ' ')})")
