"""Writing a findings table: CSV, JSON lines, Excel or Parquet, the contract's columns first and in order."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from .. import DISCLAIMER_EN, DISCLAIMER_ZH
from ..errors import GovtiesError
from ..files import atomic_path
from .engine import EXTRA_COLUMNS, FINDING_COLUMNS

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx", ".parquet": "parquet"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportError(GovtiesError):
    """A findings table cannot be written as asked."""


def format_for(path: Path, explicit: str | None = None) -> str:
    if explicit:
        if explicit not in set(FORMATS.values()):
            raise ExportError(f"unknown format {explicit!r}: use csv, jsonl, xlsx or parquet")
        return explicit
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ExportError(f"cannot tell the format of {path.name}: name it .csv, .jsonl, .xlsx or .parquet, "
                          "or pass --format")
    return fmt


def findings_frame(findings: list[dict[str, Any]]) -> pd.DataFrame:
    df = pd.DataFrame(findings)
    if df.empty:
        return pd.DataFrame(columns=FINDING_COLUMNS + EXTRA_COLUMNS)
    extra = [c for c in df.columns if c not in FINDING_COLUMNS and not c.startswith("_")]
    return df[FINDING_COLUMNS + extra]


def neutralize(value: Any) -> Any:
    """Text a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_findings(df: pd.DataFrame, path: str | Path, fmt: str | None = None,
                   about: dict[str, Any] | None = None) -> Path:
    """Write the table in the format its name (or `fmt`) says; the file is replaced only once complete."""
    path = Path(path)
    fmt = format_for(path, fmt)
    with atomic_path(path) as tmp:
        if fmt == "csv":
            df.to_csv(tmp, index=False, encoding="utf-8")
        elif fmt == "jsonl":
            with tmp.open("w", encoding="utf-8") as fh:
                for row in df.to_dict(orient="records"):
                    fh.write(json.dumps({k: _plain(v) for k, v in row.items()}, ensure_ascii=False) + "\n")
        elif fmt == "parquet":
            df.to_parquet(tmp, index=False)
        elif fmt == "xlsx":
            _write_xlsx(df, tmp, about or {})
    return path


def _plain(v: Any) -> Any:
    if v is None or (isinstance(v, float) and v != v):
        return None
    if hasattr(v, "item"):
        return v.item()
    return v


def _write_xlsx(df: pd.DataFrame, path: Path, about: dict[str, Any]) -> None:
    try:
        import openpyxl  # noqa: F401
    except ImportError as exc:  # pragma: no cover
        raise ExportError("Excel export needs openpyxl: pip install openpyxl") from exc
    safe = df.map(neutralize) if not df.empty else df
    info = pd.DataFrame(
        [("note", DISCLAIMER_ZH), ("note", DISCLAIMER_EN)] + [(k, neutralize(str(v))) for k, v in about.items()],
        columns=["key", "value"],
    )
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        safe.to_excel(writer, sheet_name="findings", index=False)
        info.to_excel(writer, sheet_name="about", index=False)
