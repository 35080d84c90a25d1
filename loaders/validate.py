"""Validating one file's cells against the contract: every problem is collected, none stops the others."""

from __future__ import annotations

import json
from decimal import Decimal

from collections.abc import Callable
from functools import partial

import pyarrow as pa
import pyarrow.compute as pc

from ..cells import quoted
from . import values as V
from .codes import credit_codes, resident_ids
from .contract import FileSpec
from .headers import column_zh, implied_columns, locate_all, lookalike, namings
from .ledger import clean_cells, clean_text, drop_headers, drop_pages, drop_totals
from .problems import MAX_PER_COLUMN, Problem, Problems, Zh, more_rows
from .read import Lines, RawTable, line_number
from .typed import dates, numbers, parse_each, whole_months
from .vector import NULL_TEXT, column, is_empty, map_distinct, mask, nullify_empty, positions, replace_values, trim



class Checked:
    """A file after validation: normalized cells (an Arrow table; empty cells are null), each row's line number
    and unknown columns as `props`."""

    def __init__(self, spec: FileSpec, frame: pa.Table, lines: Lines, col_no: dict[str, int],
                 source: str | None = None, mapped: list[tuple[str, str]] | None = None,
                 labels: dict[str, str] | None = None):
        self.spec = spec
        self.frame = frame
        self.lines = lines
        self.col_no = col_no
        self.source = source or spec.name
        self.mapped = mapped or []  # (source header, contract column) where they differ
        self.labels = column_labels(self.mapped) if labels is None else labels  # as problems name columns
        self.keys: dict[str, pa.Array] = {}  # id_number / credit_code column -> normalized value or null

    @property
    def file(self) -> str:
        return self.source

    def line(self, i: int) -> int:
        return line_number(self.lines, i)

    def column(self, name: str) -> pa.Array:
        return column(self.frame, name)

    def label(self, name: str) -> str:
        """A contract column as its problems name it: by the file's header, and the column it was read as."""
        return self.labels.get(name, name)


def column_labels(mapped: list[tuple[str, str]]) -> dict[str, str]:
    """How problems name the columns read from a header other than the contract's name: the header as the file
    writes it, then the column (身份证号 → id_number), so that the file's own column is found and the message's
    words (which name contract columns) read."""
    return {name: f"{header} → {name}" for header, name in mapped}


def _blank_headed(table: pa.Table, header: list[str], raw: RawTable, lines, file: str, problems: Problems) -> None:
    """A column with no header that holds values is not read (it names no column and no property): said, with
    its first value and line, so that no values are dropped unseen."""
    for i, h in enumerate(header):
        if h:
            continue
        filled = pc.not_equal(trim(pc.fill_null(column(table, table.column_names[i]), "")), "")
        first = pc.index(filled, True).as_py()
        if first < 0:
            continue
        value = column(table, table.column_names[i])[first].as_py()
        problems.warn(file, raw.header_line, None, f"column {i + 1} has no header but holds values (the first on "
                      f"line {line_number(lines, first)}): they are not read", value=str(value)[:40],
                      fix="give the column a header: a contract column's name, or any other to keep its values as "
                      "an extra property", col_no=i + 1,
                      zh=Zh(f"第{i + 1}列没有表头却有值（第一个在第{line_number(lines, first)}行）："
                            "这些值不会被读取", "为该列填写表头：数据规范中的列名，或任意名称（其值作为附加属性保留）"))


