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

from conftest import MINIMAL, write_dataset

PEOPLE_OK = "person_id,name\nP1,王建国\nP2,李梅\n"

CORPUS = {
    "truncated row": ({"people.csv": "person_id,name,id_number\nP1,王建国,330102197001010013\nP2\n"},
                      "people.csv, line 3: has 1 fields but the header has 3"),
    "semicolon delimiter": ({"people.csv": "person_id;name\nP1;王建国\n"},
                            "the header looks ';'-separated: the contract uses commas"),
    "tab delimiter": ({"people.csv": "person_id\tname\nP1\t王建国\n"}, "the header looks '\\t'-separated"),
    "mixed encodings": ({"people.csv": "person_id,name\nP1,王建国\n".encode() + "P2,李梅\n".encode("gbk")},
                        "people.csv: is not valid UTF-8: undecodable byte"),
    "unclosed quote": ({"people.csv": 'person_id,name\nP1,"王建国\nP2,李梅\n'},
                       "people.csv"),
    "person related to themself": ({"relatives.csv": "person_id,relative_id,relation\nP1,P1,spouse\n"},
                                   "a person cannot be their own relative"),
    "year 0001": ({"decisions.csv": "decision_id,kind,date,agency_id,beneficiary_id\nD1,permit,0001-01-01,A1,C1\n"},
                  "decisions.csv, line 2, column 3 (date): expected a date"),
    "year 9999": ({"decisions.csv": "decision_id,kind,date,agency_id,beneficiary_id\nD1,permit,9999-12-31,A1,C1\n"},
                  "decisions.csv, line 2, column 3 (date): expected a date"),
    "empty file": ({"people.csv": ""}, "people.csv, line 1: is empty"),
    "header only bad": ({"organizations.csv": "\ufeff\n"}, "organizations.csv"),
    "share above one": ({"company_roles.csv": "holder_id,org_id,role,share\nP2,C1,shareholder,60\n"},
                        "expected a share between 0 and 1 (found '60'); fix: write 0.25 for 25% (or 25%)"),
    "formula in a cell": ({"people.csv": "person_id,name\nP1,=cmd|' /C calc'!A0\nP2,李梅\n"}, None),
    "binary garbage": ({"people.csv": bytes(range(256)) * 4}, "people.csv"),
}


@pytest.mark.parametrize("name", list(CORPUS))
def test_hostile_file(name, tmp_path):
    files, expected = CORPUS[name]
    folder = write_dataset(tmp_path / "d", {**MINIMAL})
    for fname, content in files.items():
        (folder / fname).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    res = CliRunner().invoke(main, ["validate", str(folder)])
    assert "Traceback" not in res.output and not isinstance(res.exception, Exception) or res.exit_code == 2
    if expected is None:
        assert res.exit_code == 0, res.output
    else:
        assert res.exit_code == 2, res.output
        assert expected in res.output


def test_ten_megabyte_field(tmp_path):
    big = "长" * (10 * 1024 * 1024 // 3)
    folder = write_dataset(tmp_path / "d", {**MINIMAL, "people.csv": f'person_id,name,note\nP1,王建国,"{big}\n"\nP2,李梅,x\n'})
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
