"""The rule catalog: every folder under rules/catalog/ is one rule."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..graph.duckdb_backend import DuckDBBackend
from ..graph.model import FILE_TABLE
from .spec import Rule, RuleDefinitionError, load_rule

CATALOG_DIR = Path(__file__).parent / "catalog"


def load_catalog(folder: Path | None = None) -> dict[str, Rule]:
    folder = folder or CATALOG_DIR
    rules = []
    with DuckDBBackend() as empty:  # one empty graph to run every rule's SQL over, for the columns it returns
        for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
            rules.append(_checked(load_rule(sub, empty)))
    return {r.id: r for r in sorted(rules, key=lambda r: (r.order, r.id))}


def _checked(rule: Rule) -> Rule:
    unknown = [f for f in rule.inputs if f not in FILE_TABLE]
    if unknown:
        raise RuleDefinitionError(f"rule {rule.id}: inputs name unknown file(s) {', '.join(unknown)}; fix: use "
                                  f"contract files: {', '.join(FILE_TABLE)}")
    return rule


@lru_cache(maxsize=1)
def catalog() -> dict[str, Rule]:
    return load_catalog()


