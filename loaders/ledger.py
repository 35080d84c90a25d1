"""Ledgers as they arrive from case systems and spreadsheets: a totals row at the end, control characters and
bidirectional overrides in cells. Each check runs a column at a time over Arrow; Python sees only the rows that
need a message."""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..cells import quoted
from .headers import header_key
from .problems import TOLD, Problems, Zh
from .read import PAGE, Lines, line_array, line_number, tell_pages
from .values import word_key
from .vector import column, is_empty, mask, positions, strings

# A totals row: its first non-empty cell is one of these words (spaces removed, case folded), with an optional
# colon and unit in brackets: 合计, 合 计, 总计：, 小计（元）, Total, Grand total. 合计科技有限公司 is a name, not this.
TOTALS = re.compile(r"^(合计|总计|小计|共计|总合计|累计|total|totals|grandtotal|subtotal|sum)[:：]?(\(.*\))?$")
TAIL = 5  # trailing rows looked at
MOVED_FIX = ("put the columns of the rows under it in the first header's order (in a spreadsheet: move the columns), "
             "then delete this line", "把其下各行的列调成与第一个表头相同的顺序（在电子表格中移动各列），再删去此行")

# Removed from every cell: C0 controls but tab and line breaks, DEL, C1 controls, and the bidirectional marks,
# embeddings, overrides and isolates (U+061C, U+200E-F, U+202A-E, U+2066-9) that can reverse how text reads.
# Line breaks (CR, LF, U+0085, U+2028, U+2029) become a space: a value is one line in every output.
_REMOVE = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x84\\x86-\\x9f\\x{061c}\\x{200e}\\x{200f}\\x{202a}-\\x{202e}" \
          "\\x{2066}-\\x{2069}"
_BREAK = "\\r\\n|[\\r\\n\\x{0085}\\x{2028}\\x{2029}]"
REMOVE_RE2 = f"[{_REMOVE}]"
BREAK_RE2 = _BREAK
_ANY_RE2 = f"[{_REMOVE}\\r\\n\\x{{0085}}\\x{{2028}}\\x{{2029}}]"
_REMOVE_PY = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_BREAK_PY = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def clean_text(text: str) -> str:
    """One value as the loader keeps it (for values read outside a table, e.g. headers)."""
    return _REMOVE_PY.sub("", _BREAK_PY.sub(" ", text))


def removed_characters(text: str) -> list[str]:
    return sorted({f"U+{ord(ch):04X}" for ch in _REMOVE_PY.findall(text)})


_E2_80 = np.array([0x8E, 0x8F, 0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE], dtype=np.uint8)  # U+200E-F, U+2028-E
_E2_81 = np.array([0xA6, 0xA7, 0xA8, 0xA9], dtype=np.uint8)  # U+2066-9


def _suspect(cells: pa.Array) -> bool:
    """Whether a text column may hold a character clean_cells changes: a look at its UTF-8 bytes with numpy, so
    that the usual clean column costs no regular expression (an ASCII column: its smallest and largest byte).
    May say yes for bytes outside the array's slice; never says no wrongly."""
    data = cells.buffers()[2] if len(cells) else None
    if data is None or data.size == 0:
        return False
    b = np.frombuffer(data, dtype=np.uint8)
    if b.min() < 0x20:
        return True  # a control character, tab or line break (tab alone is checked exactly later)
    top = b.max()
    if top < 0x80:
        return top == 0x7F
    if (b == 0x7F).any():
        return True
    for lead, follow in ((0xC2, None), (0xD8, 0x9C)):  # U+0080-U+009F: C2 80-9F; U+061C: D8 9C
        at = np.flatnonzero(b[:-1] == lead)
        if at.size and ((b[at + 1] < 0xA0) if follow is None else (b[at + 1] == follow)).any():
            return True
    at = np.flatnonzero(b[:-2] == 0xE2)
    if at.size:
        second, third = b[at + 1], b[at + 2]
        return bool((((second == 0x80) & np.isin(third, _E2_80)) | ((second == 0x81) & np.isin(third, _E2_81))).any())
    return False


