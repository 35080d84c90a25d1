"""The embedded default backend: DuckDB, in memory or in one file (`--store PATH`). Rules run as SQL.

A load replaces the model's tables in one transaction, and an append adds to them in one; either records its stamp
in `govties_meta` in that transaction (graph/duckdb_store.py). Interrupted (Ctrl-C), it raises StoreInterrupted
saying whether the transaction committed, as the stamp shows: DuckDB may finish a COMMIT and still report the
interrupt.
"""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import duckdb
import pandas as pd
import pyarrow as pa

from .backend import (Backend, BackendError, Progress, StoreInterrupted, WriteOutcome, arrow_rows, empty_table,
                      is_interrupt, plain)
from .columns import to_arrow
from .duckdb_store import (PURPOSES, WRITE_FAILURES, MadeStores, check_file, check_store, first_line, last_stamp,
                           write_failure, write_meta)
from .model import TABLES


SQL_TYPES = {"str": "VARCHAR", "date": "DATE", "float": "DOUBLE", "int": "BIGINT", "bool": "BOOLEAN",
             "list": "VARCHAR[]", "json": "VARCHAR"}

# Helpers every rule's SQL may use (the SQL dialect's small vocabulary, defined in one place).
MACROS = """
CREATE OR REPLACE TEMP MACRO held(s, e, d) AS ((s IS NULL OR s <= d) AND (e IS NULL OR e >= d));
CREATE OR REPLACE TEMP MACRO edge(src, dst, typ, label, share, s, e, reported := NULL) AS {
    'src': CAST(src AS VARCHAR), 'dst': CAST(dst AS VARCHAR), 'type': CAST(typ AS VARCHAR),
    'label': CAST(label AS VARCHAR), 'share': CAST(share AS DOUBLE), 'start': CAST(s AS VARCHAR),
    'end': CAST(e AS VARCHAR), 'reported_on': CAST(reported AS VARCHAR)};
CREATE OR REPLACE TEMP MACRO plus_days(d, n) AS CAST(d + to_days(CAST(n AS INTEGER)) AS DATE);
CREATE OR REPLACE TEMP MACRO plus_years(d, n) AS CAST(d + to_years(CAST(n AS INTEGER)) AS DATE);
CREATE OR REPLACE TEMP MACRO in_jurisdiction(region_code, jurisdiction) AS
    (jurisdiction = '' OR starts_with(coalesce(region_code, ''), jurisdiction) AND coalesce(region_code, '') <> '');
"""


EDGES_OF = """
WITH ids AS (SELECT unnest($ids) AS id)
SELECT person_id AS src, org_id AS dst, 'HOLDS_POST' AS type, title AS label, CAST(NULL AS DOUBLE) AS share,
       start_date AS "start", end_date AS "end", CAST(NULL AS DATE) AS reported_on
  FROM post WHERE person_id IN (SELECT id FROM ids) OR org_id IN (SELECT id FROM ids)
UNION ALL
SELECT person_id, relative_id, 'RELATIVE_OF', relation, NULL, start_date, end_date, NULL
  FROM kin WHERE stated AND (person_id IN (SELECT id FROM ids) OR relative_id IN (SELECT id FROM ids))
UNION ALL
SELECT holder_id, org_id, 'HOLDS_ROLE', role, share, start_date, end_date, reported_on
  FROM role WHERE holder_id IN (SELECT id FROM ids) OR org_id IN (SELECT id FROM ids)
UNION ALL
SELECT dm.person_id, dm.decision_id, 'DECIDED', dm.role, NULL, d.date, NULL, NULL
  FROM decision_maker dm JOIN decision d ON d.decision_id = dm.decision_id
 WHERE dm.person_id IN (SELECT id FROM ids) OR dm.decision_id IN (SELECT id FROM ids)
UNION ALL
SELECT decision_id, agency_id, 'ISSUED_BY', kind, NULL, date, NULL, NULL
  FROM decision WHERE decision_id IN (SELECT id FROM ids) OR agency_id IN (SELECT id FROM ids)
UNION ALL
SELECT decision_id, beneficiary_id, 'BENEFITS', kind, NULL, date, NULL, NULL
  FROM decision WHERE decision_id IN (SELECT id FROM ids) OR beneficiary_id IN (SELECT id FROM ids)
UNION ALL
SELECT b.org_id, b.tender_id, 'BID', CASE WHEN b.won THEN 'won' ELSE 'bid' END, NULL, d.date, NULL, NULL
  FROM bid b JOIN decision d ON d.decision_id = b.tender_id
 WHERE b.org_id IN (SELECT id FROM ids) OR b.tender_id IN (SELECT id FROM ids)
"""


