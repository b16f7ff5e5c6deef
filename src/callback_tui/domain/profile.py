"""A clinic profile: which callbacks each visit reason creates, which messages the desk takes
in and who owns them, the shared pools, the attempt ladder, identity checks and escalation."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from callback_tui.domain import datafile
from callback_tui.domain.datafile import Text
from callback_tui.domain.hours import Span
from callback_tui.domain.targets import Allowance
from callback_tui.domain.vocab import Priority, Role

RoleName = Literal[
    "assistant", "technician", "doctor", "front_desk", "office_manager", "regional_manager", "owner"
]  # fmt: skip
PriorityName = Literal["urgent", "routine", "informational"]
Key = Annotated[str, Meta(pattern=r"^[a-z][a-z0-9_]*$")]
PoolName = Annotated[str, Meta(pattern=r"^[A-Z]{2,4}$")]

PERSON_OWNERS = ("assisted_by", "doctor")
"""Owners a visit's callback rule may name besides a pool: who assisted, the case doctor."""


class Pool(datafile.Strict, frozen=True, kw_only=True):
    """A shared queue, named by pseudo-initials (TA, DESK): anyone in its roles may claim."""

    label: Text
    roles: Annotated[list[RoleName], Meta(min_length=1)]


class CallbackRule(datafile.Strict, frozen=True, kw_only=True):
    """One callback a visit reason creates."""

    kind: Annotated[str, Meta(min_length=1, pattern=r"^[a-z0-9_]+$")]
    label: Text
    owner: Annotated[str, Meta(min_length=1)]
    """"assisted_by" (who assisted the client), "doctor" (the case doctor), or a pool."""
    after_hours: Annotated[int, Meta(ge=0, le=24 * 90)] | None = None
    after_days: Annotated[int, Meta(ge=0, le=365)] | None = None
    doctor_may_call: bool = True
    """`doctor_calls` moves this callback to the case doctor's initials."""
    doctor_calls_at: Literal["unchanged", "evening"] = "unchanged"
    """When the doctor makes the call: unchanged, or the evening of the base day."""
    doctor_interval: bool = False
    """The doctor may set another interval in days (`interval_days`)."""

    def __post_init__(self) -> None:
        if (self.after_hours is None) == (self.after_days is None):
            raise datafile.Refused("", "give exactly one of after_hours or after_days")


class Reason(datafile.Strict, frozen=True, kw_only=True):
    """Why a visit leads to callbacks (surgery, vomiting…)."""

    label: Text
    clinical: bool
    """Unreached clinical callbacks escalate to the case doctor."""
    script: Text
    callbacks: Annotated[list[CallbackRule], Meta(min_length=1)]


class Request(datafile.Strict, frozen=True, kw_only=True):
    """A kind of message the desk takes in (an intake reason): a voicemail about a
    prescription, a web form asking for an appointment. Each becomes one callback."""

    label: Text
    priority: PriorityName = "routine"
    """The usual priority; words in the message may raise it (domain/priority.py)."""
    owner: Annotated[str, Meta(min_length=1)]
    """A pool of the profile, or "doctor": the case doctor when one is named, else `pool`."""
    pool: str | None = None
    """Who takes a "doctor" request when no case doctor is named."""
    clinical: bool = False
    """About symptoms, medication or results: for clinical staff; escalates when unreached."""
    referral: bool = False
    """Tied to a referral: escalates when unreached, like a clinical request."""
    script: Text

    @property
    def escalates(self) -> bool:
        return self.clinical or self.referral

    @property
    def usual_priority(self) -> Priority:
        return Priority(self.priority)


class Identity(datafile.Strict, frozen=True, kw_only=True):
    """Who must be confirmed before a conversation is saved, and how."""

    required: bool = False
    """Whether *spoke* needs identifiers confirmed (never their values: which ones)."""
    confirm: Annotated[int, Meta(ge=1, le=5)] = 2
    identifiers: dict[Key, Text] = msgspec.field(default_factory=dict)
    """The identifiers the caller may confirm, by key, with the words the desk sees."""

    def __post_init__(self) -> None:
        if self.required and len(self.identifiers) < self.confirm:
            raise datafile.Refused(
                "identifiers", f"list at least {self.confirm} identifiers to choose from"
            )


class Escalation(datafile.Strict, frozen=True, kw_only=True):
    """What happens to an unreached clinical or referral callback: a task for the case
    doctor (when one is named) or for everyone in `role`, due within `target` open time."""

    role: RoleName = "doctor"
    target: str = "1h"

    def __post_init__(self) -> None:
        try:
            Allowance.parse(self.target)
        except ValueError as exc:
            raise datafile.Refused("target", str(exc)) from None

    @property
    def allowance(self) -> Allowance:
        return Allowance.parse(self.target)


