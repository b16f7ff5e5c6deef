"""`--as` with a PIN, the unattended `system`, and the staff commands, through the entry point
(`main`; for the tests marked `process` and the PIN asked on a terminal, the installed
`callback-tui` in a subprocess)."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.cli.made_once import made_once
from tests.cli.runner import SCRIPT, invoke

VISITS = (
    "source_id,occurred_at,reason,patient,client,phone,assisted_by,doctor\n"
    "V1,2026-11-23 10:00,vomiting,Biscuit,Jordan Lee,312-555-0142,AB,DRW\n"
)

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A clinic that asks for PINs (the default), in Chicago on Tue 24 Nov 2026 09:00."""
    settings = tmp_path / "settings.toml"
    settings.write_text('timezone = "America/Chicago"\n')
    kept = {k: v for k, v in os.environ.items() if not k.startswith("CALLBACK_TUI_")}
    return {
        **kept,
        "CALLBACK_TUI_DB": str(tmp_path / "data" / "callback.db"),
        "CALLBACK_TUI_SETTINGS": str(settings),
        "CALLBACK_TUI_NOW": "2026-11-24T09:00:00-06:00",
    }


@pytest.fixture
def run(env: dict[str, str], tmp_path: Path, request: pytest.FixtureRequest) -> Run:
    """In this process, or in a subprocess for a test marked `process` (see runner.py)."""
    process = request.node.get_closest_marker("process") is not None

    def call(*args: str, pin: str | None = None, new_pin: str | None = None) -> Any:
        extra = {}
        if pin is not None:
            extra["CALLBACK_TUI_PIN"] = pin
        if new_pin is not None:
            extra["CALLBACK_TUI_NEW_PIN"] = new_pin
        return invoke(args, env={**env, **extra}, cwd=tmp_path, process=process)

    call.database = Path(env["CALLBACK_TUI_DB"])  # type: ignore[attr-defined]
    return call


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def refused(result: subprocess.CompletedProcess[str]) -> str:
    """Exit 1, nothing on stdout, one line on stderr and never a traceback."""
    assert result.returncode == 1, result.stdout
    assert result.stdout == "" and "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    return line


def staff(run: Run) -> dict[str, dict[str, object]]:
    listed = json.loads(ok(run("staff", "list", "--format", "json")))
    return {member["initials"]: member for member in listed}


def set_up(run: Run) -> None:
    """Setting up a new clinic: the system adds people; the office manager chooses a PIN,
    which ends setting up; then OM adds the rest (run once per test process, then copied)."""

    def steps() -> None:
        ok(run("staff", "add", "OM", "Olive Marsh", "--role", "office_manager"))
        ok(run("staff", "add", "AB", "Alex Baker", "--role", "assistant"))
        assert ok(run("staff", "pin", "OM", new_pin="1357")) == "OM's PIN is set\n"
        ok(run("staff", "add", "DRW", "Dr. Wong", "--role", "doctor", "--as", "OM", pin="1357"))
        ok(
            run("staff", "add", "FD", "Frankie Diaz", "--role", "front_desk", "--as", "om",
                pin="1357")
        )  # fmt: skip
        ok(run("staff", "pin", "AB", new_pin="2468"))

    made_once("set-up", run.database, steps)  # type: ignore[attr-defined]


def events(run: Run) -> list[dict[str, object]]:
    exported = json.loads(ok(run("export")))
    return list(exported["events"])


def test_setting_up_then_only_the_office_manager_changes_staff(run: Run) -> None:
    set_up(run)
    assert refused(run("staff", "add", "EM", "Eve Moss", "--role", "front_desk")) == (
        "callback-tui: error: Only an office manager or the owner may change staff or their"
        " PINs. Give --as with your initials."
    )
    ok(run("staff", "pin", "FD", new_pin="8642", pin="2468"))  # FD's first: chosen
    assert refused(
        run("staff", "add", "EM", "Eve Moss", "--role", "front_desk", "--as", "FD", pin="8642")
    ) == (
        "callback-tui: error: Only an office manager or the owner may change staff or their PINs."
    )
    assert "EM" not in staff(run)
    by = [(e["action"], e["actor"]) for e in events(run) if e["action"] == "staff.added"]
    assert by == [
        ("staff.added", "system"),
        ("staff.added", "system"),
        ("staff.added", "OM"),
        ("staff.added", "OM"),
    ]