def clean_cells(table: pa.Table, header: list[str], file: str, lines, problems: Problems,
                limit: int = 100) -> pa.Table:
    """Every column with its control characters removed and line breaks made spaces; a warning names each cell
    that lost characters (file, line, column, which characters), the first `limit` per column."""
    out = {}
    for j, name in enumerate(table.column_names):
        cells = column(table, name)
        if not _suspect(cells) or not pc.any(pc.match_substring_regex(cells, _ANY_RE2)).as_py():
            out[name] = cells
            continue
        removed = positions(pc.match_substring_regex(cells, REMOVE_RE2))
        shown = cells.take(pa.array(removed[:limit], type=pa.int64())).to_pylist() if removed else []
        label = header[j] if j < len(header) else name
        for i, value in zip(removed, shown, strict=False):  # only the first `limit` rows are shown
            characters = ', '.join(removed_characters(value))
            problems.warn(file, line_number(lines, i), label, f"control or bidirectional-override character(s) "
                          f"{characters} removed", value, "none needed; clean the source system's export to silence "
                          "this", j + 1, Zh(f"已删除控制字符或双向覆盖字符 {characters}",
                                            "无需处理；清理源系统的导出即可不再出现此提示"))
        if len(removed) > limit:
            problems.warn(file, None, label, f"{len(removed) - limit} more cells had control characters removed",
                          None, None, j + 1, Zh(f"另有{len(removed) - limit}个单元格删除了控制字符"))
        out[name] = pc.replace_substring_regex(pc.replace_substring_regex(cells, REMOVE_RE2, ""), BREAK_RE2, " ")
    return pa.table(out)


def drop_totals(table: pa.Table, file: str, lines, problems: Problems) -> pa.Table:
    """The table without the totals rows at its end (合计, 总计, 小计, Total ...), each named in a warning."""
    n = table.num_rows
    start = max(0, n - TAIL)
    tail = table.slice(start).to_pylist()
    dropped = 0
    for row in reversed(tail):
        first = next((v for v in row.values() if v and v.strip()), "")
        if not TOTALS.match(word_key(first).replace("（", "(").replace("）", ")")):
            break
        dropped += 1
        problems.warn(file, line_number(lines, n - dropped), None, f"a totals row ({first.strip()}) at the end is "
                      "skipped", fix="none needed; delete the row to silence this warning",
                      zh=Zh(f"末尾的合计行（“{quoted(first.strip())}”）已跳过", "无需处理；删除该行即可不再出现此警告"))
    return table.slice(0, n - dropped) if dropped else table


