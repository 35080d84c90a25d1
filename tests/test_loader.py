"""The loader: every problem reported at once with file, line, column, value and a fix; nothing half-loaded."""

from __future__ import annotations

import pandas as pd
import pytest

from govties.graph.backend import BackendError
from govties.graph.duckdb_backend import DuckDBBackend
from govties.loaders import DataError, load_dataset

from conftest import MINIMAL, sheet_rows, write_dataset, write_workbook


def _errors(tmp_path, files, **kw) -> list[str]:
    folder = write_dataset(tmp_path / "bad", {**MINIMAL, **files})
    with pytest.raises(DataError) as exc:
        load_dataset(folder, **kw)
    return [str(p) for p in exc.value.problems]


def test_minimal_dataset_loads(minimal_dataset):
    ds = load_dataset(minimal_dataset)
    assert ds.counts()["person"] == 2
    assert ds.counts()["kin"] == 2  # both directions
    kin = ds.frame("kin").set_index("person_id")["relation"].to_dict()
    assert kin == {"P1": "spouse", "P2": "spouse"}


def test_all_problems_reported_at_once_with_location(tmp_path):
    errors = _errors(tmp_path, {
        "company_roles.csv": """
            holder_id,org_id,role,share,start_date
            P2,C1,shareholder,1.6,2018-13-01
            P9,C1,boss,0.5,2018-01-01
            """,
    })
    text = "\n".join(errors)
    assert "company_roles.csv, line 2, column 4 (share): expected a share between 0 and 1 (found '1.6')" in text
    assert "company_roles.csv, line 2, column 5 (start_date): not a date: there is no month 13" in text
    assert "company_roles.csv, line 3, column 3 (role): expected one of" in text
    assert "company_roles.csv, line 3, column 1 (holder_id): refers to an id that people.csv or organizations.csv" \
           " does not define (found 'P9')" in text
    assert all("fix:" in e for e in errors)


def test_references_to_the_same_files_are_each_reported_where_they_are(tmp_path):
    """Columns that refer to the same files are looked up together; each bad reference is still told in its own
    file, line and column, a value bad in two columns in both."""
    errors = _errors(tmp_path, {
        "company_roles.csv": """
            holder_id,org_id,role,share,start_date
            X1,C1,shareholder,0.6,2018-01-01
            P2,X1,shareholder,0.2,2018-01-01
            C9,X2,director,,2019-01-01
            """,
        "decisions.csv": """
            decision_id,kind,date,agency_id,beneficiary_id,amount
            D1,permit,2020-05-01,A1,X2,2000000
            """,
        "decision_makers.csv": """
            decision_id,person_id,role
            D1,X1,approver
            D9,P1,approver
            """,
    })
    refs = [e.split(": refers to an id that ")[0] + " " + e.split("(found ")[1].split(")")[0]
            for e in errors if "refers to an id" in e]
    assert refs == [  # as every problem is listed: by file in the contract's order, line and column
        "company_roles.csv, line 2, column 1 (holder_id) 'X1'", "company_roles.csv, line 3, column 2 (org_id) 'X1'",
        "company_roles.csv, line 4, column 1 (holder_id) 'C9'", "company_roles.csv, line 4, column 2 (org_id) 'X2'",
        "decisions.csv, line 2, column 5 (beneficiary_id) 'X2'",
        "decision_makers.csv, line 2, column 2 (person_id) 'X1'",
        "decision_makers.csv, line 3, column 1 (decision_id) 'D9'",
    ]


def test_missing_required_column_and_file(tmp_path):
    folder = write_dataset(tmp_path / "d", {
        "people.csv": "person_id,full_name\nP1,x\n",
    })
    with pytest.raises(DataError) as exc:
        load_dataset(folder)
    text = "\n".join(map(str, exc.value.problems))
    assert "people.csv, line 1, column name: the required column 'name' is missing" in text
    assert "organizations.csv: is missing; it is required" in text


