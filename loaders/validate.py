"""Validating one file's cells against the contract: every problem is collected, none stops the others."""

from __future__ import annotations

import json

from functools import partial

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import values as V
from .codes import credit_codes, resident_ids
from .contract import FileSpec
from .headers import implied_columns, locate, lookalike
from .ledger import clean_cells, clean_text, drop_totals
from .problems import Problem, Problems
from .read import RawTable, line_number
from .vector import NULL_TEXT, column, is_empty, map_distinct, mask, nullify_empty, positions, replace_values

MAX_PER_COLUMN = 100  # problems listed per column; the rest are counted


class Checked:
    """A file after validation: normalized cells (an Arrow table; empty cells are null), each row's line number
    and unknown columns as `props`."""

    def __init__(self, spec: FileSpec, frame: pa.Table, lines: list[int] | None, col_no: dict[str, int],
                 source: str | None = None, mapped: list[tuple[str, str]] | None = None):
        self.spec = spec
        self.frame = frame
        self.lines = lines
        self.col_no = col_no
        self.source = source or spec.name
        self.mapped = mapped or []  # (source header, contract column) where they differ
        self.keys: dict[str, pa.Array] = {}  # id_number / credit_code column -> normalized value or null

    @property
    def file(self) -> str:
        return self.source

    def line(self, i: int) -> int:
        return line_number(self.lines, i)

    def column(self, name: str) -> pa.Array:
        return column(self.frame, name)


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
    lookup, mapped = locate(spec, header, columns)
    col_no = {col.name: lookup[col.name] + 1 for col in spec.columns if col.name in lookup}
    missing = [col.name for col in spec.columns if col.required and col.name not in col_no]
    unfilled = {col.name for col in spec.columns if col.name not in col_no}
    known = {i - 1 for i in col_no.values()}
    guesses = {i: lookalike(spec, header[i], unfilled) for i in range(len(raw.header)) if i not in known and header[i]}
    source = source or file
    for name in missing:
        problems.add(file, raw.header_line, name, f"the required column {name!r} is missing from the header",
                     fix=_missing_fix(name, spec, header[:len(raw.header)], guesses, source))
    if missing:
        return None
    for i, guess in sorted(guesses.items()):
        if guess:
            problems.warn(file, raw.header_line, header[i], f"looks like the contract column {guess!r} but is not "
                          "mapped to it: its values are kept as an extra property, and no rule reads them"
                          + _unit_note(header[i]), fix=_map_advice(header[i], guess, spec, source), col_no=i + 1)
    frame_cols = table.column_names
    out: dict[str, pa.Array] = {}
    where = _Where(file, raw.lines, problems)
    for col in spec.columns:
        if col.name not in col_no:
            out[col.name] = pa.nulls(table.num_rows, _TYPES.get(col.kind, pa.string()))
            continue
        cells = pc.utf8_trim_whitespace(pc.fill_null(column(table, frame_cols[col_no[col.name] - 1]), ""))
        if values and col.name in values:
            cells = replace_values(cells, values[col.name])
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
    checked = Checked(spec, pa.table(out), raw.lines, col_no, file, mapped)
    checked.keys = where.keys
    return checked


def _map_advice(header: str, column: str, spec: FileSpec, source: str) -> str:
    return (f"rename the header to {column}, or map it in a --mapping file: files: {{{source}: {{file: {spec.name}, "
            f"columns: {{{header}: {column}}}}}}}")


def _unit_note(header: str) -> str:
    for unit, size in (("万元", "10,000"), ("亿元", "100,000,000")):
        if unit in header:
            return f"; its amounts are in {unit} ({size} yuan): convert them to yuan before mapping it"
    return ""


def _missing_fix(name: str, spec: FileSpec, header: list[str], guesses: dict[int, str | None], source: str) -> str:
    near = [header[i] for i, g in guesses.items() if g == name]
    if near:
        return f"the header {near[0]!r} looks like it: " + _map_advice(near[0], name, spec, source)
    delimiter = next((d for d in (";", "\t", "|", "，") if len(header) == 1 and d in header[0]), None)
    if delimiter:
        return f"the header looks {delimiter!r}-separated: the contract uses commas; re-export the file as CSV"
    required = ", ".join(c.name for c in spec.columns if c.required)
    if sum(1 for h in header if h) <= 1:
        return (f"the header line holds {header[0] if header else ''!r}, a title rather than a header? Give the "
                f"header's line with --header-row N; required columns: {required}")
    return f"add a column named {name}; required columns: {required}"


_TYPES = {"share": pa.float64(), "amount": pa.float64(), "bool": pa.bool_(), "year": pa.int64(),
          "list": pa.list_(pa.string())}


class _Where:
    """Where a file's problems are: its name and row lines; reports a column's bad rows (the first 100 listed)."""

    def __init__(self, file: str, lines: list[int] | None, problems: Problems):
        self.file, self.lines, self.problems = file, lines, problems
        self.keys: dict[str, pa.Array] = {}

    def report(self, column: str, col_no: int, bad_idx, cells: pa.Array, message: str, fix: str,
               level: str = "error") -> None:
        list_rows(self.problems, self.file, self.lines, column, col_no, list(bad_idx), cells, message, fix, level,
                  "more rows with the same problem")


