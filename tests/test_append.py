"""Incremental loads: next month's data appended to a stored graph ends in the graph a full load gives."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from click.testing import CliRunner

from govties.cli.main import main
from govties.graph.duckdb_backend import DuckDBBackend
from govties.graph.model import TABLES
from govties.loaders import DataError, load_dataset
from govties.loaders.known import Known
from govties.rules.catalog import catalog
from govties.rules.engine import sweep

from conftest import DEMO, graph_snapshot

CUT = "2024-06-01"


@pytest.fixture
def split(tmp_path):
    """full = the demo plus a new record of a stored person; base + increment = the same rows split by date."""
    full, base, inc = tmp_path / "full", tmp_path / "base", tmp_path / "inc"
    shutil.copytree(DEMO, full)
    people = pd.read_csv(full / "people.csv", dtype=str, keep_default_na=False)
    stored = people[people.person_id == "XP0003"].iloc[0]  # 周国平, resident ID known
    extra = pd.DataFrame([{**stored.to_dict(), "person_id": "XZ9001", "gender": "男"}])  # same ID: joins XP0003
    people.loc[people.person_id == "XP0003", "gender"] = ""  # the stored record lacks what the new one has
    pd.concat([people, extra]).to_csv(full / "people.csv", index=False)
    roles = pd.read_csv(full / "company_roles.csv", dtype=str, keep_default_na=False)
    new_role = pd.DataFrame([{"holder_id": "XZ9001", "org_id": "XO0005", "role": "supervisor", "share": "",
                              "start_date": "2024-07-01", "end_date": ""}])
    pd.concat([roles, new_role]).to_csv(full / "company_roles.csv", index=False)
    shutil.copytree(full, base)
    inc.mkdir()
    dec = pd.read_csv(full / "decisions.csv", dtype=str, keep_default_na=False)
    late = dec["date"] >= CUT
    dec[~late].to_csv(base / "decisions.csv", index=False)
    dec[late].to_csv(inc / "decisions.csv", index=False)
    for name, key in (("decision_makers.csv", "decision_id"), ("bids.csv", "tender_id")):
        df = pd.read_csv(full / name, dtype=str, keep_default_na=False)
        new = df[key].isin(dec[late]["decision_id"])
        df[~new].to_csv(base / name, index=False)
        df[new].to_csv(inc / name, index=False)
    base_people = pd.read_csv(base / "people.csv", dtype=str, keep_default_na=False)
    base_people[base_people.person_id != "XZ9001"].to_csv(base / "people.csv", index=False)
    extra.to_csv(inc / "people.csv", index=False)
    base_roles = pd.read_csv(base / "company_roles.csv", dtype=str, keep_default_na=False)
    base_roles[base_roles.holder_id != "XZ9001"].to_csv(base / "company_roles.csv", index=False)
    new_role.to_csv(inc / "company_roles.csv", index=False)
    assert late.sum() > 10
    return full, base, inc


def _findings(backend):
    return sorted((f["finding_id"], f["score"], f["decision_ids"]) for f in
                  sweep(backend, list(catalog().values())).findings)


def _check(backend_factory, split):
    full, base, inc = split
    a = backend_factory()
    a.load(load_dataset(full).tables)
    b = backend_factory()
    b.load(load_dataset(base).tables)
    increment = load_dataset(inc, known=Known.from_backend(b))
    assert [u[:3] for u in increment.alias_updates] == [("XP0003", "XZ9001", "周国平")]
    assert increment.alias_updates[0][3]["gender"] == "男"  # fills the stored person's empty gender
    b.append(increment.tables, increment.alias_updates)
    sa, sb = graph_snapshot(a), graph_snapshot(b)
    for name in TABLES:
        pd.testing.assert_frame_equal(sa[name], sb[name], obj=name)
    assert _findings(a) == _findings(b)


def test_append_ends_in_the_full_graph_duckdb(split):
    _check(DuckDBBackend, split)


def test_append_ends_in_the_full_graph_neo4j(split, neo4j_backend):
    """Base loaded into Neo4j, increment appended; compared with a full load (on DuckDB: same behaviour)."""
    full, base, inc = split
    duck = DuckDBBackend()
    duck.load(load_dataset(full).tables)
    neo4j_backend.load(load_dataset(base).tables)
    increment = load_dataset(inc, known=Known.from_backend(neo4j_backend))
    neo4j_backend.append(increment.tables, increment.alias_updates)
    sa, sb = graph_snapshot(duck), graph_snapshot(neo4j_backend)
    for name in TABLES:
        pd.testing.assert_frame_equal(sa[name], sb[name], obj=name, check_dtype=False)
    assert _findings(duck) == _findings(neo4j_backend)


def test_append_checks_references_against_the_store(split, tmp_path):
    _, base, _ = split
    store = DuckDBBackend()
    store.load(load_dataset(base).tables)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "decisions.csv").write_text("decision_id,kind,date,agency_id,beneficiary_id\n"
                                       "XD0006,permit,2025-01-01,XO0001,XO0005\n"
                                       "N1,permit,2025-01-01,XO0001,NOPE\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_dataset(bad, known=Known.from_backend(store))
    text = "\n".join(map(str, exc.value.problems))
    assert "decisions.csv, line 2, column 1 (decision_id): this id is already defined in another file or in the " \
           "stored graph" in text
    assert "decisions.csv, line 3, column 5 (beneficiary_id): refers to an id" in text


def test_cli_append(split, tmp_path):
    full, base, inc = split
    store = tmp_path / "g.duckdb"
    runner = CliRunner()
    assert runner.invoke(main, ["load", str(base), "--store", str(store), "-q"]).exit_code == 0
    res = runner.invoke(main, ["load", str(inc), "--store", str(store), "--append", "-q"])
    assert res.exit_code == 0, res.output
    assert "decision" in res.output
    # the increment's record of a stored person is said to have joined that person
    assert "entity resolution: no person records merged; 1 new person record joined 1 stored person by resident " \
        "ID;" in res.output, res.output
    out = tmp_path / "f.csv"
    assert runner.invoke(main, ["sweep", "--no-load", "--store", str(store), "-o", str(out), "-q"]).exit_code == 0
    ref = DuckDBBackend()
    ref.load(load_dataset(full).tables)
    assert sorted(pd.read_csv(out, dtype=str).finding_id) == sorted(f for f, _, _ in _findings(ref))
