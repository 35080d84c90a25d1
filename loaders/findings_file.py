"""Reading a findings table written by a sweep (CSV, JSON lines, Excel or Parquet), e.g. for diffs and FtM export.

Every value comes back as text, as the CSV has it: headers in either language become the column ids, a formula
cell's protective apostrophe is dropped, Excel dates become ISO dates and whole numbers lose their `.0`, long Excel
texts are put back together from the `long_text` sheet, and an evidence JSON object (JSON lines) becomes its
canonical JSON text. Files written by earlier versions (evidence as a JSON string, no as_of column) read the same
way. The file is checked as the loader checks a dataset: a score that is not 0-100, a date that is none (2022-02-31)
or a finding id that appears twice is an error naming the line, never a traceback or a diff that silently picks one
row. Dates come back as ISO dates (a date and time, YYYY-MM-DDTHH:MM, for a triage's when), whatever form a person
who edited the file wrote them in.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from ..cells import restore
from ..graph.vocabulary import counted
from ..titles import DATE_COLUMNS, FINDING_COLUMNS, column_ids, word_ids
from .encodings import decode
from .limits import CHECK_PATH, NotReadable, cannot_read, check_regular, open_regular
from .problems import DataError, Problem, Problems, Zh
from .read import read_csv
from .values import date_problem, moment_problem, parse_date, parse_moment
from .workbook import open_workbook

FIX, FIX_ZH = "use a file written by govties sweep", "使用 govties sweep 写出的文件"
TIMED = "triage_when"  # the date column that may carry a time (when a triage was recorded)
NOT_READ = "the findings file was not read"
LONG_SHEET = "long_text"  # where the Excel export puts texts longer than a cell holds (rules/workbook.py)


def read_findings(path: str | Path) -> pd.DataFrame:
    path = Path(path)
    if not path.exists():
        raise DataError([Problem(str(path), None, None, "does not exist", fix="give a findings file from a sweep",
                                 zh=Zh("不存在", "给出扫描（govties sweep）写出的线索文件"))], NOT_READ)
    problems = Problems()
    frame, lines = _read(path, problems)
    if frame is None:
        raise DataError(problems.errors or [Problem(path.name, None, None, "cannot be read as findings", fix=FIX,
                                                    zh=Zh("无法作为线索文件读取", FIX_ZH))], NOT_READ)
    frame.columns = column_ids(list(frame.columns))
    missing = [c for c in FINDING_COLUMNS if c not in frame.columns]
    if missing:
        raise DataError([Problem(path.name, 1, missing[0], f"is not a findings table: it has no {_listed(missing)} "
                                 + counted("column(s)", len(missing))
                                 + f" (a sweep's findings file has {', '.join(FINDING_COLUMNS)})", fix=FIX,
                                 zh=Zh(f"不是线索表：缺少{len(missing)}列（{'、'.join(missing[:4])}"
                                       f"{'等' if len(missing) > 4 else ''}）；扫描写出的线索文件有 "
                                       f"{'、'.join(FINDING_COLUMNS)} 列", FIX_ZH))], NOT_READ)
    frame = word_ids(frame.astype(object).map(_text).map(restore))
    _check(frame, lines, path.name, problems)
    if problems.errors:
        raise DataError(problems.errors, NOT_READ)
    if "score" in frame.columns:
        frame["score"] = frame["score"].map(lambda v: str(int(float(v))) if v.strip() else "")
    return frame


def read_about(path: str | Path) -> dict[str, str] | None:
    """The run's parameters a findings file records (an Excel file's about sheet: rules, as_of, masked ...), or None
    where the format keeps none (CSV, JSON lines, Parquet) or the sheet is missing."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        return None
    problems = Problems()
    book = open_workbook(path, problems)
    if book is None:
        return None
    try:
        raw = book.read_sheet("about", problems, 1) if "about" in [s.title for s in book.sheets()] else None
    finally:
        book.close()
    if raw is None:
        return None
    return {str(k): str(v) for k, v in raw.frame.iloc[:, :2].itertuples(index=False) if k}