def check_file(raw: RawTable, spec: FileSpec, problems: Problems, columns: dict[str, str] | None = None,
               values: dict[str, dict[str, str]] | None = None, source: str | None = None) -> Checked | None:
    """Validate one file. `columns` maps extra source headers to contract columns (from a mapping file);
    Chinese headers are mapped out of the box. `values` maps source words to vocabulary words per column.
    `source`: the file's or sheet's name as a mapping file names it (for the advice in warnings)."""
    file = raw.file
    header = [clean_text(h).strip().lstrip("\ufeff") for h in raw.header]
    table = clean_cells(raw.table, header, file, raw.lines, problems)
    table = drop_totals(table, file, raw.lines, problems)
    implied = {c: v for c, v in implied_columns(spec.name, header).items()
               if c.casefold() not in {h.casefold() for h in header}}
    for c, v in implied.items():  # e.g. a shareholder list: its 股东 column holds the holders, every row a shareholder
        table = table.append_column(f"__implied_{c}", pa.repeat(pa.scalar(v, pa.string()), table.num_rows))
    header = header + list(implied)
    lookup, mapped, again = locate_all(spec, header, columns)
    col_no = {col.name: lookup[col.name] + 1 for col in spec.columns if col.name in lookup}
    missing = [col.name for col in spec.columns if col.required and col.name not in col_no]
    unfilled = {col.name for col in spec.columns if col.name not in col_no}
    known = {i - 1 for i in col_no.values()}
    guesses = {i: lookalike(spec, header[i], unfilled) for i in range(len(raw.header)) if i not in known and header[i]}
    source = source or file
    delimiter = _other_delimiter(raw.header)
    if missing and delimiter:  # every row misread: one problem, not a missing column each, nor what the rows read
        problems.items = [p for p in problems.items if p.file != file or not _misread(p)]  # so were said to hold
        problems.add(file, raw.header_line, None, f"the header looks {delimiter!r}-separated: the contract's files "
                     "are separated by commas", fix="re-export the file as CSV (comma-separated), or save it so "
                     "from a spreadsheet", zh=Zh(f"表头看起来以“{quoted(delimiter)}”分隔：数据规范的文件以英文逗号分隔",
                                                   "重新导出为以逗号分隔的 CSV 文件，或用电子表格另存为 CSV"))
        return None
    for name in missing:
        fix, fix_zh = _missing_fix(name, spec, header[:len(raw.header)], guesses, source)
        problems.add(file, raw.header_line, name, f"the required column {name!r} is missing from the header",
                     fix=fix, zh=Zh(f"表头中缺少必需的列 {column_zh(spec.name, name)}", fix_zh))
    for i, name in again:  # two cells for one column: which holds the values meant is not for govties to guess
        first = header[lookup[name]]
        problems.add(file, raw.header_line, header[i], f"fills the column {name!r} that column {lookup[name] + 1} "
                     f"({first!r}) fills already: each contract column is read from one column",
                     fix="remove or rename one of the two", col_no=i + 1,
                     zh=Zh(f"与第{lookup[name] + 1}列（“{quoted(first)}”）对应同一列 {column_zh(spec.name, name)}："
                           "数据规范的每一列只能从一列读取", "删除其中一列，或改掉其中一列的表头"))
    if missing or again:
        return None
    # the contract's columns read from the file, trimmed once: what the checks read, and where a repeated header
    # row is looked for
    read = sorted(i - 1 for i in col_no.values() if i <= len(raw.header))
    for i in read:
        table = table.set_column(i, table.column_names[i], trim(pc.fill_null(column(table, table.column_names[i]), "")))
    table, lines = drop_pages(table, file, raw.lines, problems, len(raw.header))
    table, lines = drop_headers(table, header[:len(raw.header)], file, lines, problems, read,
                                namings(spec, header[:len(raw.header)], lookup, columns))
    _blank_headed(table, header[:len(raw.header)], raw, lines, file, problems)
    for i, guess in sorted(guesses.items()):
        if guess:
            fix, fix_zh = _map_advice(header[i], guess, spec, source)
            note, note_zh = _unit_note(header[i])
            problems.warn(file, raw.header_line, header[i], f"looks like the contract column {guess!r} but is not "
                          "mapped to it: its values are kept as an extra property, and no rule reads them" + note,
                          fix=fix, col_no=i + 1, zh=Zh(f"像是数据规范中的列 {column_zh(spec.name, guess)}，但没有对应"
                                                       f"到该列：其值作为附加属性保留，规则不会读取{note_zh}", fix_zh))
    frame_cols = table.column_names
    out: dict[str, pa.Array] = {}
    labels = column_labels(mapped)
    where = _Where(file, lines, problems, spec.name, labels)
    for col in spec.columns:
        if col.name not in col_no:
            out[col.name] = pa.nulls(table.num_rows, _TYPES.get(col.kind, pa.string()))
            continue
        cells = column(table, frame_cols[col_no[col.name] - 1])
        if col_no[col.name] > len(raw.header):  # implied: one value for every row
            cells = trim(pc.fill_null(cells, ""))
        if values and col.name in values:
            cells = replace_values(cells, values[col.name])
        if col.kind == "amount" and (unit := header_unit(header[col_no[col.name] - 1])):
            cells = _in_unit(cells, unit)
            problems.warn(file, raw.header_line, header[col_no[col.name] - 1],
                          f"gives its amounts in {unit}: a number without a unit of its own is read as that many "
                          f"{unit} ({_unit_size(unit)} yuan each)", fix="nothing, if the header names the unit the "
                          "numbers are in; else rename the header", col_no=col_no[col.name],
                          zh=Zh(f"表头注明金额单位为{unit}：不带单位的数字按{unit}读取（1{unit}即{_unit_size(unit)}元）",
                                "表头写明的正是这些数字的单位时，无需处理；否则请修改表头"))
        out[col.name] = _check_column(cells, col, col_no[col.name], where)
    extra = [(header[i], frame_cols[i]) for i in range(len(header)) if i not in known and header[i]]
    if extra:
        names = [h for h, _ in extra]
        cells = zip(*(column(table, fc).to_pylist() for _, fc in extra), strict=True)
        out["props"] = pa.array([
            json.dumps({k: v for k, v in zip(names, row, strict=True) if v not in ("", None)}, ensure_ascii=False,
                       sort_keys=True)
            for row in cells], type=pa.string())
    else:
        out["props"] = pa.nulls(table.num_rows, pa.string())  # "{}" when the model's tables are built
    checked = Checked(spec, pa.table(out), lines, col_no, file, mapped, labels)
    checked.keys = where.keys
    return checked


