"""Reading an .xlsx workbook with bounds: the zip directory is checked before anything is inflated (size, damage,
encryption), sheets are streamed cell by cell (a sheet's declared size is never trusted: only cells that exist are
read, so `A1:XFD1048576` with one cell costs one cell), and damaged, disguised or encrypted files are one problem
each. A sheet the workbook lists but whose part is missing is reported, not dropped."""

from __future__ import annotations

import datetime as dt
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import pyarrow as pa
import pyarrow.compute as pc

from ..cells import quoted
from ..graph.vocabulary import counted
from .limits import (MAX_COLUMNS, MAX_SHEET_ROWS, XLSX_INFLATED_ENV, NotReadable, cannot_read, check_regular,
                     xlsx_inflated_limit)
from .problems import Problems, Zh
from .read import PROBE_LINES, IsHeader, RawTable, unique_names

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 .xls, and encrypted .xlsx (an OLE container)
SAVE_AS = "open it in Excel or WPS and save it again as .xlsx"
SAVE_AS_ZH = "在 Excel 或 WPS 中打开，重新另存为 .xlsx"
# What openpyxl and the zip and XML layers raise on a damaged part (no catch-all: anything else is a bug).
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, ParseError, KeyError, ValueError, IndexError, TypeError,
           OSError)


@dataclass
class SheetRef:
    title: str
    missing: str | None = None  # the zip part the workbook lists for this sheet but does not hold


class Workbook:
    """An opened workbook: its sheets in order, each read on demand."""

    def __init__(self, path: Path, reader):
        self.path = path
        self._reader = reader
        self._sheets = {ws.title: ws for ws in reader.wb.worksheets}

    def sheets(self) -> list[SheetRef]:
        out = []
        for sheet, rel in self._reader.parser.find_sheets():
            if "chartsheet" in (rel.Type or ""):
                continue
            missing = None if rel.target in self._reader.valid_files else rel.target
            out.append(SheetRef(sheet.name, missing))
        return out

    def close(self) -> None:
        self._reader.archive.close()

    def read_sheet(self, title: str, problems: Problems, header_row: int | None = None,
                   is_header: IsHeader | None = None) -> RawTable | None:
        """The sheet's cells as text. `header_row`: the header's row (default: the first row with a value)."""
        where = f"{self.path.name}[{title}]"
        try:
            with _reader_warnings(where, problems):
                merged: list[str] = []
                return _read_rows(_rows(self._sheets[title], self._reader.wb, merged), where, problems, header_row,
                                  is_header, title, merged)
        except _Damaged as exc:
            problems.add(where, exc.row, None, f"is damaged: {exc}", fix=SAVE_AS,
                         zh=Zh(f"已损坏：{exc.zh}", SAVE_AS_ZH))
        except DAMAGED as exc:
            problems.add(where, None, None, f"is damaged and cannot be read ({_reason(exc)})", fix=SAVE_AS,
                         zh=Zh(f"已损坏，无法读取（{_reason(exc)}）", SAVE_AS_ZH))
        return None