def test_duplicate_and_shared_ids(tmp_path):
    errors = _errors(tmp_path, {
        "organizations.csv": """
            org_id,name,kind
            A1,市住建局,agency
            C1,华兴建设有限公司,company
            C1,重复公司,company
            P1,与人同号,company
            """,
    })
    text = "\n".join(errors)
    assert "organizations.csv, line 4, column 1 (org_id): duplicate org_id" in text
    assert "organizations.csv, line 5, column 1 (org_id): this id is already defined in another file" in text


def test_semantic_errors(tmp_path):
    errors = _errors(tmp_path, {
        "relatives.csv": "person_id,relative_id,relation\nP1,P1,spouse\n",
        "positions.csv": "person_id,org_id,title,start_date,end_date\nP1,C1,局长,2020-01-01,2019-01-01\n",
        "company_roles.csv": "holder_id,org_id,role\nP2,A1,director\n",
    })
    text = "\n".join(errors)
    assert "relatives.csv, line 2, column 2 (relative_id): a person cannot be their own relative" in text
    assert ("positions.csv, line 2, column 2 (org_id): a post must be at an organization of kind agency or village"
            in text)
    assert "positions.csv, line 2, column 5 (end_date): the end date is before the start date" in text
    assert "company_roles.csv, line 2, column 2 (org_id): a company role cannot be at an agency or a village" in text


def test_roles_at_any_organization_but_agencies_and_villages(tmp_path):
    """Universities, associations and other employers take company roles (adviser among them); an agency or a
    village does not; reported_on is kept as a date."""
    files = {**MINIMAL,
             "organizations.csv": MINIMAL["organizations.csv"] + "        U1,某大学,institution,330100,education\n"
             "        S1,某协会,association,330100,\n        V1,某村,village,330100,\n        X1,某基金,other,,\n",
             "company_roles.csv": """
                 holder_id,org_id,role,start_date,reported_on
                 P1,U1,adviser,,2021年3月5日
                 P1,S1,director,2020-01-01,
                 P2,X1,executive,,2022/01/02
                 """}
    ds = load_dataset(write_dataset(tmp_path / "ok", files))
    roles = ds.frame("role").set_index("org_id")
    assert roles.loc["U1", "role"] == "adviser"
    assert str(roles.loc["U1", "reported_on"])[:10] == "2021-03-05"
    assert str(roles.loc["X1", "reported_on"])[:10] == "2022-01-02"
    assert roles.loc["S1", "reported_on"] is None or str(roles.loc["S1", "reported_on"]) in ("NaT", "None", "nan")
    errors = _errors(tmp_path, {"organizations.csv": files["organizations.csv"],
                                "company_roles.csv": "holder_id,org_id,role\nP1,V1,director\nP1,U1,adviser\n"})
    assert [e for e in errors if "company role" in e] == [
        "company_roles.csv, line 2, column 2 (org_id): a company role cannot be at an agency or a village (it may be "
        "at a company, institution, association or other organization) (found 'V1'); fix: correct org_id, or the "
        "organization's kind in organizations.csv; a post at an agency or village belongs in positions.csv"]


def test_ragged_rows_are_reported_by_line(tmp_path):
    errors = _errors(tmp_path, {
        "people.csv": "person_id,name,id_number\nP1,王建国,330102197001010013\nP2,李梅,330102197202020023,extra\n",
    })
    assert any("people.csv, line 3: has 4 fields but the header has 3" in e for e in errors)


def test_quoted_newline_keeps_line_numbers_right(tmp_path):
    errors = _errors(tmp_path, {
        "organizations.csv": 'org_id,name,kind,address\nA1,市住建局,agency,"两行\n地址"\nC1,华兴建设有限公司,firm,x\n',
    })
    assert any(e.startswith("organizations.csv, line 4, column 3 (kind)") for e in errors), errors


