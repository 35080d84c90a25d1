"""The narrow interface every storage backend implements, and how backends are chosen.

Backends declare what they support (`features`); asking for anything else raises
`UnsupportedFeature` naming the backend, never a quiet fallback.
"""

from __future__ import annotations

import abc
import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

import pandas as pd
import pyarrow as pa

from ..errors import GovtiesError
from .model import TABLES

Tabular: TypeAlias = pa.Table | pd.DataFrame  # a model table as the loaders give it (Arrow) or as tests build it

# Which column `Backend.lookup` matches for each table it serves.
LOOKUP_KEYS = {"decision": "decision_id", "post": "person_id", "org": "org_id", "person": "person_id"}

Progress = Callable[[str, int, int], None]  # (stage, done, total)
ID_PART = re.compile(r"[0-9]+[0-9Xx]?")  # what `Backend.ids_with` takes as the shown part of an identifier
ID_GAP = 20  # the most characters `Backend.ids_with` takes between (and in) the shown parts: an identifier's length


class BackendError(GovtiesError):
    """A backend could not do what was asked; the message says what to check."""


@dataclass(frozen=True)
class WriteOutcome:
    """What a load or append did to the stored graph, as far as it got: `stored` (all of it, committed), `rolled
    back` (none of it: the graph is as it was), `partial` (part of it; running it again finishes it: Neo4j) or
    `unknown` (interrupted while finding out: the graph is either the old or the new one, whole)."""
    work: str  # load, append
    where: str  # the store, as messages may show it
    state: Literal["stored", "rolled back", "partial", "unknown"]
    #: what was left undone beside the graph (e.g. the record of where its rows came from), said after the state
    aside: str = ""

    def describe(self) -> str:
        said = self._state()
        return f"{said} ({self.aside})" if self.aside else said

    def _state(self) -> str:
        if self.state == "stored":
            return f"the {self.work} into {self.where} had completed: it holds the new graph"
        if self.state == "rolled back":
            return f"the {self.work} into {self.where} was rolled back: the stored graph is as it was before"
        if self.state == "partial":
            return (f"the {self.work} into {self.where} stopped midway: run the same command again to finish it "
                    "(it ends in the same graph)")
        return (f"the {self.work} into {self.where} was interrupted while it committed: the store holds either the "
                "previous graph or the new one, whole; run the same command again to be sure")


class StoreInterrupted(KeyboardInterrupt):
    """Ctrl-C during a load or append; `outcome` says whether the write happened."""

    def __init__(self, outcome: WriteOutcome):
        super().__init__(outcome.describe())
        self.outcome = outcome


def is_interrupt(exc: BaseException) -> bool:
    """Ctrl-C, however it surfaced: KeyboardInterrupt, or DuckDB's own exceptions for a query it interrupted (a
    bare RuntimeError), or for a KeyboardInterrupt raised in Python code it called back (e.g. reading an Arrow
    table's schema), or an error a KeyboardInterrupt caused (Python reports one raised while a class is created,
    as when a module is imported, as a RuntimeError "Error calling __set_name__")."""
    if isinstance(exc, KeyboardInterrupt) or isinstance(exc.__cause__, KeyboardInterrupt):
        return True
    import duckdb  # the embedded backend's engine, always installed

    if isinstance(exc, duckdb.InterruptException):
        return True
    if isinstance(exc, RuntimeError):
        return str(exc) == "Query interrupted"
    return isinstance(exc, duckdb.Error) and "failed: KeyboardInterrupt" in str(exc)


class UnsupportedFeature(BackendError):
    def __init__(self, backend: str, feature: str):
        super().__init__(f"the {backend} backend does not support {feature!r}")
        self.backend = backend
        self.feature = feature