class Profile(datafile.Strict, frozen=True, kw_only=True):
    name: Text
    description: str = ""
    pools: Annotated[dict[PoolName, Pool], Meta(min_length=1)]
    left_message_completes: bool = True
    """Whether a left message completes a callback (else it is one of the attempts)."""
    max_attempts: Annotated[int, Meta(ge=1, le=10)] = 3
    """Unsuccessful attempts after which a callback closes as unreached."""
    urgent_retry_minutes: Annotated[int, Meta(ge=1, le=240)] = 15
    windows: dict[str, str] | None = None
    """Call windows, "HH:MM-HH:MM" by name (settings may name others)."""
    identity: Identity = msgspec.field(default_factory=Identity)
    escalation: Escalation = msgspec.field(default_factory=Escalation)
    reasons: Annotated[dict[Key, Reason], Meta(min_length=1)]
    requests: dict[Key, Request] = msgspec.field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, text in (self.windows or {}).items():
            try:
                Span.parse(text)
            except ValueError as exc:
                raise datafile.Refused(("windows", name), str(exc)) from None
        for key, reason in self.reasons.items():
            for index, rule in enumerate(reason.callbacks):
                if rule.owner not in PERSON_OWNERS and rule.owner not in self.pools:
                    raise datafile.Refused(
                        ("reasons", key, "callbacks", index, "owner"),
                        f"{rule.owner!r} is none of {self._owners(PERSON_OWNERS)}",
                    )
        for key, request in self.requests.items():
            if key in self.reasons:
                raise datafile.Refused(
                    ("requests", key), f"{key!r} is a visit reason too: give it another name"
                )
            if request.owner not in ("doctor", *self.pools):
                raise datafile.Refused(
                    ("requests", key, "owner"),
                    f"{request.owner!r} is none of {self._owners(('doctor',))}",
                )
            if request.owner == "doctor" and request.pool not in self.pools:
                raise datafile.Refused(
                    ("requests", key, "pool"),
                    "name the pool that takes it when no case doctor is named"
                    f" ({', '.join(self.pools)})",
                )

    def _owners(self, people: tuple[str, ...]) -> str:
        return ", ".join([*people, *self.pools])

    @property
    def identity_required(self) -> bool:
        """Two identifiers (or as many as the profile says) before *spoke* can be saved."""
        return self.identity.required

    @property
    def pool_roles(self) -> Mapping[str, frozenset[Role]]:
        """Each pool's pseudo-initials, with the roles whose members may claim its items."""
        return {name: frozenset(Role(r) for r in pool.roles) for name, pool in self.pools.items()}

    def pools_for(self, role: Role) -> list[str]:
        """The pools a person in `role` may work and claim from."""
        return [name for name, pool in self.pools.items() if role.value in pool.roles]

    def reason(self, key: str) -> Reason:
        try:
            return self.reasons[key]
        except KeyError:
            known = ", ".join(self.reasons)
            raise ValueError(f"unknown reason {key!r} (known: {known})") from None

    def request(self, key: str) -> Request:
        try:
            return self.requests[key]
        except KeyError:
            known = ", ".join(self.requests) or "none in this profile"
            raise ValueError(f"unknown request type {key!r} (known: {known})") from None

    def label(self, key: str) -> str:
        """A visit reason's or a request type's words ("Post-op check")."""
        found = self.reasons.get(key) or self.requests.get(key)
        return found.label if found else key

    def script_of(self, key: str) -> str:
        """The script a callback for this reason or request type reads from."""
        found = self.reasons.get(key) or self.requests.get(key)
        return found.script if found else "general"

    def escalates(self, key: str) -> bool:
        """Whether an unreached callback for this reason or request type escalates.

        One whose reason the profile does not know (renamed since) escalates: better a
        doctor told once too often than a clinical callback that disappears.
        """
        reason = self.reasons.get(key)
        if reason is not None:
            return reason.clinical
        request = self.requests.get(key)
        return request.escalates if request is not None else True

    def route(self, request_key: str, doctor: str | None = None) -> str:
        """Who owns a new message of this type: its pool, or the case doctor when the type
        goes to the doctor and one is named (else the type's fallback pool)."""
        request = self.request(request_key)
        if request.owner != "doctor":
            return request.owner
        if doctor:
            return doctor
        assert request.pool is not None  # checked on load
        return request.pool


def load_profile(path: Path) -> Profile:
    return datafile.load(path, Profile)
