"""Letting go of widgets that are gone (Textual issue #6666).

A widget that watches a longer-lived one (a footer key its footer's `compact`, a text area
the app's `theme`) leaves its watch on that other object, and Textual prunes it only when the
watched value changes, which at a desk it never does. Every removed widget stayed alive: the
keys of every footer rebuild, the note box of every call dialog, with their styles and render
caches. Over a morning of calls the heap grew by thousands of objects a call, and Python's full
collections, which walk all of them, took longer and longer (a quarter of a second after forty
calls). `drop_detached_watches` removes the watches of widgets no longer on screen.
"""

from __future__ import annotations

from typing import Any


def drop_detached_watches(watched: Any) -> None:
    """Forget the watches on `watched` held by widgets that have been removed."""
    for watches in getattr(watched, "__watchers", {}).values():
        watches[:] = [
            (watcher, callback)
            for watcher, callback in watches
            if getattr(watcher, "is_attached", True)
        ]


def drop_style_caches() -> None:
    """Let go of the render caches of removed widgets.

    Textual memoises `StylesCache.get_inner_outer` with the widget's style cache as part of the
    key (1 024 of them), so the rendered lines of the last thousand removed widgets (a few dozen
    per call dialog) stay alive and every full collection walks them. The memo is pure: cleared,
    it refills from the widgets on screen at their next paint.
    """
    from textual._styles_cache import StylesCache

    clear = getattr(StylesCache.get_inner_outer, "cache_clear", None)
    if clear is not None:
        clear()