class Backend(abc.ABC):
    #: short name used on the command line (--backend NAME)
    name: str = ""
    #: which query file of a rule this backend runs: "sql" or "cypher"
    query_language: str = ""
    #: what the backend can do beyond the basics
    features: frozenset[str] = frozenset()
    #: what the last load or append of this backend object did (None: it wrote nothing)
    last_write: WriteOutcome | None = None

    @classmethod
    def open(cls, **options: Any) -> Backend:
        """Open with the options open_backend was given (each backend takes the ones it knows)."""
        raise NotImplementedError

    def require(self, feature: str) -> None:
        if feature not in self.features:
            raise UnsupportedFeature(self.name, feature)

    @abc.abstractmethod
    def load(self, tables: Mapping[str, Tabular], progress: Progress | None = None) -> dict[str, int]:
        """Replace the stored graph by `tables` (all or nothing); return row counts per table."""

    @abc.abstractmethod
    def append(self, tables: Mapping[str, Tabular], alias_updates: list[tuple[str, str, str, dict]],
               progress: Progress | None = None) -> dict[str, int]:
        """Add new rows to the stored graph (all or nothing where the backend has transactions). Rows whose key is
        already stored are skipped; `alias_updates` (stored person, new source id, its name, its gender /
        birth_date / id_number) extend persons merged by resident ID and fill their empty fields, first update
        first. Returns the rows added per table."""

    @abc.abstractmethod
    def counts(self) -> dict[str, int]:
        """Rows per table of the stored graph (0 for an empty or missing table)."""

    @abc.abstractmethod
    def last_stamp(self) -> str | None:
        """The stamp of the last load or append of the stored graph that completed, by any process (None: none
        is recorded)."""

    def version(self) -> tuple[Any, ...]:
        """What changes whenever the stored graph does, by any process, to key what is computed from it: the last
        completed write's stamp (a load that changes only a name changes it) and the rows per table (a write under
        way changes them)."""
        return (self.last_stamp(), *sorted(self.counts().items()))

    @abc.abstractmethod
    def run(self, query: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Run a rule query with values as parameters only; rows come back with plain Python values."""

    @abc.abstractmethod
    def table(self, name: str) -> pd.DataFrame:
        """One table of the stored graph, with the columns of `graph.model.TABLES[name]`."""

    # the engine's own errors on a read (a lost or closed connection, a query refused), reported as BackendError
    read_errors: tuple[type[Exception], ...] = ()

    @contextmanager
    def _reading(self, what: str) -> Iterator[None]:
        try:
            yield
        except self.read_errors as exc:
            if is_interrupt(exc):  # Ctrl-C while the engine read
                raise KeyboardInterrupt from None
            said = (str(exc).splitlines() or [""])[0]
            raise BackendError(f"{self.name} could not read {what} ({type(exc).__name__}: {said}): check the store "
                               "or the server, then try again") from None

    def lookup(self, table: str, ids: Iterable[str], columns: Sequence[str] | None = None) -> pd.DataFrame:
        """Rows of `table` whose key (LOOKUP_KEYS[table]) is among `ids`, with the model's columns (only `columns`,
        in that order, when given: less to read and convert)."""
        if table not in LOOKUP_KEYS:
            raise UnsupportedFeature(self.name, f"lookup in {table}")
        names = TABLES[table].column_names
        if columns is not None and (unknown := [c for c in columns if c not in names]):
            raise UnsupportedFeature(self.name, f"lookup of {', '.join(map(repr, unknown))} in {table}")
        wanted = sorted({i for i in ids if i})
        if not wanted:
            return empty_table(table)[list(columns)] if columns is not None else empty_table(table)
        with self._reading(f"the {table} rows asked for"):
            return self._lookup(table, wanted, list(columns) if columns is not None else None)

    @abc.abstractmethod
    def _lookup(self, table: str, ids: list[str], columns: list[str] | None) -> pd.DataFrame:
        """The rows asked for, with `columns` (all the model's when None); the columns are the model's."""

    def canonical(self, entity_id: str) -> str | None:
        """The id under which a person, organization or decision is stored: itself, or for a person merged by
        entity resolution, the canonical id of the person whose source ids include it."""
        if self.nodes([entity_id]):
            return entity_id
        with self._reading("the merged persons"):
            return self._merged_into(entity_id)

    @abc.abstractmethod
    def _merged_into(self, entity_id: str) -> str | None: ...

    def edges_of(self, ids: Iterable[str]) -> list[dict[str, Any]]:
        """Every edge touching the given persons, organizations or decisions, as
        {src, dst, type, label, share, start, end} (kinship once, in its stated direction); a company role a source
        recorded without its start also has `reported_on`."""
        wanted = sorted({i for i in ids if i})
        if not wanted:
            return []
        with self._reading("the relationships asked for"):
            return [without_empty_report(plain(e)) for e in self._edges_of(wanted)]

    @abc.abstractmethod
    def _edges_of(self, ids: list[str]) -> list[dict[str, Any]]: ...

    @abc.abstractmethod
    def latest_date(self, until: str | None = None) -> str | None:
        """The latest date in the graph (decisions, post starts and ends, role starts), of those not after `until`
        (an ISO date) when given: a sweep's default `as_of` (rules/engine.py: the latest up to today)."""

    @abc.abstractmethod
    def close(self) -> None: ...

    def reader(self) -> Backend:
        """A backend that runs queries on another thread while this one is used (the "background-queries"
        feature): this backend itself where it is safe across threads, else one on a connection of its own."""
        self.require("background-queries")
        return self

    def interrupt_reader(self) -> bool:
        """Stop the query a reader (from `reader`) runs, where the backend can; whether it did."""
        return False

    def close_reader(self) -> None:
        """Release what `reader` opened (nothing where the reader is the backend itself)."""
        return None

    def writer(self) -> str | None:
        """Another load writing to this graph right now, described; None when none is. An embedded store's file is
        held by one process at a time (DuckDB's own lock), so only a shared server can have one."""
        return None

    def nodes(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """id -> {id, type, name, kind, official} for persons, organizations and decisions among `ids`
        (`official`: a person who holds or held a post)."""
        wanted = sorted({i for i in ids if i})
        if not wanted:
            return {}
        with self._reading("the entities asked for"):
            return self._nodes(wanted)

    @abc.abstractmethod
    def _nodes(self, ids: list[str]) -> dict[str, dict[str, Any]]: ...

    def details(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """id -> every model column of the person, organization or decision among `ids`, as plain values (dates
        as ISO strings, lists as lists, `props` as a dict), plus `id` and `type`. A person also has `posts` (its
        rows of the post table with the post's `org_name`, by start date) and `official` (it holds or held one);
        a decision has `agency_name` and `beneficiary_name`. Built on `lookup`, so every backend gives the same."""
        wanted = sorted({i for i in ids if i})
        if not wanted:
            return {}
        out: dict[str, dict[str, Any]] = {}
        for table, kind in (("person", "person"), ("org", "organization"), ("decision", "decision")):
            for row in _records(self.lookup(table, wanted)):
                row.update(id=row[LOOKUP_KEYS[table]], type=kind)
                out[row["id"]] = row
        persons = [i for i, d in out.items() if d["type"] == "person"]
        posts = _records(self.lookup("post", persons))
        decisions = [d for d in out.values() if d["type"] == "decision"]
        named = {p["org_id"] for p in posts} | {d[k] for d in decisions for k in ("agency_id", "beneficiary_id")}
        names = {r["org_id"]: r["name"] for r in _records(self.lookup("org", [n for n in named if n]))}
        names |= {r["person_id"]: r["name"] for r in _records(self.lookup("person", [n for n in named if n]))}
        for p in posts:
            p["org_name"] = names.get(p["org_id"])
        by_person: dict[str, list[dict[str, Any]]] = {}
        for p in posts:
            by_person.setdefault(p["person_id"], []).append(p)
        for pid in persons:
            held = by_person.get(pid, [])
            held.sort(key=lambda p: (p["start_date"] or "", p["org_id"] or "", p["title"] or "", p["rid"]))
            out[pid].update(posts=held, official=bool(held))
        for d in decisions:
            d.update(agency_name=names.get(d["agency_id"]), beneficiary_name=names.get(d["beneficiary_id"]))
        return out

    def find(self, text: str, limit: int = 20) -> list[dict[str, Any]]:
        """Persons, organizations and decisions whose id, name, alias or credit code matches `text`
        (case-insensitive; a person's merged source ids count as ids, a decision's title as its name): [{id, type,
        name, kind, matched, exact}], `matched` one of id, name, alias, credit_code (an organization's, where its id
        does not hold the text). Exact matches come first, then by what matched (in FIND_FIELDS' order), type
        (person, organization, decision), name and id."""
        needle = (text or "").strip().lower()
        if not needle or limit < 1:
            return []
        rows = [plain(r) for r in self._find(needle, max(limit, 1) * 5)]
        best: dict[str, dict[str, Any]] = {}
        for r in rows:
            r["exact"] = bool(r["exact"])
            have = best.get(r["id"])
            if have is None or _find_rank(r) < _find_rank(have):
                best[r["id"]] = r
        return sorted(best.values(), key=lambda r: (*_find_rank(r), r["name"] or "", r["id"]))[:limit]

    @abc.abstractmethod
    def _find(self, needle: str, cap: int) -> list[dict[str, Any]]:
        """Rows {id, type, name, kind, matched, exact} matching the lower-cased `needle` as a substring of an id,
        name or alias (one row per entity and field that matches is fine), exact matches first then by id,
        at most `cap` rows; the needle only as a query parameter."""

    def ids_with(self, prefix: str, suffix: str, between: tuple[int, int], limit: int = 100) -> list[str]:
        """Entity ids (persons' with their merged source ids, organizations', decisions') holding `prefix`, then
        `between` (least, most) characters of any kind, then `suffix`: distinct, sorted, at most `limit`. `prefix`
        and `suffix` are digits (a suffix may end in X or x), as a masked identifier shows them; anything else, or
        longer than an identifier (ID_GAP), finds nothing."""
        least, most = between
        if not (ID_PART.fullmatch(prefix) and ID_PART.fullmatch(suffix)) or not 0 <= least <= most <= ID_GAP \
                or len(prefix) > ID_GAP or len(suffix) > ID_GAP or limit < 1:
            return []
        pattern = f"{prefix}.{{{least},{most}}}{suffix}"  # digits and X only: nothing to escape
        with self._reading("the ids asked for"):
            return sorted({str(r["id"]) for r in self._ids_matching(pattern, suffix, int(limit))})[:limit]

    @abc.abstractmethod
    def _ids_matching(self, pattern: str, part: str, limit: int) -> list[dict[str, Any]]:
        """Rows {id}: the entity ids `ids_with` reads that hold `part` and in which the regular expression `pattern`
        (digits, `.` and a bounded repeat, which RE2 and Java read alike; `.` matches any character, a newline
        too) finds a match; at most `limit` distinct ids in id order; both only as query parameters."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def plain(value: Any) -> Any:
    """Backend values to plain JSON-able Python values (dates as ISO strings)."""
    if value is None:
        return None
    kind = type(value)
    if kind is str or kind is int or kind is bool:
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    iso = getattr(value, "iso_format", None)  # neo4j.time.Date / DateTime
    if iso is not None:
        return iso()[:10]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, float) and value != value:  # NaN
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        return value.item()
    return value


def arrow_rows(table: pa.Table) -> list[dict[str, Any]] | None:
    """An Arrow result's rows as dicts of the values `plain` gives for the same rows fetched as Python values,
    converted a column at a time (dates as ISO text, NaN as None at any depth). None when a column has a type
    whose Python values differ between the two (timestamps, maps ...): fetch those rows as Python values."""
    columns = []
    for column in table.columns:
        kind = column.type
        if pa.types.is_date32(kind):
            columns.append(column.cast(pa.string()).to_pylist())
        elif not _as_python(kind):
            return None
        elif _has_float(kind) and _any_nan(column):
            columns.append([plain(v) for v in column.to_pylist()])
        else:
            columns.append(column.to_pylist())
    names = table.column_names
    if not names:
        return [{} for _ in range(table.num_rows)]
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def _as_python(kind: pa.DataType) -> bool:
    """Whether to_pylist gives this type's values as `plain` would (no NaN assumed)."""
    t = pa.types
    if t.is_string(kind) or t.is_large_string(kind) or t.is_integer(kind) or t.is_boolean(kind) or t.is_null(kind) \
            or t.is_floating(kind) or t.is_decimal(kind):
        return True
    if t.is_list(kind) or t.is_large_list(kind):
        return _as_python(kind.value_type)
    if t.is_struct(kind):
        return all(_as_python(kind.field(i).type) for i in range(kind.num_fields))
    return False


def _has_float(kind: pa.DataType) -> bool:
    if pa.types.is_floating(kind):
        return True
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return _has_float(kind.value_type)
    if pa.types.is_struct(kind):
        return any(_has_float(kind.field(i).type) for i in range(kind.num_fields))
    return False


def _any_nan(column: pa.ChunkedArray | pa.Array) -> bool:
    """Whether any float under this column (at any depth) is NaN."""
    import pyarrow.compute as pc

    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    for arr in chunks:
        kind = arr.type
        if pa.types.is_floating(kind):
            if pc.any(pc.is_nan(arr)).as_py():
                return True
        elif pa.types.is_list(kind) or pa.types.is_large_list(kind):
            if _any_nan(arr.flatten()):
                return True
        elif pa.types.is_struct(kind):
            if any(_any_nan(arr.field(i)) for i in range(kind.num_fields)):
                return True
    return False


FIND_FIELDS = ("id", "credit_code", "name", "alias")
FIND_TYPES = ("person", "organization", "decision")


def _find_rank(row: dict[str, Any]) -> tuple[int, int, int]:
    return (0 if row["exact"] else 1, FIND_FIELDS.index(row["matched"]), FIND_TYPES.index(row["type"]))


def _cell(value: Any) -> Any:
    """One cell of a model table as a plain value: missing values (None, NaN, NaT) as None, arrays as lists."""
    if isinstance(value, (list, tuple)) or (hasattr(value, "tolist") and not isinstance(value, (str, bytes))
                                            and getattr(value, "ndim", 0) > 0):
        return [_cell(v) for v in list(value)]
    if value is None or (not isinstance(value, (str, bytes, dict)) and pd.isna(value)):
        return None
    return plain(value)


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    rows = []
    for rec in df.to_dict("records"):
        row = {str(k): _cell(v) for k, v in rec.items()}  # a query's columns: names
        if "props" in row:
            row["props"] = json.loads(row["props"]) if isinstance(row["props"], str) and row["props"] else {}
        rows.append(row)
    return rows


def without_empty_report(edge: dict[str, Any]) -> dict[str, Any]:
    """An edge with `reported_on` only where a source gave one (every other edge keeps the seven keys)."""
    if edge.get("reported_on") is None:
        edge.pop("reported_on", None)
    return edge


def empty_table(name: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in TABLES[name].column_names})


BACKENDS = ("duckdb", "neo4j")  # command-line names; the first is the default


def backend_class(name: str) -> type[Backend]:
    """A backend's class by its command-line name; imports lazily, so Neo4j's driver loads only when used."""
    if name in ("duckdb", "embedded"):
        from .duckdb_backend import DuckDBBackend

        return DuckDBBackend
    if name == "neo4j":
        from .neo4j_backend import Neo4jBackend

        return Neo4jBackend
    raise BackendError(f"unknown backend {name!r}: choose duckdb (embedded, the default) or neo4j")


def keeps_graph(name: str, store: str | None) -> bool:
    """Whether a graph opened this way outlives the process: a server's, or a file's when the backend keeps one."""
    features = backend_class(name).features
    return "shared-server" in features or ("persistent-file" in features and bool(store))


PURPOSES = ("read", "load", "append", "unlock")


def open_backend(name: str, purpose: str = "load", **options: Any) -> Backend:
    """Open a backend by its command-line name with its options (store; uri, user, database; adopt), for `purpose`:
    "read" (the store must hold a govties graph), "load" (it may be new or empty), "append" (it must hold a govties
    graph) or "unlock" (a server's load lock only). Whatever the purpose, a store that holds another application's
    data is refused."""
    if purpose not in PURPOSES:
        raise ValueError(f"purpose {purpose!r}: one of {', '.join(PURPOSES)}")
    cls = backend_class(name)
    if options.get("store") and "persistent-file" not in cls.features:
        raise BackendError(f"a store file is for the embedded backend; the {name} backend keeps its graph on its "
                           "server")
    return cls.open(purpose=purpose, **options)
