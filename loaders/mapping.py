"""Mapping files (YAML): how a source's files or sheets, columns and words map to the dataset contract.

    files:
      人员信息表:                 # a source file (with or without .csv) or an Excel sheet
        file: people.csv          # the contract file it fills
        columns: {工号: person_id, 名字: name}
        values:
          gender: {M: 男, F: 女}   # source word -> contract word, per contract column

Every key is checked before any data is read; an error names the mapping key and the fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .contract import FILES
from .problems import DataError, Problem


@dataclass
class SourceMap:
    file: str
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class Mapping:
    sources: dict[str, SourceMap] = field(default_factory=dict)  # source name (normalized) -> map
    path: str = ""

    def for_source(self, name: str) -> SourceMap | None:
        key = name.rsplit(".", 1)[0] if name.lower().endswith((".csv", ".xlsx")) else name
        return self.sources.get(key.strip())


def load_mapping(path: str | Path | None) -> Mapping:
    if not path:
        return Mapping()
    path = Path(path)
    where = path.name
    try:
        import yaml
    except ImportError as exc:  # pragma: no cover
        raise DataError([Problem(where, None, None, "mapping files need PyYAML", fix="pip install pyyaml")]) from exc
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise DataError([Problem(where, None, None, f"cannot be read: {exc.strerror}", fix="check the path")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataError([Problem(where, mark.line + 1 if mark else None, None, f"is not valid YAML: {exc}",
                                 fix="check indentation and colons")]) from None
    problems: list[Problem] = []

    def bad(key: str, message: str, fix: str) -> None:
        problems.append(Problem(where, None, key, message, fix=fix))

    if not isinstance(data, dict) or set(data) - {"files"}:
        bad("(top)", "a mapping has one key, files", "write files: followed by one entry per source file or sheet")
        raise DataError(problems)
    out = Mapping(path=str(path))
    for source, spec in (data.get("files") or {}).items():
        key = f"files.{source}"
        if not isinstance(spec, dict):
            bad(key, "must be a table with file, columns and values", "indent file:, columns: under it")
            continue
        unknown = sorted(set(spec) - {"file", "columns", "values"})
        if unknown:
            bad(key, f"has unknown key(s) {', '.join(unknown)}", "use file, columns and values")
        target = spec.get("file")
        if target not in FILES:
            bad(f"{key}.file", f"names {target!r}, which is not a contract file",
                f"use one of {', '.join(FILES)}")
            continue
        names = set(FILES[target].column_names)
        columns = {}
        for src, dst in (spec.get("columns") or {}).items():
            if dst not in names:
                bad(f"{key}.columns.{src}", f"maps to {dst!r}, which is not a column of {target}",
                    f"use one of {', '.join(sorted(names))}")
            columns[str(src)] = dst
        values = {}
        for col, words in (spec.get("values") or {}).items():
            if col not in names:
                bad(f"{key}.values.{col}", f"{col!r} is not a column of {target}", f"use one of {', '.join(sorted(names))}")
            elif not isinstance(words, dict):
                bad(f"{key}.values.{col}", "must map source words to contract words", "write 老婆: spouse")
            else:
                values[col] = {str(k): str(v) for k, v in words.items()}
        out.sources[str(source).rsplit(".csv", 1)[0].strip()] = SourceMap(target, columns, values)
    if problems:
        raise DataError(problems)
    return out