@pytest.mark.process
def test_a_wrong_pin_is_one_line_and_nothing_is_written(run: Run, tmp_path: Path) -> None:
    set_up(run)
    visits = tmp_path / "visits.csv"
    visits.write_text(VISITS)
    assert refused(run("import", str(visits), "--as", "AB", pin="1111")) == (
        "callback-tui: error: Wrong PIN for AB: 4 tries left."
    )
    assert json.loads(ok(run("list", "--status", "all", "--format", "json"))) == []
    assert "imported 1 callback" in ok(run("import", str(visits), "--as", "AB", pin="2468"))
    created = [e for e in events(run) if e["action"] == "callback.created"]
    assert {e["actor"] for e in created} == {"AB"}


def test_five_wrong_pins_lock_the_person_out(run: Run) -> None:
    set_up(run)
    args = ("staff", "rename", "AB", "Alex Baker-Lee", "--as", "OM")
    for left in ("4 tries", "3 tries", "2 tries", "1 try"):
        assert refused(run(*args, pin="0000")).endswith(f"Wrong PIN for OM: {left} left.")
    assert refused(run(*args, pin="0000")) == (
        "callback-tui: error: OM is locked out after 5 wrong PINs; try again after 09:15."
    )
    assert refused(run(*args, pin="1357")).startswith("callback-tui: error: OM is locked out")
    assert staff(run)["AB"]["name"] == "Alex Baker"
    actions = [e["action"] for e in events(run) if e["action"].startswith("staff.pin_failed")]
    assert len(actions) == 5


def test_the_office_manager_changes_staff(run: Run) -> None:
    set_up(run)

    def as_om(*args: str) -> str:
        return ok(run("staff", *args, "--as", "OM", pin="1357")).strip()

    assert as_om("rename", "AB", "Alex Baker-Lee") == "AB is now Alex Baker-Lee"
    assert as_om("role", "AB", "technician") == "AB is now technician"
    assert as_om("reset-pin", "AB").startswith("AB's PIN is cleared")
    assert as_om("deactivate", "FD").startswith("FD is deactivated")
    listed = staff(run)
    assert listed["AB"] == {
        "initials": "AB",
        "name": "Alex Baker-Lee",
        "role": "technician",
        "active": True,
        "pin_set": False,
    }
    assert (listed["FD"]["active"], listed["OM"]["pin_set"]) == (False, True)
    table = ok(run("staff", "list"))
    assert table.splitlines()[0].split() == ["initials", "name", "role", "active", "pin"]
    assert "$argon2" not in table and "$argon2" not in ok(run("export"))
    assert refused(run("import", "x.csv", "--as", "FD", pin="1")) == (
        "callback-tui: error: FD is deactivated: ask an office manager"
    )
    assert as_om("activate", "FD") == "FD is active again"
    ok(run("staff", "pin", "AB", "--as", "OM", pin="1357", new_pin="97531"))
    assert staff(run)["AB"]["pin_set"] is True
    said = [e["action"] for e in events(run) if e["actor"] == "OM"]
    for action in ("renamed", "role_changed", "pin_reset", "deactivated", "activated", "pin_set"):
        assert f"staff.{action}" in said


