"""Where a dataset's tables come from: a folder of CSV files, or an Excel workbook with one sheet per file.
Files and sheets are matched to the contract by name, Chinese name or mapping; two that fill one contract file
are an error. The header is on line 1 unless --header-row (or a mapping's header_row) says otherwise."""

from __future__ import annotations

import difflib

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from .contract import ANSWER_KEY, FILES
from .headers import contract_file_for, file_zh, missing_required
from .limits import reason_zh
from .mapping import Mapping
from .parallel import run_all
from .problems import Problems, Zh
from .read import RawTable, read_csv
from .workbook import SAVE_AS, SAVE_AS_ZH, open_workbook

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
_WHAT_ZH = {"file": "文件", "sheet": "工作表"}  # what a source is, in Chinese


@dataclass
class Source:
    raw: RawTable
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    name: str = ""  # the file's stem or the sheet's title, as a mapping file names it


@dataclass
class _Target:
    file: str | None
    columns: dict
    values: dict
    header_row: int | None


def _target(name: str, mapping: Mapping, header_row: int | None) -> _Target:
    mapped = mapping.for_source(name)
    if mapped:
        return _Target(mapped.file, mapped.columns, mapped.values, mapped.header_row or header_row)
    if name in FILES:
        return _Target(name, {}, {}, header_row)
    return _Target(contract_file_for(name), {}, {}, header_row)


def _is_header(file: str, columns: dict):
    spec = FILES[file]
    return lambda cells: not missing_required(spec, cells, columns)


def collect(root: Path, problems: Problems, encoding: str | None, mapping: Mapping,
            progress=None, header_row: int | None = None) -> dict[str, Source | None] | None:
    """Each contract file's source (None: present but unreadable, its problems recorded); None when the dataset
    itself cannot be read (a workbook that does not open)."""
    if root.suffix.lower() in WORKBOOK_SUFFIXES and not root.is_dir():
        return _workbook(root, problems, mapping, header_row)
    filled_by: dict[str, str] = {}
    reads: list[tuple[str, Path, _Target]] = []
    csvs, others = _listed(root, problems)
    _unmatched(problems, mapping, [path.name for path in csvs], "file")
    for path in csvs:
        target = _target(path.name, mapping, header_row)
        if target.file is None:
            if path.name != ANSWER_KEY:
                _not_read(problems, path.name, "file")
            continue
        if target.file in filled_by:
            before = filled_by[target.file]
            if before.casefold() == path.name.casefold():
                problems.add(path.name, None, None, f"and {before} differ only in case: both would fill "
                             f"{target.file}", fix="keep one of the two",
                             zh=Zh(f"与 {before} 只有大小写不同：两者都会填入 {file_zh(target.file)}",
                                   "只保留其中一个"))
            else:
                problems.add(path.name, None, None, f"also fills {target.file}, already filled by {before}",
                             fix="keep one file per contract file, or map them apart in the mapping file",
                             zh=Zh(f"也会填入 {file_zh(target.file)}，而 {before} 已填入该文件",
                                   "每个数据规范文件只保留一个文件，或在映射文件中把它们分别对应到不同的数据规范文件"))
            continue
        filled_by[target.file] = path.name
        reads.append((target.file, path, target))
    _other_data(problems, others, mapping, set(filled_by))
    total = len(reads)
    if progress:
        progress("read", 0, total)
    # the files are parsed two or more at a time (see loaders.parallel), the biggest first; each file's problems
    # are its own, so the outcome does not depend on which finished first
    jobs = sorted(reads, key=lambda job: -_size(job[1]))
    raws = run_all([(file, partial(read_csv, path, problems, encoding, header_row=target.header_row or 1,
                                   is_header=_is_header(file, target.columns), option=True, quotes=True))
                    for file, path, target in jobs],
                   (lambda _file, count: progress("read", count, total) if count < total else None)
                   if progress else None)
    out: dict[str, Source | None] = {}
    for file, path, target in reads:
        raw = raws[file]
        # None: present, unreadable
        out[file] = Source(raw, target.columns, target.values, path.stem) if raw is not None else None
    return out


def _listed(root: Path, problems: Problems) -> tuple[list[Path], list[Path]]:
    """The folder's CSV files (.csv in any case: Relatives.CSV is relatives.csv), and its other files (hidden ones
    and Office's lock files, ~$book.xlsx, aside)."""
    try:
        paths = sorted(p for p in root.iterdir() if not p.name.startswith((".", "~$")))
    except OSError as exc:
        problems.add(str(root), None, None, f"cannot be listed: {exc.strerror or type(exc).__name__}",
                     fix="give a folder govties may read (its permissions), or copy the files to one",
                     zh=Zh(f"无法列出其中的文件：{reason_zh(exc)}",
                           "给出 govties 有权读取的文件夹（检查其权限），或把文件复制到这样的文件夹"))
        return [], []
    csvs = [p for p in paths if p.suffix.lower() == ".csv"]
    return csvs, [p for p in paths if p.suffix.lower() != ".csv" and p.is_file()]


