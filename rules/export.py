"""Writing the tables people open: a findings table as CSV, JSON lines, Excel or Parquet (the contract's columns
first and in order), and any other table (ranked tables, the resolution list, a diff) as CSV or Excel.

How a table is laid out for its reader (`Layout`):
- CSV starts with a UTF-8 byte order mark, so that Excel on a Chinese Windows reads it as UTF-8 (`bom=False`
  for tools that dislike it);
- CSV and Excel text cells that a spreadsheet would run as a formula get a leading apostrophe (`raw_cells=True`
  keeps them as they are); JSON lines and Parquet carry values as they are, typed;
- headers: the column ids (the contract's names) or titles in the chosen language (`headers="lang"`); by default
  Excel shows titles, CSV the contract's names (machines read CSV); JSON lines and Parquet always use the ids;
  where the header shows titles, severity and triage status are that language's words (高, not high), which
  govties' readers map back to the ids;
- in JSON lines the evidence is a JSON object.
Every file is written to a temporary file and renamed into place when complete (govties.files).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from .. import DISCLAIMER_EN, DISCLAIMER_ZH
from ..cells import FORMULA_START, all_encodable, encodable, is_formula, neutralize
from ..errors import GovtiesError
from ..files import atomic_path, refuse_special
from ..titles import FINDING_COLUMNS, HEADERS, titled, worded
from .collector import no_cycle_collection
from .csvtext import body_bytes, csv_body, csv_line
from .engine import EXTRA_COLUMNS
from .workbook import Sheet, write_workbook

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx", ".parquet": "parquet"}


class ExportError(GovtiesError):
    """A findings table cannot be written as asked."""


@dataclass(frozen=True)
class Layout:
    """How tables are written for the people who open them (see the module's doc)."""
    lang: str = "zh"
    headers: str | None = None  # "contract" | "lang"; None: Excel "lang", CSV "contract"
    bom: bool = True
    raw_cells: bool = False

    def headers_for(self, fmt: str) -> str:
        if fmt in ("jsonl", "parquet"):
            return "contract"
        return self.headers or ("lang" if fmt == "xlsx" else "contract")


def check_headers(value: str | None) -> str | None:
    if value is not None and value not in HEADERS:
        raise ExportError(f"--headers {value!r}: use contract (the contract's column names) or lang (titles in "
                          "the --lang language)")
    return value


#: each format's name as its error messages say it
FORMAT_NAMES = {"csv": "CSV", "jsonl": "JSON lines", "xlsx": "an Excel workbook", "parquet": "Parquet"}


def format_for(path: Path, explicit: str | None = None) -> str:
    """The format a findings file is written in: `explicit` (the command line's --format), else its name's
    extension. An explicit format that another known extension contradicts is refused (f.xlsx of CSV text opens
    nowhere, govties included)."""
    if not str(path).strip() or not Path(path).name:
        said = "the name is empty" if str(path).strip() in ("", ".") else f"{str(path)!r} names a folder"
        raise ExportError(f"no findings file named ({said}): give its name, such as findings.csv")
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None and not explicit:  # /dev/null names no format: said as what it is, not as a name
        refuse_special(Path(path), str(path))
    if explicit:
        if explicit not in set(FORMATS.values()):
            raise ExportError(f"unknown format {explicit!r}: use csv, jsonl, xlsx or parquet")
        if fmt is not None and fmt != explicit:
            raise ExportError(f"{Path(path).name} is named as {FORMAT_NAMES[fmt]} but the format asked for is "
                              f"{explicit} ({FORMAT_NAMES[explicit]}): name it {Path(path).stem}.{explicit}, or leave "
                              "the format out")
        return explicit
    if fmt is None and Path(path).suffix.lower() == ".json":
        raise ExportError(f"{Path(path).name}: findings are written as JSON lines (one finding a line, not one JSON "
                          f"document): name it {Path(path).stem}.jsonl, or give the format (--format jsonl)")
    if fmt is None:
        raise ExportError(f"cannot tell the format of {str(path)!r}: name it .csv, .jsonl, .xlsx or .parquet, "
                          "or give the format (--format on the command line, fmt= in Python)")
    return fmt


def findings_frame(findings: list[dict[str, Any]]) -> pd.DataFrame:
    """The findings as a table, the contract's columns first; text that has no UTF-8 form (lone surrogates) as
    U+FFFD, so that every writer can write it. Built a column at a time: a key some findings lack is missing (NaN)
    there, as in a frame made from the dicts."""
    if not any(findings):
        return pd.DataFrame(columns=FINDING_COLUMNS + EXTRA_COLUMNS)
    keys = dict.fromkeys(chain.from_iterable(findings))  # in the order they first appear
    extra = [c for c in keys if c not in FINDING_COLUMNS and not c.startswith("_")]
    names = [c for c in FINDING_COLUMNS + extra if c in keys]
    values: list[Sequence[Any]] | None
    try:
        values = list(zip(*map(itemgetter(*names), findings), strict=True)) if len(names) > 1 else None
    except KeyError:  # not every finding has every key
        values = None
    if values is None:
        missing = float("nan")
        values = [[f.get(c, missing) for f in findings] for c in names]
    columns = {c: _column(list(v)) for c, v in zip(names, values, strict=True)}
    return pd.DataFrame({c: columns[c] for c in FINDING_COLUMNS + extra})


def _column(values: list[Any]) -> pd.Series:
    """A column as pandas infers it, its text made encodable when some has no UTF-8 form (lone surrogates: a text
    column refuses them, a column of mixed values holds them)."""
    try:
        column = pd.Series(values)
    except UnicodeEncodeError:
        column = None
    if column is None or (column.dtype == object and not all_encodable(v for v in values if isinstance(v, str))):
        column = pd.Series([encodable(v) if isinstance(v, str) else v for v in values])
    return column


def disclaimer_rows() -> list[tuple[str, str]]:
    return [("note", DISCLAIMER_ZH), ("note", DISCLAIMER_EN)]


def write_findings(df: pd.DataFrame, path: str | Path, fmt: str | None = None,
                   about: Mapping[str, Any] | None = None, layout: Layout | None = None) -> Path:
    """Write the table in the format its name (or `fmt`) says; the file is replaced only once complete."""
    path = Path(path)
    fmt = format_for(path, fmt)
    layout = layout or Layout()
    # the cyclic collector paused while text files are made (rules.collector); a workbook was measured slower so
    with atomic_path(path) as tmp, (no_cycle_collection() if fmt != "xlsx" else nullcontext()):
        if fmt == "csv":
            write_csv_file(df, tmp, layout)
        elif fmt == "jsonl":
            _write_jsonl(df, tmp)
        elif fmt == "parquet":
            _write_parquet(_texts(df, formulas=False), tmp)
        else:
            rows = disclaimer_rows() + [(k, str(v)) for k, v in (about or {}).items()]
            write_workbook(tmp, [Sheet("findings", df)], rows, lang=layout.lang, headers=layout.headers_for("xlsx"),
                           raw_cells=layout.raw_cells)
    return path


TABLE_SUFFIXES = (".csv", ".xlsx")


def table_format(path: str | Path, option: str = "-o", suffixes: tuple[str, ...] = TABLE_SUFFIXES) -> str:
    """The format a table other than the findings is written in, from its name's extension: .csv or .xlsx (or
    only those of `suffixes`); any other extension is refused before any work (a .jsonl name got CSV bytes)."""
    suffix = Path(path).suffix.lower()
    if suffix not in suffixes:
        named = ", or .xlsx for Excel" if ".xlsx" in suffixes else ""
        raise ExportError(f"cannot write the table {option} {Path(path).name}: name it .csv{named}")
    return suffix[1:]


def write_table(df: pd.DataFrame, path: str | Path, layout: Layout | None = None,
                extra_titles: Mapping[str, str] | None = None, sheet: str = "table",
                about: Mapping[str, Any] | None = None) -> Path:
    """Any other table as CSV, or as Excel when the name ends in .xlsx (table_format)."""
    table_format(path)
    path = Path(path)
    layout = layout or Layout()
    with atomic_path(path) as tmp:
        if path.suffix.lower() == ".xlsx":
            rows = disclaimer_rows() + [(k, str(v)) for k, v in (about or {}).items()]
            write_workbook(tmp, [Sheet(sheet, df, extra_titles)], rows, lang=layout.lang,
                           headers=layout.headers_for("xlsx"), raw_cells=layout.raw_cells)
        else:
            write_csv_file(df, tmp, layout, extra_titles)
    return path


def write_csv_file(df: pd.DataFrame, path: Path, layout: Layout, extra_titles: Mapping[str, str] | None = None,
                   words: Mapping[str, Mapping[str, str]] | None = None) -> None:
    """CSV into an open target (the caller makes it atomic): text cleaned, formulas neutralised, titled header (and,
    with it, vocabulary values in words: titles.worded)."""
    headers = layout.headers_for("csv")
    header = titled([str(c) for c in df.columns], layout.lang, headers, extra_titles)
    encoding = "utf-8-sig" if layout.bom else "utf-8"
    worded_df = worded(df, layout.lang, headers, extra_titles, words)
    body = csv_body(worded_df, formulas=not layout.raw_cells)
    if body is None:  # a table of other kinds of columns: pandas writes it, the same way
        shown = _texts(worded_df, formulas=not layout.raw_cells)
        shown.to_csv(path, index=False, header=header, float_format="%.15g", encoding=encoding)
        return
    with path.open("wb") as fh:
        fh.write(csv_line(header).encode(encoding))
        fh.write(body_bytes(body))


#: the findings' date columns that hold dates alone (triage_when may carry a time: it stays text)
DAY_COLUMNS = ("first_date", "last_date", "as_of")


def _write_parquet(df: pd.DataFrame, path: Path) -> None:
    """The table with its day columns as Parquet dates (date32, empty cells null, an empty column a date column
    too) where every value is an ISO date, as text otherwise; the other columns as pandas types them."""
    import pyarrow.parquet as pq  # what a Parquet file alone needs

    table = pa.Table.from_pandas(df, preserve_index=False)
    for c in DAY_COLUMNS:
        if c not in df.columns:
            continue
        cells = df[c].where(df[c].notna() & (df[c] != ""))
        days = pd.to_datetime(cells, format="%Y-%m-%d", errors="coerce")
        if days.notna().sum() == cells.notna().sum():
            values = pa.array([d.date() if pd.notna(d) else None for d in days], type=pa.date32())
            table = table.set_column(table.schema.get_field_index(c), pa.field(c, pa.date32()), values)
    pq.write_table(table, path)


def _texts(df: pd.DataFrame, formulas: bool) -> pd.DataFrame:
    """The frame with text values that have no UTF-8 form made encodable and, with `formulas`, formula text
    neutralised (cells.neutralize); numbers and empty cells untouched. Columns with nothing to change are kept as
    they are (most columns: looked at in one pass each). Text columns come out as objects."""
    if df.empty:
        return df
    out = df.copy()
    clean = (lambda s: neutralize(encodable(s))) if formulas else encodable
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c].dtype):
            column = out[c].astype(object)
            texts = [v for v in column.tolist() if isinstance(v, str)]
            if all_encodable(texts) and not (formulas and any(v.startswith(FORMULA_START) and is_formula(v)
                                                               for v in texts)):
                out[c] = column
            else:
                out[c] = column.map(lambda v: clean(v) if isinstance(v, str) else v)
    return out


