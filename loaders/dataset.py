"""Load a dataset folder (the contract's CSV files) into validated, resolved model tables.

Everything is validated before anything is stored; all problems are reported at once (`DataError`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .build import build_tables
from .contract import FILES
from .crosscheck import check_ids, check_references, check_semantics
from .problems import DataError, Problem, Problems
from .read import read_csv
from .resolve import Resolution, resolve
from .validate import Checked, check_file

Progress = Callable[[str, int, int], None]


@dataclass
class Dataset:
    source: str
    tables: dict[str, pd.DataFrame]
    present: set[str]  # contract files that were present
    resolution: Resolution
    warnings: list[Problem] = field(default_factory=list)
    encodings: dict[str, str] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {name: len(df) for name, df in self.tables.items()}


def load_dataset(path: str | Path, encoding: str | None = None, progress: Progress | None = None) -> Dataset:
    """Read, validate, resolve. Raises DataError listing every problem; returns a Dataset otherwise."""
    root = Path(path)
    problems = Problems()
    if not root.exists():
        raise DataError([Problem(str(root), None, None, "does not exist",
                                 fix="give the folder that holds people.csv and organizations.csv")])
    if not root.is_dir():
        raise DataError([Problem(str(root), None, None, "is not a folder of CSV files",
                                 fix="give the folder that holds people.csv, organizations.csv ...")])
    files: dict[str, Checked] = {}
    encodings: dict[str, str] = {}
    names = list(FILES)
    for i, name in enumerate(names):
        spec = FILES[name]
        file_path = root / name
        if progress:
            progress("validate", i, len(names))
        if not file_path.exists():
            if spec.required_file:
                problems.add(name, None, None, "is missing; it is required",
                             fix=f"put {name} in {root} (see the dataset contract)")
            continue
        raw = read_csv(file_path, problems, encoding)
        if raw is None:
            continue
        encodings[name] = raw.encoding
        checked = check_file(raw, spec, problems)
        if checked is not None:
            files[name] = checked
    if "people.csv" in files and "organizations.csv" in files:
        owner = check_ids(files, problems)
        check_references(files, owner, problems)
        check_semantics(files, problems)
    if problems.errors:
        raise DataError(problems.errors)
    if progress:
        progress("resolve", 0, 1)
    resolution = resolve(files["people.csv"].frame)
    tables = build_tables(files, resolution, problems)
    if progress:
        progress("resolve", 1, 1)
    return Dataset(str(root), tables, set(files), resolution, problems.warnings, encodings)
