"""Ledgers as they really arrive from case systems: title rows above the header, a totals row at the end, dates
and amounts as people write them, Chinese vocabulary words, headers that are not mapped, Big5 files. Each on CSV
and on a workbook, with near-misses."""

from __future__ import annotations

import json
import re
import textwrap

import pytest
from click.testing import CliRunner

from govties.cli.main import main
from govties.loaders import DataError, load_dataset
from govties.loaders import values as V

from cli_process import problem_lines
from conftest import MINIMAL, REPO, needs_module, sheet_rows, write_dataset, write_workbook

PEOPLE = "person_id,name,id_number\nP1,王建国,330102197001010013\nP2,李梅,330102197202020023\n"
DECISIONS = "decision_id,kind,date,agency_id,beneficiary_id,amount\nD1,permit,2020-05-01,A1,C1,2000000\n"


def _minimal_sheets(**changes) -> dict[str, list[list]]:
    sheets = {name[:-4]: sheet_rows(text) for name, text in MINIMAL.items()}
    sheets.update(changes)
    return sheets


def _validate(*args):
    return CliRunner().invoke(main, ["validate", *map(str, args)])


def _problems(exc) -> list[str]:
    return [str(p) for p in exc.value.problems]


# -- a title row or two above the header --------------------------------------------------------------------------
TITLED = "人员信息表\n导出日期：2024年1月1日,,\n" + PEOPLE


def test_a_title_above_the_header_is_named_with_the_line_that_holds_it(tmp_path):
    folder = write_dataset(tmp_path / "d", {**MINIMAL, "people.csv": TITLED})
    res = _validate(folder)
    assert res.exit_code == 2
    assert ("people.csv, line 1: is not the header (found '人员信息表'); line 3 looks like it (person_id, name, "
            "id_number); fix: set header_row: 3 for this file in a --mapping file (files: {people: {header_row: 3}}), "
            "or pass --header-row 3 if every file's header is on line 3") in res.output
    assert "fields but the header has" not in res.output  # the title's one field does not make every row ragged
    # the advice, followed as written, reads the dataset (--header-row 3 would have sent every other file astray)
    mapping = tmp_path / "m.yaml"
    mapping.write_text("files: {people: {header_row: 3}}\n", encoding="utf-8")
    res = _validate(folder, "--mapping", mapping)
    assert res.exit_code == 0, res.output


def test_header_row_skips_the_titles_and_keeps_the_file_lines(tmp_path):
    files = {name: "干部监督台账\n\n" + textwrap.dedent(text).lstrip("\n") for name, text in MINIMAL.items()}
    files["people.csv"] = TITLED.replace("330102197202020023", "3301021972020200")  # line 5: a bad resident ID
    files["organizations.csv"] = "单位名录\n" + textwrap.dedent(MINIMAL["organizations.csv"]).lstrip("\n")
    folder = write_dataset(tmp_path / "d", files)
    res = _validate(folder, "--header-row", "3")
    assert res.exit_code == 2, res.output
    # organizations.csv has one title line, not two: its header is on line 2, and the error says so
    assert res.output.startswith("organizations.csv, line 3: is not the header (found 'A1, 市住建局, agency, "
                                 "330100'); line 2 looks like it (org_id, name, kind, region, industry); fix: set "
                                 "header_row: 2 for this file in a --mapping file (files: {organizations: {header_row: "
                                 "2}}), or pass --header-row 2 if every file's header is on line 2")
    mapping = tmp_path / "m.yaml"
    mapping.write_text("files:\n  organizations:\n    file: organizations.csv\n    header_row: 2\n", encoding="utf-8")
    res = _validate(folder, "--header-row", "3", "--mapping", mapping)
    assert res.exit_code == 0, res.output
    assert "warning: people.csv, line 5, column 3 (id_number): invalid resident ID" in res.output
    files["decisions.csv"] = files["decisions.csv"].replace("2020-05-01", "2020-13-01")
    res = _validate(write_dataset(tmp_path / "d", files), "--header-row", "3", "--mapping", mapping)
    assert "decisions.csv, line 4, column 3 (date): not a date: there is no month 13" in res.output