def _map_advice(header: str, column: str, spec: FileSpec, source: str) -> tuple[str, str]:
    """How to map a header to the contract column it looks like, in English and in Chinese."""
    mapping = f"files: {{{source}: {{file: {spec.name}, columns: {{{header}: {column}}}}}}}"
    if header_unit(header):  # renamed, the header would lose the unit its numbers are in
        return (f"map it in a --mapping file ({mapping}), which keeps the unit; renaming the header would lose it",
                f"在 --mapping 映射文件中对应（{mapping}），单位得以保留；改表头名则会丢掉单位")
    return (f"rename the header to {column}, or map it in a --mapping file: {mapping}",
            f"把表头改为 {column}，或在 --mapping 映射文件中对应：{mapping}")


#: Units an amount column's header may name (金额（万元）): the header's word -> the unit a cell writes after a number
HEADER_UNITS = {"万元": "万", "亿元": "亿"}
_UNIT_FREE = r"^[0-9０-９.,，．]+$"  # a number written without a unit of its own


def header_unit(header: str) -> str | None:
    return next((unit for unit in HEADER_UNITS if unit in header), None)


def _unit_size(unit: str) -> str:
    return f"{V.UNITS[HEADER_UNITS[unit]]:,}"


def _unit_note(header: str) -> tuple[str, str]:
    unit = header_unit(header)
    if not unit:
        return "", ""
    return (f"; its amounts are in {unit} ({_unit_size(unit)} yuan), and are read so once mapped",
            f"；其金额单位为{unit}（{_unit_size(unit)}元），对应后即按此读取")


_EXPONENT = r"^[0-9]+(\.[0-9]+)?[eE][+-]?[0-9]{1,3}$"  # 1.5E+3, as spreadsheets write large numbers


def _in_unit(cells: pa.Array, unit: str) -> pa.Array:
    """The cells of a column whose header names `unit` (万元): a number without a unit of its own is that many 万
    (written so, it is read as exactly as the data's own 120万; 1.5E+3 first as 1500); a cell with its own unit
    (120万, 1500元) as it says."""
    expo = pc.match_substring_regex(cells, _EXPONENT)
    if pc.any(expo).as_py():
        plain = map_distinct(pc.if_else(expo, cells, NULL_TEXT), lambda t: format(Decimal(t), "f"), pa.string())
        cells = pc.if_else(expo, plain, cells)
    bare = pc.match_substring_regex(cells, _UNIT_FREE)
    return pc.if_else(bare, pc.binary_join_element_wise(cells, pa.scalar(HEADER_UNITS[unit]), ""), cells)


def _misread(p: Problem) -> bool:
    """A problem of a row read with the wrong separator (a field count, a stray quote), or the count of such
    rows; not one of the whole file (its encoding)."""
    return p.line is not None or p.column is not None or "quote" in p.message


