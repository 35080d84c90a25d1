"""Data as it really arrives: Excel workbooks, Chinese headers and file names, mapping files, GB18030."""

from __future__ import annotations

import textwrap

import openpyxl
import pytest
from click.testing import CliRunner

from govties.cli.main import main
from govties.graph.duckdb_backend import DuckDBBackend
from govties.loaders import DataError, load_dataset
from govties.rules.catalog import catalog
from govties.rules.engine import sweep

from conftest import DEMO, MINIMAL, sheet_rows, write_dataset, write_workbook


def _ids(folder_or_book) -> list[str]:
    b = DuckDBBackend()
    b.load(load_dataset(folder_or_book).tables)
    return sorted(f["finding_id"] for f in sweep(b, list(catalog().values())).findings)


def test_workbook_loads_like_the_folder(tmp_path):
    sheets = {name[:-4]: sheet_rows(text) for name, text in MINIMAL.items()}
    book = write_workbook(tmp_path / "book.xlsx", sheets)
    folder = write_dataset(tmp_path / "csv", MINIMAL)
    assert _ids(book) == _ids(folder) and _ids(book)


def test_workbook_errors_name_sheet_row_and_column(tmp_path):
    sheets = {name[:-4]: sheet_rows(text) for name, text in MINIMAL.items()}
    sheets["decisions"][1][2] = "2020-13-01"
    book = write_workbook(tmp_path / "book.xlsx", sheets)
    with pytest.raises(DataError) as exc:
        load_dataset(book)
    assert any(str(p).startswith("book.xlsx[decisions], line 2, column 3 (date): not a date: there is no month 13")
               for p in exc.value.problems)


def test_excel_native_dates_and_numbers(tmp_path):
    import datetime as dt

    sheets = {name[:-4]: sheet_rows(text) for name, text in MINIMAL.items()}
    sheets["decisions"][1][2] = dt.datetime(2020, 5, 1)
    sheets["decisions"][1][5] = 2000000.0
    sheets["company_roles"][1][3] = 0.6
    book = write_workbook(tmp_path / "book.xlsx", sheets)
    ds = load_dataset(book)
    assert ds.frame("decision")["date"].astype(str).tolist() == ["2020-05-01"]
    assert ds.frame("decision")["amount"].tolist() == [2000000.0]


def test_chinese_headers_and_file_names_out_of_the_box(tmp_path):
    files = {
        "人员.csv": "人员编号,姓名,身份证号\nP1,王建国,330102197001010013\nP2,李梅,330102197202020023\n",
        "单位.csv": "单位编号,单位名称,类型,统一社会信用代码\nA1,市住建局,机关,\nC1,华兴建设有限公司,企业,\n",
        "亲属.csv": "人员编号,亲属编号,关系\nP1,P2,配偶\n",
        "企业角色.csv": "持有人编号,企业编号,角色,持股比例,开始日期\nP2,C1,股东,60%,2018年1月1日\n",
        "审批事项.csv": "审批编号,类型,审批事项,审批日期,审批机关,受益方,金额\n"
                      "D1,许可,施工许可,2020/05/01,A1,C1,2000000\n",
        "审批人.csv": "审批编号,人员编号,角色\nD1,P1,审批人\n",
    }
    folder = write_dataset(tmp_path / "zh", files)
    assert _ids(folder) == _ids(write_dataset(tmp_path / "en", MINIMAL))
    res = CliRunner().invoke(main, ["validate", str(folder)])
    assert res.exit_code == 0, res.output
    assert "people.csv: from 人员.csv" in res.output
    assert "人员编号 -> person_id" in res.output and "姓名 -> name" in res.output


def test_gb18030_folder_gives_the_same_findings(tmp_path):
    import shutil

    gb = tmp_path / "gb"
    shutil.copytree(DEMO, gb)
    for f in gb.glob("*.csv"):
        f.write_bytes(f.read_text(encoding="utf-8").encode("gb18030"))
    assert _ids(gb) == _ids(DEMO)


def test_mapping_file_maps_files_columns_and_words(tmp_path):
    files = {**MINIMAL}
    files.pop("relatives.csv")
    files["family.csv"] = "who,whom,rel\nP1,P2,内人\n"
    folder = write_dataset(tmp_path / "d", files)
    mapping = tmp_path / "m.yaml"
    mapping.write_text(textwrap.dedent("""
        files:
          family:
            file: relatives.csv
            columns: {who: person_id, whom: relative_id, rel: relation}
            values:
              relation: {内人: spouse}
    """), encoding="utf-8")
    ds = load_dataset(folder, mapping=mapping)
    assert ds.frame("kin")["relation"].tolist() == ["spouse", "spouse"]
    res = CliRunner().invoke(main, ["validate", str(folder), "--mapping", str(mapping)])
    assert res.exit_code == 0 and "relatives.csv: from family.csv" in res.output


