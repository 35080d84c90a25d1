"""Registers as they arrive: exports pasted into one file (a repeated header, one with its columns in another
order), repeated rows, Chinese headers named in problems as the file writes them, end dates written 至今."""

from __future__ import annotations

import pandas as pd
import pytest

from govties.loaders import DataError, load_dataset

from conftest import MINIMAL, sheet_rows, write_dataset, write_workbook


def test_a_repeated_header_row_is_skipped_with_its_line_and_later_lines_stay_right(tmp_path):
    """Two exports pasted into one file: the second's header is a row of column names, not a record. It is skipped
    with one warning naming its line (not one error per column), and the rows after it keep their own lines."""
    files = dict(MINIMAL)
    files["people.csv"] = """
        person_id,name,id_number,birth_date
        P1,王建国,330102197001010013,1970-01-01
        \ufeffperson_id ,name,id_number,birth_date
        P2,李梅,330102197202020023,1972-02-02
        person_id,姓名,id_number,
        P3,张三,330102197001010014,1970-13-01
        """
    with pytest.raises(DataError) as raised:
        load_dataset(write_dataset(tmp_path / "pasted", files))
    problems = [str(p) for p in raised.value.problems]
    # the one error is the bad date on the file's line 6, after two skipped header rows
    assert len(problems) == 1 and problems[0].startswith("people.csv, line 6, column 4 (birth_date)"), problems
    warnings = [str(w) for w in raised.value.warnings]
    for line in (3, 5):
        assert f"people.csv, line {line}: repeats the header row (two exports pasted into one file?): skipped; " \
               "fix: none needed; delete the line to silence this warning" in warnings, warnings
    files["people.csv"] = files["people.csv"].replace("1970-13-01", "1970-12-01")
    ds = load_dataset(write_dataset(tmp_path / "fixed", files))
    assert sorted(ds.frame("person")["person_id"]) == ["P1", "P2", "P3"]
    records = ds.records.to_pandas().query("file == 'people.csv'")
    assert dict(zip(records["record_id"], records["line"], strict=True)) == {"P1": 2, "P2": 4, "P3": 6}


def test_a_problem_in_a_column_with_a_chinese_header_names_the_header_and_the_column_read(tmp_path):
    """The file's own header first (where the reader looks), then the contract column the message's words name; in
    the checks of one file and in those across files alike, in English and in Chinese."""
    files = dict(MINIMAL)
    files["people.csv"] = """
        人员编号,姓名,身份证号,出生日期
        P1,王建国,330102197001010013,1970-01-01
        P2,李梅,330102197202020023,1972-13-02
        """
    files["company_roles.csv"] = """
        持有人编号,单位编号,角色,持股比例,开始日期
        P9,C1,shareholder,0.6,2018-01-01
        """
    with pytest.raises(DataError) as raised:
        load_dataset(write_dataset(tmp_path / "zh", files))
    said = {(p.file, p.line, p.col_no, p.column) for p in raised.value.problems}
    assert said == {("people.csv", 3, 4, "出生日期 → birth_date"),
                    ("company_roles.csv", 2, 1, "持有人编号 → holder_id")}
    date = next(p for p in raised.value.problems if p.file == "people.csv")
    assert date.text("zh").startswith("people.csv，第3行，第4列（出生日期 → birth_date）："), date.text("zh")
    files["people.csv"] = files["people.csv"].replace("人员编号", "person_id").replace("1972-13-02", "1972-12-02")
    files["company_roles.csv"] = files["company_roles.csv"].replace("P9", "P2")
    ds = load_dataset(write_dataset(tmp_path / "fixed", files))  # the values read from those columns
    assert ds.frame("role")["holder_id"].tolist() == ["P2"]


def test_a_second_header_with_its_columns_in_another_order_is_an_error_not_a_misreading(tmp_path):
    """A second export pasted below the first with its columns in another order: read under the first header,
    its names would be 男 and 女. The load is refused at that line, naming the columns that moved."""
    files = dict(MINIMAL)
    files["people.csv"] = """
        person_id,name,id_number,gender
        P1,王建国,330102197001010013,男
        person_id,gender,id_number,name
        P2,女,330102197202020023,李梅
        """
    with pytest.raises(DataError) as raised:
        load_dataset(write_dataset(tmp_path / "moved", files))
    assert [str(p) for p in raised.value.problems] == [
        "people.csv, line 3: is a header with its columns in another order ('gender' under 'name', 'name' under "
        "'gender'): the rows under it would be read under the first header's columns; fix: put the columns of the "
        "rows under it in the first header's order (in a spreadsheet: move the columns), then delete this line"]
    zh = raised.value.problems[0].text("zh")
    assert zh.startswith("people.csv，第3行：是列序不同的另一个表头（“name”列下为“gender”"), zh


