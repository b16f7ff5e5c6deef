"""The `callback-tui` command: the TUI by default, and commands for staff, import, list, export."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from callback_tui import __version__
from callback_tui.config import Clinic, ConfigError, load_clinic, load_settings, resolve_db
from callback_tui.domain.datafile import DataFileError
from callback_tui.domain.text import counted, printable
from callback_tui.domain.vocab import MESSAGE_SOURCES, Priority, Role, Status
from callback_tui.store.engine import Database, open_database, sqlite_file
from callback_tui.store.errors import DeskError
from callback_tui.store.schema import EXPORTED

if TYPE_CHECKING:
    from callback_tui.io.importer import Problem
    from callback_tui.store.services import FrontDesk

# The read-only commands (list, notes / tasks / incidents / staff list) answer without the
# ORM: the service layer (SQLAlchemy, SQLModel) is imported by the commands that write.

PROG = "callback-tui"
FORMATS = ("table", "csv", "json")
SYSTEM = "system"
"""The unattended actor: what `--as` names when no person does (scheduled imports, a phone
system's messages, setting up the first staff). It acts in no role: what a role rule keeps
for someone (finalizing, closing, staff changes once set up) it may not do."""

PIN_ENV = "CALLBACK_TUI_PIN"
"""The PIN of the person `--as` names, for scripts; otherwise it is asked without echo."""
NEW_PIN_ENV = "CALLBACK_TUI_NEW_PIN"
"""The new PIN `staff pin` gives, for scripts; otherwise it is asked twice without echo."""


UNKNOWN_CALLER = "Unknown caller"
"""The name of a caller a phone system or form hands over without one."""


class UserError(Exception):
    """A mistake the user can fix; shown as one line, never a traceback."""


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(commands=not opens_the_app(words))
    try:
        args = parser.parse_args(words)
    except OptionError as exc:
        print(f"{PROG}: error: {printable(str(exc))}", file=sys.stderr)
        return 2  # a usage mistake, as argparse's own
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (UserError, ConfigError, DataFileError, DeskError) as exc:  # Store-, ServiceError
        # The text may quote what was typed (a path, initials): shown without controls.
        print(f"{PROG}: error: {printable(str(exc))}", file=sys.stderr)
        return 1


OPENING_OPTIONS = ("--db", "--settings", "--initials")
"""The options of the plain start; each takes a value."""


def opens_the_app(words: Sequence[str]) -> bool:
    """True for the plain start, `callback-tui [--db X] [--settings F] [--initials AB]`,
    well formed: it is parsed without building the command parsers (a tenth of the time
    to the painted queue). Anything else, help and mistakes included, gets the full parser."""
    words = list(words)
    while words:
        name, equals, _value = words.pop(0).partition("=")
        if name not in OPENING_OPTIONS:
            return False
        if not equals:
            if not words or words[0].startswith("-"):
                return False  # a value is missing: the full parser says so
            words.pop(0)
    return True


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The command line; `commands=False` leaves out every command (see opens_the_app)."""
    settings = argparse.ArgumentParser(add_help=False)
    settings.add_argument(
        "--settings",
        type=Path,
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="clinic settings file (default: $CALLBACK_TUI_SETTINGS, else your config folder)",
    )
    common = argparse.ArgumentParser(add_help=False, parents=[settings])
    common.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        default=argparse.SUPPRESS,
        help="database file or URL (default: $CALLBACK_TUI_DB, else a file in your data folder)",
    )

    parser = argparse.ArgumentParser(
        prog=PROG,
        description="The front desk's follow-up calls. With no command, opens today's queue.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--initials", metavar="AB", help="start on this person's queue")
    parser.set_defaults(handler=run_tui)
    if not commands:
        return parser
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")

    # Its database is always a new temporary one: it takes no --db.
    demo = subparsers.add_parser(
        "demo",
        parents=[settings],
        help="open the app on a fresh demo clinic (a temporary database)",
    )
    demo.add_argument("--initials", metavar="AB", help="start on this person's queue")
    demo.add_argument(
        "--profile",
        metavar="NAME",
        help="the kind of clinic: veterinary, medical or dental (default: the settings' profile)",
    )
    demo.set_defaults(handler=run_demo)

    staff = subparsers.add_parser(
        "staff", parents=[common], help="the staff list: add, change, PINs", description=_STAFF
    )
    staff_commands = staff.add_subparsers(title="staff commands", metavar="ACTION", required=True)

    def staff_command(
        name: str, help: str, handler: Callable[[argparse.Namespace], int]
    ) -> argparse.ArgumentParser:
        """`staff NAME AB …`: a change to one person, made `--as` someone allowed."""
        command = staff_commands.add_parser(name, parents=[common], help=help)
        command.add_argument("initials", metavar="AB", help="whose")
        command.set_defaults(handler=handler)
        return command

    add = staff_command("add", "add a person", run_staff_add)
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    pin = staff_command("pin", "set a PIN (asked twice without echo)", run_staff_pin)
    reset = staff_command("reset-pin", "clear a PIN: chosen again at the next sign-in", run_reset)
    rename = staff_command("rename", "correct a name", run_staff_rename)
    rename.add_argument("name")
    role = staff_command("role", "change a role", run_staff_role)
    role.add_argument("role", choices=[r.value for r in Role])
    deactivate = staff_command("deactivate", "no more sign-ins (history kept)", run_deactivate)
    activate = staff_command("activate", "may sign in again", run_activate)
    for command in (add, reset, rename, role, deactivate, activate):
        _as_option(command, "who makes the change")
    pin.add_argument(
        "--as",
        dest="actor",
        metavar="OM",
        help="an office manager or the owner setting someone's PIN (default: the person)",
    )
    listing = staff_commands.add_parser("list", parents=[common], help="list staff")
    listing.add_argument("--format", choices=FORMATS, default="table")
    listing.set_defaults(handler=run_staff_list)

    imp = subparsers.add_parser(
        "import", parents=[common], help="create callbacks from a visits / messages CSV"
    )
    imp.add_argument("file", type=Path)
    imp.add_argument(
        "--skip-invalid", action="store_true", help="import the good rows and list the others"
    )
    _as_option(imp, "who is importing")
    imp.set_defaults(handler=run_import)

    intake = subparsers.add_parser(
        "intake",
        parents=[common],
        help="take a message in: a callback due at its response target",
        description=(
            "Take a message in (a voicemail, a web form…): it becomes a callback owned by the"
            " profile's routing, due at the response target of its priority."
        ),
    )
    intake.add_argument(
        "--source",
        required=True,
        metavar="SOURCE",
        help=", ".join(s.value for s in MESSAGE_SOURCES),
    )
    intake.add_argument("--phone", required=True, help="the caller's best number")
    intake.add_argument(
        "--name", default="", help=f"the caller's name (default: {UNKNOWN_CALLER.lower()})"
    )
    intake.add_argument("--message", required=True, help="what the message says, kept as given")
    intake.add_argument(
        "--type", dest="request_type", default="", metavar="TYPE",
        help="the profile's request type (default: missed_call for a missed call)",
    )  # fmt: skip
    intake.add_argument("--priority", default="", choices=["", *(p.value for p in Priority)])
    intake.add_argument(
        "--received", default="", metavar="WHEN", help='"HH:MM" or "YYYY-MM-DD HH:MM" (default now)'
    )
    intake.add_argument("--window", default="", help="the caller's preferred call window")
    intake.add_argument("--patient", default="", help="the patient, if not the caller")
    intake.add_argument("--owner", default="", metavar="AB", help="initials or a pool")
    intake.add_argument("--doctor", default="", metavar="AB", help="the case doctor, when known")
    _as_option(intake, "who takes it")
    intake.set_defaults(handler=run_intake)

    lst = subparsers.add_parser("list", parents=[common], help="the queue, for printing or scripts")
    lst.add_argument(
        "--date", type=_day("--date"), metavar="YYYY-MM-DD", help="whose list (default today)"
    )
    lst.add_argument("--initials", metavar="AB", help="one person's queue, with their pools")
    lst.add_argument(
        "--status", default="open", choices=[*(s.value for s in Status), "all"], help="default open"
    )
    lst.add_argument("--format", choices=FORMATS, default="table")
    lst.set_defaults(handler=run_list)

    hand = subparsers.add_parser(
        "handoff",
        parents=[common],
        help="the shift hand-off: each person's and pool's open work; --release puts it back",
        description=(
            "Per person and pool: open, overdue, unreached today, unsigned drafts, open tasks,"
            f" and the callbacks a release would put back into the pools ({handoff_rule()})."
            " --release AB does it, --as the person themself, an office manager or the owner."
        ),
    )
    hand.add_argument("--initials", metavar="AB", help="one person's line, with their pools")
    hand.add_argument("--format", choices=FORMATS, default="table")
    hand.add_argument(
        "--date", type=_day("--date"), metavar="YYYY-MM-DD", help="the day (default today)"
    )
    hand.add_argument("--release", metavar="AB", help="put AB's unworked callbacks back")
    _as_option(hand, "who releases (with --release)")
    hand.set_defaults(handler=run_handoff)

    def list_command(
        noun: str, help: str, handler: Callable[[argparse.Namespace], int]
    ) -> argparse.ArgumentParser:
        """`NOUN list [--format …]`, for the records that have nothing but a listing yet."""
        group = subparsers.add_parser(noun, parents=[common], help=f"list {noun}")
        actions = group.add_subparsers(title=f"{noun} commands", metavar="ACTION", required=True)
        lister = actions.add_parser("list", parents=[common], help=help)
        lister.add_argument("--format", choices=FORMATS, default="table")
        lister.set_defaults(handler=handler)
        return lister

    notes_list = list_command("notes", "notes, or the drafts by doctor", run_notes_list)
    notes_list.add_argument("--drafts", action="store_true", help="only drafts, by doctor")
    notes_list.add_argument("--doctor", metavar="XY", help="only notes addressed to this doctor")
    task_list = list_command("tasks", "open tasks, by due time", run_tasks_list)
    task_list.add_argument("--initials", metavar="AB", help="this person's and their role's")
    task_list.add_argument("--all", action="store_true", help="done tasks too")
    incident_list = list_command("incidents", "incidents, oldest first", run_incidents_list)
    incident_list.add_argument("--open", action="store_true", help="only those still open")

    exp = subparsers.add_parser("export", parents=[common], help="every record, as JSON or CSV")
    exp.add_argument("--format", choices=("json", "csv"), default="json")
    exp.add_argument("--table", choices=EXPORTED, default="callbacks", help="with csv: which table")
    exp.add_argument("--from", dest="first", type=_day("--from"), metavar="YYYY-MM-DD")
    exp.add_argument("--to", dest="last", type=_day("--to"), metavar="YYYY-MM-DD")
    exp.set_defaults(handler=run_export)

    rep = subparsers.add_parser(
        "report",
        parents=[common],
        help="the scorecard of a period: the clinic's, a pool's or a person's",
        description=(
            "The scorecard of a period (default: the last 7 days, today included). As a table:"
            " each measure of the clinic (or of --initials) beside its goal. As CSV or JSON:"
            " one record per scope (the clinic, each pool, each person)."
        ),
    )
    rep.add_argument("--from", dest="first", type=_day("--from"), metavar="YYYY-MM-DD")
    rep.add_argument("--to", dest="last", type=_day("--to"), metavar="YYYY-MM-DD")
    rep.add_argument("--initials", metavar="AB", help="one person's or one pool's (TA) only")
    rep.add_argument("--format", choices=FORMATS, default="table")
    rep.set_defaults(handler=run_report)

    bak = subparsers.add_parser(
        "backup", parents=[common], help="copy the database file now, or list the copies"
    )
    bak.add_argument(
        "dest",
        nargs="?",
        metavar="DEST",
        help="a folder, or a new file (default: the backups folder beside the database)",
    )
    bak.add_argument("--list", action="store_true", help="list the backups, newest first")
    bak.add_argument("--format", choices=FORMATS, help="with --list (default table)")
    bak.set_defaults(handler=run_backup)

    res = subparsers.add_parser(
        "restore", parents=[common], help="put a backup in place of the database"
    )
    res.add_argument("file", metavar="FILE", help="the backup to restore")
    res.set_defaults(handler=run_restore)

    ver = subparsers.add_parser(
        "verify", parents=[common], help="check the file and that the audit trail is unbroken"
    )
    ver.set_defaults(handler=run_verify)
    return parser


