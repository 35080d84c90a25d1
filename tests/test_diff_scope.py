"""What a diff may compare: the rules both sweeps ran (an Excel file's about sheet names them), a masked file only
with a masked one, and an amount that changed said as such. A rule a sweep did not run has no resolved findings."""

from __future__ import annotations


import pandas as pd
from click.testing import CliRunner

from govties.cli.main import main
from govties.loaders.findings_file import read_about

from conftest import DEMO, MINIMAL, demo_changed, write_dataset

SOME = "relative-business,self-dealing"


def _run(*args, code=0):
    res = CliRunner().invoke(main, [str(a) for a in args])
    assert res.exit_code == code, res.output
    return res.output


def _counts(output: str) -> dict[str, int]:
    last = output.strip().splitlines()[-1]
    return {k: int(v) for k, v in (part.split() for part in last.split(", "))}


def test_rules_one_sweep_did_not_run_are_not_resolved(tmp_path):
    full, some = tmp_path / "full.xlsx", tmp_path / "some.xlsx"
    _run("sweep", DEMO, "-o", full, "-q")
    _run("sweep", DEMO, "-o", some, "--rules", SOME, "-q")
    every = pd.read_excel(full, sheet_name="findings", dtype=str)
    others = every[~every.iloc[:, 1].isin(SOME.split(","))]  # the rule column, under its Chinese title
    assert len(others) > 50
    out = _run("diff", full, some)
    assert _counts(out) == {"new": 0, "reopened": 0, "changed": 0, "resolved": 0, "dismissed": 0}, out
    assert f"ran in the old sweep only ({len(others)} findings left out)" in out
    # a sweep in CSV and one in JSON lines record no rules: the rules with findings on one side only are named
    _run("sweep", DEMO, "-o", tmp_path / "full.csv", "-q")
    _run("sweep", DEMO, "-o", tmp_path / "some.jsonl", "--rules", SOME, "-q")
    out = _run("diff", tmp_path / "full.csv", tmp_path / "some.jsonl")
    assert _counts(out)["resolved"] == len(others)
    assert (f"{len(others)} findings in the old file, none in the new one, listed as resolved; if the new sweep did "
            "not run them (--rules), they are not resolved") in out
    # one file that says which rules ran is enough: the other's findings of the rest are not compared
    out = _run("diff", tmp_path / "full.csv", some)
    assert _counts(out)["resolved"] == 0, out
    assert f"which the new sweep did not run (its file says which ran): {len(others)} findings of the old file left " \
           "out" in out


def test_a_skipped_rule_is_not_among_the_rules_a_file_says_ran(tmp_path):
    out = tmp_path / "f.xlsx"
    _run("sweep", write_dataset(tmp_path / "d", MINIMAL), "-o", out, "-q")
    about = read_about(out)
    ran, skipped = about["rules"].split(","), about["skipped"].split(",")
    assert "relative-business" in ran and "bid-collusion" in skipped and not set(ran) & set(skipped)


