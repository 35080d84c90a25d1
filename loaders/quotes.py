"""Quotes a CSV file's reader takes without a word: a double quote inside a value that is not in quotes
(`P0001,徐玉敏",330102…`, as registers exported by hand hold), kept in the value, so the name matches no other
register's; and text after a quoted value's closing quote (`"某某"公司`), read with the quotes dropped and the text
joined. Each is a warning naming the file, line and column, with the value as written; the value is kept as read.

The values read cannot tell a stray quote from a quoted value's doubled one (`"某某""集团""公司"` is 某某"集团"公司);
the file's bytes can. They are read only where needed: the rows whose values hold a quote (a look at each column's
bytes, usually none), and the rows of the quotes with text right after them that no delimiter or line break comes
before, which are not a value's opening quote (a scan of the file's bytes with numpy, when it holds a quote at
all). Only those rows' records are parsed here, in Python."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..cells import quoted
from .problems import MAX_PER_COLUMN, Problems, Zh, more_rows

if TYPE_CHECKING:
    from .read import RawTable

_QUOTE, _COMMA, _LF, _CR = b'"'[0], b","[0], b"\n"[0], b"\r"[0]
_STEP = 1 << 18  # bytes looked at a time (in the processor's cache)
#: a record whose every value is either in quotes, each quote inside doubled, or holds no quote: nothing to tell
_WELL_FORMED = re.compile(rb'(?>"(?:[^"]|"")*"|[^",\r\n]*)(?:,(?>"(?:[^"]|"")*"|[^",\r\n]*))*(?:\r|\n|\Z)')
_FIELD_END = re.compile(rb"[,\r\n]")
_BLANK = b" \t"
#: rows parsed again at most, in a file (a file of many faulty rows: the rest are counted)
MAX_ROWS = 20_000


class _Said(NamedTuple):
    message: str
    fix: str
    message_zh: str
    fix_zh: str
    read: bool = False  # the message says what the value was read as


_REQUOTE = ("put the whole value in quotes and double each quote inside it (\"…\"\"…\")",
            "给整个值加上英文双引号，并把值中的每个引号写两遍（\"…\"\"…\"）")
#: what is told of a value: a quote inside a value not in quotes, one after spaces, text after the closing quote
STRAY = _Said("a double quote inside a value that is not in quotes (a stray quote from the export?): it is kept as "
              "part of the value, which then matches no record written without it",
              f"remove the quote, or {_REQUOTE[0]}",
              "不在引号内的值中有英文双引号（导出时多出的引号？）：引号作为值的一部分保留，该值与不带引号的同一记录对不上",
              f"删去这个引号，或者{_REQUOTE[1]}")
SPACED = _Said("the value's opening quote comes after a space, so the quotes were read as part of the value",
               "remove the space before the opening quote",
               "值的开头引号前有空格，引号因此被当作值的一部分读入", "删去开头引号前的空格")
JOINED = _Said("text after the closing quote of a quoted value: the quotes were dropped and the text joined",
               f"{_REQUOTE[0]}, or remove the quotes",
               "带引号的值在闭合引号后还有文字：引号被去掉，前后文字连在了一起", f"{_REQUOTE[1]}，或者去掉引号",
               read=True)


def tell_quotes(raw: RawTable, body, start: int, problems: Problems, buffer: pa.Buffer | None = None) -> None:
    """A warning for each value of `raw` whose quotes its reader took as text or dropped, the first MAX_PER_COLUMN
    of a column and of what is told, then a count. `body`: the file's bytes in UTF-8 (bytes or a memory map), its
    header's line at `start`; `buffer`: the same bytes for numpy, when they are not `body` (a memory map's).
    Only the rows with a quote in a value (when they are many, those of them whose quotes do not add up:
    `_unpaired`) or with a quote that text follows and no delimiter precedes (`_joined`) are parsed again, the
    first MAX_ROWS of them; the rest are counted."""
    if raw.table.num_rows == 0 or body.find(b'"', start) < 0:
        return
    data = np.frombuffer(buffer if buffer is not None else body, dtype=np.uint8)
    first = _first_lines(raw)  # each row's first line, counted from the header's (0)
    in_values = _value_quotes(raw.table)
    holders = np.flatnonzero(in_values)  # a stray quote is in a value: usually no row, or a few
    rows = set((holders if len(holders) <= MAX_ROWS else _unpaired(data, start, first, in_values)).tolist())
    joined = _lines_at(data, start, _joined(data, start))
    if joined:  # each line's row: the last to begin on it or before it (a value may span lines)
        rows.update(int(i) for i in np.searchsorted(first, joined, side="right") - 1 if i >= 0)
    order = sorted(rows)
    rest, order = len(order) - MAX_ROWS, order[:MAX_ROWS]
    starts = _line_starts(data, start, [int(first[i]) for i in order])
    told: dict[tuple[int, _Said], list[tuple[int, bytes]]] = {}
    counts: dict[tuple[int, _Said], int] = {}
    for i in order:
        for j, said, text in _faults(body, starts[int(first[i])]):
            if j < raw.table.num_columns:
                counts[j, said] = counts.get((j, said), 0) + 1
                if counts[j, said] <= MAX_PER_COLUMN:  # the text of those shown only
                    told.setdefault((j, said), []).append((i, text))
    for (j, said), cells in told.items():
        _tell(raw, problems, j, said, cells, counts[j, said])
    if rest > 0:
        problems.warn(raw.file, None, None, f"{rest:,} more rows hold quotes the reader may have taken as text or "
                      "dropped; they were not looked at one by one", None,
                      "correct the rows told above, then run again to see these",
                      zh=Zh(f"另有{rest:,}行的引号可能被当作文字读入或被去掉，未逐行检查",
                            "先改正上面列出的各行，再运行一次即可看到这些行"))


def _tell(raw: RawTable, problems: Problems, j: int, said: _Said, cells: list[tuple[int, bytes]], n: int) -> None:
    name = raw.header[j].strip().lstrip("\ufeff") or raw.table.column_names[j]
    for i, text in cells:
        read = str(raw.table.column(j)[i].as_py()) if said.read else None
        problems.warn(raw.file, raw.line(i), name, said.message + (f", read as {read!r}" if said.read else ""),
                      text.decode("utf-8", errors="replace"), said.fix, j + 1,
                      zh=Zh(said.message_zh + (f"，读作“{quoted(read)}”" if said.read else ""), said.fix_zh))
    more = n - len(cells)
    if more > 0:
        message, message_zh = more_rows(more, said.message, said.message_zh)
        problems.warn(raw.file, None, name, message, None, said.fix, j + 1, zh=Zh(message_zh, said.fix_zh))


def _first_lines(raw: RawTable) -> np.ndarray:
    """Each row's first line, counted from the header's (0)."""
    n, lines = raw.table.num_rows, raw.lines
    if isinstance(lines, list):
        at = np.asarray(lines, dtype=np.int64)
    else:
        at = np.arange(n, dtype=np.int64) + (raw.line(0) if n else 0)
    return at - raw.header_line


def _value_quotes(table: pa.Table) -> np.ndarray:
    """Each row's quotes in its values, counted in the columns whose bytes hold one."""
    out = np.zeros(table.num_rows, dtype=np.int64)
    for col in table.columns:
        if any(_holds_quote(chunk) for chunk in col.chunks):
            out += pc.fill_null(pc.count_substring(col, '"'), 0).to_numpy().astype(np.int64)
    return out


