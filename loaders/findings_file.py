"""Reading a findings table written by an earlier sweep (CSV, JSON lines, Excel or Parquet), e.g. for diffs."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .problems import DataError, Problem


def read_findings(path: str | Path) -> pd.DataFrame:
    path = Path(path)
    if not path.exists():
        raise DataError([Problem(str(path), None, None, "does not exist", fix="give a findings file from a sweep")])
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            df = pd.read_csv(path, dtype=str, keep_default_na=False)
        elif suffix in (".jsonl", ".ndjson"):
            rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            df = pd.DataFrame(rows).astype(object).fillna("").astype(str)
        elif suffix == ".xlsx":
            df = pd.read_excel(path, sheet_name="findings", dtype=str).fillna("")
        elif suffix == ".parquet":
            df = pd.read_parquet(path).astype(object).fillna("").astype(str)
        else:
            raise DataError([Problem(path.name, None, None, "is not a findings file",
                                     fix="use the .csv, .jsonl, .xlsx or .parquet file a sweep wrote")])
    except (ValueError, OSError) as exc:
        raise DataError([Problem(path.name, None, None, f"cannot be read as findings: {exc}",
                                 fix="use a file written by govties sweep")]) from None
    if "finding_id" not in df.columns:
        raise DataError([Problem(path.name, 1, "finding_id", "has no finding_id column",
                                 fix="use a file written by govties sweep")])
    if "score" in df.columns:
        df["score"] = df["score"].map(lambda v: str(int(float(v))) if str(v).strip() else "")
    return df
