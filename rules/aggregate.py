"""Ranked risk tables built from a sweep's findings: per official, company, agency and region.

- officials: findings per rule, total amount of the decisions involved, combined score — the first list a
  supervisor reads.
- companies: companies tied to findings, ranked by how many officials they are tied to (受贿行贿一起查).
- agencies and regions: a comparable index (科学量化评价, 晾晒比拼): facts weighted by severity
  (high 3, medium 2, low 1) per 10 officials holding posts there, and the share of those officials flagged.

Each fact counts once, whatever the number of rules that see it. A fact is a decision (for findings that name
decisions), else the tie between the official, the organization and the person in between. Within one row of a
table (an official, a company, an agency, a region), findings that share a fact are one fact — e.g. a decision
that is both `relative-business` and `village-relatives` — and that fact's score and severity are the strongest
of its findings. `facts` counts them; `findings` counts the rows of the findings table.

The combined score of several facts is 100 × (1 − Π(1 − score/100)) over the facts: one strong lead dominates,
many weak ones add up, and it never exceeds 100.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..graph.backend import Backend
from ..graph.regions import region_name
from ..titles import NO_REGION

SEVERITY_WEIGHT = {"high": 3, "medium": 2, "low": 1}


def combined(scores: pd.Series) -> int:
    rest = 1.0
    for s in scores:
        rest *= 1 - float(s) / 100
    return int(round(100 * (1 - rest)))


def _tokens(row) -> list[tuple]:
    """The facts a finding states: its decisions, else the official–organization–person tie."""
    decisions = [d for d in (row.decision_ids or "").split(";") if d]
    if decisions:
        return [("decision", d) for d in decisions]
    return [("tie", row.official_id, row.org_id, row.via_id)]


def fact_of(f: pd.DataFrame, key: str) -> pd.Series:
    """For each finding (row of `f`), the fact it belongs to within its `key` (official, company ...): findings
    of one key that share a decision or a tie are one fact (joined transitively). Labels are row positions."""
    parent = list(range(len(f)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple, int] = {}
    for i, row in enumerate(f.itertuples(index=False)):
        for token in _tokens(row):
            j = first.setdefault((getattr(row, key), *token), i)
            if j != i:
                parent[root(i)] = root(j)
    return pd.Series([root(i) for i in range(len(f))], index=f.index)


def _facts(g: pd.DataFrame, key: str) -> pd.DataFrame:
    """One row per fact of each key: its key, strongest score and severity weight."""
    g = g.assign(_fact=fact_of(g, key).values, _weight=g["severity"].map(SEVERITY_WEIGHT))
    return g.groupby("_fact").agg(key=(key, "first"), score=("score", "max"), weight=("_weight", "max"))


def _decision_amounts(backend: Backend, findings: pd.DataFrame) -> pd.DataFrame:
    ids = sorted({d for v in findings["decision_ids"] if v for d in v.split(";")})
    dec = backend.lookup("decision", ids)
    return dec[["decision_id", "agency_id", "amount"]]


def _explode(findings: pd.DataFrame) -> pd.DataFrame:
    f = findings[["finding_id", "decision_ids"]].copy()
    f["decision_id"] = f["decision_ids"].map(lambda v: v.split(";") if v else [])
    return f.explode("decision_id").dropna(subset=["decision_id"])


def aggregate(backend: Backend, findings: list[dict[str, Any]], rule_ids: list[str]) -> dict[str, pd.DataFrame]:
    if not findings:
        return {k: pd.DataFrame() for k in ("officials", "companies", "agencies", "regions")}
    f = pd.DataFrame(findings).astype(object).where(lambda x: x.notna(), None)
    f["decision_ids"] = f["decision_ids"].fillna("")
    per_decision = _explode(f).merge(_decision_amounts(backend, f), on="decision_id", how="left")
    return {
        "officials": _officials(f, per_decision, rule_ids),
        "companies": _companies(f, per_decision),
        **_places(backend, f, per_decision),
    }


def _amount_by(per_decision: pd.DataFrame, f: pd.DataFrame, key: str) -> pd.Series:
    joined = per_decision.merge(f[["finding_id", key]], on="finding_id")
    return joined.drop_duplicates([key, "decision_id"]).groupby(key)["amount"].sum(min_count=1)


def _officials(f: pd.DataFrame, per_decision: pd.DataFrame, rule_ids: list[str]) -> pd.DataFrame:
    g = f[f["official_id"].notna()]
    if g.empty:
        return pd.DataFrame()
    counts = g.pivot_table(index="official_id", columns="rule", values="finding_id", aggfunc="count", fill_value=0)
    counts = counts.reindex(columns=[r for r in rule_ids if r in counts.columns])
    facts = _facts(g, "official_id").groupby("key")
    out = pd.DataFrame({
        "official_name": g.groupby("official_id")["official_name"].first(),
        "facts": facts.size(),
        "findings": g.groupby("official_id").size(),
        "high": g[g["severity"] == "high"].groupby("official_id").size(),
        "combined_score": facts["score"].apply(combined),
        "total_amount": _amount_by(per_decision, g, "official_id"),
        "companies": g.groupby("official_id")["org_id"].nunique(),
    }).join(counts)
    out["high"] = out["high"].fillna(0).astype(int)
    out = out.reset_index().rename(columns={"index": "official_id"})
    out = out.sort_values(["combined_score", "facts", "official_id"], ascending=[False, False, True])
    out.insert(0, "rank", range(1, len(out) + 1))
    return out.reset_index(drop=True)


def _companies(f: pd.DataFrame, per_decision: pd.DataFrame) -> pd.DataFrame:
    g = f[f["org_id"].notna() & (f["rule"] != "nepotism")]
    if g.empty:
        return pd.DataFrame()
    facts = _facts(g, "org_id").groupby("key")
    out = pd.DataFrame({
        "org_name": g.groupby("org_id")["org_name"].first(),
        "officials": g.groupby("org_id")["official_id"].nunique(),
        "facts": facts.size(),
        "findings": g.groupby("org_id").size(),
        "rules": g.groupby("org_id")["rule"].agg(lambda s: ";".join(sorted(set(s)))),
        "combined_score": facts["score"].apply(combined),
        "total_amount": _amount_by(per_decision, g, "org_id"),
    }).reset_index().rename(columns={"index": "org_id"})
    out = out.sort_values(["officials", "combined_score", "org_id"], ascending=[False, False, True])
    out.insert(0, "rank", range(1, len(out) + 1))
    return out.reset_index(drop=True)


def _places(backend: Backend, f: pd.DataFrame, per_decision: pd.DataFrame) -> dict[str, pd.DataFrame]:
    officials = sorted({o for o in f["official_id"] if o})
    posts = backend.lookup("post", officials)
    # a finding belongs to the agencies that issued its decisions, else to the official's posts
    by_decision = per_decision[["finding_id", "agency_id"]].dropna()
    without = f[~f["finding_id"].isin(by_decision["finding_id"])][["finding_id", "official_id"]]
    by_post = without.merge(posts[["person_id", "org_id"]], left_on="official_id", right_on="person_id")
    links = pd.concat([by_decision, by_post.rename(columns={"org_id": "agency_id"})[["finding_id", "agency_id"]]])
    links = links.drop_duplicates().merge(
        f[["finding_id", "severity", "official_id", "org_id", "via_id", "decision_ids", "score"]], on="finding_id")
    if links.empty:
        return {"agencies": pd.DataFrame(), "regions": pd.DataFrame()}
    orgs = backend.lookup("org", sorted(set(links["agency_id"])))[["org_id", "name", "region_code"]]
    staff = _staff(backend, orgs["org_id"].tolist())
    orgs = orgs.rename(columns={"org_id": "agency_id", "name": "agency_name"})
    links = links.merge(orgs, on="agency_id", how="left")
    agencies = _index(links, "agency_id", staff).merge(orgs, on="agency_id", how="left")
    links["region"] = links["region_code"].fillna("").map(lambda r: r[:4] if r else NO_REGION)
    region_staff = agencies.assign(region=agencies["region_code"].fillna("").map(lambda r: r[:4] if r else NO_REGION))
    regions = _index(links, "region", region_staff.groupby("region")["officials"].sum())
    regions.insert(1, "region_name", regions["region"].map(lambda r: region_name(r) or ""))
    return {"agencies": _rank(agencies), "regions": _rank(regions)}


def _staff(backend: Backend, agency_ids: list[str]) -> pd.Series:
    """Officials with a post at each agency (any time), from the posts of the graph."""
    posts = backend.table("post")[["person_id", "org_id"]]
    posts = posts[posts["org_id"].isin(agency_ids)]
    return posts.groupby("org_id")["person_id"].nunique()


def _index(links: pd.DataFrame, key: str, staff: pd.Series) -> pd.DataFrame:
    links = links.drop_duplicates([key, "finding_id"]).reset_index(drop=True)
    g = links.groupby(key)
    facts = _facts(links, key).groupby("key")
    out = pd.DataFrame({
        "facts": facts.size(),
        "findings": g["finding_id"].nunique(),
        "officials_flagged": g["official_id"].nunique(),
        "weighted": facts["weight"].sum(),
    })
    out.index.name = key
    out["officials"] = staff.reindex(out.index).fillna(0).astype(int)
    denom = out["officials"].where(out["officials"] > 0, out["officials_flagged"]).clip(lower=1)
    out["index_per_10_officials"] = (10 * out["weighted"] / denom).round(2)
    out["flagged_share"] = (out["officials_flagged"] / denom).clip(upper=1).round(3)
    return out.reset_index()


def _rank(df: pd.DataFrame) -> pd.DataFrame:
    if df.empty:
        return df
    key = df.columns[0]
    df = df.sort_values(["index_per_10_officials", key], ascending=[False, True])
    df.insert(0, "rank", range(1, len(df) + 1))
    return df.reset_index(drop=True)