def _write_jsonl(df: pd.DataFrame, path: Path) -> None:
    """One JSON object per line, the evidence as an object; text without a UTF-8 form (lone surrogates) as
    U+FFFD, wherever it is."""
    columns = list(df.columns)
    if not all(isinstance(c, str) for c in columns):  # a table of other column names: a cell at a time
        return _write_jsonl_cells(df, path)
    values = [df[c].tolist() for c in columns]
    evidence = columns.index("evidence") if "evidence" in columns else -1
    with path.open("wb") as fh:
        for row in zip(*values, strict=True):
            out = {k: _plain(v) for k, v in zip(columns, row, strict=True)}
            if evidence >= 0 and isinstance(out["evidence"], str):
                try:
                    out["evidence"] = json.loads(out["evidence"])
                except ValueError:
                    pass  # not JSON (an edited table): kept as the text it is
            line = json.dumps(out, ensure_ascii=False) + "\n"
            try:
                fh.write(line.encode("utf-8"))
            except UnicodeEncodeError:  # a lone surrogate somewhere in the row
                fh.write(encodable(line).encode("utf-8"))


def _write_jsonl_cells(df: pd.DataFrame, path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in df.to_dict(orient="records"):
            out = {k: _plain(v) for k, v in row.items()}
            if isinstance(out.get("evidence"), str):
                try:
                    out["evidence"] = json.loads(out["evidence"])
                except ValueError:
                    pass
            fh.write(json.dumps(_plain_deep(out), ensure_ascii=False) + "\n")


def _plain(v: Any) -> Any:
    """A cell as JSON has it: missing as null, a whole number as an integer (an amount 800000, not 800000.0, as
    the CSV writes it), fen or a share as a fraction."""
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
        return None
    if hasattr(v, "item") and not isinstance(v, str):
        v = v.item()
    if isinstance(v, float) and v.is_integer() and abs(v) < 2 ** 53:
        return int(v)
    return v


def _plain_deep(v: Any) -> Any:
    if isinstance(v, str):
        return encodable(v)
    if isinstance(v, dict):
        return {encodable(str(k)): _plain_deep(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain_deep(x) for x in v]
    return v


__all__ = ["table_format", "TABLE_SUFFIXES", "FORMATS", "ExportError", "Layout", "check_headers", "format_for",
           "findings_frame", "write_findings", "write_table", "write_csv_file", "disclaimer_rows"]
