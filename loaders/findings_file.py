"""Reading a findings table written by a sweep (CSV, JSON lines, Excel or Parquet), e.g. for diffs and FtM export.

Every value comes back as text, as the CSV has it: headers in either language become the column ids, a formula
cell's protective apostrophe is dropped, Excel dates become ISO dates and whole numbers lose their `.0`, long
Excel texts are put back together from the `long_text` sheet, and an evidence JSON object (JSON lines) becomes
its canonical JSON text. Files written by earlier versions (evidence as a JSON string, no as_of column) read the
same way.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd

from ..cells import is_formula
from ..titles import column_ids
from .problems import DataError, Problem

LONG_SHEET = "long_text"


def read_findings(path: str | Path) -> pd.DataFrame:
    path = Path(path)
    if not path.exists():
        raise DataError([Problem(str(path), None, None, "does not exist", fix="give a findings file from a sweep")])
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        elif suffix in (".jsonl", ".ndjson"):
            df = _jsonl(path)
        elif suffix == ".xlsx":
            df = _xlsx(path)
        elif suffix == ".parquet":
            df = pd.read_parquet(path).astype(object).map(_text)
        else:
            raise DataError([Problem(path.name, None, None, "is not a findings file",
                                     fix="use the .csv, .jsonl, .xlsx or .parquet file a sweep wrote")])
    except (ValueError, OSError, KeyError, TypeError) as exc:
        raise DataError([Problem(path.name, None, None, f"cannot be read as findings: {exc}",
                                 fix="use a file written by govties sweep")]) from None
    df.columns = column_ids(df.columns)
    df = df.map(_unprotect)
    if "finding_id" not in df.columns:
        raise DataError([Problem(path.name, 1, "finding_id", "has no finding_id column",
                                 fix="use a file written by govties sweep")])
    dup = df["finding_id"].duplicated(keep=False) & (df["finding_id"] != "")
    if dup.any():
        first = df["finding_id"][dup].iloc[0]
        lines = [str(i + 2) for i in df.index[df["finding_id"] == first][:5]]
        raise DataError([Problem(path.name, int(lines[0]), "finding_id", f"the finding id {first!r} appears "
                                 f"{int((df['finding_id'] == first).sum())} times (lines {', '.join(lines)}); "
                                 f"{int(dup.sum())} rows share an id", fix="a sweep writes each finding once: use "
                                 "the file as the sweep wrote it")])
    if "score" in df.columns:
        df["score"] = df["score"].map(lambda v: _score(v, path.name))
    return df


def _jsonl(path: Path) -> pd.DataFrame:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError([Problem(path.name, n, None, f"is not a JSON object: {exc.msg}",
                                     fix="use the .jsonl file a sweep wrote")]) from None
        if not isinstance(row, dict):
            raise DataError([Problem(path.name, n, None, "is not a JSON object",
                                     fix="use the .jsonl file a sweep wrote")])
        rows.append({k: _text(v) for k, v in row.items()})
    return pd.DataFrame(rows).fillna("") if rows else pd.DataFrame(columns=["finding_id"])


def _text(value: Any) -> str:
    """A value as the CSV writes it."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):
        return _text(value.item())
    return str(value)


def _unprotect(value: str) -> str:
    """A text cell written with a leading apostrophe so that spreadsheets do not run it, as it was."""
    if isinstance(value, str) and value.startswith("'") and is_formula(value[1:]):
        return value[1:]
    return value


def _score(value: str, name: str) -> str:
    text = str(value).strip()
    if not text:
        return ""
    try:
        return str(int(float(text)))
    except ValueError:
        raise DataError([Problem(name, None, "score", "is not a number", text, "use a file written by govties "
                                 "sweep")]) from None


def _xlsx(path: Path) -> pd.DataFrame:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if "findings" not in wb.sheetnames:
            raise DataError([Problem(path.name, None, None, "has no sheet named findings",
                                     fix="use the .xlsx file a sweep wrote")])
        rows = [[_text(v) for v in row] for row in wb["findings"].iter_rows(values_only=True)]
        long_parts: dict[tuple[int, str], list[tuple[int, str]]] = {}
        if LONG_SHEET in wb.sheetnames:
            for sheet, row, column, part, text in list(wb[LONG_SHEET].iter_rows(values_only=True))[1:]:
                if sheet == "findings" and row is not None:
                    long_parts.setdefault((int(row), str(column)), []).append((int(part), text or ""))
    finally:
        wb.close()
    if not rows:
        return pd.DataFrame(columns=["finding_id"])
    header, body = rows[0], rows[1:]
    ids = column_ids(header)
    for (row, column), parts in long_parts.items():
        if column in ids and 2 <= row <= len(body) + 1:
            body[row - 2][ids.index(column)] = "".join(text for _, text in sorted(parts))
    return pd.DataFrame(body, columns=header, dtype=object).fillna("")
