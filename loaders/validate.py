"""Validating one file's cells against the contract: every problem is collected, none stops the others."""

from __future__ import annotations

import json
from decimal import Decimal

from collections.abc import Callable
from functools import partial

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..cells import quoted
from . import values as V
from .codes import credit_codes, resident_ids
from .contract import FileSpec
from .headers import column_zh, implied_columns, locate_all, lookalike
from .ledger import clean_cells, clean_text, drop_headers, drop_totals
from .problems import MAX_PER_COLUMN, Problem, Problems, Zh, more_rows
from .read import Lines, RawTable, line_number
from .vector import NULL_TEXT, column, is_empty, map_distinct, mask, nullify_empty, positions, replace_values, trim



class Checked:
    """A file after validation: normalized cells (an Arrow table; empty cells are null), each row's line number
    and unknown columns as `props`."""

    def __init__(self, spec: FileSpec, frame: pa.Table, lines: Lines, col_no: dict[str, int],
                 source: str | None = None, mapped: list[tuple[str, str]] | None = None):
        self.spec = spec
        self.frame = frame
        self.lines = lines
        self.col_no = col_no
        self.source = source or spec.name
        self.mapped = mapped or []  # (source header, contract column) where they differ
        self.labels = column_labels(self.mapped)
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
    table, lines = drop_headers(table, header[:len(raw.header)], file, raw.lines, problems, read)
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
    where = _Where(file, lines, problems, spec.name, column_labels(mapped))
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
    checked = Checked(spec, pa.table(out), lines, col_no, file, mapped)
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


def _missing_fix(name: str, spec: FileSpec, header: list[str], guesses: dict[int, str | None],
                 source: str) -> tuple[str, str]:
    """How to give a missing required column, in English and in Chinese."""
    near = [header[i] for i, g in guesses.items() if g == name]
    if near:
        fix, fix_zh = _map_advice(near[0], name, spec, source)
        return f"the header {near[0]!r} looks like it: " + fix, f"表头“{quoted(near[0])}”像是这一列：" + fix_zh
    delimiter = next((d for d in (";", "\t", "|", "，") if len(header) == 1 and d in header[0]), None)
    if delimiter:
        return (f"the header looks {delimiter!r}-separated: the contract uses commas; re-export the file as CSV",
                f"表头看起来以“{quoted(delimiter)}”分隔：数据规范使用英文逗号；请重新导出为 CSV 文件")
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


def _parsed(cells: pa.Array, empty: np.ndarray, parse, type_: pa.DataType) -> tuple[pa.Array, list[int]]:
    """Parse each distinct value once: (parsed values, positions of non-empty cells that did not parse)."""
    values = map_distinct(cells, parse, type_)
    return values, positions(~empty & mask(pc.is_null(values)))


#: Values whose NFKC form is known without Python: ASCII digits and separators, and full-width digits
_DATE_CHARS = r"^[0-9０-９./\-年月日]+$"


def _dates(cells: pa.Array, empty: np.ndarray) -> tuple[pa.Array, list[int]]:
    """As _parsed with values.parse_date, a column's distinct values read in C where they are in one of the accepted
    forms (values.DATE_PATTERNS_C, at most one matching a value), also in full-width digits; only
    the others are parsed in Python."""
    if len(cells) == 0:
        return pa.array([], pa.string()), []
    enc = pc.dictionary_encode(cells)
    distinct = enc.dictionary
    iso, found = pa.nulls(len(distinct), pa.string()), np.zeros(len(distinct), dtype=bool)
    iso = _date_forms(distinct, iso, found)
    wide = ~found & mask(pc.match_substring_regex(distinct, _DATE_CHARS))
    if wide.any():
        iso = _date_forms(pc.utf8_normalize(pc.if_else(pa.array(wide), distinct, NULL_TEXT), "NFKC"), iso, found)
    real = found & mask(pc.and_(pc.greater_equal(iso, V.MIN_DATE.isoformat()),
                                pc.less_equal(iso, V.MAX_DATE.isoformat())))
    if real.any():  # a real date prints back as itself (strptime rolls 2021-02-30 over to March)
        day = pc.strptime(pc.if_else(pa.array(real), iso, NULL_TEXT), format="%Y-%m-%d", unit="s", error_is_null=True)
        real &= mask(pc.equal(pc.strftime(day, format="%Y-%m-%d"), iso))
    others = distinct.filter(pa.array(~found)).to_pylist()
    mapped = pc.replace_with_mask(pc.if_else(pa.array(real), iso, NULL_TEXT), pa.array(~found),
                                  pa.array([V.parse_date(v) if v else None for v in others], pa.string()))
    as_written = mask(pc.equal(mapped, distinct)) | mask(pc.equal(distinct, ""))
    if as_written.all() and isinstance(cells, pa.Array) and cells.type == pa.string():
        return nullify_empty(cells, empty), []  # every date already YYYY-MM-DD: the column itself, no new one
    values = pc.take(mapped, enc.indices)
    return values, positions(~empty & mask(pc.is_null(values)))


