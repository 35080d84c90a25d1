"""Ranked risk tables built from a sweep's findings: per official, company, agency and region.

- officials: findings per rule, total amount of the decisions involved, combined score — the first list a
  supervisor reads.
- companies: companies tied to findings, ranked by how many officials they are tied to (受贿行贿一起查).
- agencies and regions: a comparable index (科学量化评价, 晾晒比拼): facts weighted by severity
  (high 3, medium 2, low 1) per 10 officials holding posts there, and the share of those officials flagged. The
  officials of a unit are the people who held a post there within the period evaluated (at any time without one),
  and the officials its findings name; a region's are those of every agency and village in it, whether or not
  they have findings, each person once. So the index of one unit in two periods, or of two units, is measured
  against the same kind of count. Every unit with officials is ranked, one without findings at 0; units of equal
  index share a rank; the findings of agencies that record no region are listed last under (none), unranked.

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
from ..titles import NO_REGION, PROVINCE_OWN, REGION

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


Period = tuple[str | None, str | None]


#: the fields of a finding the ranked tables read
RANKED_FIELDS = ("finding_id", "rule", "severity", "score", "official_id", "official_name", "org_id", "org_name",
                  "via_id", "decision_ids", "first_date", "last_date")


def aggregate(backend: Backend, findings: list[dict[str, Any]], rule_ids: list[str],
              period: Period = (None, None), posts: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """The ranked tables of `findings`; `period` (first day, last day; ISO dates, either open) is the span they were
    chosen from, whose post holders are the agencies' and regions' officials. `posts`: the graph's posts as
    post_spans reads them, when the caller keeps them (read from the backend otherwise)."""
    # no findings: no official or company is ranked, and every agency and region with officials is, at 0
    f = pd.DataFrame(findings or [], columns=None if findings else list(RANKED_FIELDS))
    f = f.astype(object).where(lambda x: x.notna(), None)
    f["decision_ids"] = f["decision_ids"].fillna("")
    per_decision = _explode(f).merge(_decision_amounts(backend, f), on="decision_id", how="left")
    return {
        "officials": _officials(f, per_decision, rule_ids),
        "companies": _companies(f, per_decision),
        **_places(backend, f, per_decision, period, post_spans(backend) if posts is None else posts),
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


def region_of(code: Any) -> str | None:
    """The region a unit is filed and ranked under: its GB/T 2260 code (as the loader keeps it, trailing 00 pairs
    dropped) to the prefecture, 3301 (a provincial department's, 33); None without a code (None, or NaN where a
    lookup found no organization)."""
    return code[:4] if isinstance(code, str) and code else None


def ranked_region_name(code: str, lang: str = "zh") -> str:
    """A ranked region's name ('' when not known; 未登记地区 for NO_REGION): a province's own code (33) names its
    province-level agencies, the row's whole content: 浙江省（省级机关）, 浙江省 (province-level agencies) on an
    English page (the division names are Chinese; the tables write them so in either language)."""
    if code == NO_REGION:
        return REGION.label(code, lang)
    name = region_name(code) or ""
    return name + PROVINCE_OWN[lang] if name and len(code) == 2 else name


def agency_region(code: Any) -> str:
    """The region an agency's findings are filed and ranked under: region_of its code, NO_REGION ("(none)") for an
    agency that records none (a finding that belongs to no agency has no region at all)."""
    return region_of(code) or NO_REGION


def _places(backend: Backend, f: pd.DataFrame, per_decision: pd.DataFrame, period: Period,
            posts: pd.DataFrame) -> dict[str, pd.DataFrame]:
    # a finding belongs to the agencies that issued its decisions, else to the official's posts (held_then)
    by_decision = per_decision[["finding_id", "agency_id"]].dropna()
    by_post = held_then(f[~f["finding_id"].isin(by_decision["finding_id"])], posts)
    links = pd.concat([by_decision, by_post.rename(columns={"org_id": "agency_id"})[["finding_id", "agency_id"]]])
    links = links.drop_duplicates().merge(
        f[["finding_id", "severity", "official_id", "org_id", "via_id", "decision_ids", "score"]], on="finding_id")
    staff = _staff(posts, period)
    orgs = backend.lookup("org", sorted(set(links["agency_id"]) | set(staff["org_id"])),
                          columns=["org_id", "name", "region_code"])
    orgs = orgs.rename(columns={"org_id": "agency_id", "name": "agency_name"})
    # a unit's officials: who held a post there in the period, and the officials its findings name (one who left
    # before it, with a finding in it, is one of them: never fewer officials than flagged)
    holders = pd.concat([staff.rename(columns={"org_id": "agency_id"}),
                         links[["agency_id", "official_id"]].dropna().rename(columns={"official_id": "person_id"})])
    holders = holders.merge(orgs[["agency_id", "region_code"]], on="agency_id", how="left")
    holders["region"] = holders["region_code"].map(agency_region)
    links = links.merge(orgs, on="agency_id", how="left")
    agencies = _index(links, "agency_id", holders.groupby("agency_id")["person_id"].nunique())
    agencies = agencies.merge(orgs, on="agency_id", how="left")
    links["region"] = links["region_code"].map(agency_region)
    regions = _index(links, "region", holders.groupby("region")["person_id"].nunique())
    regions.insert(1, "region_name", regions["region"].map(ranked_region_name))
    return {"agencies": _rank(agencies), "regions": _rank(regions)}


def held_then(findings: pd.DataFrame, posts: pd.DataFrame) -> pd.DataFrame:
    """Where findings without decisions belong: the posts their official held within the finding's evidence dates
    (first_date to last_date), else, when none was (a role taken after leaving office), every post he held.
    `posts` as spans() gives them. Columns finding_id, org_id, start_date (the post's), one row per post."""
    cand = findings[["finding_id", "official_id", "first_date", "last_date"]].merge(
        posts[["person_id", "org_id", "start_date", "end_date"]], left_on="official_id", right_on="person_id")
    if cand.empty:
        return pd.DataFrame({"finding_id": [], "org_id": [], "start_date": []})
    then = _during(cand, pd.to_datetime(cand["first_date"]), pd.to_datetime(cand["last_date"]))
    some = then.groupby(cand["finding_id"]).transform("any")
    return cand.loc[then | ~some, ["finding_id", "org_id", "start_date"]].drop_duplicates()


def spans(posts: pd.DataFrame) -> pd.DataFrame:
    """Posts (person_id, org_id, start_date, end_date) with their dates as timestamps, NaT where open."""
    posts = posts[["person_id", "org_id", "start_date", "end_date"]]
    return posts.assign(start_date=pd.to_datetime(posts["start_date"]), end_date=pd.to_datetime(posts["end_date"]))


def post_spans(backend: Backend) -> pd.DataFrame:
    """Every post of the graph as spans() gives them: what the officials of units are counted from."""
    return spans(backend.table("post"))


def _staff(posts: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Who held a post where within the period (a post from its start date to its end date, either open; any post
    without a period): one row per person and organization (an agency or a village, where posts are)."""
    start, end = (pd.Timestamp(day) if day else pd.NaT for day in period)
    return posts.loc[_during(posts, start, end), ["person_id", "org_id"]].drop_duplicates()


def _during(posts: pd.DataFrame, first: Any, last: Any) -> pd.Series:
    """Which posts (start_date, end_date: NaT where open) were held at some time from `first` to `last`
    (timestamps, or a Series of them aligned with `posts`; NaT: open)."""
    return ((posts["start_date"].isna() | pd.isna(last) | (posts["start_date"] <= last))
            & (posts["end_date"].isna() | pd.isna(first) | (posts["end_date"] >= first)))


def _index(links: pd.DataFrame, key: str, staff: pd.Series) -> pd.DataFrame:
    """The index of every unit with findings or with officials (`staff`: officials per unit); a unit without
    findings has 0 facts and an index of 0."""
    links = links.drop_duplicates([key, "finding_id"]).reset_index(drop=True)
    g = links.groupby(key)
    facts = _facts(links, key).groupby("key")
    out = pd.DataFrame({
        "facts": facts.size(),
        "findings": g["finding_id"].nunique(),
        "officials_flagged": g["official_id"].nunique(),
        "weighted": facts["weight"].sum(),
    })
    out = out.reindex(out.index.union(staff.index), fill_value=0).astype(int)
    out.index.name = key
    out["officials"] = staff.reindex(out.index).fillna(0).astype(int)
    denom = out["officials"].clip(lower=1)
    out["index_per_10_officials"] = (10 * out["weighted"] / denom).round(2)
    out["flagged_share"] = (out["officials_flagged"] / denom).round(3)
    return out.reset_index()


def _rank(df: pd.DataFrame) -> pd.DataFrame:
    """Highest index first; units of equal index share the rank of the first of them (1, 2, 2, 4). The findings of
    agencies that record no region (NO_REGION) are listed last, unranked (rank None): a gap in the data, not a
    region to set above or below the others."""
    if df.empty:  # its columns as any ranking's, rank first (no agency with officials: a graph without posts)
        return df.assign(rank=pd.Series(dtype=int))[["rank", *df.columns]] if len(df.columns) else df
    key = df.columns[0]
    gap = df[key] == NO_REGION if key == "region" else pd.Series(False, index=df.index)
    ranked = df[~gap].sort_values(["index_per_10_officials", key], ascending=[False, True])
    ranked.insert(0, "rank", ranked["index_per_10_officials"].rank(method="min", ascending=False).astype(int))
    if not gap.any():
        return ranked.reset_index(drop=True)
    listed = pd.concat([ranked.astype({"rank": object}), df[gap].assign(rank=None)[ranked.columns]])
    return listed.reset_index(drop=True)
