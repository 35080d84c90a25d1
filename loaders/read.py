"""Reading one CSV file: decoding (UTF-8 with or without BOM, GB18030), parsing, line numbers."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .problems import Problems

ENCODINGS = ("utf-8", "gb18030")


@dataclass
class RawTable:
    """A file's cells as text ('' for empty), its header, and each row's line number in the file."""

    file: str
    header: list[str]
    frame: pd.DataFrame
    lines: list[int]
    encoding: str


def decode(data: bytes, file: str, problems: Problems, encoding: str | None = None) -> tuple[str, str] | None:
    """(text, encoding used) or None with a problem recorded. Never guesses silently: a GB18030 guess is reported."""
    if encoding:
        enc = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
        try:
            return data.decode(enc), encoding
        except UnicodeDecodeError as exc:
            problems.add(file, None, None, f"cannot be decoded as {encoding}: bad byte at offset {exc.start}",
                         fix="give the right --encoding (utf-8 or gb18030) or re-save the file as UTF-8")
            return None
        except LookupError:
            problems.add(file, None, None, f"unknown encoding {encoding!r}", fix="use utf-8 or gb18030")
            return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    # Valid UTF-8 multi-byte text before the first bad byte means a damaged UTF-8 file, not GB18030.
    head = data[: utf8_error.start]
    if any(b >= 0x80 for b in head):
        problems.add(file, None, None, f"is not valid UTF-8: undecodable byte 0x{data[utf8_error.start]:02x} "
                     f"at byte offset {utf8_error.start}",
                     fix="repair the file, or re-export it as UTF-8; use --encoding gb18030 for GBK/GB18030 files")
        return None
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        problems.add(file, None, None, f"is neither UTF-8 nor GB18030: undecodable byte at byte offset "
                     f"{utf8_error.start} (UTF-8) / {exc.start} (GB18030)",
                     fix="re-export the file as UTF-8, or give its encoding with --encoding")
        return None
    problems.warn(file, None, None, "was not UTF-8; read it as GB18030 (detected)",
                  fix="pass --encoding gb18030 to make this explicit, or re-save as UTF-8")
    return text, "gb18030"


def read_csv(path: Path, problems: Problems, encoding: str | None = None) -> RawTable | None:
    file = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.add(file, None, None, f"cannot be read: {exc.strerror}", fix="check the path and permissions")
        return None
    decoded = decode(data, file, problems, encoding)
    if decoded is None:
        return None
    text, used = decoded
    if text.startswith("\ufeff"):
        text = text[1:]
    return parse_text(text, file, problems, used)


def parse_text(text: str, file: str, problems: Problems, encoding: str = "utf-8") -> RawTable | None:
    if not text.strip():
        problems.add(file, 1, None, "is empty: expected a header row", fix="write the header row of the contract")
        return None
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[],
                            skip_blank_lines=False, engine="c")
    except pd.errors.ParserError:
        return _parse_slow(text, file, problems, encoding)
    except csv.Error as exc:
        problems.add(file, None, None, f"is not a readable CSV file: {exc}", fix="check quoting and delimiters")
        return None
    header = [str(c) for c in frame.columns]
    if any(("\n" in v or "\r" in v) for v in header) or _has_newlines(frame):
        return _parse_slow(text, file, problems, encoding)
    lines = list(range(2, len(frame) + 2))
    return _finish(file, header, frame, lines, problems, encoding)


def _has_newlines(frame: pd.DataFrame) -> bool:
    for col in frame.columns:
        s = frame[col]
        if s.dtype == object or str(s.dtype).startswith("str"):
            if s.str.contains("\n", regex=False, na=False).any() or s.str.contains("\r", regex=False, na=False).any():
                return True
    return False


def _parse_slow(text: str, file: str, problems: Problems, encoding: str) -> RawTable | None:
    """The exact path: Python's csv module, which knows each record's line, and reports every ragged row."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        problems.add(file, 1, None, f"has no readable header row ({exc})", fix="write the contract's header row")
        return None
    rows, lines = [], []
    start = reader.line_num + 1
    bad = 0
    try:
        for record in reader:
            line = start
            start = reader.line_num + 1
            if not record or all(not c.strip() for c in record):
                continue
            if len(record) != len(header):
                bad += 1
                if bad <= 50:
                    problems.add(file, line, None, f"has {len(record)} fields but the header has {len(header)}",
                                 fix="check for a missing or extra delimiter, or an unquoted comma")
                continue
            rows.append(record)
            lines.append(line)
    except csv.Error as exc:
        problems.add(file, start, None, f"cannot be parsed: {exc}", fix="check quoting (a quote left open?)")
        return None
    if bad > 50:
        problems.add(file, None, None, f"has {bad} rows with the wrong number of fields (first 50 shown)",
                     fix="check the delimiter: the contract uses commas")
    frame = pd.DataFrame(rows, columns=_dedupe(header), dtype=object) if rows else pd.DataFrame(
        columns=_dedupe(header), dtype=object)
    return RawTable(file, header, frame, lines, encoding)


def _dedupe(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in header:
        n = seen.get(h, 0)
        out.append(h if n == 0 else f"{h}.{n}")
        seen[h] = n + 1
    return out


def _finish(file, header, frame, lines, problems, encoding) -> RawTable:
    # With keep_default_na=False an empty cell is '' and a missing field is NaN: NaN marks a short row.
    short = frame.isna().any(axis=1)
    if short.any():
        blank = short & frame.fillna("").astype(object).apply(lambda col: col.str.strip() == "").all(axis=1)
        for idx in frame.index[short & ~blank][:50]:
            n = int(frame.loc[idx].notna().sum())
            problems.add(file, lines[idx], None, f"has {n} fields but the header has {len(header)}",
                         fix="check for a missing delimiter or a truncated row")
        keep = ~short
        lines = [ln for ln, k in zip(lines, keep) if k]
        frame = frame[keep].reset_index(drop=True)
    return RawTable(file, header, frame, lines, encoding)
