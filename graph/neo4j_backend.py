"""The Neo4j backend: a Neo4j server (bolt://), a cluster (neo4j://) or Aura (neo4j+s://), through the official driver.

Connection follows Neo4j's own conventions: NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE.
The password is read from the environment only and never printed.

Loading is batched `UNWIND ... MERGE` (or CREATE, for what the database holds none of yet) with values as
parameters only; graph/neo4j_plan.py holds the steps and their Cypher, with labels, relationship types and
property keys from the whitelists in graph.model. Node batches return their element ids, and relationship batches
find their end nodes by element id (a direct seek instead of an index lookup); the next batch is built on a
thread while the server writes the current one. Node batches go two at a time, and so do created relationships.
Every node and relationship a load merges carries that load's stamp; once all batches are in, whatever else of
those labels and types is deleted (another stamp, or none). What a load creates, a label or type the database
held none of when it began, carries no stamp and is passed by: nothing of it can be stale. So a load is
idempotent, and a load that failed midway can simply be run again (what it created is merged and stamped then):
it ends in the same graph.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .ahead import ahead, in_flight
from .backend import Backend, BackendError, Progress, empty_table, plain
from .model import NODE_LABELS, REL_TYPES, TABLES
from .neo4j_lock import CLEAR_STALE, HOLDER, LoadLock, describe, holder
from .neo4j_plan import END_COLUMNS, Query, label as _label, plan as load_plan, rel_type as _rel
from .neo4j_schema import (CONSTRAINTS, COUNT_QUERIES, EDGES_OF, FIND, INDEXES, LOOKUP_QUERIES, RETIRED_INDEXES,
                           TABLE_QUERIES)

try:  # the driver is a dependency, but keep the import error readable
    import neo4j
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, ClientError, Neo4jError, ServiceUnavailable, SessionExpired
except ImportError as exc:  # pragma: no cover - exercised only without the driver
    raise BackendError("the neo4j backend needs the neo4j driver: pip install neo4j") from exc

DEFAULT_BATCH = 5000
# Batches written at once where they cannot conflict: node batches (distinct ids), and relationship batches of a
# type the database holds none of yet (CREATE, no MERGE to lock both end nodes while it looks). Two keep both of a
# small server's cores busy. Merged relationship batches go one at a time: two at once deadlock on shared nodes.
WRITERS = 2
RETRY_SECONDS = 10  # how long the driver retries a transaction on a lost connection before govties reports it
SWEPT_LABELS = ("Entity", "Decision", "Declaration")  # every node a load writes has one of these


class _ElementIds:
    """Node id -> element id, per label, as node steps return them (and looked up for stored nodes an append
    refers to). Element ids are only used within the load that read them."""

    def __init__(self, backend: Neo4jBackend):
        self.backend = backend
        self.parts: dict[str, list[tuple[pa.Array, pa.Array]]] = {}
        self.joined: dict[str, tuple[pa.Array, pa.Array]] = {}

    def add(self, label: str, pairs: list) -> None:
        """[(id, element id), ...]"""
        if pairs:
            ids, eids = zip(*pairs)
            self.parts.setdefault(label, []).append((pa.array(ids, pa.string()), pa.array(eids, pa.string())))
            self.joined.pop(label, None)

    def _known(self, label: str) -> tuple[pa.Array, pa.Array]:
        if label not in self.joined:
            parts = self.parts.get(label, [])
            self.joined[label] = (pa.concat_arrays([p[0] for p in parts]) if parts else pa.array([], pa.string()),
                                  pa.concat_arrays([p[1] for p in parts]) if parts else pa.array([], pa.string()))
        return self.joined[label]

    def _lookup(self, label: str, ids: pa.Array) -> pa.Array:
        known_ids, known_eids = self._known(label)
        return pc.take(known_eids, pc.index_in(ids, value_set=known_ids))

    def attach(self, table: pa.Table, ends: tuple[tuple[str, str], ...]) -> pa.Table:
        """The table with its end nodes' element ids as columns _END (stored nodes looked up by id)."""
        for (column, label), name in zip(ends, END_COLUMNS):
            ids = table.column(column).combine_chunks()
            eids = self._lookup(label, ids)
            missing = pc.unique(pc.drop_null(ids.filter(pc.is_null(eids)))).to_pylist()
            if missing:
                assert label in NODE_LABELS
                query = f"UNWIND $ids AS id MATCH (n:{label} {{id: id}}) RETURN n.id AS id, elementId(n) AS e"
                for start in range(0, len(missing), 50_000):
                    found = self.backend.run(query, {"ids": missing[start:start + 50_000]})
                    self.add(label, [(r["id"], r["e"]) for r in found])
                eids = self._lookup(label, ids)
            table = table.append_column(name, eids)
        return table