def _date_forms(texts: pa.Array, iso: pa.Array, found: np.ndarray) -> pa.Array:
    """`iso` with YYYY-MM-DD written for each text in an accepted form (not yet `found`); marks them found."""
    for pattern in V.DATE_PATTERNS_C:
        parts = pc.extract_regex(texts, pattern)
        rows = mask(pc.is_valid(parts)) & ~found
        if rows.any():
            day = [pc.utf8_lpad(pc.struct_field(parts, p), width=2, padding="0") for p in ("m", "d")]
            iso = pc.if_else(pa.array(rows), pc.binary_join_element_wise(pc.struct_field(parts, "y"), *day, "-"), iso)
            found |= rows
    return iso


#: Cells Arrow's cast reads exactly as the parsers do: plain decimals, at most 15 digits before the point (finite)
_PLAIN_NUMBER = r"^[0-9]{1,15}(\.[0-9]+)?$"


def _numbers(cells: pa.Array, empty: np.ndarray, parse) -> tuple[pa.Array, list[int]]:
    """Plain decimal numbers cast in C; the usual other forms of an amount computed in C (`_other_amounts`); the
    rest (full-width digits, RMB, 百万, a sign ...) parsed per distinct value. `parse` accepts every plain
    non-negative decimal as the number it writes, and the other forms as `_other_amounts` does."""
    try:
        if not _ascii(cells):
            raise pa.ArrowInvalid("not ASCII: Arrow's cast would fail")  # without a pass over the column
        values = pc.cast(nullify_empty(cells, empty), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        plain = mask(pc.match_substring_regex(cells, _PLAIN_NUMBER))
        values = pc.cast(pc.if_else(pa.array(plain), cells, NULL_TEXT), pa.float64())
        rest = ~plain & ~empty
        if rest.any():
            other = cells.filter(pa.array(rest))
            known = _other_amounts(other)
            wide = pc.and_(pc.is_null(known), pc.match_substring_regex(other, _AMOUNT_CHARS))  # full-width digits
            if pc.any(wide).as_py():
                folded = pc.utf8_normalize(pc.if_else(wide, other, NULL_TEXT), "NFKC")
                known = pc.coalesce(known, _other_amounts(folded))
            parsed = map_distinct(pc.if_else(pc.is_null(known), other, NULL_TEXT), parse, pa.float64())
            values = pc.replace_with_mask(values, pa.array(rest), pc.coalesce(known, parsed))
        return values, positions(~empty & mask(pc.is_null(values)))
    if not pc.all(pc.is_finite(pc.fill_null(values, 0.0))).as_py():  # nan/inf are not amounts
        return _parsed(cells, empty, parse, pa.float64())
    return values, []


def _ascii(cells: pa.Array) -> bool:
    """Whether every cell is ASCII (its UTF-8 bytes, looked at with numpy)."""
    data = cells.buffers()[2] if pa.types.is_string(cells.type) and len(cells) else None
    if data is None:
        return True
    offsets = np.frombuffer(cells.buffers()[1], dtype=np.int32)[cells.offset: cells.offset + len(cells) + 1]
    used = np.frombuffer(data, dtype=np.uint8)[offsets[0]:offsets[-1]]
    return not used.size or used.max() < 0x80


#: The other forms of an amount that are computed in C: ¥ (or ￥) before, 元 after, digits grouped by thousands,
#: and 万 or 亿 with at most 4 or 8 decimals (then the amount is a whole number of yuan, below 2**53: exact)
_AMOUNT_FORM = r"^[¥￥]?(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<frac>[0-9]+))?(?P<unit>万|亿)?元?$"
#: Cells whose NFKC form is known without Python: the characters of _AMOUNT_FORM and full-width digits
_AMOUNT_CHARS = r"^[0-9０-９,.¥￥万亿元]+$"
_UNIT_LIMITS = (("万", 4, 11), ("亿", 8, 7))  # unit, its power of ten, most digits before the point


def _other_amounts(cells: pa.Array) -> pa.Array:
    """Each cell's amount as values.parse_amount reads it, where the cell is in one of the forms of _AMOUNT_FORM
    (null elsewhere): the digits are cast as the plain ones are, and a unit's amount is an integer sum."""
    parts = pc.extract_regex(cells, _AMOUNT_FORM)
    matched = mask(pc.is_valid(parts))
    whole = pc.replace_substring(pc.struct_field(parts, "whole"), ",", "")
    frac, unit = pc.struct_field(parts, "frac"), pc.struct_field(parts, "unit")
    digits, decimals = (pc.fill_null(pc.utf8_length(part), 0).to_numpy() for part in (whole, frac))
    plain = matched & mask(pc.equal(unit, "")) & (digits <= 15)  # as _PLAIN_NUMBER: at most 15 digits
    text = pc.if_else(pa.array(decimals > 0), pc.binary_join_element_wise(whole, frac, "."), whole)
    out = pc.cast(pc.if_else(pa.array(plain), text, NULL_TEXT), pa.float64())
    for word, power, most in _UNIT_LIMITS:
        rows = pa.array(matched & mask(pc.equal(unit, word)) & (digits <= most) & (decimals <= power))
        scaled = pc.add(pc.multiply(pc.cast(pc.if_else(rows, whole, NULL_TEXT), pa.int64()), 10 ** power),
                        pc.cast(pc.if_else(rows, pc.utf8_rpad(frac, width=power, padding="0"), NULL_TEXT), pa.int64()))
        out = pc.coalesce(out, pc.cast(scaled, pa.float64()))
    return out


def _date_said(value: str) -> Said:
    """A bad date's message and fix: a form govties does not read, or a date in its form that does not exist
    (month 13, 30 February) or lies outside 1900–2100 (values.date_fault)."""
    kind, why = V.date_fault(value)
    why_zh = V.date_fault(value, "zh")[1]
    if kind == "form":
        return f"{why}, between 1900 and 2100", "write the date as YYYY-MM-DD", \
            Zh(f"{why_zh}，年份在1900至2100之间", "日期写作 YYYY-MM-DD")
    correct = "correct the date from the source record", "按原始记录改正日期"
    if kind == "range":
        return f"the date is {why.removeprefix('it is ')}", correct[0], Zh(f"日期{why_zh}", correct[1])
    return f"not a date: {why}", correct[0], Zh(f"不是有效日期：{why_zh}", correct[1])


def _check_column(cells: pa.Array, col, col_no: int, where: _Where) -> pa.Array:
    if col.kind == "date" and col.name == "end_date":  # 至今: it goes on, as an empty end date says
        cells = pc.if_else(pc.is_in(cells, value_set=pa.array(V.OPEN_END, pa.string())), "", cells)
    empty = is_empty(cells)
    report = partial(where.report, col.name, col_no, cells=cells)
    if col.required:
        report(bad_idx=positions(empty), message="a value is required here", fix=f"fill in {col.name}",
               zh=Zh("此处必须有值", f"填写 {column_zh(where.contract_file, col.name)}"))
    kind = col.kind
    if kind in ("id", "person", "org", "entity", "decision", "text"):
        return nullify_empty(cells, empty)
    if kind == "date":
        values, bad = _dates(cells, empty)
        report(bad_idx=bad, message="a date govties cannot read", fix="correct the dates",
               zh=Zh("govties 无法读取的日期", "改正这些日期"), said=_date_said)
        return values
    if (vocab := col.vocabulary) is not None:
        values, bad = _parsed(cells, empty, lambda u: V.vocabulary_word(vocab, u), pa.string())
        report(bad_idx=bad, message=V.vocabulary_expected(vocab), fix=V.vocabulary_fix(vocab, col.name),
               zh=Zh(V.vocabulary_expected(vocab, "zh"), V.vocabulary_fix(vocab, col.name, "zh")))
        return values
    if kind in ("share", "amount"):
        if kind == "share":
            values, bad = _parsed(cells, empty, lambda u: _in_range(V.parse_share(u), 0.0, 1.0), pa.float64())
            msg, fix = "expected a share between 0 and 1", "write 0.25 for 25% (or 25%)"
            zh = Zh("应为0到1之间的比例", "25%写作0.25（或写25%）")
        else:
            values, bad = _numbers(cells, empty, lambda u: _in_range(V.parse_amount(u), 0.0, None))
            negative = positions(mask(pc.less(values, 0.0)))
            if negative:
                values = pc.if_else(pc.less(values, 0.0), pa.scalar(None, pa.float64()), values)
                bad = sorted(bad + negative)
            msg, fix = f"expected {V.AMOUNT_EXPECTED}", "write the amount in yuan, e.g. 1500000"
            zh = Zh(f"应为{V.AMOUNT_EXPECTED_ZH}", "以元为单位填写金额，如1500000")
        report(bad_idx=bad, message=msg, fix=fix, zh=zh)
        return values
    if kind == "bool":
        values, bad = _parsed(cells, empty, V.parse_bool, pa.bool_())
        report(bad_idx=bad, message="expected true or false", fix="write true or false",
               zh=Zh("应为 true 或 false（也可写“是”或“否”）", "填写 true 或 false"))
        return values
    if kind == "year":
        values, bad = _parsed(cells, empty, V.parse_year, pa.int64())
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