def test_bad_check_digit_is_a_warning_not_an_error(tmp_path):
    folder = write_dataset(tmp_path / "d", {**MINIMAL, "people.csv": """
        person_id,name,id_number
        P1,王建国,330102197001010014
        P2,李梅,330102197202020023
        """})
    ds = load_dataset(folder)
    assert any("check digit is wrong" in str(w) and "line 2" in str(w) for w in ds.warnings)


def test_gb18030_file_loads_like_utf8(tmp_path):
    utf = load_dataset(write_dataset(tmp_path / "u", MINIMAL))
    gb = load_dataset(write_dataset(tmp_path / "g", MINIMAL, encoding="gb18030"))
    assert gb.frame("person")["name"].tolist() == utf.frame("person")["name"].tolist() == ["王建国", "李梅"]
    assert any("GB18030" in str(w) for w in gb.warnings)


@pytest.mark.parametrize("encoding", ["gb18030", "big5"])
def test_a_utf8_file_read_under_another_encoding_is_refused_saying_it_is_utf8(tmp_path, encoding):
    """--encoding gb18030 over UTF-8 files garbled their Chinese (配偶 read as 閰嶅伓) and blamed the words; each
    file whose Chinese reads as UTF-8 is now refused saying so, and the same files in that encoding still load."""
    from click.testing import CliRunner

    from govties.cli.main import main

    folder = write_dataset(tmp_path / "u", MINIMAL)
    res = CliRunner().invoke(main, ["validate", str(folder), "--encoding", encoding])
    assert res.exit_code == 2
    lines = res.output.splitlines()[:-1]
    hanzi = sorted(f.name for f in folder.iterdir() if any("\u4e00" <= ch <= "\u9fff" for ch in f.read_text("utf-8")))
    assert len(hanzi) >= 2
    assert sorted(line.split(":")[0] for line in lines) == hanzi
    assert all(f": is UTF-8, not {encoding}: " in line and "fix: leave --encoding out" in line for line in lines)
    gb = write_dataset(tmp_path / "g", MINIMAL, encoding="gb18030")
    assert load_dataset(gb, encoding="gb18030").frame("person")["name"].tolist() == ["王建国", "李梅"]


def test_a_gb18030_file_that_happens_to_be_valid_utf8_is_read_as_the_encoding_given(tmp_path):
    """濮鸿博 and 宸冲宝 in GB18030 are valid UTF-8 (姺販, 巳屦): rare characters that way, common ones as GB18030, so
    --encoding gb18030 reads them as given (its only way in: detection takes valid UTF-8 as UTF-8)."""
    people = "person_id,name,id_number\nP1,濮鸿博,330102197001010013\nP2,宸冲宝,330102197202020023\n"
    folder = write_dataset(tmp_path / "g", {**MINIMAL, "people.csv": people}, encoding="gb18030")
    (folder / "people.csv").read_bytes().decode("utf-8")  # valid UTF-8 indeed
    assert load_dataset(folder, encoding="gb18030").frame("person")["name"].tolist() == ["濮鸿博", "宸冲宝"]


def test_only_the_encodings_the_contract_names_are_read(tmp_path):
    """latin-1 decodes any bytes: UTF-8 names read with it would be nonsense, stored as if true. Only utf-8,
    gb18030 and big5 (and their aliases) are taken; the command line refuses any other name in one line."""
    from click.testing import CliRunner

    from govties.cli.main import main

    folder = write_dataset(tmp_path / "u", MINIMAL)
    with pytest.raises(DataError) as refused:
        load_dataset(folder, encoding="latin1")
    said = [f"{p.message}; {p.fix}" for p in refused.value.problems]
    assert said == ["unknown encoding 'latin1'; use utf-8, gb18030 or big5, or leave the encoding to be detected"]
    res = CliRunner().invoke(main, ["sweep", str(folder), "-o", str(tmp_path / "f.csv"), "--encoding", "latin1"])
    assert res.exit_code == 2 and not (tmp_path / "f.csv").exists()
    assert res.output.splitlines()[-1].startswith("main sweep: Invalid value for '--encoding': 'latin1' is not one")
    res = CliRunner().invoke(main, ["validate", str(folder), "--encoding", "UTF-8"])
    assert res.exit_code == 0, res.output


