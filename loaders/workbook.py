"""Reading an .xlsx workbook with bounds: the zip directory is checked before anything is inflated (size, damage,
encryption), sheets are streamed cell by cell (a sheet's declared size is never trusted: only cells that exist are
read, so `A1:XFD1048576` with one cell costs one cell), and damaged, disguised or encrypted files are one problem
each. A sheet the workbook lists but whose part is missing is reported, not dropped."""

from __future__ import annotations

import datetime as dt
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

from .limits import (MAX_COLUMNS, MAX_SHEET_ROWS, XLSX_INFLATED_ENV, NotReadable, check_regular,
                     xlsx_inflated_limit)
from .problems import Problems
from .read import PROBE_LINES, IsHeader, RawTable, unique_names

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 .xls, and encrypted .xlsx (an OLE container)
SAVE_AS = "open it in Excel or WPS and save it again as .xlsx"
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
                return _read_rows(_rows(self._sheets[title], self._reader.wb), where, problems, header_row, is_header)
        except _Damaged as exc:
            problems.add(where, exc.row, None, f"is damaged: {exc}", fix=SAVE_AS)
        except DAMAGED as exc:
            problems.add(where, None, None, f"is damaged and cannot be read ({_reason(exc)})", fix=SAVE_AS)
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
        problems.add(file, None, None, str(exc), fix=exc.fix)
        return None
    except OSError as exc:
        problems.add(file, None, None, f"cannot be read: {exc.strerror}", fix="check the path and permissions")
        return None
    if not head.startswith(ZIP_MAGIC):
        message, fix = _disguised(path, head)
        problems.add(file, None, None, message, fix=fix)
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        problems.add(file, None, None, f"is not a complete .xlsx workbook: the zip is cut or damaged ({_reason(exc)})",
                     fix=f"copy or download it again, or {SAVE_AS}")
        return None
    if any(m.flag_bits & 0x1 for m in members):
        problems.add(file, None, None, "has encrypted parts", fix="remove the password in Excel or WPS and save again")
        return None
    inflated = sum(m.file_size for m in members)
    limit = xlsx_inflated_limit()
    if inflated > limit:
        problems.add(file, None, None, f"would inflate to {inflated / 2**20:,.0f} MB, over the {limit // 2**20:,} MB "
                     "govties reads from a workbook", fix=f"split the workbook, save its sheets as CSV files, or "
                     f"raise the limit with {XLSX_INFLATED_ENV}=MB")
        return None
    from openpyxl.reader.excel import ExcelReader

    try:
        with _reader_warnings(file, problems):
            reader = ExcelReader(str(path), read_only=True, keep_vba=False, data_only=False, keep_links=False)
            reader.read()
            reader.parser.find_sheets = _listed(reader.parser.find_sheets())  # read once, warnings caught here
    except DAMAGED as exc:
        problems.add(file, None, None, f"is not a readable Excel workbook ({_reason(exc)})", fix=SAVE_AS)
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
                              fix="check the cells it names in Excel or WPS")


def _listed(pairs: Iterable[Any]) -> Callable[[], Iterator[Any]]:
    items = list(pairs)
    return lambda: iter(items)


def _disguised(path: Path, head: bytes) -> tuple[str, str]:
    if not head:
        return "is empty, not an Excel workbook", "export the workbook again"
    if head.startswith(OLE_MAGIC):
        with open(path, "rb") as fh:
            body = fh.read(1 << 20)
        if "EncryptedPackage".encode("utf-16-le") in body:
            return ("is an encrypted (password-protected) workbook",
                    "remove the password in Excel or WPS (File > Info > Protect Workbook) and save again")
        return "is an Excel 97-2003 (.xls) workbook, which govties does not read", SAVE_AS
    try:
        sample = head.decode("utf-8")
    except UnicodeDecodeError:
        sample = ""
    if sample and all(ch.isprintable() or ch in "\r\n\t" for ch in sample):
        return ("is text, not an Excel workbook (a CSV file renamed .xlsx?)",
                "rename it to .csv and put it in the dataset folder with the other CSV files")
    return "is not an Excel workbook (.xlsx)", SAVE_AS


