"""Hostile input: every malformed file gives a clear error or a documented warning, never a traceback or a hang.
Property-based tests fuzz the loader and the ID checksums."""

from __future__ import annotations

import string

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govties.cli.main import main
from govties.loaders import DataError, load_dataset
from govties.loaders import values as V

from cli_process import problem_lines
from conftest import MINIMAL, write_dataset

PEOPLE_OK = "person_id,name\nP1,王建国\nP2,李梅\n"
DECISIONS = "decision_id,kind,date,agency_id,beneficiary_id\n"

# name: (files replacing MINIMAL's, the exact problem lines the report must hold; a list of warnings for a file
# that loads)
CORPUS = {
    "truncated row": ({"people.csv": "person_id,name,id_number\nP1,王建国,330102197001010013\nP2\n"},
                      ["people.csv, line 3: has 1 fields but the header has 3; fix: check for a missing or extra "
                       "delimiter, or an unquoted comma"]),
    "semicolon delimiter": ({"people.csv": "person_id;name\nP1;王建国\n"},
                            ["people.csv, line 1: the header looks ';'-separated: the contract's files are separated "
                             "by commas; fix: re-export the file as CSV (comma-separated), or save it so from a "
                             "spreadsheet"]),
    "tab delimiter": ({"people.csv": "person_id\tname\nP1\t王建国\n"},
                      ["people.csv, line 1: the header looks '\\t'-separated: the contract's files are separated by "
                       "commas; fix: re-export the file as CSV (comma-separated), or save it so from a spreadsheet"]),
    # quoted, each row read as one value with text after its closing quote, one with a comma as two: said once,
    # not a warning or a field count a row
    "semicolons quoted": ({"relatives.csv": '"person_id";"relative_id";"relation"\n"P1";"P2";"spouse"\n'
                                            '"P2";"P1";"spouse, wed 2001"\n'},
                          ["relatives.csv, line 1: the header looks ';'-separated: the contract's files are separated "
                           "by commas; fix: re-export the file as CSV (comma-separated), or save it so from a "
                           "spreadsheet"]),
    "mixed encodings": ({"people.csv": "person_id,name\nP1,王建国\n".encode() + "P2,李梅\n".encode("gbk")},
                        ["people.csv: is not valid UTF-8: undecodable byte 0xc0 at byte offset 31; fix: repair the "
                         "file, or re-export it as UTF-8; use --encoding gb18030 or big5 for those files"]),
    "unclosed quote": ({"people.csv": 'person_id,name\nP1,"王建国\nP2,李梅\n'},
                       ["people.csv, line 2: has a quoted value that is never closed: the rest of the file was read "
                        "into it; fix: close the quote (\"), or remove the stray one"]),
    "person related to themself": ({"relatives.csv": "person_id,relative_id,relation\nP1,P1,spouse\n"},
                                   ["relatives.csv, line 2, column 2 (relative_id): a person cannot be their own "
                                    "relative (found 'P1'); fix: correct person_id or relative_id"]),
    "year 0001": ({"decisions.csv": DECISIONS + "D1,permit,0001-01-01,A1,C1\n"},
                  ["decisions.csv, line 2, column 3 (date): the date is outside 1900–2100 (found '0001-01-01'); "
                   "fix: correct the date from the source record"]),
    "year 0000": ({"decisions.csv": DECISIONS + "D1,permit,0000-01-01,A1,C1\n"},  # no day 1 of 0: the year is wrong
                  ["decisions.csv, line 2, column 3 (date): the date is outside 1900–2100 (found '0000-01-01'); "
                   "fix: correct the date from the source record"]),
    "year 9999": ({"decisions.csv": DECISIONS + "D1,permit,9999-12-31,A1,C1\n"},
                  ["decisions.csv, line 2, column 3 (date): the date is outside 1900–2100 (found '9999-12-31'); "
                   "fix: correct the date from the source record"]),
    "a superscript in a year": ({"declarations.csv": "person_id,year\nP1,202³\n"},
                                ["declarations.csv, line 2, column 2 (year): expected a year such as 2023 (found "
                                 "'202³'); fix: write the four-digit year"]),
    "empty file": ({"people.csv": ""}, ["people.csv, line 1: is empty: expected a header row; fix: write the header "
                                        "row of the contract"]),
    "header only bad": ({"organizations.csv": "\ufeff\n"},
                        ["organizations.csv, line 1: is empty: expected a header row; fix: write the header row of the "
                         "contract"]),
    "share above one": ({"company_roles.csv": "holder_id,org_id,role,share\nP2,C1,shareholder,60\n"},
                        ["company_roles.csv, line 2, column 4 (share): expected a share between 0 and 1 (found '60'); "
                         "fix: write 0.25 for 25% (or 25%)"]),
    "formula in a cell": ({"people.csv": "person_id,name\nP1,=cmd|' /C calc'!A0\nP2,李梅\n"}, []),
    "binary garbage": ({"people.csv": bytes(range(256)) * 4},
                       ["people.csv: is neither UTF-8 nor GB18030: undecodable byte at byte offset 128 (UTF-8) / 128 "
                        "(GB18030); fix: re-export the file as UTF-8, or give --encoding utf-8, gb18030 or big5"]),
    "NUL and BEL in a name": ({"people.csv": "person_id,name\nP1,王\x00建\x07国\nP2,李梅\n"},
                              ["people.csv, line 2, column 2 (name): control or bidirectional-override character(s) "
                               "U+0000, U+0007 removed (found '王\\x00建\\x07国'); fix: none needed; clean the source "
                               "system's export to silence this"]),
    "a right-to-left override in a name": ({"people.csv": "person_id,name\nP1,王建国\u202e司公\nP2,李梅\n"},
                                           ["people.csv, line 2, column 2 (name): control or bidirectional-override "
                                            "character(s) U+202E removed (found '王建国\\u202e司公'); fix: none "
                                            "needed; "
                                            "clean the source system's export to silence this"]),
    "a C1 control in an unknown column": ({"people.csv": "person_id,name,note\nP1,王建国,a\x9bb\nP2,李梅,\n"},
                                          ["people.csv, line 2, column 3 (note): control or bidirectional-override "
                                           "character(s) U+009B removed (found 'a\\x9bb'); fix: none needed; clean the "
                                           "source system's export to silence this"]),
}