def test_header_row_on_the_exact_reader_path(tmp_path):
    """A quoted line break sends the file to the exact reader: its lines are still the file's."""
    text = '标题\n\nperson_id,name,note\nP1,王建国,"two\nlines"\nP2,李梅,x\nP3\n'
    folder = write_dataset(tmp_path / "d", {**MINIMAL, "people.csv": text})
    mapping = tmp_path / "m.yaml"
    mapping.write_text("files:\n  people:\n    file: people.csv\n    header_row: 3\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_dataset(folder, mapping=mapping)
    assert _problems(exc) == ["people.csv, line 7: has 1 fields but the header has 3; fix: check for a missing or "
                              "extra delimiter, or an unquoted comma"]


def test_header_row_on_sheets_and_per_sheet_in_the_mapping(tmp_path):
    people = [["干部名册"], [], *sheet_rows(PEOPLE)]
    book = write_workbook(tmp_path / "b.xlsx", _minimal_sheets(people=people))
    res = _validate(book)
    assert res.exit_code == 2
    assert ("b.xlsx[people], line 1: is not the header (found '干部名册'); row 3 looks like it (person_id, name, "
            "id_number); fix: set header_row: 3 for this sheet in a --mapping file (files: {people: {header_row: "
            "3}}), or pass --header-row 3 if every sheet's header is on row 3") in res.output  # the sheet named
    mapping = tmp_path / "m.yaml"
    mapping.write_text("files:\n  people:\n    file: people.csv\n    header_row: 3\n", encoding="utf-8")
    ds = load_dataset(book, mapping=mapping)
    assert sorted(ds.frame("person")["person_id"]) == ["P1", "P2"]
    res = _validate(book, "--header-row", "3")  # every sheet: the others have their header on row 1
    assert res.exit_code == 2 and "b.xlsx[organizations], line 3: is not the header" in res.output


@pytest.mark.parametrize("command", ["sweep", "load", "resolve", "neo4j-import"])
def test_every_command_that_loads_takes_header_row(tmp_path, command):
    folder = write_dataset(tmp_path / "d", {name: "标题\n" + textwrap.dedent(text).lstrip("\n")
                                            for name, text in MINIMAL.items()})
    extra = {"sweep": ["-o", tmp_path / "f.csv", "-q"], "load": ["--store", tmp_path / "g.duckdb", "-q"],
             "resolve": [], "neo4j-import": ["--out", tmp_path / "imp"]}[command]
    res = CliRunner().invoke(main, [command, str(folder), *map(str, extra)])
    assert res.exit_code == 2 and "looks like it" in res.output
    res = CliRunner().invoke(main, [command, str(folder), "--header-row", "2", *map(str, extra)])
    assert res.exit_code == 0, res.output


def test_a_missing_column_under_a_title_hints_at_header_row(tmp_path):
    folder = write_dataset(tmp_path / "d", {**MINIMAL, "people.csv": "人员信息表\nP1,王建国\n"})
    res = _validate(folder)
    assert res.exit_code == 2
    assert "the header line holds '人员信息表', a title rather than a header? Give the header's line with " \
           "--header-row N" in res.output


# -- a totals row at the end --------------------------------------------------------------------------------------
@pytest.mark.parametrize("row", ["合计,,,,,2000000", ",合　计：,,,,2000000", "总计（元）,,,,,2000000",
                                 "小计,,,,,1", "Total,,,,,2000000", "Grand total:,,,,,1"])
def test_a_totals_row_at_the_end_is_skipped_with_a_warning(tmp_path, row):
    folder = write_dataset(tmp_path / "d", {**MINIMAL, "decisions.csv": DECISIONS + row + "\n"})
    res = _validate(folder)
    assert res.exit_code == 0, res.output
    word = next(c for c in row.split(",") if c)
    assert f"warning: decisions.csv, line 3: a totals row ({word}) at the end is skipped" in res.output
    assert re.search(r"^decisions\.csv +1 row$", res.output, re.M) and "1 decision," in res.output  # the data row


def test_totals_rows_near_misses(tmp_path):
    # a company named 合计… at the end is data; a totals word in a later cell is data; 合计 in the middle is not
    # skipped (it is reported like any other bad row)
    orgs = textwrap.dedent(MINIMAL["organizations.csv"]).lstrip("\n") + "C2,合计,company,330102,\n" \
        + "C3,合计科技有限公司,company,330102,\n"
    decisions = DECISIONS + "合计,,,,,2000000\nD2,permit,2020-05-02,A1,C1,5\n"
    folder = write_dataset(tmp_path / "d", {**MINIMAL, "organizations.csv": orgs, "decisions.csv": decisions})
    res = _validate(folder)
    assert res.exit_code == 2
    assert "totals row" not in res.output
    assert "decisions.csv, line 3, column 2 (kind): a value is required here" in res.output


def test_a_totals_row_in_a_sheet(tmp_path):
    decisions = sheet_rows(DECISIONS) + [["合计", None, None, None, None, 2000000]]
    book = write_workbook(tmp_path / "b.xlsx", _minimal_sheets(decisions=decisions))
    ds = load_dataset(book)
    assert ds.counts()["decision"] == 1
    assert any(str(w).startswith("b.xlsx[decisions], line 3: a totals row (合计) at the end is skipped")
               for w in ds.warnings)
    decisions_found = [(r["file"], r["line"]) for r in ds.records.to_pylist() if r["kind"] == "decision"]
    assert decisions_found == [("b.xlsx[decisions]", 2)]  # the decision's source record, the totals row not one


# -- dates and amounts as people write them ------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["2021.03.05", "2021.3.5", "2021-3-5", "2021-03-05", "2021/3/5", "20210305",
                                  "2021年3月5日"])
