"""A clinic profile: which callbacks each reason creates, who owns them, when they are due."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from callback_tui.domain import datafile
from callback_tui.domain.vocab import POOLS

OwnerRule = Literal["assisted_by", "doctor", "TA", "SA"]


class CallbackRule(datafile.Strict):
    """One callback a reason creates."""

    kind: str = Field(min_length=1, pattern=r"^[a-z0-9_]+$")
    label: str = Field(min_length=1)
    owner: OwnerRule
    after_hours: int | None = Field(default=None, ge=0, le=24 * 90)
    after_days: int | None = Field(default=None, ge=0, le=365)
    doctor_may_call: bool = True
    """`doctor_calls` moves this callback to the case doctor's initials."""
    doctor_calls_at: Literal["unchanged", "evening"] = "unchanged"
    """When the doctor makes the call: unchanged, or the evening of the base day."""
    doctor_interval: bool = False
    """The doctor may set another interval in days (`interval_days`)."""

    @model_validator(mode="after")
    def _one_delay(self) -> CallbackRule:
        if (self.after_hours is None) == (self.after_days is None):
            raise ValueError("give exactly one of after_hours or after_days")
        return self


class Reason(datafile.Strict):
    label: str = Field(min_length=1)
    clinical: bool
    """Unreached clinical callbacks escalate to the case doctor."""
    script: str = Field(min_length=1)
    callbacks: list[CallbackRule] = Field(min_length=1)


class Profile(datafile.Strict):
    name: str = Field(min_length=1)
    description: str = ""
    left_message_completes: bool = True
    max_attempts: int = Field(default=3, ge=1, le=10)
    """Unsuccessful attempts after which a callback closes as unreached."""
    urgent_retry_minutes: int = Field(default=15, ge=1, le=240)
    identity_required: bool = False
    """Two identifiers must be verified before a call can be saved as spoke."""
    reasons: dict[str, Reason] = Field(min_length=1)

    @model_validator(mode="after")
    def _reason_keys(self) -> Profile:
        for key in self.reasons:
            if not key.replace("_", "").isalnum() or key != key.lower():
                raise ValueError(f"reason {key!r}: use lower-case letters, digits and _")
        return self

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
