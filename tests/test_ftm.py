"""FollowTheMoney in and out: PEP-style entities become a dataset that sweeps; findings become FtM entities."""

from __future__ import annotations

import json

from click.testing import CliRunner

from govties.cli.main import main


ENTITIES = [
    {"id": "pep-1", "schema": "Person", "properties": {"name": ["王建国"], "birthDate": ["1970-01-01"]}},
    {"id": "rel-1", "schema": "Person", "properties": {"name": ["李梅"]}},
    {"id": "gov-1", "schema": "PublicBody", "properties": {"name": ["市住建局"]}},
    {"id": "co-1", "schema": "Company", "properties": {"name": ["华兴建设有限公司"], "sector": ["construction"]}},
    {"id": "pos-1", "schema": "Position", "properties": {"name": ["局长"], "organization": ["gov-1"]}},
    {"id": "occ-1", "schema": "Occupancy", "properties": {"holder": ["pep-1"], "post": ["pos-1"],
                                                         "startDate": ["2015-01-01"]}},
    {"id": "fam-1", "schema": "Family", "properties": {"person": ["pep-1"], "relative": ["rel-1"],
                                                      "relationship": ["wife"]}},
    {"id": "own-1", "schema": "Ownership", "properties": {"owner": ["rel-1"], "asset": ["co-1"],
                                                         "percentage": ["60"], "startDate": ["2018-01-01"]}},
    {"id": "ctr-1", "schema": "Contract", "properties": {"title": ["道路工程"], "authority": ["gov-1"]}},
    {"id": "awd-1", "schema": "ContractAward", "properties": {"contract": ["ctr-1"], "supplier": ["co-1"],
                                                             "date": ["2020-05-01"], "amount": ["2000000"]}},
]


def test_import_sweep_and_export(tmp_path):
    src = tmp_path / "in.ftm.json"
    src.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in ENTITIES), encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(main, ["ftm-import", str(src), "--out", str(tmp_path / "ds")])
    assert res.exit_code == 0, res.output
    assert "relatives.csv" in res.output
    res = runner.invoke(main, ["sweep", str(tmp_path / "ds"), "-o", str(tmp_path / "f.csv"), "-q", "--lang", "en",
                               "-p", "post-retirement.senior_years=3"])
    assert res.exit_code == 0, res.output
    # FtM has no decision makers: rules that need them say so instead of guessing
    assert "relative-business" in res.output and "skipped: needs decision_makers.csv" in res.output
    import pandas as pd

    ds = pd.read_csv(tmp_path / "ds" / "company_roles.csv", dtype=str)
    assert ds.iloc[0].to_dict()["share"] == "0.6"
    rel = pd.read_csv(tmp_path / "ds" / "relatives.csv", dtype=str)
    assert rel.iloc[0]["relation"] == "spouse"
    dec = pd.read_csv(tmp_path / "ds" / "decisions.csv", dtype=str)
    assert dec.iloc[0][["kind", "agency_id", "beneficiary_id"]].tolist() == ["contract", "gov-1", "co-1"]
    pos = pd.read_csv(tmp_path / "ds" / "positions.csv", dtype=str)
    assert pos.iloc[0][["person_id", "org_id", "title"]].tolist() == ["pep-1", "gov-1", "局长"]


def test_export_findings_as_ftm(tmp_path):
    from conftest import DEMO

    runner = CliRunner()
    res = runner.invoke(main, ["sweep", str(DEMO), "-o", str(tmp_path / "f.csv"), "-q"])
    assert res.exit_code == 0
    res = runner.invoke(main, ["ftm-export", str(tmp_path / "f.csv"), "-o", str(tmp_path / "out.ftm.json"),
                               "--dataset", str(DEMO)])
    assert res.exit_code == 0, res.output
    from followthemoney import model

    proxies = [model.get_proxy(json.loads(line)) for line in
               (tmp_path / "out.ftm.json").read_text(encoding="utf-8").splitlines()]
    by = {}
    for p in proxies:
        by.setdefault(p.schema.name, []).append(p)
    # the schema's own link types where one fits; UnknownLink only for what FtM has no link for
    assert {"Person", "Company", "PublicBody", "Note", "Ownership", "Directorship", "Family", "Occupancy",
            "Position", "ContractAward", "Payment", "Contract", "Event"} <= set(by)
    roles = {p.first("role") for p in by["UnknownLink"]}
    assert {r for r in roles if not r.startswith(("shares address: ", "shares phone: "))} <= {
        "approver", "signer", "committee", "decided", "beneficiary", "bidder"}
    names = {p.id: p.first("name", quiet=True) for p in proxies}
    own = next(p for p in by["Ownership"] if names[p.first("owner")] == "孙志强" and names[p.first("asset")] ==
               "志强物流有限公司")
    assert own.first("percentage") == "40" and own.first("startDate") == "2014-01-01"
    fam = next(p for p in by["Family"] if names[p.first("person")] == "周国平" and names[p.first("relative")] == "周晓")
    assert fam.first("relationship") == "child"
    award = next(p for p in by["ContractAward"] if p.first("contract") == "govties-XD0158")
    assert award.first("amount") == "300000" and award.first("date") == "2022-06-06"
    assert names[award.first("supplier")] == "青山茶叶合作社有限公司"
    occ = next(p for p in by["Occupancy"] if names[p.first("holder")] == "李德明")
    assert occ.first("endDate") == "2019-01-31" and names[occ.first("post")] == "局长, 杭州市生态环境局"
    pay = next(p for p in by["Payment"] if names[p.first("beneficiary")] == "志强物流有限公司")
    assert pay.first("amount") == "600000" and pay.first("date") == "2019-12-12"
    notes = by["Note"]
    assert all("not proof of wrongdoing" in p.first("description") for p in notes)


