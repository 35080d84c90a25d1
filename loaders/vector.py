"""Column-at-a-time helpers over Arrow arrays.

The loader's hot paths run in C (pyarrow compute, numpy, DuckDB); Python sees only the distinct values of a
column, or the few rows that need a message. Empty cells are "" after reading and None (null) after validation.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

NULL_TEXT = pa.scalar(None, pa.string())


def column(table: pa.Table, name: str) -> pa.Array:
    """One column as a single (unchunked) array."""
    col = table.column(name)
    if isinstance(col, pa.ChunkedArray):
        col = col.chunk(0) if col.num_chunks == 1 else col.combine_chunks()
    return pa.nulls(len(col), pa.string()) if pa.types.is_null(col.type) else col


def strings(values) -> pa.Array:
    return pa.array(values, type=pa.string())


def concat_strings(arrays: list[pa.Array]) -> pa.Array:
    return pa.concat_arrays([a.cast(pa.string()) for a in arrays]) if arrays else strings([])


def mask(arr) -> np.ndarray:
    """A boolean Arrow array (nulls are False) as numpy."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return np.asarray(pc.fill_null(arr, False).to_numpy(zero_copy_only=False), dtype=bool)


def positions(m) -> list[int]:
    return np.flatnonzero(m if isinstance(m, np.ndarray) else mask(m)).tolist()


def is_empty(arr: pa.Array) -> np.ndarray:
    """Cells that are null or ''. For text without nulls, from its offsets (a cell of length 0), with numpy."""
    offsets = _offsets(arr)
    if offsets is not None and not arr.null_count:
        return offsets[1:] == offsets[:-1]
    return mask(pc.or_kleene(pc.is_null(arr), pc.equal(arr, "")))


def nullify_empty(arr: pa.Array, empty: np.ndarray | None = None) -> pa.Array:
    """The cells that are '' made null (`empty`: is_empty(arr), when known). Text without nulls keeps its buffers
    and gets a validity bitmap; no '' cell, the array as it is."""
    offsets = _offsets(arr)
    if offsets is None or arr.null_count:
        return pc.if_else(pc.equal(arr, ""), NULL_TEXT, arr)
    if empty is None:
        empty = is_empty(arr)
    missing = int(np.count_nonzero(empty))
    if not missing:
        return arr
    validity = pa.py_buffer(np.packbits(~empty, bitorder="little"))
    return pa.Array.from_buffers(arr.type, len(arr), [validity, *arr.buffers()[1:]], null_count=missing)


def _offsets(arr) -> np.ndarray | None:
    """A text array's offsets (one more than its cells) as numpy, without a copy; None for anything else (another
    type, chunks, a slice)."""
    text = isinstance(arr, pa.Array) and (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type))
    if not text or arr.offset or not len(arr) or arr.buffers()[1] is None:
        return None
    width = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    return np.frombuffer(arr.buffers()[1], dtype=width, count=len(arr) + 1)


def trim(arr: pa.Array) -> pa.Array:
    """The cells with leading and trailing whitespace removed (pc.utf8_trim_whitespace). A column of ASCII text
    without spaces or controls (its UTF-8 bytes' smallest and largest, found with numpy) has nothing to trim and is
    returned as it is; others are trimmed whole (pyarrow's own pass is as fast as any finer look)."""
    data = arr.buffers()[2] if pa.types.is_string(arr.type) and not arr.null_count and len(arr) else None
    if data is not None:
        b = np.frombuffer(data, dtype=np.uint8)
        if not b.size or (b.min() > 0x20 and b.max() < 0x80):
            return arr
    return pc.utf8_trim_whitespace(arr)


def _per_distinct(arr: pa.Array, func: Callable, type_: pa.DataType) -> pa.Array:
    """func applied once per distinct value of the column (nulls stay null)."""
    if len(arr) == 0:
        return pa.array([], type=type_)
    enc = pc.dictionary_encode(arr)
    if isinstance(enc, pa.ChunkedArray):
        enc = enc.combine_chunks()
    distinct = enc.dictionary.to_pylist()
    mapped = [func(v) for v in distinct]
    if _as_it_is(arr, type_, distinct, mapped):  # the usual case, every value already as written: no new column
        return nullify_empty(arr)
    return pc.take(pa.array(mapped, type=type_), enc.indices)


def _as_it_is(arr, type_: pa.DataType, distinct: list, mapped: list) -> bool:
    """Whether a text column mapped value by value is the column itself with '' made null: every distinct value
    maps to itself but '', which maps to null."""
    return (isinstance(arr, pa.Array) and arr.type == type_ == pa.string()
            and all(m == v if v != "" else m is None for v, m in zip(distinct, mapped, strict=True)))


def map_distinct(arr: pa.Array, func: Callable, type_: pa.DataType) -> pa.Array:
    """func applied once per distinct non-empty value; empty and null cells give null."""
    return _per_distinct(arr, lambda v: func(v) if v else None, type_)


