"""A Neo4j driver load: ownership first, then the plan's batches, then the sweep of what this load did not write.

Before it writes anything (even a constraint), a load counts what the database holds (graph/neo4j_owner.py) and
refuses one that holds, under govties' labels or types, anything govties did not write; `adopt` first marks a
graph an earlier govties wrote. Then, holding the database's load lock, it counts again, records the graph's format
(a `GovtiesMeta` node) and writes the plan's steps (graph/neo4j_plan.py): nodes first, whose batches return their
element ids, then relationships, which find their end nodes by element id (a direct seek instead of an index
lookup); the next batch is built on a thread while the server writes the current one. Node batches go two at a
time, and so do created relationships.

Every node and relationship a load merges carries that load's stamp; once all batches are in, whatever else of
govties' own (marked) nodes and of its relationship types between them is deleted (another stamp, or none). What a
load creates, a label or type the database held none of when it began, carries no stamp and is passed by: nothing
of it can be stale. So a load is idempotent, and a load that failed midway can simply be run again (what it created
is merged and stamped then): it ends in the same graph. Nothing without the marker is ever deleted or merged into.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import __version__
from .ahead import ahead, in_flight
from .backend import Progress, WriteOutcome
from .model import GRAPH_LABEL, META_LABEL, NODE_GROUPS, NODE_LABELS, REL_TYPES
from .neo4j_connect import reported
from .neo4j_lock import LoadLock
from .neo4j_owner import (ADOPT, META_PARAMS, WRITE_META, WRITE_STAMP, census, check_meta, clean, refusal,
                          unmarked_graph)
from .neo4j_plan import END_COLUMNS, Query, label as _label, plan as load_plan, rel_type as _rel
from .neo4j_schema import CONSTRAINTS, INDEXES, RETIRED_INDEXES

if TYPE_CHECKING:
    from .neo4j_backend import Neo4jBackend


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
            ids, eids = zip(*pairs, strict=True)
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
        for (column, label), name in zip(ends, END_COLUMNS, strict=False):  # a node step has no ends: ()
            ids = table.column(column).combine_chunks()
            eids = self._lookup(label, ids)
            missing = pc.unique(pc.drop_null(ids.filter(pc.is_null(eids)))).to_pylist()
            if missing:
                assert label in NODE_LABELS
                query = (f"UNWIND $ids AS id MATCH (n:{label}:{GRAPH_LABEL} {{id: id}}) "
                         "RETURN n.id AS id, elementId(n) AS e")
                for start in range(0, len(missing), 50_000):
                    found = self.backend.run(query, {"ids": missing[start:start + 50_000]})
                    self.add(label, [(r["id"], r["e"]) for r in found])
                eids = self._lookup(label, ids)
            table = table.append_column(name, eids)
        return table


def claim(backend: Neo4jBackend, adopt: bool, mark: bool = True) -> dict[str, int]:
    """The database's census once nothing in it under govties' labels and types is another's: with `adopt`, a graph
    an earlier govties wrote is marked as govties' (`mark`; else only checked), and anything else is refused
    (BackendError)."""
    counts = census(backend.run)
    if clean(counts):
        check_meta(backend.run, backend.where)
        return counts
    if not (adopt and unmarked_graph(backend.run, counts)):
        raise refusal(backend.run, backend.where, counts)
    if not mark:
        return counts
    with backend._session() as session:
        for query in ADOPT:
            session.run(query).consume()
    counts = census(backend.run)
    if not clean(counts):  # something was written meanwhile
        raise refusal(backend.run, backend.where, counts)
    return counts


def write_all(backend: Neo4jBackend, tables: Mapping[str, pd.DataFrame], stamp: str, progress: Progress | None,
              sweep: bool, work: str, adopt: bool = False) -> None:
    again = "then run the same command again; the load resumes to the same graph"
    with reported(backend.where, f"during the {work}", f"Neo4j refused the {work}", again):
        claim(backend, adopt, mark=False)  # before any schema statement: a database not govties' stays as it was
        for name in RETIRED_INDEXES:  # names from the schema module, never from data
            backend._schema(f"DROP INDEX {name} IF EXISTS")
        for stmt in CONSTRAINTS:
            backend._schema(stmt)
        backend._schema("CALL db.awaitIndexes(300)")
        with backend._lock(stamp, work) as lock:
            counts = claim(backend, adopt)
            backend._write(WRITE_META, **META_PARAMS, govties=__version__)
            backend.last_write = WriteOutcome(work, backend.where, "partial")
            created = _write_steps(backend, tables, stamp, progress, lock, counts)
            if sweep:
                _sweep_stale(backend, stamp, created)
            backend._write(WRITE_STAMP, stamp=stamp)  # its data complete (the indexes below change none)
        for stmt in INDEXES:
            backend._schema(stmt)
        backend._schema("CALL db.awaitIndexes(300)")
    backend.last_write = WriteOutcome(work, backend.where, "stored")


def _write_steps(backend: Neo4jBackend, tables: Mapping[str, pd.DataFrame], stamp: str, progress: Progress | None,
                 lock: LoadLock, counts: Mapping[str, int]) -> set[tuple[str, str]]:
    """Every step's batches; returns the labels and types it created (("label", name) or ("type", name))."""
    plan = load_plan(tables)
    # what the database holds of each label and type (all of it govties': claimed)
    stored = {fresh: bool(counts[("l_" if fresh[0] == "label" else "t_") + fresh[1]])
              for fresh in {step.fresh for step in plan if step.fresh}}
    total = sum(step.table.num_rows for step in plan)
    done = 0
    found = _ElementIds(backend)
    for step in plan:
        table = found.attach(step.table, step.ends)
        query, width = step.merge, backend.writers if step.returns else 1
        if step.create and step.fresh is not None and not stored[step.fresh]:
            # the database held none of this label or type when the load began: nothing to merge with (a rerun
            # after a failure finds some, and merges); batches that only create do not deadlock as merges do
            # (bench/neo4j_ceiling.py --concurrent 2), and the driver would retry one that did
            query, width = step.create, backend.writers
        # rows become dicts a batch at a time, the next batch built while the server writes this one
        batches = ahead([step.make(r) for r in table.slice(start, backend.batch_size).to_pylist()]
                        for start in range(0, table.num_rows, backend.batch_size))

        def write(rows: list[dict], query: Query = query) -> list[tuple]:  # this step's query, bound now
            return backend._write(query.pick(rows), rows=rows, stamp=stamp)

        for batch, records in in_flight(batches, write, width):
            lock.check()
            if step.returns:
                found.add(step.returns, records[0][0] if records else [])
            done += len(batch)
            if progress:
                progress("neo4j load", done, total)
    return {fresh for fresh, held in stored.items() if not held}  # every such step created