def test_a_person_changes_their_own_pin_with_their_current_one(run: Run) -> None:
    set_up(run)
    assert refused(run("staff", "pin", "AB", pin="1111", new_pin="5555")) == (
        "callback-tui: error: Wrong PIN for AB: 4 tries left."
    )
    ok(run("staff", "pin", "AB", pin="2468", new_pin="5555"))
    # the old PIN no longer works (and the count started again with the right one)
    assert refused(run("staff", "pin", "AB", pin="2468", new_pin="7777")).endswith("4 tries left.")
    assert refused(run("staff", "pin", "AB", pin="5555", new_pin="12")) == (
        "callback-tui: error: pin: a PIN is 4 to 8 digits"
    )


def test_no_pin_no_terminal_a_clear_line(run: Run) -> None:
    set_up(run)
    assert refused(run("staff", "rename", "AB", "Al", "--as", "OM")) == (
        "callback-tui: error: PIN for OM: no terminal to ask it on; set CALLBACK_TUI_PIN"
    )
    assert refused(run("staff", "rename", "AB", "Al", "--as", "DRW", pin="1234")) == (
        "callback-tui: error: DRW has no PIN yet: choose one. (callback-tui staff pin DRW)"
    )


def test_the_system_may_not_do_what_a_role_rule_keeps(run: Run) -> None:
    set_up(run)
    for args in (("reset-pin", "AB"), ("deactivate", "AB"), ("role", "AB", "owner")):
        assert "Only an office manager or the owner" in refused(run("staff", *args))


def test_with_pins_switched_off_as_names_the_person_without_a_pin(
    run: Run, env: dict[str, str], tmp_path: Path
) -> None:
    Path(env["CALLBACK_TUI_SETTINGS"]).write_text(
        'timezone = "America/Chicago"\nrequire_pin = false\n'
    )
    ok(run("staff", "add", "OM", "Olive Marsh", "--role", "office_manager"))
    ok(run("staff", "add", "AB", "Alex Baker", "--role", "assistant", "--as", "OM"))
    assert refused(run("staff", "add", "CD", "Casey", "--role", "assistant", "--as", "AB")) == (
        "callback-tui: error: Only an office manager or the owner may change staff or their PINs."
    )


def typed_at_a_terminal(env: dict[str, str], args: list[str], lines: list[str]) -> tuple[int, str]:
    """Run the command on a terminal of its own (a pty), typing `lines` at its prompts:
    its exit code and everything the terminal showed."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the pty is its controlling terminal, as at a real desk
        os.execve(str(SCRIPT), [str(SCRIPT), *args], env)
    shown = b""
    pending = list(lines)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 1024)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
            if pending and chunk.rstrip().endswith(b":"):
                os.write(fd, pending.pop(0).encode() + b"\n")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), shown.decode(errors="replace")


def test_the_pin_is_asked_twice_without_echo(run: Run, env: dict[str, str]) -> None:
    ok(run("staff", "add", "OM", "Olive Marsh", "--role", "office_manager"))
    code, shown = typed_at_a_terminal(env, ["staff", "pin", "OM"], ["48213", "48213"])
    assert code == 0, shown
    assert "New PIN for OM (4 to 8 digits):" in shown and "The same PIN again:" in shown
    assert "48213" not in shown  # never echoed
    assert "OM's PIN is set" in shown

    code, shown = typed_at_a_terminal(
        env, ["staff", "rename", "OM", "Olive Marsh-Ray", "--as", "OM"], ["48213"]
    )
    assert code == 0, shown
    assert "PIN for OM:" in shown and "48213" not in shown
    assert staff(run)["OM"]["name"] == "Olive Marsh-Ray"

    code, shown = typed_at_a_terminal(
        env, ["staff", "pin", "AB", "--as", "OM"], ["48213", "1111", "2222"]
    )
    assert code == 1 and "unknown initials 'AB'" in shown
    ok(run("staff", "add", "AB", "Alex Baker", "--role", "assistant", "--as", "OM", pin="48213"))
    code, shown = typed_at_a_terminal(
        env, ["staff", "pin", "AB", "--as", "OM"], ["48213", "1111", "2222"]
    )
    assert code == 1 and "the two PINs differ; nothing was changed" in shown
    assert staff(run)["AB"]["pin_set"] is False
