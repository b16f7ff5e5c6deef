"""The service layer: every write to the database, each one transaction with its audit events.

Screens and commands call a `FrontDesk`; nothing else writes. Its desks each serve one kind of
record (staff, callbacks, notes, tasks, incidents) around the one unit of work in unit.py: a
method either commits everything it set out to do, with an event for each record it changed,
or nothing.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from callback_tui.config import Clinic
from callback_tui.store.callback_desk import CallbackDesk, CallOutcome, Logged, Released
from callback_tui.store.client_desk import ClientDesk, ClientDetails, PhoneEntry
from callback_tui.store.engine import Database
from callback_tui.store.errors import (
    DeskError,
    Invalid,
    LockedOut,
    NotAllowed,
    NoteIsFinal,
    NotFound,
    PinNotSet,
    ServiceError,
    StaleVersion,
    TooEarly,
    WrongPin,
)
from callback_tui.store.message_desk import MessageDesk
from callback_tui.store.note_desk import NewNote, NoteDesk, NoteRef
from callback_tui.store.staff_desk import SignedIn, StaffDesk
from callback_tui.store.task_desk import NumberCheck, TaskDesk
from callback_tui.store.visit_desk import Imported

if TYPE_CHECKING:
    from callback_tui.store.incident_desk import IncidentDesk

__all__ = [
    "CallOutcome",
    "ClientDetails",
    "DeskError",
    "FrontDesk",
    "Imported",
    "Invalid",
    "LockedOut",
    "Logged",
    "NewNote",
    "NotAllowed",
    "NotFound",
    "NoteIsFinal",
    "NoteRef",
    "NumberCheck",
    "PhoneEntry",
    "PinNotSet",
    "Released",
    "ServiceError",
    "SignedIn",
    "StaleVersion",
    "TooEarly",
    "WrongPin",
]


class FrontDesk:
    """Every write the front desk makes, by what it serves."""

    def __init__(self, database: Database, clinic: Clinic) -> None:
        self.database = database
        self.clinic = clinic
        self.staff = StaffDesk(database, clinic)
        self.callbacks = CallbackDesk(database, clinic)
        self.notes = NoteDesk(database, clinic)
        self.tasks = TaskDesk(database, clinic)
        self.clients = ClientDesk(database, clinic)
        self.messages = MessageDesk(database, clinic)

    @cached_property
    def incidents(self) -> IncidentDesk:
        """The writes of upset-patient incidents (loaded when first used)."""
        from callback_tui.store.incident_desk import IncidentDesk

        return IncidentDesk(self.database, self.clinic)
