"""The columns a case handler sorts a findings table by, written after the contract's columns:

- rule_title: the rule's title in the sweep's language;
- total_amount: the decisions' amounts added up (yuan; empty when no decision has one);
- decision_kinds: the kinds of the finding's decisions;
- official_post, official_rank: the official's post at the time — the post covering the finding's first date
  (the highest-ranked when several do), else the latest post that started before it (a role after leaving office);
- relation: how the relative or associate in between is related to the official (from the evidence);
- as_of: the sweep's reference date, so that a findings file says what its scores were computed against.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from ..graph.backend import Backend
from ..graph.vocabulary import DECISION_KIND, RANK, RELATION
from .catalog import catalog

CASE_COLUMNS = ("rule_title", "total_amount", "decision_kinds", "official_post", "official_rank", "relation", "as_of")
_RANK_ORDER = {r: i for i, r in enumerate(RANK.ids)}  # ministerial first


def _iso(value: Any) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    iso = getattr(value, "isoformat", None) or getattr(value, "iso_format", None)
    return (iso() if iso else str(value))[:10] or None


def case_columns(backend: Backend, findings: list[dict[str, Any]], lang: str, as_of: str | None) -> pd.DataFrame:
    """One row per finding (same order), the CASE_COLUMNS."""
    rules = catalog()
    decisions = _decisions(backend, findings)
    posts = _posts(backend, findings)
    titles = {rule_id: rule.title(lang) for rule_id, rule in rules.items()}
    rows = []
    for f in findings:
        ids = [d for d in (f.get("decision_ids") or "").split(";") if d]
        kinds = sorted({k for d in ids if d in decisions and (k := decisions[d][0])})
        amounts = [a for d in ids if d in decisions and (a := decisions[d][1]) is not None]
        total = sum(amounts) if amounts else None  # none of the decisions has an amount: empty, not 0
        post = _post_at(posts.get(f.get("official_id") or ""), f.get("first_date"))
        rows.append({
            "rule_title": titles.get(f["rule"], f["rule"]),
            "total_amount": float(total) if total is not None else None,
            "decision_kinds": ";".join(DECISION_KIND.label(k, lang) for k in kinds),
            "official_post": post[0] if post else None,
            "official_rank": RANK.label(post[1], lang) if post and post[1] else None,
            "relation": _relation(f, lang),
            "as_of": as_of,
        })
    return pd.DataFrame(rows, columns=list(CASE_COLUMNS))


def _decisions(backend: Backend, findings: list[dict[str, Any]]) -> dict[str, tuple[str | None, float | None]]:
    ids = {d for f in findings for d in (f.get("decision_ids") or "").split(";") if d}
    table = backend.lookup("decision", ids)
    out: dict[str, tuple[str | None, float | None]] = {}
    for decision_id, kind, amount in table[["decision_id", "kind", "amount"]].itertuples(index=False, name=None):
        known = amount is not None and not pd.isna(amount)
        out[str(decision_id)] = (str(kind) if kind else None, float(amount) if known else None)
    return out


def _posts(backend: Backend, findings: list[dict[str, Any]]) -> dict[str, list[tuple]]:
    officials = {f["official_id"] for f in findings if f.get("official_id")}
    table = backend.lookup("post", officials)
    if table.empty:
        return {}
    orgs = backend.lookup("org", set(table["org_id"].dropna()))
    names = {str(k): str(v) for k, v in zip(orgs["org_id"], orgs["name"], strict=True)}
    out: dict[str, list[tuple]] = {}
    rows = table[["person_id", "org_id", "title", "rank", "start_date", "end_date"]].itertuples(index=False, name=None)
    for person, org, title, rank, start, end in rows:
        label = " ".join(x for x in (names.get(str(org)) or str(org), title) if x)
        out.setdefault(str(person), []).append((_iso(start), _iso(end), label, rank))
    return out


def _post_at(posts: list[tuple] | None, date: str | None) -> tuple[str, str | None] | None:
    if not posts or not date:
        return None
    covering = [p for p in posts if p[0] and p[0] <= date and (p[1] is None or date <= p[1])]
    if covering:
        best = min(covering, key=lambda p: (_RANK_ORDER.get(p[3], len(_RANK_ORDER)), p[2]))
        return best[2], best[3]
    before = [p for p in posts if p[0] and p[0] <= date]
    if before:
        last = max(before, key=lambda p: (p[0], p[2]))
        return last[2], last[3]
    return None


def _relation(f: dict[str, Any], lang: str) -> str | None:
    official, via = f.get("official_id"), f.get("via_id")
    if not official:
        return None
    evidence = f.get("evidence")
    if isinstance(evidence, str) and '"RELATIVE_OF"' not in evidence:
        return None  # no kinship edge (most findings): not parsed
    try:
        edges = (json.loads(evidence) if isinstance(evidence, str) else evidence or {}).get("edges", [])
    except (ValueError, AttributeError):
        return None
    kin = [e for e in edges if e.get("type") == "RELATIVE_OF" and e.get("src") == official and e.get("label")]
    kin.sort(key=lambda e: (e.get("dst") != via, e.get("label")))  # the one to the person in between first
    return RELATION.label(kin[0]["label"], lang) if kin else None


__all__ = ["CASE_COLUMNS", "case_columns"]
