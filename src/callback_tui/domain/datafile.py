"""TOML data files checked on load, with errors that name the file, the key and the line."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

Model = TypeVar("Model", bound=BaseModel)

_POSITION = re.compile(r"\(at line (\d+), column \d+\)")


class DataFileError(ValueError):
    """A data file that cannot be used as it is."""

    def __init__(self, path: Path, key: str, line: int | None, problem: str) -> None:
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {key}: {problem}" if key else f"{where}: {problem}")
        self.path, self.key, self.line, self.problem = path, key, line, problem


class Strict(BaseModel):
    """Base for data-file models: unknown keys are mistakes, not extras."""

    model_config = ConfigDict(extra="forbid", frozen=True)


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
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        key = _dotted(loc)
        problem = "unknown key" if first["type"] == "extra_forbidden" else first["msg"]
        if first["type"] != "extra_forbidden" and "input" in first:
            problem = f"{problem} (got {first['input']!r})"
        raise DataFileError(path, key, _line_of(text, loc), problem) from exc


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
