"""The workspace beside the graph: what people and sweeps add to a stored graph — recorded sweeps and their
findings, triage and its append-only events, cases, notes, accounts, watches, visits, and where each loaded record
came from. It lives in the same place as the graph (tables prefixed `govties_` in the DuckDB store file, nodes
labelled `Govties…` in the Neo4j database) and is never written by a load: a full load replaces the graph's own
tables and nodes only, so triage survives reloads and restarts.

Every table is declared here (`TABLES`); a backend module implements a handful of generic operations over them
(insert, upsert, select, count, count by a column, update, delete, a transaction, a row claimed for a
compare-and-set). Table and column names come only from these declarations; every value is a query parameter.
The logic (what a triage save means, what a sweep records) lives in govties.api.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from .backend import Backend, BackendError

# Column types: str, int, float, bool, list (of str). Dates and times are ISO text (they sort as text).


@dataclass(frozen=True)
class WTable:
    name: str
    columns: tuple[tuple[str, str], ...]
    key: tuple[str, ...] = ()  # unique (a constraint on both backends)
    indexed: tuple[str, ...] = ()

    @property
    def sql(self) -> str:
        return "govties_" + self.name

    @property
    def label(self) -> str:
        return "Govties" + self.name.capitalize()

    @property
    def column_names(self) -> list[str]:
        return [c for c, _ in self.columns]

    def types(self) -> dict[str, str]:
        return dict(self.columns)


def _t(name: str, columns: str, key: str = "", indexed: str = "") -> WTable:
    """`columns` as 'name:type name:type' (type str when omitted)."""
    cols = tuple((c.split(":")[0], c.split(":")[1] if ":" in c else "str") for c in columns.split())
    return WTable(name, cols, tuple(key.split()), tuple(indexed.split()))


TABLES: dict[str, WTable] = {t.name: t for t in (
    _t("meta", "key value", key="key"),
    _t("sweep", "sweep_id at state as_of backend lang rules:list params findings:int by", key="sweep_id"),
    _t("finding", "finding_id sweep_id rule severity severity_rank:int score:int official_id official_name org_id "
                  "org_name via_id via_name decision_ids first_date last_date amount:float agency_id agency_name "
                  "region explanation_zh explanation_en evidence fingerprint entity_ids:list search first_seen "
                  "first_seen_sweep changed_at status assignee reopened:bool ring_id",
       key="finding_id", indexed="rule severity status assignee region agency_id official_id org_id reopened score "
                                 "first_seen changed_at"),
    _t("seen", "finding_id first_seen first_seen_sweep fingerprint changed_at", key="finding_id"),
    _t("evidence", "fingerprint facts", key="fingerprint"),
    _t("triage", "finding_id status assignee note version:int who at fingerprint", key="finding_id"),
    _t("event", "event_id at who kind target field before after", key="event_id", indexed="target who"),
    _t("case", "case_id title kind basis status version:int created_by created_at", key="case_id"),
    _t("member", "case_id finding_id added_by added_at", indexed="case_id finding_id"),
    _t("note", "note_id target who at text", key="note_id", indexed="target"),
    _t("user", "name role hash created_at", key="name"),
    _t("login", "sid user started", key="sid"),  # a live workbench session: the digest of its token, until logout
    _t("watch", "user entity_id at", indexed="user entity_id"),
    _t("visit", "user at", key="user"),
    _t("record", "record_id entity_id kind name key birth_date file line:int dataset", indexed="entity_id record_id"),
    _t("match", "match_id entity_ids:list name birth_date reason", key="match_id"),
)}

OPS = ("eq", "ne", "in", "not_in", "ge", "le", "contains", "has", "null", "not_null", "null_or_in", "any")


class WorkspaceError(BackendError):
    """The workspace cannot be read or written; the message says what to check."""


class WorkspaceConflict(WorkspaceError):
    """A key that must be unique is taken (two people created the same thing at once)."""


@dataclass(frozen=True)
class Cond:
    """One condition on a column: eq, ne, in, not_in, ge, le, contains (case-insensitive text), has (a list column
    holds the value), null, not_null, null_or_in (missing, or one of the values); or any (`either`: one of the
    conditions in the value holds)."""
    column: str
    op: str
    value: Any = None


def where(**equal: Any) -> list[Cond]:
    return [Cond(c, "eq", v) for c, v in equal.items()]


def either(*conds: Cond) -> Cond:
    """One condition that holds where any of `conds` holds (none given: nowhere)."""
    return Cond("", "any", tuple(conds))


def checked(table: str, conds: Iterable[Cond] = (), columns: Iterable[str] = ()) -> WTable:
    """The table's declaration, after checking that every name used is declared (names never come from input)."""
    spec = TABLES.get(table)
    if spec is None:
        raise WorkspaceError(f"unknown workspace table {table!r}")
    names = set(spec.column_names)
    for c in conds:
        if c.op == "any":
            checked(table, c.value)
            continue
        if c.column not in names or c.op not in OPS:
            raise WorkspaceError(f"workspace table {table} has no column {c.column!r} or no operation {c.op!r}")
    for name in columns:
        if name not in names:
            raise WorkspaceError(f"workspace table {table} has no column {name!r}")
    return spec


