"""The evaluation over the workspace, on both backends: units ranked by year and two periods compared, a year
without findings ranked at 0, and where a recorded finding is filed (its agency and region) for the inbox's facets
and the rankings alike."""

from __future__ import annotations

import pandas as pd
import pytest

import govties.api as gt
from govties.api.inbox import InboxQuery

from conftest import fresh_graph, DEMO, write_dataset


@pytest.fixture(params=["duckdb", "neo4j"])
def opened(request, tmp_path):
    """A fresh graph and workspace on each backend (the Neo4j database's graph and workspace emptied)."""
    graph = fresh_graph(request.param, tmp_path)
    yield graph
    graph.close()


def _sweep(graph, source=None):
    if source is not None:
        graph.load(source)
    graph.sweep(gt.sweep_settings(lang="en"))
    return graph.recorded


MOVED = {  # P9 moved from A1 (杭州) to A2 (温州) in 2015; a shareholding he held in 2012-2013, while at A1
    "people.csv": "person_id,name\nP9,调任科长\n",
    "organizations.csv": "org_id,name,kind,region,industry\nA1,市住建局,agency,330100,\n"
                         "A2,温州市教育局,agency,330300,\nC2,华兴建设有限公司,company,330102,construction\n",
    "positions.csv": "person_id,org_id,title,rank,start_date,end_date\nP9,A1,科长,section,2010-01-01,2014-12-31\n"
                     "P9,A2,科长,section,2015-01-01,\n",
    "company_roles.csv": "holder_id,org_id,role,share,start_date,end_date\n"
                         "P9,C2,shareholder,0.3,2012-01-01,2013-12-31\n",
}


def test_evaluation_ranks_units_by_year_and_compares_two_periods(opened):
    _sweep(opened, DEMO)
    ws = opened.workspace()
    result = opened.sweep(gt.sweep_settings(lang="en"), record=False)
    report = opened.rankings(result)  # what the report and --aggregate-out rank: the same counts, undated included
    for level, key in (("agencies", "agency_id"), ("regions", "region")):
        mine = ws.ranking(level).set_index(key)[["findings", "index_per_10_officials"]]
        theirs = report[level].set_index(key)[["findings", "index_per_10_officials"]]
        pd.testing.assert_frame_equal(mine.sort_index(), theirs.sort_index(), check_dtype=False)
    for level, key in (("agencies", "agency_id"), ("regions", "region")):
        ranking = ws.ranking(level)
        ranks = ranking["rank"].dropna().tolist()  # (none), where agencies record no region, is listed unranked
        assert len(ranking) >= 3 and ranks == sorted(ranks)
        assert ranking["index_per_10_officials"].is_monotonic_decreasing
        years, trend = ws.trend(level)
        assert years == sorted(years) and len(years) >= 2
        assert list(trend[key]) == list(ranking[key].head(len(trend)))  # the top units of the whole ranking
        whole = ws.ranking(level, f"{years[0][:4]}-01-01", f"{years[-1]}-12-31")
        assert whole["findings"].sum() <= ranking["findings"].sum()
        a, b = years[-2], years[-1]
        compared = ws.compare(level, (f"{a}-01-01", f"{a}-12-31"), (f"{b}-01-01", f"{b}-12-31"))
        for _, row in compared.iterrows():  # a unit with no finding in one period counts 0 there
            assert row["change"] == round(row["index_per_10_officials_b"] - row["index_per_10_officials_a"], 2)
            for year, column in ((a, "index_per_10_officials_a"), (b, "index_per_10_officials_b")):
                yearly = trend.set_index(key)[year].get(row[key]) if row[key] in set(trend[key]) else None
                if yearly is not None:
                    assert yearly == row[column], (level, row[key], year)
        assert list(compared["change"]) == sorted(compared["change"])  # most improved first
        # units with findings in either period, not those ranked at 0 in both
        assert ((compared["findings_a"] > 0) | (compared["findings_b"] > 0)).all()
        assert set(compared[key]) == {u for year in (a, b) for u, n in ws.ranking(
            level, f"{year}-01-01", f"{year}-12-31").set_index(key)["findings"].items() if n > 0}
        assert not set(trend[key]) & set(ranking[ranking["findings"] == 0][key])  # nor in the trend


def test_a_year_without_findings_ranks_every_unit_with_officials_then_at_0(opened):
    """A year of the findings' span in which none counts ranks, as any period does, every agency and region with
    officials posted then, each at 0 and all sharing the first rank (it ranked nothing)."""
    _sweep(opened, DEMO)
    ws = opened.workspace()
    found = ws.finding_years()
    quiet = next(y for y in ws.year_span() if y not in found)
    for level, key in (("agencies", "agency_id"), ("regions", "region")):
        ranking = ws.ranking(level, f"{quiet}-01-01", f"{quiet}-12-31")
        assert len(ranking) >= 3 and set(ranking[key]) <= set(ws.ranking(level)[key])
        assert (ranking["findings"] == 0).all() and (ranking["index_per_10_officials"] == 0).all()
        assert (ranking["officials"] > 0).all() and set(ranking["rank"].dropna()) == {1}
        years, trend = ws.trend(level, None)
        assert quiet in years and (trend[quiet] == 0).all()


def test_findings_recorded_with_an_agency_but_no_region_are_filed_under_none_when_the_workspace_opens(opened):
    """A workspace recorded before agencies without a region were filed under (none) files them so once opened,
    for the evaluation's (none) row to list them; a finding of no agency keeps no region."""
    from govties.graph.workspace import Cond
    from govties.titles import NO_REGION

    _sweep(opened, DEMO)
    store = opened.workspace().store
    some = store.values("finding", "finding_id", [Cond("agency_id", "not_null")], limit=3)
    assert store.update("finding", [Cond("finding_id", "in", some)], {"region": None}) == 3  # as recorded before
    ws = type(opened.workspace())(opened)
    assert sorted(ws.store.values("finding", "finding_id", [Cond("region", "eq", NO_REGION)])) == sorted(some)
    assert ws.store.count("finding", [Cond("region", "null"), Cond("agency_id", "not_null")]) == 0
    assert ws.store.count("finding", [Cond("agency_id", "null")]) == ws.store.count("finding", [Cond("region", "null")])


def test_a_workspace_filed_already_is_not_written_to_when_opened(opened, monkeypatch):
    """Opening a workspace whose findings are all filed reads it and writes nothing (a Neo4j write on every page
    otherwise)."""
    _sweep(opened, DEMO)
    store_type = type(opened.workspace().store)
    updates = []
    real = store_type.update
    monkeypatch.setattr(store_type, "update", lambda self, *a, **k: updates.append(a) or real(self, *a, **k))
    type(opened.workspace())(opened)
    assert updates == []


def test_a_finding_without_decisions_is_filed_under_the_agency_its_official_was_at_then(opened, tmp_path):
    """The inbox's agency and region of a finding that names no decision are those of the post its official held
    within its evidence dates (A1, 3301), not of his latest post (A2, 3303): the rankings count it there too, so a
    ranking's row and the inbox filtered to it agree."""
    _sweep(opened, write_dataset(tmp_path / "moved", MOVED))
    ws = opened.workspace()
    rows = ws.inbox(InboxQuery(rule=["in-office-business"])).rows
    assert [(r["official_id"], r["agency_id"], r["region"]) for r in rows] == [("P9", "A1", "3301")]
    ranked = ws.ranking("agencies").set_index("agency_id")["findings"].to_dict()
    assert ranked == {"A1": 1, "A2": 0}
