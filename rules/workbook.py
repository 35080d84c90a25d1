"""Excel workbooks people can work in: one sheet per table with a bold, frozen header row, filters on every column,
column widths that fit, real date cells (first_date, last_date ...) and number cells (scores, amounts, counts),
then a `long_text` sheet when a value is longer than Excel's 32,767 characters per cell, and an `about` sheet with
the disclaimer and the run's parameters. Where the header row shows titles (titles.titled), severity and triage
status are written in that language's words (高, not high) and read back as their ids.

Every value from the data is written as it is, except:
- characters XML forbids (controls) are shown as escapes (`\\x07`), lone surrogates as U+FFFD;
- text a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe, unless
  `raw_cells`; then it is still written as a text cell, never as a formula;
- a longer text keeps its first 32,000 characters in its cell, followed by a note naming the rows of `long_text`
  that hold the whole text (split into parts of 32,000 characters, in order); loaders.findings_file puts it back
  together.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..cells import EXCEL_CELL_LIMIT, for_xml, neutralize
from ..titles import AMOUNT_COLUMNS, DATE_COLUMNS, SHARE_COLUMNS, titled, worded

PART = 32_000
LONG_SHEET = "long_text"
LONG_COLUMNS = ("sheet", "row", "column", "part", "text")
CUT_NOTE = " … [{n:,} characters: the whole text is in sheet long_text, rows {first}-{last}]"
_WIDEST = {"evidence": 60, "explanation": 80}


@dataclass
class Sheet:
    name: str
    frame: pd.DataFrame
    extra_titles: Mapping[str, str] | None = None  # titles of columns named by data (rule ids)
    words: Mapping[str, Mapping[str, str]] | None = None  # words of values named by data, by column (titles.worded)


def write_workbook(path: str | Path, sheets: Iterable[Sheet], about: list[tuple[str, str]], *, lang: str,
                   headers: str = "lang", raw_cells: bool = False) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    buffer = io.BytesIO()  # the zip is built in memory: a failure midway leaves no half-closed zip to complain later
    try:
        _fill(wb, sheets, about, lang, headers, raw_cells)
        wb.save(buffer)
    except BaseException:
        _discard(wb)
        raise
    with open(path, "wb") as fh:
        fh.write(buffer.getbuffer())


def _fill(wb, sheets: Iterable[Sheet], about: list[tuple[str, str]], lang: str, headers: str, raw: bool) -> None:
    long_rows: list[tuple] = []
    for sheet in sheets:
        _write_sheet(wb, sheet, lang, headers, raw, long_rows)
    if long_rows:
        ws = wb.create_sheet(LONG_SHEET)
        _header(ws, list(LONG_COLUMNS), [10, 8, 16, 6, 80])
        for row in long_rows:
            ws.append([_text_cell(ws, v) if isinstance(v, str) else v for v in row])
    ws = wb.create_sheet("about")
    _header(ws, titled(["key", "value"], lang, headers), [16, 100])
    for key, value in about:
        ws.append([_text_cell(ws, neutralize(for_xml(str(key)))), _text_cell(ws, neutralize(for_xml(str(value))))])


def _discard(wb) -> None:
    """A workbook that failed midway (a full disk): its sheets' streams closed and their temporary files removed
    now, instead of complaining when they are collected."""
    import os

    for ws in wb.worksheets:
        for stream in (getattr(ws, "_rows", None), getattr(getattr(ws, "_writer", None), "xf", None)):
            if stream is not None:
                try:
                    stream.close()
                except (ValueError, OSError, StopIteration):
                    pass
        out = getattr(getattr(ws, "_writer", None), "out", None)
        if isinstance(out, str):
            try:
                os.remove(out)
            except OSError:
                pass


def _write_sheet(wb, sheet: Sheet, lang: str, headers: str, raw: bool, long_rows: list[tuple]) -> None:
    from openpyxl.utils import get_column_letter

    frame = worded(sheet.frame, lang, headers, sheet.extra_titles, sheet.words)
    ws = wb.create_sheet(sheet.name)
    columns = [str(c) for c in frame.columns]
    shown = titled(columns, lang, headers, sheet.extra_titles)
    widths = [_width(c, t, frame[c]) for c, t in zip(columns, shown, strict=True)]
    _header(ws, shown, widths)
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(frame) + 1}"
    for row, values in enumerate(frame.itertuples(index=False, name=None), start=2):
        ws.append([_cell(ws, v, c, sheet.name, row, raw, long_rows) for v, c in zip(values, columns, strict=True)])


def _header(ws, titles: list[str], widths: list[float]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    cells = []
    for t in titles:
        cell = WriteOnlyCell(ws, value=for_xml(t))
        cell.font = Font(bold=True)
        cells.append(cell)
    ws.append(cells)


def _cell(ws, value: Any, column: str, sheet: str, row: int, raw: bool, long_rows: list[tuple]) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool):
        return value
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    if isinstance(value, (int, float)):
        if value != value:
            return None
        shown = _NUMBER_FORMATS.get(column)
        if shown is None:
            return value
        cell = WriteOnlyCell(ws, value=value)  # the value as it is, shown as people read it (1,200,000; 66.7%)
        cell.number_format = shown[float(value).is_integer()] if column in AMOUNT_COLUMNS else shown[0]
        return cell
    date = _date(value) if column in DATE_COLUMNS else None
    if date is not None:
        cell = WriteOnlyCell(ws, value=date)
        # a time is a triage's, recorded in UTC (loaders.triage.shown_time): the cell says so
        cell.number_format = 'yyyy-mm-dd hh:mm "UTC"' if isinstance(date, dt.datetime) else "yyyy-mm-dd"
        return cell
    text = for_xml(str(value))
    if len(text) > EXCEL_CELL_LIMIT - 1:
        parts = [text[i:i + PART] for i in range(0, len(text), PART)]
        first = len(long_rows) + 2
        for n, part in enumerate(parts, start=1):
            long_rows.append((sheet, row, column, n, part))
        text = parts[0] + CUT_NOTE.format(n=len(text), first=first, last=first + len(parts) - 1)
    if not raw:
        text = neutralize(text)
    return _text_cell(ws, text)


#: Excel's number format of a column's numbers (an amount: with fen, else whole yuan)
_NUMBER_FORMATS = {**dict.fromkeys(AMOUNT_COLUMNS, ("#,##0.00", "#,##0")), **dict.fromkeys(SHARE_COLUMNS, ("0.0%",))}


def _date(value: Any) -> dt.date | None:
    """A date cell's value: a date, or a date and time (a triage's `when` may carry one: YYYY-MM-DDTHH:MM, or
    2026-12-01 18:18 UTC as the workspace's triage file writes it: all times there are UTC)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.endswith(" UTC"):
        value = value[:-4]
    if isinstance(value, str) and len(value) in (10, 16, 19):
        try:
            return dt.date.fromisoformat(value) if len(value) == 10 else dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _text_cell(ws, text: str):
    """A cell that is text whatever it starts with (openpyxl would make "=..." a formula)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"
    return cell


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text[:120])


def _width(column: str, shown: str, values: pd.Series) -> float:
    if column in DATE_COLUMNS:  # a date (yyyy-mm-dd), or a date and time (yyyy-mm-dd hh:mm: a triage's when)
        timed = any(isinstance(v, str) and len(v) > 10 for v in values.head(500).tolist())
        return max(22 if timed else 12, _display_width(shown) + 2)  # 2025-01-06 09:05 UTC, not #####
    sample = [v for v in values.head(500).tolist() if v is not None and not (isinstance(v, float) and v != v)]
    widest = max([_display_width(shown)] + [_display_width(str(v)) for v in sample])
    return float(min(max(widest + 2, 8), _WIDEST.get(column, 50)))


__all__ = ["Sheet", "write_workbook", "DATE_COLUMNS", "LONG_SHEET", "LONG_COLUMNS", "PART"]
