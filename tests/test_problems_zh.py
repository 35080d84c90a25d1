"""Every problem a loader makes is said in Chinese too (`zh`), so that a Chinese page never lists one in English:
the loaders are driven over a broad corpus of bad input (the hostile corpora of test_hostile*.py, and a case for
each other kind of problem: files, cells, references, workbooks, encodings, findings, triage, FtM and mapping
files), and each problem made on the way must carry its Chinese. Every place in loaders/ that makes a problem
must pass its Chinese too (read from the source)."""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import json
import re
import sys
from contextlib import suppress
from pathlib import Path

import openpyxl
import pytest

from govties.loaders import DataError, load_dataset
from govties.loaders.findings_file import read_findings
from govties.loaders.ftm import ftm_to_contract
from govties.loaders.known import Known
from govties.loaders.mapping import load_mapping
from govties.loaders.problems import Problem
from govties.loaders.triage import masked_number, not_recorded, not_shown, read_triage_file

from conftest import MINIMAL, write_dataset, write_workbook
from test_hostile import CORPUS as HOSTILE_FILES
from test_hostile_workbooks import CORPUS as HOSTILE_BOOKS, _edit, _good, _part

LOADERS = Path(__file__).resolve().parent.parent / "loaders"
HAN = re.compile("[\u4e00-\u9fff]")
PEOPLE = "person_id,name,id_number,birth_date\n"
ORGS = "org_id,name,kind,credit_code,region,founded_on\n"


def _folder(tmp: Path, files: dict, **kw) -> None:
    """The minimal dataset with `files` in its place (None: left out), loaded."""
    folder = write_dataset(tmp / "d", {n: t for n, t in {**MINIMAL, **files}.items() if isinstance(t, str)})
    for name, data in files.items():
        if isinstance(data, bytes):
            (folder / name).write_bytes(data)
    load_dataset(folder, **kw)


def _many(row: str, n: int = 102) -> str:
    """`n` lines of one bad row (more than the 100 a column lists one by one)."""
    return "".join(row.format(i=i) for i in range(n))


def cells(tmp):
    """Every kind of bad cell, and the checks across files, over 100 rows of some."""
    _folder(tmp, {
        "people.csv": PEOPLE + "P1,王建国,330102197001010013,1970-01-01\nP2,李梅,33010219720202002X,1972-13-01\n"
                      "P3,张三,3301021972020200,1972-02-30\nP4,李四,330102197213320023,1850-01-01\n"
                      "P5,王五,,2021-02-01\nP5,重复,,\n" + _many("Q{i},人{i},,01/02/1990\n"),
        "organizations.csv": ORGS + "A1,市住建局,agency,91330100MA27XL6H1X,330100,\nC1,华兴,company,123,33A,\n"
                                    "C2,某村,village,,,\nP1,与人同号,company,,,\n",
        "positions.csv": "person_id,org_id,title,rank,start_date,end_date\nP1,C1,局长,boss,2020-01-01,2019-01-01\n"
                         "P1,A1,局长,,1975-01-01,\nP2,A1,科员,,2999-01-01,\n",
        "relatives.csv": "person_id,relative_id,relation\nP1,P1,spouse\nP1,P5,parent\nP1,P2,buddy\n",
        "company_roles.csv": "holder_id,org_id,role,share,start_date\nP2,A1,director,0.6,2018-01-01\n"
                             "P2,C1,shareholder,60,\nP9,X9,shareholder,,\n",
        "decisions.csv": "decision_id,kind,date,agency_id,beneficiary_id,amount\nD1,permit,2020-05-01,A1,C1,-5\n"
                         "D1,permit,2020-05-01,A1,C1,很多\n" + _many("E{i},permit,2020-05-01,A1,C1,x\n"),
        "bids.csv": "tender_id,org_id,amount,won\nD1,C1,100,maybe\n",
        "declarations.csv": "person_id,year\nP1,二〇二三\n",
        "decision_makers.csv": "decision_id,person_id,role\n" + _many("D1,Z{i},approver\n"),
    })


