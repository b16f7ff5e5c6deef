"""Settings (a TOML file) and paths (platformdirs), bundled with the clinic's rules."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import msgspec
import platformdirs
from msgspec import Meta

from callback_tui.clock import Clock, make_clock, zone
from callback_tui.domain import datafile
from callback_tui.domain.hours import (
    WEEKDAYS,
    Calendar,
    CallWindow,
    PublicHolidays,
    Span,
    holidays_of,
)
from callback_tui.domain.incidents import load_words
from callback_tui.domain.ladder import Policy
from callback_tui.domain.profile import Profile, load_profile
from callback_tui.domain.scripts import ScriptBook, load_scripts
from callback_tui.domain.targets import DEFAULT_TARGETS, Allowance, Targets, response_target
from callback_tui.domain.vocab import Priority, Role
from callback_tui.resources import data_dir

if TYPE_CHECKING:
    from callback_tui.domain.intake import Problems, VisitForm
    from callback_tui.domain.messages import MessageForm
    from callback_tui.domain.priority import Suggestion, UrgentWords

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


DEFAULT_WINDOWS = {"morning": "08:00-12:00", "afternoon": "12:00-17:00", "evening": "17:00-19:00"}
"""Call windows when neither the settings nor the profile name any."""

PriorityName = Literal["urgent", "routine", "informational"]

GoalName = Literal["on_time", "overdue", "wait_median", "within_target", "reach_rate",
                   "first_call", "booking_rate", "old_drafts"]  # fmt: skip
"""The measures a clinic may set a goal for (domain/measures.py GOAL_KEYS; a test holds the
two together)."""


def _default_targets() -> dict[PriorityName, str]:
    return {priority.value: text for priority, text in DEFAULT_TARGETS.items()}


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
    holidays_country: Annotated[str, Meta(pattern=r"^[A-Z]{2,3}$")] | None = None
    """Close on this country's public holidays ("US", "GB", "CA"…); none when unset."""
    holidays_region: Annotated[str, Meta(min_length=1, max_length=10)] | None = None
    """The state or province whose own holidays count too ("IL", "ON"…)."""
    windows: dict[str, str] | None = None
    """Call windows, "HH:MM-HH:MM" by name; the profile's, else morning, afternoon, evening."""
    targets: dict[PriorityName, str] = msgspec.field(default_factory=_default_targets)
    """Response targets by priority: open time ("1h", "90m") or business days ("1d")."""
    max_attempts: Annotated[int, Meta(ge=1, le=10)] | None = None
    """Unsuccessful attempts before a callback closes as unreached; the profile's when unset."""
    urgent_retry_minutes: Annotated[int, Meta(ge=1, le=240)] | None = None
    """How soon an urgent callback is tried again after its first miss; the profile's when unset."""
    left_message_completes: bool | None = None
    """Whether a left message completes a callback; the profile's when unset."""
    doctor_evening_call: str = "20:00"
    """When a doctor's evening call is due, "HH:MM"."""
    refresh_seconds: Annotated[float, Meta(ge=0.2, le=60)] = 2.0
    autosave_seconds: Annotated[float, Meta(ge=0.5, le=60)] = 3.0
    """How often the note editor keeps what is typed: the most a crash can lose."""
    require_pin: bool = True
    """Sign in with initials and a PIN. False keeps the initials-only picker: anyone may
    act as anyone, and the audit trail says who was claimed, not who it was."""
    idle_lock_minutes: Annotated[int, Meta(ge=1, le=240)] = 5
    """Minutes without a key or the mouse before the lock screen covers everything."""
    pin_tries: Annotated[int, Meta(ge=3, le=10)] = 5
    """Wrong PINs in a row before that person is locked out."""
    pin_lockout_minutes: Annotated[int, Meta(ge=1, le=1440)] = 15
    """How long a lockout lasts."""
    privacy_seconds: Annotated[int, Meta(ge=0, le=600)] = 60
    """The privacy key's blank screen returns without a PIN within this time."""
    export_folder: str | None = None
    """Where the reports screen writes its CSV files; Documents/callback-tui when unset."""
    goals: dict[GoalName, Annotated[float, Meta(ge=0, le=100_000)]] = msgspec.field(
        default_factory=dict
    )
    """The reports' goals, by measure: a share in percent (`first_call = 80`), a wait in open
    minutes (`wait_median = 120`), a count (`old_drafts = 0`). They replace the defaults of
    domain/measures.py one by one."""

    def __post_init__(self) -> None:
        if self.timezone is not None:
            _check("timezone", zone, self.timezone)
        for text in self.hours.values():
            if text != "closed":
                _check("hours", Span.parse, text)
        for text in (self.windows or {}).values():
            _check("windows", Span.parse, text)
        for priority, text in self.targets.items():
            _check(f"targets.{priority}", Allowance.parse, text)
        _check("doctor_evening_call", _clock_time, self.doctor_evening_call)
        if self.holidays_region is not None and self.holidays_country is None:
            raise datafile.Refused("holidays_region", "name the country too (holidays_country)")
        if self.holidays_country is not None:
            country, region = self.holidays_country, self.holidays_region
            _check("holidays_region" if region else "holidays_country", _holidays, country, region)

    def response_targets(self) -> Targets:
        return Targets.parse({str(key): text for key, text in self.targets.items()})

    def calendar(self, windows: Mapping[str, str] | None = None) -> Calendar:
        """The clinic's calendar; `windows` are the profile's call windows, used when the
        settings name none."""
        spans = {day: self.hours.get(day, "closed") for day in WEEKDAYS}  # type: ignore[call-overload]
        weekly = {
            index: None if spans[day] == "closed" else Span.parse(spans[day])
            for index, day in enumerate(WEEKDAYS)
        }
        if not any(weekly.values()):
            raise ValueError("settings: the clinic must be open on at least one weekday")
        named = self.windows or windows or DEFAULT_WINDOWS
        calls = tuple(CallWindow(name, Span.parse(text)) for name, text in named.items())
        holidays = (
            PublicHolidays(self.holidays_country, self.holidays_region)
            if self.holidays_country
            else frozenset()
        )
        return Calendar(
            tz=zone(self.timezone),
            weekly=weekly,
            closures=frozenset(self.closures),
            windows=tuple(sorted(calls, key=lambda w: w.span.start)),
            evening_call=time.fromisoformat(self.doctor_evening_call),
            holidays=holidays,
        )