# Entities whose id, name, alias or credit code contains $needle (already lower-cased); exact matches first.
FIND = """
WITH hits AS (
  SELECT person_id AS id, 'person' AS type, name, CAST(NULL AS VARCHAR) AS kind, 'id' AS matched,
         lower(person_id) = $needle OR list_contains(list_transform(source_ids, lambda x: lower(x)), $needle) AS exact
    FROM person
   WHERE contains(lower(person_id), $needle) OR len(list_filter(source_ids, lambda x: contains(lower(x), $needle))) > 0
  UNION ALL
  SELECT person_id, 'person', name, NULL, 'name', lower(name) = $needle FROM person
   WHERE contains(lower(name), $needle)
  UNION ALL
  SELECT person_id, 'person', name, NULL, 'alias', list_contains(list_transform(aliases, lambda x: lower(x)), $needle)
    FROM person WHERE len(list_filter(aliases, lambda x: contains(lower(x), $needle))) > 0
  UNION ALL
  SELECT org_id, 'organization', name, kind,
         CASE WHEN contains(lower(org_id), $needle) THEN 'id' ELSE 'credit_code' END,
         lower(org_id) = $needle OR lower(coalesce(credit_code, '')) = $needle
    FROM org WHERE contains(lower(org_id), $needle) OR contains(lower(coalesce(credit_code, '')), $needle)
  UNION ALL
  SELECT org_id, 'organization', name, kind, 'name', lower(name) = $needle FROM org WHERE contains(lower(name), $needle)
  UNION ALL
  SELECT decision_id, 'decision', coalesce(title, decision_id), kind, 'id', lower(decision_id) = $needle
    FROM decision WHERE contains(lower(decision_id), $needle)
  UNION ALL
  SELECT decision_id, 'decision', coalesce(title, decision_id), kind, 'name', lower(title) = $needle
    FROM decision WHERE contains(lower(coalesce(title, '')), $needle)
)
SELECT * FROM hits ORDER BY exact DESC, id, type, matched LIMIT $cap
"""

# Entity ids (persons' with their merged source ids, organizations', decisions') holding $part and matching $pattern.
IDS_MATCHING = """
SELECT DISTINCT id FROM (
  SELECT person_id AS id FROM person
  UNION ALL SELECT unnest(source_ids) FROM person
  UNION ALL SELECT org_id FROM org
  UNION ALL SELECT decision_id FROM decision
) WHERE contains(id, $part) AND regexp_matches(id, '(?s)' || $pattern) ORDER BY id LIMIT $limit
"""


def _not_opened(store: str, exc: duckdb.Error) -> str:
    """Why a store could not be opened, in one line: another process holding it (DuckDB's lock) is named."""
    holder = re.search(r"Conflicting lock is held in (.*?) \(PID (\d+)\)", str(exc))
    if holder:
        return (f"the store {store} is open in another process (PID {holder[2]}, {Path(holder[1]).name}: a "
                "`govties serve` or another govties command); stop it first, or use another store file (another "
                "--store; for `govties demo`, another --out folder)")
    why = write_failure(exc)
    if why != first_line(exc):  # a full disk, a read-only folder: said as such
        return f"cannot open the store {store}: {why}"
    return f"cannot open the store {store}: {exc}; check the path and that no other govties process holds it"