def replace_values(arr: pa.Array, table: dict[str, str]) -> pa.Array:
    """Cells found in `table` replaced by their value; others kept."""
    return _per_distinct(arr, lambda v: table.get(v, v), pa.string()) if table else arr


def _where(values: pa.Array, bad: pa.Table) -> np.ndarray:
    """Rows whose value is among the (few) values a query found; none is the usual case, and then no pass over
    the column is made."""
    if bad.num_rows == 0:
        return np.zeros(len(values), dtype=bool)
    return mask(pc.is_in(values, value_set=pc.unique(bad.column(0).combine_chunks())))


def first_seen(arr: pa.Array) -> np.ndarray:
    """True for the repeats of a value after its first row (nulls are never repeats)."""
    repeated = sql("SELECT v FROM t WHERE v IS NOT NULL GROUP BY v HAVING count(*) > 1", t=pa.table({"v": arr}))
    rows = _where(arr, repeated)
    if rows.any():
        at = np.flatnonzero(rows)
        later = pd.Series(arr.take(pa.array(at)).to_numpy(zero_copy_only=False)).duplicated(keep="first")
        rows[at[~later.to_numpy()]] = False
    return rows


def found_in(values: pa.Array, ids: pa.Array) -> np.ndarray:
    """True where a (non-null) value is among `ids` (a hash semi-join in DuckDB, on every core)."""
    return _where(values, sql("SELECT t.v FROM t SEMI JOIN d ON t.v = d.id",
                              t=pa.table({"v": values}), d=pa.table({"id": ids})))


def not_found_in(values: pa.Array, ids: pa.Array) -> np.ndarray:
    """True where a non-null value is not among `ids`."""
    # not `ANTI JOIN ... WHERE t.v IS NOT NULL`: DuckDB pushes that filter into the Arrow scan, at twice the cost
    return _where(values, sql("SELECT t.v FROM t WHERE NOT EXISTS (SELECT 1 FROM d WHERE d.id = t.v) "
                              "AND t.v IS NOT NULL", t=pa.table({"v": values}), d=pa.table({"id": ids})))


def not_found_in_each(columns: list[pa.Array], ids: pa.Array) -> list[np.ndarray]:
    """not_found_in for several columns against the same ids, in one query: the ids' hash table is built once."""
    if len(columns) == 1:
        return [not_found_in(columns[0], ids)]
    union = " UNION ALL ".join(f"SELECT {i} AS k, v FROM t{i}" for i in range(len(columns)))
    bad = sql(f"SELECT t.k, t.v FROM ({union}) t WHERE NOT EXISTS (SELECT 1 FROM d WHERE d.id = t.v) "
              "AND t.v IS NOT NULL", d=pa.table({"id": ids}),
              **{f"t{i}": pa.table({"v": values}) for i, values in enumerate(columns)})
    which = bad.column("k").to_numpy()
    return [_where(values, bad.filter(pa.array(which == i)).select(["v"])) for i, values in enumerate(columns)]


def found_with(values: pa.Array, ids: pa.Array, attrs: pa.Array, allowed: list[str]) -> np.ndarray:
    """True where a value is among `ids` and its attribute (attrs, aligned with ids) is not in `allowed`."""
    return _where(values, sql("SELECT t.v FROM t JOIN d ON t.v = d.id WHERE NOT list_contains($allowed, d.a)",
                              {"allowed": allowed}, t=pa.table({"v": values}), d=pa.table({"id": ids, "a": attrs})))


def lookup(keys: pa.Array, ids: pa.Array, values: pa.Array) -> pa.Array:
    """values[j] where ids[j] == keys[i] (the first such j); null where a key is not among ids."""
    if len(ids) == 0:
        return pa.nulls(len(keys), values.type)
    if len(ids) > NARROW * len(keys):  # a few keys among many ids: keep the ids asked for (a probe of each id into
        # the keys' small hash table costs a tenth of building the ids' own; kept in order, the first match stays)
        asked = pc.is_in(ids, value_set=pc.unique(keys))
        ids, values = ids.filter(asked), values.filter(asked)
    return pc.take(values, pc.index_in(keys, value_set=ids))


NARROW = 4  # ids per key beyond which lookup keeps the ids asked for first


def sql(query: str, params: dict | None = None, **tables: pa.Table) -> pa.Table:
    """Run one DuckDB query over Arrow tables given by name (a cursor of its own on the loader's in-memory
    database; nothing is stored there). Values go in as parameters; the query text is the loader's own."""
    global _DB
    if _DB is None:
        _DB = duckdb.connect(":memory:")
        _DB.execute("SET enable_progress_bar = false")
    con = _DB.cursor()
    try:
        for name, table in tables.items():
            con.register(name, table)
        return con.sql(query, params=params).to_arrow_table()
    finally:
        con.close()


_DB: duckdb.DuckDBPyConnection | None = None