def _read(path: Path, problems: Problems) -> tuple[pd.DataFrame | None, list[int] | None]:
    """The table and each row's line (None: row i is on line i + 2)."""
    suffix = path.suffix.lower()
    name = path.name
    if suffix == ".csv":
        raw = read_csv(path, problems)
        if raw is None:
            return None, None
        frame = raw.frame
        frame.columns = [h.strip().lstrip("\ufeff") for h in raw.header]
        return frame, [raw.line(i) for i in range(len(frame))]
    if suffix in (".jsonl", ".ndjson"):
        return _jsonl(path, problems)
    if suffix == ".xlsx":
        return _xlsx(path, problems)
    if suffix == ".parquet":
        try:
            check_regular(path)
            return pd.read_parquet(path), None
        except NotReadable as exc:
            problems.items.append(exc.problem(name))
        except (ValueError, OSError) as exc:
            said = " ".join(str(exc).split())[:200]
            problems.add(name, None, None, f"cannot be read as findings: {said}", fix=FIX,
                         zh=Zh(f"无法作为线索文件读取（{said}）", FIX_ZH))
        return None, None
    problems.add(name, None, None, "is not a findings file", fix="use the .csv, .jsonl, .xlsx or .parquet file a "
                                                                  "sweep wrote",
                 zh=Zh("不是线索文件", "使用扫描写出的 .csv、.jsonl、.xlsx 或 .parquet 文件"))
    return None, None


def _xlsx(path: Path, problems: Problems) -> tuple[pd.DataFrame | None, list[int] | None]:
    book = open_workbook(path, problems)
    if book is None:
        return None, None
    try:
        titles = [s.title for s in book.sheets()]
        if "findings" not in titles:
            problems.add(path.name, None, None, "has no sheet named findings", fix=FIX,
                         zh=Zh("没有名为 findings 的工作表", FIX_ZH))
            return None, None
        raw = book.read_sheet("findings", problems, 1)
        long = book.read_sheet(LONG_SHEET, problems, 1) if LONG_SHEET in titles else None
    finally:
        book.close()
    if raw is None:
        return None, None
    frame = raw.frame
    frame.columns = raw.header
    if long is not None and len(long.frame):
        _join_long_texts(frame, long.frame)
    return frame, [raw.line(i) for i in range(len(frame))]


def _join_long_texts(frame: pd.DataFrame, long: pd.DataFrame) -> None:
    """Texts the export split over rows of the long_text sheet (sheet, row, column, part, text) put back whole."""
    parts: dict[tuple[int, str], list[tuple[int, str]]] = {}
    for sheet, row, column, part, text in long.iloc[:, :5].itertuples(index=False):
        if sheet == "findings" and str(row).isdigit() and str(part).isdigit():
            parts.setdefault((int(row), str(column)), []).append((int(part), text or ""))
    ids = column_ids(list(frame.columns))
    for (row, column), pieces in parts.items():
        if column in ids and 2 <= row <= len(frame) + 1:
            frame.iat[row - 2, ids.index(column)] = "".join(text for _, text in sorted(pieces))


