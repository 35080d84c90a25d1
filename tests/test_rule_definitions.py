"""A broken rule definition fails when the catalog is built, naming the rule and the fix."""

from __future__ import annotations

import re
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


def test_unknown_key_in_rule_toml(rule_copy):
    _edit(rule_copy, "rule.toml", 'severity = "high"', 'severity = "high"\nseverty = "low"')
    with pytest.raises(RuleDefinitionError, match=r"rule self-dealing: rule.toml has unknown key\(s\) severty; fix: "):
        load_catalog(rule_copy)


def test_unknown_key_in_a_parameter_table(rule_copy):
    _edit(rule_copy, "rule.toml", 'type = "list"', 'type = "list"\nmaximum = 3')
    with pytest.raises(RuleDefinitionError, match=r"rule self-dealing: parameter roles has unknown key\(s\) maximum"):
        load_catalog(rule_copy)


def test_placeholder_nothing_fills(rule_copy):
    _edit(rule_copy, "rule.toml", "{org_name}", "{org_nmae}")
    with pytest.raises(RuleDefinitionError, match=r"rule self-dealing: \[explain\] (zh|en) uses \{org_nmae\}, which "
                                                  r"nothing fills; fix: "):
        load_catalog(rule_copy)


def test_queries_that_return_different_columns(rule_copy):
    _edit(rule_copy, "query.cypher", "AS role", "AS roles")
    with pytest.raises(RuleDefinitionError, match=r"rule self-dealing: query.sql and query.cypher return different "
                                                  r"columns \(only in query.sql: role; only in query.cypher: roles\)"):
        load_catalog(rule_copy)


def test_a_cypher_length_literal_must_be_tied_to_its_parameter(tmp_path):
    shutil.copytree(CATALOG_DIR / "indirect-relative-business", tmp_path / "indirect-relative-business")
    path = tmp_path / "indirect-relative-business" / "query.cypher"
    text = path.read_text(encoding="utf-8")
    tied = "[:HOLDS_ROLE*{{min_intermediates.min}}..{{max_intermediates.max}}]"
    assert tied in text
    path.write_text(text.replace(tied, "[:HOLDS_ROLE*1..5]"), encoding="utf-8")
    with pytest.raises(RuleDefinitionError, match=r"rule indirect-relative-business: query.cypher writes the length "
                                                  r"'\[:HOLDS_ROLE\*1..5\]' as a number, tied to no parameter"):
        load_catalog(tmp_path)
    path.write_text(text.replace("max_intermediates.max", "max_hops.max"), encoding="utf-8")
    with pytest.raises(RuleDefinitionError, match=r"names \{\{max_hops.max\}\}, but there is no parameter max_hops"):
        load_catalog(tmp_path)


def test_the_tied_bound_follows_the_parameter(tmp_path):
    shutil.copytree(CATALOG_DIR / "indirect-relative-business", tmp_path / "indirect-relative-business")
    toml = tmp_path / "indirect-relative-business" / "rule.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("max = 5\ndescription_en = \"most",
                                                             "max = 4\ndescription_en = \"most"), encoding="utf-8")
    rule = load_catalog(tmp_path)["indirect-relative-business"]
    assert "[:HOLDS_ROLE*1..4]" in rule.queries["cypher"]


@pytest.fixture
def undated_copy(tmp_path):
    shutil.copytree(CATALOG_DIR / "post-retirement", tmp_path / "post-retirement")
    return tmp_path / "post-retirement"


def _edit_undated(folder, name, old, new):
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_undated_listing_is_checked_whole(undated_copy):
    rule = load_catalog(undated_copy.parent)["post-retirement"]
    assert set(rule.undated.queries) == {"sql", "cypher"}
    assert set(rule.undated.reasons) == {"no_start", "recorded_after_leaving"}
    (undated_copy / "undated.cypher").unlink()
    with pytest.raises(RuleDefinitionError, match=r"rule post-retirement: undated.cypher is missing; fix: write"):
        load_catalog(undated_copy.parent)


def test_undated_query_without_reasons(undated_copy):
    toml = undated_copy / "rule.toml"
    text = toml.read_text(encoding="utf-8")
    kept = re.sub(r"\[undated\.reasons\.[^\]]+\]\n(?:[^\[].*\n?)*", "", text)  # every [undated.reasons.*] table
    assert kept != text and "[undated" not in kept
    toml.write_text(kept, encoding="utf-8")
    with pytest.raises(RuleDefinitionError, match=r"rule post-retirement: undated.sql is there but rule.toml has no "
                                                  r"\[undated.reasons\]; fix: add"):
        load_catalog(undated_copy.parent)


def test_undated_reason_without_english(undated_copy):
    _edit_undated(undated_copy, "rule.toml", 'en = "no start date: cannot tell', 'fr = "no start date: cannot tell')
    with pytest.raises(RuleDefinitionError, match=r"\[undated.reasons.no_start\] has no en; fix: add en = "):
        load_catalog(undated_copy.parent)


def test_undated_query_with_an_unknown_parameter(undated_copy):
    _edit_undated(undated_copy, "undated.sql", "$org_kinds", "$org_kind")
    with pytest.raises(RuleDefinitionError, match=r"undated.sql uses unknown parameter\(s\) org_kind; fix: declare"):
        load_catalog(undated_copy.parent)


def test_undated_rows_with_an_undeclared_reason_or_missing_columns(undated_copy):
    from govties.graph.duckdb_backend import DuckDBBackend
    from govties.rules.undated import undated_rows

    rule = load_catalog(undated_copy.parent)["post-retirement"]
    row = {"holder_id": "P1", "org_id": "C1", "role": "director", "end_date": None, "reported_on": None}
    with pytest.raises(RuleDefinitionError, match=r"gives reason 'later'; fix: add \[undated.reasons.later\]"):
        undated_rows(DuckDBBackend(), rule, [{**row, "reason": "later"}], "en")
    with pytest.raises(RuleDefinitionError, match=r"its undated query returns no reason; fix: return holder_id"):
        undated_rows(DuckDBBackend(), rule, [row], "en")