def complete(spec: WTable, row: Mapping[str, Any]) -> dict[str, Any]:
    """A row with every declared column (None where absent), lists as lists, unknown keys refused."""
    extra = set(row) - set(spec.column_names)
    if extra:
        raise WorkspaceError(f"workspace table {spec.name} has no column(s) {', '.join(sorted(extra))}")
    out = {}
    for col, kind in spec.columns:
        v = row.get(col)
        if kind == "list":
            v = [str(x) for x in v] if v is not None else []
        elif v is not None and kind == "int":
            v = int(v)
        elif v is not None and kind == "float":
            v = float(v)
        elif v is not None and kind == "bool":
            v = bool(v)
        elif v is not None and kind == "str":
            v = str(v)
        out[col] = v
    return out


class Workspace(abc.ABC):
    """Generic operations over the declared tables; one implementation per backend."""

    def __init__(self, backend: Backend):
        self.backend = backend

    @classmethod
    def _where(cls, conds: Iterable[Cond], params: dict[str, Any]) -> str:
        """" WHERE ..." for the conditions (the backend's _predicate, values added to `params`), or "" for none."""
        predicate = cls._predicate(conds, params)
        return f" WHERE {predicate}" if predicate != "true" else ""

    @classmethod
    @abc.abstractmethod
    def _predicate(cls, conds: Iterable[Cond], params: dict[str, Any]) -> str:
        """The conditions in the backend's query language ("true" for none), their values added to `params`."""

    @abc.abstractmethod
    def ensure(self) -> None:
        """Create the tables (DuckDB) or constraints and indexes (Neo4j) that are missing."""

    @abc.abstractmethod
    def insert(self, table: str, rows: Sequence[Mapping[str, Any]] | pa.Table) -> int:
        """Add rows (dicts, or an Arrow table with declared columns for a bulk insert)."""

    @abc.abstractmethod
    def upsert(self, table: str, rows: Sequence[Mapping[str, Any]]) -> int:
        """Insert rows, replacing those whose key is stored."""

    @abc.abstractmethod
    def select(self, table: str, conds: Iterable[Cond] = (), order: Sequence[tuple[str, bool]] = (),
               offset: int = 0, limit: int | None = None) -> list[dict[str, Any]]:
        """Rows matching every condition, ordered by (column, descending) pairs (missing values last)."""

    @abc.abstractmethod
    def values(self, table: str, column: str, conds: Iterable[Cond] = (), limit: int | None = None) -> list[Any]:
        """One column of the rows matching (e.g. the ids a text search finds), in no particular order."""

    @abc.abstractmethod
    def count(self, table: str, conds: Iterable[Cond] = ()) -> int: ...

    @abc.abstractmethod
    def count_by(self, table: str, column: str, conds: Iterable[Cond] = (), limit: int | None = None
                 ) -> list[tuple[Any, int]]:
        """(value, rows) per value of a column among the rows matching, most rows first (a list column counts
        each of its values)."""

    def facets(self, table: str, columns: Sequence[str], base: Iterable[Cond], own: Mapping[str, Sequence[Cond]],
               limit: int | None = None) -> dict[str, list[tuple[Any, int]]]:
        """count_by of each column among the rows matching `base` and the `own` conditions of every other column
        (a facet counts as if its own filter were not set). Backends may do it in one pass."""
        base = list(base)
        return {c: self.count_by(table, c, [*base, *(x for k, v in own.items() if k != c for x in v)], limit)
                for c in columns}

    @abc.abstractmethod
    def update(self, table: str, conds: Iterable[Cond], values: Mapping[str, Any]) -> int: ...

    @abc.abstractmethod
    def delete(self, table: str, conds: Iterable[Cond]) -> int: ...

    @abc.abstractmethod
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything inside happens together or not at all (nested uses join the outer one)."""

    @abc.abstractmethod
    def claim(self, table: str, key: Mapping[str, Any]) -> dict[str, Any] | None:
        """Inside a transaction: the row with this key, locked against other writers until the transaction ends
        (so a compare-and-set on it cannot lose an update), or None when there is none."""

    @abc.abstractmethod
    def clear(self) -> None:
        """Delete every workspace table or node (tests; `govties` never calls it on a user's data)."""

    def one(self, table: str, **key: Any) -> dict[str, Any] | None:
        rows = self.select(table, where(**key), limit=1)
        return rows[0] if rows else None



def open_workspace(backend: Backend) -> Workspace:
    """The workspace of an opened graph: in the DuckDB store, or in the Neo4j database. An in-memory graph has one
    too (it lives as long as the process)."""
    if backend.query_language == "sql":
        from .workspace_duckdb import DuckDBWorkspace

        ws: Workspace = DuckDBWorkspace(backend)
    elif backend.query_language == "cypher":
        from .workspace_neo4j import Neo4jWorkspace

        ws = Neo4jWorkspace(backend)
    else:  # pragma: no cover - every backend speaks one of the two
        raise WorkspaceError(f"the {backend.name} backend has no workspace")
    ws.ensure()
    return ws


__all__ = ["TABLES", "WTable", "Cond", "where", "either", "Workspace", "WorkspaceError", "open_workspace", "complete",
           "checked", "WorkspaceConflict"]
