"""The files people open: findings in every format (case columns, BOM, headers, Excel sheets people can work in,
evidence as JSON), every reader reading every format, and strings no writer may choke on or pass to a
spreadsheet as a formula."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from govties.cli.main import main
from govties.loaders.findings_file import read_findings
from govties.rules.casework import CASE_COLUMNS
from govties.rules.engine import EXTRA_COLUMNS, FINDING_COLUMNS
from govties.rules.export import Layout, write_findings
from govties.graph.vocabulary import SEVERITY
from govties.titles import COLUMNS

from conftest import MINIMAL, write_dataset

BOM = b"\xef\xbb\xbf"
WITH_POST = {**MINIMAL, "positions.csv": """
    person_id,org_id,title,rank,start_date,end_date
    P1,A1,局长,bureau,2015-01-01,
    """}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def data(tmp_path):
    return write_dataset(tmp_path / "data", WITH_POST)


def test_findings_carry_the_case_handler_s_columns_after_the_contract_s(data, tmp_path):
    out = tmp_path / "f.csv"
    res = run("sweep", data, "-o", out, "-q", "--lang", "en")
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(df.columns) == FINDING_COLUMNS + EXTRA_COLUMNS + list(CASE_COLUMNS)
    row = df.iloc[0]
    assert (row.rule_title, row.total_amount, row.decision_kinds) == ("Decision for a relative's company", "2000000",
                                                                      "permit")
    assert (row.official_post, row.official_rank, row.relation, row.as_of) == ("市住建局 局长", "bureau", "spouse",
                                                                               "2020-05-01")
    # the vocabularies' ids in every language, as severity's, where the header shows the contract's names (a CSV
    # by default, JSON lines, Parquet: they held the words of the sweep's language); words under titles
    for name, headers in (("f.csv", "contract"), ("f.jsonl", "contract"), ("f.parquet", "contract"),
                          ("t.csv", "lang"), ("f.xlsx", "lang")):
        res = run("sweep", data, "-o", tmp_path / name, "-q", "--lang", "zh", *(["--headers", "lang"] if
                                                                                  name == "t.csv" else []))
        assert res.exit_code == 0, res.output
        row = (read_findings(tmp_path / name) if headers == "lang" else
               pd.read_json(tmp_path / name, lines=True, dtype=str) if name.endswith(".jsonl") else
               pd.read_parquet(tmp_path / name) if name.endswith(".parquet") else
               pd.read_csv(tmp_path / name, dtype=str, keep_default_na=False)).iloc[0]
        assert (row.decision_kinds, row.official_rank, row.relation) == ("permit", "bureau", "spouse"), name
        if headers == "lang":  # shown as words, read back as ids
            shown = (pd.read_excel(tmp_path / name, dtype=str) if name.endswith(".xlsx") else
                     pd.read_csv(tmp_path / name, dtype=str, keep_default_na=False)).iloc[0]
            assert (shown["决定类型"], shown["时任职级"], shown["关系"]) == ("许可", "厅局级", "配偶"), name
    no_amount = write_dataset(tmp_path / "d2", {**WITH_POST, "decisions.csv": "decision_id,kind,date,agency_id,"
                                                "beneficiary_id\nD1,permit,2020-05-01,A1,C1\n"})
    assert run("sweep", no_amount, "-o", out, "-q").exit_code == 0
    assert pd.read_csv(out, dtype=str, keep_default_na=False).total_amount.tolist() == [""]  # unknown, not 0


def test_csv_starts_with_a_bom_unless_no_bom(data, tmp_path):
    a = tmp_path / "a"
    res = run("sweep", data, "-o", a / "f.csv", "-q", "--resolution-out", a / "r.csv", "--aggregate-out", a / "ranks")
    assert res.exit_code == 0, res.output
    assert run("resolve", data, "-o", a / "resolve.csv").exit_code == 0
    assert run("diff", a / "f.csv", a / "f.csv", "-o", a / "d.csv").exit_code == 0
    written = sorted(a.rglob("*.csv"))
    assert len(written) == 10  # findings, r, resolve, d, the five ranked tables (undated.csv among them), about.csv
    assert all(p.read_bytes().startswith(BOM) for p in written), [p.name for p in written]
    b = tmp_path / "b"
    run("sweep", data, "-o", b / "f.csv", "-q", "--no-bom", "--resolution-out", b / "r.csv", "--aggregate-out",
        b / "ranks")
    run("resolve", data, "-o", b / "resolve.csv", "--no-bom")
    run("diff", b / "f.csv", b / "f.csv", "-o", b / "d.csv", "--no-bom")
    written = sorted(b.rglob("*.csv"))
    assert len(written) == 10 and not any(p.read_bytes().startswith(BOM) for p in written)


def test_headers_follow_the_language_in_excel_and_on_request_in_csv(data, tmp_path):
    columns = FINDING_COLUMNS + EXTRA_COLUMNS + list(CASE_COLUMNS)
    zh = [COLUMNS.label(c, "zh") for c in columns]
    assert run("sweep", data, "-o", tmp_path / "f.xlsx", "-q").exit_code == 0
    assert [c.value for c in openpyxl.load_workbook(tmp_path / "f.xlsx")["findings"][1]] == zh
    assert run("sweep", data, "-o", tmp_path / "c.xlsx", "-q", "--headers", "contract").exit_code == 0
    assert [c.value for c in openpyxl.load_workbook(tmp_path / "c.xlsx")["findings"][1]] == columns
    assert run("sweep", data, "-o", tmp_path / "f.csv", "-q", "--headers", "lang").exit_code == 0
    assert list(pd.read_csv(tmp_path / "f.csv").columns) == zh
    assert run("sweep", data, "-o", tmp_path / "d.csv", "-q").exit_code == 0  # machines read CSV: contract names
    assert list(pd.read_csv(tmp_path / "d.csv").columns) == columns
    for name in ("f.xlsx", "f.csv"):  # readers map the titles back
        assert list(read_findings(tmp_path / name).columns) == columns
    res = run("sweep", data, "-o", tmp_path / "x.csv", "--headers", "chinese")
    assert res.exit_code == 2


def test_where_headers_are_titles_severity_and_triage_status_are_words_of_the_language(data, tmp_path):
    """高, not high, in a Chinese workbook (and a CSV with --headers lang); the contract's CSV keeps the ids; every
    reader maps the words back, so a diff across the two shows no change."""
    triage = tmp_path / "t.csv"
    assert run("sweep", data, "-o", tmp_path / "d.csv", "-q").exit_code == 0
    ids = pd.read_csv(tmp_path / "d.csv", dtype=str)
    triage.write_text(f"finding_id,status\n{ids.finding_id[0]},in_review\n", encoding="utf-8")
    for name, extra in (("f.xlsx", ()), ("e.xlsx", ("--lang", "en")), ("f.csv", ("--headers", "lang"))):
        assert run("sweep", data, "-o", tmp_path / name, "-q", "--triage", triage, *extra).exit_code == 0
    zh = openpyxl.load_workbook(tmp_path / "f.xlsx")
    header = [c.value for c in zh["findings"][1]]
    row = {h: c.value for h, c in zip(header, zh["findings"][2], strict=True)}
    assert row["风险等级"] == SEVERITY.label(ids.severity[0], "zh") and row["核查状态"] == "核查中"
    assert [c.value for c in zh["about"][1]] == ["项目", "内容"]
    en = openpyxl.load_workbook(tmp_path / "e.xlsx")["findings"]
    row = {c.value: v.value for c, v in zip(en[1], en[2], strict=True)}
    assert row["severity"] == ids.severity[0] and row["triage_status"] == "in review"
    csv_zh = pd.read_csv(tmp_path / "f.csv", dtype=str)
    assert csv_zh["风险等级"][0] == SEVERITY.label(ids.severity[0], "zh")
    for name in ("f.xlsx", "e.xlsx", "f.csv"):
        back = read_findings(tmp_path / name)
        assert back.severity.tolist() == ids.severity.tolist(), name
        assert back.triage_status[0] == "in_review", name
    res = run("diff", tmp_path / "d.csv", tmp_path / "f.xlsx", "-o", tmp_path / "x.csv")
    assert res.exit_code == 0 and "changed 0" in res.output, res.output


@pytest.mark.parametrize("name", ["t.csv", "t.xlsx"])
def test_a_header_that_falls_back_to_the_ids_keeps_the_values_ids(tmp_path, name):
    """Two columns whose titles would be the same (a column named by another's Chinese title) make the header show
    the ids; then severity and triage status stay ids too. Without the clash the same table shows titles and
    words."""
    import govties.api as gt

    def written(frame: pd.DataFrame) -> pd.DataFrame:
        path = gt.write_csv(frame, tmp_path / name, gt.Layout(lang="zh", headers="lang"))
        if path.suffix == ".csv":
            return pd.read_csv(path, dtype=str, encoding="utf-8-sig")
        rows = list(openpyxl.load_workbook(path)["table"].values)
        return pd.DataFrame(rows[1:], columns=rows[0])

    plain = pd.DataFrame({"severity": ["high"], "triage_status": ["in_review"], "note": ["x"]})
    shown = written(plain)
    assert shown.columns.tolist() == ["风险等级", "核查状态", "note"]
    assert shown.iloc[0].tolist() == [SEVERITY.label("high", "zh"), "核查中", "x"]
    clash = plain.rename(columns={"note": "风险等级"})
    shown = written(clash)
    assert shown.columns.tolist() == ["severity", "triage_status", "风险等级"]
    assert shown.iloc[0].tolist() == ["high", "in_review", "x"]


@pytest.mark.parametrize("name", ["t.csv", "t.xlsx"])
def test_titles_given_for_data_named_columns_decide_the_values_words_too(tmp_path, name):
    """A column named by data (a rule's id in the officials table) gets its title from the caller; when that title
    is another column's, the header shows the ids, and severity stays an id with it (one decision for both)."""
    from govties.rules.export import write_table

    def written(extra: dict[str, str]) -> pd.DataFrame:
        path = write_table(frame, tmp_path / name, Layout(lang="zh", headers="lang"), extra_titles=extra)
        if path.suffix == ".csv":
            return pd.read_csv(path, dtype=str, encoding="utf-8-sig")
        rows = list(openpyxl.load_workbook(path)["table"].values)
        return pd.DataFrame(rows[1:], columns=rows[0])

    frame = pd.DataFrame({"severity": ["high"], "self-dealing": ["2"]})
    shown = written({"self-dealing": "自我交易"})
    assert shown.columns.tolist() == ["风险等级", "自我交易"]
    assert shown.iloc[0].tolist() == [SEVERITY.label("high", "zh"), "2"]
    shown = written({"self-dealing": "风险等级"})  # the same title as severity's
    assert shown.columns.tolist() == ["severity", "self-dealing"]
    assert shown.iloc[0].tolist() == ["high", "2"]


def test_excel_has_a_frozen_header_filters_typed_cells_and_widths_that_fit(data, tmp_path):
    out = tmp_path / "f.xlsx"
    assert run("sweep", data, "-o", out, "-q", "--lang", "en").exit_code == 0
    ws = openpyxl.load_workbook(out)["findings"]
    header = [c.value for c in ws[1]]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}{ws.max_row}"
    assert all(c.font.bold for c in ws[1])
    row = {h: c for h, c in zip(header, ws[2], strict=True)}
    for date in ("first_date", "last_date", "as_of"):  # the decision's date, also the data's latest
        assert row[date].is_date and row[date].value.date().isoformat() == "2020-05-01"
    assert row["score"].data_type == "n" and isinstance(row["score"].value, int)
    assert row["total_amount"].data_type == "n" and row["total_amount"].value == 2_000_000
    assert row["total_amount"].number_format == "#,##0"  # shown 2,000,000, as the pages show it
    for i, h in enumerate(header, start=1):  # every header is readable in its column, no column is endless
        width = ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width
        assert len(h) <= width <= 80, (h, width)


def test_json_lines_carry_evidence_as_an_object_and_every_reader_reads_every_format(data, tmp_path):
    for suffix in ("csv", "jsonl", "xlsx", "parquet"):
        assert run("sweep", data, "-o", tmp_path / f"f.{suffix}", "-q").exit_code == 0
    line = json.loads((tmp_path / "f.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert isinstance(line["evidence"], dict) and {"nodes", "edges"} <= set(line["evidence"])
    assert isinstance(line["score"], int) and line["total_amount"] == 2_000_000
    assert '"total_amount": 2000000,' in (tmp_path / "f.jsonl").read_text(encoding="utf-8").splitlines()[0]
    old = tmp_path / "old.jsonl"  # as earlier versions wrote it: the evidence a JSON string
    old.write_text(json.dumps({**line, "evidence": json.dumps(line["evidence"], sort_keys=True, ensure_ascii=False)},
                              ensure_ascii=False) + "\n", encoding="utf-8")
    frames = {p.name: read_findings(p) for p in sorted(tmp_path.glob("*.*"))}
    first = frames["f.csv"]
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(frame.reset_index(drop=True), first, obj=name)
    res = run("diff", tmp_path / "old.jsonl", tmp_path / "f.xlsx")
    assert res.exit_code == 0 and "new 0, reopened 0, changed 0, resolved 0" in res.output


EVIL = {"=cmd|' /C calc'!A0", "+SUM(A1)", "-2+3+cmd|' /C calc'!A0"}  # an official, a relative, a company


def test_formula_text_is_neutralised_in_every_csv_and_kept_raw_on_request(tmp_path):
    files = {**WITH_POST,
             "people.csv": 'person_id,name\nP1,"=cmd|\' /C calc\'!A0"\nP2,+SUM(A1)\n',
             "organizations.csv": "org_id,name,kind,region,industry\nA1,\"\t@SUM(1+1)\",agency,330100,\n"
                                  "C1,-2+3+cmd|' /C calc'!A0,company,330102,\n"}
    data = write_dataset(tmp_path / "d", files)
    out = tmp_path / "o"
    res = run("sweep", data, "-o", out / "f.csv", "-q", "--aggregate-out", out / "ranks", "--resolution-out",
              out / "r.csv")
    assert res.exit_code == 0, res.output
    (out / "old.csv").write_text(",".join(FINDING_COLUMNS) + "\n", encoding="utf-8")  # a sweep that found nothing
    assert run("diff", out / "old.csv", out / "f.csv", "-o", out / "d.csv").exit_code == 0  # every finding is new
    cells = _cells(out)
    assert not any(v.startswith(("=", "+", "@", "\t")) or (v.startswith("-") and not _number(v)) for v in cells)
    assert {"'" + e for e in EVIL} | {"'@SUM(1+1)"} <= cells  # neutralised (the agency, trimmed: ranked tables)
    assert "2000000" in cells  # numbers are not touched
    assert {e for e in EVIL} <= {v for v in read_findings(out / "f.csv").stack()}  # the reader undoes it
    raw = tmp_path / "raw"
    res = run("sweep", data, "-o", raw / "f.csv", "-q", "--raw-cells", "--aggregate-out", raw / "ranks")
    assert res.exit_code == 0 and EVIL & _cells(raw) and not any(v.startswith("'") for v in _cells(raw))


def _number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def _cells(folder) -> set[str]:
    import csv

    out = set()
    for p in folder.rglob("*.csv"):
        with p.open(encoding="utf-8-sig", newline="") as fh:
            out |= {c for row in csv.reader(fh) for c in row}
    return out


def test_negative_numbers_and_dates_are_not_mangled(tmp_path):
    frame = pd.DataFrame({"finding_id": ["a"], "name": ["-5"], "amount": [-5.0], "when": ["2021-03-05"]})
    write_findings(frame, tmp_path / "f.csv")
    text = (tmp_path / "f.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[1] == "a,-5,-5,2021-03-05"


HOSTILE = "王\x00\x07\x1b[2J\x08\u202e\u2066名\ud800尾"


@pytest.mark.parametrize("suffix", ["csv", "jsonl", "xlsx", "parquet"])
def test_every_writer_copes_with_control_characters_surrogates_and_bidi(tmp_path, suffix):
    frame = pd.DataFrame({c: ["x"] for c in FINDING_COLUMNS}, dtype=object).assign(score=50, first_date="2021-03-05",
                                                                                 last_date="2021-03-05")
    frame["official_name"] = pd.Series([HOSTILE], dtype=object)  # a str column cannot hold a lone surrogate
    frame["evidence"] = pd.Series([json.dumps({"nodes": [{"id": "P1", "name": HOSTILE}], "edges": []},
                                              ensure_ascii=False)], dtype=object)
    target = tmp_path / f"f.{suffix}"
    target.write_text("the previous export", encoding="utf-8")
    write_findings(frame, target, about={"source": HOSTILE}, layout=Layout(lang="zh"))
    back = read_findings(target)
    name = back.loc[0, "official_name"]
    assert name.startswith("王") and name.endswith("名\ufffd尾") and "\u202e" in name  # kept, or shown as escapes
    if suffix == "xlsx":
        book = openpyxl.load_workbook(target)
        assert "about" in book.sheetnames and "\\x07" in name
        assert any("不是违纪违法的证据" in str(c.value) for row in book["about"].iter_rows() for c in row)


def test_a_hostile_name_through_the_whole_command(tmp_path):
    files = {**WITH_POST, "people.csv": "person_id,name\nP1,\"王\x07\x1b[2J\u202e建国\"\nP2,李梅\n"}
    data = write_dataset(tmp_path / "d", files)
    for suffix in ("csv", "jsonl", "xlsx", "parquet"):
        res = run("sweep", data, "-o", tmp_path / f"f.{suffix}", "-q", "--aggregate-out", tmp_path / "r.xlsx",
                  "--index", tmp_path / "run.html")
        assert res.exit_code == 0, res.output
        assert "\x1b" not in res.output and "\u202e" not in res.output  # printed lines cannot steer the terminal
        assert len(read_findings(tmp_path / f"f.{suffix}")) == 1
    page = (tmp_path / "run.html").read_text(encoding="utf-8")
    # the loader strips control characters and bidirectional overrides (with a warning); what is left is isolated
    assert "<bdi>王[2J建国" in page and not {"\x07", "\x1b", "\u202e"} & set(page)


def test_long_text_is_split_over_a_sheet_and_read_back_whole(tmp_path):
    evidence = json.dumps({"nodes": [{"id": f"P{i}", "name": "张" * 40} for i in range(2000)], "edges": []},
                          ensure_ascii=False, sort_keys=True)
    assert len(evidence) > 3 * 32_767
    frame = pd.DataFrame({c: ["x"] for c in FINDING_COLUMNS}).assign(finding_id="f1", score=50, evidence=evidence,
                                                                    first_date="2021-03-05", last_date="2021-03-05")
    write_findings(frame, tmp_path / "f.xlsx")
    book = openpyxl.load_workbook(tmp_path / "f.xlsx")
    cell = [c.value for c in book["findings"][2]][FINDING_COLUMNS.index("evidence")]
    assert len(cell) <= 32_767 and "long_text" in cell
    assert read_findings(tmp_path / "f.xlsx").loc[0, "evidence"] == evidence
    # the same cell cut by hand (or by an older export): ftm-export says so in one line
    sheet = book["findings"]
    sheet.cell(row=2, column=FINDING_COLUMNS.index("evidence") + 1).value = evidence[:32_767]
    del book["long_text"]
    book.save(tmp_path / "cut.xlsx")
    res = run("ftm-export", tmp_path / "cut.xlsx", "-o", tmp_path / "out.ftm.json")
    assert res.exit_code == 2, res.output
    assert res.output.strip().splitlines() == [
        "error: cut.xlsx, line 2, column evidence: is not valid JSON (cut or edited?); fix: export the findings "
        "again with govties sweep (JSON lines and CSV keep the evidence whole)"]
    assert not (tmp_path / "out.ftm.json").exists()


def test_rules_named_twice_write_each_finding_once(data, tmp_path):
    res = run("sweep", data, "-o", tmp_path / "f.csv", "-q", "--rules", "relative-business,relative-business")
    assert res.exit_code == 0, res.output
    df = pd.read_csv(tmp_path / "f.csv")
    assert len(df) == 1 and df["finding_id"].is_unique


def test_a_triage_s_when_is_read_in_one_form_whatever_form_the_file_wrote(tmp_path):
    """A triage file's `when` in any date form the data takes (a time after it if you like) comes out in one form:
    YYYY-MM-DD or YYYY-MM-DDTHH:MM in CSV, real date cells in Excel, so the column sorts."""
    from conftest import DEMO

    assert run("sweep", DEMO, "-o", tmp_path / "d.csv", "-q").exit_code == 0
    ids = pd.read_csv(tmp_path / "d.csv", dtype=str).finding_id.tolist()[:5]
    written = ["2025/1/3", "2025-01-04", "20250105", "2025年1月6日 9:05", ""]
    triage = tmp_path / "t.csv"
    triage.write_text("finding_id,status,note,who,when\n" + "".join(
        f"{fid},in_review,,li,{when}\n" for fid, when in zip(ids, written, strict=True)), encoding="utf-8")
    for name in ("f.csv", "f.xlsx"):
        res = run("sweep", DEMO, "-o", tmp_path / name, "-q", "--triage", triage)
        assert res.exit_code == 0, res.output
    csv = pd.read_csv(tmp_path / "f.csv", dtype=str, keep_default_na=False).set_index("finding_id")
    assert csv.loc[ids, "triage_when"].tolist() == ["2025-01-03", "2025-01-04", "2025-01-05", "2025-01-06T09:05", ""]
    sheet = openpyxl.load_workbook(tmp_path / "f.xlsx")["findings"]
    header = [c.value for c in sheet[1]]
    cells = {r[0].value: r[header.index("核查时间")] for r in sheet.iter_rows(min_row=2)}
    assert [cells[fid].value for fid in ids] == [dt.datetime(2025, 1, 3), dt.datetime(2025, 1, 4),
                                                dt.datetime(2025, 1, 5), dt.datetime(2025, 1, 6, 9, 5), None]
    assert [cells[fid].number_format for fid in ids[:4]] == ["yyyy-mm-dd"] * 3 + ['yyyy-mm-dd hh:mm "UTC"']
    from govties.titles import column_ids

    assert column_ids(["核查日期", "核查时间"]) == ["triage_when"] * 2  # an older workbook's title still read
    letter = cells[ids[0]].column_letter  # wide enough for a date and time (not #####)
    assert sheet.column_dimensions[letter].width >= len("2025-01-06 09:05 UTC") + 2
