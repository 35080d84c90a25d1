"""Dependencies flow one way: the command line and the workbench call the library API (govties.api) only; the API
calls loaders, rules, visualize and the generator (examples); all of them use graph, and graph uses none of them.
Read from every module's import statements (in subfolders too), relative and absolute."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SUBPACKAGES = ("graph", "loaders", "rules", "visualize", "examples", "api", "cli", "workbench")
# modules at the package's top: small helpers every layer may use (errors, cell and file checks, masking, titles)
SHARED = {"", "cells", "errors", "files", "privacy", "titles"}


def _imports(path: Path) -> set[str]:
    """What a module of the package imports from the package: the first name after `govties.` (a subpackage or a
    top-level module; "" for `govties` itself)."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return _imported(path.read_text(encoding="utf-8"), parts[:-1])


def _imported(source: str, package: tuple[str, ...]) -> set[str]:
    """The names of the package a module's source imports, relative (`from ..graph import x`) and absolute
    (`import govties.graph.x`, `from govties.graph import x`, `from govties import graph`), at its top or inside
    a function; `package`: the module's package below the root (("api",) for api/graph.py and api/__init__.py)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
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


def _modules(subpackage: str, root: Path = ROOT) -> list[Path]:
    """Every module of a subpackage, in its subfolders too."""
    return sorted((root / subpackage).rglob("*.py"))


def test_the_reader_sees_relative_and_absolute_imports():
    assert _imports(ROOT / "cli" / "main.py") >= {"api", "errors"}
    assert "graph" in _imports(ROOT / "api" / "graph.py")
    source = """
import os
import govties.graph.backend
import govties
from govties.rules.engine import sweep
from govties import visualize as v, errors
from govties.loaders import load_dataset
from ...examples.shapes import Shape
from ... import cells
from .. import layout
from . import words
from .core import Ctx

def later():
    import govties.privacy
    from ...titles import titled
"""
    assert _imported(source, ("workbench", "deep")) == {"graph", "rules", "visualize", "errors", "loaders",
                                                         "examples", "cells", "workbench", "privacy", "titles"}
    assert _imported("from . import words\nfrom .. import api\n", ("workbench",)) == {"workbench", "api"}
    assert _imported("from .graph import Graph\n", ("api",)) == {"api"}


def test_every_subpackage_is_checked_with_its_subfolders(tmp_path):
    assert [p for p, _ in LAYERS] == list(SUBPACKAGES)
    assert {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()} - {"tests"} == set(SUBPACKAGES)
    (tmp_path / "workbench" / "pages").mkdir(parents=True)
    for name in ("workbench/__init__.py", "workbench/app.py", "workbench/pages/inbox.py", "workbench/notes.txt"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in _modules("workbench", tmp_path)] == [
        "workbench/__init__.py", "workbench/app.py", "workbench/pages/inbox.py"]


LAYERS = [
    ("graph", set()),
    ("loaders", {"graph", "loaders"}),
    ("rules", {"graph", "loaders", "rules"}),
    ("visualize", {"graph", "rules", "visualize"}),
    ("examples", {"graph", "loaders"}),  # the synthetic province's generator (api.generate calls it)
    ("api", {"api", "graph", "loaders", "rules", "visualize", "examples"}),
    ("cli", {"api", "cli", "workbench"}),  # `govties serve` starts the workbench, a front end of its own
    ("workbench", {"api"}),  # a front end over the library, like the command line
]


@pytest.mark.parametrize("subpackage, allowed", LAYERS)
def test_each_layer_imports_only_the_layers_below_it(subpackage, allowed):
    allowed = allowed | {subpackage} | SHARED
    modules = _modules(subpackage)
    assert modules
    wrong = {f"{path.relative_to(ROOT)} imports govties.{name}" for path in modules
             for name in _imports(path) - allowed if name in SUBPACKAGES}
    assert not wrong, sorted(wrong)


def test_the_workbench_reaches_no_backend_or_store_through_the_api_objects():
    """Imports are not the only way past the library API: `ctx.graph.backend.nodes(...)` or `ws.store.one(...)`
    would call graph/ from the workbench. Every attribute access in workbench/ is read: none is `.backend` or
    `.store`."""
    reached = []
    for path in sorted((ROOT / "workbench").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("backend", "store"):
                reached.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}")
    assert reached == []


def test_a_command_loads_neither_neo4j_nor_networkx_until_it_needs_them():
    """Every command starts by importing the CLI: Neo4j's driver and networkx (about 0.3 s together) are imported
    where a Neo4j graph is opened or a view is drawn, not then."""
    code = "import sys, govties.cli.main; print(sorted({'neo4j', 'networkx'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
