"""Masking personal identifiers in everything written (`--mask`).

- Resident IDs keep their first 6 and last 4 characters (330102********1234), also inside longer text and after
  letters (`ID330102…`); phone numbers their first 3 and last 4 digits (138****5678). So are IDs written in parts
  (330102-********-1028), of the wrong length or run together, and any of these in full-width digits; a record's
  resident ID field is masked whatever it holds.
- Birth dates are hidden whole (`****-**-**`) wherever a record is masked field by field (the views' node details,
  the workbench's pages and answers): the digits a masked resident ID hides are exactly its holder's birth date.
- Values that are *derived* from identifiers (a finding_id is a SHA-256 over the finding's ids, which are often
  resident IDs) are replaced by keyed ids: HMAC-SHA256 under a secret the output does not contain, so nobody
  holding a masked file can test guesses of the hidden digits against them. The same key gives the same ids in
  every run, so `diff` and triage work on masked outputs.

The key is GOVTIES_MASK_KEY when set, else the file `mask.key` in govties' config folder ($XDG_CONFIG_HOME/govties,
by default ~/.config/govties), created once with 32 random bytes, readable by its owner only (mode 0600). Share
that file (or the variable) with whoever must reproduce or compare masked outputs; never ship it with them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
from pathlib import Path
from typing import Any

from .errors import GovtiesError

# An ID may follow letters (ID330102…, 身份证330102…) but never more digits.
_ID18 = re.compile(r"(?<!\d)(\d{6})(\d{8})(\d{3}[\dXx])(?![\dXx])")
_ID15 = re.compile(r"(?<!\d)(\d{6})(\d{5})(\d{4})(?!\d)")
#: hyphens and dashes of every width (ASCII, U+2010–2015, the minus sign, the small and the full-width
#: hyphen-minus); the search reads an ID so written too
DASH = r"\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d"
# what may stand between a phone's or an ID's parts as people type or print them: a space (any width), a hyphen or
# a dash, a dot, a slash or an underscore
_APART = rf"\s{DASH}./_"
_MOBILE = re.compile(rf"(?<!\d)(?:\+?86[{_APART}]?)?(1[3-9]\d)[{_APART}]?(\d{{4}})[{_APART}]?(\d{{4}})(?!\d)")
_LANDLINE = re.compile(rf"(?<!\d)\(?(0\d{{2,3}})\)?[{_APART}]?(\d{{3,4}})[{_APART}]?(\d{{4}})(?!\d)")

KEY_ENV = "GOVTIES_MASK_KEY"


class MaskKeyError(GovtiesError):
    """The mask key cannot be read or created."""


# a finding id (16 hex digits) in a text: masked outputs show it keyed
FINDING_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{16}(?![0-9a-f])")
# what mask_text leaves of one identifier: its first digits (3 to 6), a * for each digit it hides (3 to 8), its last
# four characters
MASKED = re.compile(r"(\d{3,6})(\*{3,8})(\d{3}[\dXx])")
# what a phone number may hold between its shown parts besides the hidden digits: `)`, `-` or ` ` (at most 3)
SEPARATORS = 3


# Identifiers in other forms than those above, masked and tagged too (a page's address after a restart finds one
# only in the forms above): a resident ID written in parts (330102-19680101-1028, 330102 1968 0101 1028), one of
# the wrong length (a digit or more too few or too many, two run together: a region code and a birth date, then any
# digits), and any of them in full-width digits (１３８１２３４５６７８). A run of digits that does not start as an
# ID does (a contract's serial number) is left as it is.
_SEP = rf"[{_APART}]?"
_BORN = r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"  # a birth date, as an ID holds it
_ID_PARTS = re.compile(rf"(?<!\d)([1-8]\d{{5}})({_SEP}\d{{4}}{_SEP}\d{{2}}{_SEP}\d{{2}}{_SEP})"
                       r"(\d{3}[\dXx])(?![\dXx])")
# an 18-character ID typed in any groups (3301-0219-6503-1210-18, 330102 1965 0312 1018): masked as a whole one
_ID_GROUPED = re.compile(rf"(?<!\d)\d(?:{_SEP}\d){{16}}{_SEP}[\dXx](?![\dXx])")
_ID_DIGITS = re.compile(rf"[1-8]\d{{5}}{_BORN}\d{{3}}[\dXx]")
_ID_LONG = re.compile(rf"(?<![\da-f])([1-8]\d{{5}})({_BORN}\d*?)(\d{{0,3}}[\dXx]?)(?![\da-fXx\d])")
# any one of the identifiers mask_text hides (resident IDs first, as mask_text masks them; those in full-width
# digits aside: such a run is read digit by digit, and a date would pass for one)
IDENTIFIER = re.compile("|".join(f"(?:{r.pattern})" for r in (_ID18, _ID15, _MOBILE, _LANDLINE, _ID_PARTS,
                                                                  _ID_LONG)))
_WIDE = re.compile(r"[\d\uff10-\uff19\uff38\uff58()\uff08\uff09+\uff0b\-\uff0d \u3000\uff0e\uff0f\uff3f]{7,}")
_NARROW = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "\uff38": "X", "\uff58": "x",
                         "\uff08": "(", "\uff09": ")", "\uff0b": "+", "\uff0d": "-", "\u3000": " ",
                         "\uff0e": ".", "\uff0f": "/", "\uff3f": "_"})


def mask_text(text: str) -> str:
    text = _ID18.sub(lambda m: m[1] + "*" * 8 + m[3][-4:], text)
    text = _ID15.sub(lambda m: m[1] + "*" * 5 + m[3], text)
    text = _ID_GROUPED.sub(_grouped, text)
    text = _MOBILE.sub(lambda m: m[1] + "*" * 4 + m[3], text)
    text = _LANDLINE.sub(lambda m: m[1] + "*" * len(m[2]) + m[3], text)
    text = _ID_PARTS.sub(lambda m: m[1] + re.sub(r"\d", "*", m[2]) + m[3], text)
    text = _ID_LONG.sub(_long, text)
    return _WIDE.sub(_wide, text)


def _grouped(m: re.Match) -> str:
    """An ID typed in groups, masked as a whole one is (its 7th to 14th characters hidden, the birth date), its
    separators kept; any other run of 18 digits left as it is."""
    if not _ID_DIGITS.fullmatch(re.sub(r"[^\dXx]", "", m[0])):
        return m[0]
    seen, out = 0, []
    for ch in m[0]:
        if ch.isdigit() or ch in "Xx":
            seen += 1
            out.append("*" if 7 <= seen <= 14 else ch)
        else:
            out.append(ch)
    return "".join(out)


def _long(m: re.Match) -> str:
    """An ID-like run of another length than 15 or 18: its region code and its last four characters shown (none of
    them when the run is shorter than an ID), the birth date and everything between hidden."""
    tail = m[2][8:] + m[3]
    return m[1] + "*" * 8 + ("*" * (len(tail) - 4) + tail[-4:] if len(tail) > 4 else "*" * len(tail))


def _wide(run: re.Match) -> str:
    """A run of digits with full-width ones among them, masked as its ASCII form is (shown in ASCII) when that
    form holds an identifier; else left as it was."""
    text = run[0]
    narrow = text.translate(_NARROW)
    if narrow == text:
        return text
    masked = mask_text(narrow)
    return masked if masked != narrow else text


def mask_field(key: Any, value: Any) -> Any:
    """A record's field masked: a resident ID field whatever its form (one mask_text does not recognise keeps its
    first and last few characters only), a birth date hidden whole, anything else as mask_value masks it."""
    if _is_birth_date(key, value):
        return HIDDEN_DATE
    if isinstance(key, str) and key.endswith("id_number") and isinstance(value, str) and value:
        masked = mask_text(value)
        if masked != value:
            return masked
        keep = len(value) // 4
        return value[:keep] + "*" * (len(value) - 2 * keep) + value[len(value) - keep:] if keep else "*" * len(value)
    return mask_value(value)


def mask_value(value: Any) -> Any:
    """Mask strings, and strings inside JSON text, lists and dicts (keys too); other values pass through."""
    if isinstance(value, str):
        stripped = value.lstrip()
        if stripped.startswith(("{", "[")):
            try:
                return json.dumps(mask_value(json.loads(value)), ensure_ascii=False, sort_keys=True)
            except ValueError:
                pass
        return mask_text(value)
    if isinstance(value, (list, tuple)):
        return [mask_value(v) for v in value]
    if isinstance(value, dict):
        return {mask_value(k) if isinstance(k, str) else k: mask_field(k, v) for k, v in value.items()}
    return value


HIDDEN_DATE = "****-**-**"


def _is_birth_date(key: Any, value: Any) -> bool:
    """A birth date field with a value: shown, it would give back the 8 digits a masked resident ID hides."""
    return isinstance(key, str) and key.endswith("birth_date") and value not in (None, "")


def without_birth_dates(record: dict[str, Any]) -> dict[str, Any]:
    """A record (a node's details) with its birth date fields hidden and its resident ID field masked whatever its
    form, before anything is built from it."""
    person = record.get("kind") == "person"  # a source record of a person: its key is the resident ID given
    return {k: mask_field("id_number" if person and k == "key" else k, v)
            if _is_birth_date(k, v) or k.endswith("id_number") or (person and k == "key") else v
            for k, v in record.items()}


def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "govties"


def key_file() -> Path:
    return config_dir() / "mask.key"


def mask_key() -> bytes:
    """The secret of keyed ids: GOVTIES_MASK_KEY, else the key file (created once, mode 0600)."""
    given = os.environ.get(KEY_ENV)
    if given is not None:
        if len(given.strip()) < 16:
            raise MaskKeyError(f"{KEY_ENV} is too short to be a secret: give at least 16 characters (e.g. "
                               "`python -c 'import secrets; print(secrets.token_hex(32))'`)")
        return given.strip().encode("utf-8")
    path = key_file()
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # made by another govties meanwhile
        return _read_key(path)
    except OSError as exc:
        raise MaskKeyError(f"cannot create the mask key {path}: {exc.strerror}; set {KEY_ENV} instead") from None
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    return _read_key(path)


def _read_key(path: Path) -> bytes:
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise
    except (OSError, UnicodeDecodeError) as exc:
        raise MaskKeyError(f"cannot read the mask key {path}: {getattr(exc, 'strerror', None) or exc}") from None
    if len(text) < 16:
        raise MaskKeyError(f"the mask key {path} is empty or too short; delete it to have a new one made, or set "
                           f"{KEY_ENV}")
    return text.encode("ascii")


def keyed_id(value: str, key: bytes, length: int = 16) -> str:
    """An id that stands for `value` in masked outputs: HMAC-SHA256 under the mask key, as hex."""
    return hmac.new(key, str(value).encode("utf-8"), hashlib.sha256).hexdigest()[:length]


__all__ = ["IDENTIFIER", "mask_text", "mask_value", "mask_key", "keyed_id", "key_file", "KEY_ENV", "MaskKeyError"]
