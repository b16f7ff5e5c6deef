"""Phone numbers checked and kept in one form (E.164), shown in the national style."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers

LABELS = ("mobile", "home", "work", "other")
"""What a client's number is; "other" also where nobody said (an import, an older file)."""

UNSAID = "other"

_REMEMBERED = 16_384
"""Numbers whose reading is kept: an import names the same client's phone on many rows, and
parsing one costs more than all the rest of checking its row."""


def normalise(text: str, region: str) -> str:
    """E.164 form of a phone number typed in any usual way; ValueError if it is not valid."""
    raw = text.strip()
    if not raw:
        raise ValueError("a phone number is required")
    e164, problem = _read(raw, region)
    if problem:
        raise ValueError(problem)
    return e164


def check_label(label: str) -> str:
    """One of LABELS (any case); ValueError otherwise."""
    lowered = label.strip().lower()
    if lowered not in LABELS:
        raise ValueError(f"one of: {', '.join(LABELS)}")
    return lowered


@lru_cache(maxsize=_REMEMBERED)
def _read(raw: str, region: str) -> tuple[str, str]:
    """(E.164, "") for a valid number, or ("", why it is not one)."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return "", f"{raw!r} is not a phone number"
    if not phonenumbers.is_valid_number(number):
        return "", f"{raw!r} is not a valid phone number"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), ""


def display(e164: str, region: str) -> str:
    """A stored number as people in the clinic's region write it."""
    try:
        number = phonenumbers.parse(e164, region)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == region:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def search_digits(e164: str, national: str) -> set[str]:
    """What a phone number is found by, each a prefix to search from: the national number,
    its last seven and last four digits, and the number with its country code. So
    "(312) 555-0106", "555-0106", "0106" and "1 312 555 0106" all find it (and any start of
    them: "555" or "312 55")."""
    found = {national, national[-7:], national[-4:], e164.lstrip("+")}
    return {digits for digits in found if digits}


@lru_cache(maxsize=_REMEMBERED)
def national_digits(e164: str, region: str) -> str:
    """The digits people type when searching: the national number, no country code."""
    return str(phonenumbers.parse(e164, region).national_number)