def test_utf8_with_bom_loads(tmp_path):
    folder = write_dataset(tmp_path / "b", MINIMAL)
    p = folder / "people.csv"
    p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes())
    assert load_dataset(folder).frame("person")["person_id"].tolist() == ["P1", "P2"]


def test_undecodable_bytes_name_file_and_offset(tmp_path):
    folder = write_dataset(tmp_path / "x", MINIMAL)
    p = folder / "people.csv"
    data = p.read_bytes()
    p.write_bytes(data + "P3,张三\n".encode()[:-3] + b"\xff\xfe\n")
    with pytest.raises(DataError) as exc:
        load_dataset(folder)
    text = str(exc.value.problems[0])
    assert text.startswith("people.csv: is not valid UTF-8") and f"byte offset {len(data) + 6}" in text


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_a_utf16_file_is_named_as_one(tmp_path, codec):
    """Excel's "Unicode text" is UTF-16 with a byte order mark; it was 'neither UTF-8 nor GB18030' at byte 0."""
    folder = write_dataset(tmp_path / "x", MINIMAL)
    p = folder / "people.csv"
    text = p.read_text(encoding="utf-8")
    p.write_bytes(text.encode(codec) if codec == "utf-16" else b"\xfe\xff" + text.encode(codec))
    for encoding in (None, "gb18030"):  # also when another encoding is given
        with pytest.raises(DataError) as exc:
            load_dataset(folder, encoding=encoding)
        assert [str(e) for e in exc.value.problems if e.file == "people.csv"] == [
            "people.csv: is UTF-16 (Excel's \"Unicode text\"), which govties does not read; fix: save it from Excel as "
            "\"CSV UTF-8\", or re-export it as UTF-8"]


def test_an_undecodable_byte_s_offset_counts_the_files_byte_order_mark(tmp_path):
    """The offset said is where the byte is in the file (`head -c`, a hex editor), its UTF-8 BOM counted: it was
    three less in a file that starts with one (as govties' own findings files do)."""
    folder = write_dataset(tmp_path / "x", MINIMAL)
    p = folder / "people.csv"
    data = b"\xef\xbb\xbf" + p.read_bytes()
    p.write_bytes(data + "P3,张三\n".encode()[:-3] + b"\xff\xfe\n")
    with pytest.raises(DataError) as exc:
        load_dataset(folder)
    at = len(data) + 6  # after "P3," and 张, the first byte of 三 (0xe4) is followed by 0xff
    assert p.read_bytes()[at] == 0xE4
    assert f"undecodable byte 0xe4 at byte offset {at}" in str(exc.value.problems[0])


def test_unknown_columns_become_properties(tmp_path):
    folder = write_dataset(tmp_path / "d", {**MINIMAL, "people.csv": """
        person_id,name,民族,note
        P1,王建国,汉,
        P2,李梅,汉,谨慎
        """})
    ds = load_dataset(folder)
    assert ds.frame("person")["props"].tolist() == ['{"民族": "汉"}', '{"note": "谨慎", "民族": "汉"}']


def test_failed_load_leaves_previous_graph_intact(tmp_path, minimal_dataset):
    store = tmp_path / "g.duckdb"
    backend = DuckDBBackend(store)
    backend.load(load_dataset(minimal_dataset).tables)
    before = backend.counts()
    bad = write_dataset(tmp_path / "bad", {**MINIMAL, "decisions.csv": "decision_id,kind,date\nD1,permit,x\n"})
    with pytest.raises(DataError):
        backend.load(load_dataset(bad).tables)
    assert backend.counts() == before
    backend.close()