def _other_delimiter(header: list[str]) -> str | None:
    """The separator a header of one cell holding it looks separated by (";", a tab, "|", a full-width comma)."""
    return next((d for d in (";", "\t", "|", "，") if len(header) == 1 and d in header[0]), None)


def _missing_fix(name: str, spec: FileSpec, header: list[str], guesses: dict[int, str | None],
                 source: str) -> tuple[str, str]:
    """How to give a missing required column, in English and in Chinese."""
    near = [header[i] for i, g in guesses.items() if g == name]
    if near:
        fix, fix_zh = _map_advice(near[0], name, spec, source)
        return f"the header {near[0]!r} looks like it: " + fix, f"表头“{quoted(near[0])}”像是这一列：" + fix_zh
    required = ", ".join(c.name for c in spec.columns if c.required)
    required_zh = "、".join(column_zh(spec.name, c.name) for c in spec.columns if c.required)
    if sum(1 for h in header if h) <= 1:
        first = header[0] if header else ""
        return (f"the header line holds {first!r}, a title rather than a header? Give the header's line with "
                f"--header-row N; required columns: {required}",
                f"表头行是“{quoted(first)}”，像是标题而不是表头？用 --header-row N 指明表头所在的行；"
                f"必需的列：{required_zh}")
    return (f"add a column named {name}; required columns: {required}",
            f"添加列 {column_zh(spec.name, name)}；必需的列：{required_zh}")


_TYPES = {"share": pa.float64(), "amount": pa.float64(), "bool": pa.bool_(), "year": pa.int64(),
          "list": pa.list_(pa.string())}


#: What a row's value is said to be (Said): its message and fix in English, and both in Chinese
Said = tuple[str, str, Zh]


class _Where:
    """Where a file's problems are: its name, its contract file and row lines; reports a column's bad rows (the
    first 100 listed)."""

    def __init__(self, file: str, lines: Lines, problems: Problems, contract_file: str,
                 labels: dict[str, str]):
        self.file, self.lines, self.problems, self.contract_file = file, lines, problems, contract_file
        self.labels = labels  # contract column -> as its problems name it (Checked.label)
        self.keys: dict[str, pa.Array] = {}

    def report(self, column: str, col_no: int, bad_idx, cells: pa.Array, message: str, fix: str, zh: Zh,
               level: str = "error", said: Callable[[str], Said] | None = None) -> None:
        list_rows(self.problems, self.file, self.lines, self.labels.get(column, column), col_no, list(bad_idx),
                  cells, message, fix, zh, level,
                  restate=said is not None, said=said)


def list_rows(problems: Problems, file: str, lines: Lines, column: str, col_no: int | None,
              bad_idx: list[int], cells: pa.Array, message: str, fix: str, zh: Zh, level: str, *,
              restate: bool = True, said: Callable[[str], Said] | None = None) -> None:
    """A problem for each of the first 100 bad rows (line, value), then one counting the rest, which says the
    message again (`restate`) or that they have the same problem; with `said`, each shown row's message and fix
    are what it says of the row's value (worked out once per distinct value). `zh`: the message and fix in
    Chinese."""
    shown = cells.take(pa.array(bad_idx[:MAX_PER_COLUMN], type=pa.int64())).to_pylist() if bad_idx else []
    told = {v: said(str(v)) for v in set(shown)} if said is not None else {}
    for i, value in zip(bad_idx, shown, strict=False):  # only the first MAX_PER_COLUMN bad rows are shown
        row_message, row_fix, row_zh = told.get(value, (message, fix, zh))
        problems.items.append(Problem(file, line_number(lines, i), column, row_message,
                                      None if value is None else str(value), row_fix, col_no, level, row_zh))
    if len(bad_idx) > MAX_PER_COLUMN:
        n = len(bad_idx) - MAX_PER_COLUMN
        more = more_rows(n, message, zh.message) if restate else \
            (f"{n} more rows with the same problem", f"另有{n}行有同样的问题")
        problems.items.append(Problem(file, None, column, more[0], None, fix, col_no, level, Zh(more[1], zh.fix)))


