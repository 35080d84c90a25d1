"""Several rules at once on Neo4j (`sweep --rule-workers N`): the same findings in the same order, failures
still raised, and a loud refusal on the embedded backend."""

from __future__ import annotations

import dataclasses

import pytest
from click.testing import CliRunner

from govties.cli.main import main
from govties.graph.backend import BackendError, UnsupportedFeature
from govties.loaders import load_dataset
from govties.rules.catalog import catalog
from govties.rules.engine import sweep

from conftest import DEMO


def _seen(calls: list):
    return lambda stage, done, total: calls.append(stage)


def test_rules_at_once_on_neo4j_give_the_same_findings_in_the_same_order(neo4j_backend):
    neo4j_backend.load(load_dataset(DEMO).tables)
    rules = list(catalog().values())
    one_calls, three_calls = [], []
    one = sweep(neo4j_backend, rules, lang="en", progress=_seen(one_calls))
    three = sweep(neo4j_backend, rules, lang="en", progress=_seen(three_calls), workers=3)
    assert one.findings and three.findings == one.findings
    assert [r.rule.id for r in three.runs] == [r.id for r in rules]
    assert [r.status for r in three.runs] == [r.status for r in one.runs]
    assert three_calls == one_calls == [f"rule {r.id}" for r in rules] + ["rules"]


def test_a_failing_rule_among_others_is_raised_when_rules_run_at_once_on_neo4j(neo4j_backend):
    neo4j_backend.load(load_dataset(DEMO).tables)
    good = list(catalog().values())
    broken = dataclasses.replace(good[0], id="broken-rule", queries={"cypher": "MATCH (n) RETURN n.id AS"})
    with pytest.raises(BackendError, match="Neo4j query failed"):
        sweep(neo4j_backend, [good[1], broken, *good[2:5]], workers=2)


def test_the_embedded_backend_refuses_rules_at_once_naming_itself(duckdb_backend):
    with pytest.raises(UnsupportedFeature, match="duckdb backend does not support 'concurrent-queries'"):
        sweep(duckdb_backend, list(catalog().values()), workers=2)


def test_cli_rule_workers_on_the_embedded_backend_says_to_use_neo4j_exit_2(tmp_path):
    result = CliRunner().invoke(main, ["sweep", str(DEMO), "-o", str(tmp_path / "f.csv"), "--rule-workers", "2",
                                       "-q"])
    assert result.exit_code == 2
    assert "--rule-workers is for --backend neo4j" in result.output
    assert not (tmp_path / "f.csv").exists()


def test_cli_sweep_with_rule_workers_on_neo4j_writes_the_same_file(neo4j_backend, tmp_path):
    neo4j_backend.load(load_dataset(DEMO).tables)
    files = {}
    for workers in ("1", "3"):
        out = tmp_path / f"findings-{workers}.csv"
        result = CliRunner().invoke(main, ["sweep", "--no-load", "--backend", "neo4j", "-o", str(out),
                                           "--rule-workers", workers, "-q"])
        assert result.exit_code == 0, result.output
        files[workers] = out.read_text(encoding="utf-8")
    assert files["1"].count("\n") > 10 and files["3"] == files["1"]
