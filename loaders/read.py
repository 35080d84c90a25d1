"""Reading one CSV file: decoding (UTF-8 with or without BOM, GB18030), parsing, line numbers."""

from __future__ import annotations

import csv
import io
import mmap
import os
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .problems import Problems

ENCODINGS = ("utf-8", "gb18030")


def line_number(lines: list[int] | None, i: int) -> int:
    """The file line of row i: from `lines`, or i + 2 when rows follow the header line by line."""
    return lines[i] if lines is not None else i + 2


class RawTable:
    """A file's cells as text ('' for empty) in an Arrow table, its header, and each row's line number in the
    file (`lines`; None when row i is on line i + 2, the header on line 1)."""

    def __init__(self, file: str, header: list[str], table: pa.Table, lines: list[int] | None, encoding: str):
        self.file = file
        self.header = header
        self.table = table
        self.lines = lines
        self.encoding = encoding

    def line(self, i: int) -> int:
        return line_number(self.lines, i)

    @property
    def frame(self) -> pd.DataFrame:
        """The cells as a pandas DataFrame of text (for small files such as triage lists)."""
        return self.table.to_pandas().astype(object)


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
    # Mostly valid UTF-8 multi-byte text with a few bad bytes is a damaged UTF-8 file, not GB18030.
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    good = sum(1 for ch in lenient if ord(ch) > 127) - bad
    if good >= 2 * bad:
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
        if not encoding or encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
            fast = _read_mapped(path)
            if fast is not None:
                return fast
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


def _read_mapped(path: Path) -> RawTable | None:
    """The fast path straight from the file's pages (memory-mapped: no copy of the file in memory, no fresh pages
    to fault in); None when the file needs the exact path."""
    with open(path, "rb") as fh:
        if os.fstat(fh.fileno()).st_size == 0:
            return None
        # two maps of one file: this one is scanned in Python; pyarrow reads its own (a Python export of this
        # one would keep it from closing while pyarrow still holds it)
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            start = 3 if mapped[:3] == b"\xef\xbb\xbf" else 0
            return _parse_fast(mapped, path.name, start=start, buffer=pa.memory_map(str(path)).read_buffer())


def parse_text(text: str, file: str, problems: Problems, encoding: str = "utf-8") -> RawTable | None:
    if not text.strip():
        problems.add(file, 1, None, "is empty: expected a header row", fix="write the header row of the contract")
        return None
    fast = _parse_fast(text.encode("utf-8"), file, encoding)
    return fast if fast is not None else _parse_slow(text, file, problems, encoding)


def _parse_fast(body, file: str, encoding: str = "utf-8", start: int = 0,
                buffer: pa.Buffer | None = None) -> RawTable | None:
    """pyarrow's CSV reader over the bytes (`body`: bytes or a memory map, from offset `start`; `buffer`: the same
    bytes for pyarrow, when they are not `body`; strict about field counts, checks UTF-8). None when the file
    needs the exact path: not UTF-8, blank lines, line breaks inside values, ragged rows - anything whose rows it
    cannot place on their lines."""
    end = len(body)
    while end > start and body[end - 1] in b"\r\n":
        end -= 1
    if not _NOT_BLANK.search(body, start, end):
        return None
    first = body.find(b"\n", start, end)
    try:
        header = next(csv.reader([body[start:first if first >= 0 else end].rstrip(b"\r").decode("utf-8")]))
    except (csv.Error, StopIteration, UnicodeDecodeError):
        return None
    if len(header) == 1 and _BLANK_LINE.search(body, start, end):  # one column: a blank line parses as a row
        return None
    names = _dedupe(header)
    try:
        table = pacsv.read_csv(
            pa.BufferReader((buffer if buffer is not None else pa.py_buffer(body)).slice(start, end - start)),
            read_options=pacsv.ReadOptions(block_size=1 << 26, column_names=names, skip_rows=1),
            # a blank line is a row of empty fields (found below), a line of spaces a one-field row, which
            # fails the field count: the exact path skips both
            parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={h: pa.string() for h in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if table.num_columns != len(header):
        return None
    # Each row on its own line. Only a quote or a CR can put a line break inside a value or end a row
    # unseen: then there must be as many rows as line breaks after the header, every CR part of a CRLF.
    has_cr = body.find(b"\r", start, end) >= 0
    if (has_cr or body.find(b'"', start, end) >= 0) and table.num_rows != _count(body, b"\n", start, end):
        return None
    if has_cr and _count(body, b"\r", start, end) != _count(body, b"\r\n", start, end):
        return None
    if _has_empty_row(table):  # a blank line (or a row of empty fields): the exact path skips it
        return None
    return RawTable(file, header, table, None, encoding)


_COUNT_STEP = 1 << 24  # bytes of a memory map copied at a time to be counted


def _count(body, sub: bytes, start: int, end: int) -> int:
    """Occurrences of `sub` in body[start:end]; a memory map is counted a slice at a time."""
    if isinstance(body, bytes):
        return body.count(sub, start, end)
    step, total = _COUNT_STEP, 0
    for pos in range(start, end, step):
        chunk = body[pos:min(pos + step + len(sub) - 1, end)]
        total += chunk.count(sub, 0, step + len(sub) - 1)  # matches that start in this slice
    return total


def _has_empty_row(table: pa.Table) -> bool:
    if table.num_rows == 0:
        return False
    empty = pc.equal(table.column(0), "")
    for col in table.columns[1:]:
        if not pc.any(empty).as_py():
            return False
        empty = pc.and_(empty, pc.equal(col, ""))
    return bool(pc.any(empty).as_py())


_BLANK_LINE = re.compile(rb"\n[ \t\r]*\n")
_NOT_BLANK = re.compile(rb"\S")


def _parse_slow(text: str, file: str, problems: Problems, encoding: str) -> RawTable | None:
    """The exact path: Python's csv module, which knows each record's line, and reports every ragged row."""
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))  # a long field is data, not an error
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
    names = _dedupe(header)
    table = pa.table({name: pa.array([r[j] for r in rows], type=pa.string()) for j, name in enumerate(names)})
    return RawTable(file, header, table, lines, encoding)


def _dedupe(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in header:
        n = seen.get(h, 0)
        out.append(h if n == 0 else f"{h}.{n}")
        seen[h] = n + 1
    return out
