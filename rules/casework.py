"""The columns a case handler sorts a findings table by, written after the contract's columns:

- rule_title: the rule's title in the sweep's language;
- total_amount: the decisions' amounts added up (yuan; empty when no decision has one);
- decision_kinds: the kinds of the finding's decisions;
- official_post, official_rank: the official's post at the time — the post covering the finding's first date
  (the highest-ranked when several do), else the latest post that started before it (a role after leaving office);
- relation: how the relative or associate in between is related to the official (from the evidence);
- as_of: the sweep's reference date, so that a findings file says what its scores were computed against.

decision_kinds, official_rank and relation hold the vocabularies' ids (spouse, not 配偶), as severity does: a
header of titles shows them in its language's words (titles.worded), and JSON lines and Parquet keep the ids.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from ..graph.backend import Backend
from ..graph.vocabulary import RANK
from .catalog import catalog

CASE_COLUMNS = ("rule_title", "total_amount", "decision_kinds", "official_post", "official_rank", "relation", "as_of")
_RANK_ORDER = {r: i for i, r in enumerate(RANK.ids)}  # ministerial first


def _iso(value: Any) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    iso = getattr(value, "isoformat", None) or getattr(value, "iso_format", None)
    return (iso() if iso else str(value))[:10] or None


def case_columns(backend: Backend, findings: list[dict[str, Any]], lang: str, as_of: str | None) -> pd.DataFrame:
    """One row per finding (same order), the CASE_COLUMNS. Built a column at a time; what several findings share
    (the same decisions, the same official on the same date, a word's label) is worked out once."""
    if not findings:
        return pd.DataFrame([], columns=list(CASE_COLUMNS))
    titles = {rule_id: rule.title(lang) for rule_id, rule in catalog().items()}
    decisions = _decisions(backend, findings)
    posts = _posts(backend, findings)
    by_ids: dict[str, tuple[float | None, str]] = {}
    by_post: dict[tuple[str, Any], tuple[str | None, str | None]] = {}
    columns: dict[str, list[Any]] = {c: [] for c in CASE_COLUMNS[:-1]}
    rule_title, total_amount, decision_kinds, official_post, official_rank, relation = columns.values()
    for f in findings:
        rule = f["rule"]
        rule_title.append(titles.get(rule, rule))
        key = f.get("decision_ids") or ""
        if (amount := by_ids.get(key)) is None:
            amount = by_ids[key] = _amount_and_kinds(key, decisions)
        total_amount.append(amount[0])
        decision_kinds.append(amount[1])
        at = (f.get("official_id") or "", f.get("first_date"))
        if (held := by_post.get(at)) is None:
            post = _post_at(posts.get(at[0]), at[1])
            held = by_post[at] = (post[0], post[1] or None) if post else (None, None)
        official_post.append(held[0])
        official_rank.append(held[1])
        relation.append(_relation(f))
    columns["as_of"] = [as_of] * len(findings)
    return pd.DataFrame(columns, columns=list(CASE_COLUMNS))


def total_amounts(backend: Backend, findings: list[dict[str, Any]]) -> list[float | None]:
    """Each finding's total_amount (same order): its decisions' amounts in the decision table added up; None
    when none of them has one (not 0). The findings table's column and the workbench's amount are this."""
    decisions = _decisions(backend, findings)
    return [_total([d for d in (f.get("decision_ids") or "").split(";") if d], decisions) for f in findings]


def _total(ids: list[str], decisions: dict[str, tuple[str | None, float | None]]) -> float | None:
    amounts = [a for d in ids if d in decisions and (a := decisions[d][1]) is not None]
    return float(sum(amounts)) if amounts else None


def _amount_and_kinds(key: str, decisions: dict[str, tuple[str | None, float | None]]) -> tuple[float | None, str]:
    """The total amount (none of the decisions has one: empty, not 0) and the kinds of a finding's decisions."""
    ids = [d for d in key.split(";") if d]
    known = sorted({k for d in ids if d in decisions and (k := decisions[d][0])})
    return _total(ids, decisions), ";".join(known)


def _decisions(backend: Backend, findings: list[dict[str, Any]]) -> dict[str, tuple[str | None, float | None]]:
    ids = {d for f in findings for d in (f.get("decision_ids") or "").split(";") if d}
    table = backend.lookup("decision", ids, ["decision_id", "kind", "amount"])
    has_amount = table["amount"].notna().tolist()
    return {str(decision_id): (str(kind) if kind else None, float(amount) if known else None)
            for decision_id, kind, amount, known in zip(table["decision_id"].tolist(), table["kind"].tolist(),
                                                        table["amount"].tolist(), has_amount, strict=True)}


def _posts(backend: Backend, findings: list[dict[str, Any]]) -> dict[str, list[tuple]]:
    officials = {f["official_id"] for f in findings if f.get("official_id")}
    table = backend.lookup("post", officials, ["person_id", "org_id", "title", "rank", "start_date", "end_date"])
    if table.empty:
        return {}
    orgs = backend.lookup("org", set(table["org_id"].dropna()), ["org_id", "name"])
    names = {str(k): str(v) for k, v in zip(orgs["org_id"].tolist(), orgs["name"].tolist(), strict=True)}
    out: dict[str, list[tuple]] = {}
    rows = zip(table["person_id"].tolist(), table["org_id"].tolist(), table["title"].tolist(), table["rank"].tolist(),
               _isos(table["start_date"]), _isos(table["end_date"]), strict=True)
    for person, org, title, rank, start, end in rows:
        label = " ".join(x for x in (names.get(str(org)) or str(org), title) if x)
        out.setdefault(str(person), []).append((start, end, label, rank))
    return out


def _isos(column: pd.Series) -> list[str | None]:
    """_iso of every value: a column of dates as numpy's days when they all read as four-digit years."""
    if pd.api.types.is_datetime64_dtype(column.dtype):
        days = np.datetime_as_string(column.to_numpy().astype("datetime64[D]"))
        missing = column.isna().to_numpy()
        if all(len(d) == 10 for d in days[~missing].tolist()):
            return [None if m else d for d, m in zip(days.tolist(), missing.tolist(), strict=True)]
    return [_iso(v) for v in column.tolist()]


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


def _relation(f: dict[str, Any]) -> str | None:
    official, via = f.get("official_id"), f.get("via_id")
    if not official:
        return None
    facts = f.get("_facts")  # a sweep's finding: its evidence facts' canonical JSON (rules.findings.facts_of)
    if isinstance(facts, str) and '"RELATIVE_OF"' not in facts:
        return None  # no kinship edge (most findings): not parsed
    if isinstance(facts, str):
        facts = json.loads(facts)
    if isinstance(facts, dict) and isinstance(facts.get("edges"), list):
        edges = facts["edges"]
    else:
        evidence = f.get("evidence")
        if isinstance(evidence, str) and '"RELATIVE_OF"' not in evidence:
            return None  # no kinship edge (most findings): not parsed
        try:
            edges = (json.loads(evidence) if isinstance(evidence, str) else evidence or {}).get("edges", [])
        except (ValueError, AttributeError):
            return None
    kin = [e for e in edges if e.get("type") == "RELATIVE_OF" and e.get("src") == official and e.get("label")]
    kin.sort(key=lambda e: (e.get("dst") != via, e.get("label")))  # the one to the person in between first
    return kin[0]["label"] if kin else None


__all__ = ["CASE_COLUMNS", "case_columns", "total_amounts"]