def headers(tmp):
    """Headers: a column without a header, one like a contract column, amounts in 万元, a control character in
    over 100 cells and a totals row (warnings of a dataset that loads)."""
    mapping = tmp / "m.yaml"
    mapping.write_text("files:\n  decisions: {columns: {金额（万元）: amount}}\n", encoding="utf-8")
    _folder(tmp, {"people.csv": PEOPLE.rstrip("\n") + ",,证件号码信息\n" + _many("P{i},王\x07{i},,,x,\n")
                  + "合计,,,,,\n",
                  "decisions.csv": "decision_id,kind,date,agency_id,beneficiary_id,金额（万元）\n"
                                   "D1,permit,2020-05-01,A1,C1,120\n",
                  "bids.csv": "tender_id,org_id,投标金额（万元）\nD1,C1,5\n", "relatives.csv": None,
                  "company_roles.csv": None, "decision_makers.csv": None}, mapping=mapping)


MISSING = {  # a required column missing, each form of its fix
    "near": "person_id,姓名全称\nP1,王建国\n", "delimiter": "person_id;name\nP1;王\n", "title": "人员信息表\nP1\n",
    "plain": "person_id,whatever,other\nP1,x,y\n", "twice": "person_id,name,姓名\nP1,王,王\n"}


def missing_columns(tmp):
    for i, people in enumerate(MISSING.values()):
        with suppress(DataError):
            _folder(tmp / str(i), {"people.csv": people})
    with suppress(DataError):
        _folder(tmp / "absent", {"decisions.csv": None})  # decision_makers.csv refers to a file not given
    _folder(tmp / "wanted", {"people.csv": "person_id\nP1\n"})


def warned(tmp):
    """A dataset that loads with warnings only: exact duplicates, two merged records related to each other, a
    share for a role that is not shareholder, a relative born before a parent."""
    _folder(tmp, {"people.csv": PEOPLE + "P1,王建国,330102197001010013,\nP2,李梅,330102197001010013,\n"
                                         "P3,张三,,1990-01-01\nP4,张小,,1980-01-01\n",
                  "relatives.csv": "person_id,relative_id,relation\nP1,P2,spouse\nP3,P4,child\n",
                  "company_roles.csv": "holder_id,org_id,role,share\nP2,C1,director,0.5\nP2,C1,director,0.5\n"})


def rows(tmp):
    """Rows that cannot be read, and what they do to the references into their file."""
    ragged = "person_id,name\nP1,王建国\nP2,李梅,多,余\n" + _many("X{i},a,b\n", 52)
    for i, people in enumerate((ragged, 'person_id,name\nP1,"王建国\nP2,李梅\nP3,x\n', "person_id,name\n",
                                'person_id,name,note\nP1,王建国,"说明\nP2,李梅,x\nP3,y,z"\nP4,a,b\n',
                                "人员信息表\n导出日期,\nperson_id,name\nP1,王\n", "a" * 20 + "," * 20000 + "\n")):
        with suppress(DataError):
            _folder(tmp / str(i), {"people.csv": people})
    _folder(tmp / "short", {"people.csv": "x\n"}, header_row=9)


def files(tmp):
    """Files that are not there, are not files, or are not what their name says."""
    folder = write_dataset(tmp / "d", {**MINIMAL, "Relatives.CSV": "person_id,relative_id,relation\n",
                                       "人员.csv": PEOPLE, "family.csv": "a\n", "book.xls": "x",
                                       "positions.txt": "x", "decisions.csv": "decision_id\n"})
    for name in ("organizations.csv", "company_roles.csv"):
        (folder / name).unlink()
    (folder / "company_roles.csv").mkdir()
    (folder / "bids.csv").symlink_to(folder / "nowhere.csv")
    mapping = tmp / "m.yaml"
    mapping.write_text("files:\n  nosuch: {file: people.csv}\n", encoding="utf-8")
    for call in (lambda: load_dataset(folder, mapping=mapping), lambda: load_dataset(tmp / "none"),
                 lambda: load_dataset(mapping), lambda: load_dataset(folder, header_row=0),
                 lambda: load_dataset(folder, encoding="latin-1")):
        with suppress(DataError):
            call()


