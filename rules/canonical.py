"""Canonical JSON: the text `json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)` gives, built from
pieces so that a piece used many times (an edge, a node) is serialized once.

Finding ids hash the canonical JSON of their key and the evidence column is the canonical JSON of the evidence, so
every function here gives exactly json.dumps's text (the tests compare them on hostile values); anything but
text, None, booleans, integers and floats goes through json.dumps itself.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C escaper json.dumps uses with ensure_ascii=False
from typing import Any

_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str)
_INF = float("inf")


def dumps(value: Any) -> str:
    """json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)."""
    return _ENCODER.encode(value)


def _float(x: float) -> str:
    if x != x:
        return "NaN"
    if x == _INF:
        return "Infinity"
    if x == -_INF:
        return "-Infinity"
    return float.__repr__(x)


def scalar(value: Any) -> str:
    """One value's canonical JSON; text, None, booleans and numbers without building an encoder."""
    t = type(value)
    if t is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if t is bool:
        return "true" if value else "false"
    if t is int:
        return int.__repr__(value)
    if t is float:
        return _float(value)
    return _ENCODER.encode(value)


def array(items: list[str]) -> str:
    """The JSON array of items already in canonical JSON."""
    return "[" + ", ".join(items) + "]"


def obj(pairs: dict[str, str]) -> str:
    """The JSON object of text keys to values already in canonical JSON, keys sorted as json.dumps sorts them."""
    return "{" + ", ".join(f"{encode_basestring(k)}: {pairs[k]}" for k in sorted(pairs)) + "}"


def record(row: dict[str, Any], raw: dict[str, str] | None = None) -> str:
    """A dict's canonical JSON; `raw` gives some keys' values already serialized (they override `row`'s). Keys
    that are not text go through json.dumps (it orders and converts them its own way)."""
    if any(type(k) is not str for k in row):
        if raw:
            raise TypeError("raw values need text keys")
        return _ENCODER.encode(row)
    pairs = {k: scalar(v) for k, v in row.items() if not raw or k not in raw}
    if raw:
        pairs.update(raw)
    return obj(pairs)


EDGE_KEYS = ("src", "dst", "type", "label", "share", "start", "end")


def edge(e: dict[str, Any]) -> str | None:
    """An evidence edge's canonical JSON from the edge as a query gives it: the seven keys (missing ones null), the
    share rounded to six places, `reported_on` only where it has a value. None when a value is not text where text
    is expected (the caller serializes such an edge as a whole)."""
    get = e.get
    src, dst, typ, label, start, end, share, reported = (get("src"), get("dst"), get("type"), get("label"),
                                                         get("start"), get("end"), get("share"), get("reported_on"))
    if not (type(src) is str and type(dst) is str and type(typ) is str and (label is None or type(label) is str)
            and (start is None or type(start) is str) and (end is None or type(end) is str)
            and (reported is None or type(reported) is str)):
        return None
    mid = "" if reported is None else f'"reported_on": {encode_basestring(reported)}, '
    return (f'{{"dst": {encode_basestring(dst)}, "end": {"null" if end is None else encode_basestring(end)}, '
            f'"label": {"null" if label is None else encode_basestring(label)}, {mid}'
            f'"share": {"null" if share is None else _float(round(float(share), 6))}, '
            f'"src": {encode_basestring(src)}, "start": {"null" if start is None else encode_basestring(start)}, '
            f'"type": {encode_basestring(typ)}}}')


__all__ = ["dumps", "scalar", "array", "obj", "record", "edge", "EDGE_KEYS"]
