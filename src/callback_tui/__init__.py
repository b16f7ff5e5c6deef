"""callback-tui: the front desk's follow-up calls, in the terminal."""

__version__ = "0.7.0"
