"""Two backends, one behaviour: the demo dataset gives identical findings, row for row, and the same roles listed as
undated, on DuckDB and Neo4j."""

from __future__ import annotations

from govties.graph.duckdb_backend import DuckDBBackend
from govties.loaders import load_dataset
from govties.rules.catalog import catalog
from govties.rules.engine import sweep

from conftest import DEMO


def _rows(backend, dataset):
    backend.load(dataset.tables)
    result = sweep(backend, list(catalog().values()), lang="en")
    return result, {f["finding_id"]: {k: v for k, v in f.items()} for f in result.findings}


def test_demo_findings_identical_on_duckdb_and_neo4j(neo4j_backend):
    dataset = load_dataset(DEMO)
    duck = DuckDBBackend()
    r1, duck_rows = _rows(duck, dataset)
    r2, neo_rows = _rows(neo4j_backend, dataset)
    assert r1.as_of == r2.as_of
    assert duck_rows, "the demo must produce findings"
    assert set(duck_rows) == set(neo_rows)
    for fid, row in duck_rows.items():
        assert row == neo_rows[fid], f"finding {fid} differs between backends"
    ran = {run.rule.id: run.status for run in r1.runs}
    assert ran == {run.rule.id: run.status for run in r2.runs}
    assert set(ran) == set(catalog()) and set(ran.values()) == {"ran"}, "every rule runs on the demo"
    assert {f["rule"] for f in duck_rows.values()} == set(catalog()), "every rule finds something in the demo"
    assert r1.undated, "the demo has roles without a start date that rules list"
    assert r1.undated == r2.undated, "the same roles listed as undated, with the same reasons, on both backends"


def test_counts_identical_on_duckdb_and_neo4j(neo4j_backend):
    dataset = load_dataset(DEMO)
    duck = DuckDBBackend()
    duck.load(dataset.tables)
    neo4j_backend.load(dataset.tables)
    assert duck.counts() == neo4j_backend.counts()
    assert duck.latest_date() == neo4j_backend.latest_date()
    for until in ("2024-12-27", "2020-06-30", "1900-01-01"):  # the latest date not after `until`, the same on both
        assert duck.latest_date(until) == neo4j_backend.latest_date(until)
    assert duck.latest_date("2020-06-30") <= "2020-06-30" < duck.latest_date()