def _holds_quote(chunk: pa.Array) -> bool:
    if not pa.types.is_string(chunk.type) or len(chunk) == 0 or chunk.buffers()[2] is None:
        return False
    offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int32)[chunk.offset:chunk.offset + len(chunk) + 1]
    data = np.frombuffer(chunk.buffers()[2], dtype=np.uint8)
    return any(bool((data[pos:min(pos + _STEP, offsets[-1])] == _QUOTE).any())
               for pos in range(int(offsets[0]), int(offsets[-1]), _STEP))



def _unpaired(data: np.ndarray, start: int, first: np.ndarray, in_values: np.ndarray) -> np.ndarray:
    """The rows whose quotes do not add up as a well-quoted record's do. In one, every quote in the bytes opens or
    closes a quoted value or is one of a pair doubled inside it, so the record's quotes number twice its values'
    quotes and twice its quoted values; an opening quote follows a delimiter or a line break and has an even number
    of the record's quotes before it. A stray quote counts once in the bytes and once in its value (one short); a
    quote after a space twice in a value (two short)."""
    in_bytes, opening = _quote_counts(data, start, first, len(in_values))
    return np.flatnonzero(in_bytes - 2 * opening != 2 * in_values)


def _quote_counts(data: np.ndarray, start: int, first: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row (`first`: each row's first line from the header's, 0): its quotes in the bytes, and those that open
    a value."""
    quotes, opening = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    pos, seen_quotes, last_row, last_start = start, 0, -1, 0
    for stop, seen, ends in _chunks(data, start):
        at = np.flatnonzero(data[pos:stop] == _QUOTE) + pos
        pos = stop
        if not len(at):
            continue
        ordinal = np.arange(seen_quotes, seen_quotes + len(at))
        seen_quotes += len(at)
        row = np.searchsorted(first, seen + np.searchsorted(ends, at, side="right"), side="right") - 1
        new = np.empty(len(row), dtype=bool)
        new[0] = row[0] != last_row
        new[1:] = row[1:] != row[:-1]
        first_quote = np.maximum.accumulate(np.where(new, ordinal, -1))  # the ordinal of its row's first quote
        first_quote[first_quote < 0] = last_start
        last_row, last_start = int(row[-1]), int(first_quote[-1])
        before = data[np.maximum(at - 1, 0)]
        opens = (ordinal - first_quote) % 2 == 0
        opens &= (at == start) | (before == _COMMA) | (before == _LF) | (before == _CR)
        kept = row >= 0  # not the header's
        row, opens = row[kept], opens[kept]
        if len(row):
            base = int(row[0])  # the chunk's own rows only
            here = np.bincount(row - base)
            quotes[base:base + len(here)] += here
            here = np.bincount(row[opens] - base)
            opening[base:base + len(here)] += here
    return quotes, opening


def _joined(data: np.ndarray, start: int) -> list[int]:
    """Where a quote may close a quoted value with text after it: a quote followed by neither a delimiter, a line
    break nor a quote, and preceded by neither a delimiter or a line break (as a value's opening quote is) nor a
    quote (as the second of a pair doubled inside a value is). So a closing quote right after a delimiter or a
    doubled one (`"北京,"公司`) is not looked for."""
    out: list[int] = []
    end = len(data) - 1
    for pos in range(start + 1, end, _STEP):
        c = data[pos - 1:min(pos + _STEP, end) + 1]
        text = c != _COMMA  # neither a delimiter nor a line break (in place: the scan's cost is its passes)
        text &= c != _LF
        text &= c != _CR
        hit = c[1:-1] == _QUOTE
        hit &= text[:-2]
        hit &= text[2:]
        hit &= c[2:] != _QUOTE
        hit &= c[:-2] != _QUOTE
        if hit.any():
            out.extend((np.flatnonzero(hit) + pos).tolist())
    return out


def _break_ends(data: np.ndarray, a: int, b: int) -> np.ndarray:
    """Where each line break that ends in data[a:b] ends: after a LF (a CR LF's too) or a lone CR, as Python's
    csv module counts lines."""
    seg = data[a:b]
    breaks = seg == _LF
    cr = seg == _CR
    if cr.any():
        following = data[a + 1:b + 1]
        cr[:len(following)] &= following != _LF
        breaks |= cr
    return np.flatnonzero(breaks) + (a + 1)


def _chunks(data: np.ndarray, start: int) -> Iterator[tuple[int, int, np.ndarray]]:
    """The bytes from `start` a slice at a time: (its end, the line breaks before it, where its own breaks end)."""
    seen = 0
    for pos in range(start, len(data), _STEP):
        ends = _break_ends(data, pos, min(pos + _STEP, len(data)))
        yield min(pos + _STEP, len(data)), seen, ends
        seen += len(ends)


def _lines_at(data: np.ndarray, start: int, where: list[int]) -> list[int]:
    """The line of each position in `where` (sorted), the line at `start` being 0."""
    out: list[int] = []
    k = 0
    for stop, seen, ends in _chunks(data, start) if where else ():
        m = bisect_right(where, stop - 1, lo=k)
        out.extend((seen + np.searchsorted(ends, where[k:m], side="right")).tolist())
        k = m
        if k == len(where):
            break
    return out


def _line_starts(data: np.ndarray, start: int, wanted: list[int]) -> dict[int, int]:
    """Where each of the `wanted` lines (sorted; 1 is the one after the line at `start`) begins in data."""
    out: dict[int, int] = {}
    k = 0
    for _, seen, ends in _chunks(data, start) if wanted else ():
        while k < len(wanted) and wanted[k] <= seen + len(ends):
            out[wanted[k]] = int(ends[wanted[k] - seen - 1])
            k += 1
        if k == len(wanted):
            break
    return out


def _faults(body, pos: int) -> list[tuple[int, _Said, bytes]]:
    """Each value of the record at `pos` whose quotes are told, as the reader splits the record: (its position,
    what is told, the value as written)."""
    if _WELL_FORMED.match(body, pos):
        return []
    out: list[tuple[int, _Said, bytes]] = []
    field, end = 0, len(body)
    while True:
        begin = pos
        if pos < end and body[pos] == _QUOTE:
            pos = _closed(body, pos + 1)
            if pos < 0:
                return out  # a quote never closed: the reader tells it
            stop = _field_end(body, pos)
            if body[pos:stop].strip(_BLANK):  # spaces after the closing quote are trimmed as any value's
                out.append((field, JOINED, body[begin:stop]))
        else:
            stop = _field_end(body, pos)
            if body.find(b'"', pos, stop) >= 0:
                spaced = body[pos:stop].lstrip(_BLANK).startswith(b'"')
                out.append((field, SPACED if spaced else STRAY, body[begin:stop]))
        pos = stop
        if pos >= end or body[pos] != _COMMA:
            return out
        pos += 1
        field += 1


def _closed(body, pos: int) -> int:
    """Where a quoted value whose text starts at `pos` ends (after its closing quote); -1 when it never does."""
    while True:
        q = body.find(b'"', pos)
        if q < 0:
            return -1
        if body[q + 1:q + 2] != b'"':
            return q + 1
        pos = q + 2


def _field_end(body, pos: int) -> int:
    found = _FIELD_END.search(body, pos)
    return found.start() if found else len(body)
