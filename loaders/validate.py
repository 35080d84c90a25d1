"""Validating one file's cells against the contract: every problem is collected, none stops the others."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from . import values as V
from .contract import FileSpec
from .headers import header_aliases, header_key, implied_columns
from .problems import Problems
from .read import RawTable

MAX_PER_COLUMN = 100  # problems listed per column; the rest are counted


class Checked:
    """A file after validation: normalized cells, each row's line number, and unknown columns as `props`."""

    def __init__(self, spec: FileSpec, frame: pd.DataFrame, lines: list[int], col_no: dict[str, int],
                 source: str | None = None, mapped: list[tuple[str, str]] | None = None):
        self.spec = spec
        self.frame = frame
        self.lines = lines
        self.col_no = col_no
        self.source = source or spec.name
        self.mapped = mapped or []  # (source header, contract column) where they differ

    @property
    def file(self) -> str:
        return self.source

    def line(self, i: int) -> int:
        return self.lines[i]


def check_file(raw: RawTable, spec: FileSpec, problems: Problems, columns: dict[str, str] | None = None,
               values: dict[str, dict[str, str]] | None = None) -> Checked | None:
    """Validate one file. `columns` maps extra source headers to contract columns (from a mapping file);
    Chinese headers are mapped out of the box. `values` maps source words to vocabulary words per column."""
    header = [h.strip().lstrip("\ufeff") for h in raw.header]
    implied = {c: v for c, v in implied_columns(spec.name, header).items()
               if c.casefold() not in {h.casefold() for h in header}}
    if implied:  # e.g. a shareholder list: its 股东 column holds the holders, and every row is a shareholder
        raw = RawTable(raw.file, header + list(implied), raw.frame.assign(**{f"__implied_{c}": v
                                                                            for c, v in implied.items()}),
                       raw.lines, raw.encoding)
        header = raw.header
    aliases = header_aliases(spec.name)
    aliases.update({header_key(k): v for k, v in (columns or {}).items()})
    contract_names = {c.name.casefold() for c in spec.columns}
    lookup: dict[str, int] = {}
    mapped: list[tuple[str, str]] = []
    for i, h in enumerate(header):
        name = h.casefold() if h.casefold() in contract_names else aliases.get(header_key(h))
        if name and name not in lookup:
            lookup[name] = i
            if name != h.casefold():
                mapped.append((h, name))
    col_no: dict[str, int] = {}
    missing = []
    for col in spec.columns:
        idx = lookup.get(col.name.casefold())
        if idx is None:
            if col.required:
                missing.append(col.name)
            continue
        col_no[col.name] = idx + 1
    delimiter = next((d for d in (";", "\t", "|", "，") if len(header) == 1 and d in header[0]), None)
    file = raw.file
    for name in missing:
        fix = (f"the header looks {delimiter!r}-separated: the contract uses commas; re-export the file as CSV"
               if delimiter else f"add a column named {name}; required columns: "
               + ", ".join(c.name for c in spec.columns if c.required))
        problems.add(file, 1, name, f"the required column {name!r} is missing from the header", fix=fix)
    if missing:
        return None
    frame_cols = list(raw.frame.columns)
    out = pd.DataFrame(index=raw.frame.index)
    for col in spec.columns:
        if col.name not in col_no:
            out[col.name] = None
            continue
        series = raw.frame[frame_cols[col_no[col.name] - 1]].fillna("").str.strip()
        if values and col.name in values:
            series = series.map(lambda v, m=values[col.name]: m.get(v, v))
        out[col.name] = _check_column(series, col, file, col_no[col.name], raw.lines, problems)
    known = {i - 1 for i in col_no.values()}
    extra = [(header[i], frame_cols[i]) for i in range(len(header)) if i not in known and header[i]]
    if extra:
        sub = raw.frame[[fc for _, fc in extra]].astype(object)
        names = [h for h, _ in extra]
        out["props"] = [
            json.dumps({k: v for k, v in zip(names, row) if v not in ("", None)}, ensure_ascii=False, sort_keys=True)
            for row in sub.itertuples(index=False, name=None)
        ]
    else:
        out["props"] = "{}"
    return Checked(spec, out.reset_index(drop=True), raw.lines, col_no, file, mapped)


def _report(problems, file, column, col_no, lines, bad_idx, series, message, fix, level="error"):
    bad_idx = list(bad_idx)
    for i in bad_idx[:MAX_PER_COLUMN]:
        problems.items.append(
            _problem(file, lines[i], column, col_no, message, str(series.iloc[i]), fix, level))
    if len(bad_idx) > MAX_PER_COLUMN:
        problems.items.append(_problem(file, None, column, col_no,
                                       f"{len(bad_idx) - MAX_PER_COLUMN} more rows with the same problem", None,
                                       fix, level))


