"""TOML data files checked on load, with errors that name the file, the key and the line.

The models are msgspec Structs: typed, frozen, unknown keys refused, and cheap enough to
import and check on the way to the first painted queue. A model's own rules (a span that
ends before it starts, two delays at once) live in `__post_init__` and raise `Refused`,
naming the key they are about.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

import msgspec

Model = TypeVar("Model", bound="Strict")

_POSITION = re.compile(r"\(at line (\d+), column \d+\)")
_WHERE = re.compile(r" - at `(?P<path>[^`]*)`(?: in `(?P<within>[^`]*)`)?$")
_STEP = re.compile(r"\.(?P<key>[A-Za-z_]\w*)|\[(?P<index>\d+|\.\.\.)\]")

_WORDS = {
    "Invalid RFC3339 encoded date": "not a date (YYYY-MM-DD)",
    "Invalid RFC3339 encoded time": "not a time (HH:MM:SS)",
}

Text = Annotated[str, msgspec.Meta(min_length=1)]
"""A string that must say something."""


class DataFileError(ValueError):
    """A data file that cannot be used as it is."""

    def __init__(self, path: Path, key: str, line: int | None, problem: str) -> None:
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {key}: {problem}" if key else f"{where}: {problem}")
        self.path, self.key, self.line, self.problem = path, key, line, problem


class Refused(ValueError):
    """A model's own rule broken: `key` is the field it is about, "" for the whole entry.

    A rule about a field deeper down (a profile checking one reason's owner against its
    pools) names its path: `("reasons", "surgery", "callbacks", 0, "owner")`.
    """

    def __init__(self, key: str | tuple[str | int, ...], problem: str) -> None:
        super().__init__(problem)
        self.key, self.problem = key, problem


class Strict(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """Base for data-file models: unknown keys are mistakes, not extras."""


def load(path: Path, model: type[Model]) -> Model:
    """Read `path` and validate it as `model`, or raise DataFileError."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(path, "", None, f"cannot be read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise DataFileError(path, "", None, "is not UTF-8 text") from exc
    return parse(text, path, model)


def parse(text: str, path: Path, model: type[Model]) -> Model:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Python 3.11 keeps the position only in the message: "... (at line 3, column 7)".
        message = str(exc)
        found = _POSITION.search(message)
        line = int(found.group(1)) if found else None
        reason = _POSITION.sub("", message).strip()
        raise DataFileError(path, "", line, f"not valid TOML ({reason})") from exc
    try:
        return msgspec.convert(raw, model)
    except msgspec.ValidationError as exc:
        loc, problem = _located(exc, raw, model)
        raise DataFileError(path, _dotted(loc), _line_of(text, loc), problem) from exc


def _located(
    error: msgspec.ValidationError, raw: Any, model: type[Strict]
) -> tuple[tuple[Any, ...], str]:
    """Where in the file `error` is, as keys and indexes, and what is wrong there."""
    message = str(error)
    where = _WHERE.search(message)
    problem = message[: where.start()] if where else message
    path = where.group("within") or where.group("path") if where else "$"
    loc, value = _resolve(path, raw, model)
    unknown = re.fullmatch(r"Object contains unknown field `(.+)`", problem)
    if unknown:
        return (*loc, unknown.group(1)), "unknown key"
    key = re.fullmatch(r"Invalid enum value '?(.*?)'?", problem)
    if where and where.group("within") and key:  # a table key not on the list
        return (*loc, key.group(1)), "unknown key"
    cause = error.__cause__
    if isinstance(cause, Refused):
        deeper = cause.key if isinstance(cause.key, tuple) else (cause.key,) if cause.key else ()
        return (*loc, *deeper), cause.problem
    problem = _WORDS.get(problem, problem.replace("`", ""))  # msgspec quotes: `int`
    if isinstance(value, str | int | float) and "got" not in problem:
        problem = f"{problem} (got {value!r})"
    return loc, problem


def _resolve(path: str, raw: Any, model: Any) -> tuple[tuple[Any, ...], Any]:
    """msgspec's path (`$.reasons[...].callbacks[1]`) with each `[...]` named: the first
    entry of that table that does not convert is the one the error is about. With it, the
    value found there."""

    loc: list[Any] = []
    kind: Any = model
    for step in _STEP.finditer(path.removeprefix("$")):
        kind = _bare(kind)
        if step.group("key") is not None:
            key = step.group("key")
            fields = {field.name: field.type for field in msgspec.structs.fields(kind)}
            kind, raw = fields.get(key, Any), raw.get(key) if isinstance(raw, dict) else None
            loc.append(key)
        elif step.group("index") == "...":
            kind = get_args(kind)[1] if get_args(kind) else Any
            name, raw = _failing_entry(raw, kind)
            loc.append(name)
        else:
            index = int(step.group("index"))
            kind = get_args(kind)[0] if get_args(kind) else Any
            raw = raw[index] if isinstance(raw, list) and index < len(raw) else None
            loc.append(index)
    return tuple(loc), raw


def _failing_entry(table: Any, kind: Any) -> tuple[str, Any]:
    if not isinstance(table, dict):
        return "?", None
    for name, value in table.items():
        try:
            msgspec.convert(value, kind)
        except msgspec.ValidationError:
            return str(name), value
    return "?", None


def _bare(kind: Any) -> Any:
    """`kind` without Annotated, and without None when optional."""
    while True:
        if get_origin(kind) is Annotated:
            kind = get_args(kind)[0]
        elif get_origin(kind) in (Union, type(int | None)):
            kind = next(arg for arg in get_args(kind) if arg is not type(None))
        else:
            return kind


def _dotted(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts[-1:] = [f"{parts[-1]}[{item}]"] if parts else [f"[{item}]"]
        else:
            parts.append(str(item))
    return ".".join(parts)


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_ASSIGN = re.compile(r"^\s*([A-Za-z0-9_\-\"'.]+)\s*=")


def _line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """The line that best holds a validation location: the deepest key or header on its path.

    TOML parsers keep no positions, so this walks the text, tracking the current table
    (with the index of each `[[array]]` entry) and each key's full path.
    """
    target = [str(part) for part in loc]
    header: list[str] = []
    seen: dict[str, int] = {}
    best: int | None = None
    best_depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        match = _HEADER.match(line)
        if match:
            header = _split(match.group(2))
            if match.group(1) == "[[":
                name = ".".join(header)
                seen[name] = seen.get(name, -1) + 1
                header = [*header, str(seen[name])]
            path = header
        else:
            assign = _ASSIGN.match(line)
            if not assign:
                continue
            path = header + _split(assign.group(1))
        if len(path) > best_depth and target[: len(path)] == path:
            best, best_depth = number, len(path)
    return best


def _split(dotted: str) -> list[str]:
    return [part.strip().strip("\"'") for part in dotted.split(".")]
