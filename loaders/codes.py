"""Resident IDs (GB 11643) and unified social credit codes (GB 32100) checked a whole column at a time.

Values already in canonical form (the common case) are checked with numpy; anything else (15-digit IDs,
full-width characters, lower-case x, spaces, bad values) goes through `values.normalize_id_number` /
`values.check_credit_code` once per distinct value, so both paths give the same answers.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import values as V
from .vector import NULL_TEXT, is_empty, mask

_ID_FORM = r"^\d{17}[\dX]$"
_ID_WEIGHTS = np.array(V._ID_WEIGHTS, dtype=np.int16)
_ID_LUT = np.frombuffer(V._ID_CHECK.encode(), dtype=np.uint8)

_CC_FORM = r"^[0-9A-HJ-NPQRTUWXY]{18}$"
_CC_WEIGHTS = np.array(V._CC_WEIGHTS, dtype=np.int64)
_CC_INDEX = np.full(256, 0, dtype=np.int64)
for _i, _c in enumerate(V._CC_CHARS):
    _CC_INDEX[ord(_c)] = _i
_CC_LUT = np.frombuffer(V._CC_CHARS.encode(), dtype=np.uint8)


def _matrix(arr: pa.Array) -> np.ndarray:
    """An array of 18-byte ASCII strings as an (n, 18) uint8 matrix."""
    arr = pa.concat_arrays([arr]) if arr.offset else arr
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32)[: len(arr) + 1]
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8)
    return data[offsets[0]: offsets[0] + 18 * len(arr)].reshape(-1, 18)


_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int16)  # by month (0: none)


def _id_ok(sub: pa.Array) -> np.ndarray:
    m = _matrix(sub)
    digits = m[:, :17].astype(np.int16) - 48  # int16 holds every sum below (at most 17 * 9 * 10, and 9999)
    check = _ID_LUT[(digits @ _ID_WEIGHTS) % 11]
    # the birth date (characters 7-14) is a real day, as datetime.date(year, month, day) has it
    year = digits[:, 6:10] @ np.array([1000, 100, 10, 1], dtype=np.int16)
    month, day = digits[:, 10] * 10 + digits[:, 11], digits[:, 12] * 10 + digits[:, 13]
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    longest = _DAYS[np.clip(month, 0, 12)] + (leap & (month == 2))
    real = (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= longest)
    return (check == m[:, 17]) & real


def _cc_ok(sub: pa.Array) -> np.ndarray:
    m = _matrix(sub)
    total = _CC_INDEX[m[:, :17]] @ _CC_WEIGHTS
    return _CC_LUT[(31 - total % 31) % 31] == m[:, 17]


# Characters whose canonical form the slow path's own steps (NFKC, whitespace dropped, upper case) give the same
# done a column at a time: ASCII and full-width letters and digits, spaces, tabs and the ideographic space. A value
# of these only (e.g. "330102 19800101 0013", full-width digits, a lower-case x) is made canonical in C.
_PLAIN = "^[0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a \t\u3000]+$"


def _canonical(arr: pa.Array) -> pa.Array:
    """The slow path's canonical text of values of _PLAIN characters (NFKC, no spaces or tabs, upper case)."""
    return pc.utf8_upper(pc.replace_substring_regex(pc.utf8_normalize(arr, "NFKC"), "[ \t]", ""))


def _normalize(arr: pa.Array, form: str, fast_ok: Callable[[pa.Array], np.ndarray],
               slow: Callable[[str], tuple[str | None, str | None]]) -> tuple[pa.Array, pa.Array]:
    """(normalized value or null, reason it is invalid or null) for each cell; empty cells give (null, null)."""
    n = len(arr)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    shaped = np.flatnonzero(mask(pc.match_substring_regex(arr, form)))
    good = np.zeros(n, dtype=bool)
    if len(shaped):
        good[shaped[fast_ok(pc.take(arr, pa.array(shaped)))]] = True
    keys = pc.if_else(pa.array(good), arr, NULL_TEXT)
    rest = np.flatnonzero(~good & ~is_empty(arr))
    plain = rest[mask(pc.match_substring_regex(pc.take(arr, pa.array(rest)), _PLAIN))] if len(rest) else rest
    if len(plain):  # canonical once spaces and full-width forms are undone: checked as the values above
        made = _canonical(pc.take(arr, pa.array(plain)))
        shaped = np.flatnonzero(mask(pc.match_substring_regex(made, form)))
        if len(shaped):
            ok = shaped[fast_ok(pc.take(made, pa.array(shaped)))]
            fixed = np.zeros(n, dtype=bool)
            fixed[plain[ok]] = True
            at = np.full(n, -1, dtype=np.int64)
            at[plain[ok]] = ok
            keys = pc.if_else(pa.array(fixed), pc.take(made, pa.array(np.where(fixed, at, 0))), keys)
            good |= fixed
            rest = np.flatnonzero(~good & ~is_empty(arr))
    if not len(rest):
        return keys, pa.nulls(n, pa.string())
    values = pc.take(arr, pa.array(rest)).to_pylist()
    results = {v: slow(v) for v in set(values)}
    fixed = np.full(n, None, dtype=object)
    why = np.full(n, None, dtype=object)
    fixed[rest] = [results[v][0] for v in values]
    why[rest] = [results[v][1] for v in values]
    return pc.coalesce(keys, pa.array(fixed, type=pa.string())), pa.array(why, type=pa.string())


def resident_ids(arr: pa.Array) -> tuple[pa.Array, pa.Array]:
    """(normalized 18-character ID or null, reason or null) per cell, as `values.normalize_id_number`."""
    return _normalize(arr, _ID_FORM, _id_ok, V.normalize_id_number)


def credit_codes(arr: pa.Array) -> tuple[pa.Array, pa.Array]:
    """(normalized credit code or null, reason or null) per cell, as `values.check_credit_code`."""
    return _normalize(arr, _CC_FORM, _cc_ok, V.check_credit_code)