def list_rows(problems: Problems, file: str, lines: list[int] | None, column: str, col_no: int | None,
              bad_idx: list[int], cells: pa.Array, message: str, fix: str, level: str, more: str) -> None:
    """A problem for each of the first 100 bad rows (line, value), then one counting the rest."""
    shown = cells.take(pa.array(bad_idx[:MAX_PER_COLUMN], type=pa.int64())).to_pylist() if bad_idx else []
    for i, value in zip(bad_idx, shown, strict=False):  # only the first MAX_PER_COLUMN bad rows are shown
        problems.items.append(Problem(file, line_number(lines, i), column, message,
                                      None if value is None else str(value), fix, col_no, level))
    if len(bad_idx) > MAX_PER_COLUMN:
        problems.items.append(Problem(file, None, column, f"{len(bad_idx) - MAX_PER_COLUMN} {more}", None, fix,
                                      col_no, level))


def _parsed(cells: pa.Array, empty: np.ndarray, parse, type_: pa.DataType) -> tuple[pa.Array, list[int]]:
    """Parse each distinct value once: (parsed values, positions of non-empty cells that did not parse)."""
    values = map_distinct(cells, parse, type_)
    return values, positions(~empty & mask(pc.is_null(values)))


#: Cells Arrow's cast reads exactly as the parsers do: plain decimals, at most 15 digits before the point (finite)
_PLAIN_NUMBER = r"^[0-9]{1,15}(\.[0-9]+)?$"


def _numbers(cells: pa.Array, empty: np.ndarray, parse) -> tuple[pa.Array, list[int]]:
    """Plain decimal numbers cast in C; other cells (1,000, ¥, 元, 万, %, full-width) are parsed per distinct value.
    `parse` accepts every plain non-negative decimal as the number it writes."""
    try:
        values = pc.cast(nullify_empty(cells), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        plain = pc.fill_null(pc.match_substring_regex(cells, _PLAIN_NUMBER), False)
        cast = pc.cast(pc.if_else(plain, cells, NULL_TEXT), pa.float64())
        parsed = map_distinct(pc.if_else(plain, NULL_TEXT, cells), parse, pa.float64())
        values = pc.if_else(plain, cast, parsed)
        return values, positions(~empty & mask(pc.is_null(values)))
    if not pc.all(pc.is_finite(pc.fill_null(values, 0.0))).as_py():  # nan/inf are not amounts
        return _parsed(cells, empty, parse, pa.float64())
    return values, []


def _check_column(cells: pa.Array, col, col_no: int, where: _Where) -> pa.Array:
    empty = is_empty(cells)
    report = partial(where.report, col.name, col_no, cells=cells)
    if col.required:
        report(bad_idx=positions(empty), message="a value is required here", fix=f"fill in {col.name}")
    kind = col.kind
    if kind in ("id", "person", "org", "entity", "decision", "text"):
        return nullify_empty(cells)
    if kind == "date":
        values, bad = _parsed(cells, empty, V.parse_date, pa.string())
        report(bad_idx=bad, message=f"expected {V.DATE_EXPECTED}, between 1900 and 2100",
               fix="write the date as YYYY-MM-DD")
        return values
    if kind.startswith("vocab:"):
        vocab = kind.split(":", 1)[1]
        values, bad = _parsed(cells, empty, lambda u: V.vocabulary_word(vocab, u), pa.string())
        report(bad_idx=bad, message=f"expected {V.vocabulary_expected(vocab)}", fix=V.vocabulary_fix(vocab, col.name))
        return values
    if kind in ("share", "amount"):
        if kind == "share":
            values, bad = _parsed(cells, empty, lambda u: _in_range(V.parse_share(u), 0.0, 1.0), pa.float64())
            msg, fix = "expected a share between 0 and 1", "write 0.25 for 25% (or 25%)"
        else:
            values, bad = _numbers(cells, empty, lambda u: _in_range(V.parse_amount(u), 0.0, None))
            negative = positions(mask(pc.less(values, 0.0)))
            if negative:
                values = pc.if_else(pc.less(values, 0.0), pa.scalar(None, pa.float64()), values)
                bad = sorted(bad + negative)
            msg, fix = f"expected {V.AMOUNT_EXPECTED}", "write the amount in yuan, e.g. 1500000"
        report(bad_idx=bad, message=msg, fix=fix)
        return values
    if kind == "bool":
        values, bad = _parsed(cells, empty, V.parse_bool, pa.bool_())
        report(bad_idx=bad, message="expected true or false", fix="write true or false")
        return values
    if kind == "year":
        values, bad = _parsed(cells, empty, V.parse_year, pa.int64())
        report(bad_idx=bad, message="expected a year such as 2023", fix="write the four-digit year")
        return values
    if kind == "region":
        ok = mask(pc.match_substring_regex(cells, r"^\d{2,12}$"))
        report(bad_idx=positions(~empty & ~ok), message="expected a GB/T 2260 region code (digits, e.g. 330102)",
               fix="write the numeric region code")
        return pc.if_else(pa.array(ok), cells, NULL_TEXT)
    if kind in ("id_number", "credit_code"):
        where.keys[col.name], reasons = (resident_ids if kind == "id_number" else credit_codes)(cells)
        what = ("invalid resident ID: {}; it is kept as text and not used to merge people" if kind == "id_number"
                else "invalid unified social credit code: {}; kept as text")
        fix = ("correct the ID from the source record" if kind == "id_number"
               else "correct the code from the business registry")
        for reason in sorted({r for r in pc.unique(reasons).to_pylist() if r}):
            report(bad_idx=positions(pc.equal(reasons, reason)), message=what.format(reason), fix=fix,
                   level="warning")
        return nullify_empty(cells)
    if kind == "list":
        return map_distinct(cells, V.split_list, pa.list_(pa.string()))
    raise ValueError(f"unknown column kind {kind!r}")


def _in_range(value: float | None, lo: float, hi: float | None) -> float | None:
    if value is None or value < lo or (hi is not None and value > hi):
        return None
    return value