def _date_said(value: str, going: bool = False, birth: bool = False) -> Said:
    """A bad date's message and fix: a form govties does not read, or a date in its form that does not exist
    (month 13, 30 February) or lies outside 1900–2100 (values.date_fault); of an end date (`going`), the fix says
    how to write one that goes on; of a birth date (`birth`), that a resident ID holds it."""
    message, fix, zh = _bad_date(value, birth)
    if going:
        fix = fix + "; while it goes on, leave it empty or write 至今"
        zh = Zh(zh.message, f"{zh.fix}；尚未结束的留空或写“至今”")
    return message, fix, zh


#: A year and month without the day, read as the month's first day (an end date: its last), the words for each
_MONTH_DAY = {False: ("first", "第一天"), True: ("last", "最后一天")}
_MONTH_FIX = ("none needed where the source gives only the month; else write the whole date",
              "原始记录只有年月时无需处理；否则写出完整日期")


def _month_said(value: str, last: bool = False) -> Said:
    """A year and month without the day, read as the month's first day (`last`: its last), as a warning says it;
    of no value (""), the words common to every such row."""
    day, day_zh = _MONTH_DAY[last]
    read = V.whole_month(value, last) if value else None
    return (f"a year and month without the day, read as the month's {day} day" + (f" ({read})" if read else ""),
            _MONTH_FIX[0], Zh(f"只有年月，没有日：按该月{day_zh}读取" + (f"（{read}）" if read else ""), _MONTH_FIX[1]))


def _bad_date(value: str, birth: bool) -> Said:
    kind, why = V.date_fault(value)
    why_zh = V.date_fault(value, "zh")[1]
    if kind == "form":
        return f"{why}, between 1900 and 2100", "write the date as YYYY-MM-DD", \
            Zh(f"{why_zh}，年份在1900至2100之间", "日期写作 YYYY-MM-DD")
    if kind == "serial":
        return why, "format the cells as dates in Excel, or write the date as YYYY-MM-DD", \
            Zh(why_zh, "在 Excel 中把这些单元格设为日期格式，或把日期写作 YYYY-MM-DD")
    if kind == "month":
        return why, "write the month as the source gives it (2012-01 or 2012-10); in a workbook, format the cells as " \
            "text first", Zh(why_zh, "按原始记录写出月份（2012-01 或 2012-10）；在工作簿中先把这些单元格设为文本格式")
    if kind == "part" and birth:
        return why, "write the whole date from the source record (a resident ID holds the birth date), or leave it " \
            "empty", Zh(why_zh, "按原始记录写出完整日期（身份证号中含出生日期），或留空")
    if kind == "part":
        return why, "write the whole date from the source record (a year and month alone is read too)", \
            Zh(why_zh, "按原始记录写出完整日期（只有年月也可读取）")
    correct = "correct the date from the source record", "按原始记录改正日期"
    if kind == "range":
        return f"the date is {why.removeprefix('it is ')}", correct[0], Zh(f"日期{why_zh}", correct[1])
    return f"not a date: {why}", correct[0], Zh(f"不是有效日期：{why_zh}", correct[1])


