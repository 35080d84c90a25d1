"""Load a dataset folder (the contract's CSV files) into validated, resolved model tables.

Everything is validated before anything is stored; all problems are reported at once (`DataError`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pandas as pd
import pyarrow as pa

from .build import build_tables
from .contract import FILES
from .crosscheck import check_ids, check_references, check_semantics
from .encodings import unknown_encoding
from .problems import DataError, Problem, Problems, Zh
from .records import source_records
from .mapping import load_mapping
from .parallel import run_all
from .sources import collect
from .resolve import Resolution, join_stored, resolve
from .validate import Checked, check_file

Progress = Callable[[str, int, int], None]


@dataclass
class Dataset:
    source: str
    tables: dict[str, pa.Table]  # the graph model's tables (govties.graph.model), typed Arrow
    present: set[str]  # contract files that were present
    resolution: Resolution
    warnings: list[Problem] = field(default_factory=list)
    encodings: dict[str, str] = field(default_factory=dict)
    header_maps: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # file -> (source header, column)
    sources: dict[str, str] = field(default_factory=dict)  # contract file -> the file or sheet it came from
    # (stored person, new record id, its name, its fields to fill the stored person's empty ones)
    alias_updates: list[tuple[str, str, str, dict]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # stage -> wall time (parse, validate, resolve, build)
    records: pa.Table | None = None  # each person and organization record's file, line and entity (loaders.records)
    rows: dict[str, int] = field(default_factory=dict)  # contract file -> the data rows it had (before merging)

    def counts(self) -> dict[str, int]:
        return {name: t.num_rows for name, t in self.tables.items()}

    def release(self) -> None:
        """Drop the tables once a backend holds them, and hand their memory back (the store has its own copy;
        at province scale both at once is the peak)."""
        self.tables = {}
        self.records = None
        pa.default_memory_pool().release_unused()

    def frame(self, name: str) -> pd.DataFrame | None:
        """One table as pandas (for the small jobs that want it), or None when the dataset has none."""
        table = self.tables.get(name)
        return None if table is None else table.to_pandas()


def _outcome(known) -> str:
    """What a refused load did: nothing loaded, or (an append, checked against the stored graph) nothing added."""
    return DataError.NOT_LOADED if known is None else "nothing was appended"


def load_dataset(path: str | Path, encoding: str | None = None, progress: Progress | None = None,
                 mapping: str | Path | None = None, known=None, header_row: int | None = None) -> Dataset:
    """Read (a folder of CSV files or an Excel workbook), validate, resolve. Raises DataError listing every
    problem; returns a Dataset otherwise. `header_row`: the line (row) every file's or sheet's header is on, when
    titles come first (a mapping file's header_row wins for its source)."""
    root = Path(path)
    problems = Problems()
    if not root.exists():
        raise DataError([Problem(str(root), None, None, "does not exist",
                                 fix="give the folder that holds people.csv and organizations.csv, or a workbook",
                                 zh=Zh("不存在", "给出存放 people.csv 和 organizations.csv 的文件夹，或一个工作簿"))])
    if not root.is_dir() and root.suffix.lower() not in (".xlsx", ".xlsm"):
        raise DataError([Problem(str(root), None, None, "is neither a folder of CSV files nor an .xlsx workbook",
                                 fix="give the folder that holds people.csv, organizations.csv ..., or a workbook "
                                     "with sheets named like them",
                                 zh=Zh("既不是存放 CSV 文件的文件夹，也不是 .xlsx 工作簿",
                                       "给出存放 people.csv、organizations.csv 等文件的文件夹，"
                                       "或工作表按这些文件命名的工作簿"))])
    unknown = unknown_encoding(str(root), encoding) if encoding else None
    if unknown is not None:
        raise DataError([unknown])
    if header_row is not None and header_row < 1:
        raise DataError([Problem(str(root), None, None, f"--header-row {header_row}: lines are counted from 1",
                                 fix="give the line the header is on (1 when it is the first)",
                                 zh=Zh(f"--header-row {header_row}：行号从1开始计",
                                       "给出表头所在的行（在第一行时为1）"))])
    maps = load_mapping(mapping)
    clock = _Clock()
    sources = collect(root, problems, encoding, maps, progress, header_row)
    if sources is None:
        raise DataError(problems.errors, _outcome(known), warnings=problems.warnings)
    clock.lap("parse")
    given = set(sources)
    # the files others refer to first, each under the name its problems give it
    problems.first = tuple(s.raw.file if (s := sources.get(name)) is not None else name for name in FILES)
    # files read in part, whose missing rows other files' references would each report (an empty file given in an
    # append adds nothing, and breaks nothing)
    broken = {name: s.raw for name, s in sources.items()
              if s is not None and (s.raw.dropped or (s.raw.table.num_rows == 0 and known is None))}
    files, encodings = _check_files(sources, problems, root, known, progress)
    if known is not None or ("people.csv" in files and "organizations.csv" in files):
        owner = check_ids(files, problems, known)
        check_references(files, owner, problems, unread=given - set(files), broken=broken)
        check_semantics(files, problems, known)
    clock.lap("validate")
    if problems.errors:
        raise DataError(problems.errors, _outcome(known), warnings=problems.warnings)
    if progress:
        progress("resolve", 0, 1)
    people = files["people.csv"].frame if "people.csv" in files else None
    keys = files["people.csv"].keys.get("id_number") if people is not None else None
    resolution = resolve(people, keys) if people is not None else Resolution()
    alias_updates = []
    if known is not None:
        alias_updates = join_stored(resolution, people, known, problems, keys)
        if problems.errors:
            raise DataError(problems.errors, _outcome(known), warnings=problems.warnings)
    clock.lap("resolve")
    records = source_records(files, resolution)
    tables = build_tables(files, resolution, problems, known)
    clock.lap("build")
    if progress:
        progress("resolve", 1, 1)
    header_maps = {name: c.mapped for name, c in files.items() if c.mapped}
    sources_used = {name: c.source for name, c in files.items()}
    rows = {name: c.frame.num_rows for name, c in files.items()}
    return Dataset(str(root), tables, set(files), resolution, problems.warnings, encodings, header_maps,
                   sources_used, alias_updates, clock.seconds, records, rows)


def _check_files(sources: dict, problems: Problems, root: Path, known, progress: Progress | None
                 ) -> tuple[dict[str, Checked], dict[str, str]]:
    """Each present file checked against the contract, the biggest first, two or more at a time (see
    loaders.parallel); a required file that is missing is a problem."""
    encodings: dict[str, str] = {}
    waiting: dict = {}  # file -> its source until its check starts (then only the check holds the raw cells)
    jobs = []
    for name, spec in FILES.items():
        present = name in sources
        source = sources.pop(name, None)
        if source is None:
            if spec.required_file and not present and known is None:
                unread = [(f, file) for f, file in problems.unread.items() if file in (name, None)]
                here = [f"{f} (a workbook: give it as the dataset)" if file is None else
                        f"{f} (not a CSV file: save it as {name})" for f, file in unread]
                here_zh = [f"{f}（是工作簿：请把它作为数据集）" if file is None else
                           f"{f}（不是 CSV 文件：请另存为 {name}）" for f, file in unread]
                problems.add(name, None, None, "is missing; it is required",
                             fix=f"put {name} in {root} (or a sheet named {name[:-4]}; see the dataset contract)"
                             + (f"; not read here: {', '.join(here)}" if here else ""),
                             zh=Zh("缺少该文件，而它是必需的", f"把 {name} 放进 {root}（或用名为 {name[:-4]} 的工作表；"
                                   "见数据规范）" + (f"；此处未读取：{'、'.join(here_zh)}" if here_zh else "")))
            continue
        encodings[name] = source.raw.encoding
        jobs.append((name, partial(_check_one, waiting, name, problems), source.raw.table.num_rows))
        waiting[name] = source
    jobs.sort(key=lambda job: -job[2])
    total = len(jobs)
    done = (lambda _name, count: progress("validate", count, total)) if progress else None
    checked = run_all([(name, job) for name, job, _ in jobs], done)
    return {name: found for name in FILES if (found := checked.get(name)) is not None}, encodings


def _check_one(waiting: dict, name: str, problems: Problems) -> Checked | None:
    source = waiting.pop(name)
    return check_file(source.raw, FILES[name], problems, source.columns, source.values, source.name or None)


class _Clock:
    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.t = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = now - self.t
        self.t = now