_STAFF = (
    "The staff list. Changes (add, rename, role, deactivate, activate, a PIN for someone"
    " else, reset-pin) are for an office manager or the owner: give --as with your initials"
    f" and your PIN (asked, or ${PIN_ENV}). While no office manager or owner has a PIN yet,"
    f" the {SYSTEM} actor may make them (setting up). Everyone may set their own PIN."
)


def _as_option(command: argparse.ArgumentParser, who: str) -> None:
    command.add_argument(
        "--as",
        dest="actor",
        default=SYSTEM,
        metavar="AB",
        help=f"{who}: initials, whose PIN is asked (default {SYSTEM}, the unattended actor)",
    )


class OptionError(UserError):
    """A value the command line cannot take: one line, as any other mistake, not the usage.

    Raised from an option's `type`: argparse turns only its own errors into the usage text,
    and lets this one through to `main`.
    """


def _day(option: str) -> Callable[[str], date]:
    """The `type` of a date option: a day on the calendar, written YYYY-MM-DD."""

    def parse(text: str) -> date:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise OptionError(f"{option} {text!r}: {_why_not_a_day(text)}") from None

    return parse


def _why_not_a_day(text: str) -> str:
    import calendar
    import re

    written = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if written is None:
        return "not a date; write it as YYYY-MM-DD, for example 2026-11-30"
    year, month, _ = (int(part) for part in written.groups())
    if not 1 <= month <= 12:
        return f"there is no month {month}; write the date as YYYY-MM-DD"
    last = calendar.monthrange(year, month)[1]
    return f"not a date: {calendar.month_name[month]} {year} has {last} days"


