"""A clinic profile: which callbacks each reason creates, who owns them, when they are due."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from msgspec import Meta

from callback_tui.domain import datafile
from callback_tui.domain.datafile import Text
from callback_tui.domain.vocab import POOLS

OwnerRule = Literal["assisted_by", "doctor", "TA", "SA"]


class CallbackRule(datafile.Strict, frozen=True, kw_only=True):
    """One callback a reason creates."""

    kind: Annotated[str, Meta(min_length=1, pattern=r"^[a-z0-9_]+$")]
    label: Text
    owner: OwnerRule
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
    label: Text
    clinical: bool
    """Unreached clinical callbacks escalate to the case doctor."""
    script: Text
    callbacks: Annotated[list[CallbackRule], Meta(min_length=1)]


class Profile(datafile.Strict, frozen=True, kw_only=True):
    name: Text
    description: str = ""
    left_message_completes: bool = True
    max_attempts: Annotated[int, Meta(ge=1, le=10)] = 3
    """Unsuccessful attempts after which a callback closes as unreached."""
    urgent_retry_minutes: Annotated[int, Meta(ge=1, le=240)] = 15
    identity_required: bool = False
    """Two identifiers must be verified before a call can be saved as spoke."""
    reasons: Annotated[dict[str, Reason], Meta(min_length=1)]

    def __post_init__(self) -> None:
        for key in self.reasons:
            if not key.replace("_", "").isalnum() or key != key.lower():
                raise datafile.Refused(
                    f"reasons.{key}", f"reason {key!r}: use lower-case letters, digits and _"
                )

    def reason(self, key: str) -> Reason:
        try:
            return self.reasons[key]
        except KeyError:
            known = ", ".join(self.reasons)
            raise ValueError(f"unknown reason {key!r} (known: {known})") from None

    def label(self, key: str) -> str:
        found = self.reasons.get(key)
        return found.label if found else key


assert set(POOLS) == {"TA", "SA"}, "OwnerRule lists the pools by name"


def load_profile(path: Path) -> Profile:
    return datafile.load(path, Profile)
