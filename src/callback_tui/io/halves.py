"""Work on two parts of a list at once: one in a forked process, the other meanwhile here.

Python runs one thread at a time, so checking the rows of a big import uses one core of
two. A fork starts the second process at once, with everything this one has loaded, and
its part comes back encoded by msgspec, which takes a small fraction of the time the work
did. Where the second process fails in any way, its part is done here: the result is the
same either way, only slower.
"""

from __future__ import annotations

import gc
import os
import signal
from collections.abc import Callable
from contextlib import suppress
from typing import Any, TypeVar

import msgspec

Item = TypeVar("Item")
Result = TypeVar("Result")


def in_two(
    work: Callable[[list[Item]], list[Result]], here: list[Item], there: list[Item], kind: Any
) -> tuple[list[Result], list[Result]]:
    """`work(here)` and `work(there)`, the second in a forked process: `kind` is the type of
    its results (a list), for msgspec to decode them as they were made. Call it only where a
    fork is safe: on Linux, with no other thread running in this process."""
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the forked process; what it sends back is tested
        status = 1
        try:
            os.close(reading)
            encoded = msgspec.msgpack.encode(work(there))
            with os.fdopen(writing, "wb") as out:
                out.write(encoded)
            status = 0
        finally:
            os._exit(status)  # nothing of this process's own to clean up: it is the parent's
    os.close(writing)
    done = False
    try:
        with os.fdopen(reading, "rb") as pipe:
            mine = work(here)
            encoded = pipe.read()
        _, status = os.waitpid(child, 0)
        done = True
        if os.waitstatus_to_exitcode(status) == 0:
            with suppress(msgspec.DecodeError, msgspec.ValidationError):
                return mine, _decoded(encoded, kind)
        return mine, work(there)
    finally:
        if not done:  # stopped on the way (an interrupt, an error): the other process too
            with suppress(OSError):
                os.kill(child, signal.SIGKILL)
                os.waitpid(child, 0)


def _decoded(encoded: bytes, kind: Any) -> Any:
    """Decoded without the collector: thousands of new objects would set off full passes
    over everything this process holds, for nothing (none of them is garbage)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return msgspec.msgpack.decode(encoded, type=kind)
    finally:
        if collecting:
            gc.enable()
