"""Parameters, config, mapping, triage and findings files of the wrong shape, and FollowTheMoney input that is
not what it claims: each is one exact line and exit status 2 (or a documented warning), never a traceback or a
silently wrong result."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from click.testing import CliRunner

from govties.cli.main import main
from govties.loaders.contract import FILES
from govties.loaders.values import AMOUNT_EXPECTED
from govties.rules.catalog import catalog

from cli_process import problem_lines
from conftest import MINIMAL, needs_module, neo4j_available_or_skip, write_dataset


def _run(*args):
    res = CliRunner().invoke(main, [str(a) for a in args])
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    return res


def _lines(res) -> list[str]:
    return problem_lines(res.output)


# -- rule parameters ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("param,message", [
    ("split-decisions.threshold=nan", f"parameter threshold expects {AMOUNT_EXPECTED}, got 'nan'"),
    ("split-decisions.threshold=-inf", f"parameter threshold expects {AMOUNT_EXPECTED}, got '-inf'"),
    ("split-decisions.threshold=true", f"parameter threshold expects {AMOUNT_EXPECTED}, got 'true'"),
    ("split-decisions.threshold=-1万", "parameter threshold expects a value of at least 0.0, got '-1万'"),
    ("split-decisions.window_days=true", "parameter window_days expects a whole number, got 'true'"),
    ("split-decisions.min_count=99999999999999999999",
     "parameter min_count expects a whole number that fits in 64 bits, got '99999999999999999999'"),
    ("split-decisions.min_count=2.5", "parameter min_count expects a whole number, got '2.5'"),
])
def test_a_bad_parameter_value_is_one_line(minimal_dataset, tmp_path, param, message):
    res = _run("sweep", minimal_dataset, "-o", tmp_path / "f.csv", "-q", "-p", param)
    assert res.exit_code == 2
    assert _lines(res) == [f"error: rule split-decisions: {message}"]
    assert not (tmp_path / "f.csv").exists()


@pytest.mark.parametrize("name,value,message", [
    ("window_days", "true", "expects a value of type int, got True"),
    ("window_days", "nan", "expects a whole number, got nan"),
    ("window_days", "[1, 2]", "expects a value of type int, got [1, 2]"),
    ("min_count", "5.5", "expects a whole number, got 5.5"),
    ("threshold", "nan", "expects a finite number (not nan or inf), got nan"),
    ("threshold", '"30%"', f"expects {AMOUNT_EXPECTED}, got '30%'"),
])
def test_a_config_value_of_the_wrong_type_is_one_line(minimal_dataset, tmp_path, name, value, message):
    """The line names the config file and the key, as a profile's does, and how to fix it."""
    cfg = tmp_path / "c.toml"
    cfg.write_text(f"[params.split-decisions]\n{name} = {value}\n", encoding="utf-8")
    res = _run("sweep", minimal_dataset, "-o", tmp_path / "f.csv", "-q", "-c", cfg)
    description = catalog()["split-decisions"].parameters[name].description("en")
    assert res.exit_code == 2 and _lines(res) == [
        f"error: the config file {cfg}: key params.split-decisions.{name}: {message}; fix: correct the value "
        f"({description})"]


@pytest.mark.parametrize("text,problem", [
    ("[params.split-decisions]\nwindow_dayz = 5\n", "key params.split-decisions.window_dayz: split-decisions has "
     "no parameter 'window_dayz'; fix: use one of threshold, window_days, min_count"),
    ("[params.split-decision]\nwindow_days = 5\n", "key params.split-decision names no rule; fix: use a rule id "
     "from `govties rules list`"),
    ("as_of = 2020-01-01T08:00:00\n", "as_of must be a date or text, not datetime.datetime(2020, 1, 1, 8, 0); fix: "
     "write e.g. as_of = 2024-12-31 (a date) or \"2024-12-31\""),
])
def test_a_config_key_that_names_nothing_is_one_line_naming_the_file(minimal_dataset, tmp_path, text, problem):
    cfg = tmp_path / "c.toml"
    cfg.write_text(text, encoding="utf-8")
    res = _run("sweep", minimal_dataset, "-o", tmp_path / "f.csv", "-q", "-c", cfg)
    assert res.exit_code == 2 and len(_lines(res)) == 1 and _lines(res)[0].startswith(
        f"error: the config file {cfg}: {problem}"), res.output