def _reason(exc: BaseException) -> str:
    text = str(exc).split("\n", 1)[0].strip()
    if isinstance(exc.__cause__, DAMAGED):  # openpyxl wraps what failed in a ValueError saying which step
        text = f"{text.rstrip('.')}: {_reason(exc.__cause__)}"
    kind = "zlib" if isinstance(exc, zlib.error) else type(exc).__name__
    return f"{kind}: {text[:160]}" if text else kind


class _Damaged(Exception):
    def __init__(self, message: str, row: int | None = None):
        super().__init__(message)
        self.row = row


def _rows(ws, book) -> Iterator[tuple[int, dict[int, object]]]:
    """(row number, {column: value}) for each row the sheet's XML holds, as it is parsed: never the declared
    dimension, never the rows or cells in between."""
    from openpyxl.worksheet._reader import WorkSheetParser  # the parser openpyxl's read-only sheets use

    with ws._get_source() as src:
        parser = WorkSheetParser(src, ws._shared_strings, data_only=book.data_only, epoch=book.epoch,
                                 date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        for number, cells in parser.parse():
            if not 1 <= number <= MAX_SHEET_ROWS:
                raise _Damaged(f"row number {number} is outside Excel's 1 to {MAX_SHEET_ROWS:,}", number)
            row = {}
            for cell in cells:
                if cell["value"] is None:
                    continue
                column = cell["column"]
                if not 1 <= column <= MAX_COLUMNS:
                    raise _Damaged(f"a cell in column {column} is beyond Excel's {MAX_COLUMNS:,} columns", number)
                row[column] = cell["value"]
            if row:
                yield number, row


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _dense(row: dict[int, object], width: int) -> list[str]:
    out = [""] * width
    for column, value in row.items():
        if column <= width:
            out[column - 1] = cell_text(value)
    return out


def _read_rows(rows: Iterator[tuple[int, dict[int, object]]], where: str, problems: Problems,
               header_row: int | None, is_header: IsHeader | None) -> RawTable | None:
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
                     fix="put the header in the first row" if header_row is None else "give the header's row")
        return None
    number, cells = first[header_at]
    if header_row is not None and number != header_row:
        problems.add(where, header_row, None, f"row {header_row} is empty: expected the header there",
                     fix="give the row the header is on with --header-row")
        return None
    wide = max(cells)
    header = _dense(cells, wide)
    if is_header is not None and not is_header(header):
        found = next(((n, r) for n, r in first if n != number and is_header(_dense(r, max(r)))), None)
        if found is not None:
            shown = ", ".join(c for c in _dense(found[1], max(found[1])) if c)
            problems.add(where, number, None, f"is not the header (found {', '.join(c for c in header if c)[:60]!r}); "
                         f"row {found[0]} looks like it ({shown[:120]})",
                         fix=f"set header_row: {found[0]} for this sheet in a --mapping file (files: {{SHEET: "
                             f"{{header_row: {found[0]}}}}}, SHEET its title), or pass --header-row {found[0]} if "
                             f"every sheet's header is on row {found[0]}")
            return None
    while header and not header[-1]:
        header.pop()
    width = len(header)
    columns: list[list[str]] = [[] for _ in range(width)]
    lines: list[int] = []
    beyond: list[int] = []

    def add(n: int, row: dict[int, object]) -> None:
        if max(row) > width:
            beyond.append(n)
            if not any(c <= width for c in row):
                return
        values = _dense(row, width)
        for j, v in enumerate(values):
            columns[j].append(v)
        lines.append(n)

    for n, row in first[header_at + 1:]:
        add(n, row)
    for n, row in rows:
        add(n, row)
    if beyond:
        problems.warn(where, beyond[0], None, f"{len(beyond)} row(s) have values to the right of the header's last "
                      f"column ({_column_letter(width)}); those cells are not read",
                      fix="give those columns a header, or delete the stray cells")
    names = unique_names(header)
    table = pa.table({c: pa.array(columns[j], type=pa.string()) for j, c in enumerate(names)})
    formulas = sum(pc.sum(pc.starts_with(col, "=")).as_py() or 0 for col in table.columns)
    if formulas:
        problems.warn(where, None, None, f"{formulas} cell(s) hold formulas; their formula text is kept as data, "
                      "not evaluated", fix="paste values instead of formulas if the computed value was meant")
    return RawTable(where, header, table, lines, "xlsx", number)


def _column_letter(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out or "A"
