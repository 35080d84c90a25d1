"""Ranked risk tables per official, company, agency and region."""

from __future__ import annotations

import datetime

import pandas as pd
from click.testing import CliRunner

from govties.cli.main import main
from govties.graph.regions import region_name
from govties.graph.duckdb_backend import DuckDBBackend
from govties.graph.vocabulary import ROLE, fold_word
from govties.loaders import load_dataset
from govties.rules.aggregate import SEVERITY_WEIGHT, aggregate, combined
from govties.rules.catalog import catalog
from govties.rules.engine import sweep
from govties.rules.workbook import DATE_COLUMNS
from govties.titles import AMOUNT_COLUMNS, COLUMNS, SHARE_COLUMNS, WORDED

from conftest import DEMO, write_dataset


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
    # then by combined score, as the report's heading says (it said "then findings", which the rows do not follow:
    # here a company with fewer findings ranks above one with more and the same officials)
    tied = [group for _, group in companies.groupby("officials")]
    assert all(group["combined_score"].is_monotonic_decreasing for group in tied)
    assert not all(group["findings"].is_monotonic_decreasing for group in tied)
    from govties.visualize.words import say
    assert say("ranked_companies", "en") == "Companies ranked (by officials tied to them, then combined score)"


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


def test_a_region_no_agency_records_is_listed_alike_on_neo4j(tmp_path, neo4j_backend):
    """The ranked tables of a graph whose agency records no region are the same on both backends, (none) unranked."""
    files = dict(ONE_DECISION_TWO_RULES)
    files["organizations.csv"] = files["organizations.csv"].replace("agency,330100,", "agency,,")
    ds = load_dataset(write_dataset(tmp_path / "d", files))
    tables = []
    for backend in (DuckDBBackend(), neo4j_backend):
        backend.load(ds.tables)
        result = sweep(backend, list(catalog().values()), lang="en")
        tables.append(aggregate(backend, result.findings, [r.id for r in catalog().values()]))
    for name in ("agencies", "regions"):
        pd.testing.assert_frame_equal(tables[0][name], tables[1][name], check_dtype=False)
    assert tables[1]["regions"]["rank"].tolist() == [1, None]