@pytest.mark.parametrize("as_of", ["2020-01-01", '"2020-01-01"', '"2020/1/1"'])
def test_a_config_as_of_may_be_a_toml_date_or_text(minimal_dataset, tmp_path, as_of):
    cfg = tmp_path / "c.toml"
    cfg.write_text(f"as_of = {as_of}\n[params.split-decisions]\nwindow_days = \"30\"\n", encoding="utf-8")
    res = _run("sweep", minimal_dataset, "-o", tmp_path / "f.csv", "-q", "-c", cfg)
    assert res.exit_code == 0, res.output
    assert pd.read_csv(tmp_path / "f.csv", dtype=str).as_of.tolist() == ["2020-01-01"]


@pytest.mark.parametrize("backend", ["duckdb", "neo4j"])
def test_the_largest_accepted_integer_runs_on_both_backends(minimal_dataset, tmp_path, backend):
    if backend == "neo4j":
        neo4j_available_or_skip()
    res = _run("sweep", minimal_dataset, "-o", tmp_path / "f.csv", "-q", "--backend", backend, "--rules",
               "split-decisions", "-p", f"split-decisions.min_count={2**63 - 1}")
    assert res.exit_code == 0, res.output
    assert pd.read_csv(tmp_path / "f.csv").empty


# -- config files and --as-of ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,names", [
    ('lang = "fr"\n', ["lang", "'fr'"]),
    ("rules = 3\n", ["rules", "list of rule ids"]),
    ("params = 3\n", ["params", "one table per rule"]),
    ("[params]\npost-retirement = 5\n", ["key params.post-retirement must be a table of parameters, not 5",
                                          "fix: write [params.RULE] tables of NAME = VALUE lines"]),
    ('as_of = "garbage"\n', ["as_of", "'garbage'", "not a date"]),
    ("x = [" * 2000 + "]" * 2000 + "\n", []),
])
def test_a_config_file_of_the_wrong_shape_is_one_line(minimal_dataset, tmp_path, text, names):
    """One line naming the file, the key and the value (the wording is the settings module's)."""
    cfg = tmp_path / "c.toml"
    cfg.write_text(text, encoding="utf-8")
    res = _run("sweep", minimal_dataset, "-o", tmp_path / "f.csv", "-q", "-c", cfg)
    assert res.exit_code == 2 and len(_lines(res)) == 1, res.output
    line = _lines(res)[0]
    assert line.startswith("error: ") and str(cfg) in line and all(n in line for n in names), line


