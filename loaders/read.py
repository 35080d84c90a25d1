"""Reading one CSV file: decoding (UTF-8 with or without BOM, GB18030, Big5), parsing, line numbers, the header's
line. Only regular files are read, and a header wider than limits.MAX_COLUMNS is refused before parsing."""

from __future__ import annotations

import csv
import io
import mmap
import os
import re
from collections.abc import Callable
from typing import NamedTuple
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..cells import quoted
from .encodings import decode
from .limits import MAX_COLUMNS, NotReadable, cannot_read, open_regular
from .parallel import cores, workers
from .problems import TOLD, Problems, Zh
from .quotes import tell_quotes

PROBE_LINES = 30  # lines searched for the header when the expected line does not hold it
_PROBE_BYTES = 1 << 16

#: Whether a row of cells is the header the caller expects (the contract file's required columns are there).
IsHeader = Callable[[list[str]], bool]


def line_number(lines: Lines, i: int) -> int:
    """The file line of row i: from `lines`, or i + 2 when rows follow the header line by line."""
    return lines[i] if lines is not None else i + 2


class LineOffset:
    """Row i is on line i + first: rows follow a header that is not on line 1 line by line."""

    def __init__(self, first: int):
        self.first = first

    def __getitem__(self, i: int) -> int:
        return i + self.first


#: Each row's line in its file: a list (or array) of them, rows following a header below line 1 line by line
#: (LineOffset), or None when row i is on line i + 2
Lines = list[int] | np.ndarray | LineOffset | None


def line_array(lines: Lines, n: int) -> np.ndarray:
    """The file lines of rows 0 to n - 1, as line_number gives them, in one array."""
    if lines is None:
        return np.arange(2, n + 2, dtype=np.int64)
    if isinstance(lines, LineOffset):
        return np.arange(lines.first, lines.first + n, dtype=np.int64)
    return np.asarray(lines[:n], dtype=np.int64)


class RawTable:
    """A file's cells as text ('' for empty) in an Arrow table, its header, the header's line, and each row's line
    number in the file (`lines`; None when row i is on line i + 2, the header on line 1)."""

    def __init__(self, file: str, header: list[str], table: pa.Table, lines, encoding: str, header_line: int = 1,
                 dropped: int = 0, dropped_text: frozenset[str] | None = frozenset()):
        self.file = file
        self.dropped = dropped  # lines of rows that could not be read (a wrong number of fields), each told
        # the values those lines hold (between commas, quotes and line breaks); None: too many to keep
        self.dropped_text = dropped_text
        self.header = header
        self.table = table
        self.lines = lines
        self.encoding = encoding
        self.header_line = header_line

    def line(self, i: int) -> int:
        return line_number(self.lines, i)

    @property
    def frame(self) -> pd.DataFrame:
        """The cells as a pandas DataFrame of text (for small files such as triage lists)."""
        return self.table.to_pandas().astype(object)


class _TooWide(Exception):
    def __init__(self, columns: int):
        self.columns = columns


def read_csv(path: Path, problems: Problems, encoding: str | None = None, header_row: int = 1,
             is_header: IsHeader | None = None, name: str | None = None, *, option: bool = False,
             quotes: bool = False) -> RawTable | None:
    """One CSV file's cells; None with the problems recorded. `header_row`: the header's line (the lines above
    it, titles, are skipped); `is_header` lets a header on another line be found and named in the error; `option`:
    the command takes --encoding for this file (a dataset's), which the advice on its encoding names (decode);
    `quotes`: a quote the parser took as text or dropped is told (loaders.quotes; a dataset's files)."""
    file = name or path.name
    try:
        with open_regular(path) as fh:
            if not encoding or encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
                try:
                    fast = _read_mapped(fh, path, file, problems, header_row, is_header, quotes)
                except _TooWide as exc:
                    _too_wide(problems, file, header_row, exc.columns)
                    return None
                if fast is not False:
                    return fast
                fh.seek(0)
            data = fh.read()
    except NotReadable as exc:
        problems.items.append(exc.problem(file))
        return None
    except OSError as exc:
        problems.items.append(cannot_read(file, exc))
        return None
    decoded = decode(data, file, problems, encoding, option=option)
    if decoded is None:
        return None
    text, used = decoded
    if text.startswith("\ufeff"):
        text = text[1:]
    return parse_text(text, file, problems, used, header_row, is_header, quotes=quotes)