def test_exported_links_read_back(tmp_path):
    """What ftm-export writes, ftm-import reads as the same relations (roles, kinship, posts, contracts)."""
    runner = CliRunner()
    src = tmp_path / "in.ftm.json"
    src.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in ENTITIES), encoding="utf-8")
    assert runner.invoke(main, ["ftm-import", str(src), "--out", str(tmp_path / "ds")]).exit_code == 0
    (tmp_path / "ds" / "decision_makers.csv").write_text("decision_id,person_id,role\nawd-1,pep-1,approver\n",
                                                         encoding="utf-8")
    res = runner.invoke(main, ["sweep", str(tmp_path / "ds"), "-o", str(tmp_path / "f.csv"), "-q", "--rules",
                               "relative-business"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(main, ["ftm-export", str(tmp_path / "f.csv"), "-o", str(tmp_path / "out.ftm.json"),
                               "--dataset", str(tmp_path / "ds")])
    assert res.exit_code == 0, res.output
    res = runner.invoke(main, ["ftm-import", str(tmp_path / "out.ftm.json"), "--out", str(tmp_path / "back")])
    assert res.exit_code == 0, res.output
    import pandas as pd

    roles = pd.read_csv(tmp_path / "back" / "company_roles.csv", dtype=str)
    assert roles[["holder_id", "org_id", "role", "share"]].values.tolist() == [
        ["govties-rel-1", "govties-co-1", "shareholder", "0.6"]]
    kin = pd.read_csv(tmp_path / "back" / "relatives.csv", dtype=str)
    assert kin[["person_id", "relative_id", "relation"]].values.tolist() == [["govties-pep-1", "govties-rel-1",
                                                                              "spouse"]]
    dec = pd.read_csv(tmp_path / "back" / "decisions.csv", dtype=str)
    assert dec[["beneficiary_id", "amount", "date"]].values.tolist() == [["govties-co-1", "2000000", "2020-05-01"]]
    # who approved it comes back as its decision maker, and the rule that needs one finds it again
    makers = pd.read_csv(tmp_path / "back" / "decision_makers.csv", dtype=str)
    assert makers[["decision_id", "person_id", "role"]].values.tolist() == [
        [dec.loc[0, "decision_id"], "govties-pep-1", "approver"]]
    res = runner.invoke(main, ["sweep", str(tmp_path / "back"), "-o", str(tmp_path / "again.csv"), "-q", "--rules",
                               "relative-business"])
    assert res.exit_code == 0, res.output
    again = pd.read_csv(tmp_path / "again.csv", dtype=str)
    assert again[["rule", "official_id", "org_id"]].values.tolist() == [
        ["relative-business", "govties-pep-1", "govties-co-1"]]


def test_bad_ftm_line_is_reported(tmp_path):
    src = tmp_path / "bad.json"
    src.write_text('{"id": "x", "schema": "NoSuchSchema"}\nnot json\n', encoding="utf-8")
    res = CliRunner().invoke(main, ["ftm-import", str(src), "--out", str(tmp_path / "ds")])
    assert res.exit_code == 2
    assert "bad.json, line 1: is not a FollowTheMoney entity" in res.output
    assert "bad.json, line 2: is not a FollowTheMoney entity" in res.output


def test_what_the_import_cannot_carry_is_said_and_the_dataset_it_writes_validates(tmp_path):
    """A year where a day is needed, an entity with no place in the contract, and an ownership whose owner is not
    among the entities: each is a warning, and the folder written is one `validate` takes (the ownership written
    anyway made it refuse the import's own output)."""
    entities = ENTITIES + [
        {"id": "pep-2", "schema": "Person", "properties": {"name": ["赵六"], "birthDate": ["1968"]}},
        {"id": "boat-1", "schema": "Vessel", "properties": {"name": ["远洋一号"]}},
        {"id": "own-2", "schema": "Ownership", "properties": {"owner": ["nobody"], "asset": ["co-1"],
                                                             "percentage": ["10"]}},
        {"id": "own-3", "schema": "Ownership", "properties": {"owner": ["pep-1"], "asset": ["no-such-company"]}},
        {"id": "occ-2", "schema": "Occupancy", "properties": {"holder": ["pep-1"], "post": ["no-such-post"]}},
        {"id": "ev-1", "schema": "Event", "properties": {"name": ["批复"], "organizer": ["gov-1"]}},
        {"id": "ok-1", "schema": "UnknownLink", "properties": {"subject": ["pep-1"], "object": ["ev-1"],
                                                              "role": ["approver"]}},
        {"id": "ok-2", "schema": "UnknownLink", "properties": {"subject": ["nobody"], "object": ["ctr-1"],
                                                              "role": ["signer"]}},
    ]
    src = tmp_path / "e.ftm.json"
    src.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in entities) + "\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["ftm-import", str(src), "--out", str(tmp_path / "ds")])
    assert res.exit_code == 0, res.output
    said = [line for line in res.output.splitlines() if line.startswith("warning")]
    assert "warning: e.ftm.json: 1 Vessel entity has no place in the dataset contract, so not imported" in said
    assert any("entity pep-2: birthDate '1968' is not a date of a whole day, so it was not used" in s
               for s in said), said
    assert any("1 decision maker link (UnknownLink) names a decision the import does not read ('ev-1': an Event"
               in s for s in said), said
    for entity, what in (("own-2", "holder_id 'nobody'"), ("own-3", "asset 'no-such-company'"),
                         ("occ-2", "post 'no-such-post'"), ("ok-2", "person_id 'nobody'")):
        assert any(f"entity {entity}: its {what} is not among the entities, so it was not imported" in s
                   for s in said), said
    res = CliRunner().invoke(main, ["validate", str(tmp_path / "ds")])
    assert res.exit_code == 0, res.output