def test_a_config_file_that_is_not_utf8_is_one_line(minimal_dataset, tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_bytes('lang = "中文"\n'.encode("gb18030"))
    res = _run("sweep", minimal_dataset, "-o", tmp_path / "f.csv", "-q", "-c", cfg)
    assert res.exit_code == 2 and len(_lines(res)) == 1
    assert _lines(res)[0].startswith(f"error: the config file {cfg} is not UTF-8 text")


def test_as_of_that_is_not_a_date_is_one_line(minimal_dataset, tmp_path):
    res = _run("sweep", minimal_dataset, "-o", tmp_path / "f.csv", "-q", "--as-of", "garbage")
    assert res.exit_code == 2 and len(_lines(res)) == 1
    assert _lines(res)[0].startswith("error: --as-of") and "'garbage' is not a date" in _lines(res)[0]
    assert _run("sweep", minimal_dataset, "-o", tmp_path / "f.csv", "-q", "--as-of", "2021.3.5").exit_code == 0


def test_rules_named_twice_run_once(minimal_dataset, tmp_path):
    once, twice = tmp_path / "once.csv", tmp_path / "twice.csv"
    assert _run("sweep", minimal_dataset, "-o", once, "-q", "--rules", "relative-business").exit_code == 0
    res = _run("sweep", minimal_dataset, "-o", twice, "--rules", "relative-business, relative-business")
    assert res.exit_code == 0
    assert "running 1 rule on duckdb" in res.output
    assert pd.read_csv(twice)["finding_id"].tolist() == pd.read_csv(once)["finding_id"].tolist()
    assert len(pd.read_csv(once)) == 1


# -- mapping files --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,line", [
    ("files: [people]\n", "m.yaml: files: must be a table of source files or sheets; fix: write one `NAME:` "
                          "entry per source under files:"),
    ("files:\n  family:\n    file: relatives.csv\n    columns: [who]\n",
     "m.yaml: files.family.columns: must map source headers to contract columns; fix: write columns: {工号: "
     "person_id}"),
    ("files:\n  people:\n    file: people.csv\n    header_row: two\n",
     "m.yaml: files.people.header_row: is 'two': expected the header's line or row, a whole number from 1 to "
     "1000; fix: write header_row: 3 when two title lines come first"),
    ("files:\n  people:\n    file: people.csv\n    values: {gender: {M: [1, 2]}}\n",
     "m.yaml: files.people.values.gender: must map source words to contract words; fix: write 内人: spouse"),
    ("files:\n  people:\n    file: !!python/object/apply:os.system [echo]\n", None),
    ("files:\n  people:\n    file: people.csv\n    columns: {姓名: name\n    header_row: 2\n",  # a brace left open
     "m.yaml, line 5: is not valid YAML: expected ',' or '}', but got ':' (column 15), while parsing a flow mapping "
     "begun on line 4; fix: check indentation and colons"),
    ("files:\n  people:\n    file: [[[[" + "[" * 60 + "]" * 64 + "\n",
     "m.yaml: is nested more than 32 levels deep; fix: write the mapping out without YAML anchors and aliases "
     "(& and *)"),
])
def test_a_mapping_of_the_wrong_shape_names_the_key(minimal_dataset, tmp_path, text, line):
    mapping = tmp_path / "m.yaml"
    mapping.write_text(text, encoding="utf-8")
    res = _run("validate", minimal_dataset, "--mapping", mapping)
    assert res.exit_code == 2 and len(_lines(res)) == 1, res.output
    if line is None:
        assert _lines(res)[0].startswith("m.yaml, line 3: is not valid YAML: could not determine a constructor for "
                                         "the tag 'tag:yaml.org,2002:python/object/apply:os.system'")
    else:
        assert _lines(res) == [line]


# -- triage and findings files --------------------------------------------------------------------------------------
def _findings(tmp_path, minimal_dataset):
    out = tmp_path / "f.csv"
    assert _run("sweep", minimal_dataset, "-o", out, "-q").exit_code == 0
    return out


def test_a_triage_file_with_a_repeated_column_is_one_line(minimal_dataset, tmp_path):
    out = _findings(tmp_path, minimal_dataset)
    triage = tmp_path / "t.csv"
    triage.write_text("finding_id,status,status\nabc,open,dismissed\n", encoding="utf-8")
    res = _run("diff", out, out, "--triage", triage)
    assert res.exit_code == 2
    assert _lines(res) == ["t.csv, line 1, column status: the column 'status' appears 2 times; fix: keep one column "
                           "of each name"]


