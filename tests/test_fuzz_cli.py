"""Fuzzing the real command: random small datasets (CSV folders and workbooks, title rows, hostile cells),
mappings and configs, each run as `govties validate` or `govties sweep` in a bounded child process (tests/
cli_process.py: a time limit and 4 GB of address space), so that tracebacks, aborts, memory and exit status
are what a user gets. Every run must end with status 0 or 2, one line per problem and no traceback, and a
findings file that existed before is either untouched or replaced by a complete one.

Derandomized (the same examples every run, no example database), few examples: about a minute in CI."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import textwrap

import openpyxl
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from govties.loaders.contract import FILES
from govties.rules.engine import FINDING_COLUMNS

from cli_process import run_cli
from conftest import MINIMAL

SETTINGS = settings(max_examples=8, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
SENTINEL = b"an earlier findings file\n"

# Cells a ledger or an attacker may hold, beside random text.
NOTABLE = ["", "P1", "P2", "C1", "A1", "D1", "王建国", "李梅", "spouse", "配偶", "签发人", "shareholder", "company",
           "2021-3-5", "2021.03.05", "20210305", "2021年3月5日", "2021-02-30", "202³", "２０２３", "120万", "1.2亿",
           "1,200,000.00", "￥1200", "12,00", "nan", "-inf", "1e308", "合计", "总计", "合计科技有限公司",
           "=cmd|' /C calc'!A0",
           "\x00", "a\x07b", "\u202e司公", "x\r\ny", '"', '""', "a,b", "330102197001010013", "33010219700101001X",
           "9" * 40, "长" * 300]
cell = st.one_of(st.sampled_from(NOTABLE), st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=10))
HEADERS = sorted({c for spec in FILES.values() for c in spec.column_names}
                 | {"姓名", "证件号码", "职务级别", "金额（万元）", "序号", "备注", "关系", "持股比例"})


def _minimal_rows(name: str) -> list[list[str]]:
    return [line.split(",") for line in textwrap.dedent(MINIMAL[name]).strip().splitlines()]


@st.composite
def table(draw, name: str) -> list[list]:
    """A contract file's rows: the minimal dataset's, with cells, rows or the header changed, a title or a totals
    row added."""
    rows = [list(r) for r in _minimal_rows(name)] if name in MINIMAL else [list(FILES[name].column_names)]
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["cell", "row", "header", "title", "totals", "ragged"]))
        if kind == "cell" and len(rows) > 1:
            r = draw(st.integers(1, len(rows) - 1))
            rows[r][draw(st.integers(0, len(rows[r]) - 1))] = draw(cell)
        elif kind == "row":
            rows.append([draw(cell) for _ in rows[0]])
        elif kind == "header":
            rows[0][draw(st.integers(0, len(rows[0]) - 1))] = draw(st.sampled_from(HEADERS) | cell)
        elif kind == "title":
            rows.insert(0, [draw(cell)])
        elif kind == "totals":
            rows.append([draw(st.sampled_from(["合计", "总计：", "Total"]))] + [""] * (len(rows[0]) - 1))
        elif kind == "ragged":
            rows.append([draw(cell) for _ in range(draw(st.integers(0, len(rows[0]) + 2)))])
    return rows


@st.composite
def dataset(draw) -> tuple[str, dict[str, list[list]]]:
    names = ["people.csv", "organizations.csv"] + draw(st.lists(st.sampled_from(
        [n for n in FILES if n not in ("people.csv", "organizations.csv")]), unique=True, max_size=4))
    return draw(st.sampled_from(["csv", "xlsx"])), {n: draw(table(n)) for n in names}


def _write(tmp, form: str, tables: dict[str, list[list]], encoding: str):
    if form == "csv":
        folder = tmp / "data"
        folder.mkdir()
        for name, rows in tables.items():
            buf = io.StringIO()
            csv.writer(buf).writerows(rows)
            (folder / name).write_bytes(buf.getvalue().encode(encoding, errors="replace"))
        return folder
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in tables.items():
        ws = book.create_sheet(name[:-4])
        for row in rows:
            ws.append([_excel(v) for v in row])
    book.save(tmp / "data.xlsx")
    return tmp / "data.xlsx"


def _excel(value: str):
    """A cell as Excel holds it: numbers and dates typed, text without the characters XML cannot carry."""
    if re.fullmatch(r"[0-9]{1,9}", value):
        return int(value)
    if value == "2021-3-5":
        return dt.datetime(2021, 3, 5)
    return ILLEGAL_CHARACTERS_RE.sub("", value)


@st.composite
def mapping(draw) -> str | None:
    if draw(st.booleans()):
        return None
    files = {}
    for _ in range(draw(st.integers(0, 2))):
        target = draw(st.sampled_from(list(FILES) + ["nope.csv"]))
        entry = {"file": target}
        if draw(st.booleans()):
            entry["columns"] = {draw(st.sampled_from(HEADERS) | cell): draw(st.sampled_from(HEADERS))}
        if draw(st.booleans()):
            entry["values"] = {draw(st.sampled_from(["relation", "role", "kind", "gender"])): {draw(cell): draw(cell)}}
        if draw(st.booleans()):
            entry["header_row"] = draw(st.sampled_from([1, 2, 0, -1, "x", 10**9]))
        files[draw(st.sampled_from(["people", "人员", "organizations", "relatives", "x"]))] = entry
    text = yaml.safe_dump({"files": files}, allow_unicode=True)
    junk = draw(st.sampled_from(["", "", "\n: :", "\nfiles: [1", "\n&a x: *a", "\n" + "- " * 40 + "x"]))
    return text + junk


CONFIG_VALUES = {"lang": ['"zh"', '"en"', '"fr"', "3"], "rules": ['["self-dealing"]', '["nope"]', '"x"', "[1]"],
                 "as_of": ['"2021-03-05"', '"garbage"', "2021-03-05", "1"]}


@st.composite
def config(draw) -> str | None:
    if draw(st.booleans()):
        return None
    lines = []
    for key, choices in CONFIG_VALUES.items():
        if draw(st.booleans()):
            lines.append(f"{key} = {draw(st.sampled_from(choices))}")
    if draw(st.booleans()):
        value = draw(st.sampled_from(["500000", "nan", "inf", "true", "-1", '"x"', "[1]", str(2**70)]))
        name = draw(st.sampled_from(["threshold", "window_days", "nope"]))
        lines.append(f"[params.split-decisions]\n{name} = {value}")
    return "\n".join(lines) + draw(st.sampled_from(["\n", "\n[[", "\nparams = 3\n"]))


PROBLEM = re.compile(r"^\S.*: .+$")


def _check(res, out) -> None:
    event(f"exit status {res.returncode}")  # shown by --hypothesis-show-statistics
    assert res.returncode in (0, 2), (res.returncode, res.stderr[-3000:])
    assert "Traceback" not in res.stderr and "Traceback" not in res.stdout, res.stderr[-3000:]
    if res.returncode == 2:
        said = [line for line in res.stderr.splitlines() if not line.startswith("[")]  # progress lines
        told = [line for line in said
                if line.startswith("warning: ") or re.match(r"\.\.\. and \d+ more warnings$", line)]
        assert all(PROBLEM.match(line.removeprefix("warning: ")) or line.startswith("... ") for line in told), told
        lines = [line for line in said if line not in told]  # the warnings found with the errors, one line each
        assert lines, "exit 2 without a message"
        if re.search(r"nothing was loaded\. Fix (it|them) and run again\.$", lines[-1]):
            count = int(lines[-1].split(" ", 1)[0])
            shown = [line for line in lines[:-1] if not line.startswith("... and ")]
            assert len(shown) == min(count, 200), lines  # one line per problem, no more
            assert all(PROBLEM.match(line) for line in shown), lines
        elif lines[-1].endswith("(nothing was loaded)"):  # one problem: one line, with what was done
            assert len(lines) == 1 and PROBLEM.match(lines[0]), lines
        else:
            assert len(lines) == 1 and lines[0].startswith("error: "), lines
        if out is not None:
            assert out.read_bytes() == SENTINEL  # the earlier findings file is untouched
    elif out is not None:
        with out.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows[0][:len(FINDING_COLUMNS)] == FINDING_COLUMNS  # a complete new findings file


@SETTINGS
@given(data=dataset(), command=st.sampled_from(["validate", "sweep"]), encoding=st.sampled_from(["utf-8", "gb18030"]),
       header_row=st.sampled_from([None, None, 2]))
def test_random_datasets_give_status_0_or_2_and_one_line_per_problem(tmp_path_factory, data, command, encoding,
                                                                      header_row):
    tmp = tmp_path_factory.mktemp("fuzz")
    form, tables = data
    source = _write(tmp, form, tables, encoding)
    args = [command, source] + (["--header-row", header_row] if header_row else [])
    out = None
    if command == "sweep":
        out = tmp / "findings.csv"
        out.write_bytes(SENTINEL)
        args += ["-o", out, "-q"]
    _check(run_cli(*args, timeout=90), out)


@settings(SETTINGS, max_examples=6)
@given(mapping_text=mapping(), config_text=config(), rules=st.sampled_from([None, "self-dealing,self-dealing", "x"]))
def test_random_mappings_and_configs_give_status_0_or_2_and_one_line(tmp_path_factory, mapping_text, config_text,
                                                                     rules):
    tmp = tmp_path_factory.mktemp("fuzz")
    folder = _write(tmp, "csv", {n: _minimal_rows(n) for n in MINIMAL}, "utf-8")
    out = tmp / "findings.csv"
    out.write_bytes(SENTINEL)
    args = ["sweep", folder, "-o", out, "-q"]
    if mapping_text is not None:
        (tmp / "m.yaml").write_text(mapping_text, encoding="utf-8")
        args += ["--mapping", tmp / "m.yaml"]
    if config_text is not None:
        (tmp / "c.toml").write_text(config_text, encoding="utf-8")
        args += ["-c", tmp / "c.toml"]
    if rules:
        args += ["--rules", rules]
    _check(run_cli(*args, timeout=90), out)
