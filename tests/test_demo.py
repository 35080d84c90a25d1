"""The bundled demo: planted positives are found, near-misses are not, and roles planted without a start date are
listed as undated, for every rule implemented."""

from __future__ import annotations

import pandas as pd

from govties.graph.duckdb_backend import DuckDBBackend
from govties.loaders import load_dataset
from govties.rules.catalog import catalog
from govties.rules.engine import sweep

from conftest import DEMO


def _matches(findings: pd.DataFrame, row) -> pd.DataFrame:
    hit = findings[findings["rule"] == row.rule]
    if row.official_id:
        hit = hit[hit["official_id"] == row.official_id]
    if row.org_id:
        hit = hit[hit["org_id"] == row.org_id]
    if row.via_id and row.rule != "bid-collusion":
        hit = hit[hit["via_id"] == row.via_id]
    return hit


def test_planted_scenarios():
    dataset = load_dataset(DEMO)
    backend = DuckDBBackend()
    backend.load(dataset.tables)
    result = sweep(backend, list(catalog().values()), lang="en")
    findings = pd.DataFrame(result.findings).astype(object).fillna("")
    undated = {(u["rule"], u["holder_id"], u["org_id"]) for u in result.undated}
    manifest = pd.read_csv(DEMO / "planted.csv", dtype=str, keep_default_na=False)
    assert set(manifest["rule"]) == set(catalog()), "every rule has planted scenarios in the demo"
    assert set(manifest["fires"]) == {"yes", "no", "undated"}
    checked = 0
    for row in manifest.itertuples():
        found = len(_matches(findings, row)) > 0
        assert found == (row.fires == "yes"), f"{row.rule}: {row.scenario}"
        listed = (row.rule, row.official_id, row.org_id) in undated
        assert listed == (row.fires == "undated"), f"{row.rule}: {row.scenario} (undated)"
        checked += 1
    assert checked == len(manifest)
    for rule_id in ("in-office-business", "sole-major-decision"):
        for fires in ("yes", "no"):
            assert ((manifest["rule"] == rule_id) & (manifest["fires"] == fires)).any(), (rule_id, fires)


def test_finding_ids_do_not_depend_on_row_order(tmp_path):
    import shutil

    copy = tmp_path / "shuffled"
    shutil.copytree(DEMO, copy)
    for name in ("company_roles.csv", "decisions.csv", "decision_makers.csv", "relatives.csv", "people.csv"):
        df = pd.read_csv(copy / name, dtype=str, keep_default_na=False)
        df.sample(frac=1, random_state=3).to_csv(copy / name, index=False)
    ids = []
    for folder in (DEMO, copy):
        backend = DuckDBBackend()
        backend.load(load_dataset(folder).tables)
        ids.append(sorted(f["finding_id"] for f in sweep(backend, list(catalog().values())).findings))
    assert ids[0] == ids[1] and ids[0]