def _too_wide(problems: Problems, file: str, line: int, columns: int) -> None:
    problems.add(file, line, None, f"has {columns:,} columns in its header; govties reads at most {MAX_COLUMNS:,} "
                 "(Excel's limit)", fix="check the delimiter and the header line: a contract file has a few dozen "
                 "columns at most",
                 zh=Zh(f"表头有{columns:,}列，govties 最多读取{MAX_COLUMNS:,}列（Excel 的上限）",
                       "检查分隔符和表头行：符合数据规范的文件最多几十列"))


def _read_mapped(fh, path: Path, file: str, problems: Problems, header_row: int, is_header: IsHeader | None,
                 quotes: bool = False):
    """The fast path straight from the file's pages (memory-mapped: no copy of the file in memory, no fresh pages
    to fault in). False when the file needs the exact path; None when a problem was recorded."""
    if os.fstat(fh.fileno()).st_size == 0:
        return False
    # two maps of one file: this one is scanned in Python; pyarrow reads its own (a Python export of this
    # one would keep it from closing while pyarrow still holds it)
    with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        start = 3 if mapped[:3] == b"\xef\xbb\xbf" else 0
        if header_row > 1 or is_header is not None:
            prefix = mapped[start:start + _PROBE_BYTES].decode("utf-8", errors="replace")
            if not _header_where_expected(prefix, file, problems, header_row, is_header):
                return None
        if header_row > 1:
            header_start = _line_start(mapped, start, len(mapped), header_row)
            if header_start is None:
                return False  # fewer lines than header_row: the exact path says so
            start = header_start
        buffer = pa.memory_map(str(path)).read_buffer()
        raw = _parse_fast(mapped, file, start=start, buffer=buffer, header_line=header_row)
        if raw is not None and quotes:
            tell_quotes(raw, mapped, start, problems, buffer)
        return raw or False


def _line_start(body, start: int, end: int, line: int) -> int | None:
    """Where `line` (1 = the line at `start`) begins in body, or None when there are fewer lines."""
    pos = start
    for _ in range(line - 1):
        nl = body.find(b"\n" if not isinstance(body, str) else "\n", pos, end)
        if nl < 0:
            return None
        pos = nl + 1
    return pos


def _first_records(prefix: str, limit: int = PROBE_LINES) -> list[tuple[int, list[str]]]:
    """The first records of a file's text, each with its line: for finding the header."""
    out = []
    reader = csv.reader(io.StringIO(prefix, newline=""))
    line = 1
    try:
        for record in reader:
            out.append((line, record))
            line = reader.line_num + 1
            if len(out) >= limit:
                break
    except csv.Error:
        pass
    return out


def _header_where_expected(prefix: str, file: str, problems: Problems, header_row: int,
                           is_header: IsHeader | None) -> bool:
    """False, with the problem recorded, when the header is not on `header_row` but on another line near the top
    (a title above it, or the wrong --header-row)."""
    if is_header is None:
        return True
    records = _first_records(prefix, PROBE_LINES + header_row)
    at = next((r for n, r in records if n == header_row), None)
    if at is not None and (is_header(at) or not any(c.strip() for c in at)):
        return True
    found = next(((n, r) for n, r in records if n != header_row and is_header(r)), None)
    if found is None:
        return True  # no better line: the header's own problems are reported as they are
    line, cells = found
    shown = ", ".join(c.strip() for c in cells if c.strip())
    first = ", ".join(c.strip() for c in at if c.strip())[:60] if at else ""
    mapping = f"files: {{{Path(file).stem}: {{header_row: {line}}}}}"
    problems.add(file, header_row, None, "is not the header" + (f" (found {first!r})" if first else "")
                 + f"; line {line} looks like it ({shown[:120]})",
                 fix=f"set header_row: {line} for this file in a --mapping file ({mapping}), or pass --header-row "
                     f"{line} if every file's header is on line {line}",
                 zh=Zh("不是表头" + (f"（此行为“{quoted(first)}”）" if first else "")
                       + f"；第{line}行像是表头（{quoted(shown[:120])}）",
                       f"在 --mapping 映射文件中为此文件设 header_row: {line}（{mapping}），或者每个文件的表头都在"
                       f"第{line}行时用 --header-row {line}"))
    return False


