"""Messages the screens send each other."""

from __future__ import annotations

from textual.message import Message


class DataChanged(Message):
    """Something was committed (here or at another desk): reload what is shown."""