def test_bad_mapping_names_the_key(tmp_path, minimal_dataset):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("files:\n  family:\n    file: relatives.csv\n    columns: {who: persn_id}\n"
                       "  other:\n    file: kin.csv\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["validate", str(minimal_dataset), "--mapping", str(mapping)])
    assert res.exit_code == 2
    assert "m.yaml: files.family.columns.who: maps to 'persn_id', which is not a column of relatives.csv" \
        in res.output
    assert "files.other.file: names 'kin.csv', which is not a contract file" in res.output


def test_a_mapping_entry_that_maps_nothing_or_to_a_word_not_taken_is_said(tmp_path):
    """An entry matching no file is a warning naming it and the files left unread; one whose name is that of a
    file left unread but misspelt (familly beside family.csv) is refused, naming the file (read without it, six
    rules would lack their input); a word mapped to one its column does not take, or an entry without file:, is
    refused before any data is read."""
    files = {**MINIMAL}
    files["family.csv"] = files.pop("relatives.csv")
    folder = write_dataset(tmp_path / "d", files)
    mapping = tmp_path / "m.yaml"
    mapping.write_text("files:\n  familly:\n    file: relatives.csv\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["validate", str(folder), "--mapping", str(mapping)])
    assert res.exit_code == 2, res.output
    assert res.output.startswith("m.yaml: files.familly: matches no file of the dataset, and family.csv, which no "
                                 "entry maps, is not read (a misspelt entry?); fix: name the entry family, as the "
                                 "file is named"), res.output
    mapping.write_text("files:\n  kinship:\n    file: relatives.csv\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["validate", str(folder), "--mapping", str(mapping)])
    assert res.exit_code == 0, res.output
    assert ("warning: m.yaml: files.kinship: matches no file of the dataset, so it maps nothing; fix: name "
            "the entry as the file is named (not read: family.csv), or leave the entry out if this dataset has no "
            "such file") in res.output.splitlines()
    # a key written with the file's extension in any case matches it; a word may map to nothing where a column
    # may be empty (a placeholder such as 不详)
    mapping.write_text("files:\n  family.CSV:\n    file: relatives.csv\n  decision_makers:\n"
                       "    file: decision_makers.csv\n    values: {role: {不详: ''}}\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["validate", str(folder), "--mapping", str(mapping)])
    assert res.exit_code == 0 and "matches no file" not in res.output and "relatives.csv: from family" in res.output, \
        res.output
    for text, said in (
            ("files:\n  family:\n    file: relatives.csv\n    values: {relation: {闺女: kid}}\n",
             "m.yaml: files.family.values.relation.闺女: maps to 'kid', which relation does not take; fix: use "
             "one of spouse (配偶)"),
            ("files:\n  family:\n    header_row: 3\n",
             "m.yaml: files.family.file: is missing, and the source's name stands for no contract file: an "
             "entry says which contract file its source fills")):
        mapping.write_text(text, encoding="utf-8")
        res = CliRunner().invoke(main, ["validate", str(folder), "--mapping", str(mapping)])
        assert res.exit_code == 2 and res.output.startswith(said), res.output


@pytest.mark.parametrize("as_sheet", [False, True])
def test_an_entry_named_after_a_contract_file_maps_the_source_named_after_it_in_chinese(tmp_path, as_sheet):
    """`relatives:` in a mapping fills relatives.csv whatever the source named after it is called: the file 亲属.csv
    or the sheet 亲属 takes its words as relatives.csv would (内人 read as spouse), and the entry is not said to
    match nothing (a new user's mapping was ignored, and its word refused)."""
    files = {**MINIMAL}
    relatives = files.pop("relatives.csv")
    files["亲属.csv"] = relatives.replace("spouse", "内人", 1)
    assert "内人" in files["亲属.csv"]
    folder = write_dataset(tmp_path / "d", files)
    data = folder
    if as_sheet:
        data = write_workbook(tmp_path / "book.xlsx", {p.stem: sheet_rows(p.read_text(encoding="utf-8"))
                                                      for p in sorted(folder.glob("*.csv"))})
    mapping = tmp_path / "m.yaml"
    mapping.write_text("files:\n  relatives:\n    values: {relation: {内人: spouse}}\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["validate", str(data), "--mapping", str(mapping)])
    assert res.exit_code == 0, res.output
    assert "matches no" not in res.output, res.output
    kin = load_dataset(data, mapping=mapping).frame("kin")
    assert "spouse" in set(kin["relation"]) and "内人" not in set(kin["relation"])


def test_an_entry_named_after_one_contract_file_that_fills_another_maps_only_its_own_source(tmp_path):
    """干部 names people in the contract's aliases; an entry 干部 that fills decision_makers.csv maps the file 干部.csv
    and not 人员.csv, which fills people as its name says."""
    files = {**MINIMAL}
    files["人员.csv"] = files.pop("people.csv")
    files["干部.csv"] = files.pop("decision_makers.csv")
    mapping = tmp_path / "m.yaml"
    mapping.write_text("files:\n  干部:\n    file: decision_makers.csv\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["validate", str(write_dataset(tmp_path / "d", files)), "--mapping", str(mapping)])
    assert res.exit_code == 0 and "matches no" not in res.output, res.output


def test_sweep_accepts_a_workbook(tmp_path):
    sheets = {name[:-4]: sheet_rows(text) for name, text in MINIMAL.items()}
    book = write_workbook(tmp_path / "book.xlsx", sheets)
    res = CliRunner().invoke(main, ["sweep", str(book), "-o", str(tmp_path / "f.csv"), "-q", "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "1 finding " in res.output.replace("wrote 1 finding ", "")


def test_formula_cells_are_kept_as_text_with_a_warning(tmp_path):
    path = write_workbook(tmp_path / "f.xlsx", {name[:-4]: sheet_rows(text) for name, text in MINIMAL.items()})
    book = openpyxl.load_workbook(path)
    book["people"]["B3"] = "=HYPERLINK(\"http://x\",\"李梅\")"
    book.save(path)
    ds = load_dataset(tmp_path / "f.xlsx")
    assert '=HYPERLINK("http://x","李梅")' in ds.frame("person")["name"].tolist()
    told = [str(w) for w in ds.warnings if "f.xlsx[people]" in str(w)]
    assert any("1 cell holds a formula; its formula text is kept as data" in t for t in told), told
    book["people"]["B2"] = "=UPPER(\"王建国\")"
    book.save(path)
    told = [str(w) for w in load_dataset(tmp_path / "f.xlsx").warnings if "f.xlsx[people]" in str(w)]
    assert any("2 cells hold formulas; their formula text is kept as data" in t for t in told), told


def test_a_shareholder_list_with_a_chinese_holder_column_implies_the_role(tmp_path):
    files = {**MINIMAL, "股东及高管.csv": "企业编号,股东,持股比例\nC1,P2,60%\n"}
    files.pop("company_roles.csv")
    folder = write_dataset(tmp_path / "d", files)
    ds = load_dataset(folder)
    role = ds.frame("role").iloc[0]
    assert (role["holder_id"], role["org_id"], role["role"], role["share"]) == ("P2", "C1", "shareholder", 0.6)
    assert _ids(folder) == _ids(write_dataset(tmp_path / "en", MINIMAL))


def test_repeated_and_blank_headers_get_names_that_never_collide():
    from govties.loaders.read import unique_names

    assert unique_names(["a", "a", "a.1", "", "b", ""]) == ["a", "a.1", "a.1.1", "column4", "b", "column6"]


def test_a_file_or_sheet_named_after_no_contract_file_is_said_to_be_unread(tmp_path):
    """Relatives exported as family.csv (or a sheet named family) are not read: a warning names the file and the
    fix, where before the six rules that need relatives were skipped with no word of the file that was there."""
    files = {**MINIMAL, "family.csv": "person_id,relative_id,relation\nP1,P2,child\n"}
    loaded = load_dataset(write_dataset(tmp_path / "f", {**files, "planted.csv": "rule,expect\nx,yes\n"}))
    assert not [w for w in loaded.warnings if "planted" in str(w)]  # the generator's answer key: known, not data
    said = [str(w) for w in loaded.warnings if "family" in str(w)]
    assert said == ["family.csv: is not named after a contract file, so it was not read; fix: if it holds one, name "
                    "the file after it (e.g. relatives.csv), or map it in a mapping file (--mapping)"], said
    sheets = {name[:-4]: sheet_rows(text) for name, text in files.items()}
    loaded = load_dataset(write_workbook(tmp_path / "book.xlsx", sheets))
    assert [str(w) for w in loaded.warnings if "family" in str(w)] == [
        "book.xlsx[family]: is not named after a contract file, so it was not read; fix: if it holds one, name the "
        "sheet after it (e.g. relatives), or map it in a mapping file (--mapping)"]


def test_a_csv_file_is_read_whatever_the_case_of_its_name_and_data_of_another_kind_is_said_unread(tmp_path):
    """Relatives.CSV (a Windows export) is relatives.csv; company_roles.txt and a workbook inside the folder are data
    that is not read, said with the fix (six rules were skipped with no word of them); a README, a backup of a file
    that is read, Office's lock file and a folder are not data."""
    files = {**{("Relatives.CSV" if n == "relatives.csv" else n): t for n, t in MINIMAL.items()},
             "README.txt": "about this export\n"}
    folder = write_dataset(tmp_path / "d", files)
    (folder / "company_roles.csv").rename(folder / "company_roles.txt")
    write_workbook(folder / "extra.xlsx", {"people": sheet_rows(MINIMAL["people.csv"])})
    (folder / "people.csv.bak").write_text("an older copy of people.csv, which is read\n", encoding="utf-8")
    (folder / "~$extra.xlsx").write_bytes(b"Office's lock file")
    (folder / "old.xlsx").mkdir()  # a folder, whatever its name
    loaded = load_dataset(folder)
    assert loaded.counts()["kin"] > 0 and loaded.counts().get("role", 0) == 0
    said = sorted(str(w) for w in loaded.warnings if "not read" in str(w))
    assert said == [
        "company_roles.txt: is not a CSV file (.csv), so it was not read; fix: save it as CSV, named "
        "company_roles.csv",
        "extra.xlsx: is a workbook inside a dataset folder, so it was not read; fix: give the workbook itself as the "
        "dataset (one sheet per contract file), or save its sheets as CSV files in this folder"], said


def test_references_into_a_file_the_dataset_lacks_are_one_line_per_column(tmp_path):
    """Without decisions.csv, each column referring to decisions is one problem naming the missing file (it was
    a line per row, none saying the file was missing); exit status 2."""
    folder = write_dataset(tmp_path / "d", {n: t for n, t in MINIMAL.items() if n != "decisions.csv"})
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 2, result.output
    said = [line for line in result.output.splitlines() if "decisions.csv" in line]
    assert len(said) == len({line.split(",")[0] for line in said}) >= 1, result.output
    assert all("which the dataset does not have" in line and "fix: add decisions.csv to the dataset" in line
               for line in said), said
    book = write_workbook(tmp_path / "b.xlsx", {n[:-4]: sheet_rows(t) for n, t in MINIMAL.items()
                                                if n != "decisions.csv"})
    with pytest.raises(DataError) as failed:  # a workbook's sheet to add, not a file
        load_dataset(book)
    assert [p.fix for p in failed.value.problems] == [
        "add a sheet named decisions to the workbook (it defines the ids these rows refer to)"]


def test_a_missing_required_file_names_the_unread_file_that_may_hold_it(tmp_path):
    """people.txt, or a workbook, in a folder without people.csv: the one line the failed load prints (warnings are
    not printed then) says that it is there and why it was not read."""
    folder = write_dataset(tmp_path / "d", MINIMAL)
    (folder / "people.csv").rename(folder / "people.txt")
    with pytest.raises(DataError) as failed:
        load_dataset(folder)
    assert [str(p) for p in failed.value.problems] == [
        f"people.csv: is missing; it is required; fix: put people.csv in {folder} (or a sheet named people; see the "
        "dataset contract); not read here: people.txt (not a CSV file: save it as people.csv)"]
    (folder / "people.txt").rename(folder / "people.xlsx")
    with pytest.raises(DataError) as failed:
        load_dataset(folder)
    assert str(failed.value.problems[0]).endswith("not read here: people.xlsx (a workbook: give it as the dataset)")


def test_a_folder_that_cannot_be_listed_is_one_problem(tmp_path, monkeypatch):
    """A folder govties may not list (its permissions; root reads any, so the refusal is made here): one problem
    naming it, exit status 2 on the command line, never a traceback."""
    folder = write_dataset(tmp_path / "d", MINIMAL)
    real = type(folder).iterdir

    def refused(self):
        if self == folder:
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(type(folder), "iterdir", refused)
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 2, result.output
    assert f"{folder}: cannot be listed: Permission denied; fix: give a folder govties may read" in result.output
