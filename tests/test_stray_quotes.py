"""A double quote the CSV reader takes without a word is told: one inside a value that is not in quotes (徐玉敏",
kept with the quote), and text after a quoted value's closing quote ("某某"公司, read with the quotes dropped). A
value properly in quotes, each quote inside doubled, is not; nor is a workbook's cell (a sheet has no quoting)."""

from __future__ import annotations

import textwrap

import pytest

from govties.loaders import load_dataset
from govties.loaders import quotes
from govties.loaders.problems import MAX_PER_COLUMN

from cli_process import run_cli
from conftest import MINIMAL, sheet_rows, write_dataset, write_workbook

PEOPLE = "person_id,name,id_number\n"
STRAY = ("a double quote inside a value that is not in quotes (a stray quote from the export?): it is kept as part "
         "of the value, which then matches no record written without it")
STRAY_FIX = ("remove the quote, or put the whole value in quotes and double each quote inside it (\"…\"\"…\")")
STRAY_ZH = "不在引号内的值中有英文双引号（导出时多出的引号？）：引号作为值的一部分保留，该值与不带引号的同一记录对不上"
STRAY_FIX_ZH = "删去这个引号，或者给整个值加上英文双引号，并把值中的每个引号写两遍（\"…\"\"…\"）"


def _load(tmp_path, people: str | bytes, encoding: str = "utf-8", name: str = "data"):
    return load_dataset(write_dataset(tmp_path / name, {**MINIMAL, "people.csv": people}, encoding))


def _quote_warnings(ds) -> list[str]:
    return [str(w) for w in ds.warnings if "quote" in w.message]


def _person(ds, pid: str) -> dict:
    people = ds.tables["person"].to_pylist()
    return next(p for p in people if p["person_id"] == pid)


def test_a_stray_quote_in_a_name_and_in_an_id_is_a_warning_with_its_place_texts_and_value_kept(tmp_path):
    """`P3,徐玉敏",…` and `P4",李强,…`: each a warning naming file, line, column number and header, the value as
    written, what is wrong and the fix, in English and in Chinese; the values are kept as read."""
    ds = _load(tmp_path, PEOPLE + 'P1,王建国,330102197001010013\nP2,李梅,330102197202020023\nP3,徐玉敏",\n'
                                  'P4",李强,\n')
    told = [w for w in ds.warnings if "quote" in w.message]
    assert [(w.file, w.line, w.col_no, w.column, w.value, w.level) for w in told] == [
        ("people.csv", 4, 2, "name", '徐玉敏"', "warning"), ("people.csv", 5, 1, "person_id", 'P4"', "warning")]
    assert str(told[0]) == f"people.csv, line 4, column 2 (name): {STRAY} (found '徐玉敏\"'); fix: {STRAY_FIX}"
    assert told[1].text("zh") == (f"people.csv，第5行，第1列（person_id）：{STRAY_ZH}（文件中为“P4\"”）；"
                                  f"改正方法：{STRAY_FIX_ZH}")
    assert _person(ds, "P3")["name"] == '徐玉敏"' and _person(ds, 'P4"')["name"] == "李强"


def test_a_value_in_quotes_with_its_quotes_doubled_is_read_without_a_word(tmp_path):
    """`"某某""集团""公司"` is 某某"集团"公司, told nothing, in a file quoting every value or only that one, with
    CRLF line ends too."""
    for name, people in {
        "some": PEOPLE + 'P1,王建国,330102197001010013\nP2,"李""梅""",330102197202020023\nP3,"某某""集团""公司",\n',
        "all": '"person_id","name","id_number"\r\n"P1","王建国","330102197001010013"\r\n'
               '"P2","李""梅""","330102197202020023"\r\n"P3","某某""集团""公司",""\r\n',
    }.items():
        ds = _load(tmp_path, people, name=name)
        assert _quote_warnings(ds) == [], name
        assert _person(ds, "P2")["name"] == '李"梅"' and _person(ds, "P3")["name"] == '某某"集团"公司', name


