"""Arrows point one way: tui → store → domain. The core never imports Textual."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import callback_tui

PACKAGE = Path(callback_tui.__file__).parent
CORE = ("domain", "store", "io")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_no_core_file_imports_textual_or_the_tui() -> None:
    offenders = []
    for layer in CORE:
        for path in sorted((PACKAGE / layer).rglob("*.py")):
            for module in imported_modules(path):
                if module.split(".")[0] == "textual" or module.startswith("callback_tui.tui"):
                    offenders.append(f"{path.relative_to(PACKAGE)} imports {module}")
    assert offenders == []


def test_domain_imports_neither_sql_nor_the_store() -> None:
    offenders = []
    for path in sorted((PACKAGE / "domain").rglob("*.py")):
        for module in imported_modules(path):
            root = module.split(".")[0]
            if root in ("sqlalchemy", "sqlmodel") or module.startswith("callback_tui.store"):
                offenders.append(f"{path.relative_to(PACKAGE)} imports {module}")
    assert offenders == []


def test_loading_the_core_and_the_cli_leaves_textual_unloaded() -> None:
    modules = [
        f"callback_tui.{layer}.{path.stem}"
        for layer in CORE
        for path in sorted((PACKAGE / layer).glob("*.py"))
        if path.stem != "__init__"
    ]
    code = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in modules)
        + "import callback_tui.cli, callback_tui.demo\n"
        + "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'textual')\n"
        + "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
