"""Where the shipped data files (profiles, scripts, demo clinic) are."""

from __future__ import annotations

from pathlib import Path


def data_dir() -> Path:
    """`callback_tui/data` in an installed wheel; the repository's `data/` in a checkout."""
    packaged = Path(__file__).with_name("data")
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "data"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("callback-tui's data files are missing: reinstall the package")