def parse_text(text: str, file: str, problems: Problems, encoding: str = "utf-8", header_row: int = 1,
               is_header: IsHeader | None = None, *, quotes: bool = False) -> RawTable | None:
    if not text.strip():
        problems.add(file, 1, None, "is empty: expected a header row", fix="write the header row of the contract",
                     zh=Zh("是空文件：应有表头行", "写上表头行"))
        return None
    if not _header_where_expected(text[:_PROBE_BYTES], file, problems, header_row, is_header):
        return None
    start = _line_start(text, 0, len(text), header_row)
    if start is None or not text[start:].strip():
        problems.add(file, header_row, None, f"has no header on line {header_row}: the file ends before it",
                     fix="give the line the header is on with --header-row",
                     zh=Zh(f"第{header_row}行没有表头：文件在此之前就结束了", "用 --header-row 指明表头所在的行"))
        return None
    body = text[start:]
    try:
        fast = _parse_fast(body.encode("utf-8"), file, encoding, header_line=header_row)
        raw = fast if fast is not None else _parse_slow(body, file, problems, encoding, header_line=header_row)
    except _TooWide as exc:
        _too_wide(problems, file, header_row, exc.columns)
        return None
    if raw is not None and quotes and '"' in body:  # its bytes as UTF-8 again: not held while the exact path parses
        tell_quotes(raw, body.encode("utf-8"), 0, problems)
    return raw