def _either(setting: Any, profile_value: Any) -> Any:
    """A setting when the clinic set it, else the profile's value."""
    return profile_value if setting is None else setting


def _check(key: str, parse: Any, *values: Any) -> None:
    """`parse(*values)`, its refusal named after the settings key it is about."""
    try:
        parse(*values)
    except ValueError as exc:
        raise datafile.Refused(tuple(key.split(".")), str(exc)) from None


def _holidays(country: str, region: str | None) -> None:
    """Refuses a country (or region) the holidays package does not know; any year tells."""
    holidays_of(country, region, 2026)


def _clock_time(text: str) -> time:
    if not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", text):
        raise ValueError(f"use HH:MM, such as 20:00 (got {text!r})")
    return time.fromisoformat(text)


def default_db_path() -> Path:
    return platformdirs.user_data_path(APP_NAME) / "callback.db"


def export_folder(settings: Settings) -> Path:
    """Where the reports screen writes its CSV files (settings `export_folder`)."""
    if settings.export_folder:
        return Path(settings.export_folder).expanduser()
    return platformdirs.user_documents_path() / APP_NAME


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
    targets: Targets = field(init=False)
    """Response targets by priority (settings)."""

    def __post_init__(self) -> None:
        settings, profile = self.settings, self.profile
        self.policy = Policy(
            left_message_completes=_either(
                settings.left_message_completes, profile.left_message_completes
            ),
            max_attempts=_either(settings.max_attempts, profile.max_attempts),
            urgent_retry_minutes=_either(
                settings.urgent_retry_minutes, profile.urgent_retry_minutes
            ),
        )
        self.targets = settings.response_targets()

    @cached_property
    def goals(self) -> Mapping[str, float]:
        """The reports' goals: the defaults, each replaced by the clinic's own where set."""
        from callback_tui.domain.measures import DEFAULT_GOALS

        goals = dict(DEFAULT_GOALS)
        for key, goal in self.settings.goals.items():
            goals[key] = goal
        return goals

    @cached_property
    def pools(self) -> Mapping[str, frozenset[Role]]:
        """The profile's pools, with the roles that may claim from each (asked once a row
        by an import: made once)."""
        return self.profile.pool_roles

    def response_target(self, received_at: datetime, priority: Priority) -> datetime:
        """By when a message received at `received_at` must be answered, in open hours."""
        return response_target(received_at, priority, self.targets, self.calendar)

    @cached_property
    def urgent_words(self) -> UrgentWords:
        """The words that make a message urgent: every clinic's, and this profile's."""
        from callback_tui.domain.priority import load_urgent_words

        folder = data_dir() / "intake"
        return load_urgent_words(
            folder / "urgent_words.txt", folder / f"urgent_words_{self.profile.name}.txt"
        )

    def suggest_priority(self, request_type: str, message_text: str) -> Suggestion:
        """The priority to suggest for a new message, and why (domain/priority.py)."""
        from callback_tui.domain.priority import suggest_priority

        return suggest_priority(request_type, message_text, self.profile, self.urgent_words)

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

    def read_message(
        self, fields: Mapping[str, str | None], staff: Mapping[str, Role]
    ) -> tuple[MessageForm | None, Problems]:
        """Check a message (intake form, command or import row) against this clinic's
        requests, zone and region; an unset priority takes the suggestion."""
        from callback_tui.domain.messages import read_message

        def suggest(request_type: str, message: str) -> tuple[Priority, str]:
            found = self.suggest_priority(request_type, message)
            return found.priority, found.reason

        return read_message(
            fields,
            profile=self.profile,
            staff=staff,
            calendar=self.calendar,
            region=self.settings.phone_region,
            now=self.clock.now(),
            suggest=suggest,
        )


def load_clinic(settings: Settings | None = None, clock: Clock | None = None) -> Clinic:
    """The clinic as configured. Raises DataFileError / ValueError naming what is wrong."""
    settings = settings or load_settings()
    folder = data_dir()
    profile_path = folder / "profiles" / f"{settings.profile}.toml"
    if not profile_path.exists():
        known = ", ".join(sorted(path.stem for path in profile_path.parent.glob("*.toml")))
        raise datafile.DataFileError(
            profile_path, "profile", None, f"no such profile (known: {known})"
        )
    profile: Profile = load_profile(profile_path)
    calendar = settings.calendar(profile.windows)
    scripts_path = folder / "scripts" / f"{settings.profile}.toml"
    scripts = load_scripts(scripts_path)
    for kind, table in (("reasons", profile.reasons), ("requests", profile.requests)):
        for key, entry in table.items():
            if entry.script not in scripts.scripts:
                raise datafile.DataFileError(
                    profile_path, f"{kind}.{key}.script", None, f"no such script in {scripts_path}"
                )
    return Clinic(
        settings=settings,
        profile=profile,
        scripts=scripts,
        calendar=calendar,
        clock=clock or make_clock(settings.timezone),
        review_words=load_words(folder / "incidents" / "review_words.txt"),
    )