def test_every_date_form_in_the_error_text_is_accepted(text):
    assert V.parse_date(text) == "2021-03-05"


def test_the_error_text_and_the_readme_list_the_same_date_forms():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for form in V.DATE_FORMS:
        assert form in V.DATE_EXPECTED
        assert f"`{form}`" in readme, form
    assert V.parse_date("2021.13.05") is None and V.parse_date("2021..3.5") is None


AMOUNTS = {"120万": 1_200_000, "1.2亿": 120_000_000, "1,200,000.00": 1_200_000, "￥1200": 1200, "¥1200": 1200,
           "1200元": 1200, "120万元": 1_200_000, "¥ 1,200.50 元": 1200.5, "0.07万": 700, "1500000": 1_500_000,
           "1 500 000": 1_500_000, "１２０ 万": 1_200_000, "1 200 000.50": 1_200_000.5}


@pytest.mark.parametrize("text", list(AMOUNTS))
def test_amounts_as_ledgers_write_them(text):
    assert V.parse_amount(text) == AMOUNTS[text]


@pytest.mark.parametrize("text", ["12,00", "1,2000", "万", "1.2.3万", "120万万", "abc", "1_000", "nan", "inf",
                                  "1 2", "12 00", "1 5000", "3.5 100", "120.5 300万", "0 500",  # two numbers
                                  "١٢٣"])  # in a cell; another script's digits
def test_amount_near_misses_are_refused(text):
    assert V.parse_amount(text) is None


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_amounts_in_a_dataset(tmp_path, form):
    rows = [["decision_id", "kind", "date", "agency_id", "beneficiary_id", "amount"]] + [
        [f"D{i}", "permit", "2020.5.1", "A1", "C1", text] for i, text in enumerate(AMOUNTS)]
    if form == "csv":
        import csv
        import io

        buf = io.StringIO()
        csv.writer(buf).writerows(rows)
        src = write_dataset(tmp_path / "d", {**MINIMAL, "decisions.csv": buf.getvalue()})
    else:
        src = write_workbook(tmp_path / "b.xlsx", _minimal_sheets(decisions=rows))
    got = load_dataset(src).frame("decision").sort_values("decision_id")
    assert dict(zip(got["decision_id"], got["amount"], strict=True)) == {f"D{i}": v
                                                                        for i, v in enumerate(AMOUNTS.values())}
    assert got["date"].astype(str).unique().tolist() == ["2020-05-01"]


