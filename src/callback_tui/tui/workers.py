"""The screens' thread workers: a `DeskError` that escapes one becomes a message, not a crash.

Why a wrapper around `textual.work` rather than Textual's own reporting: by default a worker
that raises ends the app with a traceback (`exit_on_error=True` hands the error to the app's
private `_handle_exception`). The public alternative, `exit_on_error=False` plus a
`Worker.StateChanged` handler, does not scale here: that message does not bubble, so every
screen would need the handler, and a screen that lacked it would swallow real bugs silently.
Catching `DeskError` around the worker's body keeps one place for what the desk can act on
(a refused write, a busy, read-only, damaged or full database), while anything else, a bug,
still reaches Textual and ends the app as before.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

from msgspec import Struct
from textual import work
from textual.dom import DOMNode
from textual.worker import Worker

from callback_tui.store.errors import DeskError
from callback_tui.tui.keys import KeyGate

P = ParamSpec("P")
Node = TypeVar("Node", bound=DOMNode)

ERROR_SECONDS = 15
"""How long an error stays up: long enough to read a line naming a file and what to do."""


def reporting(node: DOMNode, run: Callable[[], None]) -> Callable[[], None]:
    """`run`, for a thread worker of `node`: a DeskError it raises is shown, not raised."""

    def guarded() -> None:
        try:
            run()
        except DeskError as error:
            node.app.call_from_thread(show_desk_error, node, error)

    return guarded


def desk_work(
    *, group: str, exclusive: bool = False, holds_keys: bool = False
) -> Callable[[Callable[Concatenate[Node, P], None]], Callable[Concatenate[Node, P], Worker[None]]]:
    """`@work(thread=True)` for the screens: a DeskError it raises is shown, not raised.

    `holds_keys`: keys typed meanwhile wait until the worker is done (tui/keys.py): for a
    save that closes its screen, whose next keys belong to the screen beneath.
    """

    def decorate(
        method: Callable[Concatenate[Node, P], None],
    ) -> Callable[Concatenate[Node, P], Worker[None]]:
        @wraps(method)
        def body(node: Node, *args: P.args, **kwargs: P.kwargs) -> None:
            held = kwargs.pop(HOLD, None)
            try:
                reporting(node, lambda: method(node, *args, **kwargs))()
            finally:
                if isinstance(held, Held):
                    # Through the gate's own app: a closed dialog no longer has one.
                    with suppress(RuntimeError):  # the app has closed: nothing to release
                        held.gate.app.call_from_thread(held.gate.release, held.token)

        started = work(thread=True, group=group, exclusive=exclusive)(body)
        if not holds_keys:
            return started

        def start(node: Node, /, *args: P.args, **kwargs: P.kwargs) -> Worker[None]:
            gate = key_gate(node)
            kwargs[HOLD] = Held(gate, gate.hold())
            return started(node, *args, **kwargs)

        return start

    return decorate


HOLD = "_callback_tui_key_hold"
"""The keyword that carries a worker's key hold from its start to its end."""


class Held(Struct, frozen=True):
    gate: KeyGate
    token: object


def key_gate(node: DOMNode) -> KeyGate:
    """The app's gate for typed keys (any app built here has one)."""
    gate = getattr(node.app, "keys", None)
    return gate if isinstance(gate, KeyGate) else KeyGate(node.app)


def show_desk_error(node: DOMNode, error: DeskError) -> None:
    """Tell the person, on the UI thread; literally, as the message may name a file path."""
    node.app.notify(str(error), severity="error", markup=False, timeout=ERROR_SECONDS)