def test_store_transaction_rolls_back_on_failure(tmp_path, minimal_dataset):
    backend = DuckDBBackend(tmp_path / "g.duckdb")
    backend.load(load_dataset(minimal_dataset).tables)
    before = backend.counts()
    tables = dict(load_dataset(minimal_dataset).tables)
    broken = tables["decision"].to_pandas()
    broken["date"] = "not a date"  # fails inside the transaction, after earlier tables were replaced
    tables["decision"] = broken
    with pytest.raises(BackendError, match=r"table decision, column date: .*ISO dates"):
        backend.load(tables)
    assert backend.counts() == before
    backend.close()


READ_CASES = {
    "crlf": "a,b\r\n1,2\r\n3,4\r\n",
    "blank line": "a,b\n1,2\n\n3,4\n",
    "blank crlf line": "a,b\r\n1,2\r\n\r\n3,4\r\n",
    "line of spaces": "a,b\n1,2\n   \n3,4\n",
    "quoted newline": 'a,b\n"x\ny",2\n3,4\n',
    "quoted crlf": 'a,b\r\n"x\r\ny",2\r\n3,4\r\n',
    "quoted lone cr": 'a,b\n"x\ry",2\n3,4\n',
    "unquoted lone cr": "a,b\n1,2\r3,4\n5,6\n",
    "one column, blank line": "a\n1\n\n2\n",
    "one column, spaces": "a\n1\n  \n2\n",
    "trailing blank lines": "a,b\n1,2\n3,4\n\n\n",
    "ragged": "a,b\n1,2,3\n3,4\n",
}


@pytest.mark.parametrize("name", list(READ_CASES))
def test_fast_reader_places_rows_on_the_lines_the_exact_reader_does(name):
    from govties.loaders.problems import Problems
    from govties.loaders.read import _parse_slow, parse_text

    text = READ_CASES[name]
    fast_problems, exact_problems = Problems(), Problems()
    fast = parse_text(text, "f.csv", fast_problems)
    exact = _parse_slow(text, "f.csv", exact_problems, "utf-8")
    assert (fast is None) == (exact is None)
    if fast is not None:
        assert fast.table.to_pylist() == exact.table.to_pylist()
        assert [fast.line(i) for i in range(fast.table.num_rows)] == exact.lines
    assert [str(p) for p in fast_problems.items] == [str(p) for p in exact_problems.items]


def test_loader_tables_carry_the_model_types(minimal_dataset):
    """Backends receive Arrow tables with exactly the model's columns and types (dates as dates, lists as lists)."""
    from govties.graph.columns import ARROW_TYPES
    from govties.graph.model import TABLES

    ds = load_dataset(minimal_dataset)
    for name, table in ds.tables.items():
        assert table.column_names == TABLES[name].column_names, name
        assert [f.type for f in table.schema] == [ARROW_TYPES[kind] for _, kind in TABLES[name].columns], name
    assert ds.tables["kin"].column("stated").null_count == 0
    assert all(p == "{}" or p.startswith("{") for p in ds.tables["person"].column("props").to_pylist())
    ds.release()
    assert ds.tables == {} and ds.counts() == {}