@pytest.mark.parametrize("name", list(CORPUS))
def test_hostile_file(name, tmp_path):
    files, expected = CORPUS[name]
    folder = write_dataset(tmp_path / "d", {**MINIMAL})
    for fname, content in files.items():
        (folder / fname).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    res = CliRunner().invoke(main, ["validate", str(folder)])
    assert not isinstance(res.exception, Exception) or isinstance(res.exception, SystemExit), res.exception
    lines = problem_lines(res.output)
    if name in LOADS:
        assert res.exit_code == 0, res.output
        assert [line for line in lines if line.startswith("warning: ")] == [f"warning: {w}" for w in expected]
    else:
        assert res.exit_code == 2, res.output
        assert [line for line in expected if line not in lines] == [], res.output  # each exact line is reported
        if name in ALONE:
            assert [line for line in lines if line not in expected] == [], res.output  # and nothing else of it


ALONE = {"semicolon delimiter", "semicolons quoted"}  # one line for one cause, no line for each row misread
LOADS = {"formula in a cell", "NUL and BEL in a name", "a right-to-left override in a name",
         "a C1 control in an unknown column"}


def test_control_characters_are_gone_from_what_is_stored_and_every_writer_takes_it(tmp_path):
    files = {**MINIMAL, "people.csv": "person_id,name,id_number\nP1,王建\x0b国\u202e,330102197001010013\n"
                                      "P2,\"李\r\n梅\x1b\",330102197202020023\n",
             "organizations.csv": "org_id,name,kind,region,industry\nA1,市住建局\u2066,agency,330100,\n"
                                  "C1,华兴\x00建设有限公司,company,330102,construction\n"}
    folder = write_dataset(tmp_path / "d", files)
    ds = load_dataset(folder)
    assert ds.frame("person")["name"].tolist() == ["王建国", "李 梅"]
    assert ds.frame("org")["name"].tolist() == ["市住建局", "华兴建设有限公司"]
    for suffix in (".xlsx", ".csv", ".jsonl"):
        res = CliRunner().invoke(main, ["sweep", str(folder), "-o", str(tmp_path / f"f{suffix}"), "-q"])
        assert res.exit_code == 0, res.output
    import openpyxl

    cells = [c.value for row in openpyxl.load_workbook(tmp_path / "f.xlsx")["findings"].iter_rows() for c in row]
    assert any(isinstance(v, str) and "华兴建设有限公司" in v for v in cells)


