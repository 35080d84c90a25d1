"""The two backend methods the views read through, on both backends (a real Neo4j over Bolt): `details` (every
model column of persons, organizations and decisions, for tooltips) and `find` (names, aliases and ids, for
--around NAME and the coming workbench). Both backends give the same answers."""

from __future__ import annotations

import pytest
from conftest import DEMO, write_dataset
from govties.graph.duckdb_backend import DuckDBBackend
from govties.loaders import load_dataset

FILES = {
    "people.csv": "person_id,name,id_number,birth_date,gender,aliases\n"
                  "P1,王建国,330102197001010013,,男,王老五;Wang Jianguo\n"
                  "P2,王建国,,1980-05-05,男,\nP3,李梅,,,女,\nP9,王建国,330102197001010013,,,\n",
    "organizations.csv": "org_id,name,kind,credit_code,region,address,phone\n"
                         "A1,市住建局,agency,,330100,,\n"
                         "C1,华兴建设有限公司,company,91330102MA2XXXXX1X,330102,某路1号,13812345678\n",
    "positions.csv": "person_id,org_id,title,rank,start_date,end_date,end_reason\n"
                     "P1,A1,局长,division,2010-01-01,2019-12-31,retired\nP1,A1,副局长,section,2005-01-01,2009-12-31,\n",
    "relatives.csv": "person_id,relative_id,relation\nP1,P3,spouse\n",
    "company_roles.csv": "holder_id,org_id,role,share,start_date\nP3,C1,shareholder,0.6,2018-01-01\n",
    "decisions.csv": "decision_id,kind,date,agency_id,beneficiary_id,amount,title\n"
                     "D1,permit,2020-05-01,A1,C1,2000000,王建国审批的许可\n",
    "decision_makers.csv": "decision_id,person_id,role\nD1,P1,approver\n",
}


@pytest.fixture
def loaded(backend, tmp_path):
    backend.load(load_dataset(write_dataset(tmp_path / "d", FILES)).tables)
    return backend


def test_details_gives_every_model_column(loaded):
    d = loaded.details(["P1", "C1", "D1", "A1", "nope", ""])
    assert set(d) == {"P1", "C1", "D1", "A1"}
    p = d["P1"]
    assert (p["type"], p["name"], p["id_number"], p["birth_date"], p["gender"]) == \
           ("person", "王建国", "330102197001010013", "1970-01-01", "男")
    assert sorted(p["aliases"]) == ["Wang Jianguo", "王老五"] and sorted(p["source_ids"]) == ["P1", "P9"]
    assert p["official"] is True
    assert [(x["title"], x["rank"], x["start_date"], x["end_date"], x["org_name"]) for x in p["posts"]] == [
        ("副局长", "section", "2005-01-01", "2009-12-31", "市住建局"),
        ("局长", "division", "2010-01-01", "2019-12-31", "市住建局")]
    c = d["C1"]
    assert (c["type"], c["kind"], c["credit_code"], c["phone"], c["address"]) == \
           ("organization", "company", "91330102MA2XXXXX1X", "13812345678", "某路1号")
    dec = d["D1"]
    assert (dec["type"], dec["kind"], dec["date"], dec["amount"], dec["agency_name"], dec["beneficiary_name"]) == \
           ("decision", "permit", "2020-05-01", 2000000.0, "市住建局", "华兴建设有限公司")
    assert loaded.details([]) == {}


def test_find_matches_names_aliases_and_ids(loaded):
    hits = loaded.find("王建国")
    assert [(h["id"], h["matched"], h["exact"]) for h in hits[:2]] == [("P1", "name", True), ("P2", "name", True)]
    assert hits[2]["id"] == "D1" and hits[2]["exact"] is False  # a decision whose title contains the name
    assert loaded.find("wang jianguo") == [{"id": "P1", "type": "person", "name": "王建国", "kind": None,
                                            "matched": "alias", "exact": True}]
    assert [h["id"] for h in loaded.find("p9")] == ["P1"]  # a merged record's id finds the person
    assert loaded.find("91330102MA2XXXXX1X")[0]["id"] == "C1"
    # a credit code, whole or a part, is said to match as one, not as the organization's id
    assert [(h["id"], h["matched"]) for h in loaded.find("91330102MA2")] == [("C1", "credit_code")]
    whole = loaded.find("91330102ma2xxxxx1x")
    assert [(h["id"], h["matched"], h["exact"]) for h in whole] == [("C1", "credit_code", True)]
    assert [h["id"] for h in loaded.find("华兴")] == ["C1"]
    assert len(loaded.find("王", limit=1)) == 1
    assert loaded.find("") == [] and loaded.find("   ") == []
    for hostile in ("x' OR 1=1 --", '") RETURN 1 //', "%", "_"):  # values are parameters, never query text
        assert loaded.find(hostile) == []


def test_duckdb_and_neo4j_agree_on_the_demo(neo4j_backend):
    ds = load_dataset(DEMO)
    duck = DuckDBBackend()
    duck.load(ds.tables)
    neo4j_backend.load(ds.tables)
    ids = ["XP0003", "XP0012", "XP0039", "XO0033", "XO0002", "XD0034", "XD0164", "P0000001", "O0000003", "D0000000"]
    assert duck.details(ids) == neo4j_backend.details(ids)
    for text in ("孙志强", "志强", "xp00", "subsidy", "王", "XP0013", "有限公司", "913301060000000"):
        assert duck.find(text, 15) == neo4j_backend.find(text, 15), text
    duck.close()
