"""PINs: what one may be, and its Argon2id hash (argon2-cffi), the only form ever kept.

argon2 is imported when a PIN is first hashed or checked, never on the way to the first
painted screen. A check takes a noticeable moment (tens of milliseconds, by design): the
screens run it in a worker thread.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from argon2 import Parameters, PasswordHasher

PIN_MIN = 4
PIN_MAX = 8
DEMO_PIN = "1234"
"""Every demo person's PIN (demo.py gives it to them; the demo's sign-in says it)."""
_PIN = re.compile(rf"[0-9]{{{PIN_MIN},{PIN_MAX}}}")

_hasher: PasswordHasher | None = None
_parameters: Parameters | None = None


def check_pin(text: str) -> str:
    """The PIN as kept: 4 to 8 digits. ValueError in words otherwise (never repeating it)."""
    if not _PIN.fullmatch(text):
        raise ValueError(f"a PIN is {PIN_MIN} to {PIN_MAX} digits")
    return text


def use_parameters(parameters: Parameters | None) -> None:
    """Hash new PINs with `parameters` (None: argon2-cffi's default, RFC 9106's low-memory
    profile). Tests use `argon2.profiles.CHEAPEST`; a PIN hashed with other parameters is
    still checked with its own, which its hash carries."""
    global _hasher, _parameters
    _parameters = parameters
    _hasher = None


def hasher() -> PasswordHasher:
    """The Argon2id hasher (made once, on first use)."""
    global _hasher
    if _hasher is None:
        from argon2 import PasswordHasher

        _hasher = (
            PasswordHasher() if _parameters is None else PasswordHasher.from_parameters(_parameters)
        )
    return _hasher


def hash_pin(pin: str) -> str:
    """The Argon2id hash of a checked PIN (with its own random salt)."""
    return hasher().hash(check_pin(pin))


def pin_matches(pin_hash: str, pin: str) -> bool:
    """Whether `pin` is the one `pin_hash` was made from. A damaged hash matches nothing."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return hasher().verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False