def _parse_fast(body, file: str, encoding: str = "utf-8", start: int = 0,
                buffer: pa.Buffer | None = None, header_line: int = 1) -> RawTable | None:
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
    if len(header) > MAX_COLUMNS:
        raise _TooWide(len(header))
    if len(header) == 1 and _BLANK_LINE.search(body, start, end):  # one column: a blank line parses as a row
        return None
    names = unique_names(header)
    try:
        table = pacsv.read_csv(
            pa.BufferReader((buffer if buffer is not None else pa.py_buffer(body)).slice(start, end - start)),
            read_options=pacsv.ReadOptions(block_size=block_size(end - start), column_names=names, skip_rows=1),
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
    if (has_cr or body.find(b'"', start, end) >= 0) and table.num_rows != _count(body, b"\n", start, end, buffer):
        return None
    if has_cr and _count(body, b"\r", start, end, buffer) != _count(body, b"\r\n", start, end):
        return None
    if _has_empty_row(table):  # a blank line (or a row of empty fields): the exact path skips it
        return None
    lines = None if header_line == 1 else LineOffset(header_line + 1)
    return RawTable(file, header, table, lines, encoding, header_line)


SMALLEST_BLOCK, LARGEST_BLOCK = 1 << 26, 1 << 30


def block_size(size: int) -> int:
    """pyarrow's CSV block for a file of `size` bytes: as many blocks as the cores each file has while the loader
    parses several at a time (loaders.parallel), each 64 MiB to 1 GiB. On two cores a file up to 1 GiB is one block,
    so its columns come out whole and validation need not copy a file's chunks into one column; with more cores than
    files a file is parsed on several. The price is memory while a file is parsed: pyarrow holds a block's parse in
    full, so two files of 1 GiB parsed at once hold about 2 GiB more than 64 MiB blocks would (a copy the chunks'
    joining would have made later anyway)."""
    per_file = max(1, cores() // workers())
    return max(SMALLEST_BLOCK, min(LARGEST_BLOCK, -(-(size + 1) // per_file)))


_COUNT_STEP = 1 << 22  # bytes of a memory map looked at (or copied) at a time to be counted


def _count(body, sub: bytes, start: int, end: int, buffer: pa.Buffer | None = None) -> int:
    """Occurrences of `sub` in body[start:end]. A memory map is counted a slice at a time: a single byte with numpy
    over `buffer` (the same bytes, no copy), a longer `sub` in copied slices."""
    if isinstance(body, bytes):
        return body.count(sub, start, end)
    step, total = _COUNT_STEP, 0
    if len(sub) == 1 and buffer is not None:
        data, code = np.frombuffer(buffer, dtype=np.uint8), sub[0]
        for pos in range(start, end, step):
            total += int(np.count_nonzero(data[pos:min(pos + step, end)] == code))
        return total
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


def _parse_slow(text: str, file: str, problems: Problems, encoding: str, header_line: int = 1) -> RawTable | None:
    """The exact path: Python's csv module, which knows each record's line, and reports every ragged row.
    `text` starts with the header, which is on line `header_line` of the file."""
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))  # a long field is data, not an error
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        problems.add(file, header_line, None, f"has no readable header row ({exc})",
                     fix="write the contract's header row", zh=Zh(f"没有可读的表头行（{exc}）", "写上表头行"))
        return None
    if len(header) > MAX_COLUMNS:
        raise _TooWide(len(header))
    skip = header_line - 1
    rows, lines = [], []
    start = reader.line_num + 1
    bad = lost = 0
    ends = text.count("\n") + (not text.endswith("\n"))  # the text's last line (the header's is 1)
    lost_text: set[str] = set()
    pages: list[tuple[int, str]] = []  # page lines of a paged export: line, text
    try:
        for record in reader:
            line = start + skip
            start = reader.line_num + 1
            if not record or all(not c.strip() for c in record):
                continue
            last = reader.line_num + skip
            swallowed = last > line and _swallowed(record, len(header))
            if swallowed and reader.line_num >= ends and text.count('"') % 2:  # never closed: swallowed the rest
                _never_closed(problems, file, line)
                return None
            if len(record) < len(header) and not swallowed and _page_line(record):
                pages.append((line, " ".join(c.strip() for c in record if c.strip())))
                continue
            if len(record) != len(header) or swallowed:
                bad += 1
                lost += last - line + 1
                if bad <= KEPT_LOST:
                    lost_text.update(v for c in record for v in _SEPARATED.split(c) if v)
                if bad <= 50:
                    _ragged(problems, file, line, len(record), len(header), last, swallowed)
                continue
            rows.append(record)
            lines.append(line)
    except csv.Error as exc:
        problems.add(file, start + skip, None, f"cannot be parsed: {exc}", fix="check quoting (a quote left open?)",
                     zh=Zh(f"无法解析：{exc}", "检查引号（是否有未闭合的引号？）"))
        return None
    if rows and text.count('"') % 2 and any("\n" in c or "\r" in c for c in rows[-1]):
        # an odd number of quotes and a last value spanning lines: a quote that is never closed swallowed the rest
        _never_closed(problems, file, lines[-1])
        return None
    if bad > 50:
        problems.add(file, None, None, f"has {bad} rows with the wrong number of fields (first 50 shown)",
                     fix="check the delimiter: the contract uses commas",
                     zh=Zh(f"有{bad}行的字段数不对（只列出前50行）", "检查分隔符：应使用英文逗号"))
    tell_pages(problems, file, pages)
    names = unique_names(header)
    table = pa.table({name: pa.array([r[j] for r in rows], type=pa.string()) for j, name in enumerate(names)})
    return RawTable(file, header, table, lines, encoding, header_line, dropped=lost,
                    dropped_text=frozenset(lost_text) if bad <= KEPT_LOST else None)


KEPT_LOST = 10_000  # rows that could not be read whose values are kept, for the references they may hold
#: A page line of a paged export, its one value: 第 1 页 共 5 页, 第1页/共5页, 共5页, Page 1 of 5
PAGE = re.compile(r"(第\s*\d+\s*页(\s*[,，/／]?\s*共\s*\d+\s*页)?|共\s*\d+\s*页|page\s*\d+(\s*(of|/)\s*\d+)?)",
                  re.IGNORECASE)


def _page_line(record: list[str]) -> bool:
    values = [c.strip() for c in record if c.strip()]
    return len(values) == 1 and bool(PAGE.fullmatch(values[0]))


def tell_pages(problems: Problems, file: str, pages: list[tuple[int, str]], total: int | None = None) -> None:
    """A warning for each page line skipped (the first TOLD of `pages`: line, text), then a count of the rest
    (`total`: how many there are, when `pages` holds the first only)."""
    total = len(pages) if total is None else total
    for line, text in pages[:TOLD]:
        problems.warn(file, line, None, f"a page line of a paged export ({text}): skipped", fix="none needed; delete "
                      "the page lines to silence this warning",
                      zh=Zh(f"分页导出的页码行（{text}）：已跳过", "无需处理；删除页码行即可不再出现此警告"))
    if total > TOLD:
        n = total - TOLD
        problems.warn(file, None, None, f"{n} more page lines: skipped", fix="none needed",
                      zh=Zh(f"另有{n}个页码行：已跳过", "无需处理"))


class _Fix(NamedTuple):
    fix: str
    zh: str


#: The fix of a quote left open, said of a value that swallowed lines and of one that swallowed the file's end
CLOSE_QUOTE = _Fix("close the quote (\"), or remove the stray one", "补上闭合的引号（\"），或删去多余的引号")
_SEPARATED = re.compile(r'\s*[,"\r\n]\s*')  # what parts a value of a row that could not be read
_ROWS_IN = re.compile(r'[\r\n][^"]*[,"]')  # a value that swallowed lines of rows: a line break, then a comma or quote


def _never_closed(problems: Problems, file: str, line: int) -> None:
    problems.add(file, line, None, "has a quoted value that is never closed: the rest of the file was read into it",
                 fix=CLOSE_QUOTE.fix, zh=Zh("有一个引号始终没有闭合：文件的其余部分都被读进了这个值", CLOSE_QUOTE.zh))


def _swallowed(record: list[str], columns: int) -> bool:
    """Whether a row over several lines holds lines of rows in a value, read into it by a quote left open: with
    another number of fields than the header, a value's later line with a comma or a quote; with as many, one with
    a row's commas (a value may hold a line break, and a comma after it, as an address may)."""
    if len(record) != columns:
        return any(_ROWS_IN.search(c) for c in record)
    return columns > 1 and any(part.count(",") >= columns - 1 for c in record for part in c.splitlines()[1:])


def _ragged(problems: Problems, file: str, line: int, fields: int, columns: int, last_line: int,
            swallowed: bool) -> None:
    """A row with another number of fields than the header, or one whose value swallowed lines of rows."""
    if swallowed:
        count = "" if fields == columns else f"has {fields} fields but the header has {columns}: "
        count_zh = "" if fields == columns else f"此行有{fields}个字段，表头却有{columns}个："
        problems.add(file, line, None, f"{count}a quote opened on this line runs to line {last_line}, and the rows "
                     "on those lines were read into one value", fix=CLOSE_QUOTE.fix,
                     zh=Zh(f"{count_zh}此行开始的引号一直延续到第{last_line}行，其间各行都被读进了一个值",
                           CLOSE_QUOTE.zh))
        return
    problems.add(file, line, None, f"has {fields} fields but the header has {columns}",
                 fix="check for a missing or extra delimiter, or an unquoted comma",
                 zh=Zh(f"此行有{fields}个字段，表头却有{columns}个", "检查是否少了或多了分隔符，或有未加引号的逗号"))


def unique_names(header: list[str]) -> list[str]:
    """Column names for a header, each once: a blank header is `columnN` (its position), a repeated one gets `.1`,
    `.2` ... (never a name another header already has). The one rule for CSV files and sheets."""
    taken: set[str] = set()
    out = []
    for i, h in enumerate(header):
        name = h or f"column{i + 1}"
        n, candidate = 0, name
        while candidate in taken:
            n += 1
            candidate = f"{name}.{n}"
        taken.add(candidate)
        out.append(candidate)
    return out