def open_workbook(path: Path, problems: Problems) -> Workbook | None:
    """The workbook, or None with one problem recorded: not a regular file, not an .xlsx (an .xls, an encrypted
    workbook, a CSV or an empty file renamed), damaged, or inflating beyond the limit."""
    file = path.name
    try:
        check_regular(path)
        with open(path, "rb") as fh:
            head = fh.read(8)
    except NotReadable as exc:
        problems.items.append(exc.problem(file))
        return None
    except OSError as exc:
        problems.items.append(cannot_read(file, exc))
        return None
    if not head.startswith(ZIP_MAGIC):
        message, fix, zh = _disguised(path, head)
        problems.add(file, None, None, message, fix=fix, zh=zh)
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        problems.add(file, None, None, f"is not a complete .xlsx workbook: the zip is cut or damaged ({_reason(exc)})",
                     fix=f"copy or download it again, or {SAVE_AS}",
                     zh=Zh(f"不是完整的 .xlsx 工作簿：压缩包不完整或已损坏（{_reason(exc)}）",
                           f"重新复制或下载，或者{SAVE_AS_ZH}"))
        return None
    if any(m.flag_bits & 0x1 for m in members):
        problems.add(file, None, None, "has encrypted parts", fix="remove the password in Excel or WPS and save again",
                     zh=Zh("含有加密的部分", "在 Excel 或 WPS 中取消密码后重新保存"))
        return None
    inflated = sum(m.file_size for m in members)
    limit = xlsx_inflated_limit()
    if inflated > limit:
        problems.add(file, None, None, f"would inflate to {inflated / 2**20:,.0f} MB, over the {limit // 2**20:,} MB "
                     "govties reads from a workbook", fix=f"split the workbook, save its sheets as CSV files, or "
                     f"raise the limit with {XLSX_INFLATED_ENV}=MB",
                     zh=Zh(f"解压后将达 {inflated / 2**20:,.0f} MB，超过 govties 从一个工作簿读取的上限 "
                           f"{limit // 2**20:,} MB",
                           f"拆分工作簿、把各工作表另存为 CSV 文件，或用 {XLSX_INFLATED_ENV}=MB 提高上限"))
        return None
    from openpyxl.reader.excel import ExcelReader

    try:
        with _reader_warnings(file, problems):
            reader = ExcelReader(str(path), read_only=True, keep_vba=False, data_only=False, keep_links=False)
            reader.read()
            reader.parser.find_sheets = _listed(reader.parser.find_sheets())  # read once, warnings caught here
    except DAMAGED as exc:
        problems.add(file, None, None, f"is not a readable Excel workbook ({_reason(exc)})", fix=SAVE_AS,
                     zh=Zh(f"不是可读取的 Excel 工作簿（{_reason(exc)}）", SAVE_AS_ZH))
        return None
    return Workbook(path, reader)


