"""Masking personal identifiers in exports and views (`--mask`): resident IDs keep their first 6 and last 4
characters (330102********1234), phone numbers their first 3 and last 4 digits (138****5678)."""

from __future__ import annotations

import json
import re
from typing import Any

_ID18 = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{5})(\d{4})(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)\(?(0\d{2,3})\)?[- ]?(\d{3,4})[- ]?(\d{4})(?!\d)")


def mask_text(text: str) -> str:
    text = _ID18.sub(lambda m: m[1] + "*" * 8 + m[3][-4:], text)
    text = _ID15.sub(lambda m: m[1] + "*" * 5 + m[3], text)
    text = _MOBILE.sub(lambda m: m[1] + "*" * 4 + m[3], text)
    text = _LANDLINE.sub(lambda m: m[1] + "*" * len(m[2]) + m[3], text)
    return text


def mask_value(value: Any) -> Any:
    """Mask strings, and strings inside JSON text, lists and dicts; other values pass through."""
    if isinstance(value, str):
        stripped = value.lstrip()
        if stripped.startswith(("{", "[")):
            try:
                return json.dumps(mask_value(json.loads(value)), ensure_ascii=False, sort_keys=True)
            except ValueError:
                pass
        return mask_text(value)
    if isinstance(value, list):
        return [mask_value(v) for v in value]
    if isinstance(value, dict):
        return {k: mask_value(v) for k, v in value.items()}
    return value