def _jsonl(path: Path, problems: Problems) -> tuple[pd.DataFrame | None, list[int] | None]:
    try:
        with open_regular(path) as fh:
            data = fh.read()
    except NotReadable as exc:
        problems.items.append(exc.problem(path.name))
        return None, None
    except OSError as exc:
        problems.items.append(cannot_read(path.name, exc, CHECK_PATH))
        return None, None
    decoded = decode(data, path.name, problems, "utf-8")
    if decoded is None:
        return None, None
    rows, lines = [], []
    for n, line in enumerate(decoded[0].lstrip("\ufeff").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except (ValueError, RecursionError):
            row = None
        if not isinstance(row, dict):
            problems.add(path.name, n, None, "is not a finding (one JSON object per line)", fix=FIX,
                         zh=Zh("不是一条线索（每行应是一个 JSON 对象）", FIX_ZH))
            if len(problems.errors) >= 100:
                break
            continue
        rows.append({k: _text(v) for k, v in row.items()})
        lines.append(n)
    if problems.errors:
        return None, None
    # no line at all: a sweep that found nothing writes an empty file
    return (pd.DataFrame(rows).fillna("") if rows else pd.DataFrame(columns=FINDING_COLUMNS)), lines


def _listed(names: list[str]) -> str:
    return ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")


def _text(value: Any) -> str:
    """A value as the CSV writes it."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, str):
        return _text(value.item())
    return str(value)




def _check(frame: pd.DataFrame, lines: list[int] | None, file: str, problems: Problems) -> None:
    def line(i: int) -> int:
        return lines[i] if lines is not None else i + 2

    ids = frame["finding_id"].str.strip()
    for i in ids.index[ids == ""][:20]:
        problems.add(file, line(i), "finding_id", "a finding id is required", fix=FIX, zh=Zh("缺少线索编号", FIX_ZH))
    repeated = ids[(ids != "") & ids.duplicated(keep=False)]
    for fid, group in list(repeated.groupby(repeated, sort=False))[:20]:
        at = [line(i) for i in group.index]
        problems.add(file, at[1], "finding_id", f"the finding id {fid} also appears on line {at[0]}: a findings table "
                     "has one row per finding", fix=FIX,
                     zh=Zh(f"线索编号 {fid} 在第{at[0]}行也出现过：线索表中每条线索只占一行", FIX_ZH))
    if "score" in frame.columns:
        scores = frame["score"].tolist()  # row i of the frame (its index is 0, 1, ...) is row i of `lines`
        bad = [i for i, v in enumerate(scores) if v.strip() and not _score_ok(v)]
        for i in bad[:20]:
            problems.add(file, line(i), "score", "expected a score from 0 to 100", scores[i], FIX,
                         zh=Zh("应为0到100的评分", FIX_ZH))
        if len(bad) > 20:
            problems.add(file, None, "score", f"{len(bad) - 20} more rows with a bad score", fix=FIX,
                         zh=Zh(f"另有{len(bad) - 20}行的评分有误", FIX_ZH))
    for column in [c for c in frame.columns if c in DATE_COLUMNS]:
        _check_dates(frame, column, line, file, problems)


def _check_dates(frame: pd.DataFrame, column: str, line: Callable[[int], int], file: str, problems: Problems) -> None:
    """A date column's dates as ISO dates (in place), each cell that is no date a problem with its line."""
    parse, problem = (parse_moment, moment_problem) if column == TIMED else (parse_date, date_problem)
    values = frame[column].tolist()
    read = [parse(v) if v.strip() else "" for v in values]
    bad = [i for i, v in enumerate(read) if v is None]
    fix = "write the date as YYYY-MM-DD" + (" (and a time, if any, as HH:MM after it)" if column == TIMED else "")
    fix_zh = ("日期写作 YYYY-MM-DD" + ("（如有时间，在其后写 HH:MM）" if column == TIMED else "")
              + "，与 govties sweep 写出的一致")
    for i in bad[:20]:
        why, why_zh = problem(values[i]), problem(values[i], "zh")
        form = why.startswith("expected")  # the form is wrong: the words say what was expected
        problems.add(file, line(i), column, why if form else f"expected a date: {why}",
                     values[i], f"{fix}, as govties sweep writes it", zh=Zh(why_zh if form else f"应为日期：{why_zh}",
                                                                            fix_zh))
    if len(bad) > 20:
        problems.add(file, None, column, f"{len(bad) - 20} more rows with a bad date", fix=f"{fix}, as govties "
                     "sweep writes it", zh=Zh(f"另有{len(bad) - 20}行的日期有误", fix_zh))
    if not bad:
        frame[column] = read


def _score_ok(text: str) -> bool:
    try:
        value = float(text)
    except ValueError:
        return False
    return value == value and 0 <= value <= 100 and value == int(value)