class DuckDBBackend(Backend):
    name = "duckdb"
    read_errors = (duckdb.Error,)
    query_language = "sql"
    features = frozenset({"sql", "transactions", "persistent-file", "in-memory", "recursive", "background-queries"})
    _reads_for: DuckDBBackend | None = None  # on a reader: the backend it reads for
    _tables_ready = False  # the model's tables are known to exist (_ensure_tables)

    @classmethod
    def open(cls, **options: Any) -> DuckDBBackend:
        return cls(options.get("store"), purpose=options.get("purpose", "load"))

    def __init__(self, store: str | None = None, threads: int | None = None, purpose: str = "load"):
        assert purpose in PURPOSES
        self.store = str(store) if store else ":memory:"
        self.where = f"the store {self.store}" if store else "the in-memory graph"
        if store:
            check_file(self.store, purpose)
            if purpose == "load":  # a new store in a folder that does not exist yet: create it, as for any output
                try:
                    Path(self.store).parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise BackendError(f"cannot create the folder for the store {self.store}: "
                                       f"{exc.strerror or type(exc).__name__}") from None
        # a store file this load creates is removed again if it ends holding nothing (duckdb_store.MadeStores)
        self._made = bool(store) and purpose == "load" and not Path(self.store).exists()
        if self._made:
            MadeStores.made(self.store)
        try:
            self.con = duckdb.connect(self.store)
        except duckdb.Error as exc:  # a locked or unreadable file, a full disk
            if self._made:
                MadeStores.remove_unopened(self.store, exc)
            MadeStores.forget(self.store)
            raise BackendError(_not_opened(self.store, exc)) from exc
        ready = False
        try:
            if store:
                check_store(self.con, self.store, purpose)
            # govties reports progress itself, on stderr; DuckDB's own bar would land in the middle of stdout
            self.con.execute("SET enable_progress_bar = false")
            if threads:
                self.con.execute(f"SET threads = {int(threads)}")
            self.con.execute(MACROS)
            ready = True
        finally:
            if not ready:  # a refused store, or Ctrl-C while it opens: no connection or new file is left behind
                self.close()

    # -- loading -------------------------------------------------------------------------------
    def load(self, tables: Mapping[str, pd.DataFrame], progress: Progress | None = None) -> dict[str, int]:
        """Replace every table in one transaction: a failure leaves the previous graph as it was."""
        counts: dict[str, int] = {}

        def replace() -> None:
            for i, name in enumerate(TABLES):
                df = tables.get(name)
                if df is None:
                    df = empty_table(name)
                arrow = to_arrow(name, df)
                self.con.register("_incoming", arrow)
                self.con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM _incoming')
                self.con.unregister("_incoming")
                counts[name] = arrow.num_rows
                if progress:
                    progress("store", i + 1, len(TABLES))

        self._transaction("load", replace)
        return counts

    def _transaction(self, work: str, body) -> None:
        """Run `body` and record the stamp in one transaction; for a store file, `last_write` says what happened, and
        an interrupt raises StoreInterrupted carrying it (an in-memory graph ends with the process anyway)."""
        stamp = uuid.uuid4().hex
        kept = self.store != ":memory:"
        self.last_write = WriteOutcome(work, self.where, "unknown") if kept else None
        try:
            self.con.execute("BEGIN TRANSACTION")
            body()
            write_meta(self.con, stamp)
            self.con.execute("COMMIT")
        except BaseException as exc:
            state: Literal["stored", "rolled back", "unknown"]
            try:
                state = "stored" if self._settle(stamp) else "rolled back"
            except duckdb.Error:  # the connection is gone (a fatal error): which of the two graphs it holds is unknown
                state = "unknown"
            self.last_write = WriteOutcome(work, self.where, state) if kept else None
            if is_interrupt(exc):
                raise (StoreInterrupted(self.last_write) if self.last_write else KeyboardInterrupt()) from None
            if isinstance(exc, WRITE_FAILURES):  # the file could not be written (a full disk, a read-only folder)
                outcome = self.last_write.describe() if self.last_write else "nothing was stored"
                raise BackendError(f"cannot write {self.where}: {write_failure(exc)}; {outcome}") from None
            raise
        self.last_write = WriteOutcome(work, self.where, "stored") if kept else None

    def _settle(self, stamp: str) -> bool:
        """After a failed or interrupted transaction: roll back what is still open, then whether it committed."""
        try:
            self.con.execute("ROLLBACK")
        except duckdb.TransactionException:  # nothing open: the COMMIT went through, or the BEGIN never did
            pass
        return last_stamp(self.con) == stamp

    def append(self, tables: Mapping[str, pd.DataFrame], alias_updates: list[tuple[str, str, str, dict]],
               progress: Progress | None = None) -> dict[str, int]:
        self._ensure_tables()
        added: dict[str, int] = {}

        def add() -> None:
            for i, name in enumerate(TABLES):
                df = tables.get(name)
                if df is None or len(df) == 0:
                    continue
                key = TABLES[name].key[0]  # from the model, never from data
                before = self.con.execute(f'SELECT count(*) FROM "{name}"').fetchall()[0][0]
                self.con.register("_incoming", to_arrow(name, df))
                self.con.execute(f'INSERT INTO "{name}" SELECT * FROM _incoming '
                                 f'WHERE "{key}" NOT IN (SELECT "{key}" FROM "{name}")')
                self.con.unregister("_incoming")
                added[name] = self.con.execute(f'SELECT count(*) FROM "{name}"').fetchall()[0][0] - before
                if progress:
                    progress("append", i + 1, len(TABLES))
            for canonical, new_id, new_name, fields in alias_updates:
                self.con.execute(
                    """UPDATE person SET
                         source_ids = list_sort(list_distinct(list_append(source_ids, $new))),
                         aliases = list_sort(list_distinct(list_filter(list_append(aliases, $name),
                                                                       lambda x: x <> name))),
                         gender = coalesce(gender, $gender),
                         birth_date = coalesce(birth_date, CAST($birth AS DATE)),
                         id_number = coalesce(id_number, $id_number)
                       WHERE person_id = $id""",
                    {"new": new_id, "name": new_name, "id": canonical, "gender": fields.get("gender"),
                     "birth": fields.get("birth_date"), "id_number": fields.get("id_number")})

        self._transaction("append", add)
        return added

    def last_stamp(self) -> str | None:
        return last_stamp(self.con)

    def counts(self) -> dict[str, int]:
        present = {r[0] for r in self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
        out = {}
        for name in TABLES:  # names from the model's whitelist, never from data
            out[name] = self.con.execute(f'SELECT count(*) FROM "{name}"').fetchall()[0][0] if name in present else 0
        return out

    def _ensure_tables(self) -> None:
        """Create the model's tables a store lacks (an empty graph reads as such); asked once per connection: no
        command drops them, and a load replaces them within its transaction. Every result on this connection is
        fetched whole (never fetchone() or a bare .description): DuckDB refuses other work on a connection holding
        an unfinished result, e.g. registering the ids a node lookup joins."""
        if self._tables_ready:
            return
        present = {r[0] for r in self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
        for name, table in TABLES.items():  # names and types from the model, never from data
            if name not in present:
                columns = ", ".join(f'"{c}" {SQL_TYPES[kind]}' for c, kind in table.columns)
                self.con.execute(f'CREATE TABLE "{name}" ({columns})')
        self._tables_ready = True

    # -- querying ------------------------------------------------------------------------------
    def run(self, query: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        self._ensure_tables()
        used = {k: v for k, v in params.items() if f"${k}" in query}
        try:  # fetched as Arrow and converted a column at a time (arrow_rows gives what plain gives)
            relation = self.con.sql(query, params=used or None)
            rows = arrow_rows(relation.to_arrow_table()) if relation is not None else []
            if rows is None:  # a type arrow_rows leaves to Python: fetched again, row by row
                cur = self.con.execute(query, used)
                names = [d[0] for d in cur.description]
                rows = [{n: plain(v) for n, v in zip(names, row, strict=True)} for row in cur.fetchall()]
        except (duckdb.Error, RuntimeError) as exc:
            if is_interrupt(exc):  # Ctrl-C while the query ran: DuckDB stopped it
                raise KeyboardInterrupt from None
            if isinstance(exc, RuntimeError):
                raise
            raise BackendError(f"DuckDB query failed: {exc}") from exc
        return rows

    def columns(self, query: str, params: Mapping[str, Any]) -> list[str]:
        """The names of the columns a query returns (run over the stored graph; cheap on an empty one)."""
        self._ensure_tables()
        used = {k: v for k, v in params.items() if f"${k}" in query}
        try:  # run and fetched whole: an error raised only while it runs is found, and nothing is left unfinished
            relation = self.con.sql(query, params=used or None)
            if relation is None:
                return []
            relation.to_arrow_table()
            return list(relation.columns)
        except duckdb.Error as exc:  # its first line: a rule's definition error is one line
            raise BackendError(f"DuckDB query failed: {first_line(exc)}") from exc

    def table(self, name: str) -> pd.DataFrame:
        if name not in TABLES:
            raise BackendError(f"unknown table {name!r}")
        self._ensure_tables()
        return self.con.execute(f'SELECT * FROM "{name}"').df()

    def _lookup(self, table: str, ids: list[str], columns: list[str] | None) -> pd.DataFrame:
        from .backend import LOOKUP_KEYS

        self._ensure_tables()
        key = LOOKUP_KEYS[table]  # table and column names come from the model's whitelist
        shown = ", ".join(f'"{c}"' for c in columns) if columns is not None else "*"
        return self.con.execute(f'SELECT {shown} FROM "{table}" WHERE "{key}" IN (SELECT unnest($ids))',
                                {"ids": ids}).df()

    def _nodes(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        self._ensure_tables()
        # the ids as an Arrow table the query joins (binding tens of thousands of them as a list parameter costs
        # more than the query), under a name of this call's own
        name = f"govties_ids_{uuid.uuid4().hex}"
        self.con.register(name, pa.table({"id": pa.array(ids, pa.string())}))
        try:
            table = self.con.sql(
                f"""
                SELECT person_id AS id, 'person' AS type, name, NULL AS kind,
                       EXISTS (SELECT 1 FROM post WHERE post.person_id = person.person_id) AS official
                  FROM person WHERE person_id IN (SELECT id FROM "{name}")
                UNION ALL
                SELECT org_id, 'organization', name, kind, false FROM org WHERE org_id IN (SELECT id FROM "{name}")
                UNION ALL
                SELECT decision_id, 'decision', coalesce(title, decision_id), kind, false FROM decision
                 WHERE decision_id IN (SELECT id FROM "{name}")
                """).to_arrow_table()
        finally:
            self.con.unregister(name)
        columns = [c.to_pylist() for c in table.columns]
        return {i: {"id": i, "type": t, "name": n, "kind": k, "official": bool(o)}
                for i, t, n, k, o in zip(*columns, strict=True)}

    def _find(self, needle: str, cap: int) -> list[dict[str, Any]]:
        self._ensure_tables()
        cur = self.con.execute(FIND, {"needle": needle, "cap": cap})
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def _ids_matching(self, pattern: str, part: str, limit: int) -> list[dict[str, Any]]:
        self._ensure_tables()
        rows = self.con.execute(IDS_MATCHING, {"pattern": pattern, "part": part, "limit": limit}).fetchall()
        return [{"id": row[0]} for row in rows]

    def _merged_into(self, entity_id: str) -> str | None:
        self._ensure_tables()
        rows = self.con.execute("SELECT min(person_id) FROM person WHERE list_contains(source_ids, $id)",
                                {"id": entity_id}).fetchall()  # never fetchone() (see _ensure_tables)
        return rows[0][0] if rows else None

    def _edges_of(self, ids: list[str]) -> list[dict[str, Any]]:
        self._ensure_tables()
        cur = self.con.execute(EDGES_OF, {"ids": ids})
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def latest_date(self, until: str | None = None) -> str | None:
        self._ensure_tables()
        rows = self.con.execute(
            """SELECT CAST(max(d) AS VARCHAR) FROM (
                 SELECT date AS d FROM decision UNION ALL SELECT start_date FROM post
                 UNION ALL SELECT end_date FROM post UNION ALL SELECT start_date FROM role)
               WHERE $until IS NULL OR d <= CAST($until AS DATE)""", {"until": until}
        ).fetchall()  # never fetchone() (see _ensure_tables)
        return rows[0][0] if rows else None

    def reader(self) -> DuckDBBackend:
        """A backend on a connection of its own to the same database (a DuckDB connection is used by one thread at
        a time), with the rules' macros (temporary: each connection has its own)."""
        other = copy.copy(self)
        other.con = self.con.cursor()
        other.con.execute("SET enable_progress_bar = false")
        other.con.execute(MACROS)
        other._reads_for = self
        return other

    def interrupt_reader(self) -> bool:
        if self._reads_for is None:
            return False
        self.con.interrupt()
        return True

    def close_reader(self) -> None:
        if self._reads_for is not None:
            self.con.close()

    def close(self) -> None:
        if self._made:  # a store this load created: removed if it holds nothing (a load that failed or was stopped)
            MadeStores.settle(self.store, self.con)
        else:
            self.con.close()
