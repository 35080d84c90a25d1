"""A column's cells read as typed values in bulk: each distinct value once, the usual forms of a date or an amount
in C (Arrow), only the rest in Python (loaders.values). What each returns: the values (null where a cell is empty
or cannot be read) and the rows that could not be read."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import values as V
from .vector import NULL_TEXT, map_distinct, mask, nullify_empty, positions


def parse_each(cells: pa.Array, empty: np.ndarray, parse, type_: pa.DataType) -> tuple[pa.Array, list[int]]:
    """Parse each distinct value once: (parsed values, positions of non-empty cells that did not parse)."""
    values = map_distinct(cells, parse, type_)
    return values, positions(~empty & mask(pc.is_null(values)))


#: Values whose NFKC form is known without Python: ASCII digits and separators, and full-width digits
_DATE_CHARS = r"^[0-9０-９./\-年月日]+$"


def dates(cells: pa.Array, empty: np.ndarray, going: bool = False) -> tuple[pa.Array, list[int]]:
    """As parse_each with values.parse_date, a column's distinct values read in C where they are in one of the accepted
    forms (values.DATE_PATTERNS_C, at most one matching a value), also in full-width digits; only
    the others are parsed in Python. `going`: an end date's column, where 至今 (values.open_end) is no date."""
    if len(cells) == 0:
        return pa.array([], pa.string()), []
    enc = pc.dictionary_encode(cells)
    distinct = enc.dictionary
    iso, found = pa.nulls(len(distinct), pa.string()), np.zeros(len(distinct), dtype=bool)
    iso = _date_forms(distinct, iso, found)
    wide = ~found & mask(pc.match_substring_regex(distinct, _DATE_CHARS))
    if wide.any():
        iso = _date_forms(pc.utf8_normalize(pc.if_else(pa.array(wide), distinct, NULL_TEXT), "NFKC"), iso, found)
    real = found & mask(pc.and_(pc.greater_equal(iso, V.MIN_DATE.isoformat()),
                                pc.less_equal(iso, V.MAX_DATE.isoformat())))
    if real.any():  # a real date prints back as itself (strptime rolls 2021-02-30 over to March)
        day = pc.strptime(pc.if_else(pa.array(real), iso, NULL_TEXT), format="%Y-%m-%d", unit="s", error_is_null=True)
        real &= mask(pc.equal(pc.strftime(day, format="%Y-%m-%d"), iso))
    others = distinct.filter(pa.array(~found)).to_pylist()
    parsed = [V.parse_date(v) if v else None for v in others]
    mapped = pc.replace_with_mask(pc.if_else(pa.array(real), iso, NULL_TEXT), pa.array(~found),
                                  pa.array(parsed, pa.string()))
    if going:
        ends = np.zeros(len(distinct), dtype=bool)
        ends[np.flatnonzero(~found)] = [p is None and bool(v) and V.open_end(v) for v, p in zip(others, parsed,
                                                                                             strict=True)]
        if ends.any():  # read as no end date: empty, not a date that could not be read
            empty = empty | mask(pc.take(pa.array(ends), enc.indices))
    as_written = mask(pc.equal(mapped, distinct)) | mask(pc.equal(distinct, ""))
    if as_written.all() and isinstance(cells, pa.Array) and cells.type == pa.string():
        return nullify_empty(cells, empty), []  # every date already YYYY-MM-DD: the column itself, no new one
    values = pc.take(mapped, enc.indices)
    return values, positions(~empty & mask(pc.is_null(values)))


def _date_forms(texts: pa.Array, iso: pa.Array, found: np.ndarray) -> pa.Array:
    """`iso` with YYYY-MM-DD written for each text in an accepted form (not yet `found`); marks them found."""
    for pattern in V.DATE_PATTERNS_C:
        parts = pc.extract_regex(texts, pattern)
        rows = mask(pc.is_valid(parts)) & ~found
        if rows.any():
            day = [pc.utf8_lpad(pc.struct_field(parts, p), width=2, padding="0") for p in ("m", "d")]
            iso = pc.if_else(pa.array(rows), pc.binary_join_element_wise(pc.struct_field(parts, "y"), *day, "-"), iso)
            found |= rows
    return iso


#: Cells Arrow's cast reads exactly as the parsers do: plain decimals, at most 15 digits before the point (finite)
_PLAIN_NUMBER = r"^[0-9]{1,15}(\.[0-9]+)?$"


