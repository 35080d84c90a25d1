"""Typed columns: a loader's table (Arrow or pandas; dates as ISO text) to an Arrow table of the model's types."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .backend import BackendError
from .model import TABLES

ARROW_TYPES = {
    "str": pa.string(),
    "date": pa.date32(),
    "float": pa.float64(),
    "int": pa.int64(),
    "bool": pa.bool_(),
    "list": pa.list_(pa.string()),
    "json": pa.string(),
}


def _column(series: pd.Series, kind: str) -> pa.Array:
    if kind == "date":
        return pa.array(series.astype(object).where(series.notna(), None), type=pa.string()).cast(pa.date32())
    if kind == "list":
        return pa.array([list(v) if isinstance(v, (list, tuple)) else [] for v in series], type=pa.list_(pa.string()))
    values = series.astype(object).where(series.notna(), None)
    return pa.array(values.tolist(), type=ARROW_TYPES[kind], from_pandas=True)


def _arrow_column(table: pa.Table, col: str, kind: str) -> pa.Array:
    want = ARROW_TYPES[kind]
    if col not in table.column_names:
        arr = pa.nulls(table.num_rows, want)
    else:
        chunked = table.column(col)
        arr = chunked.chunk(0) if chunked.num_chunks == 1 else chunked.combine_chunks()
        if arr.type != want:
            arr = pa.nulls(len(arr), want) if pa.types.is_null(arr.type) else arr.cast(want)
    if kind == "list" and arr.null_count:
        empty = pa.scalar([], type=want)
        arr = pc.if_else(pc.is_null(arr), empty, arr)
    return arr


def to_arrow(name: str, df: pd.DataFrame | pa.Table) -> pa.Table:
    """The table in the model's column types; a value that cannot take its column's type is a BackendError naming
    the table, the column and the type (tables from govties.loaders are already typed: this guards other callers)."""
    table = TABLES[name]
    arrays = []
    for col, kind in table.columns:
        try:
            if isinstance(df, pa.Table):
                arrays.append(_arrow_column(df, col, kind))
            else:
                series = df[col] if col in df.columns else pd.Series([None] * len(df), dtype=object)
                arrays.append(_column(series, kind))
        except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError, TypeError) as exc:
            raise BackendError(f"table {name}, column {col}: a value cannot be read as {kind} ({exc}); "
                               f"give {_EXPECTED[kind]}") from exc
    return pa.Table.from_arrays(arrays, schema=pa.schema([pa.field(c, ARROW_TYPES[k]) for c, k in table.columns]))


_EXPECTED = {"str": "text", "date": "ISO dates (YYYY-MM-DD) or empty cells", "float": "numbers or empty cells",
             "int": "whole numbers or empty cells", "bool": "true/false or empty cells", "list": "lists of text",
             "json": "JSON text"}