def test_text_after_a_closing_quote_is_a_warning_saying_what_the_value_was_read_as(tmp_path):
    """`"某某"公司` is read as 某某公司 (the quotes dropped, the text joined), as before, and told with the value as
    written and as read; spaces after the closing quote are trimmed as any value's, without a word. A quote after
    a space opens no quoted value: the quotes are read into the value, and that is told as such."""
    ds = _load(tmp_path, PEOPLE + 'P1,王建国,330102197001010013\nP2,李梅,330102197202020023\nP3,"某某"公司,\n'
                                  'P4,"赵六"  ,\nP5, "张三",\n')
    assert _quote_warnings(ds) == [
        "people.csv, line 4, column 2 (name): text after the closing quote of a quoted value: the quotes were "
        "dropped and the text joined, read as '某某公司' (found '\"某某\"公司'); fix: put the whole value in "
        "quotes and double each quote inside it (\"…\"\"…\"), or remove the quotes",
        "people.csv, line 6, column 2 (name): the value's opening quote comes after a space, so the quotes were "
        "read as part of the value (found ' \"张三\"'); fix: remove the space before the opening quote"]
    joined = next(w for w in ds.warnings if w.line == 4)
    assert joined.text("zh") == (
        "people.csv，第4行，第2列（name）：带引号的值在闭合引号后还有文字：引号被去掉，前后文字连在了一起，读作“某某公司”"
        "（文件中为“\"某某\"公司”）；改正方法：给整个值加上英文双引号，并把值中的每个引号写两遍（\"…\"\"…\"），或者去掉引号")
    assert [_person(ds, p)["name"] for p in ("P3", "P4", "P5")] == ["某某公司", "赵六", '"张三"']


def test_a_gb18030_file_is_told_at_the_line_its_text_is_on(tmp_path):
    """A GB18030 file (its text decoded as the file is read) gives the same warning, the value in its characters."""
    people = PEOPLE + 'P1,王建国,330102197001010013\nP2,李梅,330102197202020023\nP3,"某某""集团""公司",\nP4,徐玉敏",\n'
    ds = _load(tmp_path, people, encoding="gb18030")
    assert any("GB18030" in str(w) for w in ds.warnings)
    assert _quote_warnings(ds) == [f"people.csv, line 5, column 2 (name): {STRAY} (found '徐玉敏\"'); fix: {STRAY_FIX}"]


ROWS = PEOPLE + 'P1,王建国,330102197001010013\nP2,李梅,330102197202020023\nP3,张"三,\n'
#: shape: (people.csv, its header's line, the stray quotes' lines and values)
SHAPES = {"one row a line": (ROWS + 'P4,李四,\nP5,王五",\n', 1, [(4, '张"三'), (6, '王五"')]),
          "a title, a value over two lines, a blank line": ("名单\n" + ROWS + 'P4,"李\n四",\n\nP5,王五",\n', 2,
                                                            [(5, '张"三'), (9, '王五"')]),
          "a title, text after a closing quote": ("名单\n" + ROWS + 'P4,"某某"公司,\nP5,王五",\n', 2,
                                                   [(5, '张"三'), (6, '"某某"公司'), (7, '王五"')]),
          "text after a closing quote after a value over two lines": (
              "名单\n" + ROWS + 'P4,"李\n四",\n\nP6,"某某"公司,\nP5,王五",\n', 2,
              [(5, '张"三'), (9, '"某某"公司'), (10, '王五"')])}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_each_row_is_told_at_its_own_line_whichever_reader_reads_the_file(tmp_path, shape):
    """Rows one to a line (the fast reader), and a title above the header with a quoted value over two lines and
    a blank line (the exact reader): each stray quote at its file line."""
    people, header_row, expected = SHAPES[shape]
    title = "人员名单\n" if header_row == 2 else ""  # every file's header on that line
    files = {name: title + textwrap.dedent(text).lstrip("\n") for name, text in MINIMAL.items()}
    ds = load_dataset(write_dataset(tmp_path / "data", {**files, "people.csv": people}), header_row=header_row)
    assert [(w.line, w.value) for w in ds.warnings if "quote" in w.message] == expected