@contextmanager
def _reader_warnings(where: str, problems: Problems):
    """What openpyxl says with warnings.warn about data (a date serial out of range read as #VALUE!, a sheet listed
    without an id and dropped) becomes a warning of this file, one line each; what it says about styles and
    extensions it does not keep is not data and is dropped. Nothing reaches stderr as a Python warning."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            said = (" ".join(str(c.message).split()) for c in caught)
            for w in dict.fromkeys(m for m in said if m.startswith("Cell ") or "invalid specification" in m):
                problems.warn(where, None, None, f"the workbook reader says: {w}",
                              fix="check the cells it names in Excel or WPS",
                              zh=Zh(f"读取工作簿时的提示：{_said_zh(w)}", "在 Excel 或 WPS 中检查提示所说的单元格"))


#: What the workbook reader says of a date serial out of range (openpyxl.reader: "Cell A2 is marked as a date but
#: the serial value 1e+20 is outside the limits for dates. The cell will be treated as an error.")
_OUT_OF_DATES = re.compile(r"^Cell (\S+) is marked as a date but the serial value (\S+) is outside the limits for "
                           r"dates\. The cell will be treated as an error\.$")
#: and of a sheet the workbook lists without an id, which it drops (openpyxl.reader.workbook)
_NO_SHEET_ID = re.compile(r"^File contains an invalid specification for .*\. This will be removed$")


def _said_zh(said: str) -> str:
    """What the workbook reader said, in Chinese where its words are known, else quoted as it said them."""
    found = _OUT_OF_DATES.match(said)
    if found:
        return f"单元格 {found[1]} 标为日期，但其序列值 {found[2]} 超出日期的范围，按错误值读取"
    if _NO_SHEET_ID.match(said):
        return "工作簿列出的一个工作表没有编号（规格无效），该工作表已略去"
    return f"（英文原文）{said}"


def _listed(pairs: Iterable[Any]) -> Callable[[], Iterator[Any]]:
    items = list(pairs)
    return lambda: iter(items)


def _disguised(path: Path, head: bytes) -> tuple[str, str, Zh]:
    """What a file named .xlsx that is no zip is, how to fix it, and both in Chinese."""
    if not head:
        return "is empty, not an Excel workbook", "export the workbook again", Zh("是空文件，不是 Excel 工作簿",
                                                                                 "重新导出工作簿")
    if head.startswith(OLE_MAGIC):
        with open(path, "rb") as fh:
            body = fh.read(1 << 20)
        if "EncryptedPackage".encode("utf-16-le") in body:
            return ("is an encrypted (password-protected) workbook",
                    "remove the password in Excel or WPS (File > Info > Protect Workbook) and save again",
                    Zh("是加密（设有密码）的工作簿",
                       "在 Excel 或 WPS 中取消密码（文件 > 信息 > 保护工作簿）后重新保存"))
        return ("is an Excel 97-2003 (.xls) workbook, which govties does not read", SAVE_AS,
                Zh("是 Excel 97-2003（.xls）工作簿，govties 不读取这种格式", SAVE_AS_ZH))
    try:
        sample = head.decode("utf-8")
    except UnicodeDecodeError:
        sample = ""
    if sample and all(ch.isprintable() or ch in "\r\n\t" for ch in sample):
        return ("is text, not an Excel workbook (a CSV file renamed .xlsx?)",
                "rename it to .csv and put it in the dataset folder with the other CSV files",
                Zh("是文本文件，不是 Excel 工作簿（是否把 CSV 文件改名成了 .xlsx？）",
                   "把扩展名改为 .csv，与其他 CSV 文件一起放进数据集文件夹"))
    return "is not an Excel workbook (.xlsx)", SAVE_AS, Zh("不是 Excel 工作簿（.xlsx）", SAVE_AS_ZH)


def _reason(exc: BaseException) -> str:
    text = str(exc).split("\n", 1)[0].strip()
    if isinstance(exc.__cause__, DAMAGED):  # openpyxl wraps what failed in a ValueError saying which step
        text = f"{text.rstrip('.')}: {_reason(exc.__cause__)}"
    kind = "zlib" if isinstance(exc, zlib.error) else type(exc).__name__
    return f"{kind}: {text[:160]}" if text else kind


class _Damaged(Exception):
    def __init__(self, message: str, zh: str, row: int | None = None):
        super().__init__(message)
        self.zh = zh  # the message in Chinese
        self.row = row


def _rows(ws, book, merged: list[str]) -> Iterator[tuple[int, dict[int, object]]]:
    """(row number, {column: value}) for each row the sheet's XML holds, as it is parsed: never the declared
    dimension, never the rows or cells in between. Once they are all read, `merged` holds the sheet's merged
    ranges (A54:A55)."""
    from openpyxl.worksheet._reader import WorkSheetParser  # the parser openpyxl's read-only sheets use

    with ws._get_source() as src:
        parser = WorkSheetParser(src, ws._shared_strings, data_only=book.data_only, epoch=book.epoch,
                                 date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        for number, cells in parser.parse():
            if not 1 <= number <= MAX_SHEET_ROWS:
                raise _Damaged(f"row number {number} is outside Excel's 1 to {MAX_SHEET_ROWS:,}",
                               f"行号{number}超出 Excel 的1至{MAX_SHEET_ROWS:,}行", number)
            row = {}
            for cell in cells:
                if cell["value"] is None:
                    continue
                column = cell["column"]
                if not 1 <= column <= MAX_COLUMNS:
                    raise _Damaged(f"a cell in column {column} is beyond Excel's {MAX_COLUMNS:,} columns",
                                   f"第{column}列的单元格超出 Excel 的{MAX_COLUMNS:,}列", number)
                row[column] = cell["value"]
            if row:
                yield number, row
        if parser.merged_cells is not None:
            merged.extend(str(m.ref) for m in parser.merged_cells.mergeCell)


def cell_text(value) -> str:
    if isinstance(value, str):  # most cells: nothing more to ask of them
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if _rounded(value):  # as Excel shows it: its digits past the 15th were lost, and are not made up
        return format(value, ".15G")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _rounded(value: object) -> bool:
    """Whether a cell's number of more than 15 digits lost those past the 15th, as Excel keeps numbers: a float
    (Excel writes one so, 3.30902195903138E+17), or a whole number whose digits past the 15th are zeros. An
    18-digit resident ID kept so is another person's ID, or none. A whole number written out in full (as pandas
    writes one) is exact."""
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return abs(value) >= 1e15
    return isinstance(value, int) and abs(value) >= 10**15 and not str(abs(value))[15:].strip("0")


def _dense(row: dict[int, object], width: int, rounded: list[int] | None = None) -> list[str]:
    """A row's cells as text, `width` of them; the columns of those whose number was rounded (`_rounded`) are
    added to `rounded`."""
    out = [""] * width
    for column, value in row.items():
        if column <= width:
            out[column - 1] = text = cell_text(value)
            if rounded is not None and "E+" in text and _rounded(value):  # as cell_text writes a rounded number
                rounded.append(column)
    return out


def _read_rows(rows: Iterator[tuple[int, dict[int, object]]], where: str, problems: Problems,
               header_row: int | None, is_header: IsHeader | None, sheet: str = "SHEET",
               merged: list[str] | None = None) -> RawTable | None:
    first = []  # the rows up to the header and a few after it, to find a header that is not where expected
    header_at = None
    for number, row in rows:
        if header_row is not None and number < header_row:
            first.append((number, row))
            continue
        first.append((number, row))
        if header_at is None:
            header_at = len(first) - 1
        if len(first) - header_at > PROBE_LINES:
            break
    if header_at is None:
        line = header_row or 1
        problems.add(where, line, None, "is empty: expected a header row" if header_row is None else
                     f"has no header on row {header_row}: the sheet ends before it",
                     fix="put the header in the first row" if header_row is None else "give the header's row",
                     zh=Zh("是空工作表：应有表头行", "把表头放在第一行") if header_row is None else
                     Zh(f"第{header_row}行没有表头：工作表在此之前就结束了", "指明表头所在的行"))
        return None
    number, cells = first[header_at]
    if header_row is not None and number != header_row:
        problems.add(where, header_row, None, f"row {header_row} is empty: expected the header there",
                     fix="give the row the header is on with --header-row",
                     zh=Zh(f"第{header_row}行是空的：表头应在这一行", "用 --header-row 指明表头所在的行"))
        return None
    wide = max(cells)
    header = _dense(cells, wide)
    if is_header is not None and not is_header(header):
        found = next(((n, r) for n, r in first if n != number and is_header(_dense(r, max(r)))), None)
        if found is not None:
            shown = ", ".join(c for c in _dense(found[1], max(found[1])) if c)
            held, at = ", ".join(c for c in header if c)[:60], found[0]
            problems.add(where, number, None, f"is not the header (found {held!r}); "
                         f"row {at} looks like it ({shown[:120]})",
                         fix=f"set header_row: {at} for this sheet in a --mapping file (files: {{{sheet}: "
                             f"{{header_row: {at}}}}}), or pass --header-row {at} if every sheet's header is on row "
                             f"{at}",
                         zh=Zh(f"不是表头（此行为“{quoted(held)}”）；第{at}行像是表头（{quoted(shown[:120])}）",
                               f"在 --mapping 映射文件中为此工作表设 header_row: {at}（files: {{{sheet}: "
                               f"{{header_row: {at}}}}}），或者每个工作表的表头都在第{at}行时用 --header-row {at}"))
            return None
    while header and not header[-1]:
        header.pop()
    width = len(header)
    columns: list[list[str]] = [[] for _ in range(width)]
    lines: list[int] = []
    beyond: list[int] = []
    long_numbers: list[tuple[int, int, object]] = []  # the numbers past Excel's 15 digits: row, column, value

    def add(n: int, row: dict[int, object]) -> None:
        if max(row) > width:
            beyond.append(n)
            if not any(c <= width for c in row):
                return
        rounded: list[int] = []
        values = _dense(row, width, rounded)
        long_numbers.extend((n, c, row[c]) for c in rounded)
        for j, v in enumerate(values):
            columns[j].append(v)
        lines.append(n)

    for n, row in first[header_at + 1:]:
        add(n, row)
    for n, row in rows:
        add(n, row)
    _fill_merged(merged or [], columns, lines, where, problems)
    if beyond:
        problems.warn(where, beyond[0], None, f"{len(beyond)} row(s) have values to the right of the header's last "
                      f"column ({_column_letter(width)}); those cells are not read",
                      fix="give those columns a header, or delete the stray cells",
                      zh=Zh(f"{len(beyond)}行在表头最后一列（{_column_letter(width)}列）的右侧有值；这些单元格不会被读取",
                            "为这些列加上表头，或删除多余的单元格"))
    if long_numbers:
        n, c, value = long_numbers[0]
        k = len(long_numbers)
        said = ("1 cell holds a number of more than 15 digits: Excel keeps 15, so the digits after the 15th are lost; "
                "it is read as Excel shows it, so no resident ID or credit code is read from it" if k == 1 else
                f"{k} cells hold a number of more than 15 digits (the first here): Excel keeps 15, so the digits "
                "after the 15th are lost; each is read as Excel shows it, so no resident ID or credit code is read "
                "from it")
        problems.warn(where, n, header[c - 1] or None, said, cell_text(value),
                      fix="format the column as text in Excel and copy the values again from the source", col_no=c,
                      zh=Zh(f"{k}个单元格是超过15位的数字{'（第一个在此）' if k > 1 else ''}："
                            "Excel 只保留15位有效数字，其后的位数已丢失；"
                            "按 Excel 显示的样子读取，不从中读取身份证号或信用代码",
                            "在 Excel 中把该列设为文本格式，再从原始来源重新复制这些值"))
    names = unique_names(header)
    table = pa.table({c: pa.array(columns[j], type=pa.string()) for j, c in enumerate(names)})
    formulas = sum(pc.sum(pc.starts_with(col, "=")).as_py() or 0 for col in table.columns)
    if formulas:
        said = ("1 cell holds a formula; its formula text is kept as data, not evaluated" if formulas == 1 else
                f"{formulas} cells hold formulas; their formula text is kept as data, not evaluated")
        problems.warn(where, None, None, said, fix="paste values instead of formulas if the computed value was meant",
                      zh=Zh(f"{formulas}个单元格含有公式；公式文本按数据保留，不会计算",
                            "如要的是计算结果，请“选择性粘贴”为数值，不用公式"))
    return RawTable(where, header, table, lines, "xlsx", number)


def _column_letter(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out or "A"


_NUMBER = re.compile(r"[-+]?[0-9][0-9,]*(\.[0-9]+)?(E[-+][0-9]+)?")  # a number as cell_text writes one


def _fill_merged(merged: list[str], columns: list[list[str]], lines: list[int], where: str,
                 problems: Problems) -> None:
    """Each merged range's text in every row of it, as the sheet shows it (a person's id merged down over the
    rows of their posts): a sheet keeps it in the range's first cell only, and the others would read empty. A number
    merged so (an amount over the lots of one contract) stays in its first row: counted in each, it would add up
    to more than it is."""
    if not merged:
        return
    from openpyxl.utils.cell import range_boundaries

    at = {line: i for i, line in enumerate(lines)}
    filled: list[str] = []
    for ref in merged:
        first_col, first_row, last_col, last_row = range_boundaries(ref)
        top = at.get(first_row)
        for j in range(first_col - 1, min(last_col, len(columns))):
            value = columns[j][top] if top is not None else ""
            if _NUMBER.fullmatch(value):
                continue
            rows = [at[r] for r in range(first_row + 1, last_row + 1) if r in at and not columns[j][at[r]]]
            for i in rows if value else ():
                columns[j][i] = value
            if value and rows and ref not in filled:
                filled.append(ref)
    if filled:
        shown = ", ".join(filled[:5]) + (" ..." if len(filled) > 5 else "")
        problems.warn(where, None, None, counted(f"{len(filled)} merged range(s) ({shown}): each value is read in "
                      "every row of its range, as the sheet shows it", len(filled)),
                      fix="none needed, if each row of a range means that value (a number merged so is read in "
                          "its first row only); else unmerge the cells",
                      zh=Zh(f"{len(filled)}个合并单元格区域（{shown}）：每个值按表中所见读入其区域的每一行",
                            "如果区域中每一行确实都是该值，无需处理（合并的数字只读入区域的第一行）；否则请取消合并单元格"))