@pytest.mark.parametrize("when,why", [
    ("2025-01-03 25:00", "there is no time of day 25:00 (hours 0 to 23, minutes and seconds 0 to 59)"),
    ("2025-02-30", "there is no day 30 in month 2 of 2025"),
    ("soon", "expected a date as YYYY-MM-DD (also accepted: 2021-3-5, YYYY/MM/DD, 2021/3/5, YYYY.MM.DD, 2021.3.5, "
             "YYYYMMDD, 2021年3月5日, 2021-03-05 14:30:00)"),
])
def test_a_triage_when_that_is_no_date_is_one_line(minimal_dataset, tmp_path, when, why):
    out = _findings(tmp_path, minimal_dataset)
    fid = pd.read_csv(out, dtype=str).finding_id[0]
    triage = tmp_path / "t.csv"
    triage.write_text(f"finding_id,status,note,who,when\n{fid},confirmed,,li,{when}\n", encoding="utf-8")
    res = _run("sweep", minimal_dataset, "-o", tmp_path / "g.csv", "-q", "--triage", triage)
    assert res.exit_code == 2 and not (tmp_path / "g.csv").exists()
    assert _lines(res) == [f"t.csv, line 2, column 5 (when): {why} (found {when!r}); fix: write the date as "
                           "YYYY-MM-DD (and a time, if any, as HH:MM after it)"]


def test_diff_refuses_bad_scores_and_repeated_finding_ids(minimal_dataset, tmp_path):
    out = _findings(tmp_path, minimal_dataset)
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    fid = frame["finding_id"][0]
    bad = pd.concat([frame, frame.assign(score="abc")])
    bad.to_csv(tmp_path / "bad.csv", index=False)
    res = _run("diff", out, tmp_path / "bad.csv")
    assert res.exit_code == 2
    assert set(_lines(res)) == {
        "bad.csv, line 3, column score: expected a score from 0 to 100 (found 'abc'); fix: use a file written by "
        "govties sweep",
        f"bad.csv, line 3, column finding_id: the finding id {fid} also appears on line 2: a findings table has one "
        "row per finding; fix: use a file written by govties sweep"}
    (tmp_path / "bad.jsonl").write_text(json.dumps(frame.iloc[0].to_dict()) + "\n[1, 2]\n", encoding="utf-8")
    res = _run("diff", out, tmp_path / "bad.jsonl")
    assert res.exit_code == 2 and _lines(res) == ["bad.jsonl, line 2: is not a finding (one JSON object per line); "
                                                  "fix: use a file written by govties sweep"]


def _with_cell(source, target, column: str, value: str) -> int:
    """A copy of a findings file (CSV, JSON lines, Excel) with the first finding's `column` set to `value` (a text
    cell in Excel); the line that finding is on."""
    if source.suffix == ".csv":
        frame = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        frame.loc[0, column] = value
        frame.to_csv(target, index=False)
        return 2
    if source.suffix == ".jsonl":
        rows = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()]
        rows[0][column] = value
        target.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        return 1
    import openpyxl

    from govties.titles import column_ids

    book = openpyxl.load_workbook(source)
    sheet = book["findings"]
    ids = column_ids([c.value for c in sheet[1]])
    sheet.cell(row=2, column=ids.index(column) + 1).value = value
    book.save(target)
    return 2


@pytest.mark.parametrize("suffix", ["csv", "jsonl", "xlsx"])
@pytest.mark.parametrize("column", ["first_date", "last_date", "as_of"])
def test_diff_refuses_a_date_that_is_no_day_in_every_format(minimal_dataset, tmp_path, suffix, column):
    """A findings file edited to say 2022-02-31 was compared as if it were a date (first_date: 2022-02-02 →
    2022-02-31): it is refused as a bad score is, in one line naming the file, line and column."""
    found = _run("sweep", minimal_dataset, "-o", tmp_path / f"f.{suffix}", "-q")
    assert found.exit_code == 0, found.output
    bad = tmp_path / f"bad.{suffix}"
    line = _with_cell(tmp_path / f"f.{suffix}", bad, column, "2022-02-31")
    res = _run("diff", tmp_path / f"f.{suffix}", bad)
    assert res.exit_code == 2
    assert _lines(res) == [f"bad.{suffix}, line {line}, column {column}: expected a date: there is no day 31 in month "
                           "2 of 2022 (found '2022-02-31'); fix: write the date as YYYY-MM-DD, as govties sweep "
                           "writes it"]