# -- plumbing ---------------------------------------------------------------------------


def _clinic(args: argparse.Namespace) -> Clinic:
    try:
        settings = load_settings(getattr(args, "settings", None))
        profile = getattr(args, "profile", None)
        if profile:
            import msgspec

            if not profile.replace("_", "").replace("-", "").isalnum() or not profile.isascii():
                raise UserError(f"--profile {profile!r}: use a profile's name, such as medical")
            settings = msgspec.structs.replace(settings, profile=profile)
        return load_clinic(settings)
    except DataFileError:
        raise  # already names the file and line; main() prints it
    except ValueError as exc:
        raise UserError(str(exc)) from None


def _database(args: argparse.Namespace, *, create: bool = True) -> Database:
    """The database the command names; `create=False` refuses a file that is not there (a
    check of a file must never make an empty one and find it sound)."""
    return open_database(
        resolve_db(getattr(args, "db", None)),
        create=create,
        on_upgrade=_warn,
        calendar=lambda: _clinic(args).calendar,
    )


def _desk(database: Database, clinic: Clinic) -> FrontDesk:
    from callback_tui.store.services import FrontDesk

    return FrontDesk(database, clinic)


def _known_initials(database: Database, initials: str | None, option: str = "") -> str | None:
    """`initials` as they are on file (None stays None); `option` names the flag in the error."""
    from callback_tui.store import queries

    if initials is None:
        return None
    member = queries.staff_member(database, initials)
    if member is None:
        known = ", ".join(m.initials for m in queries.staff(database)) or "none yet"
        flag = f" for {option}" if option else ""
        raise UserError(f"unknown initials {initials.upper()!r}{flag} (known: {known})")
    return member.initials


