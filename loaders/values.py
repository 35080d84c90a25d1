"""Parsing and normalizing single values: dates, vocabularies, resident IDs, credit codes, contacts, regions."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

from ..graph.vocabulary import CONTRACT, fold_word

# -- dates ---------------------------------------------------------------------------------------
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$"),
)
DATE_EXPECTED = "a date as YYYY-MM-DD (also accepted: YYYY/MM/DD, YYYYMMDD, 2021年3月5日)"
MIN_DATE, MAX_DATE = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


@lru_cache(maxsize=200_000)
def parse_date(text: str) -> str | None:
    """ISO date string, or None when `text` is not an accepted date."""
    s = unicodedata.normalize("NFKC", text).strip()
    for pattern in _DATE_PATTERNS:
        m = pattern.match(s)
        if m:
            try:
                d = dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
            if not (MIN_DATE <= d <= MAX_DATE):
                return None
            return d.isoformat()
    return None


# -- vocabularies (declared once, in graph.vocabulary) ------------------------------------------------
VOCABULARIES: dict[str, dict[str, str]] = {name: v.words() for name, v in CONTRACT.items()}


def vocabulary_word(vocab: str, text: str) -> str | None:
    return VOCABULARIES[vocab].get(fold_word(text))


def vocabulary_expected(vocab: str) -> str:
    return "one of " + CONTRACT[vocab].accepted()


# -- numbers -------------------------------------------------------------------------------------
def parse_number(text: str) -> float | None:
    s = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace("¥", "").replace("元", "")
    try:
        value = float(s)
    except ValueError:
        return None
    return value if value == value and value not in (float("inf"), float("-inf")) else None


def parse_share(text: str) -> float | None:
    s = unicodedata.normalize("NFKC", text).strip()
    if s.endswith("%"):
        v = parse_number(s[:-1])
        return None if v is None else v / 100.0
    return parse_number(s)


BOOLEANS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False, "y": True,
            "n": False, "是": True, "否": False, "中标": True, "未中标": False, "t": True, "f": False}


def parse_bool(text: str) -> bool | None:
    return BOOLEANS.get(unicodedata.normalize("NFKC", text).strip().casefold())


# -- resident ID (GB 11643) ----------------------------------------------------------------------
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS)) % 11]


def normalize_id_number(text: str) -> tuple[str | None, str | None]:
    """(normalized 18-char ID, None) or (None, reason) for a resident ID.

    Full-width characters are folded, `x` upper-cased, spaces dropped, and a 15-digit ID converted to its
    18-digit form (19 inserted after the region code, the check digit recomputed).
    """
    s = "".join(unicodedata.normalize("NFKC", text).split()).upper()
    if re.fullmatch(r"\d{15}", s):
        body = s[:6] + "19" + s[6:]
        return body + id_check_char(body), None
    if not re.fullmatch(r"\d{17}[\dX]", s):
        return None, "a resident ID has 18 characters (17 digits and a digit or X) or 15 digits"
    try:
        dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return None, "the birth date inside the resident ID (characters 7-14) is not a valid date"
    if id_check_char(s[:17]) != s[17]:
        return None, f"the check digit is wrong (GB 11643 gives {id_check_char(s[:17])!r})"
    return s, None


# -- unified social credit code (GB 32100) -------------------------------------------------------
_CC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_check_char(first17: str) -> str:
    total = sum(_CC_CHARS.index(c) * w for c, w in zip(first17, _CC_WEIGHTS))
    return _CC_CHARS[(31 - total % 31) % 31]


def check_credit_code(text: str) -> tuple[str | None, str | None]:
    s = "".join(unicodedata.normalize("NFKC", text).split()).upper()
    if len(s) != 18 or any(c not in _CC_CHARS for c in s):
        return None, "a unified social credit code has 18 characters from 0-9 and A-Y without I, O, S, V, Z"
    if credit_check_char(s[:17]) != s[17]:
        return None, f"the check character is wrong (GB 32100 gives {credit_check_char(s[:17])!r})"
    return s, None


# -- comparison keys -----------------------------------------------------------------------------
def region_code(text: str | None) -> str:
    """A GB/T 2260 code trimmed of trailing '00' pairs ('330100' -> '3301'); '' for none."""
    if not isinstance(text, str) or not text:
        return ""
    s = "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isdigit())
    while len(s) >= 2 and s.endswith("00"):
        s = s[:-2]
    return s


def fold(text: str | None) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold() if isinstance(text, str) else ""


def split_list(text: str | None) -> list[str]:
    if not isinstance(text, str) or not text:
        return []
    parts = re.split(r"[;；、]", text)
    return [p.strip() for p in parts if p.strip()]


def map_unique(series, func):
    """Apply `func` once per distinct value of a pandas Series (func(None) for missing cells)."""
    import pandas as pd

    mapping = {u: func(u) for u in series.dropna().unique()}
    default = func(None)
    fresh = isinstance(default, list)
    out = [mapping[v] if isinstance(v, str) else (list(default) if fresh else default) for v in series.tolist()]
    return pd.Series(out, index=series.index, dtype=object)
