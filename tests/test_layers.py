"""Dependencies flow one way: the command line calls the library API (govties.api); the API calls loaders, rules
and visualize; all of them use graph, and graph uses none of them. Read from the source's import statements."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SUBPACKAGES = ("api", "cli", "graph", "loaders", "rules", "visualize", "workbench", "examples")
# modules at the package's top: small helpers every layer may use (errors, cell and file checks, masking, titles)
SHARED = {"", "cells", "errors", "files", "privacy", "titles"}


def _imports(path: Path) -> set[str]:
    """What a module of the package imports from the package: the first name after `govties.` (a subpackage or a
    top-level module; "" for `govties` itself)."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    package = parts[:-1] if parts[-1] != "__init__" else parts[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - node.level + 1])
                target = base + (node.module.split(".") if node.module else [])
                if not target:  # `from .. import api`: the names are the modules
                    found.update(alias.name for alias in node.names)
                    continue
                found.add(target[0])
            elif node.module and (node.module == "govties" or node.module.startswith("govties.")):
                rest = node.module.split(".")[1:]
                found.update([rest[0]] if rest else [alias.name for alias in node.names])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("govties."))
    return found


def _modules(subpackage: str) -> list[Path]:
    return sorted((ROOT / subpackage).glob("*.py"))


def test_the_reader_sees_relative_and_absolute_imports(tmp_path):
    assert _imports(ROOT / "cli" / "main.py") >= {"api", "errors"}
    assert "graph" in _imports(ROOT / "api" / "graph.py")


@pytest.mark.parametrize("subpackage, allowed", [
    ("graph", set()),
    ("loaders", {"graph", "loaders"}),
    ("rules", {"graph", "loaders", "rules"}),
    ("visualize", {"graph", "rules", "visualize"}),
    ("api", {"api", "graph", "loaders", "rules", "visualize", "examples"}),
    ("cli", {"api", "cli", "workbench"}),  # `govties serve` starts the workbench, a front end of its own
])
def test_each_layer_imports_only_the_layers_below_it(subpackage, allowed):
    allowed = allowed | {subpackage} | SHARED
    wrong = {f"{path.relative_to(ROOT)} imports govties.{name}" for path in _modules(subpackage)
             for name in _imports(path) - allowed if name in SUBPACKAGES}
    assert not wrong, sorted(wrong)