def _actor(desk: FrontDesk, initials: str) -> str:
    """Who `--as` names, as the audit records them: the system, or someone active on file
    who gave their PIN (when the clinic asks for PINs): signed in, or refused."""
    if initials.casefold() == SYSTEM:
        return SYSTEM
    known = _known_initials(desk.database, initials, "--as")
    assert known is not None
    _sign_in(desk, known, f"PIN for {known}: ")
    return known


def _sign_in(desk: FrontDesk, initials: str, prompt: str) -> None:
    """Sign `initials` in with their PIN, where the clinic asks for PINs (a wrong one is
    counted and refused as at the sign-in screen; nothing else is written)."""
    from callback_tui.store.errors import PinNotSet

    has_pin = _has_pin(desk.database, initials)
    if not desk.clinic.settings.require_pin:
        return  # the clinic switched PINs off: initials alone, as claimed
    if not has_pin:  # said before asking: there is none to ask
        raise UserError(f"{PinNotSet(initials)} (callback-tui staff pin {initials})")
    desk.staff.sign_in(initials, _secret(prompt, PIN_ENV))


def _has_pin(database: Database, initials: str) -> bool:
    from callback_tui.store import queries

    member = queries.staff_member(database, initials)
    if member is not None and not member.active:
        raise UserError(f"{member.initials} is deactivated: ask an office manager")
    return member is not None and member.has_pin


def _secret(prompt: str, env: str) -> str:
    """A PIN: from `env` when set, else asked on the terminal without echo."""
    given = os.environ.get(env)
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise UserError(f"{prompt.rstrip(': ')}: no terminal to ask it on; set {env}")
    import getpass

    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise UserError("no PIN given; nothing was changed") from None


def _new_pin(initials: str) -> str:
    """The new PIN: from CALLBACK_TUI_NEW_PIN, else asked twice without echo."""
    given = os.environ.get(NEW_PIN_ENV)
    if given is not None:
        return given
    first = _secret(f"New PIN for {initials} (4 to 8 digits): ", NEW_PIN_ENV)
    if _secret("The same PIN again: ", NEW_PIN_ENV) != first:
        raise UserError("the two PINs differ; nothing was changed")
    return first


def _shown(value: Any) -> str:
    """A table cell's text: None as blank, nothing a terminal would act on."""
    return "" if value is None else printable(str(value))


def _minutes(iso: str | None) -> str:
    """An ISO time as a table shows it: `2026-11-24 09:05`."""
    return (iso or "")[:16].replace("T", " ")


