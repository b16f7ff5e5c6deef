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
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

from textual import work
from textual.dom import DOMNode
from textual.worker import Worker

from callback_tui.store.errors import DeskError

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
    *, group: str, exclusive: bool = False
) -> Callable[[Callable[Concatenate[Node, P], None]], Callable[Concatenate[Node, P], Worker[None]]]:
    """`@work(thread=True)` for the screens: a DeskError it raises is shown, not raised."""

    def decorate(
        method: Callable[Concatenate[Node, P], None],
    ) -> Callable[Concatenate[Node, P], Worker[None]]:
        @wraps(method)
        def body(node: Node, *args: P.args, **kwargs: P.kwargs) -> None:
            reporting(node, lambda: method(node, *args, **kwargs))()

        return work(thread=True, group=group, exclusive=exclusive)(body)

    return decorate


def show_desk_error(node: DOMNode, error: DeskError) -> None:
    """Tell the person, on the UI thread; literally, as the message may name a file path."""
    node.app.notify(str(error), severity="error", markup=False, timeout=ERROR_SECONDS)
