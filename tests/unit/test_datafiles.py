"""Profiles and settings are checked on load; errors name the file, the key and the line."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from callback_tui.config import Settings, load_settings
from callback_tui.domain.datafile import DataFileError
from callback_tui.domain.profile import load_profile
from callback_tui.domain.scripts import fill, load_scripts
from callback_tui.resources import data_dir

VET = data_dir() / "profiles" / "veterinary.toml"


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = VET.read_text()
    assert old in text, old
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, 1))
    return path


def line_of(path: Path, fragment: str, occurrence: int = 1) -> int:
    hits = [n for n, line in enumerate(path.read_text().splitlines(), 1) if fragment in line]
    return hits[occurrence - 1]


def test_the_shipped_profile_and_scripts_load() -> None:
    profile = load_profile(VET)
    book = load_scripts(data_dir() / "scripts" / "veterinary.toml")
    for reason in profile.reasons.values():
        assert reason.script in book.scripts


def test_an_unknown_key_names_file_key_and_line(tmp_path: Path) -> None:
    path = broken(tmp_path, 'label = "Vomiting"', 'label = "Vomiting"\ncolour = "red"')
    with pytest.raises(DataFileError) as caught:
        load_profile(path)
    error = caught.value
    assert (error.key, error.line, error.problem) == (
        "reasons.vomiting.colour",
        line_of(path, "colour"),
        "unknown key",
    )
    assert str(path) in str(error)


def test_a_bad_value_in_the_second_entry_names_that_entry(tmp_path: Path) -> None:
    path = broken(tmp_path, "after_days = 3", "after_days = -3")
    with pytest.raises(DataFileError) as caught:
        load_profile(path)
    assert caught.value.key == "reasons.surgery.callbacks[1].after_days"
    assert caught.value.line == line_of(path, "after_days = -3")


def test_an_unknown_owner_is_refused(tmp_path: Path) -> None:
    path = broken(tmp_path, 'owner = "TA"', 'owner = "XY"')
    with pytest.raises(DataFileError) as caught:
        load_profile(path)
    assert caught.value.key == "reasons.general_question.callbacks[0].owner"
    assert caught.value.line == line_of(path, 'owner = "XY"')


def test_both_delays_are_refused(tmp_path: Path) -> None:
    path = broken(tmp_path, "after_days = 3", "after_days = 3\nafter_hours = 2")
    with pytest.raises(DataFileError, match="exactly one of after_hours or after_days"):
        load_profile(path)


def test_broken_toml_names_the_line(tmp_path: Path) -> None:
    path = broken(tmp_path, 'label = "Urinary"', 'label = "Urinary')
    with pytest.raises(DataFileError) as caught:
        load_profile(path)
    assert caught.value.line == line_of(path, 'label = "Urinary')


def test_settings_refuse_a_bad_opening_span(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('clinic_name = "Riverside"\n\n[hours]\nmon = "18:00-08:00"\n')
    with pytest.raises(DataFileError) as caught:
        load_settings(path)
    assert (caught.value.key, caught.value.line) == ("hours", 3)
    assert "ends before it starts" in caught.value.problem


def test_settings_refuse_an_unknown_time_zone(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('timezone = "Mars/Olympus"\n')
    with pytest.raises(DataFileError, match="unknown time zone"):
        load_settings(path)


def test_a_missing_settings_file_means_defaults(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CALLBACK_TUI_SETTINGS", str(tmp_path / "none.toml"))
    with pytest.raises(DataFileError, match="cannot be read"):
        load_settings()
    monkeypatch.delenv("CALLBACK_TUI_SETTINGS")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert load_settings() == Settings()


def test_scripts_fill_names_once_and_keep_braces_literal() -> None:
    book = load_scripts(data_dir() / "scripts" / "veterinary.toml")
    spoken = fill(book, "post_op", {"client": "Ann {patient}", "patient": "Rex", "caller": "AB"})
    assert spoken.greeting.startswith("Hello, may I speak with Ann {patient}?")
    assert "Rex" not in spoken.voicemail  # the voicemail never names the patient
    assert "{clinic}" in spoken.greeting  # an unknown placeholder stays visible, not an error


def test_settings_name_an_unknown_day_and_its_line(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[hours]\nmon = "08:00-18:00"\nfrx = "08:00-12:00"\n')
    with pytest.raises(DataFileError) as caught:
        load_settings(path)
    assert (caught.value.key, caught.value.line, caught.value.problem) == (
        "hours.frx",
        3,
        "unknown key",
    )


@pytest.mark.parametrize(
    ("line", "key", "problem"),
    [
        ('doctor_evening_call = "25:00"', "doctor_evening_call", "use HH:MM, such as 20:00"),
        ('closures = ["2026-13-01"]', "closures[0]", "not a date (YYYY-MM-DD) (got '2026-13-01')"),
        ("refresh_seconds = 100", "refresh_seconds", "<= 60.0 (got 100)"),
    ],
)
def test_settings_say_what_a_bad_value_should_be(
    tmp_path: Path, line: str, key: str, problem: str
) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(f'clinic_name = "Riverside"\n{line}\n')
    with pytest.raises(DataFileError) as caught:
        load_settings(path)
    assert (caught.value.key, caught.value.line) == (key, 2)
    assert problem in caught.value.problem


def test_settings_read_the_evening_call_time(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('doctor_evening_call = "19:30"\ntimezone = "America/Chicago"\n')
    assert load_settings(path).calendar().evening_call == time(19, 30)
