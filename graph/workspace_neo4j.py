"""The workspace in the Neo4j database: one label `GovtiesName` per declaration of graph.workspace, nodes without
relationships, beside the graph (which a load replaces: it sweeps only the labels Entity, Decision and Declaration
and the graph's relationship types, never these). Keys are uniqueness constraints; a transaction is one explicit
Neo4j transaction per thread; `claim` takes the node's write lock before reading it."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import pyarrow as pa
from neo4j.exceptions import ConstraintError, Neo4jError, ServiceUnavailable, SessionExpired

from .backend import plain
from .workspace import TABLES, Cond, Workspace, WorkspaceConflict, WorkspaceError, checked, complete

BATCH = 2000
NOT_NULL = {"finding": ("score", "severity_rank", "rule", "status", "first_seen", "changed_at")}  # always written


def _p(name: str) -> str:
    return "`" + name + "`"  # property names come from the declarations only


class Neo4jWorkspace(Workspace):
    def __init__(self, backend: Any):
        super().__init__(backend)
        self._driver = backend.driver
        self._database = backend.database
        self._local = threading.local()

    # -- plumbing ------------------------------------------------------------------------------------
    def _run(self, query: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        tx = getattr(self._local, "tx", None)
        try:
            if tx is not None:
                return [{k: plain(v) for k, v in r.items()} for r in tx.run(query, dict(params or {}))]
            with self._driver.session(database=self._database) as session:
                return [{k: plain(v) for k, v in r.items()} for r in session.run(query, dict(params or {}))]
        except ConstraintError as exc:
            raise WorkspaceConflict(exc.message or "a workspace key is already taken") from None
        except (ServiceUnavailable, SessionExpired) as exc:
            where = getattr(self.backend, "where", "")
            raise WorkspaceError(f"lost the connection to Neo4j at {where}: check the server, then try again "
                                 f"({type(exc).__name__})") from None
        except Neo4jError as exc:
            raise WorkspaceError(f"Neo4j refused a workspace query: {exc.message}") from None

    @classmethod
    def _predicate(cls, conds: Iterable[Cond], params: dict[str, Any]) -> str:
        parts = []
        for c in conds:
            p = f"p{len(params)}"
            col = "n." + _p(c.column)
            if c.op == "any":  # either(...): one of them
                parts.append("(" + (" OR ".join(cls._predicate([x], params) for x in c.value) or "false") + ")")
            elif c.op in ("eq", "ne", "ge", "le"):
                params[p] = c.value
                parts.append(f"{col} {dict(eq='=', ne='<>', ge='>=', le='<=')[c.op]} ${p}")
            elif c.op in ("in", "not_in"):
                params[p] = list(c.value)
                parts.append(f"{'NOT ' if c.op == 'not_in' else ''}{col} IN ${p}")
            elif c.op == "null_or_in":
                params[p] = list(c.value)
                parts.append(f"({col} IS NULL OR {col} IN ${p})")
            elif c.op == "contains":
                params[p] = str(c.value).lower()
                parts.append(f"toLower(coalesce({col}, '')) CONTAINS ${p}")
            elif c.op == "has":
                params[p] = c.value
                parts.append(f"${p} IN coalesce({col}, [])")
            elif c.op == "null":
                parts.append(f"{col} IS NULL")
            else:
                parts.append(f"{col} IS NOT NULL")
        return " AND ".join(parts) if parts else "true"

    @staticmethod
    def _row(spec, props: Mapping[str, Any]) -> dict[str, Any]:
        out = {}
        for c, kind in spec.columns:
            v = props.get(c)
            out[c] = (list(v) if v is not None else []) if kind == "list" else v
        return out

    # -- the generic operations ----------------------------------------------------------------------
    def ensure(self) -> None:
        for spec in TABLES.values():
            if spec.key:
                keys = ", ".join(f"n.{_p(k)}" for k in spec.key)
                self._run(f"CREATE CONSTRAINT govties_{spec.name}_key IF NOT EXISTS FOR (n:{spec.label}) "
                          f"REQUIRE ({keys}) IS UNIQUE")
            for col in spec.indexed:
                self._run(f"CREATE INDEX govties_{spec.name}_{col} IF NOT EXISTS FOR (n:{spec.label}) "
                          f"ON (n.{_p(col)})")

    def _batches(self, table: str, rows: Sequence[Mapping[str, Any]] | pa.Table) -> Iterator[list[dict[str, Any]]]:
        spec = checked(table)
        for start in range(0, len(rows), BATCH):
            part = rows.slice(start, BATCH).to_pylist() if isinstance(rows, pa.Table) else rows[start:start + BATCH]
            # a None property is no property in Neo4j: leave it out
            yield [{k: v for k, v in complete(spec, r).items() if v is not None} for r in part]

    def insert(self, table: str, rows: Sequence[Mapping[str, Any]] | pa.Table) -> int:
        label = TABLES[table].label
        for batch in self._batches(table, rows):
            self._run(f"UNWIND $rows AS r CREATE (n:{label}) SET n = r", {"rows": batch})
        return len(rows)

    def upsert(self, table: str, rows: Sequence[Mapping[str, Any]]) -> int:
        spec = TABLES[table]
        if not spec.key:
            raise WorkspaceError(f"workspace table {table} has no key to upsert by")
        keys = ", ".join(f"{_p(k)}: r.{_p(k)}" for k in spec.key)
        for batch in self._batches(table, rows):
            self._run(f"UNWIND $rows AS r MERGE (n:{spec.label} {{{keys}}}) SET n = r", {"rows": batch})
        return len(rows)

    def select(self, table: str, conds: Iterable[Cond] = (), order: Sequence[tuple[str, bool]] = (),
               offset: int = 0, limit: int | None = None) -> list[dict[str, Any]]:
        conds = list(conds)
        spec = checked(table, conds, [c for c, _ in order])
        params: dict[str, Any] = {}
        # order and cut before reading whole nodes: only the page's rows are projected; a first sort column that
        # is indexed and never missing is read in index order (the predicate lets the planner use the index)
        first = order[0][0] if order else None
        if first and first in spec.indexed and first in NOT_NULL.get(table, ()):
            conds = [*conds, Cond(first, "not_null")]
        query = f"MATCH (n:{spec.label})" + self._where(conds, params) + " WITH n"
        if order:  # missing values last, as on DuckDB (declared keys and NOT_NULL columns cannot be missing)
            query += " ORDER BY " + ", ".join(
                (f"n.{_p(c)}" if c in spec.key or c in NOT_NULL.get(table, ()) else f"n.{_p(c)} IS NULL, n.{_p(c)}")
                + (" DESC" if d else "") for c, d in order)
        if offset:
            query += f" SKIP {int(offset)}"
        if limit is not None:
            query += f" LIMIT {int(limit)}"
        return [self._row(spec, r["n"]) for r in self._run(query + " RETURN properties(n) AS n", params)]

    def values(self, table: str, column: str, conds: Iterable[Cond] = (), limit: int | None = None) -> list[Any]:
        conds = list(conds)
        spec = checked(table, conds, [column])
        params: dict[str, Any] = {}
        query = f"MATCH (n:{spec.label})" + self._where(conds, params) + f" RETURN n.{_p(column)} AS v"
        if limit is not None:
            query += f" LIMIT {int(limit)}"
        return [r["v"] for r in self._run(query, params)]

    def count(self, table: str, conds: Iterable[Cond] = ()) -> int:
        conds = list(conds)
        spec = checked(table, conds)
        params: dict[str, Any] = {}
        rows = self._run(f"MATCH (n:{spec.label})" + self._where(conds, params) + " RETURN count(n) AS c", params)
        return int(rows[0]["c"]) if rows else 0

    def count_by(self, table: str, column: str, conds: Iterable[Cond] = (), limit: int | None = None
                 ) -> list[tuple[Any, int]]:
        return self._count_by(table, column, list(conds), limit, {})

    def facets(self, table: str, columns: Sequence[str], base: Iterable[Cond], own: Mapping[str, Sequence[Cond]],
               limit: int | None = None) -> dict[str, list[tuple[Any, int]]]:
        """count_by of each column, the rows matching the same conditions counted once for all the facets that
        share them (every facet but those filtered, when one filter is set)."""
        base = list(base)
        totals: dict[Any, int] = {}
        return {c: self._count_by(table, c, [*base, *(x for k, v in own.items() if k != c for x in v)], limit,
                                  totals) for c in columns}

    def _count_by(self, table: str, column: str, conds: list[Cond], limit: int | None,
                  totals: dict[str, int]) -> list[tuple[Any, int]]:
        """One query per column: its top values with their counts and how many rows have a value (read from the
        column's index where there is one, no node read); the rows without one by difference from the count of
        the rows matching `conds` (`totals`: those counts by conditions, shared between columns)."""
        spec = checked(table, conds, [column])
        params: dict[str, Any] = {}
        cut = f"[..{int(limit)}]" if limit is not None else ""
        if spec.types()[column] == "list":
            query = (f"MATCH (n:{spec.label})" + self._where(conds, params)
                     + f" UNWIND coalesce(n.{_p(column)}, []) AS v WITH v, count(*) AS c ORDER BY c DESC, v"
                     + f" RETURN collect([v, c]){cut} AS top")
            rows = [(v, int(c)) for v, c in self._run(query, params)[0]["top"]]
        else:
            query = (f"MATCH (n:{spec.label})" + self._where([*conds, Cond(column, "not_null")], params)
                     + f" WITH n.{_p(column)} AS v, count(*) AS c ORDER BY c DESC, v"
                     + f" WITH collect([v, c]) AS counted, sum(c) AS present RETURN counted{cut} AS top, present")
            found = self._run(query, params)[0]
            rows = [(v, int(c)) for v, c in found["top"]]
            key = repr(conds)
            if key not in totals:
                totals[key] = self.count(table, conds)
            missing = totals[key] - int(found["present"])
            if missing:
                rows.append((None, missing))
        rows.sort(key=lambda vc: (-vc[1], vc[0] is None, vc[0] if vc[0] is not None else ""))
        return rows[:limit] if limit is not None else rows

    def update(self, table: str, conds: Iterable[Cond], values: Mapping[str, Any]) -> int:
        conds = list(conds)
        spec = checked(table, conds, values)
        row = complete(spec, {**{c: None for c in spec.column_names}, **values})
        params: dict[str, Any] = {"values": {c: row[c] for c in values}}
        query = (f"MATCH (n:{spec.label})" + self._where(conds, params)
                 + " SET n += $values RETURN count(n) AS c")
        rows = self._run(query, params)
        return int(rows[0]["c"]) if rows else 0

    def delete(self, table: str, conds: Iterable[Cond]) -> int:
        conds = list(conds)
        spec = checked(table, conds)
        params: dict[str, Any] = {}
        match = f"MATCH (n:{spec.label})" + self._where(conds, params)
        if getattr(self._local, "tx", None) is not None:
            rows = self._run(match + " DETACH DELETE n RETURN count(*) AS c", params)
            return int(rows[0]["c"]) if rows else 0
        total = self.count(table, conds)  # outside a transaction: in batches, a large table fits in memory
        self._run(match + " CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS", params)
        return total

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if getattr(self._local, "tx", None) is not None:
            yield
            return
        session = self._driver.session(database=self._database)
        tx = session.begin_transaction()
        self._local.tx = tx
        try:
            yield
            tx.commit()
        except BaseException:
            if tx.closed() is False:
                tx.rollback()
            raise
        finally:
            self._local.tx = None
            session.close()

    def claim(self, table: str, key: Mapping[str, Any]) -> dict[str, Any] | None:
        spec = checked(table, [Cond(k, "eq", v) for k, v in key.items()])
        params: dict[str, Any] = {}
        where = self._where([Cond(k, "eq", v) for k, v in key.items()], params)
        params["token"] = uuid.uuid4().hex
        # writing takes the node's lock; what is read after it is the last committed state
        rows = self._run(f"MATCH (n:{spec.label}){where} SET n._claim = $token REMOVE n._claim "
                         "RETURN properties(n) AS n", params)
        return self._row(spec, rows[0]["n"]) if rows else None

    def clear(self) -> None:
        for spec in TABLES.values():
            self._run(f"MATCH (n:{spec.label}) CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF 10000 ROWS")
