"""The words of the front desk, as closed sets."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta
from enum import StrEnum


class Role(StrEnum):
    ASSISTANT = "assistant"
    TECHNICIAN = "technician"
    DOCTOR = "doctor"
    FRONT_DESK = "front_desk"
    OFFICE_MANAGER = "office_manager"
    REGIONAL_MANAGER = "regional_manager"
    OWNER = "owner"

    @property
    def label(self) -> str:
        """As people say it: "office manager"."""
        return self.value.replace("_", " ")


class Status(StrEnum):
    OPEN = "open"
    COMPLETED = "completed"
    UNREACHED = "unreached"
    CANCELLED = "cancelled"


class Outcome(StrEnum):
    SPOKE = "spoke"
    LEFT_MESSAGE = "left_message"
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    WRONG_NUMBER = "wrong_number"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class Priority(StrEnum):
    URGENT = "urgent"
    ROUTINE = "routine"
    INFORMATIONAL = "informational"


class Source(StrEnum):
    """Where a callback came from: a visit, or the channel a message arrived by."""

    VISIT = "visit"
    PHONE = "phone"
    """A phone call taken at the desk."""
    REFERRAL_CLINIC = "referral_clinic"
    VOICEMAIL = "voicemail"
    MISSED_CALL = "missed_call"
    TEXT = "text"
    EMAIL = "email"
    WEB_FORM = "web_form"
    PORTAL = "portal"
    """A message in the patient portal."""
    REFERRAL_QUESTION = "referral_question"
    APPOINTMENT_REQUEST = "appointment_request"
    TELEHEALTH = "telehealth"
    """A telehealth problem (could not join, no sound…)."""

    @property
    def label(self) -> str:
        return _SOURCE_LABELS.get(self.value, self.value.replace("_", " "))


_SOURCE_LABELS = {"email": "e-mail", "portal": "portal message", "telehealth": "telehealth problem"}

VISIT_SOURCES = (Source.VISIT, Source.PHONE, Source.REFERRAL_CLINIC)
"""Where a callback added by hand for a visit comes from."""

MESSAGE_SOURCES = (
    Source.VOICEMAIL,
    Source.MISSED_CALL,
    Source.TEXT,
    Source.EMAIL,
    Source.WEB_FORM,
    Source.PORTAL,
    Source.REFERRAL_QUESTION,
    Source.APPOINTMENT_REQUEST,
    Source.TELEHEALTH,
    Source.PHONE,
)
"""The channels a message arrives by, as the intake form offers them."""


class Channel(StrEnum):
    PHONE = "phone"
    TEXT = "text"


class NoteStatus(StrEnum):
    DRAFT = "draft"
    FINAL = "final"


DRAFT_WAITS_TOO_LONG = timedelta(hours=24)
"""A draft older than this stands out in the inbox: the doctor has not seen to it in a day."""


class NoteKind(StrEnum):
    MEDICAL = "medical"
    COMMUNICATION = "communication"
    """A log of what was said, outside a clinical encounter."""


class NoteOrigin(StrEnum):
    CALL = "call"
    """A concern raised while logging a callback."""
    CLIENT_UPDATE = "client_update"
    """The client called back with news."""
    INCIDENT = "incident"


class TaskKind(StrEnum):
    VERIFY_NUMBER = "verify_number"
    """A call reached a wrong number: done by giving the right one (or saying none was found)."""


POOLS: Mapping[str, frozenset[Role]] = {
    # General medical questions an RVT answers.
    "TA": frozenset({Role.TECHNICIAN}),
    # Surgery / CORE post-op calls, for a surgery RVT or assistant.
    "SA": frozenset({Role.TECHNICIAN, Role.ASSISTANT}),
}
"""Shared queues by pseudo-initials, with the roles whose members may claim their items: the
veterinary profile's, where no profile says otherwise (each profile names its own pools)."""

_INITIALS = re.compile(r"[A-Z]{2,4}")


def check_initials(text: str) -> str:
    """Initials as stored: 2-4 capital letters (lower case is accepted and raised)."""
    initials = text.strip().upper()
    if not _INITIALS.fullmatch(initials):
        raise ValueError(f"initials must be 2 to 4 letters, not {text.strip()!r}")
    return initials


def pools_for(role: Role, pools: Mapping[str, frozenset[Role]] = POOLS) -> list[str]:
    """The pools a person in `role` may work and claim from."""
    return [pool for pool, roles in pools.items() if role in roles]
