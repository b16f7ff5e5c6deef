"""PINs: their shape, and the Argon2id hash that is all ever kept of them."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from callback_tui.domain import pins


@pytest.mark.parametrize("pin", ["1234", "00000000", "90210"])
def test_a_pin_is_four_to_eight_digits(pin: str) -> None:
    assert pins.check_pin(pin) == pin


@pytest.mark.parametrize("pin", ["", "123", "123456789", "12a4", " 1234", "1234\n", "١٢٣٤"])
def test_anything_else_is_refused_in_words_without_repeating_it(pin: str) -> None:
    with pytest.raises(ValueError, match="a PIN is 4 to 8 digits") as refused:
        pins.check_pin(pin)
    assert pin.strip() == "" or pin.strip() not in str(refused.value)


def test_the_hash_is_argon2id_salted_and_never_the_pin() -> None:
    first, second = pins.hash_pin("4821"), pins.hash_pin("4821")
    assert first.startswith("$argon2id$") and "4821" not in first
    assert first != second  # each with its own salt
    assert pins.pin_matches(first, "4821") and pins.pin_matches(second, "4821")
    assert not pins.pin_matches(first, "4822")


def test_a_damaged_hash_matches_nothing() -> None:
    assert not pins.pin_matches("not a hash", "4821")
    assert not pins.pin_matches("", "4821")


def test_real_parameters_by_default_and_old_hashes_still_check() -> None:
    """The suite hashes cheaply (conftest); a clinic gets argon2-cffi's defaults, and a hash
    made with other parameters is checked with its own."""
    cheap = pins.hash_pin("4821")
    pins.use_parameters(None)
    try:
        assert pins.hasher().time_cost == PasswordHasher().time_cost
        assert pins.pin_matches(cheap, "4821")
    finally:
        from argon2.profiles import CHEAPEST

        pins.use_parameters(CHEAPEST)


def test_a_malformed_pin_is_never_hashed() -> None:
    with pytest.raises(ValueError):
        pins.hash_pin("12")
