"""Where a dataset's tables come from: a folder of CSV files, or an Excel workbook with one sheet per file.
Files and sheets are matched to the contract by name, Chinese name or mapping."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from .contract import FILES
from .headers import contract_file_for
from .mapping import Mapping
from .problems import Problems
from .read import RawTable, read_csv


@dataclass
class Source:
    raw: RawTable
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)


def _target(name: str, mapping: Mapping) -> tuple[str | None, dict, dict]:
    mapped = mapping.for_source(name)
    if mapped:
        return mapped.file, mapped.columns, mapped.values
    if name in FILES:
        return name, {}, {}
    return contract_file_for(name), {}, {}


def collect(root: Path, problems: Problems, encoding: str | None, mapping: Mapping,
            progress=None) -> dict[str, Source | None]:
    if root.is_file() and root.suffix.lower() in (".xlsx", ".xlsm"):
        return _workbook(root, problems, mapping)
    out: dict[str, Source] = {}
    paths = sorted(root.glob("*.csv"))
    for i, path in enumerate(paths):
        if progress:
            progress("read", i, len(paths))
        target, columns, values = _target(path.name, mapping)
        if target is None:
            continue
        if target in out:
            problems.add(path.name, None, None, f"also fills {target}, already filled by another file",
                         fix="keep one file per contract file, or map them apart in the mapping file")
            continue
        raw = read_csv(path, problems, encoding)
        out[target] = Source(raw, columns, values) if raw is not None else None  # None: present, unreadable
    return out


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _workbook(path: Path, problems: Problems, mapping: Mapping) -> dict[str, Source]:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover
        problems.add(path.name, None, None, "reading Excel needs openpyxl", fix="pip install openpyxl")
        return {}
    try:
        # data_only=False: a formula cell is read as its formula text (kept as text, never evaluated)
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (OSError, ValueError, KeyError) as exc:
        problems.add(path.name, None, None, f"is not a readable Excel workbook ({type(exc).__name__})",
                     fix="save it as .xlsx from Excel or WPS")
        return {}
    out: dict[str, Source] = {}
    for sheet in book.worksheets:
        target, columns, values = _target(sheet.title, mapping)
        if target is None:
            continue
        where = f"{path.name}[{sheet.title}]"
        rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        formulas = sum(1 for r in rows[1:] for c in r if c.startswith("="))
        if formulas:
            problems.warn(where, None, None, f"{formulas} cell(s) hold formulas; their formula text is kept as data, "
                          "not evaluated", fix="paste values instead of formulas if the computed value was meant")
        numbered = [(i + 1, r) for i, r in enumerate(rows) if any(c.strip() for c in r)]
        if not numbered:
            problems.add(where, 1, None, "is empty: expected a header row", fix="put the header in the first row")
            continue
        (_, header), body = numbered[0], numbered[1:]
        while header and not header[-1]:
            header = header[:-1]
        width = len(header)
        names = [h or f"column{i + 1}" for i, h in enumerate(header)]
        names = [f"{c}.{i}" if c in names[:i] else c for i, c in enumerate(names)]
        cells = [r[:width] + [""] * (width - len(r)) for _, r in body]
        table = pa.table({c: pa.array([r[j] for r in cells], type=pa.string()) for j, c in enumerate(names)})
        out[target] = Source(RawTable(where, header, table, [n for n, _ in body], "xlsx"), columns, values)
    book.close()
    return out