def test_an_end_date_written_as_still_going_reads_as_none_and_a_start_date_so_written_is_refused(tmp_path):
    """至今 (up to now) in an appointment register's end date means still in post, as an empty end date does; a
    start date cannot be so, and is refused as any unreadable date is."""
    files = {**MINIMAL, "positions.csv": """
        person_id,org_id,title,start_date,end_date
        P1,A1,局长,2018-01-01,至今
        P1,A1,副局长,2015-01-01,2017-12-31
        P1,A1,科长,2010-01-01,在任
        P1,A1,科员,2005-01-01,至 今
        P1,A1,办事员,2003-01-01,PRESENT
        """}
    ds = load_dataset(write_dataset(tmp_path / "open", files))
    ends = dict(zip(ds.frame("post")["title"], ds.frame("post")["end_date"], strict=True))
    assert all(pd.isna(ends[t]) for t in ("局长", "科长", "科员", "办事员"))
    assert str(ends["副局长"])[:10] == "2017-12-31"
    files["positions.csv"] = files["positions.csv"].replace("2015-01-01", "至今").replace("PRESENT", "不详")
    with pytest.raises(DataError) as raised:
        load_dataset(write_dataset(tmp_path / "start", files))
    said = [(p.line, p.column, p.value) for p in raised.value.problems]
    assert said == [(3, "start_date", "至今"), (6, "end_date", "不详")], said
    start, end = raised.value.problems
    assert "至今" not in start.fix and end.fix.endswith("; while it goes on, leave it empty or write 至今"), end.fix
    assert end.zh.fix.endswith("；尚未结束的留空或写“至今”"), end.zh


def test_headers_repeated_with_spaces_and_on_every_page_are_skipped_and_counted_past_twenty(tmp_path):
    """An export written page by page repeats its header on each page, here with spaces around every name: each is
    skipped, the first twenty told a line each, the rest one count."""
    rows = ["person_id,name,id_number"]
    for i in range(1, 31):
        rows += [f"P{i},某{i},", " person_id , name , id_number "]
    files = {**MINIMAL, "people.csv": "\n".join(rows) + "\n", "relatives.csv": "person_id,relative_id,relation\n",
             "company_roles.csv": "holder_id,org_id,role\n", "decision_makers.csv": "decision_id,person_id,role\n"}
    ds = load_dataset(write_dataset(tmp_path / "paged", files))
    assert len(ds.frame("person")) == 30
    told = [str(w) for w in ds.warnings if "header row" in str(w)]
    count = "people.csv: 10 more rows repeat the header row: skipped; fix: none needed"  # a file's own, first
    assert told[0] == count and [t.split(":")[0] for t in told[1:]] == [f"people.csv, line {2 * k + 1}"
                                                                        for k in range(1, 21)], told


@pytest.mark.parametrize("second, moved", [("人员编号,亲属编号,关系", False), ("亲属编号,人员编号,关系", True),
                                           ("Person_ID,Relative_ID,Relation", False),
                                           ("人员 编号,亲属\u3000编号,关 系", False), ("亲属 编号,人员编号,关系", True),
                                           ("ＰＥＲＳＯＮ＿ＩＤ,Relative_ID,RELATION", False),
                                           ("ＰＥＲＳＯＮ＿ＩＤ,ＲＥＬＡＴＩＶＥ＿ＩＤ,ＲＥＬＡＴＩＯＮ", False),
                                           ("人员\u3000编号,亲属\u3000编号,关\u3000系", False),
                                           ("人员\u00a0编号,亲属\u00a0编号,关系", False),  # no-break spaces
                                           ("\u2f08员编号,亲属编号,关系", False)])  # ⼈: a Kangxi radical (a PDF's)
