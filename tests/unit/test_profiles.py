"""Every shipped profile and script book loads, fits together, and keeps voicemails private."""

from __future__ import annotations

from pathlib import Path

import pytest

from callback_tui.clock import FixedClock
from callback_tui.config import Settings, load_clinic
from callback_tui.domain.datafile import DataFileError
from callback_tui.domain.profile import Profile, load_profile
from callback_tui.domain.scripts import fill, load_scripts
from callback_tui.domain.vocab import Priority, Role
from callback_tui.resources import data_dir
from tests.conftest import NOW, TZ, TZ_NAME

PROFILES = sorted(path.stem for path in (data_dir() / "profiles").glob("*.toml"))
PRIVATE = ("{patient}", "{client}")
"""What a voicemail or follow-up text must never say: who the call is about, or to."""


def profile_of(name: str) -> Profile:
    return load_profile(data_dir() / "profiles" / f"{name}.toml")


def test_the_three_profiles_ship() -> None:
    assert PROFILES == ["dental", "medical", "veterinary"]


@pytest.mark.parametrize("name", PROFILES)
def test_each_profile_loads_as_the_clinic_setting(name: str) -> None:
    clinic = load_clinic(Settings(timezone=TZ_NAME, profile=name), FixedClock(tz=TZ, instant=NOW))
    assert clinic.profile.name == name
    assert clinic.policy.max_attempts == 3


@pytest.mark.parametrize("name", PROFILES)
def test_each_reason_and_request_type_has_a_script(name: str) -> None:
    profile = profile_of(name)
    book = load_scripts(data_dir() / "scripts" / f"{name}.toml")
    keys = [*profile.reasons, *profile.requests]
    assert keys
    for key in keys:
        assert profile.script_of(key) in book.scripts, key


@pytest.mark.parametrize("name", PROFILES)
def test_voicemails_and_texts_name_nothing_private(name: str) -> None:
    book = load_scripts(data_dir() / "scripts" / f"{name}.toml")
    for key, script in book.scripts.items():
        for said in (script.voicemail, script.text, book.path_back):
            assert not any(blank in said for blank in PRIVATE), (key, said)
            assert "{clinic_phone}" in said, (key, said)


@pytest.mark.parametrize("name", PROFILES)
def test_red_flags_keep_clinical_advice_and_emergencies_out_of_the_desk(name: str) -> None:
    flags = " ".join(load_scripts(data_dir() / "scripts" / f"{name}.toml").red_flags).lower()
    assert "symptom" in flags or "pain" in flags
    assert "emergency" in flags


@pytest.mark.parametrize("name", ["medical", "dental"])
def test_human_clinics_route_messages_and_check_identity(name: str) -> None:
    profile = profile_of(name)
    assert not profile.left_message_completes
    assert profile.identity.required and profile.identity.confirm == 2
    assert {"dob", "address"} <= set(profile.identity.identifiers)
    wanted = {
        "post_op_check", "new_patient", "appointment_request", "referral_follow_up",
        "prescription_question", "results_question", "telehealth_access", "missed_call",
        "billing",
    }  # fmt: skip
    assert wanted <= set(profile.requests)
    # Clinical requests go to the clinical pool, scheduling to the front desk.
    assert profile.route("prescription_question") == "CLIN"
    assert profile.route("appointment_request") == "DESK"
    assert profile.route("new_patient") == "DESK"
    # Results go to the case doctor when one is named.
    assert profile.route("results_question", doctor="DRW") == "DRW"
    assert profile.route("results_question") == "CLIN"
    assert profile.escalates("results_question") and profile.escalates("referral_follow_up")
    assert not profile.escalates("billing")
    assert profile.request("billing").usual_priority is Priority.INFORMATIONAL
    assert profile.pools_for(Role.TECHNICIAN) == ["CLIN"]
    assert profile.pools_for(Role.FRONT_DESK) == ["DESK"]


def test_the_veterinary_profile_keeps_its_rules_and_takes_messages() -> None:
    profile = profile_of("veterinary")
    assert profile.left_message_completes
    assert not profile.identity.required
    assert profile.pools_for(Role.TECHNICIAN) == ["SA", "TA"]
    assert profile.pools_for(Role.ASSISTANT) == ["SA"]
    assert profile.route("appointment_request") == "DESK"
    assert profile.route("pet_concern") == "TA"
    assert profile.escalates("surgery") and profile.escalates("referral_question")


def test_scripts_fill_the_follow_up_text_and_the_path_back() -> None:
    book = load_scripts(data_dir() / "scripts" / "medical.toml")
    said = fill(book, "appointment", {"clinic": "Lakeside Family Practice", "caller": "Frankie"})
    assert said.text.startswith("Lakeside Family Practice:")
    assert "Lakeside Family Practice" in said.path_back


def write(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = (data_dir() / "profiles" / f"{name}.toml").read_text()
    assert old in text, old
    path = tmp_path / f"{name}.toml"
    path.write_text(text.replace(old, new, 1))
    return path


def line_of(path: Path, fragment: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if fragment in line)


def test_a_request_owned_by_an_unknown_pool_names_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "medical",
        'owner = "DESK"\nscript = "new_patient"',
        'owner = "FRONT"\nscript = "new_patient"',
    )
    with pytest.raises(DataFileError) as caught:
        load_profile(path)
    assert caught.value.key == "requests.new_patient.owner"
    assert caught.value.line == line_of(path, 'owner = "FRONT"')
    assert "'FRONT' is none of doctor, CLIN, DESK" in caught.value.problem


def test_a_doctor_request_needs_a_pool_for_when_no_doctor_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "medical", 'owner = "doctor"\npool = "CLIN"', 'owner = "doctor"')
    with pytest.raises(DataFileError) as caught:
        load_profile(path)
    assert caught.value.key == "requests.results_question.pool"


def test_identity_needs_enough_identifiers_to_choose_from(tmp_path: Path) -> None:
    path = write(tmp_path, "dental", "confirm = 2", "confirm = 5")
    with pytest.raises(DataFileError) as caught:
        load_profile(path)
    assert caught.value.key == "identity.identifiers"
    assert "at least 5 identifiers" in caught.value.problem


def test_a_bad_priority_or_escalation_target_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "medical", 'priority = "urgent"', 'priority = "asap"')
    with pytest.raises(DataFileError) as caught:
        load_profile(path)
    assert caught.value.key == "requests.symptom_concern.priority"
    path = write(tmp_path, "medical", 'target = "1h"', 'target = "soon"')
    with pytest.raises(DataFileError) as caught:
        load_profile(path)
    assert (caught.value.key, caught.value.line) == ("escalation.target", line_of(path, "soon"))


def test_an_unknown_profile_is_named_with_the_known_ones() -> None:
    with pytest.raises(
        DataFileError, match=r"no such profile \(known: dental, medical, veterinary\)"
    ):
        load_clinic(Settings(profile="optician"))


def test_settings_may_override_the_profile_ladder(tmp_path: Path) -> None:
    settings = Settings(
        timezone=TZ_NAME, profile="medical", max_attempts=4, left_message_completes=True
    )
    clinic = load_clinic(settings, FixedClock(tz=TZ, instant=NOW))
    assert clinic.policy.max_attempts == 4 and clinic.policy.left_message_completes
    assert [w.name for w in clinic.calendar.windows] == ["morning", "afternoon", "evening"]