def test_a_share_is_declared_and_bounded(tmp_path):
    """A parameter that is a share says so (type = "share"): it takes a percentage, its bounds lie in 0..1 and
    default to them; a float whose max happens to be 1 is no share and takes no percent sign."""
    shutil.copytree(CATALOG_DIR / "decision-concentration", tmp_path / "decision-concentration")
    toml = tmp_path / "decision-concentration" / "rule.toml"
    text = toml.read_text(encoding="utf-8")
    assert 'type = "share"\ndefault = 0.5\nmin = 0.0\nmax = 1.0\n' in text
    share = load_catalog(tmp_path)["decision-concentration"].parameters["min_share"]
    assert share.coerce("40%", "decision-concentration") == pytest.approx(0.4)
    with pytest.raises(RuleDefinitionError, match=r"min_share expects a value of at most 1.0, got '150%'"):
        share.coerce("150%", "decision-concentration")

    toml.write_text(text.replace('type = "share"\ndefault = 0.5\nmin = 0.0\nmax = 1.0\n',
                                 'type = "share"\ndefault = 0.5\n'), encoding="utf-8")
    share = load_catalog(tmp_path)["decision-concentration"].parameters["min_share"]
    assert (share.minimum, share.maximum) == (0.0, 1.0)
    with pytest.raises(RuleDefinitionError, match=r"min_share expects a value of at most 1.0, got 1.5"):
        share.coerce(1.5, "decision-concentration")

    toml.write_text(text.replace("max = 1.0\n", "max = 100\n", 1), encoding="utf-8")
    with pytest.raises(RuleDefinitionError, match=r"rule decision-concentration: parameter min_share is a share, but "
                                                  r"its min or max lies outside 0 to 1; fix: give bounds from 0 to 1"):
        load_catalog(tmp_path)

    toml.write_text(text.replace('type = "share"', 'type = "float"'), encoding="utf-8")
    plain = load_catalog(tmp_path)["decision-concentration"].parameters["min_share"]
    with pytest.raises(RuleDefinitionError, match=r"min_share expects a number, got '40%'"):
        plain.coerce("40%", "decision-concentration")


def test_an_amount_in_yuan_is_declared_and_read_as_the_data_writes_amounts(tmp_path):
    """A parameter that is an amount says so (type = "money"): it takes 120万, 1.2亿, full-width digits and ¥1,500,000
    as amounts in the data are read (loaders.values), its min defaults to 0 and may not lie below; a float takes none
    of those."""
    shutil.copytree(CATALOG_DIR / "split-decisions", tmp_path / "split-decisions")
    toml = tmp_path / "split-decisions" / "rule.toml"
    text = toml.read_text(encoding="utf-8")
    assert 'type = "money"\ndefault = 1000000.0\nmin = 0.0\n' in text
    money = load_catalog(tmp_path)["split-decisions"].parameters["threshold"]
    read = {given: money.coerce(given, "split-decisions") for given in ("120万", "1.2亿", "１２０万", "¥1,500,000",
                                                                         "120万元", " 800000 ", 900000)}
    assert read == {"120万": 1_200_000, "1.2亿": 120_000_000, "１２０万": 1_200_000, "¥1,500,000": 1_500_000,
                    "120万元": 1_200_000, " 800000 ": 800_000, 900000: 900_000}
    assert money.note("en") == "an amount in yuan, also read as 120万, 1.2亿 or ¥1,500,000"
    assert money.note("zh") == "以元为单位的金额，也可写作120万、1.2亿或¥1,500,000"
    for bad, why in (("30%", "an amount in yuan, 0 or more"), ("12,00", "an amount in yuan, 0 or more"),
                     ("-1万", "a value of at least 0.0")):
        with pytest.raises(RuleDefinitionError, match=rf"threshold expects {why}.*, got '{bad}'"):
            money.coerce(bad, "split-decisions")

    toml.write_text(text.replace("min = 0.0\n", "", 1), encoding="utf-8")
    assert load_catalog(tmp_path)["split-decisions"].parameters["threshold"].minimum == 0.0
    toml.write_text(text.replace("min = 0.0\n", "min = -5\n", 1), encoding="utf-8")
    with pytest.raises(RuleDefinitionError, match=r"rule split-decisions: parameter threshold is an amount in yuan, "
                                                  r"but its min or max is below 0; fix: give bounds of 0 or more"):
        load_catalog(tmp_path)
    toml.write_text(text.replace('type = "money"', 'type = "float"'), encoding="utf-8")
    with pytest.raises(RuleDefinitionError, match=r"threshold expects a number, got '120万'"):
        load_catalog(tmp_path)["split-decisions"].parameters["threshold"].coerce("120万", "split-decisions")


def test_a_query_that_fails_only_when_it_runs_is_refused(rule_copy):
    """Binding a query finds its unknown names; a value it cannot read (here a cast in a subquery, which runs even
    over empty tables) fails only when it runs: the catalog runs each SQL query over an empty graph, so such a rule
    is refused when the catalog loads, not midway through a sweep."""
    _edit(rule_copy, "query.sql", "WHERE list_contains($roles, r.role)",
          "WHERE list_contains($roles, r.role) AND (SELECT CAST('not a number' AS INTEGER)) > 0")
    with pytest.raises(RuleDefinitionError, match=r"rule self-dealing: query.sql does not run \(.*not a number.*\); "
                                                  r"fix the query"):
        load_catalog(rule_copy)