def _problem(file, line, column, col_no, message, value, fix, level):
    from .problems import Problem

    return Problem(file, line, column, message, value, fix, col_no, level)


def _positions(mask: pd.Series) -> list[int]:
    return np.flatnonzero(mask.to_numpy(dtype=bool, na_value=False)).tolist()


def _mapped(series: pd.Series, empty: pd.Series, parse) -> tuple[pd.Series, pd.Series]:
    """Parse each distinct value once: (parsed values, mask of non-empty cells that did not parse)."""
    parsed = {u: parse(u) for u in series[~empty].unique()}
    bad_values = [u for u, v in parsed.items() if v is None]
    values = series.map(parsed)
    return values.astype(object).where(values.notna(), None), series.isin(bad_values) & ~empty


def _check_column(series: pd.Series, col, file: str, col_no: int, lines: list[int], problems: Problems) -> pd.Series:
    empty = series == ""
    if col.required:
        _report(problems, file, col.name, col_no, lines, _positions(empty), series,
                "a value is required here", f"fill in {col.name}")
    kind = col.kind
    if kind in ("id", "person", "org", "entity", "decision", "text"):
        return series.astype(object).where(~empty, None)
    if kind == "date":
        values, bad = _mapped(series, empty, V.parse_date)
        _report(problems, file, col.name, col_no, lines, _positions(bad), series,
                f"expected {V.DATE_EXPECTED}, between 1900 and 2100", "write the date as YYYY-MM-DD")
        return values
    if kind.startswith("vocab:"):
        vocab = kind.split(":", 1)[1]
        values, bad = _mapped(series, empty, lambda u: V.vocabulary_word(vocab, u))
        _report(problems, file, col.name, col_no, lines, _positions(bad), series,
                f"expected {V.vocabulary_expected(vocab)}", f"use a word from the {col.name} vocabulary")
        return values
    if kind in ("share", "amount"):
        if kind == "share":
            values, bad = _mapped(series, empty, lambda u: _in_range(V.parse_share(u), 0.0, 1.0))
            msg, fix = "expected a share between 0 and 1", "write 0.25 for 25% (or 25%)"
        else:
            values, bad = _mapped(series, empty, lambda u: _in_range(V.parse_number(u), 0.0, None))
            msg, fix = "expected an amount in yuan, a number of 0 or more", "write digits only, e.g. 1500000"
        _report(problems, file, col.name, col_no, lines, _positions(bad), series, msg, fix)
        return values
    if kind == "bool":
        values, bad = _mapped(series, empty, V.parse_bool)
        _report(problems, file, col.name, col_no, lines, _positions(bad), series,
                "expected true or false", "write true or false")
        return values
    if kind == "year":
        values, bad = _mapped(series, empty, lambda v: int(v) if v.isdigit() and 1900 <= int(v) <= 2100 else None)
        _report(problems, file, col.name, col_no, lines, _positions(bad), series,
                "expected a year such as 2023", "write the four-digit year")
        return values
    if kind == "region":
        bad = ~empty & ~series.str.fullmatch(r"\d{2,12}").fillna(False).astype(bool)
        _report(problems, file, col.name, col_no, lines, _positions(bad), series,
                "expected a GB/T 2260 region code (digits, e.g. 330102)", "write the numeric region code")
        return series.astype(object).where(~empty & ~bad, None)
    if kind in ("id_number", "credit_code"):
        check = V.normalize_id_number if kind == "id_number" else V.check_credit_code
        what = ("invalid resident ID: {}; it is kept as text and not used to merge people" if kind == "id_number"
                else "invalid unified social credit code: {}; kept as text")
        fix = ("correct the ID from the source record" if kind == "id_number"
               else "correct the code from the business registry")
        result = {u: check(u)[1] for u in series[~empty].unique()}
        reasons = series.map(result)
        for reason in sorted({r for r in result.values() if r}):
            _report(problems, file, col.name, col_no, lines, _positions(reasons == reason), series,
                    what.format(reason), fix, level="warning")
        return series.astype(object).where(~empty, None)
    if kind == "list":
        return V.map_unique(series, V.split_list)
    raise ValueError(f"unknown column kind {kind!r}")


def _in_range(value: float | None, lo: float, hi: float | None) -> float | None:
    if value is None or value < lo or (hi is not None and value > hi):
        return None
    return value