def unlisted(tmp, monkeypatch):
    folder = write_dataset(tmp / "d", MINIMAL)
    monkeypatch.setattr(type(folder), "iterdir", lambda self: (_ for _ in ()).throw(PermissionError(13, "Denied")))
    load_dataset(folder)


def encodings(tmp):
    text = "person_id,name\nP1,王建国\nP2,李梅\n"
    big5 = ("person_id,name\n" + "".join(f"P{i},王建國\n" for i in range(20))).encode("big5")
    for i, (data, encoding) in enumerate(((text.encode("utf-16"), None), (text.encode("gb18030"), None),
                                          (big5, None), (big5 + b"\xff\xff", None),
                                          (text.encode(), "gb18030"), (text.encode("gb18030"), "utf-8"),
                                          (text.encode() + b"\xff\xfe\xfd", None))):
        with suppress(DataError):
            _folder(tmp / str(i), {"people.csv": data}, encoding=encoding)


def workbooks(tmp, monkeypatch):
    for i, make in enumerate(HOSTILE_BOOKS):
        (tmp / str(i)).mkdir()
        with suppress(DataError):
            load_dataset(make(tmp / str(i)))
    good = _good(tmp / "good.xlsx", {  # an empty sheet, a formula, a cell beyond the header, a title above it
        "说明": [["本表"]], "decision_makers": [], "declarations": [["标题"], ["person_id", "year"]],
        "bids": [["tender_id", "org_id", "amount"], ["D1", "C1", "=1+1", "多"]]})
    book = openpyxl.load_workbook(good)
    book["decisions"]["C2"] = dt.datetime(2020, 5, 1)  # its serial is made one no date has, below
    book.save(good)
    serial = _edit(good, tmp / "serial.xlsx", _part(good, "decisions"),
                   lambda d: d.replace(b"<v>43952</v>", b"<v>99999999999</v>"))
    notes = _edit(serial, tmp / "notes.xlsx", _part(good, "说明"), lambda d: None)
    locked = bytearray(good.read_bytes())
    at = locked.find(b"PK\x01\x02")  # the first entry of the zip's directory: its flags say encrypted
    locked[at + 8] |= 1
    (tmp / "locked.xlsx").write_bytes(bytes(locked))
    gap = write_workbook(tmp / "gap.xlsx", {"people": [["person_id", "name"], [], ["P1", "王"]]})
    for path, header_row in ((notes, None), (good, 50), (tmp / "locked.xlsx", None), (gap, 2)):
        with suppress(DataError):
            load_dataset(path, header_row=header_row)
    monkeypatch.setenv("GOVTIES_XLSX_MAX_MB", "1")
    load_dataset(write_workbook(tmp / "big.xlsx", {"people": [["person_id", "name"], *([f"P{i}", "x" * 50]
                                                                                       for i in range(30000))]}))


def findings(tmp):
    head = "finding_id,rule,severity,score,official_id,official_name,org_id,org_name,via_id,via_name,decision_ids," \
           "first_date,last_date,explanation,evidence,triage_when\n"
    bad = head + ",r,high,101,,,,,,,,2021-02-30,x,,,\n" + "F1,r,high,1,,,,,,,,,,,,\nF1,r,high,1,,,,,,,,,,,,25:00\n" \
        + _many("G{i},r,high,-1,,,,,,,,2021-13-01,,,,2021-01-01 25:00\n", 22)
    paths = {"bad.csv": bad, "cols.csv": "finding_id,a,b,c,d,e\n", "x.txt": "", "l.jsonl": '[1]\n{"a": 1}\n',
             "p.parquet": "not parquet", "book.xlsx": None, "nowhere.csv": None}
    for name, text in paths.items():
        if text is not None:
            (tmp / name).write_text(text, encoding="utf-8")
    write_workbook(tmp / "book.xlsx", {"other": [["x"]]})
    (tmp / "dir.jsonl").mkdir()
    for name in [*paths, "dir.jsonl"]:
        with suppress(DataError):
            read_findings(tmp / name)