def _other_data(problems: Problems, others: list[Path], mapping: Mapping, filled: set[str]) -> None:
    """Files of another kind that look like data, said not to be read: a workbook, or a file named after a
    contract file no CSV file fills (positions.txt; not people.csv.bak beside people.csv); others (README.txt)
    are not the dataset's business. Each is also noted in `problems.unread`, for a missing file's problem to
    name it."""
    for path in others:
        if path.suffix.lower() in (*WORKBOOK_SUFFIXES, ".xls"):
            problems.unread[path.name] = None  # may hold any contract file
            xls = path.suffix.lower() == ".xls"
            problems.add(path.name, None, None, "is a workbook inside a dataset folder, so it was not read",
                         fix=("save it as .xlsx, then " if xls else "")
                         + "give the workbook itself as the dataset (one sheet per contract file), or save its "
                           "sheets as CSV files in this folder", level="warning",
                         zh=Zh("是数据集文件夹中的工作簿，因此未读取", ("先另存为 .xlsx，再" if xls else "")
                               + "把该工作簿本身作为数据集（每个数据规范文件一个工作表），"
                                 "或把它的各工作表另存为此文件夹中的 CSV 文件"))
            continue
        file = _target(path.stem, mapping, None).file  # positions.txt as positions; people.csv.bak as people.csv
        if file and file not in filled:
            problems.unread[path.name] = file
            problems.add(path.name, None, None, "is not a CSV file (.csv), so it was not read",
                         fix=f"save it as CSV, named {file}", level="warning",
                         zh=Zh("不是 CSV 文件（.csv），因此未读取", f"另存为 CSV 文件，命名为 {file}"))


def _not_read(problems: Problems, where: str, what: str) -> None:
    """A file or sheet that no contract file is named after, and no mapping maps: said, never skipped silently
    (relatives named family.csv would leave six rules without their input, and no word why)."""
    example = "relatives.csv" if what == "file" else "relatives"
    problems.add(where, None, None, "is not named after a contract file, so it was not read",
                 fix=f"if it holds one, name the {what} after it (e.g. {example}), or map it in a mapping file "
                     "(--mapping)", level="warning",
                 zh=Zh("名称不对应任何数据规范文件，因此未读取", f"如果其中是某个数据规范文件的内容，按该文件命名此"
                       f"{_WHAT_ZH[what]}（如 {example}），或在映射文件中对应（--mapping）"))


def _unmatched(problems: Problems, mapping: Mapping, names: list[str], what: str) -> None:
    """A mapping entry that no file or sheet of the dataset matches: said (a misspelt key leaves its file unread)."""
    where = Path(mapping.path).name
    for key in mapping.unmatched(names):
        unread = sorted(n for n in names if _target(n, mapping, None).file is None and n != ANSWER_KEY)[:5]
        named, named_zh = ", ".join(unread), "、".join(unread)
        what_zh = _WHAT_ZH[what]
        stems = {n.rsplit(".", 1)[0] if what == "file" else n: n for n in unread}
        near = difflib.get_close_matches(key, list(stems), n=1, cutoff=0.75)
        if near:  # famly: beside family.csv, which nothing reads: a misspelt entry would leave its rules without input
            name = stems[near[0]]
            problems.add(where, None, None, f"files.{key}: matches no {what} of the dataset, and {name}, which no "
                         "entry maps, is not read (a misspelt entry?)",
                         fix=f"name the entry {near[0]}, as the {what} is named",
                         zh=Zh(f"files.{key}：没有对应数据集中的任何{what_zh}，而 {name} 没有对应项、未被读取"
                               "（是否拼错了该项的名称？）", f"把该项命名为 {near[0]}，与{what_zh}的名称一致"))
            continue
        problems.add(where, None, None, f"files.{key}: matches no {what} of the dataset, so it maps nothing",
                     fix=f"name the entry as the {what} is named" + (f" (not read: {named})" if named else "")
                     + f", or leave the entry out if this dataset has no such {what}",
                     level="warning", zh=Zh(f"files.{key}：没有对应数据集中的任何{what_zh}，不起作用",
                                            f"按{what_zh}的名称命名该项" + (f"（未读取：{named_zh}）" if named else "")
                                            + f"；如果此数据集没有这样的{what_zh}，删去该项"))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _workbook(path: Path, problems: Problems, mapping: Mapping, header_row: int | None
              ) -> dict[str, Source | None] | None:
    book = open_workbook(path, problems)
    if book is None:
        return None
    out: dict[str, Source | None] = {}
    filled_by: dict[str, str] = {}
    try:
        _unmatched(problems, mapping, [sheet.title for sheet in book.sheets()], "sheet")
        for sheet in book.sheets():
            target = _target(sheet.title, mapping, header_row)
            where = f"{path.name}[{sheet.title}]"
            if sheet.missing:
                problems.add(where, None, None, f"is listed in the workbook but its part {sheet.missing} is missing: "
                             "the workbook is damaged", fix=SAVE_AS, level="error" if target.file else "warning",
                             zh=Zh(f"工作簿列出了该工作表，但缺少它的组成部分 {sheet.missing}：工作簿已损坏",
                                   SAVE_AS_ZH))
                if target.file and target.file not in out:
                    out[target.file] = None
                continue
            if target.file is None:
                _not_read(problems, where, "sheet")
                continue
            if target.file in filled_by:
                problems.add(where, None, None, f"also fills {target.file}, already filled by sheet "
                             f"{filled_by[target.file]}", fix="keep one sheet per contract file, or map them apart "
                             "in the mapping file",
                             zh=Zh(f"也会填入 {file_zh(target.file)}，而工作表 {filled_by[target.file]} 已填入该文件",
                                   "每个数据规范文件只保留一个工作表，或在映射文件中把它们分别对应到不同的数据规范文件"))
                continue
            filled_by[target.file] = sheet.title
            raw = book.read_sheet(sheet.title, problems, target.header_row, _is_header(target.file, target.columns))
            out[target.file] = Source(raw, target.columns, target.values, sheet.title) if raw is not None else None
    finally:
        book.close()
    return out