def drop_headers(table: pa.Table, header: list[str], file: str, lines: Lines, problems: Problems,
                 trimmed: list[int], names: dict[int, set[str]]) -> tuple[pa.Table, Lines]:
    """The table without rows that repeat the header (two exports pasted into one file), and the rows' lines after
    it (an array of line numbers when a row was dropped, else `lines` as given). A cell names a headed column when
    its header key (headers.header_key) is among the column's `names`: its header's, or every alias of the contract
    column it is read as (the second export's 姓名 under the first's `name`). A row whose cells name headed
    columns in at least half of them, and two where there are two, is a header: one whose cells all name their own
    column (a column renamed or left blank allowed) is skipped with a warning; one with a cell naming another
    column is a second export's header with its columns in another order: an error, as the rows under it would be
    read under the first header's columns. Such rows are looked for in two of the columns `trimmed`: a file
    without one costs a pass over one of them."""
    named = [(j, h) for j, h in enumerate(header[:table.num_columns]) if h]
    if not named or table.num_rows == 0:
        return table, lines
    own_keys = {j: names.get(j) or {header_key(h)} for j, h in named}
    keys = set().union(*own_keys.values())
    every = strings(sorted(keys))
    look = strings(sorted({_ascii_lower(h) for _, h in named} | keys))
    # of the columns `trimmed` (their cells without spaces around), the two of the fewest bytes: a header row names
    # a column in both (a hash lookup in the first; in the second, over the rows the first leaves only: a header
    # word that is also a value, 中标 in a column of 是否中标, is not taken for a header)
    cut_off = set(trimmed)
    looked = sorted((j for j, _ in named if j in cut_off), key=lambda j: _size(column(table, table.column_names[j])))
    if not looked:
        return table, lines
    at = _naming(column(table, table.column_names[looked[0]]), look, every)
    if len(at) and len(looked) > 1:
        at = at[mask(pc.is_in(_keys(column(table, table.column_names[looked[1]]).take(pa.array(at))),
                              value_set=every))]
    if not len(at):
        return table, lines
    taken = pa.array(at)
    own = np.zeros(len(at), dtype=np.int64)  # per candidate row: its cells that name their own column
    known = np.zeros(len(at), dtype=np.int64)  # ... that name a headed column
    elsewhere = np.zeros(len(at), dtype=bool)  # ... one that names another column
    for j, _ in named:  # a column at a time over the candidates only
        cells = _keys(column(table, table.column_names[j]).take(taken))
        mine = mask(pc.is_in(cells, value_set=strings(sorted(own_keys[j]))))
        any_name = mask(pc.is_in(cells, value_set=every))
        own += mine
        known += any_name
        elsewhere |= any_name & ~mine
    need = max(min(2, len(named)), (len(named) + 1) // 2)
    moved, cut = at[elsewhere & (known >= need)], at[~elsewhere & (own >= need)]
    if not len(cut) and not len(moved):
        return table, lines
    numbers = line_array(lines, table.num_rows)
    _tell_headers(problems, file, table, named, own_keys, numbers, cut, moved)
    keep = np.ones(table.num_rows, dtype=bool)
    keep[cut] = False
    keep[moved] = False
    return table.filter(pa.array(keep)), numbers[keep]


def _ascii_lower(text: str) -> str:
    """The text with its ASCII letters lower-cased, as pyarrow's ascii_lower writes a cell."""
    return "".join(ch.lower() if ch.isascii() else ch for ch in text)


def _naming(cells: pa.Array, look: pa.Array, keys: pa.Array) -> np.ndarray:
    """The rows whose cell may name a headed column (its header key among `keys`): a cell is compared lower-cased
    (ASCII) with `look` (the headers so and the keys), and one holding a character a header key folds otherwise
    as a whole header key: a column of ASCII without spaces and of common Chinese costs no Unicode folding."""
    hit = mask(pc.is_in(pc.ascii_lower(cells), value_set=look))
    odd = _rows_folded(cells)
    if len(odd):
        hit[odd] |= mask(pc.is_in(_keys(cells.take(pa.array(odd, pa.int64()))), value_set=keys))
    return np.flatnonzero(hit)


def _keys(cells: pa.Array) -> pa.Array:
    """Cells as header keys (headers.header_key: NFKC, lower case, without spaces or a byte-order mark)."""
    folded = pc.utf8_lower(pc.utf8_normalize(pc.fill_null(cells, ""), "NFKC"))
    return pc.replace_substring_regex(folded, "[\\s\ufeff]+", "")


def _tell_headers(problems: Problems, file: str, table: pa.Table, named: list[tuple[int, str]],
                  own_keys: dict[int, set[str]], numbers: np.ndarray, cut: np.ndarray, moved: np.ndarray) -> None:
    """The warnings for the repeated headers skipped (`cut`) and the errors for those in another order (`moved`),
    the first TOLD of each a line, the rest a count."""
    for i in cut[:TOLD]:
        problems.warn(file, int(numbers[i]), None, "repeats the header row (two exports pasted into one file?): "
                      "skipped", fix="none needed; delete the line to silence this warning",
                      zh=Zh("重复了表头行（是否把两个导出文件拼在了一起？）：已跳过",
                            "无需处理；删除该行即可不再出现此警告"))
    if len(cut) > TOLD:
        problems.warn(file, None, None, f"{len(cut) - TOLD} more rows repeat the header row: skipped",
                      fix="none needed", zh=Zh(f"另有{len(cut) - TOLD}行重复了表头行：已跳过", "无需处理"))
    every = set().union(*own_keys.values())
    for i in moved[:TOLD]:
        row = table.slice(int(i), 1).to_pylist()[0]
        held = [(j, h, (row[table.column_names[j]] or "").strip().lstrip("\ufeff").strip()) for j, h in named]
        other = [(h, t) for j, h, t in held if header_key(t) in every and header_key(t) not in own_keys[j]]
        places = ", ".join(f"{text!r} under {h!r}" for h, text in other[:3]) + (", ..." if len(other) > 3 else "")
        places_zh = "，".join(f"“{quoted(h)}”列下为“{quoted(text)}”" for h, text in other[:3]) + \
            ("……" if len(other) > 3 else "")
        problems.add(file, int(numbers[i]), None, f"is a header with its columns in another order ({places}): the "
                     "rows under it would be read under the first header's columns",
                     fix=MOVED_FIX[0], zh=Zh(f"是列序不同的另一个表头（{places_zh}）：其下各行会按第一个表头的列读错",
                                              MOVED_FIX[1]))
    if len(moved) > TOLD:
        n = len(moved) - TOLD
        problems.add(file, None, None, f"{n} more rows are headers with their columns in another order",
                     fix="put the columns under each in the first header's order, as for those told above",
                     zh=Zh(f"另有{n}行是列序不同的表头", "像上面列出的行一样，调整每一处其下各行的列序"))


def _size(cells: pa.Array) -> int:
    return sum(b.size for b in cells.buffers() if b is not None)


_PAGE_BYTES = ("页".encode(), b"Page", b"page", b"PAGE")  # one of them is in a page line's text


def _bytes(cells: pa.Array) -> np.ndarray | None:
    """A string column's data buffer as numpy bytes, without a copy (None when it has none)."""
    data = cells.buffers()[2] if pa.types.is_string(cells.type) else None
    return np.frombuffer(data, dtype=np.uint8) if data is not None and data.size else None


def _rows_at(cells: pa.Array, at: np.ndarray) -> np.ndarray:
    """The rows of a string column that hold the bytes at positions `at` of its data buffer, each once, in order."""
    starts = np.frombuffer(cells.buffers()[1], dtype=np.int32)[cells.offset:cells.offset + len(cells) + 1]
    rows = np.searchsorted(starts, at, side="right") - 1
    holding = np.zeros(len(cells), dtype=bool)
    holding[rows[(rows >= 0) & (rows < len(cells))]] = True
    return np.flatnonzero(holding)


def _rows_holding(cells: pa.Array, patterns: tuple[bytes, ...]) -> np.ndarray:
    """The rows of a string column whose bytes hold one of `patterns` (numpy over its data buffer, no copy)."""
    b = _bytes(cells)
    if b is None:
        return np.zeros(0, dtype=np.int64)
    found = []
    for p in patterns:
        at = np.flatnonzero(b[:len(b) - len(p) + 1] == p[0])
        for k in range(1, len(p)):
            at = at[b[at + k] == p[k]]
        found.append(at)
    return _rows_at(cells, np.concatenate(found))


def _rows_folded(cells: pa.Array) -> np.ndarray:
    """The rows of a string column holding a character that a header key folds besides ASCII case: a space or tab,
    or any character but ASCII and the common Chinese ideographs (U+4E00-U+9FFF, UTF-8 lead bytes E4-E9): the
    ideographic and no-break spaces, a byte-order mark, full-width forms (ＩＤ), Kangxi radicals copied from a PDF
    (⼈), capitals with accents. Their lead bytes are looked for with numpy; continuation bytes are 80-BF."""
    b = _bytes(cells)
    if b is None:
        return np.zeros(0, dtype=np.int64)
    return _rows_at(cells, np.flatnonzero((b == 0x20) | (b == 0x09) | ((b >= 0xC2) & (b <= 0xE3)) | (b >= 0xEA)))


def drop_pages(table: pa.Table, file: str, lines: Lines, problems: Problems, width: int) -> tuple[pa.Table, Lines]:
    """The table without the page lines of a paged export (第 1 页 共 5 页 in the first column, the file's other
    `width` - 1 cells empty), each named in a warning; and the rows' lines after it. A first column without the
    bytes such a line holds costs a look at its bytes; only the rows holding them are read."""
    if table.num_columns == 0 or table.num_rows == 0:
        return table, lines
    cells = column(table, table.column_names[0])
    held = _rows_holding(cells, _PAGE_BYTES)
    if not len(held):
        return table, lines
    alone = np.ones(len(held), dtype=bool)  # the other cells of those rows empty, a column at a time
    for name in table.column_names[1:width]:  # not the columns a header implies (股东: every row a shareholder)
        alone &= is_empty(column(table, name).take(pa.array(held, pa.int64())))
    held = held[alone]
    texts = cells.take(pa.array(held, pa.int64()))
    cut = held[mask(pc.match_substring_regex(texts, f"^\\s*(?i:{PAGE.pattern})\\s*$"))].tolist()
    if not cut:
        return table, lines
    numbers = line_array(lines, table.num_rows)
    tell_pages(problems, file, [(int(numbers[i]), str(cells[i].as_py())) for i in cut[:TOLD]], len(cut))
    keep = np.ones(table.num_rows, dtype=bool)
    keep[cut] = False
    return table.filter(pa.array(keep)), numbers[keep]