def test_many_rows_in_one_column_are_folded_into_a_count(tmp_path):
    """A column with more stray quotes than a column's problems are listed: the first MAX_PER_COLUMN each a line,
    then one counting the rest (in both languages); another column's are its own."""
    extra = 5
    rows = "".join(f'P{i},名{i}",\n' for i in range(3, 3 + MAX_PER_COLUMN + extra))
    ds = _load(tmp_path, PEOPLE + 'P1,王建国",330102197001010013\nP2,李梅,330102197202020023\n' + rows)
    told = [w for w in ds.warnings if "quote" in w.message and w.column == "name"]
    assert [w.line for w in told[:-1]] == [2, *range(4, 3 + MAX_PER_COLUMN)] and told[-1].line is None
    count = told[-1]
    assert str(count) == f"people.csv, column 2 (name): {extra + 1} more rows: {STRAY}; fix: {STRAY_FIX}"
    assert count.text("zh") == f"people.csv，第2列（name）：另有{extra + 1}行：{STRAY_ZH}；改正方法：{STRAY_FIX_ZH}"


def test_a_workbook_has_no_quoting_to_tell(tmp_path):
    """A sheet's cell holding a quote is its text: no warning (a workbook has no quoting)."""
    book = write_workbook(tmp_path / "data.xlsx", {name[:-4]: sheet_rows(text) for name, text in MINIMAL.items()}
                          | {"people": [["person_id", "name"], ["P1", '王建国"'], ["P2", "李梅"]]})
    ds = load_dataset(book)
    assert _quote_warnings(ds) == [] and _person(ds, "P1")["name"] == '王建国"'


def test_validate_and_sweep_print_the_warning_exit_0_and_find_what_they_found_without_it(tmp_path):
    """`govties validate` and `govties sweep` on a dataset with a stray quote exit 0 printing the warning (validate's
    report on stdout, the sweep's diagnostics on stderr), and the sweep's findings are those of the same dataset
    without the quote."""
    note = "person_id,name,id_number,note\nP1,王建国,330102197001010013,{}\nP2,李梅,330102197202020023,\n"
    stray = write_dataset(tmp_path / "stray", {**MINIMAL, "people.csv": note.format('见"附件')})
    clean = write_dataset(tmp_path / "clean", {**MINIMAL, "people.csv": note.format("见附件")})
    line = (f"warning: people.csv, line 2, column 4 (note): {STRAY} (found '见\"附件'); fix: {STRAY_FIX}")
    res = run_cli("validate", stray)
    assert res.returncode == 0, res.stderr
    assert line in res.stdout.splitlines() and f"{stray}: valid (1 warnings)" in res.stdout
    found = {}
    for name, folder in (("stray", stray), ("clean", clean)):
        res = run_cli("sweep", folder, "-o", tmp_path / f"{name}.csv", "--lang", "en")
        assert res.returncode == 0, res.stderr
        assert (line in res.stderr.splitlines()) == (name == "stray"), res.stderr  # a warning: on stderr
        found[name] = (tmp_path / f"{name}.csv").read_text(encoding="utf-8-sig")
    assert found["stray"] == found["clean"] and "relative-business" in found["clean"]


def test_many_quoted_values_are_sifted_by_their_quotes_count_and_rows_past_the_cap_are_counted(tmp_path, monkeypatch):
    """Past MAX_ROWS rows with a quote in a value (a JSON column, its quotes doubled, in every row), only the rows
    whose quotes do not add up are parsed again: a valid JSON value with `,""` inside it says nothing, a stray quote
    beside a quoted value and a quote after a space are told at their lines; past MAX_ROWS such rows, one line
    counts the rest."""
    monkeypatch.setattr(quotes, "MAX_ROWS", 4)
    well = ''.join(f'P{i},"张{i}","{{""k"":""v{i}"",""w"":""x""}}"\n' for i in range(1, 9))
    ds = _load(tmp_path, "person_id,name,nickname\n" + well + 'P9,"王建国",徐"玉\nP10, "李梅",x\n', name="a")
    told = [(w.line, w.column) for w in ds.warnings if "quote" in w.message]
    assert told == [(10, "nickname"), (11, "name")], told
    stray = "".join(f'P{i},徐玉敏{i}",\n' for i in range(1, 11))
    ds = _load(tmp_path, PEOPLE + stray, name="b")
    told = [w for w in ds.warnings if "quote" in w.message]
    assert [w.line for w in told if w.line] == [2, 3, 4, 5], told
    rest = [w for w in told if w.line is None]
    assert [w.message for w in rest] == ["6 more rows hold quotes the reader may have taken as text or dropped; "
                                         "they were not looked at one by one"], rest
    assert rest[0].zh.message == "另有6行的引号可能被当作文字读入或被去掉，未逐行检查"