def numbers(cells: pa.Array, empty: np.ndarray, parse) -> tuple[pa.Array, list[int]]:
    """Plain decimal numbers cast in C; the usual other forms of an amount computed in C (`_other_amounts`); the
    rest (full-width digits, RMB, 百万, a sign ...) parsed per distinct value. `parse` accepts every plain
    non-negative decimal as the number it writes, and the other forms as `_other_amounts` does."""
    try:
        if not _ascii(cells):
            raise pa.ArrowInvalid("not ASCII: Arrow's cast would fail")  # without a pass over the column
        values = pc.cast(nullify_empty(cells, empty), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        plain = mask(pc.match_substring_regex(cells, _PLAIN_NUMBER))
        values = pc.cast(pc.if_else(pa.array(plain), cells, NULL_TEXT), pa.float64())
        rest = ~plain & ~empty
        if rest.any():
            other = cells.filter(pa.array(rest))
            known = _other_amounts(other)
            wide = pc.and_(pc.is_null(known), pc.match_substring_regex(other, _AMOUNT_CHARS))  # full-width digits
            if pc.any(wide).as_py():
                folded = pc.utf8_normalize(pc.if_else(wide, other, NULL_TEXT), "NFKC")
                known = pc.coalesce(known, _other_amounts(folded))
            parsed = map_distinct(pc.if_else(pc.is_null(known), other, NULL_TEXT), parse, pa.float64())
            values = pc.replace_with_mask(values, pa.array(rest), pc.coalesce(known, parsed))
        return values, positions(~empty & mask(pc.is_null(values)))
    if not pc.all(pc.is_finite(pc.fill_null(values, 0.0))).as_py():  # nan/inf are not amounts
        return parse_each(cells, empty, parse, pa.float64())
    return values, []


def _ascii(cells: pa.Array) -> bool:
    """Whether every cell is ASCII (its UTF-8 bytes, looked at with numpy)."""
    data = cells.buffers()[2] if pa.types.is_string(cells.type) and len(cells) else None
    if data is None:
        return True
    offsets = np.frombuffer(cells.buffers()[1], dtype=np.int32)[cells.offset: cells.offset + len(cells) + 1]
    used = np.frombuffer(data, dtype=np.uint8)[offsets[0]:offsets[-1]]
    return not used.size or used.max() < 0x80


#: The other forms of an amount that are computed in C: ¥ (or ￥) before, 元 after, digits grouped by thousands,
#: and 万 or 亿 with at most 4 or 8 decimals (then the amount is a whole number of yuan, below 2**53: exact)
_AMOUNT_FORM = r"^[¥￥]?(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<frac>[0-9]+))?(?P<unit>万|亿)?元?$"
#: Cells whose NFKC form is known without Python: the characters of _AMOUNT_FORM and full-width digits
_AMOUNT_CHARS = r"^[0-9０-９,.¥￥万亿元]+$"
_UNIT_LIMITS = (("万", 4, 11), ("亿", 8, 7))  # unit, its power of ten, most digits before the point


def _other_amounts(cells: pa.Array) -> pa.Array:
    """Each cell's amount as values.parse_amount reads it, where the cell is in one of the forms of _AMOUNT_FORM
    (null elsewhere): the digits are cast as the plain ones are, and a unit's amount is an integer sum."""
    parts = pc.extract_regex(cells, _AMOUNT_FORM)
    matched = mask(pc.is_valid(parts))
    whole = pc.replace_substring(pc.struct_field(parts, "whole"), ",", "")
    frac, unit = pc.struct_field(parts, "frac"), pc.struct_field(parts, "unit")
    digits, decimals = (pc.fill_null(pc.utf8_length(part), 0).to_numpy() for part in (whole, frac))
    plain = matched & mask(pc.equal(unit, "")) & (digits <= 15)  # as _PLAIN_NUMBER: at most 15 digits
    text = pc.if_else(pa.array(decimals > 0), pc.binary_join_element_wise(whole, frac, "."), whole)
    out = pc.cast(pc.if_else(pa.array(plain), text, NULL_TEXT), pa.float64())
    for word, power, most in _UNIT_LIMITS:
        rows = pa.array(matched & mask(pc.equal(unit, word)) & (digits <= most) & (decimals <= power))
        scaled = pc.add(pc.multiply(pc.cast(pc.if_else(rows, whole, NULL_TEXT), pa.int64()), 10 ** power),
                        pc.cast(pc.if_else(rows, pc.utf8_rpad(frac, width=power, padding="0"), NULL_TEXT), pa.int64()))
        out = pc.coalesce(out, pc.cast(scaled, pa.float64()))
    return out


def whole_months(cells: pa.Array, rows: list[int], last: bool) -> tuple[pa.Array, list[int]]:
    """The cells with each year and month without the day among `rows` (dates that could not be read) written as
    a whole date (values.whole_month: the month's first day, `last` its last), and the rows so written."""
    if not rows:
        return cells, []
    held = pc.unique(cells.take(pa.array(rows, pa.int64()))).to_pylist()
    whole = {v: d for v in held if v and (d := V.whole_month(v, last))}
    if not whole:
        return cells, []
    at = pc.index_in(cells, value_set=pa.array(list(whole), pa.string()))
    written = pc.if_else(pc.is_valid(at), pc.take(pa.array(list(whole.values()), pa.string()), at), cells)
    return written, positions(pc.is_valid(at))