def _print_rows(rows: list[dict[str, Any]], columns: Sequence[str], fmt: str) -> None:
    if fmt == "json":
        from callback_tui.io.exporter import dump_json

        dump_json(rows, sys.stdout)
    elif fmt == "csv":
        import csv

        from callback_tui.io.exporter import cell

        writer = csv.DictWriter(
            sys.stdout, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows({k: cell(v) for k, v in row.items()} for row in rows)
    elif not sys.stdout.isatty():
        # Piped or redirected: one line per row, columns aligned, for scripts and `grep`.
        # (Rich would lay out the same; it takes longer than the query for a long list.)
        _print_aligned(rows, columns)
    else:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(box=None, header_style="bold")
        for column in columns:
            wide_text = column in (
                "patient", "client", "name", "first line", "title", "about", "what happened",
                "subject",
            )  # fmt: skip
            table.add_column(column, no_wrap=not wide_text, overflow="fold")
        for row in rows:
            table.add_row(*(Text(_shown(row.get(c))) for c in columns))
        Console(markup=False, highlight=False).print(table)


def _print_aligned(rows: list[dict[str, Any]], columns: Sequence[str]) -> None:
    """A header and a line per row, each column as wide as its widest cell."""
    cells = [list(columns), *([_shown(row.get(c)) for c in columns] for row in rows)]
    widths = [max(_columns(line[index]) for line in cells) for index in range(len(columns))]
    for line in cells:
        padded = (
            cell + " " * (width - _columns(cell)) for cell, width in zip(line, widths, strict=True)
        )
        print(" ".join(padded).rstrip())


def _columns(text: str) -> int:
    """How many terminal columns `text` takes: wide (East Asian) characters take two."""
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


# -- commands ---------------------------------------------------------------------------


def run_tui(args: argparse.Namespace) -> int:
    clinic = _clinic(args)
    database = _database(args)
    initials = _known_initials(database, args.initials)
    from callback_tui.tui.app import CallbackApp

    CallbackApp(database, clinic, initials=initials, backups=True, freeze_heap=True).run()
    return 0


def run_demo(args: argparse.Namespace) -> int:
    import tempfile

    from callback_tui.demo import build_demo
    from callback_tui.tui.app import CallbackApp

    clinic = _clinic(args)
    with tempfile.TemporaryDirectory(prefix="callback-tui-demo-") as folder:
        database = open_database(str(Path(folder) / "demo.db"))
        try:
            build_demo(_desk(database, clinic))
            initials = _known_initials(database, args.initials)
            CallbackApp(database, clinic, initials=initials, demo=True, freeze_heap=True).run()
        finally:
            database.dispose()
    return 0


def _staff_change(args: argparse.Namespace, change: Callable[[FrontDesk, str], str]) -> int:
    """A change to the staff list made `--as` someone (signed in first): `change(desk,
    actor)` makes it and says what it did."""
    from callback_tui.store.errors import NotAllowed

    desk = _desk(_database(args), _clinic(args))
    actor = _actor(desk, args.actor)
    try:
        said = change(desk, actor)
    except NotAllowed as refused:
        if actor != SYSTEM:
            raise
        raise UserError(f"{refused} Give --as with your initials.") from None
    print(printable(said))
    return 0


def run_staff_add(args: argparse.Namespace) -> int:
    def add(desk: FrontDesk, actor: str) -> str:
        staff = desk.staff.add(actor, args.initials, args.name, args.role)
        return f"added {staff.initials} {staff.name} ({staff.role})"

    return _staff_change(args, add)


def run_staff_pin(args: argparse.Namespace) -> int:
    """A new PIN: the person's own (their current PIN asked first, if they have one), or
    anyone's, `--as` an office manager or the owner."""
    desk = _desk(_database(args), _clinic(args))
    whose = _known_initials(desk.database, args.initials)
    assert whose is not None
    if args.actor is not None and args.actor.casefold() != whose.casefold():
        return _staff_change(args, lambda d, actor: _set_pin(d, actor, whose))
    if desk.clinic.settings.require_pin and not _has_pin(desk.database, whose):
        desk.staff.first_pin(whose, _new_pin(whose))  # their first: chosen as at sign-in
    else:
        _sign_in(desk, whose, f"Current PIN for {whose}: ")
        desk.staff.set_pin(whose, whose, _new_pin(whose))
    print(f"{whose}'s PIN is set")
    return 0


def _set_pin(desk: FrontDesk, actor: str, whose: str) -> str:
    desk.staff.set_pin(actor, whose, _new_pin(whose))
    return f"{whose}'s PIN is set"


def run_reset(args: argparse.Namespace) -> int:
    def reset(desk: FrontDesk, actor: str) -> str:
        desk.staff.reset_pin(actor, args.initials)
        return f"{args.initials.upper()}'s PIN is cleared: they choose one at their next sign-in"

    return _staff_change(args, reset)


def run_staff_rename(args: argparse.Namespace) -> int:
    def rename(desk: FrontDesk, actor: str) -> str:
        desk.staff.rename(actor, args.initials, args.name)
        return f"{args.initials.upper()} is now {args.name}"

    return _staff_change(args, rename)


def run_staff_role(args: argparse.Namespace) -> int:
    def role(desk: FrontDesk, actor: str) -> str:
        desk.staff.set_role(actor, args.initials, args.role)
        return f"{args.initials.upper()} is now {args.role}"

    return _staff_change(args, role)


def run_deactivate(args: argparse.Namespace) -> int:
    def deactivate(desk: FrontDesk, actor: str) -> str:
        desk.staff.deactivate(actor, args.initials)
        return f"{args.initials.upper()} is deactivated: no more sign-ins, history kept"

    return _staff_change(args, deactivate)


def run_activate(args: argparse.Namespace) -> int:
    def activate(desk: FrontDesk, actor: str) -> str:
        desk.staff.activate(actor, args.initials)
        return f"{args.initials.upper()} is active again"

    return _staff_change(args, activate)


def run_staff_list(args: argparse.Namespace) -> int:
    """Everyone, with whether they may sign in and whether they have a PIN (never more)."""
    from callback_tui.store import queries

    rows: list[dict[str, Any]] = [
        {
            "initials": m.initials,
            "name": m.name,
            "role": m.role.value,
            "active": m.active,
            "pin_set": m.has_pin,
        }
        for m in queries.staff(_database(args))
    ]
    columns: Sequence[str] = ("initials", "name", "role", "active", "pin_set")
    if args.format == "table":
        for row in rows:
            row["active"] = "yes" if row["active"] else "no"
            row["pin"] = "set" if row.pop("pin_set") else "none"
        columns = ("initials", "name", "role", "active", "pin")
    _print_rows(rows, columns, args.format)
    return 0


def run_import(args: argparse.Namespace) -> int:
    from callback_tui.io.importer import ImportFailed, import_file

    desk = _desk(_database(args), _clinic(args))
    actor = _actor(desk, args.actor)
    try:
        with _progress() as progress:
            report = import_file(
                desk, args.file, actor=actor, skip_invalid=args.skip_invalid, progress=progress
            )
    except ImportFailed as failed:
        for problem in failed.problems:
            _warn(str(problem))
        _warn_repeated(failed.problems)
        raise UserError(f"{args.file}: {failed}") from None
    for problem in report.refused:
        _warn(f"skipped: {problem}")
    _warn_repeated(report.refused)
    if report.ignored_columns:
        _warn(f"ignored columns: {', '.join(report.ignored_columns)}")
    created = counted(len(report.imported.created), "callback")
    line = f"imported {created} from {counted(report.rows, 'row')}"
    extras = []
    if report.imported.already_imported:
        again = counted(report.imported.already_imported, "row")
        extras.append(f"{again} already imported, skipped")
    if report.refused:
        extras.append(f"{counted(len({p.row for p in report.refused}), 'row')} skipped")
    print(line + (f" ({', '.join(extras)})" if extras else ""))
    return 0


REPEATED_SHOWN = 10
"""The problems found in many rows that are counted after an import's list, most rows first."""


def _warn_repeated(problems: Sequence[Problem]) -> None:
    """After a long list of problems, those found in many rows, counted (importer.repeated):
    often one missing staff member or one misnamed column is every line of it."""
    from callback_tui.io.importer import repeated

    found = repeated(problems)
    if not found:
        return
    _warn("the same problem in many rows:")
    width = len(f"{found[0][0]:,}")
    for rows, problem in found[:REPEATED_SHOWN]:
        _warn(f"  {rows:>{width},} rows, column {problem.column}: {problem.message}")
    if len(found) > REPEATED_SHOWN:
        _warn(f"  and {counted(len(found) - REPEATED_SHOWN, 'other problem')} found in many rows")


def _warn(line: str) -> None:
    """A line on stderr that may hold text from a file: header names, values."""
    print(printable(line), file=sys.stderr)


class _progress:
    """A progress bar on stderr for long imports in a terminal; silent otherwise."""

    THRESHOLD = 500

    def __enter__(self) -> Callable[[int, int], None]:
        self._bar: Any = None
        return self.update

    def update(self, done: int, total: int) -> None:
        if total < self.THRESHOLD or not sys.stderr.isatty():
            return
        if self._bar is None:
            from rich.console import Console
            from rich.progress import Progress

            self._bar = Progress(console=Console(stderr=True), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("importing", total=total)
        self._bar.update(self._task, completed=done)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def run_intake(args: argparse.Namespace) -> int:
    from callback_tui.store import queries

    clinic = _clinic(args)
    desk = _desk(_database(args), clinic)
    actor = _actor(desk, args.actor)
    request_type = args.request_type
    if not request_type and args.source.lower().replace("-", "_") == "missed_call":
        request_type = "missed_call" if "missed_call" in clinic.profile.requests else ""
    fields = {
        "source": args.source,
        "received_at": args.received,
        "name": args.name or UNKNOWN_CALLER,
        "phone": args.phone,
        "preferred_window": args.window,
        "patient": args.patient,
        "request_type": request_type,
        "priority": args.priority,
        "message": args.message,
        "owner": args.owner,
        "doctor": args.doctor,
    }
    form, problems = clinic.read_message(fields, queries.staff_roles(desk.database))
    if form is None:
        said = "; ".join(f"{_option(field)}: {problem}" for field, problem in problems)
        raise UserError(said)
    callback = desk.messages.take_message(actor, form)
    target = clinic.calendar.local(callback.target_at or callback.due_at)
    print(
        printable(
            f"callback {callback.id}: {clinic.profile.label(callback.reason).lower()}"
            f" ({callback.priority}) for {callback.owner}, target {target:%a %d %b %H:%M}"
        )
    )
    return 0


_OPTION = {
    "received_at": "--received",
    "request_type": "--type",
    "preferred_window": "--window",
}
"""The option that gave a message's field, where the names differ."""


def _option(field: str) -> str:
    return _OPTION.get(field, f"--{field}")


def run_list(args: argparse.Namespace) -> int:
    from callback_tui.io.records import LIST_FIELDS, queue_record
    from callback_tui.store import queries

    clinic = _clinic(args)
    database = _database(args)
    initials = _known_initials(database, args.initials)
    day = args.date or clinic.clock.today()
    now = clinic.clock.now()
    rows = queries.callbacks(
        database, day=day, initials=initials, status=args.status, pools=clinic.pools, now=now
    )
    records = [queue_record(row, clinic.calendar, now) for row in rows]
    if args.format == "table":
        for record in records:
            record["due_at"] = record["due_at"][5:16].replace("T", " ")
            if record["next_attempt_at"]:  # after a miss, as Today marks it: not before then
                record["due_at"] = f"next {record['due_at']}"
            if record["target_at"]:
                record["target_at"] = record["target_at"][5:16].replace("T", " ")
        columns: Sequence[str] = (
            "id", "due_at", "section", "patient", "client", "reason", "owner", "attempts", "status",
            "target_at", "late_minutes",
        )  # fmt: skip
    else:
        columns = LIST_FIELDS
    _print_rows(records, columns, args.format)
    return 0


def handoff_rule() -> str:
    """Unworked, in words (domain/handoff.py)."""
    from callback_tui.domain.handoff import UNWORKED

    return f"unworked: {UNWORKED}"


HANDOFF_FIELDS = (
    "who", "name", "pool", "open", "overdue", "unreached_today", "drafts", "tasks",
    "to_release", "to_pools", "kept", "kept_why",
)  # fmt: skip


def run_handoff(args: argparse.Namespace) -> int:
    """The hand-off lines, or (`--release AB`) a release made `--as` someone allowed."""
    if args.release is not None:
        if args.initials or args.date or args.format != "table":
            raise UserError("--release takes none of --initials, --date or --format")
        return _staff_change(args, lambda desk, actor: _release(desk, actor, args.release))
    from datetime import time

    from callback_tui.domain.handoff import pools_said
    from callback_tui.store.handoff import handoff

    clinic = _clinic(args)
    database = _database(args)
    initials = _known_initials(database, args.initials)
    today = clinic.clock.today()
    day = args.date or today
    # Another day is seen as at its last second: what is overdue and unworked by then.
    now = clinic.clock.now() if day == today else clinic.calendar.at(day, time(23, 59, 59))
    found = handoff(
        database, now=now, calendar=clinic.calendar, pools=clinic.pools, initials=initials
    )
    rows: list[dict[str, Any]] = [
        {
            "who": line.who,
            "name": line.name,
            "pool": line.is_pool,
            "open": line.open,
            "overdue": line.overdue,
            "unreached_today": line.unreached_today,
            "drafts": line.drafts,
            "tasks": line.tasks,
            "to_release": line.releasable,
            "to_pools": dict(line.to_pools),
            "kept": line.kept,
            "kept_why": line.kept_why,
        }
        for line in found.lines
    ]
    columns: Sequence[str] = HANDOFF_FIELDS
    if args.format == "table":
        for row in rows:
            row["unreached today"] = row.pop("unreached_today")
            row["to release"] = row.pop("to_release")
            row["where"] = pools_said(row.pop("to_pools"))
        columns = (
            "who", "name", "open", "overdue", "unreached today", "drafts", "tasks",
            "to release", "where",
        )  # fmt: skip
    elif args.format == "csv":
        for row in rows:
            row["to_pools"] = pools_said(row["to_pools"])
    _print_rows(rows, columns, args.format)
    return 0


def _release(desk: FrontDesk, actor: str, initials: str) -> str:
    from callback_tui.domain.handoff import pools_said

    whose = initials.strip().upper()
    if whose not in desk.clinic.pools:  # a pool: the desk says it is nobody's to release
        whose = _known_initials(desk.database, initials, "--release") or whose
    done = desk.callbacks.release(actor, whose)
    if done.released:
        said = (
            f"released {counted(done.released, 'callback')} of {whose}'s into their pools"
            f" ({pools_said(done.to_pools)})"
        )
    else:
        said = f"nothing of {whose}'s to release"
    if done.kept:
        said += f"; {counted(done.kept, 'callback')} stay with {whose}: {done.kept_why}"
    return said


REPORT_DAYS = 7
"""The days `report` covers when no --from is given."""


def run_report(args: argparse.Namespace) -> int:
    from callback_tui.domain import measures
    from callback_tui.io import scorecard as records
    from callback_tui.store import reports

    clinic = _clinic(args)
    database = _database(args)
    last = args.last or clinic.clock.today()
    first = args.first or last - timedelta(days=REPORT_DAYS - 1)
    if first > last:
        raise UserError(f"--from {first} is after --to {last}: give the earlier day first")
    scope = None
    if args.initials:
        scope = args.initials.upper()
        if scope not in clinic.pools:
            try:
                scope = _known_initials(database, args.initials)
            except UserError as exc:
                raise UserError(f"{exc}; pools: {', '.join(clinic.pools)}") from None
    card = reports.scorecard(
        database,
        reports.Period(first, last),
        clinic.calendar,
        now=clinic.clock.now(),
        pools=clinic.pools,
    )
    if args.format == "json":
        from callback_tui.io.exporter import dump_json

        dump_json(records.document(card, clinic.goals, scope), sys.stdout)
    elif args.format == "csv":
        records.write_csv(sys.stdout, card, scope)
    else:
        tally = card.scope(scope or reports.CLINIC)
        who = "the clinic" if scope is None else card.names.get(scope, f"{scope} pool")
        print(f"{who}, {card.period.words()}")
        rows = [
            {
                "measure": measure.label,
                "value": measures.shown(measure, measure.value(tally)),
                "goal": measures.goal_words(measure, clinic.goals),
                "": "missed" if measure.misses(measure.value(tally), clinic.goals) else "",
            }
            for measure in measures.MEASURES
        ]
        _print_rows(rows, ("measure", "value", "goal", ""), "table")
    return 0


def run_notes_list(args: argparse.Namespace) -> int:
    from callback_tui.io.records import NOTE_FIELDS, note_record
    from callback_tui.store import notes

    clinic = _clinic(args)
    database = _database(args)
    doctor = _known_initials(database, args.doctor)
    views = notes.notes(database, drafts_only=args.drafts, addressed_to=doctor)
    now = clinic.clock.now()
    records = [note_record(view, clinic.calendar, now) for view in views]
    columns: Sequence[str] = NOTE_FIELDS
    if args.format == "table":
        for record, view in zip(records, views, strict=True):
            record["created_at"] = _minutes(record["created_at"])
            record["for"] = record["addressed_to"]
            record["first line"] = view.first_line[:60]
            record["amended"] = len(view.amendments) or ""
        columns = (
            "id", "created_at", "status", "age", "patient", "client", "author", "for",
            "amended", "first line",
        )  # fmt: skip
    _print_rows(records, columns, args.format)
    return 0


def run_tasks_list(args: argparse.Namespace) -> int:
    from callback_tui.io.records import TASK_FIELDS, task_record
    from callback_tui.store import tasks

    clinic = _clinic(args)
    database = _database(args)
    initials = _known_initials(database, args.initials)
    rows = tasks.tasks(database, initials=initials, include_done=args.all)
    records = [task_record(row, clinic.calendar) for row in rows]
    columns: Sequence[str] = TASK_FIELDS
    if args.format == "table":
        for record in records:
            record["due_at"] = _minutes(record["due_at"])
        columns = ("id", "due_at", "for", "title", "about", "status", "done_by")
    _print_rows(records, columns, args.format)
    return 0


def run_incidents_list(args: argparse.Namespace) -> int:
    from callback_tui.domain.text import first_line
    from callback_tui.io.records import INCIDENT_FIELDS, incident_record
    from callback_tui.store import incidents

    clinic = _clinic(args)
    rows = incidents.incidents(_database(args), open_only=args.open)
    now = clinic.clock.now()
    records = [incident_record(row, clinic.calendar, now) for row in rows]
    columns: Sequence[str] = INCIDENT_FIELDS
    if args.format == "table":
        for record in records:
            record["occurred_at"] = _minutes(record["occurred_at"])
            record["what happened"] = first_line(record["what_happened"])[:60]
        columns = ("id", "occurred_at", "status", "step", "owner", "age", "found_via",
                   "subject", "what happened")  # fmt: skip
    _print_rows(records, columns, args.format)
    return 0


def run_export(args: argparse.Namespace) -> int:
    from callback_tui.io import exporter

    clinic = _clinic(args)
    database = _database(args)
    if args.first and args.last and args.first > args.last:
        raise UserError("--from is after --to")
    if args.format == "json":
        exporter.write_json(sys.stdout, database, clinic.calendar, args.first, args.last)
    else:
        exporter.write_csv(sys.stdout, database, clinic.calendar, args.table, args.first, args.last)
    return 0


def _database_file(args: argparse.Namespace) -> Path:
    """The database as a file: backup and restore copy SQLite files, nothing else."""
    target = resolve_db(getattr(args, "db", None))
    if "://" not in target:
        return Path(target).expanduser()
    found = sqlite_file(target)  # a URL that is no URL is refused there, by name
    if found is None:
        raise UserError(
            f"{Database(url=target).label}: backup and restore work on SQLite database files"
            " only (use the database server's own backups)"
        )
    return found


def run_backup(args: argparse.Namespace) -> int:
    from callback_tui.store import backup

    db = _database_file(args)
    if args.list:
        if args.dest is not None:
            raise UserError("backup --list takes no DEST")
        _print_backups(db, args.format or "table")
        return 0
    if args.format is not None:
        raise UserError("--format goes with --list")
    dest = None
    if args.dest is not None:
        dest = Path(args.dest).expanduser()
        # "somewhere/" names a folder: never take it for a new file called "somewhere".
        if args.dest.endswith(("/", os.sep)) and not dest.is_dir():
            raise UserError(f"{dest}: no such folder; nothing was backed up")
    print(backup.make_backup(db, dest))
    return 0


def _print_backups(db: Path, fmt: str) -> None:
    from callback_tui.store.backup import list_backups

    infos = list_backups(db)
    rows: list[dict[str, Any]] = [
        {
            "when": info.made_at.isoformat(sep=" ", timespec="seconds"),
            "label": info.label,
            "size": info.size,
            "revision": info.revision,
            "readable": info.readable,
            "path": str(info.path),
        }
        for info in infos
    ]
    columns: Sequence[str] = ("when", "label", "size", "revision", "readable", "path")
    if fmt == "table":
        for row, info in zip(rows, infos, strict=True):
            row["when"] = f"{info.made_at:%Y-%m-%d %H:%M:%S}"
            row["size"] = _size(info.size)
            row["revision"] = info.revision if info.readable else "unreadable"
        columns = ("when", "label", "size", "revision", "path")
    _print_rows(rows, columns, fmt)


def _size(count: int) -> str:
    """Bytes as a person reads them: `812 KB`, `3.4 MB`."""
    if count < 1_000:
        return f"{count} B"
    if count < 1_000_000:
        return f"{count / 1_000:.0f} KB"
    if count < 1_000_000_000:
        return f"{count / 1_000_000:.1f} MB"
    return f"{count / 1_000_000_000:.1f} GB"


def run_restore(args: argparse.Namespace) -> int:
    from callback_tui.store.restore import restore

    done = restore(_database_file(args), Path(args.file).expanduser())
    for fact in done.facts:
        print(fact)
    return 0


def run_verify(args: argparse.Namespace) -> int:
    from callback_tui.store.audit import verify

    database = _database(args, create=False)
    result = verify(database)
    if result.file_problems:
        print(f"{database.label}: the file is damaged:", file=sys.stderr)
        for problem in result.file_problems:
            print(f"  {printable(problem)}", file=sys.stderr)
    else:
        print(f"{database.label}: the file is intact")
    if result.broken is not None:
        print(f"the audit trail is broken at {result.broken}", file=sys.stderr)
    else:
        events = counted(result.events, "event")
        print(f"the audit trail holds: {events}, each linked to the one before")
    return 0 if result.ok else 1
