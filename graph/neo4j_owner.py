"""What in a Neo4j database is govties' graph, and what is not.

Every node govties writes carries the label `Govties` (model.GRAPH_LABEL) besides its model labels; govties'
relationships are those of the model's types (model.REL_TYPES) between two such nodes. Nothing else in the database
is govties', and govties changes nothing else.

`CENSUS` counts, from the server's count store (a constant time, whatever the graph's size), the marker, every model
label, and each relationship type in all, from marked nodes, to marked nodes, and from and to its model groups. A
node govties writes has the marker and exactly one group label (Entity, Decision, Declaration); an entity is a
person or an organization; an organization has one kind label. So the database holds nothing under govties' labels
and types that govties did not write exactly when

    Govties = Entity + Decision + Declaration,   Entity = Person + Organization,   Organization = sum of the kinds,
    and for every type T:   ()-[:T]->()  =  (:Govties)-[:T]->()  =  ()-[:T]->(:Govties)

(a node of a model label without the marker, or a relationship with an end without it, makes a left side larger
than its right). A graph an earlier govties wrote has govties' shape without the marker (`unmarked_graph`);
`ADOPT` marks it, when the user asks to (`govties load --adopt`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .backend import BackendError
from .model import (FORMAT_VERSION, GRAPH_FORMAT, GRAPH_LABEL, META_LABEL, NODE_GROUPS, NODE_LABELS, ORG_KIND_LABEL,
                    REL_ENDS)

Run = Callable[[str, Mapping[str, Any]], list[dict[str, Any]]]
_KINDS = tuple(sorted(ORG_KIND_LABEL.values()))
_LABELS = tuple(sorted(NODE_LABELS))
_TYPES = tuple(sorted(REL_ENDS))


def _census_query() -> str:
    items = [f"COUNT {{ (:{GRAPH_LABEL}) }} AS marked"]
    items += [f"COUNT {{ (:{x}) }} AS l_{x}" for x in _LABELS]
    for t in _TYPES:
        start, end = REL_ENDS[t]
        items += [f"COUNT {{ ()-[:{t}]->() }} AS t_{t}", f"COUNT {{ (:{GRAPH_LABEL})-[:{t}]->() }} AS s_{t}",
                  f"COUNT {{ ()-[:{t}]->(:{GRAPH_LABEL}) }} AS e_{t}", f"COUNT {{ (:{start})-[:{t}]->() }} AS gs_{t}",
                  f"COUNT {{ ()-[:{t}]->(:{end}) }} AS ge_{t}"]
    items.append(f"COUNT {{ (:{META_LABEL}) }} AS meta")
    return "RETURN " + ", ".join(items)


CENSUS = _census_query()
# Only when the census finds something that is not govties': how much, by label and type (scans; never on a clean
# database).
FOREIGN = "RETURN " + ", ".join(
    [f"COUNT {{ MATCH (n:{x}) WHERE NOT n:{GRAPH_LABEL} }} AS l_{x}" for x in _LABELS]
    + [f"COUNT {{ MATCH (a)-[:{t}]->(b) WHERE NOT (a:{GRAPH_LABEL} AND b:{GRAPH_LABEL}) }} AS t_{t}" for t in _TYPES])
# Unmarked nodes no govties ever wrote: in two groups, or without their key or the `props` every govties node has
# (scans; only when the census finds unmarked data)
UNLIKE = ("RETURN COUNT { MATCH (n:Entity) WHERE n:Decision OR n:Declaration } + "
          "COUNT { MATCH (n:Decision) WHERE n:Declaration } + "
          f"COUNT {{ MATCH (n:Entity) WHERE NOT n:{GRAPH_LABEL} AND (n.id IS NULL OR n.props IS NULL) }} + "
          f"COUNT {{ MATCH (n:Decision) WHERE NOT n:{GRAPH_LABEL} AND (n.id IS NULL OR n.props IS NULL) }} + "
          f"COUNT {{ MATCH (n:Declaration) WHERE NOT n:{GRAPH_LABEL} AND (n.rid IS NULL OR n.props IS NULL) }} AS n")
ADOPT = tuple(f"MATCH (n:{g}) WHERE NOT n:{GRAPH_LABEL} CALL (n) {{ SET n:{GRAPH_LABEL} }} IN TRANSACTIONS OF "
              "10000 ROWS" for g in NODE_GROUPS)
META = (f"MATCH (m:{META_LABEL} {{name: 'graph'}}) RETURN m.format AS format, m.version AS version, "
        "m.govties AS govties")
WRITE_META = (f"MERGE (m:{META_LABEL} {{name: 'graph'}}) SET m.format = $format, m.version = $version, "
              "m.govties = $govties, m.written = datetime()")
META_PARAMS = {"format": GRAPH_FORMAT, "version": FORMAT_VERSION}
#: the stamp of the last load or append that completed, written as its last step
WRITE_STAMP = f"MERGE (m:{META_LABEL} {{name: 'graph'}}) SET m.stamp = $stamp"
STAMP = f"MATCH (m:{META_LABEL} {{name: 'graph'}}) RETURN m.stamp AS stamp"


def census(run: Run) -> dict[str, int]:
    rows = run(CENSUS, {})
    return {k: int(v or 0) for k, v in rows[0].items()}


def clean(c: Mapping[str, int]) -> bool:
    """Whether every node of govties' labels and every relationship of its types is govties' (module docstring)."""
    return (c["marked"] == sum(c[f"l_{g}"] for g in NODE_GROUPS) and _shaped(c)
            and all(c[f"t_{t}"] == c[f"s_{t}"] == c[f"e_{t}"] for t in _TYPES))


def _shaped(c: Mapping[str, int]) -> bool:
    return (c["l_Entity"] == c["l_Person"] + c["l_Organization"]
            and c["l_Organization"] == sum(c[f"l_{k}"] for k in _KINDS))


def unmarked_graph(run: Run, c: Mapping[str, int]) -> bool:
    """Whether what lacks the marker has the shape of a graph govties writes: every relationship between nodes of
    its model groups, every decision issued by one organization for one beneficiary, every declaration filed by one
    person, every node in one group with its key and its `props`. Such a graph was written by an earlier govties,
    or looks exactly like one."""
    return (_shaped(c) and all(c[f"t_{t}"] == c[f"gs_{t}"] == c[f"ge_{t}"] for t in _TYPES)
            and c["t_ISSUED_BY"] == c["t_BENEFITS"] == c["l_Decision"] and c["t_FILED"] == c["l_Declaration"]
            and not run(UNLIKE, {})[0]["n"])


def holds_graph(c: Mapping[str, int]) -> bool:
    return bool(c["marked"] or c["meta"])


def found(run: Run) -> str:
    """What the database holds under govties' labels and types that is not govties', in words."""
    counts = run(FOREIGN, {})[0]
    nodes = [f"{counts[f'l_{x}']} :{x}" for x in _LABELS if counts[f"l_{x}"]]
    rels = [f"{counts[f't_{t}']} {t}" for t in _TYPES if counts[f"t_{t}"]]
    parts = ([f"nodes {', '.join(nodes)} without the label {GRAPH_LABEL}"] if nodes else []) + \
        ([f"relationships {', '.join(rels)} not between govties' nodes"] if rels else [])
    return "; ".join(parts) or "elements that appeared while it was being counted"


def refusal(run: Run, where: str, c: Mapping[str, int]) -> BackendError:
    """The one-line error for a database holding what is not govties' under govties' labels or types."""
    own = ("give govties a database of its own: another database via NEO4J_DATABASE (or --neo4j-database), or on "
           "Neo4j Community, which has one database, a separate server")
    head = f"the Neo4j database at {where} holds {found(run)}"
    if unmarked_graph(run, c):
        return BackendError(f"{head}: if an earlier govties wrote this graph, `govties load DATASET --backend neo4j "
                            f"--adopt` marks it as govties' (label {GRAPH_LABEL}) and loads; otherwise {own}. govties "
                            "never deletes or merges into data it did not write")
    return BackendError(f"{head}: another application's data, which govties never deletes or merges into; {own}")


def check_meta(run: Run, where: str) -> None:
    """Refuse a graph written in a newer format than this govties knows."""
    rows = run(META, {})
    if rows and rows[0]["format"] == GRAPH_FORMAT and int(rows[0]["version"] or 0) > FORMAT_VERSION:
        raise BackendError(f"the govties graph in the Neo4j database at {where} was written by a newer govties "
                           f"(graph format {rows[0]['version']}, written by govties {rows[0]['govties']}; this one "
                           f"reads format {FORMAT_VERSION}): upgrade govties")
