"""Ranked risk tables per official, company, agency and region."""

from __future__ import annotations

import pandas as pd
from click.testing import CliRunner

from govties.cli.main import main
from govties.graph.duckdb_backend import DuckDBBackend
from govties.loaders import load_dataset
from govties.rules.aggregate import aggregate, combined
from govties.rules.catalog import catalog
from govties.rules.engine import sweep

from conftest import DEMO


def test_combined_score():
    assert combined(pd.Series([90])) == 90
    assert combined(pd.Series([50, 50])) == 75
    assert combined(pd.Series([100, 10])) == 100


def _tables(backend):
    backend.load(load_dataset(DEMO).tables)
    rules = list(catalog().values())
    result = sweep(backend, rules, lang="en")
    return result, aggregate(backend, result.findings, [r.id for r in rules])


def test_officials_are_ranked_by_combined_score_with_counts_per_rule():
    result, tables = _tables(DuckDBBackend())
    officials = tables["officials"]
    assert officials["rank"].tolist() == list(range(1, len(officials) + 1))
    assert officials["combined_score"].is_monotonic_decreasing
    mine = [f for f in result.findings if f["official_id"] == "XP0003"]  # the planted relative-business official
    row = officials.set_index("official_id").loc["XP0003"]
    assert row["findings"] == len(mine) == row["relative-business"]
    decisions = pd.read_csv(DEMO / "decisions.csv", dtype={"decision_id": str}).set_index("decision_id")["amount"]
    involved = {d for f in mine for d in f["decision_ids"].split(";") if d}
    assert involved and row["total_amount"] == decisions[sorted(involved)].sum()


def test_companies_tied_to_several_officials_rank_first():
    _, tables = _tables(DuckDBBackend())
    companies = tables["companies"]
    assert companies["officials"].is_monotonic_decreasing
    assert {"org_id", "officials", "findings", "rules", "combined_score", "total_amount"} <= set(companies.columns)


def test_agency_and_region_index():
    _, tables = _tables(DuckDBBackend())
    agencies = tables["agencies"].set_index("agency_id")
    village = agencies.loc["XO0152"]  # 青山村: one cadre, two village-relatives findings
    assert village["officials"] == 1 and village["officials_flagged"] == 1
    assert village["index_per_10_officials"] == 10 * village["weighted"]
    assert tables["regions"]["index_per_10_officials"].is_monotonic_decreasing


def test_aggregate_tables_are_the_same_on_neo4j(neo4j_backend):
    _, duck = _tables(DuckDBBackend())
    _, neo = _tables(neo4j_backend)
    for name in duck:
        pd.testing.assert_frame_equal(duck[name].reset_index(drop=True), neo[name].reset_index(drop=True),
                                      check_dtype=False)


def test_cli_aggregate_out(tmp_path):
    res = CliRunner().invoke(main, ["sweep", str(DEMO), "-o", str(tmp_path / "f.csv"), "-q",
                                    "--aggregate-out", str(tmp_path / "ranks")])
    assert res.exit_code == 0, res.output
    for name in ("officials", "companies", "agencies", "regions"):
        assert (tmp_path / "ranks" / f"{name}.csv").exists()
        assert f"{name}.csv (" in res.output