def test_diff_refuses_a_triage_time_that_is_none_and_reads_a_date_in_another_form_as_the_same(minimal_dataset,
                                                                                             tmp_path):
    out = _findings(tmp_path, minimal_dataset)
    fid = pd.read_csv(out, dtype=str).finding_id[0]
    triage = tmp_path / "t.csv"
    triage.write_text(f"finding_id,status,note,who,when\n{fid},confirmed,,li,2025-01-03 14:30\n", encoding="utf-8")
    triaged = tmp_path / "triaged.csv"
    assert _run("sweep", minimal_dataset, "-o", triaged, "-q", "--triage", triage).exit_code == 0
    line = _with_cell(triaged, tmp_path / "bad.csv", "triage_when", "2025-01-03 25:00")
    res = _run("diff", triaged, tmp_path / "bad.csv")
    assert res.exit_code == 2
    assert _lines(res) == [f"bad.csv, line {line}, column triage_when: expected a date: there is no time of day 25:00 "
                           "(hours 0 to 23, minutes and seconds 0 to 59) (found '2025-01-03 25:00'); fix: write the "
                           "date as YYYY-MM-DD (and a time, if any, as HH:MM after it), as govties sweep writes it"]
    first = pd.read_csv(out, dtype=str).first_date[0]
    day = dt.date.fromisoformat(first)
    _with_cell(out, tmp_path / "edited.csv", "first_date", f"{day.year}/{day.month}/{day.day}")  # as Excel saves it
    res = _run("diff", out, tmp_path / "edited.csv")
    assert res.exit_code == 0 and "changed 0" in res.output, res.output


def test_diff_advises_on_an_undecodable_file_without_an_encoding_option_it_does_not_have(minimal_dataset, tmp_path):
    """diff reads findings and triage files in whatever encoding they are (GB18030 and Big5 are detected) and takes
    no --encoding: its advice on a file it cannot decode must not tell a person to give one (it did)."""
    out = _findings(tmp_path, minimal_dataset)
    data = out.read_bytes().removeprefix(b"\xef\xbb\xbf")  # (the offset said counts no byte order mark)
    lead = max(i for i in range(len(data)) if data[i] >= 0xE0)  # the first byte of a Chinese character
    cut = tmp_path / "cut.csv"
    cut.write_bytes(data[:lead + 1])  # cut inside that character, as `head -c` cuts
    res = _run("diff", out, cut)
    assert res.exit_code == 2
    assert _lines(res) == [f"cut.csv: is not valid UTF-8: undecodable byte 0x{data[lead]:02x} at byte offset {lead}; "
                           "fix: repair the file, or re-export it as UTF-8"]
    fid = pd.read_csv(out, dtype=str).finding_id[0]
    triage = tmp_path / "t.csv"
    triage.write_bytes(f"finding_id,status\n{fid},".encode() + bytes([0xFF, 0xFE, 0xFA]) + b"\n")
    res = _run("diff", out, out, "--triage", triage)
    assert res.exit_code == 2
    offset = triage.read_bytes().index(0xFF)
    assert _lines(res) == [f"t.csv: is neither UTF-8 nor GB18030: undecodable byte at byte offset {offset} (UTF-8) / "
                           f"{offset} (GB18030); fix: re-save the file as UTF-8"]
    jsonl = tmp_path / "f.jsonl"
    jsonl.write_bytes(b'{"finding_id": "' + bytes([0xFF]) + b'"}\n')
    res = _run("diff", out, jsonl)
    assert res.exit_code == 2
    assert _lines(res) == ["f.jsonl: cannot be decoded as utf-8: bad byte at offset 16; fix: re-save the file as "
                           "UTF-8"]
    assert "--encoding" not in res.output


# -- FollowTheMoney input -------------------------------------------------------------------------------------------
needs_module("followthemoney", "ftm")