def test_exact_duplicate_rows_count_once_with_a_warning(tmp_path):
    files = dict(MINIMAL)
    files["company_roles.csv"] = """
        holder_id,org_id,role,share,start_date
        P2,C1,shareholder,0.6,2018-01-01
        P1,C1,director,,2019-01-01
        P2,C1,shareholder,0.6,2018-01-01
        """
    files["relatives.csv"] = """
        person_id,relative_id,relation
        P1,P2,spouse
        P2,P1,spouse
        """
    ds = load_dataset(write_dataset(tmp_path / "dup", files))
    roles = ds.frame("role")
    assert sorted(roles["holder_id"]) == ["P1", "P2"] and roles["rid"].is_unique
    assert any(str(w).startswith("company_roles.csv, line 4: repeats line 2: the same values in every column read "
                                 "(once records of one person are merged); counted once")
               for w in ds.warnings), [str(w) for w in ds.warnings]
    # the warning names the file as it is named: a sheet, or a file of another name
    sheets = {("企业角色" if name == "company_roles.csv" else name[:-4]): sheet_rows(text)
              for name, text in files.items()}
    book = write_workbook(tmp_path / "dup.xlsx", sheets)
    assert any(str(w).startswith("dup.xlsx[企业角色], line 4: repeats line 2: the same values")
               for w in load_dataset(book).warnings), [str(w) for w in load_dataset(book).warnings]
    kin = ds.frame("kin")  # the second row states what the first implies: one pair, both directions, both stated
    assert sorted(zip(kin["person_id"], kin["relative_id"], kin["stated"], strict=True)) == [("P1", "P2", True),
                                                                                            ("P2", "P1", True)]
    files["company_roles.csv"] += "P1,C1,director,,2019-01-01\n        P1,C1,director,,2019-01-01\n"  # lines 5, 6
    told = [str(w) for w in load_dataset(write_dataset(tmp_path / "more", files)).warnings]
    assert any(w.startswith("company_roles.csv, line 4: repeats line 2: the same values in every column read (once "
                            "records of one person are merged); 3 repeated rows in all, each counted once")
               for w in told), told


@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("name", list(READ_CASES))
def test_reading_a_file_through_a_memory_map_places_rows_as_the_exact_reader(tmp_path, monkeypatch, name, bom):
    """Files are read memory-mapped (counted a slice at a time: here 3 bytes, so matches cross slices)."""
    from govties.loaders import read
    from govties.loaders.problems import Problems

    monkeypatch.setattr(read, "_COUNT_STEP", 3)
    text = READ_CASES[name]
    path = tmp_path / "f.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    got_problems, exact_problems = Problems(), Problems()
    got = read.read_csv(path, got_problems)
    exact = read._parse_slow(text, "f.csv", exact_problems, "utf-8")
    assert (got is None) == (exact is None)
    if got is not None:
        assert got.header == exact.header
        assert got.table.to_pylist() == exact.table.to_pylist()
        assert [got.line(i) for i in range(got.table.num_rows)] == exact.lines
    assert [str(p) for p in got_problems.items] == [str(p) for p in exact_problems.items]


def test_counting_a_memory_map_a_slice_at_a_time_matches_bytes_count(tmp_path, monkeypatch):
    import mmap

    from govties.loaders import read

    data = b"a\r\nb\r\n\r\r\n\n\r\nxyz\r\n" * 7
    path = tmp_path / "c.bin"
    path.write_bytes(data)
    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        for step in (1, 2, 3, 5, 64):
            monkeypatch.setattr(read, "_COUNT_STEP", step)
            for sub in (b"\n", b"\r", b"\r\n"):
                for start, end in ((0, len(data)), (1, len(data) - 2), (4, 9)):
                    assert read._count(mapped, sub, start, end) == data.count(sub, start, end), (step, sub, start)


def test_a_file_that_cannot_be_read_is_the_one_problem_not_every_reference_to_it(tmp_path):
    """decisions.csv without its required column `kind` is refused; the bids and decision makers that refer to its
    decisions are not each reported as referring to an undefined id (200 lines that buried the one to fix)."""

    from conftest import DEMO

    data = tmp_path / "demo"
    data.mkdir()
    for path in DEMO.glob("*.csv"):
        (data / path.name).write_bytes(path.read_bytes())
    decisions = pd.read_csv(data / "decisions.csv", dtype=str, keep_default_na=False)
    decisions.drop(columns=["kind"]).to_csv(data / "decisions.csv", index=False)
    with pytest.raises(DataError) as refused:
        load_dataset(data)
    said = [(p.file, p.column, p.message) for p in refused.value.problems]
    assert said == [("decisions.csv", "kind", "the required column 'kind' is missing from the header")]
    (data / "decisions.csv").unlink()  # a file that is absent: the references to it are the problems
    with pytest.raises(DataError) as refused:
        load_dataset(data)
    assert {p.file for p in refused.value.problems} >= {"bids.csv", "decision_makers.csv"}