def test_a_bad_amount_says_what_is_accepted(tmp_path):
    folder = write_dataset(tmp_path / "d", {**MINIMAL, "decisions.csv": DECISIONS.replace("2000000", '"12,00"')})
    res = _validate(folder)
    assert res.exit_code == 2
    assert ("decisions.csv, line 2, column 6 (amount): expected an amount in yuan, 0 or more: digits (1500000, "
            "1,500,000.00), with ¥ or 元 if you like, or with 万 or 亿 (120万, 1.2亿) (found '12,00')") in res.output


# -- vocabulary errors list the accepted words ----------------------------------------------------------------------
def test_a_vocabulary_error_lists_ids_with_their_chinese_words_on_one_line(tmp_path):
    files = {**MINIMAL, "relatives.csv": "person_id,relative_id,relation\nP1,P2,邻居\n",
             "decision_makers.csv": "decision_id,person_id,role\nD1,P1,签发人\n"}
    res = _validate(write_dataset(tmp_path / "d", files))
    assert res.exit_code == 2
    lines = [line for line in problem_lines(res.output) if "relatives.csv" in line]
    assert lines == ["relatives.csv, line 2, column 3 (relation): expected one of spouse (配偶), child (子女), parent "
                     "(父母), sibling (兄弟姐妹), child_spouse (子女配偶), spouse_parent (配偶父母), spouse_sibling "
                     "(配偶的兄弟姐妹), sibling_spouse (兄弟姐妹的配偶), grandchild (孙子女), grandparent (祖父母), "
                     "other (其他亲属); other Chinese words such as 妻子 are accepted too (found '邻居'); fix: use one "
                     "of these words, or map yours to one in a --mapping file (values: {relation: {YOUR_WORD: "
                     "spouse}})"]
    assert "decision_makers.csv" not in res.output  # 签发人 is a signer


def test_a_vocabulary_error_in_a_sheet_names_sheet_row_and_column(tmp_path):
    book = write_workbook(tmp_path / "b.xlsx", _minimal_sheets(decision_makers=[["decision_id", "person_id", "role"],
                                                                        ["D1", "P1", "盖章人"]]))
    res = _validate(book)
    assert res.exit_code == 2
    assert ("b.xlsx[decision_makers], line 2, column 3 (role): expected one of approver (审批人), signer (签发), "
            "committee (集体决策); other Chinese words such as 批准 are accepted too (found '盖章人'); fix: use one of "
            "these words, or map yours to one in a --mapping file (values: {role: {YOUR_WORD: approver}})"
            ) in problem_lines(res.output)


# -- a header that looks like a contract column but is not mapped ---------------------------------------------------
def test_common_real_world_headers_map_out_of_the_box(tmp_path):
    files = {**MINIMAL, "people.csv": PEOPLE.replace("id_number", "证件号码"),
             "positions.csv": "人员编号,单位编号,职务,职务级别,任职日期\nP1,A1,局长,正处级,2015-01-01\n",
             "relatives.csv": "人员编号,亲属编号,与本人关系\nP1,P2,妻子\n"}
    res = _validate(write_dataset(tmp_path / "d", files))
    assert res.exit_code == 0, res.output
    assert "证件号码 -> id_number" in res.output and "职务级别 -> rank" in res.output
    assert "与本人关系 -> relation" in res.output


def test_an_unmapped_lookalike_header_is_a_warning_naming_the_column_and_the_mapping(tmp_path):
    files = {**MINIMAL, "people.csv": PEOPLE.replace("id_number", "身份证件号"),
             "positions.csv": "person_id,org_id,title,现职级别情况,start_date\nP1,A1,局长,正处级,2015-01-01\n"}
    res = _validate(write_dataset(tmp_path / "d", files))
    assert res.exit_code == 0
    assert ("warning: people.csv, line 1, column 3 (身份证件号): looks like the contract column 'id_number' but is not "
            "mapped to it: its values are kept as an extra property, and no rule reads them; fix: rename the header "
            "to id_number, or map it in a --mapping file: files: {people: {file: people.csv, columns: {身份证件号: "
            "id_number}}}") in res.output
    assert "positions.csv, line 1, column 4 (现职级别情况): looks like the contract column 'rank'" in res.output
    assert "(2 warnings)" in res.output


