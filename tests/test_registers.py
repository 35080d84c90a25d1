"""Real registers: a role known only from when a source recorded it (reported_on) is kept, shown on its evidence
edge, never a start date; the roles a rule cannot place for want of a start date are counted in the summary and
written to undated.csv; the two new rules explain themselves with names, dates and amounts."""

from __future__ import annotations

import json

import pandas as pd
from click.testing import CliRunner

from govties.cli.main import main
from govties.graph.neo4j_import import write_import_files
from govties.loaders import load_dataset
from govties.rules.catalog import catalog
from govties.rules.engine import sweep
from govties.rules.undated import COLUMNS

from conftest import write_dataset

# A bureau director retired 2018-06-30 after deciding for C1 and C2. C1's role has a start and was also recorded
# later (reported_on); C2's has no start, only the date a source recorded it; the spouse's role in C3 has both.
REGISTER = {
    "people.csv": """
        person_id,name
        P1,陈刚
        P2,冯敏
        """,
    "organizations.csv": """
        org_id,name,kind,region,industry
        A1,区环保局,agency,330106,
        C1,绿源环保科技有限公司,company,310000,environment
        C2,清源环境有限公司,company,310000,environment
        C3,海涛能源有限公司,company,310000,energy
        """,
    "positions.csv": """
        person_id,org_id,title,rank,start_date,end_date
        P1,A1,局长,division,2012-01-01,2018-06-30
        """,
    "relatives.csv": """
        person_id,relative_id,relation
        P1,P2,spouse
        """,
    "company_roles.csv": """
        holder_id,org_id,role,share,start_date,end_date,reported_on
        P1,C1,director,,2020-07-01,,2021-01-05
        P1,C2,executive,,,,2019-09-09
        P2,C3,shareholder,0.5,2016-01-01,,
        """,
    "decisions.csv": """
        decision_id,kind,date,agency_id,beneficiary_id,amount,title
        D1,permit,2017-03-01,A1,C1,0,排污许可
        D2,permit,2017-04-01,A1,C2,0,排污许可
        D3,subsidy,2017-05-01,A1,C3,6000000,节能补助
        """,
    "decision_makers.csv": """
        decision_id,person_id
        D1,P1
        D2,P1
        D3,P1
        """,
}


def _role_edges(finding) -> list[dict]:
    return [e for e in json.loads(finding["evidence"])["edges"] if e["type"] == "HOLDS_ROLE"]


def test_reported_on_is_kept_and_shown_only_where_given(backend, tmp_path):
    dataset = load_dataset(write_dataset(tmp_path / "data", REGISTER))
    backend.load(dataset.tables)
    roles = backend.table("role").set_index("org_id")
    assert str(roles.loc["C2", "reported_on"])[:10] == "2019-09-09"
    result = sweep(backend, list(catalog().values()), lang="en")
    by_rule = {(f["rule"], f["org_id"]): f for f in result.findings}
    retired = _role_edges(by_rule[("post-retirement", "C1")])
    assert retired == [{"src": "P1", "dst": "C1", "type": "HOLDS_ROLE", "label": "director", "share": None,
                        "start": "2020-07-01", "end": None, "reported_on": "2021-01-05"}]
    spouse = _role_edges(by_rule[("relative-business", "C3")])
    assert spouse and all("reported_on" not in e for e in spouse)
    assert ("post-retirement", "C2") not in by_rule, "a reported_on date is not a start date"
    edges = {(e["dst"], e["type"]): e for e in backend.edges_of(["P1", "P2"])}
    assert edges[("C2", "HOLDS_ROLE")]["reported_on"] == "2019-09-09"
    assert "reported_on" not in edges[("C3", "HOLDS_ROLE")] and "reported_on" not in edges[("A1", "HOLDS_POST")]
    assert [(u["rule"], u["org_id"], u["reported_on"]) for u in result.undated] == [
        ("post-retirement", "C2", "2019-09-09"), ("in-office-business", "C2", "2019-09-09")]


