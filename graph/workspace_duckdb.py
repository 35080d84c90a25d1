"""The workspace in the DuckDB store: one table `govties_NAME` per declaration of graph.workspace, beside the graph's
own tables (which a load replaces; these it never touches). Each thread works through its own cursor of the
store's connection; transactions are serialized in the process (DuckDB holds the file for one process)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from typing import Any

import duckdb
import pyarrow as pa

from .backend import is_interrupt
from .duckdb_store import write_failure
from .workspace import TABLES, Cond, Workspace, WorkspaceConflict, WorkspaceError, checked, complete

_SQL_TYPES = {"str": "VARCHAR", "int": "BIGINT", "float": "DOUBLE", "bool": "BOOLEAN", "list": "VARCHAR[]"}
_ARROW_TYPES = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(),
                "list": pa.list_(pa.string())}


def _q(name: str) -> str:
    return '"' + name + '"'  # names come from the declarations only


class DuckDBWorkspace(Workspace):
    def __init__(self, backend: Any):
        super().__init__(backend)
        self._con: duckdb.DuckDBPyConnection = backend.con
        self._local = threading.local()
        self._lock = threading.RLock()

    # -- plumbing ------------------------------------------------------------------------------------
    def _cur(self) -> duckdb.DuckDBPyConnection:
        cur = getattr(self._local, "cur", None)
        if cur is None:
            cur = self._local.cur = self._con.cursor()
            self._local.depth = 0
        return cur

    def _exec(self, sql: str, params: Mapping[str, Any] | None = None) -> duckdb.DuckDBPyConnection:
        try:
            return self._cur().execute(sql, dict(params or {}))
        except duckdb.ConstraintException as exc:
            raise WorkspaceConflict(f"a workspace key is already taken: {exc}") from None
        except (duckdb.Error, RuntimeError) as exc:  # DuckDB reports a Ctrl-C as either
            if is_interrupt(exc):  # Ctrl-C: an interrupt, not a broken workspace
                raise KeyboardInterrupt from None
            if not isinstance(exc, duckdb.Error):
                raise
            where = getattr(self.backend, "store", "")
            why = write_failure(exc)
            raise WorkspaceError(f"the workspace in {where} could not be read or written: {why}") from None

    def _rows(self, sql: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        cur = self._exec(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    @classmethod
    def _predicate(cls, conds: Iterable[Cond], params: dict[str, Any]) -> str:
        parts = []
        for c in conds:
            p = f"p{len(params)}"
            col = _q(c.column)
            if c.op == "any":  # either(...): one of them
                parts.append("(" + (" OR ".join(cls._predicate([x], params) for x in c.value) or "false") + ")")
            elif c.op in ("eq", "ne", "ge", "le"):
                params[p] = c.value
                parts.append(f"{col} {dict(eq='=', ne='<>', ge='>=', le='<=')[c.op]} ${p}")
            elif c.op in ("in", "not_in"):
                params[p] = list(c.value)
                # a semi-join on the list's values (hashed), not a scan of the list for every row
                parts.append(f"{col} {'NOT ' if c.op == 'not_in' else ''}IN (SELECT unnest(${p}))")
            elif c.op == "null_or_in":
                params[p] = list(c.value)
                parts.append(f"({col} IS NULL OR {col} IN (SELECT unnest(${p})))")
            elif c.op == "contains":
                params[p] = str(c.value).lower()
                parts.append(f"contains(lower(coalesce({col}, '')), ${p})")
            elif c.op == "has":
                params[p] = c.value
                parts.append(f"list_contains({col}, ${p})")
            elif c.op == "null":
                parts.append(f"{col} IS NULL")
            else:
                parts.append(f"{col} IS NOT NULL")
        return " AND ".join(parts) if parts else "true"

    # -- the generic operations ----------------------------------------------------------------------
    def ensure(self) -> None:
        with self._lock:
            for spec in TABLES.values():
                cols = ", ".join(f"{_q(c)} {_SQL_TYPES[k]}" for c, k in spec.columns)
                key = f", PRIMARY KEY ({', '.join(_q(k) for k in spec.key)})" if spec.key else ""
                self._exec(f"CREATE TABLE IF NOT EXISTS {_q(spec.sql)} ({cols}{key})")

    def _arrow(self, table: str, rows: Sequence[Mapping[str, Any]] | pa.Table) -> pa.Table:
        spec = checked(table)
        if isinstance(rows, pa.Table):  # a bulk insert: the declared columns, typed as declared
            checked(table, columns=rows.column_names)
            return pa.table({c: rows.column(c).cast(_ARROW_TYPES[k]) if c in rows.column_names
                             else pa.nulls(rows.num_rows, _ARROW_TYPES[k]) for c, k in spec.columns})
        full = [complete(spec, r) for r in rows]
        return pa.table({c: pa.array([r[c] for r in full], type=_ARROW_TYPES[k]) for c, k in spec.columns})

    def _put(self, table: str, rows: Sequence[Mapping[str, Any]] | pa.Table, verb: str) -> int:
        if len(rows) == 0:
            return 0
        data = self._arrow(table, rows)
        name = "_rows_" + uuid.uuid4().hex
        cur = self._cur()
        cur.register(name, data)
        try:
            self._exec(f"{verb} INTO {_q(TABLES[table].sql)} SELECT * FROM {name}")
        except BaseException:
            # failed or interrupted: the transaction may be aborted, and then unregistering raises too; the cause
            # is the first error, not that one
            with suppress(duckdb.Error):
                cur.unregister(name)
            raise
        cur.unregister(name)
        return data.num_rows

    def insert(self, table: str, rows: Sequence[Mapping[str, Any]] | pa.Table) -> int:
        with self._lock:
            return self._put(table, rows, "INSERT")

    def upsert(self, table: str, rows: Sequence[Mapping[str, Any]]) -> int:
        if not TABLES[table].key:
            raise WorkspaceError(f"workspace table {table} has no key to upsert by")
        with self._lock:
            return self._put(table, rows, "INSERT OR REPLACE")

    def select(self, table: str, conds: Iterable[Cond] = (), order: Sequence[tuple[str, bool]] = (),
               offset: int = 0, limit: int | None = None) -> list[dict[str, Any]]:
        conds = list(conds)
        spec = checked(table, conds, [c for c, _ in order])
        params: dict[str, Any] = {}
        sql = f"SELECT * FROM {_q(spec.sql)}" + self._where(conds, params)
        if order:
            sql += " ORDER BY " + ", ".join(f"{_q(c)} {'DESC' if d else 'ASC'} NULLS LAST" for c, d in order)
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        if offset:
            sql += f" OFFSET {int(offset)}"
        return self._rows(sql, params)

    def values(self, table: str, column: str, conds: Iterable[Cond] = (), limit: int | None = None) -> list[Any]:
        conds = list(conds)
        spec = checked(table, conds, [column])
        params: dict[str, Any] = {}
        sql = f"SELECT {_q(column)} FROM {_q(spec.sql)}" + self._where(conds, params)
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [r[0] for r in self._exec(sql, params).fetchall()]

    def count(self, table: str, conds: Iterable[Cond] = ()) -> int:
        conds = list(conds)
        spec = checked(table, conds)
        params: dict[str, Any] = {}
        return int(self._exec(f"SELECT count(*) FROM {_q(spec.sql)}" + self._where(conds, params),
                              params).fetchall()[0][0])

    def count_by(self, table: str, column: str, conds: Iterable[Cond] = (), limit: int | None = None
                 ) -> list[tuple[Any, int]]:
        conds = list(conds)
        spec = checked(table, conds, [column])
        params: dict[str, Any] = {}
        value = f"unnest({_q(column)})" if spec.types()[column] == "list" else _q(column)
        sql = (f"SELECT v, count(*) AS n FROM (SELECT {value} AS v FROM {_q(spec.sql)}"
               + self._where(conds, params) + ") GROUP BY v ORDER BY n DESC, v NULLS LAST")
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [(r[0], int(r[1])) for r in self._exec(sql, params).fetchall()]

    def update(self, table: str, conds: Iterable[Cond], values: Mapping[str, Any]) -> int:
        conds = list(conds)
        spec = checked(table, conds, values)
        row = complete(spec, {**{c: None for c in spec.column_names}, **values})
        params: dict[str, Any] = {}
        sets = []
        for c in values:
            params[f"v{len(params)}"] = row[c]
            sets.append(f"{_q(c)} = $v{len(params) - 1}")
        with self._lock:
            cur = self._exec(f"UPDATE {_q(spec.sql)} SET {', '.join(sets)}" + self._where(conds, params), params)
            return int(cur.fetchall()[0][0])

    def delete(self, table: str, conds: Iterable[Cond]) -> int:
        conds = list(conds)
        spec = checked(table, conds)
        params: dict[str, Any] = {}
        with self._lock:
            return int(self._exec(f"DELETE FROM {_q(spec.sql)}" + self._where(conds, params),
                                  params).fetchall()[0][0])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock:
            self._cur()
            outer = self._local.depth == 0
            if outer:
                self._exec("BEGIN TRANSACTION")
            self._local.depth += 1
            try:
                yield
            except BaseException:
                self._local.depth -= 1
                if outer:
                    self._exec("ROLLBACK")
                raise
            self._local.depth -= 1
            if outer:
                self._exec("COMMIT")

    def claim(self, table: str, key: Mapping[str, Any]) -> dict[str, Any] | None:
        # transactions are serialized in this process, and the store file belongs to this process
        rows = self.select(table, [Cond(k, "eq", v) for k, v in key.items()], limit=1)
        return rows[0] if rows else None

    def clear(self) -> None:
        with self._lock:
            for spec in TABLES.values():
                self._exec(f"DROP TABLE IF EXISTS {_q(spec.sql)}")
            self.ensure()
