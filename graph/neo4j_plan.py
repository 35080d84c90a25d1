"""The steps of a Neo4j driver load: which rows, which Cypher, in which order.

Nodes come first (their batches return element ids), then relationships, which find their end nodes by element
id. Every step has a query that merges (any load) and, for a label or relationship type the database holds
none of yet, one that creates (a first load: nothing to merge with; created batches also run two at a time
without deadlocks). Every node is written with the marker label `Govties` (model.GRAPH_LABEL), and merges match
only marked nodes: a node another application wrote is never taken over. A row is sent as a flat map of its model
columns, and a created element gets its properties in the CREATE pattern itself: in `bench/neo4j_ceiling.py`-style
measurements that cost the server a sixth less than `SET r += map`. A row's unknown source columns (`_x`) are set
only in batches that have some, and never one whose name is reserved (model.reserved_property: the model's columns,
id, rid, props, `_*`, `govties*`): those stay in the row's `props` JSON only.

Labels, relationship types and property keys come from graph.model's whitelists, never from data; values are
parameters only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from .backend import BackendError, empty_table
from .columns import to_arrow
from .model import GRAPH_LABEL, NODE_LABELS, ORG_KIND_LABEL, REL_TYPES, reserved_property
from .neo4j_import import RELATIONSHIPS  # the relationship tables, shared with neo4j-admin's import files

END_COLUMNS = ("_end_a", "_end_b")  # columns a relationship step's table carries: its end nodes' element ids
_KEY = re.compile(r"[a-z][a-z0-9_]*\Z")
_RETURNED = " RETURN collect([row._id, elementId(n)]) AS pairs"  # one record: a record per row costs a third


def label(name: str) -> str:
    if name not in NODE_LABELS:
        raise BackendError(f"label {name!r} is not in the model's whitelist")
    return name


def rel_type(name: str) -> str:
    if name not in REL_TYPES:
        raise BackendError(f"relationship type {name!r} is not in the model's whitelist")
    return name


def _key(column: str) -> str:
    """A model column as a property key (the model's names are plain identifiers; checked, never assumed)."""
    if not _KEY.match(column):
        raise BackendError(f"column {column!r} cannot be a Neo4j property key")
    return column


def extras(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row's unknown source columns (from its `props` JSON) that may be properties of their own: never a reserved
    name (a model column of any table, a key govties writes, `_*`, `govties*`)."""
    source = row.get("props")
    if not source or source == "{}":  # most rows have none: no JSON to decode
        return {}
    return {k: v for k, v in json.loads(source).items()
            if not reserved_property(k) and isinstance(v, (str, int, float, bool))}


def _maker(keys: Mapping[str, str], props: tuple[str, ...]) -> Callable[[dict], dict]:
    """An Arrow row -> the query's row: `keys` renamed (e.g. _id), the properties (an empty list is absent: Neo4j
    stores no type for one), and `_x`, the unknown source columns."""
    def make(row: dict) -> dict:
        out = {name: row[col] for name, col in keys.items()}
        for col in props:
            value = row[col]
            out[col] = None if isinstance(value, list) and not value else value
        out["_x"] = extras(row)
        return out
    return make


@dataclass(frozen=True)
class Query:
    plain: str
    with_extras: str  # the same, also setting the rows' unknown source columns

    def pick(self, rows: list[dict]) -> str:
        return self.with_extras if any(r["_x"] for r in rows) else self.plain


def _sets(var: str, props: tuple[str, ...], extra: bool, first: tuple[str, ...] = ()) -> str:
    items = [*first, *([f"{var} += row._x"] if extra else []), *(f"{var}.{_key(c)} = row.{c}" for c in props),
             f"{var}._load = $stamp"]
    return "SET " + ", ".join(items)


def _literal(key: str, props: tuple[str, ...]) -> str:
    """A created element's properties. No load stamp: nothing of a label or type created fresh can be stale, so the
    sweep passes it by (measured alone, a relationship without one cost the server a fifth less CPU)."""
    return "{" + ", ".join([f"{key}: row._id", *(f"{_key(c)}: row.{c}" for c in props)]) + "}"


def _both(build: Callable[[bool], str]) -> Query:
    return Query(build(False), build(True))


@dataclass
class Step:
    """One step of a load: a query run a batch of rows at a time."""
    table: pa.Table
    make: Callable[[dict], dict]  # an Arrow row -> the query's row
    merge: Query
    create: Query | None = None  # used when the database holds nothing of `fresh` yet
    fresh: tuple[str, str] | None = None  # ("label", name) or ("type", name)
    returns: str | None = None  # a node step: the label whose element ids its records return
    ends: tuple[tuple[str, str], ...] = ()  # a relationship step: (id column, label) of its two end nodes


def _node_step(table: pa.Table, id_col: str, group: str, labels: tuple[str, ...], drop: tuple[str, ...]) -> Step:
    props = tuple(c for c in table.column_names if c != id_col)
    added = "".join(f":{label(x)}" for x in labels)
    removed = f" REMOVE n{''.join(f':{label(x)}' for x in drop)}" if drop else ""
    merge = _both(lambda extra: f"UNWIND $rows AS row MERGE (n:{label(group)}:{GRAPH_LABEL} {{id: row._id}})"
                                + removed + " " + _sets("n", props, extra, (f"n{added}",) if added else ()) + _RETURNED)
    create = _both(lambda extra: f"UNWIND $rows AS row CREATE (n:{label(group)}{added}:{GRAPH_LABEL} "
                                 f"{_literal('id', props)})"
                                 + (" SET n += row._x" if extra else "") + _RETURNED)
    return Step(table, _maker({"_id": id_col}, props), merge, create, ("label", group), returns=group)


def _rel_step(table: pa.Table, rel: str, src: tuple[str, str], dst: tuple[str, str], rid: bool) -> Step:
    """src and dst: (id column, label) of the start and end nodes."""
    props = tuple(c for c in table.column_names if c not in ("rid", src[0], dst[0])) if rid else ()
    ends = "UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row._a MATCH (b) WHERE elementId(b) = row._b "
    key = " {rid: row._id}" if rid else ""
    merge = _both(lambda extra: f"{ends}MERGE (a)-[r:{rel_type(rel)}{key}]->(b) " + _sets("r", props, extra))
    literal = " " + _literal("rid", props) if rid else ""
    create = _both(lambda extra: f"{ends}CREATE (a)-[r:{rel_type(rel)}{literal}]->(b)"
                                 + (" SET r += row._x" if extra else ""))
    keys = {"_a": END_COLUMNS[0], "_b": END_COLUMNS[1], **({"_id": "rid"} if rid else {})}
    return Step(table, _maker(keys, props), merge, create, ("type", rel), ends=(src, dst))


def plan(tables: Mapping[str, Any]) -> list[Step]:
    """The load's steps in dependency order."""
    def rows(name: str) -> pa.Table:
        df = tables.get(name)
        return to_arrow(name, df if df is not None else empty_table(name))

    kinds = tuple(ORG_KIND_LABEL.values())
    steps = [_node_step(rows("person"), "person_id", "Entity", ("Person",), ("Organization", *kinds))]
    orgs = rows("org")
    for kind, kind_label in ORG_KIND_LABEL.items():
        steps.append(_node_step(orgs.filter(pc.equal(orgs.column("kind"), kind)), "org_id", "Entity",
                                ("Organization", kind_label), ("Person", *(k for k in kinds if k != kind_label))))
    decisions = rows("decision")
    steps.append(_node_step(decisions, "decision_id", "Decision", (), ()))
    for column, rel in (("agency_id", "ISSUED_BY"), ("beneficiary_id", "BENEFITS")):
        steps.append(_rel_step(decisions.select(["decision_id", column]), rel, ("decision_id", "Decision"),
                               (column, "Entity"), rid=False))
    for table, rel, src, src_label, dst, dst_label in RELATIONSHIPS:
        steps.append(_rel_step(rows(table), rel, (src, src_label), (dst, dst_label), rid=True))
    declarations = rows("declaration")
    props = tuple(c for c in declarations.column_names if c != "rid")
    filed = (f" WITH x, row MATCH (p:Entity:{GRAPH_LABEL} {{id: row._person}}) MERGE (p)-[r:{rel_type('FILED')}]->(x) "
             "SET r._load = $stamp")
    steps.append(Step(declarations, _maker({"_id": "rid", "_person": "person_id"}, props),
                      _both(lambda extra: f"UNWIND $rows AS row MERGE (x:{label('Declaration')}:{GRAPH_LABEL} "
                                          "{rid: row._id}) "
                                          + _sets("x", props, extra) + filed)))
    return steps

