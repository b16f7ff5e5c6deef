"""Call scripts: what to say for each kind of callback, and the lines nobody may cross."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

from msgspec import Meta, Struct

from callback_tui.domain import datafile
from callback_tui.domain.datafile import Text


class Script(datafile.Strict, frozen=True, kw_only=True):
    greeting: Text
    purpose: Text
    questions: Annotated[list[str], Meta(min_length=1)]
    close: Text
    voicemail: Text
    """Privacy-safe: never names the patient, the reason or anything clinical."""
    text: Text
    """The approved follow-up text, for a client who agreed to texts; privacy-safe as the
    voicemail."""


class ScriptBook(datafile.Strict, frozen=True, kw_only=True):
    red_flags: Annotated[list[str], Meta(min_length=1)]
    path_back: Text
    """What the client is told on the last try, and what the closing note keeps: the way
    back to the clinic once the calls stop. Privacy-safe."""
    scripts: Annotated[dict[str, Script], Meta(min_length=1)]


class SpokenScript(Struct, frozen=True):
    """A script with the names filled in, ready to read out."""

    greeting: str
    purpose: str
    questions: tuple[str, ...]
    close: str
    voicemail: str
    text: str
    path_back: str
    red_flags: tuple[str, ...]


class _Blanks(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(book: ScriptBook, script: str, names: Mapping[str, str]) -> SpokenScript:
    """The script for `script` with `{client}`, `{patient}`, `{caller}`, `{clinic}` … filled in.

    Names are substituted once and never re-read, so braces in a name stay as typed.
    """
    chosen = book.scripts.get(script) or book.scripts["general"]

    def say_it(text: str) -> str:
        return say(text, names)

    return SpokenScript(
        greeting=say_it(chosen.greeting),
        purpose=say_it(chosen.purpose),
        questions=tuple(say_it(q) for q in chosen.questions),
        close=say_it(chosen.close),
        voicemail=say_it(chosen.voicemail),
        text=say_it(chosen.text),
        path_back=say_it(book.path_back),
        red_flags=tuple(say_it(line) for line in book.red_flags),
    )


def say(text: str, names: Mapping[str, str]) -> str:
    """One line of a script with its `{placeholders}` filled; unknown ones stay as written."""
    return text.format_map(_Blanks(names))


def load_scripts(path: Path) -> ScriptBook:
    book = datafile.load(path, ScriptBook)
    if "general" not in book.scripts:
        raise datafile.DataFileError(path, "scripts.general", None, "a general script is required")
    return book
