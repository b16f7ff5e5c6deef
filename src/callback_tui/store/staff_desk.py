"""Writes of the staff list, and who is at the desk: sign-in with a PIN, lock, sign-out.

A PIN is kept only as its Argon2id hash (domain/pins.py); no event holds it (tables.public
puts `pin_set` in its place). A hash check takes a moment by design: it runs before the
write transaction, never inside it, so another desk's writes do not wait on it. The
screens call these methods from a worker thread.

Staff changes are for an office manager or the owner (domain/access.py), and for the
unattended `system` while setting up: until an office manager or owner has a PIN, no one's
identity can be checked yet, so the first people are added and given PINs that way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from callback_tui.domain import access, text
from callback_tui.domain.access import Act
from callback_tui.domain.vocab import Role, check_initials
from callback_tui.store.errors import (
    Invalid,
    LockedOut,
    NotAllowed,
    PinNotSet,
    ServiceError,
    WrongPin,
)
from callback_tui.store.tables import Staff
from callback_tui.store.unit import Desk, Work, snapshot

LOCK_REASONS = ("idle", "privacy")
"""Why a screen was locked: nobody touched it for a while, or the privacy key."""

MANAGERS = (Role.OFFICE_MANAGER.value, Role.OWNER.value)
"""Whose PIN ends setting up (access.RULES[Act.MANAGE_STAFF])."""


@dataclass(frozen=True)
class SignedIn:
    """Who is at the desk now."""

    initials: str
    name: str
    role: Role


def _signed_in(staff: Staff) -> SignedIn:
    return SignedIn(staff.initials, staff.name, Role(staff.role))


@dataclass(frozen=True)
class _Pin:
    """What a PIN check needs, read before the write."""

    initials: str
    pin_hash: str | None
    locked_until: datetime | None


class StaffDesk(Desk):
    # -- who is at the desk -------------------------------------------------------------

    def sign_in(self, initials: str, pin: str | None) -> SignedIn:
        """Sign a person in with their PIN (event staff.signed_in).

        `pin` may be None only where the clinic does not ask for PINs (require_pin false).
        A wrong PIN is counted and refused (WrongPin); the `pin_tries`-th in a row locks the
        person out for `pin_lockout_minutes` (LockedOut); a right one starts the count again.
        """
        return self._checked(initials, pin, "staff.signed_in")

    def unlock(self, initials: str, pin: str | None) -> SignedIn:
        """The same check as `sign_in`, back at a locked screen (event staff.unlocked)."""
        return self._checked(initials, pin, "staff.unlocked")

    def first_pin(self, initials: str, pin: str) -> SignedIn:
        """A person without a PIN chooses one and is signed in with it (events staff.pin_set
        and staff.signed_in). Refused once they have one: then they sign in with it."""
        initials = self._initials(initials)
        pin_hash = self._hash(pin)
        with self.write(initials) as work:
            staff = self._member(work, initials)
            if staff.pin_hash is not None:
                raise ServiceError(f"{initials} has a PIN already: sign in with it.")
            self._new_pin(work, staff, pin_hash)
            work.record("staff.signed_in", staff)
        return _signed_in(staff)

    def lock(self, initials: str, reason: str) -> None:
        """The screen was locked over this person's work: `reason` idle or privacy."""
        if reason not in LOCK_REASONS:
            raise Invalid({"reason": f"{reason!r} is not one of: {', '.join(LOCK_REASONS)}"})
        self._note(initials, "staff.locked", reason=reason)

    def sign_out(self, initials: str) -> None:
        """The person left the desk (the next one signed in, or the app was closed)."""
        self._note(initials, "staff.signed_out")

    # -- the staff list -----------------------------------------------------------------

    def add(self, actor: str, initials: str, name: str, role: str) -> Staff:
        """A new person (no PIN yet: they choose one at their first sign-in)."""
        problems: dict[str, str] = {}
        try:
            initials = check_initials(initials)
            if initials in self.clinic.pools:
                problems["initials"] = f"{initials} is a shared pool's name"
        except ValueError as exc:
            problems["initials"] = str(exc)
        name = self._name(name, problems)
        role = self._role(role, problems)
        if problems:
            raise Invalid(problems)
        with self.write(actor) as work:
            self._refuse(work, actor)
            if work.session.exec(select(Staff).where(Staff.initials == initials)).first():
                raise Invalid({"initials": f"{initials} is already taken"})
            staff = Staff(initials=initials, name=name, role=role)
            work.record("staff.added", staff)
        return staff

    def set_pin(self, actor: str, initials: str, pin: str) -> None:
        """Give a person a new PIN: the person themself, or an office manager or owner
        (which also ends a lockout). Event staff.pin_set."""
        initials = self._initials(initials)
        pin_hash = self._hash(pin)
        with self.write(actor) as work:
            self._refuse(work, actor, own=actor == initials)
            self._new_pin(work, self._member(work, initials), pin_hash)

    def reset_pin(self, actor: str, initials: str) -> None:
        """Clear a person's PIN (and any lockout): they choose a new one at their next
        sign-in. An office manager or owner. Event staff.pin_reset."""
        initials = self._initials(initials)
        with self.write(actor) as work:
            self._refuse(work, actor)
            self._new_pin(work, self._member(work, initials), None)

    def rename(self, actor: str, initials: str, name: str) -> None:
        """Correct a person's name (their initials stay). Event staff.renamed."""
        initials = self._initials(initials)
        problems: dict[str, str] = {}
        name = self._name(name, problems)
        if problems:
            raise Invalid(problems)
        with self.write(actor) as work:
            self._refuse(work, actor)
            staff = self._member(work, initials)
            if staff.name != name:
                self._change(work, staff, "staff.renamed", name=name)

    def set_role(self, actor: str, initials: str, role: str) -> None:
        """Change a person's role. Event staff.role_changed."""
        initials = self._initials(initials)
        problems: dict[str, str] = {}
        role = self._role(role, problems)
        if problems:
            raise Invalid(problems)
        with self.write(actor) as work:
            self._refuse(work, actor)
            staff = self._member(work, initials)
            if staff.role != role:
                self._change(work, staff, "staff.role_changed", role=role)

    def deactivate(self, actor: str, initials: str) -> None:
        """The person left: they can no longer sign in; their initials and history stay
        (and are never given to anyone else). Event staff.deactivated."""
        self._set_active(actor, initials, False)

    def activate(self, actor: str, initials: str) -> None:
        """A deactivated person may sign in again. Event staff.activated."""
        self._set_active(actor, initials, True)

    def seed_pins(self, actor: str, pin_hash: str, initials: Sequence[str]) -> None:
        """Give everyone listed the same PIN, as a hash made once (the demo clinic's 1234:
        one hash instead of one per person). One transaction, allowed as any staff change."""
        with self.write(actor) as work:
            self._refuse(work, actor)
            for one in initials:
                self._new_pin(work, self._member(work, self._initials(one)), pin_hash)

    def setting_up(self) -> bool:
        """No active office manager or owner has a PIN yet: the `system` actor may still
        make staff changes (adding the first people, giving them PINs)."""
        with Session(self.database.engine) as session:
            return self._setting_up(session)

    # -- plumbing -----------------------------------------------------------------------

    def _checked(self, initials: str, pin: str | None, action: str) -> SignedIn:
        """A PIN checked (before the write), then the outcome written: the event of
        `action`, or the wrong PIN counted (and perhaps the lockout), then refused."""
        initials = self._initials(initials)
        settings = self.clinic.settings
        if pin is None and settings.require_pin:
            raise Invalid({"pin": "type your PIN"})
        known = self._pin_of(initials)
        self._refuse_locked(known.initials, known.locked_until)
        matched = True  # no PIN asked (require_pin false), none given: as claimed
        if pin is not None:
            if known.pin_hash is None:
                raise PinNotSet(initials)
            from callback_tui.domain.pins import pin_matches

            matched = pin_matches(known.pin_hash, pin)
        refused: ServiceError | None = None
        with self.write(initials) as work:
            staff = self._member(work, initials)
            self._refuse_locked(initials, staff.locked_until)
            if staff.pin_hash != known.pin_hash:  # changed at another desk meanwhile
                raise ServiceError(f"{initials}'s PIN was changed just now: type the new one.")
            before = snapshot(staff)
            if matched:
                staff.failed_pins, staff.locked_until = 0, None
                work.record(action, staff, before if before != snapshot(staff) else None)
            else:
                refused = self._count_failure(work, staff, before)
        if refused is not None:
            raise refused
        return _signed_in(staff)

    def _count_failure(self, work: Work, staff: Staff, before: dict[str, object]) -> ServiceError:
        tries = self.clinic.settings.pin_tries
        staff.failed_pins += 1
        work.record("staff.pin_failed", staff, before)
        if staff.failed_pins < tries:
            return WrongPin(staff.initials, tries - staff.failed_pins)
        before = snapshot(staff)
        staff.failed_pins = 0  # the next tries, after the lockout, count from the start
        staff.locked_until = work.now + timedelta(minutes=self.clinic.settings.pin_lockout_minutes)
        work.record("staff.locked_out", staff, before)
        return self._locked_out(staff.initials, staff.locked_until)

    def _refuse_locked(self, initials: str, until: datetime | None) -> None:
        if until is not None and until > self.clinic.clock.now():
            raise self._locked_out(initials, until)

    def _locked_out(self, initials: str, until: datetime) -> LockedOut:
        """The refusal, with the time on the clinic's clock (and the day, if not today)."""
        calendar = self.clinic.calendar
        local = calendar.local(until)
        today = calendar.local(self.clinic.clock.now()).date()
        shown = f"{local:%H:%M}" if local.date() == today else f"{local:%a %d %b %H:%M}"
        return LockedOut(initials, self.clinic.settings.pin_tries, until, shown)

    def _pin_of(self, initials: str) -> _Pin:
        """The person's PIN state, read outside any write (Invalid: unknown, deactivated)."""
        with Session(self.database.engine) as session:
            staff = session.exec(select(Staff).where(Staff.initials == initials)).first()
            self._refuse_unknown(initials, staff, active=True)
            assert staff is not None
            return _Pin(staff.initials, staff.pin_hash, staff.locked_until)

    def _note(self, initials: str, action: str, **also: str) -> None:
        """An event about the person (locked, signed out); the row itself does not change."""
        initials = self._initials(initials)
        with self.write(initials) as work:
            work.record(action, self._member(work, initials), also=also or None)

    def _set_active(self, actor: str, initials: str, active: bool) -> None:
        initials = self._initials(initials)
        with self.write(actor) as work:
            self._refuse(work, actor)
            staff = self._member(work, initials, active=None)
            if staff.active != active:
                action = "staff.activated" if active else "staff.deactivated"
                self._change(work, staff, action, active=active)

    def _new_pin(self, work: Work, staff: Staff, pin_hash: str | None) -> None:
        """`pin_hash` becomes the person's PIN (None: none, chosen at the next sign-in), and
        any count of wrong PINs or lockout ends. Event staff.pin_set, or staff.pin_reset."""
        action = "staff.pin_set" if pin_hash is not None else "staff.pin_reset"
        self._change(work, staff, action, pin_hash=pin_hash, failed_pins=0, locked_until=None)

    def _change(self, work: Work, staff: Staff, action: str, **values: object) -> None:
        before = snapshot(staff)
        for key, value in values.items():
            setattr(staff, key, value)
        staff.version += 1
        work.record(action, staff, before)

    def _refuse(self, work: Work, actor: str, *, own: bool = False) -> None:
        """NotAllowed unless `actor` may change staff: an active office manager or owner, the
        person themself for their own PIN (`own`), or one who is no staff member (the
        `system` actor) while setting up."""
        found = work.session.exec(select(Staff).where(Staff.initials == actor)).first()
        if found is None and self._setting_up(work.session):
            return
        role = Role(found.role) if found is not None and found.active else None
        said = access.refusal(Act.MANAGE_STAFF, role, own=own and found is not None)
        if said is not None:
            raise NotAllowed(said)

    @staticmethod
    def _setting_up(session: Session) -> bool:
        managers = select(Staff.id).where(
            col(Staff.role).in_(MANAGERS),
            col(Staff.pin_hash).is_not(None),
            col(Staff.active).is_(True),
        )
        return session.exec(managers.limit(1)).first() is None

    def _member(self, work: Work, initials: str, *, active: bool | None = True) -> Staff:
        """The person's row for change; Invalid if unknown (or deactivated, when `active`)."""
        staff = work.session.exec(select(Staff).where(Staff.initials == initials)).first()
        self._refuse_unknown(initials, staff, active=active)
        assert staff is not None
        return staff

    @staticmethod
    def _refuse_unknown(initials: str, staff: Staff | None, *, active: bool | None) -> None:
        if staff is None:
            raise Invalid({"initials": f"no one on the staff list has the initials {initials}"})
        if active and not staff.active:
            raise Invalid({"initials": f"{initials} is deactivated: ask an office manager"})

    @staticmethod
    def _initials(initials: str) -> str:
        try:
            return check_initials(initials)
        except ValueError as exc:
            raise Invalid({"initials": str(exc)}) from None

    @staticmethod
    def _hash(pin: str) -> str:
        """The hash of a new PIN (checked first: Invalid names what a PIN must be)."""
        from callback_tui.domain import pins

        try:
            pins.check_pin(pin)
        except ValueError as exc:
            raise Invalid({"pin": str(exc)}) from None
        return pins.hash_pin(pin)

    @staticmethod
    def _name(name: str, problems: dict[str, str]) -> str:
        try:
            name = text.clean(name, limit=text.NAME_LIMIT)
        except ValueError as exc:
            problems["name"] = f"too long: {exc}"
            return ""
        if not name:
            problems["name"] = "a name is required"
        return name

    @staticmethod
    def _role(role: str, problems: dict[str, str]) -> str:
        if role not in {r.value for r in Role}:
            problems["role"] = f"{role!r} is not one of: {', '.join(r.value for r in Role)}"
        return role