def test_a_masked_file_is_not_compared_with_an_unmasked_one(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVTIES_MASK_KEY", "k" * 40)
    _run("sweep", DEMO, "-o", tmp_path / "plain.xlsx", "-q")
    _run("sweep", DEMO, "-o", tmp_path / "masked.xlsx", "--mask", "-q")
    out = _run("diff", tmp_path / "plain.xlsx", tmp_path / "masked.xlsx", code=2)
    assert ("error: the new findings file is masked and the other is not, so their finding ids differ (masked ids are "
            "keyed); fix: compare two files masked with the same key, or two unmasked ones") in out
    _run("sweep", DEMO, "-o", tmp_path / "plain.csv", "-q")
    _run("sweep", DEMO, "-o", tmp_path / "masked.csv", "--mask", "-q")
    out = _run("diff", tmp_path / "plain.csv", tmp_path / "masked.csv")  # CSV keeps no about: said, not refused
    assert "no finding id is in both files: if one file is masked and the other not" in out


def test_a_changed_amount_is_named_in_the_diff(tmp_path):
    data, _ = demo_changed(tmp_path / "d", "XD0015", "amount", "12000000")
    _run("sweep", DEMO, "-o", tmp_path / "old.csv", "-q")
    _run("sweep", data, "-o", tmp_path / "new.csv", "-q")
    before = pd.read_csv(tmp_path / "old.csv", dtype=str, keep_default_na=False)
    fid = before.loc[(before["rule"] == "relative-business") & before["decision_ids"].str.contains("XD0015"),
                     "finding_id"].iloc[0]
    old_total = before.set_index("finding_id").loc[fid, "total_amount"]
    out = _run("diff", tmp_path / "old.csv", tmp_path / "new.csv")
    line = next(x for x in out.splitlines() if x.startswith("changed") and fid in x)
    assert f"total_amount: {old_total} → 12000000" in line, line


def _diffed(tmp_path, file: str, before: str, after: str) -> tuple[str, list[dict]]:
    """The minimal dataset swept, then again with `before` replaced by `after` in `file`, and diffed into a Chinese
    workbook: (what diff printed, the workbook's rows by title)."""
    import openpyxl

    old = write_dataset(tmp_path / "old", MINIMAL)
    new = write_dataset(tmp_path / "new", {**MINIMAL, file: MINIMAL[file].replace(before, after)})
    _run("sweep", old, "-o", tmp_path / "old.csv", "-q")
    _run("sweep", new, "-o", tmp_path / "new.csv", "-q")
    out = _run("diff", tmp_path / "old.csv", tmp_path / "new.csv", "-o", tmp_path / "d.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "d.xlsx")["table"]
    header = [c.value for c in sheet[1]]
    return out, [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]


def test_a_renamed_company_is_said_as_a_rename_and_a_diff_workbook_sorts_its_scores_as_numbers(tmp_path):
    """A company renamed between two sweeps: its finding's name changed and its evidence names the node and what
    changed of it (it said "1 node(s) added, 1 removed" of the same node, and nothing of the name). In a diff
    workbook the scores are number cells (they were text, sorted as text) and, under Chinese titles, the change,
    the fields and the evidence's state since triage are Chinese words too."""
    out, rows = _diffed(tmp_path, "organizations.csv", "华兴建设有限公司", "华兴建设集团有限公司")
    changed = [line for line in out.splitlines() if line.startswith("changed")]
    assert changed and all("[org_name: 华兴建设有限公司 → 华兴建设集团有限公司; evidence: C1 name: 华兴建设有限公司 → "
                           "华兴建设集团有限公司]" in line for line in changed), out
    assert rows and all(isinstance(r["评分"], int) for r in rows), rows
    assert {(r["变化"], r["变化的字段"]) for r in rows} == {("有变化", "单位名称;证据")}, rows
    # and what changed, in the titles' words (it was org_name: … ; evidence: C1 name: …, under Chinese titles)
    assert {r["原值 → 新值"] for r in rows} == {"单位名称：华兴建设有限公司 → 华兴建设集团有限公司；证据：C1 名称："
                                              "华兴建设有限公司 → 华兴建设集团有限公司"}, rows
    _run("diff", tmp_path / "old.csv", tmp_path / "new.csv", "-o", tmp_path / "d.csv")
    plain = pd.read_csv(tmp_path / "d.csv", dtype=str)
    assert set(plain["changes"]) == {"org_name: 华兴建设有限公司 → 华兴建设集团有限公司; evidence: C1 name: "
                                     "华兴建设有限公司 → 华兴建设集团有限公司"}  # a CSV of the contract's ids: ids


def test_an_evidence_change_of_a_relationship_is_worded_under_chinese_titles(tmp_path):
    """A relationship's change (a decision maker's role) in a Chinese diff workbook: the kind and the role in words
    (参与决定，审批人), not DECIDED P1→D1 (approver); the terminal keeps the ids."""
    out, rows = _diffed(tmp_path, "decision_makers.csv", "approver", "signer")
    assert "DECIDED P1→D1 (approver)" in out
    said = [r["原值 → 新值"] for r in rows]
    assert said and all("（参与决定，审批人）" in s and "（参与决定，签发）" in s and "DECIDED" not in s
                        and "王建国 → " in s for s in said), said  # the official by name, as the evidence gives it