def _check_column(cells: pa.Array, col, col_no: int, where: _Where) -> pa.Array:
    empty = is_empty(cells)
    report = partial(where.report, col.name, col_no, cells=cells)
    if col.required:
        report(bad_idx=positions(empty), message="a value is required here", fix=f"fill in {col.name}",
               zh=Zh("此处必须有值", f"填写 {column_zh(where.contract_file, col.name)}"))
    kind = col.kind
    if kind in ("id", "person", "org", "entity", "decision", "text"):
        return nullify_empty(cells, empty)
    if kind == "date":
        going = col.reads == "end"  # 至今: it goes on, as an empty end date says
        values, bad = dates(cells, empty, going)
        if bad and col.reads != "day":  # 2012.07, as appointment forms write a post's start: its first day
            written, months = whole_months(cells, bad, last=going)
            if months:
                values, bad = dates(written, empty, going)
                message, fix, zh = _month_said("", going)
                report(bad_idx=months, message=message, fix=fix, zh=zh, level="warning",
                       said=partial(_month_said, last=going))
        report(bad_idx=bad, message="a date govties cannot read", fix="correct the dates",
               zh=Zh("govties 无法读取的日期", "改正这些日期"),
               said=partial(_date_said, going=going, birth=col.reads == "day"))
        return values
    if (vocab := col.vocabulary) is not None:
        values, bad = parse_each(cells, empty, lambda u: V.vocabulary_word(vocab, u), pa.string())
        report(bad_idx=bad, message=V.vocabulary_expected(vocab), fix=V.vocabulary_fix(vocab, col.name),
               zh=Zh(V.vocabulary_expected(vocab, "zh"), V.vocabulary_fix(vocab, col.name, "zh")))
        return values
    if kind in ("share", "amount"):
        if kind == "share":
            values, bad = parse_each(cells, empty, lambda u: _in_range(V.parse_share(u), 0.0, 1.0), pa.float64())
            msg, fix = "expected a share between 0 and 1", "write 0.25 for 25% (or 25%)"
            zh = Zh("应为0到1之间的比例", "25%写作0.25（或写25%）")
        else:
            values, bad = numbers(cells, empty, lambda u: _in_range(V.parse_amount(u), 0.0, None))
            negative = positions(mask(pc.less(values, 0.0)))
            if negative:
                values = pc.if_else(pc.less(values, 0.0), pa.scalar(None, pa.float64()), values)
                bad = sorted(bad + negative)
            msg, fix = f"expected {V.AMOUNT_EXPECTED}", "write the amount in yuan, e.g. 1500000"
            zh = Zh(f"应为{V.AMOUNT_EXPECTED_ZH}", "以元为单位填写金额，如1500000")
        report(bad_idx=bad, message=msg, fix=fix, zh=zh)
        return values
    if kind == "bool":
        values, bad = parse_each(cells, empty, V.parse_bool, pa.bool_())
        report(bad_idx=bad, message="expected true or false", fix="write true or false",
               zh=Zh("应为 true 或 false（也可写“是”或“否”）", "填写 true 或 false"))
        return values
    if kind == "year":
        values, bad = parse_each(cells, empty, V.parse_year, pa.int64())
        report(bad_idx=bad, message="expected a year such as 2023", fix="write the four-digit year",
               zh=Zh("应为年份，如2023", "填写四位数的年份"))
        return values
    if kind == "region":
        ok = mask(pc.match_substring_regex(cells, r"^\d{2,12}$"))
        report(bad_idx=positions(~empty & ~ok), message="expected a GB/T 2260 region code (digits, e.g. 330102)",
               fix="write the numeric region code",
               zh=Zh("应为 GB/T 2260 行政区划代码（数字，如330102）", "填写数字形式的行政区划代码"))
        return pc.if_else(pa.array(ok), cells, NULL_TEXT)
    if kind in ("id_number", "credit_code"):
        _check_keys(cells, col, where, report)
        return nullify_empty(cells, empty)
    if kind == "list":
        return map_distinct(cells, V.split_list, pa.list_(pa.string()))
    raise ValueError(f"unknown column kind {kind!r}")


def _check_keys(cells: pa.Array, col, where: _Where, report) -> None:
    """A resident ID or credit code column's invalid values, a warning per reason (each kept as text); its valid
    values, normalized, in `where.keys`."""
    resident = col.kind == "id_number"
    where.keys[col.name], reasons = (resident_ids if resident else credit_codes)(cells)
    what = ("invalid resident ID: {}; it is kept as text and not used to merge people" if resident
            else "invalid unified social credit code: {}; kept as text")
    what_zh = "身份证号无效：{}；按原文保留，不用于合并人员" if resident else "统一社会信用代码无效：{}；按原文保留"
    fix = ("correct the ID from the source record", "按原始记录改正身份证号") if resident \
        else ("correct the code from the business registry", "按工商登记信息改正代码")
    reason_of = V.normalize_id_number if resident else V.check_credit_code
    for reason in sorted({r for r in pc.unique(reasons).to_pylist() if r}):
        bad = positions(pc.equal(reasons, reason))
        why_zh = reason_of(str(cells[bad[0]].as_py()), "zh")[1]  # a value with this reason says it in Chinese
        report(bad_idx=bad, message=what.format(reason), fix=fix[0], zh=Zh(what_zh.format(why_zh), fix[1]),
               level="warning")


def _in_range(value: float | None, lo: float, hi: float | None) -> float | None:
    if value is None or value < lo or (hi is not None and value > hi):
        return None
    return value