PEOPLE = [{"id": "pep-1", "schema": "Person", "properties": {"name": ["王建国"]}},
          {"id": "co-1", "schema": "Company", "properties": {"name": ["华兴建设有限公司"]}}]


def _ftm(tmp_path, entities, name="in.ftm.json", encoding="utf-8"):
    src = tmp_path / name
    src.write_bytes("\n".join(e if isinstance(e, str) else json.dumps(e, ensure_ascii=False)
                              for e in entities).encode(encoding))
    return src


@pytest.mark.parametrize("pct,share,warning", [
    ("60", "0.6", None),
    ("25-50%", "0.25", "in.ftm.json, line 3: entity own-1: the percentage band '25-50%' is kept as its lower bound, "
                       "0.25; fix: correct the percentage in the source if the share matters"),
    ("abc", "", "in.ftm.json, line 3: entity own-1: the percentage 'abc' is not a number from 0 to 100; the share is "
                "left empty; fix: correct the percentage in the source if the share matters"),
])
def test_ftm_percentages_that_are_not_numbers(tmp_path, pct, share, warning):
    own = {"id": "own-1", "schema": "Ownership", "properties": {"owner": ["pep-1"], "asset": ["co-1"],
                                                              "percentage": [pct]}}
    res = _run("ftm-import", _ftm(tmp_path, [*PEOPLE, own]), "--out", tmp_path / "ds")
    assert res.exit_code == 0, res.output
    assert [line for line in res.output.splitlines() if line.startswith("warning:")] == \
        ([f"warning: {warning}"] if warning else [])
    roles = pd.read_csv(tmp_path / "ds" / "company_roles.csv", dtype=str, keep_default_na=False)
    assert roles["share"].tolist() == [share]


def test_ftm_lines_that_are_not_entities_are_named(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    src = _ftm(tmp_path, [PEOPLE[0], "[1, 2]", deep, '{"id": "x", "schema": "Person", "properties": [1]}', "42"])
    res = _run("ftm-import", src, "--out", tmp_path / "ds")
    assert res.exit_code == 2
    fix = "fix: one JSON object with id, schema and properties per line"
    assert _lines(res) == [f"in.ftm.json, line 2: is not a FollowTheMoney entity: a JSON array, not an object; {fix}",
                           f"in.ftm.json, line 3: is not a FollowTheMoney entity: nested too deeply; {fix}",
                           f"in.ftm.json, line 4: is not a FollowTheMoney entity: properties is not an object; {fix}",
                           f"in.ftm.json, line 5: is not a FollowTheMoney entity: a JSON number, not an object; {fix}"]
    assert not (tmp_path / "ds").exists()


def test_ftm_input_in_gb18030_is_detected_and_said(tmp_path):
    res = _run("ftm-import", _ftm(tmp_path, PEOPLE, encoding="gb18030"), "--out", tmp_path / "ds")
    assert res.exit_code == 0, res.output
    assert "warning: in.ftm.json: was not UTF-8; read it as GB18030 (detected)" in res.output
    assert pd.read_csv(tmp_path / "ds" / "people.csv")["name"].tolist() == ["王建国"]


def test_ftm_import_into_a_dataset_refuses_without_force_and_leaves_no_stale_file_with_it(tmp_path):
    folder = write_dataset(tmp_path / "ds", MINIMAL)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    src = _ftm(tmp_path, PEOPLE)
    res = _run("ftm-import", src, "--out", folder)
    assert res.exit_code == 2
    assert _lines(res) == [f"{folder}: is not empty: importing into it would mix this dataset with the files already "
                           "there; fix: give a new or empty folder, or pass --force to replace the dataset in it (its "
                           "contract files are all rewritten or removed)"]
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    res = _run("ftm-import", src, "--out", folder, "--force")
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt", "organizations.csv", "people.csv"]
    assert set(before) - {"people.csv", "organizations.csv"} <= set(FILES)  # the stale ones were contract files
    res = _run("validate", folder)
    assert res.exit_code == 0, res.output
