"""`callback-tui ARGS` for the command-line tests: by default in this process, through
`callback_tui.cli.main` (the function the installed script calls); for the tests marked
`process`, and for every test when CALLBACK_TUI_CLI_TESTS=process, as the installed script
in a subprocess.

Both ways give the command the same environment, working folder and an empty stdin (no
terminal: a PIN comes from its variable), and answer with the exit code and what was written
on stdout and stderr. In this process each command costs its work alone: in a subprocess it
also pays for starting Python and importing the app (the commands that write, the ORM too),
more than a second each on a slow machine, which the suite's two hundred commands would
otherwise spend. A mistake the command does not turn into words is, in this process, the test's
error with its traceback, where a subprocess would print it and exit 1.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

from callback_tui import cli
from callback_tui.store.engine import Database

SCRIPT = Path(sys.executable).with_name("callback-tui")
"""The installed entry point."""

EVERY_TEST_IN_A_PROCESS = os.environ.get("CALLBACK_TUI_CLI_TESTS") == "process"


def invoke(
    args: Sequence[str],
    *,
    env: Mapping[str, str],
    cwd: Path,
    process: bool = False,
    module: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run the command; `process` (or `module`: `python -m callback_tui`) in a subprocess."""
    if process or module or EVERY_TEST_IN_A_PROCESS:
        command = [sys.executable, "-m", "callback_tui"] if module else [str(SCRIPT)]
        return subprocess.run(
            [*command, *args],
            capture_output=True,
            text=True,
            env=dict(env),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            timeout=60,
        )
    return _in_this_process(list(args), env, cwd)


def _in_this_process(
    args: list[str], env: Mapping[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    out, err = io.StringIO(), io.StringIO()
    with _as_a_process(env, cwd) as opened:
        try:
            with redirect_stdout(out), redirect_stderr(err):
                code = cli.main(args)
        except SystemExit as stopped:  # argparse: --help, --version, usage mistakes
            code = stopped.code if isinstance(stopped.code, int) else int(stopped.code is not None)
        finally:
            for database in opened:
                database.dispose()
    return subprocess.CompletedProcess([str(SCRIPT), *args], code, out.getvalue(), err.getvalue())


@contextmanager
def _as_a_process(env: Mapping[str, str], cwd: Path) -> Iterator[list[Database]]:
    """The environment, folder and stdin of a new process, put back afterwards; yields the
    databases the command opens, for closing once it is done (a process's exit would)."""
    kept_env, kept_cwd, kept_stdin = dict(os.environ), Path.cwd(), sys.stdin
    real_open = cli.open_database
    opened: list[Database] = []

    def open_database(*args: Any, **kwargs: Any) -> Database:
        database = real_open(*args, **kwargs)
        opened.append(database)
        return database

    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    sys.stdin = io.StringIO()
    cli.open_database = open_database
    try:
        yield opened
    finally:
        cli.open_database = real_open
        sys.stdin = kept_stdin
        os.chdir(kept_cwd)
        os.environ.clear()
        os.environ.update(kept_env)
