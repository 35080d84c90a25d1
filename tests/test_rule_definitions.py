"""A broken rule definition fails when the catalog is built, naming the rule and the fix."""

from __future__ import annotations

import shutil

import pytest

from govties.rules.catalog import CATALOG_DIR, load_catalog
from govties.rules.spec import RuleDefinitionError


@pytest.fixture
def rule_copy(tmp_path):
    shutil.copytree(CATALOG_DIR / "self-dealing", tmp_path / "self-dealing")
    return tmp_path


def _edit(folder, name, old, new):
    path = folder / "self-dealing" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_copy_loads(rule_copy):
    assert list(load_catalog(rule_copy)) == ["self-dealing"]


def test_missing_query(rule_copy):
    (rule_copy / "self-dealing" / "query.cypher").unlink()
    with pytest.raises(RuleDefinitionError, match=r"rule self-dealing: query.cypher is missing; fix: write"):
        load_catalog(rule_copy)


def test_unknown_parameter_in_query(rule_copy):
    _edit(rule_copy, "query.sql", "$roles", "$rolez")
    with pytest.raises(RuleDefinitionError, match=r"rule self-dealing: query.sql uses unknown parameter\(s\) rolez; "
                                                  r"fix: declare"):
        load_catalog(rule_copy)


def test_bad_severity(rule_copy):
    _edit(rule_copy, "rule.toml", 'severity = "high"', 'severity = "critical"')
    with pytest.raises(RuleDefinitionError, match=r"rule self-dealing: bad severity 'critical'; fix: use one of"):
        load_catalog(rule_copy)


def test_bad_parameter_default(rule_copy):
    _edit(rule_copy, "rule.toml", 'default = ["shareholder"', 'default = ["owner"')
    with pytest.raises(RuleDefinitionError, match=r"rule self-dealing: parameter roles expects items from"):
        load_catalog(rule_copy)


def test_unknown_input_file(rule_copy):
    _edit(rule_copy, "rule.toml", '"company_roles.csv"', '"roles.csv"')
    with pytest.raises(RuleDefinitionError, match=r"rule self-dealing: inputs name unknown file\(s\) roles.csv"):
        load_catalog(rule_copy)


def test_id_must_match_folder(rule_copy):
    _edit(rule_copy, "rule.toml", 'id = "self-dealing"', 'id = "selfdealing"')
    with pytest.raises(RuleDefinitionError, match=r"fix: set id = \"self-dealing\""):
        load_catalog(rule_copy)