def test_lookalike_headers_in_a_sheet_and_near_misses(tmp_path):
    people = [["person_id", "name", "身份证件号", "备注", "Birth Date", "id_number"],
              ["P1", "王建国", "x", "y", "1970-01-01", "330102197001010013"],
              ["P2", "李梅", "", "", "", "330102197202020023"]]
    book = write_workbook(tmp_path / "c.xlsx", _minimal_sheets(people=people))
    ds = load_dataset(book)
    warned = [str(w) for w in ds.warnings]
    # Birth Date is birth_date spelled differently; 身份证件号 looks like id_number, but id_number is filled;
    # 备注 (a note) looks like nothing
    assert warned == ["c.xlsx[people], line 1, column 5 (Birth Date): looks like the contract column 'birth_date' "
                      "but is not mapped to it: its values are kept as an extra property, and no rule reads them; "
                      "fix: rename the header to birth_date, or map it in a --mapping file: files: {people: {file: "
                      "people.csv, columns: {Birth Date: birth_date}}}"]


def test_two_headers_for_one_column_are_an_error_naming_both(tmp_path):
    """姓名 beside name: which of the two holds the names meant is not guessed (the second was kept as a property)."""
    files = {**MINIMAL, "people.csv": "person_id,name,id_number,姓名\nP1,王建国,330102197001010013,王健国\n"
                                      "P2,李梅,330102197202020023,李梅\n"}
    res = _validate(write_dataset(tmp_path / "d", files))
    assert res.exit_code == 2, res.output
    assert problem_lines(res.output) == [
        "people.csv, line 1, column 4 (姓名): fills the column 'name' that column 2 ('name') fills already: each "
        "contract column is read from one column; fix: remove or rename one of the two"]


@pytest.mark.parametrize("sheet", [False, True])
def test_values_under_a_blank_header_are_said_not_read(tmp_path, sheet):
    rows = [["person_id", "", "name", "id_number"], ["P1", "", "王建国", "330102197001010013"],
            ["P2", "别名X", "李梅", "330102197202020023"]]
    if sheet:
        ds = load_dataset(write_workbook(tmp_path / "c.xlsx", _minimal_sheets(people=rows)))
        where = "c.xlsx[people]"
    else:
        text = "\n".join(",".join(r) for r in rows) + "\n"
        ds = load_dataset(write_dataset(tmp_path / "d", {**MINIMAL, "people.csv": text}))
        where = "people.csv"
    assert [str(w) for w in ds.warnings] == [
        f"{where}, line 1: column 2 has no header but holds values (the first on line 3): they are not read (found "
        "'别名X'); fix: give the column a header: a contract column's name, or any other to keep its values as an "
        "extra property"]
    blank = rows[:2] + [[rows[2][0], "", *rows[2][2:]]]  # a blank-headed column without values: nothing to say
    if not sheet:
        text = "\n".join(",".join(r) for r in blank) + "\n"
        assert load_dataset(write_dataset(tmp_path / "e", {**MINIMAL, "people.csv": text})).warnings == []


def test_a_required_column_under_another_name_names_it_in_the_error(tmp_path):
    files = {**MINIMAL, "relatives.csv": "person_id,relative_id,亲属称谓情况\nP1,P2,spouse\n"}
    res = _validate(write_dataset(tmp_path / "d", files))
    assert res.exit_code == 2
    assert ("relatives.csv, line 1, column relation: the required column 'relation' is missing from the header; fix: "
            "the header '亲属称谓情况' looks like it: rename the header to relation, or map it in a --mapping file: "
            "files: {relatives: {file: relatives.csv, columns: {亲属称谓情况: relation}}}") in res.output


