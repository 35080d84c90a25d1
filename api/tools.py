"""What the command line does beyond a graph's load and sweep, as library functions: the backends it can name, the
output checks made before any work, views and reports written to files, the rule profiles, the province generator,
FollowTheMoney conversion, and Neo4j's offline import and load lock.

    import govties.api as gt

    gt.check_format("findings.xlsx")                  # 'xlsx'; an extension no writer knows raises ExportError
    gt.generate("province/", people=10_000, seed=7)   # a synthetic province with planted conflicts
    with gt.open_graph() as g:
        g.load("province/")
        result = g.sweep()
        gt.write_view(g.overview(result), "overview.html", lang="en")
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import GovtiesError
from ..files import OutputError, check_outputs, refuse_empty
from ..graph.backend import BACKENDS, backend_class, is_interrupt, keeps_graph, open_backend
from ..loaders.encodings import CODECS
from ..loaders.memory import prefer_jemalloc
from ..rules.export import check_headers, format_for, table_format
from ..rules.profiles import DEFAULT as DEFAULT_PROFILE, Profile, profiles
from ..visualize.report import write_report
from ..visualize.views import AmbiguousName, NoEntity, drawn_size, output_format as view_format, write_view
from .graph import Graph


def check_format(path: str | Path, explicit: str | None = None) -> str:
    """The findings format a path is written in (`explicit`, or from its extension); ExportError when neither
    names one govties writes."""
    return format_for(Path(path), explicit)


def backends_for(language: str) -> list[str]:
    """The backends that run a rule's query in `language` ("sql" or "cypher")."""
    return [b for b in BACKENDS if backend_class(b).query_language == language]


class GenerateError(GovtiesError, ValueError):
    """An argument of generate that cannot be used: too few people, a shape value out of range, an output folder
    that is a file or already holds files. The message names the argument as generate takes it (`people`,
    `out_dir`, `force=True`); report(), what the command line prints, names its option (`--people`, `--out`,
    `--force`)."""

    def __init__(self, text: str, **values: Any):
        self.text, self.values = text, values
        super().__init__(text.format(**_ARGUMENTS, **values))

    def report(self) -> str:
        return "error: " + self.text.format(**{k: "--" + v for k, v in _OPTIONS.items()}, **self.values)


_OPTIONS = {"people": "people", "out_dir": "out", "force": "force", "density": "density", "merged": "merged",
            "dirty": "dirty"}  # generate's argument -> the command line's option
_ARGUMENTS = {**{k: k for k in _OPTIONS}, "force": "force=True"}


def generate(out_dir: str | Path, people: int, seed: int = 7, *, density: float | None = None,
             merged: float = 0.0, dirty: float = 0.0, force: bool = False) -> dict[str, int]:
    """Write a synthetic province of `people` officials' records into `out_dir` (the contract's CSV files, with
    conflicts planted for every rule, listed in planted.csv); `density` (findings per 1,000 input rows to aim at),
    `merged` (share of people records that are a person recorded again) and `dirty` (share of cells in another
    accepted form) shape it. A folder that already holds files is written into only with `force` (its files of
    the same names are replaced). GenerateError (a GovtiesError and a ValueError) names an argument that cannot be
    used, before anything is written. Returns the rows written per file."""
    from ..examples.generator import write_dataset
    from ..examples.shapes import Shape

    if people < 1:
        raise GenerateError("{people} must be at least 1")
    shape = Shape(density, merged, dirty)
    try:
        shape.check()
    except ValueError as exc:  # its message starts with the argument's name
        name, _, rest = str(exc).partition(" ")
        if name not in _OPTIONS:
            raise GenerateError("{rest}", rest=str(exc)) from None
        raise GenerateError("{" + name + "} {rest}", rest=rest) from None
    if not str(out_dir).strip():  # the current folder, written into unasked
        raise GenerateError("{out_dir} names no folder (it is empty): give one")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise GenerateError("{out_dir} {path} is a file: give a folder", path=str(out_dir))
    if out.is_dir() and any(out.iterdir()) and not force:
        raise GenerateError("{out_dir} {path} already holds files (a dataset?): give an empty or new folder, or "
                            "{force} to write into it", path=str(out_dir))
    try:  # a folder that cannot be made or written (under a file, in /proc) is said before the province is made
        check_outputs({"": [out / "people.csv"]}, [])
    except OutputError as exc:
        raise GenerateError("{out_dir}: {why}", why=str(exc)) from None
    return write_dataset(out_dir, people, seed, shape=shape)


def ftm_import(entities: str | Path, out_dir: str | Path, *, force: bool = False,
               warnings: list[Any] | None = None) -> dict[str, int]:
    """FollowTheMoney entities (JSON lines) as a dataset folder of the contract's files; what could not be
    carried over is appended to `warnings` (loaders.Problem, printable). Returns the rows written per file.
    Needs govties[ftm]."""
    from ..loaders.ftm import ftm_to_contract

    return ftm_to_contract(entities, out_dir, force=force, warnings=warnings if warnings is not None else [])


def ftm_export(findings: Iterable[dict[str, Any]], output: str | Path,
               details: dict[str, dict[str, Any]] | None = None, source: str = "govties") -> int:
    """Findings (rows of a findings table) and their evidence as FollowTheMoney entities in JSON lines;
    `details` (Graph.details) adds decisions' amounts, dates, titles and issuers. Returns the entities written."""
    from ..rules.ftm_export import findings_to_ftm

    return findings_to_ftm(list(findings), output, details, source=source)


def check_neo4j_database(name: str, option: str = "database") -> None:
    """A Neo4j database name the server accepts; BackendError naming `option` and the fix otherwise."""
    from ..graph.neo4j_connect import check_database

    check_database(name, option)


def neo4j_import_files(tables: Mapping[str, pd.DataFrame], out_dir: str | Path,
                       database: str = "neo4j") -> dict[str, int]:
    """The files `neo4j-admin database import full` needs to build the graph a load of `tables` (a validated
    Dataset's) builds, with import.sh and schema.cypher. Returns the rows written per file."""
    from ..graph.neo4j_import import write_import_files

    check_neo4j_database(database)
    refuse_empty(str(out_dir), "", "folder")
    check_outputs({"": [Path(out_dir) / "import.sh"]}, [])  # a folder that cannot be made or written, said at once
    return write_import_files(tables, out_dir, database)


def open_neo4j_lock(uri: str | None = None, user: str | None = None, database: str | None = None) -> Graph:
    """The Neo4j database opened to read or clear its load lock (Graph.backend.load_lock, clear_load_lock)."""
    return Graph(open_backend("neo4j", "unlock", uri=uri, user=user, database=database))


def lock_stale_minutes() -> int:
    """After how many minutes without a beat a Neo4j load lock is taken to be abandoned."""
    from ..graph.lock_timing import STALE_MINUTES

    return STALE_MINUTES


ENCODINGS = tuple(CODECS)  # the names --encoding takes

__all__ = ["AmbiguousName", "NoEntity", "BACKENDS", "ENCODINGS", "DEFAULT_PROFILE", "GenerateError", "Profile",
           "backends_for", "check_format", "drawn_size",
           "check_headers", "check_neo4j_database", "ftm_export", "ftm_import", "generate", "is_interrupt",
           "keeps_graph", "lock_stale_minutes", "neo4j_import_files", "open_neo4j_lock", "prefer_jemalloc", "profiles",
           "refuse_empty", "table_format",
           "view_format", "write_report", "write_view"]