def test_a_second_export_headed_in_chinese_under_an_english_header_is_a_header(tmp_path, second, moved):
    """The second export's header names the same columns in Chinese, or in other case, with spaces inside names or
    in full-width letters, as headers are matched: in the same order it is skipped as a repeated header; in another
    order it is the error that names what moved, never rows read under the wrong columns."""
    relatives = f"person_id,relative_id,relation\nP1,P2,spouse\n{second}\nP2,P1,spouse\n"
    data = write_dataset(tmp_path / "zh", {**MINIMAL, "relatives.csv": relatives})
    if not moved:
        told = [str(w) for w in load_dataset(data).warnings]
        assert any(t.startswith("relatives.csv, line 3: repeats the header row") for t in told), told
        return
    with pytest.raises(DataError) as raised:
        load_dataset(data)
    assert [str(p).split(":")[0] for p in raised.value.problems] == ["relatives.csv, line 3"]
    first, other = second.split(",")[:2]  # as the file writes them
    assert f"('{first}' under 'person_id', '{other}' under 'relative_id')" in raised.value.problems[0].message


def test_a_row_with_a_header_word_in_one_column_is_a_record(tmp_path):
    files = dict(MINIMAL)
    files["people.csv"] = """
        person_id,name,id_number
        P1,王建国,330102197001010013
        P2,name,330102197202020023
        name,李梅,330102197202020031
        """
    ds = load_dataset(write_dataset(tmp_path / "word", files))
    assert sorted(ds.frame("person")["person_id"]) == ["P1", "P2", "name"]
    assert not [w for w in ds.warnings if "header row" in str(w)]


def test_a_chinese_header_aligned_with_ideographic_spaces_is_read(tmp_path):
    """Forms align two-character headers with an ideographic space (姓　名): it is the header 姓名."""
    people = "人员编号,姓　名,身份证号\nP1,王建国,330102197001010013\nP2,李梅,330102197202020023\n"
    files = {**MINIMAL, "people.csv": people}
    ds = load_dataset(write_dataset(tmp_path / "spaced", files))
    assert sorted(ds.frame("person")["name"]) == ["李梅", "王建国"]
    assert ("姓　名", "name") in ds.header_maps["people.csv"]


def test_a_contract_header_in_full_width_letters_or_with_spaces_is_that_column(tmp_path):
    people = "ｐｅｒｓｏｎ＿ｉｄ,Name ,id_number\nP1,王建国,330102197001010013\nP2,李梅,330102197202020023\n"
    ds = load_dataset(write_dataset(tmp_path / "wide", {**MINIMAL, "people.csv": people}))
    assert sorted(ds.frame("person")["person_id"]) == ["P1", "P2"]
    assert ("ｐｅｒｓｏｎ＿ｉｄ", "person_id") in ds.header_maps["people.csv"]


def test_a_person_repeated_whole_is_counted_once_and_an_id_repeated_with_other_values_names_its_first_line(tmp_path):
    """Two exports that overlap repeat people whole: such a row is counted once with a warning naming the line it
    repeats; an id repeated with another name is an error naming the line that has it first."""
    people = ("person_id,name,id_number\nP1,王建国,330102197001010013\nP2,李梅,330102197202020023\n"
              "P1,王建国,330102197001010013\nP3,张三,\n")
    ds = load_dataset(write_dataset(tmp_path / "overlap", {**MINIMAL, "people.csv": people}))
    assert sorted(ds.frame("person")["person_id"]) == ["P1", "P2", "P3"]
    assert "people.csv, line 4, column 1 (person_id): repeats line 2 whole (two exports that overlap?): the record " \
           "is counted once (found 'P1'); fix: none needed; remove the repeated row to silence this warning" \
           in map(str, ds.warnings), [str(w) for w in ds.warnings]
    records = ds.records.to_pandas().query("file == 'people.csv'")
    assert dict(zip(records["record_id"], records["line"], strict=True)) == {"P1": 2, "P2": 3, "P3": 5}
    with pytest.raises(DataError) as raised:
        load_dataset(write_dataset(tmp_path / "clash", {**MINIMAL, "people.csv": people + "P2,李四,\n"}))
    assert [str(p) for p in raised.value.problems] == [
        "people.csv, line 6, column 1 (person_id): duplicate person_id: line 3 has this id with other values (name: "
        "'李梅' there, '李四' here; each id must be unique across the whole dataset) (found 'P2'); fix: give each row "
        "its own id, or correct or remove one of the two rows"]
    assert raised.value.problems[0].text("zh").startswith("people.csv，第6行，第1列（person_id）：")


