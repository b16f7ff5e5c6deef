"""Settings (a TOML file) and paths (platformdirs), bundled with the clinic's rules."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import msgspec
import platformdirs
from msgspec import Meta

from callback_tui.clock import Clock, make_clock, zone
from callback_tui.domain import datafile
from callback_tui.domain.hours import WEEKDAYS, Calendar, CallWindow, Span
from callback_tui.domain.incidents import load_words
from callback_tui.domain.ladder import Policy
from callback_tui.domain.profile import Profile, load_profile
from callback_tui.domain.scripts import ScriptBook, load_scripts
from callback_tui.domain.vocab import Role
from callback_tui.resources import data_dir

if TYPE_CHECKING:
    from callback_tui.domain.intake import Problems, VisitForm

APP_NAME = "callback-tui"
DB_ENV = "CALLBACK_TUI_DB"
SETTINGS_ENV = "CALLBACK_TUI_SETTINGS"

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _default_hours() -> dict[Weekday, str]:
    weekday = "08:00-18:00"
    return {
        "mon": weekday, "tue": weekday, "wed": weekday, "thu": weekday, "fri": weekday,
        "sat": "08:00-12:00", "sun": "closed",
    }  # fmt: skip


def _default_windows() -> dict[str, str]:
    return {"morning": "08:00-12:00", "afternoon": "12:00-17:00", "evening": "17:00-19:00"}


class Settings(datafile.Strict, frozen=True, kw_only=True):
    """A clinic's settings file (every key optional)."""

    clinic_name: datafile.Text = "the clinic"
    clinic_phone: str = "our main number"
    timezone: str | None = None
    """IANA name such as "America/Chicago"; the machine's zone when unset."""
    phone_region: Annotated[str, Meta(pattern=r"^[A-Z]{2}$")] = "US"
    profile: Annotated[str, Meta(pattern=r"^[a-z0-9_\-]+$")] = "veterinary"
    hours: dict[Weekday, str] = msgspec.field(default_factory=_default_hours)
    """Opening hours per weekday, "HH:MM-HH:MM" or "closed"; a missing day is closed."""
    closures: list[date] = msgspec.field(default_factory=list)
    windows: dict[str, str] = msgspec.field(default_factory=_default_windows)
    doctor_evening_call: str = "20:00"
    """When a doctor's evening call is due, "HH:MM"."""
    refresh_seconds: Annotated[float, Meta(ge=0.2, le=60)] = 2.0
    autosave_seconds: Annotated[float, Meta(ge=0.5, le=60)] = 3.0
    """How often the note editor keeps what is typed: the most a crash can lose."""

    def __post_init__(self) -> None:
        if self.timezone is not None:
            _check("timezone", zone, self.timezone)
        for text in self.hours.values():
            if text != "closed":
                _check("hours", Span.parse, text)
        for text in self.windows.values():
            _check("windows", Span.parse, text)
        _check("doctor_evening_call", _clock_time, self.doctor_evening_call)

    def calendar(self) -> Calendar:
        spans = {day: self.hours.get(day, "closed") for day in WEEKDAYS}  # type: ignore[call-overload]
        weekly = {
            index: None if spans[day] == "closed" else Span.parse(spans[day])
            for index, day in enumerate(WEEKDAYS)
        }
        if not any(weekly.values()):
            raise ValueError("settings: the clinic must be open on at least one weekday")
        windows = tuple(CallWindow(name, Span.parse(text)) for name, text in self.windows.items())
        return Calendar(
            tz=zone(self.timezone),
            weekly=weekly,
            closures=frozenset(self.closures),
            windows=tuple(sorted(windows, key=lambda w: w.span.start)),
            evening_call=time.fromisoformat(self.doctor_evening_call),
        )


def _check(key: str, parse: Any, text: str) -> None:
    """`parse(text)`, its refusal named after the settings key it is about."""
    try:
        parse(text)
    except ValueError as exc:
        raise datafile.Refused(key, str(exc)) from None


def _clock_time(text: str) -> time:
    if not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", text):
        raise ValueError(f"use HH:MM, such as 20:00 (got {text!r})")
    return time.fromisoformat(text)


def default_db_path() -> Path:
    return platformdirs.user_data_path(APP_NAME) / "callback.db"


def default_settings_path() -> Path:
    return platformdirs.user_config_path(APP_NAME) / "settings.toml"


class ConfigError(ValueError):
    """A path or name given on the command line that cannot be used; the message says why."""


def resolve_db(cli_value: str | None) -> str:
    """The database the user asked for: --db, else $CALLBACK_TUI_DB, else the default file.

    An empty --db is refused rather than read as "not given": it is a mistake (an unset
    shell variable, say), and quietly opening the default file would write to the wrong one.
    """
    if cli_value is not None and not cli_value.strip():
        raise ConfigError("--db is empty: give a file path or a database URL")
    return cli_value or os.environ.get(DB_ENV) or str(default_db_path())


def load_settings(path: Path | None = None) -> Settings:
    """Settings from `path`, $CALLBACK_TUI_SETTINGS or the default file; defaults when absent."""
    named = path or os.environ.get(SETTINGS_ENV)
    if named is None:
        default = default_settings_path()
        return datafile.load(default, Settings) if default.exists() else Settings()
    return datafile.load(Path(named), Settings)


@dataclass
class Clinic:
    """Everything the rules need: settings, profile, scripts, calendar and clock."""

    settings: Settings
    profile: Profile
    scripts: ScriptBook
    calendar: Calendar
    clock: Clock
    review_words: tuple[str, ...] = ()
    """Clinical words a public review reply must not contain."""
    policy: Policy = field(init=False)

    def __post_init__(self) -> None:
        self.policy = Policy(
            left_message_completes=self.profile.left_message_completes,
            max_attempts=self.profile.max_attempts,
            urgent_retry_minutes=self.profile.urgent_retry_minutes,
        )

    def read_visit(
        self, fields: Mapping[str, str | None], staff: Mapping[str, Role]
    ) -> tuple[VisitForm | None, Problems]:
        """Check a visit (form or import row) against this clinic's rules, zone and region."""
        # Imported here: the phone number library is not needed to paint the queue.
        from callback_tui.domain.intake import read_visit

        return read_visit(
            fields,
            profile=self.profile,
            staff=staff,
            calendar=self.calendar,
            region=self.settings.phone_region,
        )


def load_clinic(settings: Settings | None = None, clock: Clock | None = None) -> Clinic:
    """The clinic as configured. Raises DataFileError / ValueError naming what is wrong."""
    settings = settings or load_settings()
    calendar = settings.calendar()
    folder = data_dir()
    profile_path = folder / "profiles" / f"{settings.profile}.toml"
    if not profile_path.exists():
        raise datafile.DataFileError(profile_path, "profile", None, "no such profile")
    profile: Profile = load_profile(profile_path)
    scripts = load_scripts(folder / "scripts" / f"{settings.profile}.toml")
    return Clinic(
        settings=settings,
        profile=profile,
        scripts=scripts,
        calendar=calendar,
        clock=clock or make_clock(settings.timezone),
        review_words=load_words(folder / "incidents" / "review_words.txt"),
    )