def _sweep_stale(backend: Neo4jBackend, stamp: str, created: set[tuple[str, str]]) -> None:
    """Delete what of govties' own this load did not write, in the labels and types it merged (those it created are
    all its own: a first load into an empty database sweeps only declarations, which are always merged)."""
    stale = "(x._load IS NULL OR x._load <> $stamp)"
    queries = [f"MATCH (:{GRAPH_LABEL})-[x:{_rel(t)}]->(:{GRAPH_LABEL}) WHERE {stale} "
               "CALL (x) { DELETE x } IN TRANSACTIONS OF 10000 ROWS"
               for t in sorted(REL_TYPES) if ("type", t) not in created]
    queries += [f"MATCH (x:{_label(g)}) WHERE x:{GRAPH_LABEL} AND {stale} "
                "CALL (x) { DETACH DELETE x } IN TRANSACTIONS OF 10000 ROWS"
                for g in NODE_GROUPS if ("label", g) not in created]
    for q in queries:
        with backend._session() as session:
            session.run(q, stamp=stamp).consume()


def wipe(backend: Neo4jBackend) -> None:
    """Delete govties' graph and its format record, nothing else; relationships first, in batches (one DETACH
    DELETE of a hub with a million edges would not fit in the server's transaction memory)."""
    queries = [f"MATCH (:{GRAPH_LABEL})-[r:{_rel(t)}]->(:{GRAPH_LABEL}) CALL (r) {{ DELETE r }} IN TRANSACTIONS "
               "OF 10000 ROWS" for t in sorted(REL_TYPES)]
    queries += [f"MATCH (n:{GRAPH_LABEL}) CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF 10000 ROWS",
                f"MATCH (m:{META_LABEL} {{name: 'graph'}}) DELETE m"]
    with reported(backend.where, "while deleting the graph", "Neo4j refused to delete the graph"):
        with backend._lock("wipe-" + uuid.uuid4().hex, "wipe"), backend._session() as session:
            for q in queries:
                session.run(q).consume()