def test_a_date_that_does_not_exist_is_told_apart_from_one_in_another_form(tmp_path):
    """30 February and month 13 are in a form govties reads: the message says what is wrong with the date, not
    to write it as YYYY-MM-DD (which it already is)."""
    folder = write_dataset(tmp_path / "d", MINIMAL)
    people = folder / "people.csv"
    rows = ["person_id,name,birth_date", "P1,王建国,2001/02/30", "P2,李梅,1965-13-12", "P3,张三,1965.3.x",
            "P4,李四,1865-03-12"]
    people.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as refused:
        load_dataset(folder)
    said = {p.value: (p.message, p.fix) for p in refused.value.problems if p.column == "birth_date"}
    assert said["2001/02/30"] == ("not a date: there is no day 30 in month 2 of 2001",
                                  "correct the date from the source record")
    assert said["1965-13-12"] == ("not a date: there is no month 13 (months are 1 to 12)",
                                  "correct the date from the source record")
    assert said["1865-03-12"] == ("the date is outside 1900–2100", "correct the date from the source record")
    assert said["1965.3.x"][0].startswith("expected a date as YYYY-MM-DD") and said["1965.3.x"][1] == (
        "write the date as YYYY-MM-DD")


def test_many_impossible_dates_are_listed_a_hundred_at_most(tmp_path):
    """Each impossible date says what is wrong with it, but a column lists 100 bad rows and counts the rest, as for
    any other problem: 300 different impossible dates are not 300 lines that bury the others."""
    folder = write_dataset(tmp_path / "d", MINIMAL)
    rows = ["person_id,name,birth_date"] + [f"P{i},某{i},{1900 + i % 100}-02-30" for i in range(1, 301)]
    (folder / "people.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as refused:
        load_dataset(folder)
    dated = [p for p in refused.value.problems if p.column == "birth_date"]
    assert len(dated) == 101
    assert [p.message for p in dated if p.line is None] == ["200 more rows: a date govties cannot read"]
    assert all(p.message.startswith("not a date: there is no day 30 in month 2 of ") for p in dated if p.line)


def test_a_problem_is_said_in_chinese_where_it_declares_its_chinese_and_in_english_otherwise():
    """Problem.text(lang): the English line is str(p), as the command line prints it; in Chinese the place, the
    message, the value found and the fix are all Chinese when the problem declares its Chinese (Zh), and the line
    is English whole when it does not (never half translated)."""
    from govties.loaders.problems import Problem, Zh

    p = Problem("t.csv", 3, "when", "no such day", "2026-02-30\n", "write a real day", 5,
                zh=Zh("没有这一天", "写一个真实的日期"))
    assert p.text() == str(p) == ("t.csv, line 3, column 5 (when): no such day (found '2026-02-30\\n'); fix: write "
                                  "a real day")
    assert p.text("zh") == ("t.csv，第3行，第5列（when）：没有这一天（文件中为“2026-02-30\\n”）；改正方法："
                            "写一个真实的日期")
    assert Problem("t.csv", 1, "status", "missing", zh=Zh("缺少")).text("zh") == "t.csv，第1行，status列：缺少"
    assert Problem("t.csv", None, None, "is empty", zh=Zh("是空文件")).text("zh") == "t.csv：是空文件"
    english = Problem("d.csv", 2, "amount", "not a number", "x", "write a number", 4)
    assert english.text("zh") == english.text("en") == str(english)
    with pytest.raises(TypeError):  # a Chinese without the fix the English gives would drop it
        Problem("t.csv", 1, None, "bad", fix="do this", zh=Zh("坏"))