def test_an_excel_number_past_15_digits_and_a_date_kept_as_a_number_are_told_for_what_they_are(tmp_path):
    """Two people's resident IDs stored as numbers have lost their last digits (Excel keeps 15) and now read the
    same: they are read as Excel shows them, so no ID is read from them and the two are never merged, and the sheet
    says why. A birth date in a cell not formatted as a date arrives as its serial number (21622): the error says
    which date that number is and how to fix the cells."""
    sheets = {name[:-4]: sheet_rows(text) for name, text in MINIMAL.items() if name != "people.csv"}
    # as Excel (and openpyxl) keep them: 15 digits, both 3.30902195903138E+17 now
    people = [["person_id", "name", "id_number", "birth_date"], ["P1", "王建国", 330902195903138144, ""],
              ["P2", "李梅", 330902195903138145, ""]]
    book = write_workbook(tmp_path / "book.xlsx", {**sheets, "people": people})
    ds = load_dataset(book)
    assert len(ds.frame("person")) == 2 and not ds.resolution.canonical  # two people, not merged
    told = [str(w) for w in ds.warnings]
    assert any(t.startswith("book.xlsx[people], line 2, column 3 (id_number): 2 cells hold a number of more than 15 "
                            "digits (the first here): Excel keeps 15") and "(found '3.30902195903138E+17')" in t
               for t in told), told
    assert sum("invalid resident ID" in t for t in told) == 2, told
    alone = [*people[:2], [*people[2][:2], "", ""]]  # P2's ID left empty: one long number in the sheet
    one = load_dataset(write_workbook(tmp_path / "one.xlsx", {**sheets, "people": alone}))
    told = [str(w) for w in one.warnings]
    assert any(t.startswith("one.xlsx[people], line 2, column 3 (id_number): 1 cell holds a number of more than 15 "
                            "digits: Excel keeps 15") and "it is read as Excel shows it" in t for t in told), told
    people[2][3] = 21622
    with pytest.raises(DataError) as raised:
        load_dataset(write_workbook(tmp_path / "dated.xlsx", {**sheets, "people": people}))
    assert [str(p) for p in raised.value.problems] == [
        "dated.xlsx[people], line 3, column 4 (birth_date): a number, as Excel keeps the date 1959-03-13 in a cell "
        "not formatted as a date (found '21622'); fix: format the cells as dates in Excel, or write the date as "
        "YYYY-MM-DD"]


@pytest.mark.parametrize("written", ["1984.02", "1959年3月", "1984"])
def test_a_birth_date_without_its_day_is_told_so_with_a_fix_that_can_be_followed(tmp_path, written):
    people = f"person_id,name,birth_date\nP1,王建国,{written}\nP2,李梅,\n"
    with pytest.raises(DataError) as raised:
        load_dataset(write_dataset(tmp_path / "part", {**MINIMAL, "people.csv": people}))
    (problem,) = raised.value.problems
    assert problem.message == "a year and month, or a year, without the day" and problem.value == written
    assert problem.fix.startswith("write the whole date from the source record") and problem.zh.message == \
        "只有年月或年份，没有日"


def test_a_post_dated_by_year_and_month_is_read_from_the_first_to_the_last_day_with_a_warning(tmp_path):
    """Appointment forms date a post by year and month (2012.07): its start reads as the month's first day, its end
    as the month's last, each said in a warning; a year alone is an error whose fix does not speak of resident
    IDs; a birth date by year and month stays an error (the resident ID holds the day)."""
    files = {**MINIMAL, "positions.csv": """
        person_id,org_id,title,start_date,end_date
        P1,A1,局长,2012.07,2016年2月
        P1,A1,副局长,2008-01-01,2012-06-30
        """}
    ds = load_dataset(write_dataset(tmp_path / "months", files))
    post = ds.frame("post").set_index("title")
    assert (str(post.loc["局长", "start_date"])[:10], str(post.loc["局长", "end_date"])[:10]) == ("2012-07-01",
                                                                                                 "2016-02-29")
    told = [str(w) for w in ds.warnings]
    assert "positions.csv, line 2, column 4 (start_date): a year and month without the day, read as the month's " \
           "first day (2012-07-01) (found '2012.07'); fix: none needed where the source gives only the month; else " \
           "write the whole date" in told, told
    assert any(t.startswith("positions.csv, line 2, column 5 (end_date): a year and month without the day, read as "
                            "the month's last day (2016-02-29)") for t in told), told
    files["positions.csv"] = files["positions.csv"].replace("2008-01-01", "2008").replace("2012-06-30", "2012.1")
    with pytest.raises(DataError) as raised:
        load_dataset(write_dataset(tmp_path / "year", files))
    year, month = raised.value.problems  # a year alone; 2012.1, as a number cell keeps 2012.10 too
    assert (year.line, year.value) == (3, "2008") and "resident ID" not in year.fix, year
    assert (month.line, month.message) == (3, "2012.1 is January or October (a number cell writes 2012.10 as 2012.1)")
    assert month.fix.startswith("write the month as the source gives it (2012-01 or 2012-10)"), month.fix


