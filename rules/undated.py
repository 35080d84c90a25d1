"""Company roles a rule could not place for want of a start date.

A rule that needs a role's start (a role taken after leaving office, a role held while in post) cannot tell
where a role without one falls. It does not drop such roles silently: its undated query (undated.sql,
undated.cypher) returns one row per role it would have had to place, with the columns below and a reason key;
rule.toml's [undated.reasons.KEY] words the reason in Chinese and English from the row's columns. They are
listed beside the findings (the sweep summary counts them; `--aggregate-out` writes undated.csv), never
counted as findings: a `reported_on` date says when a source saw the role, not when it began.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..graph.backend import Backend
from .spec import Rule, RuleDefinitionError

#: What every undated query returns (besides the columns its reasons use).
QUERY_COLUMNS = ("holder_id", "org_id", "role", "end_date", "reported_on", "reason")
#: One listed row (undated.csv's columns, in order).
COLUMNS = ("rule", "holder_id", "holder_name", "org_id", "org_name", "role", "end_date", "reported_on", "reason")


class _Blank(dict):
    def __missing__(self, key):
        return ""


def undated_rows(backend: Backend, rule: Rule, rows: list[dict[str, Any]], lang: str,
                 nodes: Mapping[str, dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """An undated query's rows as listed rows: names looked up (in `nodes` when given: Backend.nodes of at least
    every holder and organization), the reason worded in `lang`, each row once, in a stable order (the same on
    every backend)."""
    assert rule.undated is not None
    if rows:
        missing = [c for c in QUERY_COLUMNS if c not in rows[0]]
        if missing:
            raise RuleDefinitionError(f"rule {rule.id}: its undated query returns no {', '.join(missing)}; fix: "
                                      f"return {', '.join(QUERY_COLUMNS)} (and the columns its reasons use)")
    names = nodes if nodes is not None else backend.nodes({r["holder_id"] for r in rows} | {r["org_id"] for r in rows})
    out = {}
    for row in rows:
        texts = rule.undated.reasons.get(row["reason"])
        if texts is None:
            raise RuleDefinitionError(f"rule {rule.id}: its undated query gives reason {row['reason']!r}; fix: add "
                                      f"[undated.reasons.{row['reason']}] to rule.toml, or use one of "
                                      f"{', '.join(rule.undated.reasons)}")
        listed = {
            "rule": rule.id, "holder_id": row["holder_id"], "holder_name": _name(names, row["holder_id"]),
            "org_id": row["org_id"], "org_name": _name(names, row["org_id"]), "role": row["role"],
            "end_date": row["end_date"], "reported_on": row["reported_on"],
            "reason": texts[lang].format_map(_Blank({k: v for k, v in row.items() if v is not None})),
        }
        out[tuple(str(listed[c]) for c in COLUMNS)] = listed
    return [out[k] for k in sorted(out)]


def _name(names: Mapping[str, dict[str, Any]], entity_id: str) -> str | None:
    return (names.get(entity_id) or {}).get("name")


def undated_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Listed rows as a table with undated.csv's columns (none listed: the header alone)."""
    return pd.DataFrame(rows, columns=list(COLUMNS))
