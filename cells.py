"""What a string from the data becomes in each place govties writes it: a file (any text the loader accepted,
including lone surrogates), a spreadsheet cell (no formula, no character XML forbids), a printed line (no
control sequence, no bidirectional override that reverses the rest of the line), a value a message quotes (every
character that does not show itself escaped, so it keeps to its line and shows what it holds).

Nothing here drops information silently: a character that cannot be written as it is becomes a visible escape
(`\\x07`, `\\u202e`), a lone surrogate becomes U+FFFD (it has no UTF-8 form).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

#: Cells a spreadsheet would run as a formula start with one of these (OWASP: CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Excel's limit for the text of one cell.
EXCEL_CELL_LIMIT = 32_767

_SURROGATE = re.compile("[\ud800-\udfff]")
# XML 1.0 allows tab, LF and CR among the C0 controls; openpyxl refuses the rest (IllegalCharacterError).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Printed lines: C0 and C1 controls and DEL (terminal escape sequences), and the bidirectional controls that
# reorder what follows them (U+202A-202E embeddings and overrides, U+2066-2069 isolates, marks).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _escape(m: re.Match) -> str:
    code = ord(m.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def encodable(text: str) -> str:
    """Text that has a UTF-8 form: each lone surrogate becomes U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def all_encodable(texts: Iterable[str]) -> bool:
    """Whether every text has a UTF-8 form (no lone surrogate), found in one pass: most tables have none to
    replace."""
    try:
        "".join(texts).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def for_xml(text: str) -> str:
    """Text an XML document (an .xlsx sheet, GEXF, GraphML) can hold: forbidden controls as visible escapes."""
    return _XML_ILLEGAL.sub(_escape, encodable(text))


def for_terminal(text: str) -> str:
    """One printed line that shows what the data holds and cannot move the cursor, clear the screen or reverse
    the text after it."""
    return _UNPRINTABLE.sub(_escape, encodable(str(text)))


def quoted(text: Any) -> str:
    """A value as a sentence quotes it (what was typed, what a link held, what a file holds, named in a message):
    every character that does not show as itself escaped as repr writes it (a control, a tab or line break, a
    bidirectional override, a zero-width space \\u200b, a no-break space \\xa0), so that it cannot reverse, break
    or move the sentence around it and shows what it holds, in a Chinese sentence as in an English one's repr."""
    text = encodable(str(text))
    return text if text.isprintable() else "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def is_formula(text: str) -> bool:
    """Text a spreadsheet would evaluate: it starts with = + - @ tab or CR and is not a plain number."""
    return text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text.strip())


def neutralize(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe; numbers, dates and other text
    pass unchanged."""
    if isinstance(value, str) and is_formula(value):
        return "'" + value
    return value


def restore(value: Any) -> Any:
    """A cell as it was before `neutralize`: the leading apostrophe of a neutralised formula taken off (any other
    text, an apostrophe before plain text included, passes unchanged)."""
    if isinstance(value, str) and value.startswith("'") and is_formula(value[1:]):
        return value[1:]
    return value


__all__ = ["FORMULA_START", "EXCEL_CELL_LIMIT", "encodable", "all_encodable", "for_xml", "for_terminal", "quoted",
           "is_formula", "neutralize", "restore"]