def test_neo4j_import_files_carry_reported_on(tmp_path):
    dataset = load_dataset(write_dataset(tmp_path / "data", REGISTER))
    write_import_files(dataset.tables, tmp_path / "import")
    rows = pd.read_csv(tmp_path / "import" / "rels_holds_role.csv", dtype=str, keep_default_na=False)
    assert "reported_on:date" in rows.columns
    assert sorted(rows["reported_on:date"]) == ["", "2019-09-09", "2021-01-05"]


def test_sweep_counts_undated_roles_and_writes_them(tmp_path):
    data = write_dataset(tmp_path / "data", REGISTER)
    out = tmp_path / "agg"
    res = CliRunner().invoke(main, ["sweep", str(data), "-o", str(tmp_path / "f.csv"), "--aggregate-out", str(out),
                                    "--lang", "en", "-q"])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    for rule in ("post-retirement", "in-office-business"):  # each says where it lists them: the file written
        at = next(i for i, line in enumerate(lines) if line.strip().startswith(rule))
        assert lines[at + 1].strip() == f"1 role without a start date not placed (listed in {out / 'undated.csv'})"
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("relative-business"))
    assert "without a start date" not in lines[at + 1], "a rule that needs no start lists nothing"
    undated = pd.read_csv(out / "undated.csv", dtype=str, keep_default_na=False)
    assert list(undated.columns) == list(COLUMNS)
    role = {"holder_id": "P1", "holder_name": "陈刚", "org_id": "C2", "org_name": "清源环境有限公司",
            "role": "executive", "end_date": "", "reported_on": "2019-09-09"}
    assert undated.to_dict("records") == [
        {"rule": "post-retirement", **role,
         "reason": "no start date; first recorded on 2019-09-09, after leaving office on 2018-06-30: it may have begun "
                   "in the cooling-off period"},
        {"rule": "in-office-business", **role,
         "reason": "no start date: cannot tell whether the role was held while in office (in post from 2012-01-01)"}]
    assert "undated.csv (2 rows)" in res.output


def test_new_rules_explain_with_names_dates_and_amounts(backend, tmp_path):
    files = {**REGISTER, "positions.csv": """
        person_id,org_id,title,rank,start_date,end_date
        P1,A1,局长,division,2012-01-01,
        """}
    backend.load(load_dataset(write_dataset(tmp_path / "data", files)).tables)
    rules = [catalog()["in-office-business"], catalog()["sole-major-decision"]]
    for lang in ("zh", "en"):
        found = {f["rule"]: f for f in sweep(backend, rules, lang=lang).findings}
        office, sole = found["in-office-business"], found["sole-major-decision"]
        assert (office["org_id"], office["first_date"], office["last_date"]) == ("C1", "2020-07-01", "2020-07-01")
        assert (sole["official_id"], sole["org_id"], sole["decision_ids"]) == ("P1", "C3", "D3")
        if lang == "zh":
            # the sweep's date is the data's last, the role's start: both still held then, and said
            assert office["explanation"] == ("陈刚在担任区环保局局长期间，于2020-07-01至2020-07-01（截至核查参照日期"
                                             "仍同时在任）任绿源环保科技有限公司的董事。线索仅供核查，不是违纪违法的证据。")
            assert sole["explanation"].startswith("区环保局于2017-05-01作出的节能补助（补贴，受益方海涛能源有限公司）"
                                                  "仅记录陈刚一名决策人（1项决定（D3），涉及金额6,000,000元）")
        else:
            assert office["explanation"] == ("陈刚 was director of 绿源环保科技有限公司 from 2020-07-01 to 2020-07-01 "
                                             "(both still held on that date, the sweep's reference date) while "
                                             "holding the post of 区环保局局长. A finding is a lead for review, "
                                             "not proof of wrongdoing.")
            assert sole["explanation"].endswith("records 陈刚 as its only decision maker (1 decision (D3) worth "
                                                "6,000,000 yuan); a major matter must be decided collectively. A "
                                                "finding is a lead for review, not proof of wrongdoing.")