def test_an_amount_header_in_ten_thousands_says_so_and_is_read_so_once_mapped(tmp_path):
    """A header naming its unit (金额（万元）) is a statement about its numbers: mapped to amount, 200 is 2,000,000
    yuan (the finding's threshold is met as with the yuan), and a cell with a unit of its own (120万) stays as it
    says. Read as yuan, every amount was 10,000 times too small, and the thresholds silently missed."""
    decisions = ("decision_id,kind,date,agency_id,beneficiary_id,金额（万元）\nD1,permit,2020-05-01,A1,C1,200\n"
                 "D2,permit,2020-06-01,A1,C1,120万\nD3,permit,2020-07-01,A1,C1,０.５\nD4,permit,2020-08-01,A1,C1,1.5E+2\n")
    data = write_dataset(tmp_path / "d", {**MINIMAL, "decisions.csv": decisions,
                                          "decision_makers.csv": "decision_id,person_id\nD1,P1\nD2,P1\nD3,P1\nD4,P1\n"})
    res = _validate(data)
    assert ("its amounts are in 万元 (10,000 yuan), and are read so once mapped; fix: map it in a --mapping file "
            "(files: {decisions: {file: decisions.csv, columns: {金额（万元）: amount}}}), which keeps the unit; "
            "renaming the header would lose it") in res.output
    mapping = tmp_path / "m.yaml"
    mapping.write_text("files:\n  decisions:\n    file: decisions.csv\n    columns: {金额（万元）: amount}\n",
                       encoding="utf-8")
    out = tmp_path / "f.jsonl"
    res = CliRunner().invoke(main, ["sweep", str(data), "--mapping", str(mapping), "-o", str(out), "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert ("decisions.csv, line 1, column 6 (金额（万元）): gives its amounts in 万元: a number without a unit of its "
            "own is read as that many 万元 (10,000 yuan each)") in res.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    found = next(r for r in rows if r["rule"] == "relative-business")
    assert found["total_amount"] == 2_000_000 + 1_200_000 + 5_000 + 1_500_000
    assert load_dataset(data, mapping=mapping).tables["decision"]["amount"].to_pylist() == [2e6, 1.2e6, 5e3, 1.5e6]


def test_the_finding_no_longer_vanishes_when_the_id_column_has_a_real_world_name(tmp_path):
    """Two records of one official, joined by resident ID only: with 证件号码 unmapped the merge, and the
    finding it makes, were lost without a word."""
    files = {**MINIMAL,
             "people.csv": "person_id,name,证件号码\nP1,王建国,330102197001010013\nP2,李梅,330102197202020023\n"
                           "R9,王建国,330102197001010013\n",
             "decision_makers.csv": "decision_id,person_id,role\nD1,R9,approver\n"}
    out = tmp_path / "f.csv"
    res = CliRunner().invoke(main, ["sweep", str(write_dataset(tmp_path / "d", files)), "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    assert "wrote 1 finding to" in res.output


# -- Big5 -----------------------------------------------------------------------------------------------------------
def test_a_big5_folder_is_detected_and_read_as_big5_never_as_gb18030(tmp_path):
    zhconv = needs_module("zhconv", "names")
    trad = {name: zhconv.convert(textwrap.dedent(text).lstrip("\n"), "zh-tw") for name, text in MINIMAL.items()}
    folder = tmp_path / "b5"
    folder.mkdir()
    for name, text in trad.items():
        (folder / name).write_bytes(text.encode("cp950"))
    ds = load_dataset(folder)
    assert sorted(ds.frame("person")["name"]) == sorted(["王建國", "李梅"])
    assert "華興建設有限公司" in ds.frame("org")["name"].tolist()
    assert ds.encodings["people.csv"] == "big5"
    assert any(str(w) == "people.csv: was not UTF-8; its text is Traditional Chinese in Big5: read it as Big5 "
               "(detected); fix: pass --encoding big5 to make this explicit, or re-save as UTF-8" for w in ds.warnings)
    assert load_dataset(folder, encoding="big5").frame("person")["name"].tolist() == ["王建國", "李梅"]


def test_a_short_big5_file_and_gb_files_stay_what_they_are(tmp_path):
    files = {**MINIMAL, "people.csv": "person_id,name\nP1,王建國\nP2,李梅\n"}
    folder = write_dataset(tmp_path / "d", files)
    (folder / "people.csv").write_bytes(files["people.csv"].encode("big5"))
    assert load_dataset(folder).frame("person")["name"].tolist() == ["王建國", "李梅"]
    (folder / "people.csv").write_bytes("person_id,name\nP1,王建国\nP2,李梅\n".encode("gb18030"))
    ds = load_dataset(folder)
    assert ds.frame("person")["name"].tolist() == ["王建国", "李梅"] and ds.encodings["people.csv"] == "gb18030"
