"""A table's CSV text made a column at a time over Arrow: the bytes pandas' `to_csv` writes through Python's csv
writer (minimal quoting, doubled quotes, "\\n" line ends, missing values as empty cells, floats as %.15g, integers
and booleans as Python prints them), with the cells a spreadsheet would run as a formula neutralised
(cells.neutralize) and text without a UTF-8 form made encodable first (cells.encodable).

Which characters make the csv writer quote a field is asked of the writer itself when this module is imported.
A table with a column of any other kind (dates, categories, objects that are not text, nullable integers), with
one column (a lone empty cell is quoted) or no rows is not made here: `csv_body` answers None and the caller
writes it with pandas.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..cells import FORMULA_START, encodable, is_formula



def _any_of(chars: list[str]) -> str:
    """A regex (RE2) class of these characters."""
    return "[" + "".join(f"\\x{{{ord(c):x}}}" for c in chars) + "]"


_FORMULA = "^" + _any_of(list(FORMULA_START))


def csv_line(values: list[Any]) -> str:
    """One row as the csv writer writes it (the header)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(values)
    return out.getvalue()


def _quoting() -> str | None:
    """A regex class of the characters that make the csv writer quote a field, or None when it quotes by other
    rules than a character of the field (then nothing is made here)."""
    quoted = [chr(c) for c in [*range(0x80), 0x85, 0x2028, 0x2029] if csv_line([f"a{chr(c)}b", "x"]).startswith('"')]
    expected = {"": ",x\n", " a ": " a ,x\n", "a": "a,x\n"}
    if not quoted or any(csv_line([field, "x"]) != line for field, line in expected.items()):
        return None
    return _any_of(quoted)


_QUOTED = _quoting()


def csv_body(df: pd.DataFrame, formulas: bool) -> pa.LargeStringArray | None:
    """The rows of `df` as CSV lines (each ending in "\\n"), one Arrow string per row; None when the table is not
    of the kinds made here (see the module's doc)."""
    if _QUOTED is None or len(df) == 0 or len(df.columns) < 2:
        return None
    cells = []
    for _, column in df.items():
        text = _cells(column, formulas)
        if text is None:
            return None
        cells.append(_quoted(text))
    cells[-1] = pc.binary_join_element_wise(cells[-1], _text("\n"), _text(""))  # the line's end, on its last cell
    return pc.binary_join_element_wise(*cells, _text(","))


def body_bytes(body: pa.LargeStringArray) -> memoryview:
    """The lines' UTF-8 bytes, one after the other."""
    body = body.combine_chunks() if isinstance(body, pa.ChunkedArray) else body
    _, offsets, data = body.buffers()
    bounds = np.frombuffer(offsets, np.int64)[[body.offset, body.offset + len(body)]]
    return memoryview(data)[int(bounds[0]):int(bounds[1])]


def _text(value: str) -> pa.Scalar:
    return pa.scalar(value, pa.large_string())


def _cells(column: pd.Series, formulas: bool) -> pa.Array | None:
    """A column's cells as text (missing: empty), or None for a column of another kind."""
    dtype = column.dtype
    if isinstance(dtype, pd.StringDtype):
        return _texts(_arrow(column), formulas)  # Arrow text is UTF-8: nothing to make encodable
    if pd.api.types.is_object_dtype(dtype):
        values = column.tolist()
        if not all(isinstance(v, str) or v is None or (isinstance(v, float) and v != v) for v in values):
            return None
        try:
            text = pa.array(values, pa.large_string(), from_pandas=True)
        except UnicodeEncodeError:  # lone surrogates
            text = pa.array([encodable(v) if isinstance(v, str) else v for v in values], pa.large_string(),
                            from_pandas=True)
        return _texts(text, formulas)
    if dtype == np.bool_:
        return pa.array(np.where(column.to_numpy(), "True", "False"), pa.large_string())
    if dtype.kind in "iu" and isinstance(dtype, np.dtype):
        return pc.cast(pa.array(column.to_numpy()), pa.large_string())
    if dtype == np.float64:
        # what to_csv(float_format="%.15g") writes: the format applied with %
        return pa.array(["%.15g" % v if v == v else "" for v in column.tolist()], pa.large_string())  # noqa: UP031
    return None


def _arrow(column: pd.Series) -> pa.Array:
    text = pa.array(column.array)
    text = text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text
    return text.cast(pa.large_string())


def _texts(text: pa.Array, formulas: bool) -> pa.Array:
    """Text cells with the formulas neutralised (a leading apostrophe), missing cells empty."""
    text = pc.fill_null(text, "")
    if formulas:
        starts = pc.match_substring_regex(text, _FORMULA)
        if pc.any(starts).as_py():
            rows = pc.indices_nonzero(starts).to_pylist()
            values = text.to_pylist()
            changed = False
            for i in rows:
                if is_formula(values[i]):
                    values[i] = "'" + values[i]
                    changed = True
            if changed:
                text = pa.array(values, pa.large_string())
    return text


def _quoted(text: pa.Array) -> pa.Array:
    """Cells in quotes, their quotes doubled, where the csv writer quotes them."""
    assert _QUOTED is not None
    needed = pc.match_substring_regex(text, _QUOTED)
    if not pc.any(needed).as_py():
        return text
    quote = _text('"')
    quoted = pc.binary_join_element_wise(quote, pc.replace_substring(text, '"', '""'), quote, _text(""))
    return quoted if pc.all(needed).as_py() else pc.if_else(needed, quoted, text)


__all__ = ["csv_body", "body_bytes", "csv_line"]