def triage(tmp):
    for i, text in enumerate(("note\nx\n", "finding_id,status,status\nF1,open,open\n",
                              "finding_id,status,when\n,nope,2021-02-30\nF1,open,25:00\nF1,open,\n")):
        (tmp / f"{i}.csv").write_text(text, encoding="utf-8")
        with suppress(DataError):
            read_triage_file(tmp / f"{i}.csv", unrecorded=lambda ids: ids)
    not_recorded("t.csv", 2, "F9")
    not_shown("t.csv", 2, "F9")
    masked_number("t.csv", 2, "note", "139****5678")


def append(tmp):
    """An appended record that would rename a stored person, and one whose id a stored organization has."""
    known = Known(person_ids={"P5"}, id_keys={"330102197001010013": "P5"}, org_ids={"A1"}, org_kind={"A1": "agency"})
    only = dict.fromkeys(("organizations.csv", "relatives.csv", "company_roles.csv", "decisions.csv",
                          "decision_makers.csv"))
    for i, extra in enumerate(("A1,同号,\n", "")):
        with suppress(DataError):
            _folder(tmp / str(i), {**only, "people.csv": "person_id,name,id_number\nP1,王建国,330102197001010013\n"
                                                          + extra}, known=known)


ENTITIES = [
    {"id": "p1", "schema": "Person", "properties": {"name": ["王"], "birthDate": ["1970"]}},
    {"id": "gov", "schema": "PublicBody", "properties": {"name": ["局"]}},
    {"id": "co", "schema": "Company", "properties": {"name": ["公司"]}},
    {"id": "o1", "schema": "Ownership", "properties": {"owner": ["p1"], "asset": ["co"], "percentage": ["25-50%"]}},
    {"id": "o2", "schema": "Ownership", "properties": {"owner": ["p1"], "asset": ["co"], "percentage": ["many"]}},
    {"id": "o3", "schema": "Ownership", "properties": {"owner": ["p1"], "asset": ["nobody"]}},
    {"id": "f1", "schema": "Family", "properties": {"person": ["p1"], "relative": ["ghost"]}},
    {"id": "u1", "schema": "UnknownLink", "properties": {"subject": ["p1"], "object": ["ev"], "role": ["approver"]}},
    {"id": "ev", "schema": "Event", "properties": {"name": ["会"]}},
    {"id": "occ", "schema": "Occupancy", "properties": {"holder": ["p1"], "post": ["none"]}},
]
BAD_LINES = ["[1]", "{}", '{"id": "x"}', '{"id": "x", "schema": "Person", "properties": 1}',
             '{"id": "x", "schema": "Person", "properties": {"name": [{}]}}', '{"id": "x", "schema": "Nope"}',
             "{not json", "[" * 100000]


def ftm(tmp, monkeypatch):
    src = tmp / "in.json"
    src.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in ENTITIES), encoding="utf-8")
    (tmp / "bad.json").write_text("\n".join(BAD_LINES + ["[2]"] * 100), encoding="utf-8")
    (tmp / "full").mkdir()
    (tmp / "full" / "x").write_text("x")
    for source, out in ((src, tmp / "ok"), (tmp / "bad.json", tmp / "o2"), (tmp / "none.json", tmp / "o3"),
                        (tmp, tmp / "o4"), (src, tmp / "full"), (src, tmp / "full" / "x"),
                        (src, tmp / "full" / "x" / "sub"), (tmp / "in.json", tmp / "o5")):
        with suppress(DataError):
            ftm_to_contract(source, out)
    monkeypatch.setitem(sys.modules, "followthemoney", None)  # not installed
    ftm_to_contract(src, tmp / "o6")


MAPPINGS = [
    "- a", "files: 1", "files:\n  x: 1", "files:\n  people: {bad: 1, columns: 1, values: 1, header_row: 0}",
    "files:\n  x: {}", "files:\n  x: {file: nope.csv}",
    "files:\n  people: {columns: {a: nope}, values: {nope: {}, gender: 1, kind: {}}}",
    "files:\n  organizations: {values: {kind: {x: nope}}}", "a: [", "a: &x [*x]",
    "a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e]",
    "a: " + "[" * 40 + "]" * 40, "a: " + "[" * 5000 + "]" * 5000]


