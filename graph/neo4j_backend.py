"""The Neo4j backend: a Neo4j server (bolt://), a cluster (neo4j://) or Aura (neo4j+s://), through the official driver.

Connection follows Neo4j's own conventions: NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE; the password
is read from the environment only and never shown, nor is any part of a URI but its scheme, host and port
(graph/neo4j_connect.py). govties' graph is what carries the `Govties` label, and the relationships of its types
between such nodes (graph/neo4j_owner.py): opening a database that holds anything else under govties' labels or
types is refused, and reads, counts, loads (graph/neo4j_load.py) and wipes touch only govties' own elements.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from typing import Any

import pandas as pd

from .backend import Backend, BackendError, Progress, WriteOutcome, empty_table, plain
from .model import GRAPH_LABEL, REL_TYPES, TABLES
from .neo4j_connect import check_database, check_uri, connect, reported, shown
from .neo4j_load import wipe as _wipe, write_all
from .neo4j_lock import CLEAR_STALE, HOLDER, LoadLock, describe, holder
from .neo4j_owner import (STAMP, WRITE_STAMP, census, check_meta, clean, holds_graph, refusal,
                          unmarked_graph)
from .neo4j_schema import COUNTED, EDGES_OF, FIND, IDS_MATCHING, LOOKUP_QUERIES, TABLE_QUERIES

DEFAULT_BATCH = 5000
# Batches written at once where they cannot conflict: node batches (distinct ids), and relationship batches of a
# type the database holds none of yet (CREATE, no MERGE to lock both end nodes while it looks). Two keep both of a
# small server's cores busy. Merged relationship batches go one at a time: two at once deadlock on shared nodes.
WRITERS = 2
_PURPOSES = ("read", "load", "append", "unlock")


class Neo4jBackend(Backend):
    name = "neo4j"
    query_language = "cypher"
    # a session per query, from one thread-safe driver: rules at once, and queries beside the findings' lookups
    features = frozenset({"cypher", "shared-server", "cluster-routing", "tls", "idempotent-load",
                          "concurrent-queries", "background-queries"})

    def __init__(self, uri: str, user: str, password: str, database: str | None = None,
                 batch_size: int = DEFAULT_BATCH, writers: int = WRITERS, purpose: str = "load",
                 adopt: bool = False):
        """`purpose`: "read" and "append" need a govties graph in the database, "load" does not, "unlock" touches
        only the load lock (and looks at nothing else); `adopt`: a load marks a graph an earlier govties wrote
        (without the Govties label) as govties' instead of refusing it."""
        assert purpose in _PURPOSES
        check_uri(uri, "the Neo4j URI")
        self.where = shown(uri)  # the only form of the URI any message shows
        self.user = user
        self.database = database or None
        self.batch_size = int(batch_size)
        self.writers = max(1, int(writers))
        self.adopt = adopt
        self.driver = connect(uri, user, password, self.database)
        try:
            self._check_open(purpose)
        except BaseException:
            self.driver.close()
            raise

    @classmethod
    def open(cls, **options: Any) -> Neo4jBackend:
        return cls.from_env(**options)

    @classmethod
    def from_env(cls, uri: str | None = None, user: str | None = None, database: str | None = None,
                 batch_size: int | None = None, purpose: str = "load", adopt: bool = False, **_: Any) -> Neo4jBackend:
        source = "--neo4j-uri" if uri else "NEO4J_URI"
        uri = uri or os.environ.get("NEO4J_URI")
        if not uri:
            raise BackendError("no Neo4j server given: set NEO4J_URI (e.g. bolt://127.0.0.1:7687) or pass "
                               "--neo4j-uri; credentials come from NEO4J_USERNAME and NEO4J_PASSWORD")
        check_uri(uri, source)
        db_source = "--neo4j-database" if database else "NEO4J_DATABASE"
        database = database or os.environ.get("NEO4J_DATABASE") or None
        if database:
            check_database(database, db_source)
        password = os.environ.get("NEO4J_PASSWORD")
        if password is None:
            raise BackendError("NEO4J_PASSWORD is not set: export it in the environment (it is never read from "
                               "options or printed)")
        return cls(uri, user or os.environ.get("NEO4J_USERNAME", "neo4j"), password, database,
                   batch_size or DEFAULT_BATCH, purpose=purpose, adopt=adopt)

    def _check_open(self, purpose: str) -> None:
        if purpose == "unlock":
            return
        counts = census(self.run)
        if not clean(counts) and not (purpose == "load" and self.adopt and unmarked_graph(self.run, counts)):
            raise refusal(self.run, self.where, counts)
        check_meta(self.run, self.where)
        if purpose == "read" and not holds_graph(counts):
            raise BackendError(f"the Neo4j database at {self.where} holds no govties graph: load one first "
                               "(`govties load DATASET --backend neo4j`)")
        if purpose == "append" and not holds_graph(counts):
            raise BackendError(f"--append adds to a stored graph, and the Neo4j database at {self.where} holds none: "
                               "load the full dataset first (`govties load DATASET --backend neo4j`)")

    def close(self) -> None:
        self.driver.close()

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
        with reported(self.where, "during a query", "Neo4j query failed"), self._session() as session:
            result = session.run(query, dict(params))
            return [{k: plain(v) for k, v in rec.items()} for rec in result]

    # -- loading ---------------------------------------------------------------------------------
    def append(self, tables: Mapping[str, pd.DataFrame], alias_updates: list[tuple[str, str, str, dict]],
               progress: Progress | None = None) -> dict[str, int]:
        """MERGE the new rows (stored keys are matched, not duplicated); nothing is deleted. A failed append can be
        run again: it ends in the same graph."""
        before = self.counts()
        write_all(self, tables, "append-" + uuid.uuid4().hex, progress, sweep=False, work="append")
        self.last_write = WriteOutcome("append", self.where, "partial")
        for canonical, new_id, new_name, fields in alias_updates:
            self._add_alias(canonical, new_id, new_name, fields)
        if alias_updates:  # names changed after the append's own stamp
            with reported(self.where, "during the append", "Neo4j refused the append"):
                self._write(WRITE_STAMP, stamp="append-" + uuid.uuid4().hex)
        self.last_write = WriteOutcome("append", self.where, "stored")
        after = self.counts()
        return {k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)}

    def _add_alias(self, person_id: str, new_id: str, new_name: str, fields: dict[str, Any]) -> None:
        """The stored person gains a merged source id (and its name as an alias), lists kept sorted, and the new
        record's gender, birth date and resident ID where the stored person has none."""
        rows = self.run(f"MATCH (p:Person:{GRAPH_LABEL} {{id: $id}}) RETURN p.source_ids AS s, p.aliases AS a, "
                        "p.name AS n", {"id": person_id})
        if not rows:
            return
        sources = sorted(set(rows[0]["s"] or []) | {new_id})
        aliases = sorted((set(rows[0]["a"] or []) | {new_name}) - {rows[0]["n"]})
        with reported(self.where, "during the append", "Neo4j refused the append"):
            self._write(f"MATCH (p:Person:{GRAPH_LABEL} {{id: $id}}) SET p.source_ids = $s, p.aliases = $a, "
                        "p.gender = coalesce(p.gender, $gender), "
                        "p.birth_date = coalesce(p.birth_date, "
                        "CASE WHEN $birth IS NULL THEN NULL ELSE date($birth) END), "
                        "p.id_number = coalesce(p.id_number, $id_number)",
                        id=person_id, s=sources, a=aliases or None, gender=fields.get("gender"),
                        birth=fields.get("birth_date"), id_number=fields.get("id_number"))

    def load(self, tables: Mapping[str, pd.DataFrame], progress: Progress | None = None) -> dict[str, int]:
        write_all(self, tables, uuid.uuid4().hex, progress, sweep=True, work="load", adopt=self.adopt)
        return {name: len(tables[name]) if name in tables else 0 for name in TABLES}

    def _schema(self, statement: str) -> None:
        self.driver.execute_query(statement, database_=self.database)

    def _lock(self, stamp: str, work: str) -> LoadLock:
        """The database's load lock (graph/neo4j_lock.py): one govties load, append or wipe at a time."""
        return LoadLock(self._schema, self._write, stamp, work, self.where)

    def writer(self) -> str | None:
        found = self.load_lock()
        return describe(found, self.where) if found and found["alive"] else None

    def load_lock(self) -> dict[str, Any] | None:
        """Who holds the database's load lock (stamp, started, host, pid, work, idle seconds, and whether it may
        still be writing), or None."""
        return holder([tuple(r.values()) for r in self.run(HOLDER, {})])  # a read: a read-only user may sweep

    def clear_load_lock(self, stamp: str) -> bool:
        """Delete the load lock with this stamp (`govties neo4j-unlock`); False when it was no longer there."""
        with reported(self.where, "while clearing the load lock", "Neo4j refused to clear the load lock"):
            rows = self._write(CLEAR_STALE, stamp=stamp)
        return bool(rows and rows[0][0])

    # -- reading ---------------------------------------------------------------------------------
    def last_stamp(self) -> str | None:
        rows = self.run(STAMP, {})
        return rows[0]["stamp"] if rows else None

    def counts(self) -> dict[str, int]:
        """From the server's count store, once the census shows that all it counts is govties'."""
        found = census(self.run)
        if not clean(found):
            raise refusal(self.run, self.where, found)
        return {name: found[key] for name, key in COUNTED.items()}

    def table(self, name: str) -> pd.DataFrame:
        if name not in TABLE_QUERIES:
            raise BackendError(f"unknown table {name!r}")
        return _frame(name, self.run(TABLE_QUERIES[name], {}))

    def _lookup(self, table: str, ids: list[str], columns: list[str] | None) -> pd.DataFrame:
        frame = _frame(table, self.run(LOOKUP_QUERIES[table], {"ids": ids}))
        return frame[columns] if columns is not None else frame

    def _nodes(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        rows = self.run(
            f"MATCH (n:Entity:{GRAPH_LABEL}) WHERE n.id IN $ids "
            "RETURN n.id AS id, CASE WHEN n:Person THEN 'person' ELSE 'organization' END AS type, n.name AS name, "
            f"n.kind AS kind, EXISTS {{ (n)-[:HOLDS_POST]->(:{GRAPH_LABEL}) }} AS official "
            f"UNION ALL MATCH (d:Decision:{GRAPH_LABEL}) WHERE d.id IN $ids "
            "RETURN d.id AS id, 'decision' AS type, coalesce(d.title, d.id) AS name, d.kind AS kind, "
            "false AS official",
            {"ids": ids},
        )
        return {r["id"]: r for r in rows}

    def _find(self, needle: str, cap: int) -> list[dict[str, Any]]:
        return self.run(FIND, {"needle": needle, "cap": cap})

    def _ids_matching(self, pattern: str, part: str, limit: int) -> list[dict[str, Any]]:
        return self.run(IDS_MATCHING, {"pattern": pattern, "part": part, "limit": limit})

    def _merged_into(self, entity_id: str) -> str | None:
        rows = self.run(f"MATCH (n:Person:{GRAPH_LABEL}) WHERE $id IN n.source_ids RETURN min(n.id) AS id",
                        {"id": entity_id})
        return rows[0]["id"] if rows else None

    def _edges_of(self, ids: list[str]) -> list[dict[str, Any]]:
        return self.run(EDGES_OF, {"ids": ids, "types": sorted(REL_TYPES)})

    def latest_date(self, until: str | None = None) -> str | None:
        g = GRAPH_LABEL
        cap = "WHERE $until IS NULL OR x <= date($until)"
        rows = self.run(
            f"CALL () {{ MATCH (d:Decision:{g}) WITH d.date AS x {cap} RETURN max(x) AS x "
            f"UNION ALL MATCH (:{g})-[p:HOLDS_POST]->(:{g}) WITH p.end_date AS x {cap} RETURN max(x) AS x "
            f"UNION ALL MATCH (:{g})-[p:HOLDS_POST]->(:{g}) WITH p.start_date AS x {cap} RETURN max(x) AS x "
            f"UNION ALL MATCH (:{g})-[r:HOLDS_ROLE]->(:{g}) WITH r.start_date AS x {cap} RETURN max(x) AS x }} "
            "RETURN max(x) AS latest",
            {"until": until},
        )
        return rows[0]["latest"] if rows else None

    def wipe(self) -> None:
        """Delete govties' graph (tests and `--replace`), nothing else, holding the load lock: never under a
        running load."""
        _wipe(self)


def _frame(name: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=TABLES[name].column_names) if rows else empty_table(name)
    for col, kind in TABLES[name].columns:
        if kind == "list":
            df[col] = df[col].map(lambda v: v if isinstance(v, list) else [])
    return df


__all__ = ["Neo4jBackend"]