def test_a_paged_export_s_page_lines_and_repeated_headers_are_skipped_each_with_its_line(tmp_path):
    """An export written page by page: a page line (第 1 页 共 2 页) and the header again on each page. Both are
    skipped with a warning naming their line; the rows keep theirs."""
    roles = ("holder_id,org_id,role,share,start_date\nP2,C1,shareholder,0.6,2018-01-01\n第 1 页 共 2 页,,,,\n"
             "holder_id,org_id,role,share,start_date\nP1,C1,director,,2019-01-01\n第2页 共2页\n")
    ds = load_dataset(write_dataset(tmp_path / "paged", {**MINIMAL, "company_roles.csv": roles}))
    assert sorted(ds.frame("role")["holder_id"]) == ["P1", "P2"]
    told = [str(w).split(";")[0] for w in ds.warnings if "page" in str(w) or "header row" in str(w)]
    assert told == ["company_roles.csv, line 3: a page line of a paged export (第 1 页 共 2 页): skipped",
                    "company_roles.csv, line 4: repeats the header row (two exports pasted into one file?): skipped",
                    "company_roles.csv, line 6: a page line of a paged export (第2页 共2页): skipped"], told


def test_a_value_merged_down_over_rows_of_a_sheet_is_read_in_each_of_them(tmp_path):
    """A cadre's id merged down over the rows of his posts, as registers lay them out: each post is his, with a
    warning naming the merged range (a sheet keeps the value in the range's first cell only)."""
    import openpyxl

    path = write_workbook(tmp_path / "merged.xlsx", {name[:-4]: sheet_rows(text) for name, text in MINIMAL.items()})
    book = openpyxl.load_workbook(path)
    ws = book.create_sheet("positions")
    for row in (["person_id", "org_id", "title", "start_date"], ["P1", "A1", "局长", "2018-01-01"],
                [None, "A1", "副局长", "2015-01-01"]):
        ws.append(row)
    ws.merge_cells("A2:A3")
    book.save(path)
    ds = load_dataset(path)
    posts = ds.frame("post")
    assert sorted(zip(posts["person_id"], posts["title"], strict=True)) == [("P1", "副局长"), ("P1", "局长")]
    told = [str(w) for w in ds.warnings]
    assert any(t.startswith("merged.xlsx[positions]: 1 merged range (A2:A3): each value is read in every row of its "
                            "range, as the sheet shows it") for t in told), told
    ws = book["decisions"]  # an amount merged over two decisions is not counted twice
    ws.append(["D2", "permit", "2020-05-02", "A1", "C1", None])
    ws.merge_cells("F2:F3")
    book.save(path)
    amounts = load_dataset(path).frame("decision").set_index("decision_id")["amount"]
    assert amounts["D1"] == 2_000_000 and pd.isna(amounts["D2"]), amounts


def test_a_whole_number_written_out_in_full_is_exact_and_one_excel_rounded_is_shown_as_excel_shows_it():
    """A workbook cell's number: a whole number written with all its digits (as some writers do) is read exactly; a
    float of more than 15 digits, or a whole number whose digits past the 15th are zeros, as Excel shows it; a
    smaller number as before."""
    from govties.loaders.workbook import cell_text

    assert cell_text(330102197001010013) == "330102197001010013"
    assert cell_text(330102197001010000) == "3.3010219700101E+17"
    assert cell_text(3.309021959031382e+17) == "3.30902195903138E+17"
    assert (cell_text(1500000.0), cell_text(12.5), cell_text(True)) == ("1500000", "12.5", "true")


def test_a_page_line_of_a_shareholder_list_is_skipped_though_its_header_implies_a_column(tmp_path):
    """A list headed 股东 implies every row's role (shareholder): a page line in it has that role too, and is still a
    page line."""
    roles = "股东,org_id,share\nP2,C1,0.6\n第 1 页,,\nP1,C1,0.4\n"
    ds = load_dataset(write_dataset(tmp_path / "holders", {**MINIMAL, "company_roles.csv": roles}))
    assert sorted(ds.frame("role")["holder_id"]) == ["P1", "P2"]
    assert any(str(w).startswith("company_roles.csv, line 3: a page line of a paged export") for w in ds.warnings)