def mappings(tmp, monkeypatch):
    for i, text in enumerate(MAPPINGS):
        (tmp / f"{i}.yaml").write_text(text, encoding="utf-8")
    (tmp / "latin.yaml").write_bytes(b"files: \xff\n")
    (tmp / "huge.yaml").write_bytes(b" " * (16 * 1024 * 1024 + 1))
    (tmp / "dir.yaml").mkdir()
    for path in [*(tmp / f"{i}.yaml" for i in range(len(MAPPINGS))), tmp / "latin.yaml", tmp / "huge.yaml",
                 tmp / "dir.yaml", tmp / "none.yaml"]:
        with suppress(DataError):
            load_mapping(path)
    monkeypatch.setitem(sys.modules, "yaml", None)  # PyYAML not installed
    load_mapping(tmp / "0.yaml")


def hostile(tmp):
    for i, (changed, _) in enumerate(HOSTILE_FILES.values()):
        with suppress(DataError):
            _folder(tmp / str(i), changed)


CASES = {f.__name__: f for f in (cells, headers, missing_columns, warned, rows, files, unlisted, encodings,
                                  workbooks, findings, triage, append, ftm, mappings, hostile)}


@pytest.fixture
def made(monkeypatch):
    """Every problem made while the test runs (wherever it is made), with the place in loaders/ that made it."""
    found: list[tuple[Problem, tuple[str, int]]] = []
    first = Problem.__post_init__

    def recorded(self):
        first(self)
        frame = inspect.currentframe()
        while frame and (Path(frame.f_code.co_filename).parent != LOADERS
                         or Path(frame.f_code.co_filename).name == "problems.py"):
            frame = frame.f_back
        found.append((self, (Path(frame.f_code.co_filename).name, frame.f_lineno) if frame else ("?", 0)))

    monkeypatch.setattr(Problem, "__post_init__", recorded)
    return found


@pytest.mark.parametrize("case", list(CASES))
def test_every_problem_a_loader_makes_is_said_in_chinese(case, made, tmp_path, monkeypatch):
    run = CASES[case]
    with suppress(DataError):
        run(tmp_path, monkeypatch) if "monkeypatch" in inspect.signature(run).parameters else run(tmp_path)
    assert made, f"{case} made no problem"
    bare = sorted({f"{where}: {p.message}" for p, where in made if p.zh is None})
    assert bare == [], f"{len(bare)} problem(s) without Chinese:\n" + "\n".join(bare)
    english = sorted({p.zh.message for p, _ in made if not HAN.search(p.zh.message)})
    assert english == [], english  # a Chinese message is Chinese
    assert all(p.text("zh") != p.text("en") for p, _ in made)


def _problem_calls(tree: ast.AST) -> list[ast.Call]:
    """The calls that make a problem: Problem(...), problems.add(...), problems.warn(...)."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            fn = node.func
            if isinstance(fn, ast.Name) and fn.id == "Problem" or (
                    isinstance(fn, ast.Attribute) and fn.attr in ("add", "warn") and isinstance(fn.value, ast.Name)
                    and fn.value.id == "problems"):
                out.append(node)
    return out


def _passes_zh(call: ast.Call) -> bool:
    positional = {"Problem": 9, "warn": 8}.get(call.func.id if isinstance(call.func, ast.Name) else call.func.attr)
    return any(k.arg in ("zh", None) for k in call.keywords) or bool(positional and len(call.args) >= positional)


def test_every_place_that_makes_a_problem_passes_its_chinese():
    calls = {path.name: _problem_calls(ast.parse(path.read_text(encoding="utf-8"))) for path in LOADERS.glob("*.py")
             if path.name != "problems.py"}  # Problems.add and .warn pass on what they are given
    assert sum(map(len, calls.values())) > 100  # the guard reads the calls it means to
    bare = [f"{name}:{call.lineno}" for name, found in calls.items() for call in found if not _passes_zh(call)]
    assert bare == []
