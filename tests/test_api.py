"""The library API as the README documents it: the notebook example runs as written, and the CLI's checks live
in the library (the same refusals from a notebook as from the command line)."""

from __future__ import annotations

import re

import networkx as nx
import pandas as pd
import pytest

import govties.api as gt
from govties.errors import GovtiesError
from govties.rules.engine import FINDING_COLUMNS

from conftest import DEMO, REPO


def _readme_example() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Python API", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_example_runs(monkeypatch, capsys):
    monkeypatch.chdir(REPO)
    scope: dict = {}
    exec(compile(_readme_example(), "README.md (Python API)", "exec"), scope)  # noqa: S102 - our own README
    findings = scope["findings"]
    assert isinstance(findings, pd.DataFrame) and len(findings) > 0
    assert list(findings.columns[:len(FINDING_COLUMNS)]) == FINDING_COLUMNS
    assert isinstance(scope["path"], nx.MultiDiGraph) and scope["path"].number_of_nodes() >= 2
    assert set(scope["ranks"]) >= {"officials", "companies", "agencies", "regions"}
    assert scope["matches"] and scope["matches"][0]["name"] == "周国平"
    assert "A finding is a lead" in findings.explanation.iloc[0]


@pytest.mark.parametrize("kwargs,message", [
    ({"rules": "nope"}, "unknown rule id(s): nope"),
    ({"params": ["post-retirement.senior_years=abc"]}, "parameter senior_years expects a whole number"),
    ({"params": {"nope": {"x": 1}}}, "parameters name unknown rule(s) nope"),
    ({"lang": "fr"}, "'fr' is not a language govties writes"),
    ({"as_of": "garbage"}, "--as-of 'garbage' is not a date"),
])
def test_settings_refuse_what_the_cli_refuses(kwargs, message):
    with pytest.raises(GovtiesError) as exc:
        gt.sweep_settings(**kwargs)
    assert message in str(exc.value)


def test_settings_accept_the_date_forms_the_data_accepts_and_each_rule_once():
    s = gt.sweep_settings(as_of="2024/12/01", rules="self-dealing,self-dealing,nepotism")
    assert s.as_of == "2024-12-01"
    assert sorted(s.rule_ids) == ["nepotism", "self-dealing"]  # in the catalog's order, each once


def test_a_sweep_through_the_api_equals_the_cli_s_findings_file(tmp_path):
    from click.testing import CliRunner

    from govties.cli.main import main

    out = tmp_path / "f.csv"
    res = CliRunner().invoke(main, ["sweep", str(DEMO), "-o", str(out), "--lang", "en", "-q"])
    assert res.exit_code == 0, res.output
    with gt.open_graph() as g:
        g.load(DEMO)
        frame = gt.findings_table(g.sweep(lang="en"))
    cli = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert cli["finding_id"].tolist() == frame["finding_id"].tolist()
    assert cli["explanation"].tolist() == frame["explanation"].tolist()