def test_cli_aggregate_out(tmp_path):
    res = CliRunner().invoke(main, ["sweep", str(DEMO), "-o", str(tmp_path / "f.csv"), "-q",
                                    "--aggregate-out", str(tmp_path / "ranks")])
    assert res.exit_code == 0, res.output
    for name in ("officials", "companies", "agencies", "regions"):
        assert (tmp_path / "ranks" / f"{name}.csv").exists()
        assert f"{name}.csv (" in res.output
    regions = pd.read_csv(tmp_path / "ranks" / "regions.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(regions.columns[:3]) == ["rank", "region", "region_name"]  # each code named beside it
    named = dict(zip(regions["region"], regions["region_name"], strict=True))
    # a province's own code names its province-level agencies, the only ones its row holds
    assert named == {r: (region_name(r) or "") + ("（省级机关）" if len(r) == 2 else "") for r in named}
    assert named["33"] == "浙江省（省级机关）"
    assert regions["region_name"].str.len().gt(0).all() and "杭州市" in set(regions["region_name"])
    # a folder of CSV files says what the workbook's about sheet says: a lead for review, how facts are counted
    about = pd.read_csv(tmp_path / "ranks" / "about.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    told = dict(zip(about.iloc[:, 0], about.iloc[:, 1], strict=True))
    assert "A finding is a lead for review, not proof of wrongdoing." in about.iloc[:, 1].tolist()
    assert told["rules"].startswith("relative-business")
    counting = about[about.iloc[:, 0] == "counting"].iloc[:, 1].tolist()  # in both languages, as the disclaimer
    assert len(counting) == 2 and counting[0].startswith("每个事实只计一次")
    assert counting[1].startswith("each fact counts once")
    # how the index and the share are computed, in the columns' titles of either language's tables
    assert "每十名公职人员指数 = 加权事实数 × 10 ÷ 公职人员数" in counting[0]
    assert "index_per_10_officials = weighted x 10 / officials" in counting[1]


ONE_DECISION_TWO_RULES = {
    "people.csv": "person_id,name\nP1,村书记\nP2,村书记之妻\nP3,局长\nP4,局长之弟\n",
    "organizations.csv": """
        org_id,name,kind,region,industry
        V1,青山村,village,330110001,
        A1,市住建局,agency,330100,
        C1,青山茶叶有限公司,company,330110,farming
        C2,华兴建设有限公司,company,330102,construction
        C3,华盛建材有限公司,company,330102,construction
        """,
    "positions.csv": "person_id,org_id,title,rank,start_date\nP1,V1,村支书,village,2015-01-01\n"
                     "P3,A1,局长,bureau,2015-01-01\n",
    "relatives.csv": "person_id,relative_id,relation\nP1,P2,spouse\nP3,P4,sibling\n",
    "company_roles.csv": "holder_id,org_id,role,share,start_date\nP2,C1,shareholder,0.6,2018-01-01\n"
                         "P4,C2,shareholder,0.6,2018-01-01\nP4,C3,shareholder,0.6,2018-01-01\n",
    "decisions.csv": "decision_id,kind,date,agency_id,beneficiary_id,amount\nD1,subsidy,2020-05-01,V1,C1,2000000\n"
                     "D2,permit,2020-06-01,A1,C2,50000\nD3,permit,2020-09-01,A1,C3,50000\n",
    "decision_makers.csv": "decision_id,person_id,role\nD1,P1,approver\nD2,P3,approver\nD3,P3,approver\n",
}


def test_a_decision_two_rules_see_counts_once(tmp_path):
    """D1 is both relative-business and village-relatives: one fact of P1, scored by its strongest finding. P3 made
    two decisions for companies of a sibling: two facts. P3 ranks first; counting D1 twice would put P1 first."""
    folder = write_dataset(tmp_path / "d", ONE_DECISION_TWO_RULES)
    backend = DuckDBBackend()
    backend.load(load_dataset(folder).tables)
    rules = list(catalog().values())
    result = sweep(backend, rules, lang="en")
    p1 = [f for f in result.findings if f["official_id"] == "P1"]
    assert sorted(f["rule"] for f in p1) == ["relative-business", "village-relatives"]
    assert {f["decision_ids"] for f in p1} == {"D1"}
    p3 = [f["score"] for f in result.findings if f["official_id"] == "P3"]
    officials = aggregate(backend, result.findings, [r.id for r in rules])["officials"].set_index("official_id")
    assert officials.loc["P1", ["facts", "findings"]].tolist() == [1, 2]
    assert officials.loc["P1", "combined_score"] == max(f["score"] for f in p1)
    assert officials.loc["P3", ["facts", "findings"]].tolist() == [2, 2]
    assert officials.loc["P3", "combined_score"] == combined(pd.Series(p3))
    assert officials.index[0] == "P3"
    agencies = aggregate(backend, result.findings, [r.id for r in rules])["agencies"].set_index("agency_id")
    assert agencies.loc["V1", ["facts", "findings"]].tolist() == [1, 2]
    assert agencies.loc["V1", "weighted"] == max(SEVERITY_WEIGHT[f["severity"]] for f in p1)


def _sheet(book, name: str) -> dict[str, list]:
    """A sheet's cells by column title (the header row), each column's cells below it."""
    rows = list(book[name].iter_rows())
    return {head.value: [row[i] for row in rows[1:]] for i, head in enumerate(rows[0])}


def test_the_ranked_workbook_has_date_cells_and_says_the_findings_words(tmp_path):
    """Under Chinese titles, the ranked workbook's dates are date cells (Excel's date filters work on them) and its
    roles and rules are the words the findings workbook uses (企业角色 showed executive, 规则 post-retirement, and
    首次记录日期 was a text cell)."""
    import openpyxl

    res = CliRunner().invoke(main, ["sweep", str(DEMO), "-o", str(tmp_path / "f.xlsx"), "-q",
                                    "--aggregate-out", str(tmp_path / "ranks.xlsx")])
    assert res.exit_code == 0, res.output
    book = openpyxl.load_workbook(tmp_path / "ranks.xlsx")
    titles = {rule_id: rule.title("zh") for rule_id, rule in catalog().items()}
    undated = _sheet(book, "undated")
    reported = undated[COLUMNS.label("reported_on", "zh")]
    assert reported and all(c.is_date and isinstance(c.value, datetime.datetime) for c in reported)
    roles = {c.value for c in undated[COLUMNS.label("role", "zh")]}
    assert roles and roles <= set(ROLE.labels("zh").values()) and not roles & set(ROLE.ids)
    rules = {c.value for c in undated[COLUMNS.label("rule", "zh")]}
    assert rules and rules <= set(titles.values())
    listed = [c.value for c in _sheet(book, "companies")[COLUMNS.label("rules", "zh")]]
    assert listed and all(set(v.split(";")) <= set(titles.values()) for v in listed)
    for name in ("officials", "companies", "agencies", "regions", "undated"):  # every ranked sheet
        for column, cells in _sheet(book, name).items():
            column_id = COLUMNS.words().get(fold_word(column), column)
            filled = [c for c in cells if c.value is not None]
            if column_id in DATE_COLUMNS:
                assert all(c.is_date for c in filled), (name, column)
            if column_id in WORDED:
                assert {c.value for c in filled} <= set(WORDED[column_id].labels("zh").values()), (name, column)
            if column_id in AMOUNT_COLUMNS:  # yuan grouped by thousands, fen where there are any; the numbers kept
                assert all(c.data_type == "n" and c.number_format == (
                    "#,##0" if float(c.value).is_integer() else "#,##0.00") for c in filled), (name, column)
            if column_id in SHARE_COLUMNS:  # a share as a percentage: 0.667 shown 66.7%
                assert all(c.data_type == "n" and 0 <= c.value <= 1 and c.number_format == "0.0%" for c in filled)
    shown = {name: {COLUMNS.words().get(fold_word(c), c) for c in _sheet(book, name)} for name in ("officials",
                                                                                                    "regions")}
    assert "total_amount" in shown["officials"] and "flagged_share" in shown["regions"]


def test_ranked_csv_files_say_the_words_where_their_header_says_titles(tmp_path):
    """As the findings CSV: the column names and the ids by default (machines read CSV), titles and words with
    --headers lang."""
    def undated(*options: str) -> pd.DataFrame:
        folder = tmp_path / "-".join(("ranks", *options))
        res = CliRunner().invoke(main, ["sweep", str(DEMO), "-o", str(folder / "f.csv"), "-q",
                                        "--aggregate-out", str(folder), *options])
        assert res.exit_code == 0, res.output
        return pd.read_csv(folder / "undated.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")

    plain = undated()
    assert set(plain["role"]) <= set(ROLE.ids) and set(plain["rule"]) <= set(catalog())
    shown = undated("--headers", "lang")
    assert list(shown.columns) == [COLUMNS.label(c, "zh") for c in plain.columns]
    assert shown[COLUMNS.label("role", "zh")].tolist() == [ROLE.label(r, "zh") for r in plain["role"]]
    assert shown[COLUMNS.label("rule", "zh")].tolist() == [catalog()[r].title("zh") for r in plain["rule"]]


def test_a_region_no_agency_records_reads_as_words_under_titles(tmp_path):
    """A1 records no region: its findings are listed under the region (none), which a table under Chinese titles
    calls 未登记地区, under English titles or the contract's ids (none); last and unranked (an empty rank), its
    region_name 未登记地区 in every table, as the division names are Chinese in every table."""
    files = dict(ONE_DECISION_TWO_RULES)
    files["organizations.csv"] = files["organizations.csv"].replace("agency,330100,", "agency,,")
    folder = write_dataset(tmp_path / "d", files)
    shown = {}
    for lang, headers in (("zh", "lang"), ("en", "lang"), ("zh", "contract")):
        out = tmp_path / f"ranks-{lang}-{headers}"
        res = CliRunner().invoke(main, ["sweep", str(folder), "-o", str(tmp_path / "f.csv"), "-q", "--lang", lang,
                                        "--headers", headers, "--aggregate-out", str(out)])
        assert res.exit_code == 0, res.output
        regions = pd.read_csv(out / "regions.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        shown[lang, headers] = regions.iloc[:, 1].tolist()
        assert regions.iloc[:, 0].tolist() == ["1", ""] and regions.iloc[:, 2].tolist() == ["杭州市", "未登记地区"]
    assert shown["zh", "lang"] == ["3301", "未登记地区"]
    book = tmp_path / "ranks.xlsx"  # the workbook's rank cell is empty too
    res = CliRunner().invoke(main, ["sweep", str(folder), "-o", str(tmp_path / "f.csv"), "-q", "--aggregate-out",
                                    str(book)])
    assert res.exit_code == 0, res.output
    regions = pd.read_excel(book, sheet_name="regions", dtype=object)
    assert regions.iloc[:, 0].isna().tolist() == [False, True] and regions.iloc[0, 0] == 1
    assert [v.replace("未登记地区", "(none)") for v in shown["zh", "lang"]] == shown["en", "lang"]
    assert shown["en", "lang"] == shown["zh", "contract"] and "(none)" in shown["zh", "contract"]


STAFFED = {
    "people.csv": "person_id,name\nP3,局长\nP4,局长之弟\nP5,教育局科长\nP6,教育局原科长\nP7,两局兼职\nP8,新任副局长\n",
    "organizations.csv": """
        org_id,name,kind,region,industry
        A1,市住建局,agency,330100,
        A2,市教育局,agency,330102,
        C2,华兴建设有限公司,company,330102,construction
        """,
    # A2 has no finding; P6 left it in 2016; P7 holds posts at both; P8 came to A1 in 2021
    "positions.csv": "person_id,org_id,title,rank,start_date,end_date\nP3,A1,局长,bureau,2015-01-01,\n"
                     "P5,A2,科长,section,2015-01-01,\nP6,A2,科长,section,2010-01-01,2016-12-31\n"
                     "P7,A1,副局长,bureau,2018-01-01,\nP7,A2,副局长,bureau,2018-01-01,\n"
                     "P8,A1,副局长,bureau,2021-03-01,\n",
    "relatives.csv": "person_id,relative_id,relation\nP3,P4,sibling\n",
    "company_roles.csv": "holder_id,org_id,role,share,start_date\nP4,C2,shareholder,0.6,2018-01-01\n",
    "decisions.csv": "decision_id,kind,date,agency_id,beneficiary_id,amount\nD2,permit,2020-06-01,A1,C2,50000\n",
    "decision_makers.csv": "decision_id,person_id,role\nD2,P3,approver\n",
}


def test_a_units_officials_are_who_held_posts_there_in_the_period_and_a_region_counts_every_agency(tmp_path, backend):
    """The index's denominator: an agency's officials are the people with a post there within the period (any time
    without one); a region's are those of every agency in it, findings or not, a person posted at two once. Counted
    over the agencies with findings alone, a region's index would move with where findings fell, not with its
    staff."""
    backend.load(load_dataset(write_dataset(tmp_path / "d", STAFFED)).tables)
    rules = list(catalog().values())
    findings = sweep(backend, rules, lang="en").findings
    assert {(f["rule"], f["official_id"]) for f in findings} >= {("relative-business", "P3")}
    ids = [r.id for r in rules]

    def officials(period=(None, None)):
        tables = aggregate(backend, findings, ids, period)
        return (tables["agencies"].set_index("agency_id")["officials"].to_dict(),
                tables["regions"].set_index("region")["officials"].to_dict(), tables)

    agencies, regions, tables = officials()
    assert agencies == {"A1": 3, "A2": 3} and regions == {"3301": 5}  # P3, P7, P8; P5, P6, P7; P7 once
    agencies, regions, tables = officials(("2020-01-01", "2020-12-31"))
    assert agencies == {"A1": 2, "A2": 2} and regions == {"3301": 3}  # P6 had left, P8 not yet come
    row = tables["regions"].iloc[0]
    assert row["index_per_10_officials"] == round(10 * row["weighted"] / 3, 2)
    assert row["flagged_share"] == round(1 / 3, 3)
    # the agency without findings is ranked too, below, at 0
    ranked = tables["agencies"].set_index("agency_id")
    assert ranked.loc["A2", ["rank", "findings", "facts", "index_per_10_officials"]].tolist() == [2, 0, 0, 0]
    assert ranked.loc["A2", "agency_name"] == "市教育局" and ranked.loc["A1", "rank"] == 1
    # an official who left before the period, named by a finding in it (a role taken after leaving office: no
    # decision, so it belongs to the posts he held), counts among the unit's officials: never fewer than flagged
    left = {"finding_id": "f-left", "rule": "post-retirement", "severity": "high", "score": 80, "official_id": "P6",
            "official_name": "教育局原科长", "org_id": "C2", "org_name": "华兴建设有限公司", "via_id": None,
            "decision_ids": "", "first_date": "2020-03-01", "last_date": "2020-03-01"}
    tables = aggregate(backend, [*findings, left], ids, ("2020-01-01", "2020-12-31"))
    a2 = tables["agencies"].set_index("agency_id").loc["A2"]
    assert a2[["officials", "officials_flagged", "findings"]].tolist() == [3, 1, 1]  # P5, P7 posted; P6 named
    assert a2["index_per_10_officials"] == round(10 * a2["weighted"] / 3, 2) and a2["flagged_share"] == round(1 / 3, 3)
    assert tables["regions"].set_index("region").loc["3301", "officials"] == 4  # P3, P5, P7 posted; P6 named


def test_units_of_equal_index_share_a_rank(tmp_path):
    """Two agencies with the same index rank alike, below the first (1, 2, 2): a supervisor comparing units
    (晾晒比拼) must not read an order the index does not give. (The evaluation page's test sees the rank after a
    tie: 2, 2, 2, 5.)"""
    data = {**ONE_DECISION_TWO_RULES}
    data["people.csv"] += "P9,另一局长\nP10,另一局长之弟\n"
    data["organizations.csv"] += "A3,市水利局,agency,330100,\nC9,华丰建设有限公司,company,330102,construction\n"
    data["positions.csv"] += "P9,A3,局长,bureau,2015-01-01\n"
    data["relatives.csv"] += "P9,P10,sibling\n"
    data["company_roles.csv"] += "P10,C9,shareholder,0.6,2018-01-01\n"
    data["decisions.csv"] += "D9,permit,2020-06-01,A3,C9,50000\n"
    data["decision_makers.csv"] += "D9,P9,approver\n"
    backend = DuckDBBackend()
    backend.load(load_dataset(write_dataset(tmp_path / "d", data)).tables)
    rules = list(catalog().values())
    agencies = aggregate(backend, sweep(backend, rules, lang="en").findings, [r.id for r in rules])["agencies"]
    index = agencies.set_index("agency_id")["index_per_10_officials"]
    assert index["A1"] == 2 * index["A3"]  # two decisions against one, one official each
    ranks = agencies.set_index("agency_id")["rank"]
    tied = [a for a in ("V1", "A3") if index[a] == index["A3"]]
    assert len(tied) == 2, index.to_dict()
    assert ranks["A1"] == 1 and ranks["V1"] == ranks["A3"] == 2
    assert list(agencies["rank"]) == sorted(agencies["rank"])


def test_a_finding_without_decisions_belongs_to_the_posts_its_official_held_then(tmp_path):
    """A finding that names no decision belongs to the agencies where its official held a post within its evidence
    dates, not to every post of his career; when he held none then (a role taken after leaving office), to the
    posts he held."""
    data = {**STAFFED, "people.csv": STAFFED["people.csv"] + "P9,调任科长\n",
            "positions.csv": STAFFED["positions.csv"] + "P9,A1,科长,section,2010-01-01,2014-12-31\n"
                                                        "P9,A2,科长,section,2015-01-01,\n"}
    backend = DuckDBBackend()
    backend.load(load_dataset(write_dataset(tmp_path / "d", data)).tables)

    def finding(fid: str, official: str, first: str, last: str) -> dict:
        return {"finding_id": fid, "rule": "in-office-business", "severity": "high", "score": 80,
                "official_id": official, "official_name": official, "org_id": "C2", "org_name": "华兴建设有限公司",
                "via_id": None, "decision_ids": "", "first_date": first, "last_date": last}

    cases = {"f-a1": ("P9", "2012-01-01", "2013-06-30", {"A1"}), "f-a2": ("P9", "2018-01-01", "2018-06-30", {"A2"}),
             "f-span": ("P9", "2014-06-01", "2015-06-01", {"A1", "A2"}),
             "f-after": ("P6", "2020-01-01", "2020-06-30", {"A2"})}  # P6 left A2 in 2016
    for fid, (official, first, last, where) in cases.items():
        agencies = aggregate(backend, [finding(fid, official, first, last)], ["in-office-business"])["agencies"]
        assert set(agencies.loc[agencies["findings"] > 0, "agency_id"]) == where, fid


def test_no_findings_rank_every_agency_with_officials_at_0_and_no_agency_still_gives_the_ranking_s_columns():
    """Without findings, the agencies and regions with officials are ranked at 0, sharing the first rank; with no
    post in the graph either, the tables are empty but their columns are a ranking's, rank first."""
    _, whole = _tables(DuckDBBackend())
    backend = DuckDBBackend()
    backend.load(load_dataset(DEMO).tables)
    none = aggregate(backend, [], [])
    for level in ("agencies", "regions"):
        assert set(none[level]["rank"]) == {1} and (none[level]["index_per_10_officials"] == 0).all()
        assert set(none[level].iloc[:, 1]) == set(whole[level].iloc[:, 1])  # every unit the findings' ranking has
        assert list(none[level].columns) == list(whole[level].columns)
    empty = aggregate(DuckDBBackend(), [], [])
    for level in ("agencies", "regions"):
        assert empty[level].empty and list(empty[level].columns)[:2] == list(whole[level].columns)[:2]