class Neo4jBackend(Backend):
    name = "neo4j"
    query_language = "cypher"
    features = frozenset({"cypher", "shared-server", "cluster-routing", "tls", "idempotent-load",
                          "concurrent-queries"})  # a session per query, from one thread-safe driver

    def __init__(self, uri: str, user: str, password: str, database: str | None = None,
                 batch_size: int = DEFAULT_BATCH, writers: int = WRITERS):
        self.uri = uri
        self.user = user
        self.database = database or None
        self.batch_size = int(batch_size)
        self.writers = max(1, int(writers))
        try:
            self.driver = GraphDatabase.driver(uri, auth=(user, password), connection_timeout=10,
                                               notifications_min_severity="OFF",
                                               max_transaction_retry_time=RETRY_SECONDS)
            self.driver.verify_connectivity()
            self.driver.execute_query("RETURN 1", database_=self.database)
        except ValueError as exc:  # a malformed URI
            raise BackendError(f"NEO4J_URI {uri!r} is not a Neo4j URI ({exc}); use bolt://HOST:7687, "
                               "neo4j://HOST:7687 (cluster) or neo4j+s://ID.databases.neo4j.io (Aura)") from None
        except AuthError:
            self._close_quietly()
            raise BackendError(f"Neo4j at {uri} refused the credentials of user {user!r}: check NEO4J_USERNAME "
                               "and NEO4J_PASSWORD") from None
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            self._close_quietly()
            raise BackendError(f"cannot reach Neo4j at {uri}: check that the server is running and NEO4J_URI "
                               f"({type(exc).__name__})") from None
        except ClientError as exc:
            self._close_quietly()
            if "DatabaseNotFound" in (exc.code or ""):
                raise BackendError(f"Neo4j at {uri} has no database {self.database!r}: check NEO4J_DATABASE "
                                   "(SHOW DATABASES lists them)") from None
            raise BackendError(f"Neo4j at {uri} refused the connection: {exc.message}") from None

    @classmethod
    def open(cls, **options: Any) -> Neo4jBackend:
        return cls.from_env(**options)

    @classmethod
    def from_env(cls, uri: str | None = None, user: str | None = None, database: str | None = None,
                 batch_size: int | None = None, **_: Any) -> Neo4jBackend:
        uri = uri or os.environ.get("NEO4J_URI")
        if not uri:
            raise BackendError("no Neo4j server given: set NEO4J_URI (e.g. bolt://127.0.0.1:7687) or pass "
                               "--neo4j-uri; credentials come from NEO4J_USERNAME and NEO4J_PASSWORD")
        password = os.environ.get("NEO4J_PASSWORD")
        if password is None:
            raise BackendError("NEO4J_PASSWORD is not set: export it in the environment (it is never read from "
                               "options or printed)")
        return cls(uri, user or os.environ.get("NEO4J_USERNAME", "neo4j"), password,
                   database or os.environ.get("NEO4J_DATABASE"), batch_size or DEFAULT_BATCH)

    def _close_quietly(self) -> None:
        driver = getattr(self, "driver", None)
        if driver is not None:
            driver.close()

    def close(self) -> None:
        self._close_quietly()

    # -- running ---------------------------------------------------------------------------------
    def _session(self):
        return self.driver.session(database=self.database)

    def _write(self, query: str, **params: Any) -> list[tuple]:
        """One write transaction (a load's batch); the records it returns (a node step: one, its element ids)."""
        def work(tx):
            return [tuple(record.values()) for record in tx.run(query, **params)]

        with self._session() as session:
            return session.execute_write(work)

    def run(self, query: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        try:
            with self._session() as session:
                result = session.run(query, dict(params))
                return [{k: plain(v) for k, v in rec.items()} for rec in result]
        except (ServiceUnavailable, SessionExpired) as exc:
            raise BackendError(f"lost the connection to Neo4j at {self.uri} during a query: check the server, "
                               f"then run the same command again ({type(exc).__name__})") from None
        except Neo4jError as exc:
            raise BackendError(f"Neo4j query failed: {exc.message}") from None

    # -- loading ---------------------------------------------------------------------------------
    def append(self, tables: Mapping[str, pd.DataFrame], alias_updates: list[tuple[str, str, str, dict]],
               progress: Progress | None = None) -> dict[str, int]:
        """MERGE the new rows (stored keys are matched, not duplicated); nothing is deleted. A failed append can be
        run again: it ends in the same graph."""
        before = self.counts()
        self._write_all(tables, "append-" + uuid.uuid4().hex, progress, sweep=False, work="append")
        for canonical, new_id, new_name, fields in alias_updates:
            self._add_alias(canonical, new_id, new_name, fields)
        after = self.counts()
        return {k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)}

    def _add_alias(self, person_id: str, new_id: str, new_name: str, fields: dict[str, Any]) -> None:
        """The stored person gains a merged source id (and its name as an alias), lists kept sorted, and the new
        record's gender, birth date and resident ID where the stored person has none."""
        rows = self.run("MATCH (p:Person {id: $id}) RETURN p.source_ids AS s, p.aliases AS a, p.name AS n",
                        {"id": person_id})
        if not rows:
            return
        sources = sorted(set(rows[0]["s"] or []) | {new_id})
        aliases = sorted((set(rows[0]["a"] or []) | {new_name}) - {rows[0]["n"]})
        self._write("MATCH (p:Person {id: $id}) SET p.source_ids = $s, p.aliases = $a, "
                    "p.gender = coalesce(p.gender, $gender), "
                    "p.birth_date = coalesce(p.birth_date, CASE WHEN $birth IS NULL THEN NULL ELSE date($birth) END), "
                    "p.id_number = coalesce(p.id_number, $id_number)",
                    id=person_id, s=sources, a=aliases or None, gender=fields.get("gender"),
                    birth=fields.get("birth_date"), id_number=fields.get("id_number"))

    def load(self, tables: Mapping[str, pd.DataFrame], progress: Progress | None = None) -> dict[str, int]:
        self._write_all(tables, uuid.uuid4().hex, progress, sweep=True, work="load")
        return {name: len(tables[name]) if name in tables else 0 for name in TABLES}

    def _schema(self, statement: str) -> None:
        self.driver.execute_query(statement, database_=self.database)

    def _lock(self, stamp: str, work: str) -> LoadLock:
        """The database's load lock (graph/neo4j_lock.py): one govties load, append or wipe at a time."""
        return LoadLock(self._schema, self._write, stamp, work, self.uri)

    def writer(self) -> str | None:
        found = self.load_lock()
        return describe(found, self.uri) if found and found["alive"] else None

    def load_lock(self) -> dict[str, Any] | None:
        """Who holds the database's load lock (stamp, started, host, pid, work, idle seconds, and whether it may
        still be writing), or None."""
        return holder([tuple(r.values()) for r in self.run(HOLDER, {})])  # a read: a read-only user may sweep

    def clear_load_lock(self, stamp: str) -> bool:
        """Delete the load lock with this stamp (`govties neo4j-unlock`); False when it was no longer there."""
        rows = self._write(CLEAR_STALE, stamp=stamp)
        return bool(rows and rows[0][0])

    def _write_all(self, tables: Mapping[str, pd.DataFrame], stamp: str, progress: Progress | None,
                   sweep: bool, work: str) -> None:
        try:
            for name in RETIRED_INDEXES:  # names from the schema module, never from data
                self._schema(f"DROP INDEX {name} IF EXISTS")
            for stmt in CONSTRAINTS:
                self._schema(stmt)
            self._schema("CALL db.awaitIndexes(300)")
            with self._lock(stamp, work) as lock:
                created = self._write_steps(tables, stamp, progress, lock)
                if sweep:
                    self._sweep_stale(stamp, created)
            for stmt in INDEXES:
                self._schema(stmt)
            self._schema("CALL db.awaitIndexes(300)")
        except (ServiceUnavailable, SessionExpired) as exc:
            raise BackendError(f"lost the connection to Neo4j at {self.uri} during the load: check the server, then "
                               f"run the same command again; the load resumes to the same graph "
                               f"({type(exc).__name__})") from None
        except Neo4jError as exc:
            raise BackendError(f"Neo4j refused the load: {exc.message}") from None

    def _write_steps(self, tables: Mapping[str, pd.DataFrame], stamp: str, progress: Progress | None,
                     lock: LoadLock) -> set[tuple[str, str]]:
        """Every step's batches; returns the labels and types it created (("label", name) or ("type", name))."""
        plan = load_plan(tables)
        stored = {fresh: self._holds(*fresh) for fresh in {step.fresh for step in plan if step.fresh}}
        total = sum(step.table.num_rows for step in plan)
        done = 0
        found = _ElementIds(self)
        for step in plan:
            table = found.attach(step.table, step.ends)
            query, width = step.merge, self.writers if step.returns else 1
            if step.create and not stored[step.fresh]:
                # the database held none of this label or type when the load began: nothing to merge with (a
                # rerun after a failure finds some, and merges); batches that only create do not deadlock as
                # merges do (bench/neo4j_ceiling.py --concurrent 2), and the driver would retry one that did
                query, width = step.create, self.writers
            # rows become dicts a batch at a time, the next batch built while the server writes this one
            batches = ahead([step.make(r) for r in table.slice(start, self.batch_size).to_pylist()]
                            for start in range(0, table.num_rows, self.batch_size))

            def write(rows: list[dict], query: Query = query) -> list[tuple]:  # this step's query, bound now
                return self._write(query.pick(rows), rows=rows, stamp=stamp)

            for batch, records in in_flight(batches, write, width):
                lock.check()
                if step.returns:
                    found.add(step.returns, records[0][0] if records else [])
                done += len(batch)
                if progress:
                    progress("neo4j load", done, total)
        return {fresh for fresh, held in stored.items() if not held}  # every such step created

    def _holds(self, kind: str, name: str) -> bool:
        """Whether the database holds any node of this label or relationship of this type (Neo4j's count store)."""
        pattern = f"(n:{_label(name)})" if kind == "label" else f"()-[n:{_rel(name)}]->()"
        rows = self.run(f"MATCH {pattern} RETURN count(n) AS n", {})
        return bool(rows and rows[0]["n"])

    def _sweep_stale(self, stamp: str, created: set[tuple[str, str]]) -> None:
        """Delete what this load did not write, in the labels and types it merged (those it created are all its own:
        a first load into an empty database sweeps only declarations, which are always merged)."""
        stale = "(x._load IS NULL OR x._load <> $stamp)"
        queries = [f"MATCH ()-[x:{_rel(t)}]->() WHERE {stale} CALL (x) {{ DELETE x }} IN TRANSACTIONS OF 10000 ROWS"
                   for t in sorted(REL_TYPES) if ("type", t) not in created]
        queries += [f"MATCH (x:{_label(g)}) WHERE {stale} CALL (x) {{ DETACH DELETE x }} IN TRANSACTIONS OF 10000 ROWS"
                    for g in SWEPT_LABELS if ("label", g) not in created]
        for q in queries:
            with self._session() as session:
                session.run(q, stamp=stamp).consume()

    # -- reading ---------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        out = {}
        for name, query in COUNT_QUERIES.items():
            rows = self.run(query, {})
            out[name] = int(rows[0]["n"]) if rows else 0
        return out

    def table(self, name: str) -> pd.DataFrame:
        if name not in TABLE_QUERIES:
            raise BackendError(f"unknown table {name!r}")
        rows = self.run(TABLE_QUERIES[name], {})
        df = pd.DataFrame(rows, columns=TABLES[name].column_names) if rows else empty_table(name)
        for col, kind in TABLES[name].columns:
            if kind == "list":
                df[col] = df[col].map(lambda v: v if isinstance(v, list) else [])
        return df

    def _lookup(self, table: str, ids: list[str]) -> pd.DataFrame:
        rows = self.run(LOOKUP_QUERIES[table], {"ids": ids})
        df = pd.DataFrame(rows, columns=TABLES[table].column_names) if rows else empty_table(table)
        for col, kind in TABLES[table].columns:
            if kind == "list":
                df[col] = df[col].map(lambda v: v if isinstance(v, list) else [])
        return df

    def _nodes(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        rows = self.run(
            "MATCH (n:Entity) WHERE n.id IN $ids "
            "RETURN n.id AS id, CASE WHEN n:Person THEN 'person' ELSE 'organization' END AS type, n.name AS name, "
            "n.kind AS kind, EXISTS { (n)-[:HOLDS_POST]->() } AS official "
            "UNION ALL MATCH (d:Decision) WHERE d.id IN $ids "
            "RETURN d.id AS id, 'decision' AS type, coalesce(d.title, d.id) AS name, d.kind AS kind, "
            "false AS official",
            {"ids": ids},
        )
        return {r["id"]: r for r in rows}

    def _find(self, needle: str, cap: int) -> list[dict[str, Any]]:
        return self.run(FIND, {"needle": needle, "cap": cap})

    def _merged_into(self, entity_id: str) -> str | None:
        rows = self.run("MATCH (n:Person) WHERE $id IN n.source_ids RETURN min(n.id) AS id", {"id": entity_id})
        return rows[0]["id"] if rows else None

    def _edges_of(self, ids: list[str]) -> list[dict[str, Any]]:
        return self.run(EDGES_OF, {"ids": ids})

    def latest_date(self) -> str | None:
        rows = self.run(
            "CALL () { MATCH (d:Decision) RETURN max(d.date) AS x "
            "UNION ALL MATCH ()-[p:HOLDS_POST]->() RETURN max(coalesce(p.end_date, p.start_date)) AS x "
            "UNION ALL MATCH ()-[p:HOLDS_POST]->() RETURN max(p.start_date) AS x "
            "UNION ALL MATCH ()-[r:HOLDS_ROLE]->() RETURN max(r.start_date) AS x } RETURN max(x) AS latest",
            {},
        )
        return rows[0]["latest"] if rows else None

    def wipe(self) -> None:
        """Delete the govties graph (tests use it), holding the load lock: never under a running load."""
        try:
            with self._lock("wipe-" + uuid.uuid4().hex, "wipe"), self._session() as session:
                # relationships first, in batches: one DETACH DELETE of a hub with a million edges would not fit in
                # the server's transaction memory
                session.run("MATCH (n)-[r]->() WHERE n:Entity OR n:Decision OR n:Declaration "
                            "CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS").consume()
                session.run("MATCH (n) WHERE n:Entity OR n:Decision OR n:Declaration "
                            "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
        except (ServiceUnavailable, SessionExpired) as exc:
            raise BackendError(f"lost the connection to Neo4j at {self.uri} while deleting the graph: check the "
                               f"server, then run the same command again ({type(exc).__name__})") from None


__all__ = ["Neo4jBackend", "neo4j"]