def test_ten_megabyte_field(tmp_path):
    big = "长" * (10 * 1024 * 1024 // 3)
    people = f'person_id,name,note\nP1,王建国,"{big}\n"\nP2,李梅,x\n'
    folder = write_dataset(tmp_path / "d", {**MINIMAL, "people.csv": people})
    ds = load_dataset(folder)
    assert ds.counts()["person"] == 2


def test_cyclic_ownership_does_not_hang(tmp_path):
    from govties.graph.duckdb_backend import DuckDBBackend
    from govties.rules.catalog import catalog
    from govties.rules.engine import sweep

    roles = "holder_id,org_id,role,share\nP2,C1,shareholder,0.5\n" + "".join(
        f"C{i},C{i % 6 + 1},shareholder,0.9\n" for i in range(1, 7))
    orgs = "org_id,name,kind\nA1,局,agency\n" + "".join(f"C{i},公司{i},company\n" for i in range(1, 7))
    folder = write_dataset(tmp_path / "d", {**MINIMAL, "organizations.csv": orgs, "company_roles.csv": roles,
                                            "decisions.csv": "decision_id,kind,date,agency_id,beneficiary_id\n"
                                                             "D1,permit,2020-05-01,A1,C4\n"})
    b = DuckDBBackend()
    b.load(load_dataset(folder).tables)
    found = sweep(b, [catalog()["indirect-relative-business"]], {"indirect-relative-business":
                                                                   {"max_intermediates": 5}}).findings
    assert [f["org_id"] for f in found] == ["C4"]


# -- property-based -------------------------------------------------------------------------------
digits17 = st.text(alphabet=string.digits, min_size=17, max_size=17)


@given(digits17)
def test_a_computed_check_digit_always_validates_and_any_other_fails(body):
    body = body[:6] + "19900101" + body[14:]
    good = body + V.id_check_char(body)
    assert V.normalize_id_number(good)[0] == good
    for other in "0123456789X":
        if other != good[-1]:
            assert V.normalize_id_number(body + other)[0] is None


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=17, max_size=17))
def test_credit_code_check_character_round_trip(body):
    code = body + V.credit_check_char(body)
    assert V.check_credit_code(code)[0] == code
    assert V.check_credit_code(code.lower())[0] == code


@given(st.text(max_size=40))
def test_value_parsers_never_raise(text):
    V.parse_date(text)
    V.parse_share(text)
    V.parse_number(text)
    V.normalize_id_number(text)
    V.check_credit_code(text)
    V.region_code(text)
    for vocab in V.VOCABULARIES:
        V.vocabulary_word(vocab, text)


cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(cell, cell, cell), max_size=6), st.sampled_from(["people.csv", "company_roles.csv",
                                                                           "decisions.csv", "relatives.csv"]))
def test_loader_either_loads_or_reports_problems(tmp_path, rows, target):
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf)
    header = {"people.csv": ["person_id", "name", "birth_date"], "company_roles.csv": ["holder_id", "org_id", "role"],
              "decisions.csv": ["decision_id", "kind", "date"], "relatives.csv": ["person_id", "relative_id",
                                                                                  "relation"]}[target]
    w.writerow(header)
    w.writerows(rows)
    folder = write_dataset(tmp_path / f"f{abs(hash((tuple(rows), target)))}", {**MINIMAL, target: buf.getvalue()})
    try:
        load_dataset(folder)
    except DataError as exc:
        assert exc.problems and all(p.file and p.message for p in exc.problems)
