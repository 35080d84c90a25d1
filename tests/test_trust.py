"""Run-to-run tracking (diff, triage), masking, and values that look like code stored as text."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from govties.rules.tracking import diff_frames
from govties.cli.main import main
from govties.graph.duckdb_backend import DuckDBBackend
from govties.loaders import load_dataset
from govties.loaders.findings_file import read_about, read_findings
from govties.privacy import mask_text, mask_value
from govties.rules.catalog import catalog
from govties.rules.engine import FINDING_COLUMNS, sweep

from cli_process import problem_lines
from conftest import DEMO, MINIMAL, ended, write_dataset


@pytest.fixture(scope="module")
def demo_findings(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep") / "findings.csv"
    res = CliRunner().invoke(main, ["sweep", str(DEMO), "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    return out


def test_diff_new_resolved_changed(demo_findings, tmp_path):
    new = pd.read_csv(demo_findings, dtype=str, keep_default_na=False)
    old = new.iloc[1:].copy()  # the first finding is new in NEW
    extra = new.iloc[[0]].copy()
    extra["finding_id"] = "0000000000000000"  # only in OLD: resolved
    old = pd.concat([old, extra])
    old.loc[old.index[0], "score"] = "1"  # changed
    table = diff_frames(old, new)
    assert table[table.change == "new"].finding_id.tolist() == [new.finding_id.iloc[0]]
    assert table[table.change == "resolved"].finding_id.tolist() == ["0000000000000000"]
    changed = table[table.change == "changed"]
    assert changed.finding_id.tolist() == [old.finding_id.iloc[0]] and changed.fields.tolist() == ["score"]


def test_diff_cli_honours_triage(demo_findings, tmp_path):
    new = pd.read_csv(demo_findings, dtype=str, keep_default_na=False)
    old_path = tmp_path / "old.csv"
    new.iloc[2:].to_csv(old_path, index=False)
    triage = tmp_path / "triage.csv"
    triage.write_text(f"finding_id,status,note,who,when\n{new.finding_id.iloc[0]},dismissed,核实无关,张三,2026-11-01\n",
                      encoding="utf-8")
    res = CliRunner().invoke(main, ["diff", str(old_path), str(demo_findings), "--triage", str(triage),
                                    "-o", str(tmp_path / "d.csv")])
    assert res.exit_code == 0, res.output
    assert "new 1, reopened 0, changed 0, resolved 0, dismissed 1" in res.output
    d = pd.read_csv(tmp_path / "d.csv", dtype=str, keep_default_na=False)
    assert d.set_index("finding_id").loc[new.finding_id.iloc[0], "change"] == "dismissed"


def test_sweep_with_triage_marks_findings(demo_findings, tmp_path):
    ids = pd.read_csv(demo_findings, dtype=str).finding_id.tolist()
    triage = tmp_path / "t.csv"
    triage.write_text(f"finding_id,status,note\n{ids[0]},dismissed,x\n{ids[1]},confirmed,y\n", encoding="utf-8")
    out = tmp_path / "f.csv"
    res = CliRunner().invoke(main, ["sweep", str(DEMO), "-o", str(out), "-q", "--triage", str(triage), "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "triage: open" in res.output and "confirmed 1, dismissed 1" in res.output
    f = pd.read_csv(out, dtype=str, keep_default_na=False).set_index("finding_id")
    assert f.loc[ids[0], "triage_status"] == "dismissed" and f.loc[ids[2], "triage_status"] == "open"


def test_bad_triage_file_is_reported_by_line(tmp_path, minimal_dataset):
    triage = tmp_path / "t.csv"
    triage.write_text("finding_id,status\nabc,maybe\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["sweep", str(minimal_dataset), "-o", str(tmp_path / "f.csv"),
                                    "--triage", str(triage)])
    assert res.exit_code == 2
    assert ("t.csv, line 2, column 2 (status): expected one of open (待核查), in_review (核查中), confirmed (已确认), "
            "dismissed (已排除); other Chinese words such as 未处理 are accepted too (found 'maybe')" in res.output)


def test_a_triage_status_error_says_the_chinese_words_it_accepts(tmp_path, minimal_dataset):
    """As a dataset's vocabulary error says them (approval (审批) ...): it listed only open, in_review, confirmed,
    dismissed, though 待核查, 已确认, 已排除 ... are accepted. Each word it says is one a triage file may hold."""
    out = tmp_path / "f.csv"
    assert CliRunner().invoke(main, ["sweep", str(minimal_dataset), "-o", str(out), "-q"]).exit_code == 0
    fid = pd.read_csv(out, dtype=str).finding_id[0]
    triage = tmp_path / "t.csv"
    triage.write_text(f"finding_id,status\n{fid},已核实\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["diff", str(out), str(out), "--triage", str(triage)])
    assert res.exit_code == 2
    assert problem_lines(res.output) == [
        "t.csv, line 2, column 2 (status): expected one of open (待核查), in_review (核查中), confirmed (已确认), "
        "dismissed (已排除); other Chinese words such as 未处理 are accepted too (found '已核实'); fix: write one of "
        "these words"]
    for word in ("待核查", "核查中", "已确认", "已排除", "未处理"):
        triage.write_text(f"finding_id,status\n{fid},{word}\n", encoding="utf-8")
        res = CliRunner().invoke(main, ["diff", str(out), str(out), "--triage", str(triage)])
        assert res.exit_code == 0, (word, res.output)


def test_mask_text():
    assert mask_text("身份证330102197001010013") == "身份证330102********0013"
    assert mask_text("tel 13812345678, 0571-88000001") == "tel 138****5678, 0571****0001"
    assert mask_text("2021-03-05 D0001718") == "2021-03-05 D0001718"
    assert json.loads(mask_value(json.dumps({"a": ["13812345678"]}))) == {"a": ["138****5678"]}


@pytest.mark.parametrize("text, masked", [
    ("330102-19680101-1028", "330102-********-1028"),  # a resident ID written in parts
    ("身份证 330102 1968 0101 1028", "身份证 330102 **** **** 1028"),
    ("330102–19680101–1028", "330102–********–1028"),  # with en dashes, as the search reads it too
    ("330102—19680101—1028 330102－19680101－1028", "330102—********—1028 330102－********－1028"),  # em, full-width
    ("3301-0219-6801-0110-28", "3301-02**-****-**10-28"),  # in groups of four: its birth date hidden as ever
    ("1234-5678-9012-3456-78", "1234-5678-9012-3456-78"),  # 18 digits in groups that hold no birth date
    ("33010219680101102", "330102***********"),  # a digit too few: region shown, the rest hidden
    ("33010219720202", "330102********"),  # four too few
    ("HT20200501000100012345 20240101123456789012", "HT20200501000100012345 20240101123456789012"),  # serials
    ("3301021968010110281", "330102*********0281"),  # a digit too many
    ("330102196801011028330102197001010013", "330102" + "*" * 26 + "0013"),  # two run together
    ("手机１３８１２３４５６７８", "手机138****5678"),  # full-width digits: shown masked, in ASCII
    ("３３０１０２１９６８０１０１１０２８", "３３０１０２********１０２８"),  # \d takes them
    ("ＸＰ０００３ 2022-02-02 1,200,000元 19eaa1b63dcbe993", "ＸＰ０００３ 2022-02-02 1,200,000元 19eaa1b63dcbe993"),
    # parts apart by a dot, a slash, an underscore, or an IME's full-width space (all printed whole before)
    ("330102.19680101.1028 330102/19680101/1028", "330102.********.1028 330102/********/1028"),
    ("330102_19680101_1028", "330102_********_1028"),
    ("３３０１０２\u3000１９６８０１０１\u3000１０２８", "330102 ******** 1028"),
    ("电话 138.1234.5678、138/1234/5678、１３８\u3000１２３４\u3000５６７８",
     "电话 138****5678、138****5678、138****5678"),
    ("2021.03.05 金额 1,234,567.89元", "2021.03.05 金额 1,234,567.89元"),  # dates and amounts stay
])
def test_identifiers_in_other_forms_are_masked_too(text, masked):
    assert mask_text(text) == masked


@pytest.mark.parametrize("value, masked", [("3301021968", "33******68"), ("ABC", "***")])
def test_a_resident_id_field_is_masked_whatever_its_form(value, masked):
    assert mask_value({"id_number": value, "name": "王建国"}) == {"id_number": masked, "name": "王建国"}


def test_a_person_s_source_record_key_is_masked_as_a_resident_id_whatever_its_form():
    from govties.privacy import without_birth_dates

    shown = without_birth_dates({"kind": "person", "key": "33O1O2-1972", "birth_date": "1972-02-02"})
    assert shown == {"kind": "person", "key": "33*******72", "birth_date": "****-**-**"}
    assert without_birth_dates({"kind": "organization", "key": "C1"})["key"] == "C1"  # not a person's: as it is


def test_ids_and_phones_in_other_forms_are_masked_in_outputs_and_warnings(tmp_path):
    files = {**MINIMAL, "people.csv": """
        person_id,name,id_number
        P1,王建国,330102-19700101-0013
        P2,李梅 １３８１２３４５６７８,33010219720202002
        """}
    folder = write_dataset(tmp_path / "d", files)
    out, view = tmp_path / "f.csv", tmp_path / "v.html"
    res = CliRunner().invoke(main, ["sweep", str(folder), "-o", str(out), "--mask",
                                    "--index", str(tmp_path / "i.html")])
    assert res.exit_code == 0, res.output
    assert "330102-********-0013" in res.output  # the invalid ID's warning names it masked
    res2 = CliRunner().invoke(main, ["view", str(folder), "-o", str(view), "-q", "--mask"])
    assert res2.exit_code == 0, res2.output
    for text in (res.output, out.read_text(encoding="utf-8"), view.read_text(encoding="utf-8"),
                 (tmp_path / "i.html").read_text(encoding="utf-8")):
        for plain in ("19700101", "１２３４", "1234", "20202002", "0202002"):
            assert plain not in text


def test_masked_exports_and_views(tmp_path):
    files = {**MINIMAL, "people.csv": """
        person_id,name,id_number
        P1,王建国,330102197001010013
        P2,李梅 13812345678,330102197202020023
        """}
    folder = write_dataset(tmp_path / "d", files)
    runner = CliRunner()
    out = tmp_path / "f.csv"
    res = runner.invoke(main, ["sweep", str(folder), "-o", str(out), "-q", "--mask",
                               "--resolution-out", str(tmp_path / "r.csv")])
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    assert "13812345678" not in text and "138****5678" in text
    res = runner.invoke(main, ["view", str(folder), "-o", str(tmp_path / "v.html"), "-q", "--mask"])
    assert res.exit_code == 0, res.output
    page = (tmp_path / "v.html").read_text(encoding="utf-8")
    assert "13812345678" not in page and "138****5678" in page


@pytest.mark.parametrize("evil", ["') DETACH DELETE n //", "'; DROP TABLE person; --", "\" OR 1=1 --",
                                  "$relations", "{{7*7}}", "=cmd|' /C calc'!A0"])
def test_code_like_values_are_stored_and_reported_as_text(tmp_path, evil):
    quoted = '"' + evil.replace('"', '""') + '"'
    files = {**MINIMAL, "people.csv": f"person_id,name\nP1,{quoted}\nP2,李梅\n",
             "organizations.csv": f"org_id,name,kind,region,industry\nA1,市住建局,agency,330100,\n"
                                  f"C1,{quoted},company,,\n"}
    folder = write_dataset(tmp_path / "d", files)
    backend = DuckDBBackend()
    backend.load(load_dataset(folder).tables)
    counts = backend.counts()
    result = sweep(backend, [catalog()["relative-business"]], {"relative-business": {"relations": "spouse"}},
                   lang="en")
    assert backend.counts() == counts
    assert [f["official_name"] for f in result.findings] == [evil]
    assert result.findings[0]["org_name"] == evil


def test_excel_export_neutralises_formulas(tmp_path):
    files = {**MINIMAL, "people.csv": "person_id,name\nP1,\"=cmd|' /C calc'!A0\"\nP2,+SUM(A1)\n"}
    folder = write_dataset(tmp_path / "d", files)
    out = tmp_path / "f.xlsx"
    res = CliRunner().invoke(main, ["sweep", str(folder), "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    import openpyxl

    ws = openpyxl.load_workbook(out)["findings"]
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'=cmd|' /C calc'!A0" in values and "'+SUM(A1)" in values
    assert not any(v.startswith(("=", "+", "-", "@")) for v in values)


def test_diff_shows_old_and_new_for_each_changed_field(demo_findings, tmp_path):
    new = pd.read_csv(demo_findings, dtype=str, keep_default_na=False)
    old = new.copy()
    fid = old.finding_id.iloc[0]
    old.loc[0, ["score", "severity"]] = ["41", "medium"]
    old_path = tmp_path / "old.csv"
    old.to_csv(old_path, index=False)
    res = CliRunner().invoke(main, ["diff", str(old_path), str(demo_findings), "-o", str(tmp_path / "d.csv")])
    assert res.exit_code == 0, res.output
    want = f"severity: medium → {new.severity.iloc[0]}; score: 41 → {new.score.iloc[0]}"
    line = next(x for x in res.output.splitlines() if x.startswith("changed"))
    assert fid in line and want in line
    d = pd.read_csv(tmp_path / "d.csv", dtype=str, keep_default_na=False).set_index("finding_id")
    assert d.loc[fid, "changes"] == want and d.loc[fid, "fields"] == "severity;score"


def test_a_diff_written_to_a_file_lists_only_the_first_changes_on_the_terminal(demo_findings, tmp_path):
    new = pd.read_csv(demo_findings, dtype=str, keep_default_na=False)
    old = new.copy()
    old["score"] = (old.score.astype(int) - 1).astype(str)  # every finding changed
    old.to_csv(tmp_path / "old.csv", index=False)
    res = CliRunner().invoke(main, ["diff", str(tmp_path / "old.csv"), str(demo_findings), "-o",
                                    str(tmp_path / "d.csv")])
    assert res.exit_code == 0, res.output
    listed = [x for x in res.output.splitlines() if x.startswith("changed ")]
    assert len(listed) == 20 and res.output.splitlines()[-1] == (
        f"wrote {tmp_path / 'd.csv'}; the {len(new) - 20} changes not listed above are in it")
    assert len(pd.read_csv(tmp_path / "d.csv", dtype=str)) == len(new)
    whole = CliRunner().invoke(main, ["diff", str(tmp_path / "old.csv"), str(demo_findings)])
    assert len([x for x in whole.output.splitlines() if x.startswith("changed ")]) == len(new)


def test_a_score_moved_only_by_the_reference_date_is_not_a_change(tmp_path):
    folder = write_dataset(tmp_path / "d", MINIMAL)  # its one finding's evidence is dated 2020-05-01
    runner = CliRunner()
    for name, as_of in (("a.csv", "2021-01-01"), ("b.xlsx", "2031-01-01")):  # within 3 years (+5); 10+ years (-10)
        res = runner.invoke(main, ["sweep", str(folder), "-o", str(tmp_path / name), "-q", "--as-of", as_of])
        assert res.exit_code == 0, res.output
    scores = [read_findings(tmp_path / n).score.iloc[0] for n in ("a.csv", "b.xlsx")]
    assert int(scores[0]) - int(scores[1]) == 15
    res = runner.invoke(main, ["diff", str(tmp_path / "a.csv"), str(tmp_path / "b.xlsx")])
    assert res.exit_code == 0, res.output
    assert "new 0, reopened 0, changed 0, resolved 0, dismissed 0" in res.output
    assert "note: the reference date moved: 2021-01-01 → 2031-01-01; scores and severities are compared without " \
           "their recency points (1 finding changed only by them)" in res.output
    table = read_findings(tmp_path / "a.csv")
    table.loc[0, "evidence"] = table.loc[0, "evidence"].replace('"approver"', '"signer"')
    table.to_csv(tmp_path / "c.csv", index=False)  # a real change besides the date: reported with the score
    res = runner.invoke(main, ["diff", str(tmp_path / "c.csv"), str(tmp_path / "b.xlsx")])
    assert "changed 1" in res.output and f"score: {scores[0]} → {scores[1]}" in res.output
    assert "evidence: DECIDED P1→D1 (approver): — → 2020-05-01; DECIDED P1→D1 (signer): 2020-05-01 → —" in res.output


def test_diff_refuses_findings_files_it_cannot_trust(demo_findings, tmp_path):
    new = pd.read_csv(demo_findings, dtype=str, keep_default_na=False)
    twice = pd.concat([new.iloc[:2], new.iloc[:1]])
    twice.to_csv(tmp_path / "dup.csv", index=False)
    res = CliRunner().invoke(main, ["diff", str(tmp_path / "dup.csv"), str(demo_findings)])
    assert res.exit_code == 2
    assert res.output.strip().splitlines()[0].startswith(f"dup.csv, line 4, column finding_id: the finding id "
                                                         f"{new.finding_id.iloc[0]} also appears on line 2")
    bad = new.iloc[:1].assign(score="high")
    bad.to_csv(tmp_path / "bad.csv", index=False)
    res = CliRunner().invoke(main, ["diff", str(tmp_path / "bad.csv"), str(demo_findings)])
    assert res.exit_code == 2 and "bad.csv, line 2, column score: expected a score from 0 to 100 (found 'high')" \
        in res.output


@pytest.mark.parametrize("kept", [["finding_id", "rule"], [c for c in FINDING_COLUMNS if c != "evidence"]])
def test_diff_refuses_a_table_without_the_findings_columns(demo_findings, tmp_path, kept):
    """A table that only looks like findings (a finding_id column, the other contract columns missing) is refused
    in one line naming what it lacks; it is never compared as if every finding had been resolved."""
    new = pd.read_csv(demo_findings, dtype=str, keep_default_na=False)
    new[kept].to_csv(tmp_path / "part.csv", index=False)
    res = CliRunner().invoke(main, ["diff", str(demo_findings), str(tmp_path / "part.csv")])
    ended(res, 2)
    missing = [c for c in FINDING_COLUMNS if c not in kept]
    [said] = res.output.strip().splitlines()
    assert said.startswith(f"part.csv, line 1, column {missing[0]}: is not a findings table: it has no "
                           f"{missing[0]}"), said
    assert said.endswith(" (the findings file was not read)"), said


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".xlsx"])
def test_diff_reads_a_sweep_that_found_nothing(tmp_path, suffix, demo_findings):
    """A sweep with no finding writes an empty table (JSON lines: an empty file): diffed against a later sweep,
    every finding is new, of the rules it ran where its file says which (an Excel file's about sheet)."""
    folder = write_dataset(tmp_path / "d", {**MINIMAL, "relatives.csv": "person_id,relative_id,relation\n"})
    empty = tmp_path / f"none{suffix}"
    res = CliRunner().invoke(main, ["sweep", str(folder), "-o", str(empty), "-q"])
    ended(res, 0)
    assert len(read_findings(empty)) == 0
    res = CliRunner().invoke(main, ["diff", str(empty), str(demo_findings)])
    ended(res, 0)
    later = read_findings(demo_findings)
    about = read_about(empty)
    n = len(later) if about is None else int(later["rule"].isin(about["rules"].split(",")).sum())
    assert 0 < n and f"new {n}, reopened 0, changed 0, resolved 0, dismissed 0" in res.output
    assert (about is None) == ("which the old sweep did not run" not in res.output)
