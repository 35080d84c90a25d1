"""Subgraphs pulled from a backend into networkx: a finding's evidence, a sweep overview, a neighbourhood,
and the k shortest paths between two entities. Views draw these; GEXF and GraphML export them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice, pairwise
from typing import TYPE_CHECKING, Any

from ..graph.backend import Backend
from ..graph.model import between_entities, reserved_property

if TYPE_CHECKING:
    import networkx as nx

FINDING_FIELDS = ("finding_id", "rule", "severity", "score", "explanation", "official_id", "official_name",
                  "org_name", "first_date", "last_date")


@dataclass
class ViewGraph:
    graph: nx.MultiDiGraph
    findings: list[dict[str, Any]] = field(default_factory=list)  # {finding_id, rule, severity, ..., nodes, edges}
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (words.UI key, its parameters)
    title: str = ""
    layout: str = "physics"  # or "layered": left to right from `roots`
    roots: list[str] = field(default_factory=list)
    free_links: bool = False  # layered: every link may point either way (paths), not only kinship
    kind: str = "overview"  # overview, finding, around, paths, whole
    rules: dict[str, Any] = field(default_factory=dict)  # rule id -> the rule (its title(lang) names it)

    def note(self, key: str, **params: Any) -> None:
        self.notes.append((key, params))

    def note_texts(self, lang: str) -> list[str]:
        from .words import say

        return [say(key, lang, **params) for key, params in self.notes]


def _edge_key(e: dict[str, Any]) -> str:
    return "|".join(str(e.get(k) or "") for k in ("src", "dst", "type", "label", "start", "end"))


def add_edges(g: nx.MultiDiGraph, edges: Iterable[dict[str, Any]]) -> list[str]:
    keys = []
    for e in edges:
        key = _edge_key(e)
        if not g.has_edge(e["src"], e["dst"], key):
            g.add_edge(e["src"], e["dst"], key=key, type=e["type"], label=e.get("label") or "",
                       share=e.get("share"), start=e.get("start") or "", end=e.get("end") or "")
        keys.append(key)
    return keys


def describe_nodes(g: nx.MultiDiGraph, backend: Backend, roles: dict[str, str] | None = None,
                   details: bool = True) -> None:
    """Name, type and kind of every node; with `details`, every model column (for tooltips) and each post's rank
    on its HOLDS_POST edge."""
    info = backend.nodes(g.nodes)
    more = backend.details(g.nodes) if details else {}
    for n in g.nodes:
        meta = info.get(n, {"type": "unknown", "name": n, "kind": None, "official": False})
        g.nodes[n].update(name=meta.get("name") or n, type=meta["type"], kind=meta.get("kind") or "",
                          official=bool(meta.get("official")))
        if n in more:
            g.nodes[n]["details"] = more[n]
        if roles and n in roles:
            g.nodes[n]["role"] = roles[n]
    for u, v, d in g.edges(data=True):
        if d.get("type") == "HOLDS_POST":
            posts = more.get(u, {}).get("posts", [])
            rank = [p["rank"] for p in posts if p["org_id"] == v and (p["start_date"] or "") == d.get("start")]
            if rank and rank[0]:
                d["rank"] = rank[0]


def _evidence(f: dict[str, Any]) -> dict[str, Any]:
    return json.loads(f["evidence"]) if isinstance(f["evidence"], str) else f["evidence"]


def add_findings(g: nx.MultiDiGraph, findings: list[dict[str, Any]], roles: dict[str, str]) -> list[dict[str, Any]]:
    """Each finding's evidence added to `g`; returns the findings as listed in a view (with their nodes and
    edge keys)."""
    listed = []
    for f in findings:
        ev = _evidence(f)
        for node in ev.get("nodes", []):
            g.add_node(node["id"])
            if node.get("role") in ("official", "via") and roles.get(node["id"]) != "official":
                roles[node["id"]] = node["role"]
        keys = add_edges(g, ev.get("edges", []))
        listed.append({k: f.get(k) for k in FINDING_FIELDS}
                      | {"nodes": sorted(n["id"] for n in ev.get("nodes", [])), "edges": keys})
    return listed


def from_findings(backend: Backend, findings: list[dict[str, Any]]) -> ViewGraph:
    """Every finding's evidence merged into one graph; each finding knows its own nodes and edges."""
    import networkx as nx  # here: a command that draws nothing does not load it

    g = nx.MultiDiGraph()
    roles: dict[str, str] = {}
    listed = add_findings(g, findings, roles)
    describe_nodes(g, backend, roles)
    return ViewGraph(g, listed, roots=sorted(n for n, r in roles.items() if r == "official"))


def _walk(backend: Backend, center: str, hops: int, cap: int) -> tuple[nx.MultiDiGraph, set[str]]:
    """The edges within `hops` of `center`, breadth first, until `cap` nodes; and the keys of the edges not
    followed because they would have passed the cap."""
    import networkx as nx  # here: a command that draws nothing does not load it

    g = nx.MultiDiGraph()
    g.add_node(center)
    frontier, seen, cut = {center}, {center}, set()
    for _ in range(hops):
        if not frontier:
            break
        nxt = set()
        # people and organizations first: a cap reached fills with an agency's officials before its decisions
        for e in sorted(backend.edges_of(frontier), key=lambda e: (not between_entities(e["type"]), _edge_key(e))):
            new = [n for n in (e["src"], e["dst"]) if n not in seen]
            if len(seen) + len(new) > cap:
                cut.add(_edge_key(e))
                continue
            seen.update(new)
            nxt.update(new)
            add_edges(g, [e])
        frontier = nxt
    return g, cut


def around(backend: Backend, center: str, hops: int, cap: int, findings: list[dict[str, Any]] | None = None,
           describe: bool = True) -> ViewGraph:
    """The neighbourhood of `center` up to `hops`, cut at `cap` nodes (with a note saying so); with `findings`,
    those whose evidence includes `center` are listed and their evidence drawn too. `describe=False` leaves
    the nodes bare (for a graph only walked, not drawn)."""
    if not backend.nodes([center]):
        raise KeyError(center)
    g, cut = _walk(backend, center, hops, cap)
    view = ViewGraph(g, title=center, roots=[center], kind="around")
    if cut:
        view.note("note_cap", cap=cap, cut=len(cut))
    roles: dict[str, str] = {}
    mine = [f for f in findings or [] if center in {n["id"] for n in _evidence(f).get("nodes", [])}]
    view.findings = add_findings(g, mine, roles)
    roles[center] = roles.get(center, "center")
    if describe:
        describe_nodes(g, backend, roles)
        view.title = g.nodes[center].get("name") or center
    return view


def paths(backend: Backend, a: str, b: str, hops: int, k: int, cap: int = 20000) -> ViewGraph:
    """The k shortest simple paths (at most `hops` edges, direction ignored) between a and b."""
    import networkx as nx  # here: a command that draws nothing does not load it

    missing = [x for x in (a, b) if not backend.nodes([x])]
    if missing:
        raise KeyError(missing[0])
    half = (hops + 1) // 2
    pulled = nx.MultiDiGraph()
    cut: set[str] = set()
    # a path of at most `hops` edges has its middle within `half` steps of a; b's side reaches one step further so
    # that the edge crossing the middle is pulled too
    for start, depth in ((a, half), (b, min(hops, hops - half + 1))):
        part, part_cut = _walk(backend, start, depth, cap)
        pulled.add_edges_from(part.edges(keys=True, data=True))
        pulled.add_nodes_from(part.nodes(data=True))
        cut |= part_cut
    cut -= {key for _, _, key in pulled.edges(keys=True)}  # cut on one end's search, followed on the other's
    simple = nx.Graph(pulled.to_undirected())
    g = nx.MultiDiGraph()
    found = []
    if a in simple and b in simple:
        try:
            for p in islice(nx.shortest_simple_paths(simple, a, b), k):
                if len(p) - 1 > hops:
                    break
                found.append(p)
        except nx.NetworkXNoPath:
            pass
    path_edges = []
    for p in found:
        keys = []
        for u, v in pairwise(p):
            for x, y in ((u, v), (v, u)):
                for key, data in (pulled.get_edge_data(x, y) or {}).items():
                    g.add_edge(x, y, key=key, **data)
                    keys.append(key)
        path_edges.append(keys)
    g.add_nodes_from([a, b])
    view = ViewGraph(g, title=f"{a} — {b}", layout="layered", roots=[a], free_links=True, kind="paths")
    if cut:  # one note for both ends' searches, each edge left out counted once
        view.note("note_paths_cap", cap=cap, cut=len(cut))
    view.findings = [{"finding_id": f"path-{i + 1}", "rule": "path", "severity": "", "score": len(p) - 1,
                      "explanation": " → ".join(p), "nodes": p, "edges": keys}
                     for i, (p, keys) in enumerate(zip(found, path_edges, strict=True))]
    describe_nodes(g, backend, {a: "center", b: "center"})
    names = {n: g.nodes[n].get("name") or n for n in g.nodes}
    view.title = f"{names[a]} — {names[b]}"
    view.note("note_paths" if found else "note_no_path", n=len(found), hops=hops, a=f"{names[a]} ({a})",
              b=f"{names[b]} ({b})")
    for f in view.findings:
        f["explanation"] = " → ".join(names[n] for n in f["nodes"])
    return view


def whole(backend: Backend) -> ViewGraph:
    """Every person, organization and decision with every edge between them (for GEXF/GraphML export)."""
    import networkx as nx  # here: a command that draws nothing does not load it

    ids = set()
    for table, key in (("person", "person_id"), ("org", "org_id"), ("decision", "decision_id")):
        ids.update(backend.table(table)[key].dropna().tolist())
    g = nx.MultiDiGraph()
    g.add_nodes_from(ids)
    add_edges(g, backend.edges_of(ids))
    describe_nodes(g, backend)  # what a file carries of each node, and what folding adds up (amounts)
    return ViewGraph(g, title="whole graph", kind="whole")


def _one_type_each(records) -> None:
    """Each attribute of one type across the file (GEXF and GraphML declare one per name): whole numbers beside
    fractions become fractions, numbers beside text become text."""
    records = list(records)
    kinds: dict[str, set[type]] = {}
    for r in records:
        for k, v in r.items():
            kinds.setdefault(k, set()).add(type(v))
    for k, seen in kinds.items():
        if len(seen) < 2:
            continue
        cast = float if seen <= {int, float} else str
        for r in records:
            if k in r:
                r[k] = cast(r[k])


# Edge attributes GEXF reserves (type: directed or not; start and end: a dynamic graph's time) get other names,
# in GraphML too, so both files describe an edge alike.
EDGE_ATTRIBUTES = {"type": "edge_type", "start": "start_date", "end": "end_date"}


#: Node attribute names GEXF or GraphML (networkx's writers) read as their own, and those every node carries
FILE_RESERVED = frozenset({"id", "label", "entity_id", "viz", "pid", "start", "end", "parents", "spells", "slices",
                           "networkx_key"})


def _write_gexf(g, path: str) -> None:
    """GEXF as GraphML has it: each edge's id is its key (its ends, kind, label and date), not a count, and no
    `networkx_key` attribute repeats it (networkx's writer adds one for a graph with parallel edges)."""
    from networkx.readwrite.gexf import GEXFWriter

    for _, _, key, d in g.edges(keys=True, data=True):
        d["id"] = key  # what GEXF writes as the edge's id
    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph(g)
    for attributes in writer.xml.iter("attributes"):
        for attribute in [a for a in attributes if a.get("title") == "networkx_key"]:
            attributes.remove(attribute)
            for values in writer.xml.iter("attvalues"):
                for value in [v for v in values if v.get("for") == attribute.get("id")]:
                    values.remove(value)
    with open(path, "wb") as out:
        writer.write(out)


def write_graph_file(view: ViewGraph, path: str, fmt: str) -> None:
    """GEXF (Gephi) or GraphML (yEd) of a view's graph: each node labelled with its name (its id stays the node's
    id and the `entity_id` attribute); attributes flattened to plain values."""
    import networkx as nx  # here: a command that draws nothing does not load it

    from ..cells import for_xml

    def x(value):  # text XML can hold: control characters as visible escapes
        return "" if value is None else for_xml(value) if isinstance(value, str) else value

    def plain(items) -> dict:  # the values a file holds: a list joined with ;, a missing value left out
        out = {}
        for k, v in items:
            if isinstance(v, list) and all(not isinstance(i, (dict, list)) for i in v):
                v = ";".join(str(i) for i in v if i is not None)
            if v is not None and v != "" and not isinstance(v, (dict, list)):
                out[k] = x(v)
        return out

    g = nx.MultiDiGraph()
    for n, d in view.graph.nodes(data=True):
        # what the graph knows of it (a decision's date, amount and issuer; a person's birth date) beside its kind;
        # its id once, as the node's id and entity_id (not again as id, person_id, org_id or decision_id)
        details = d.get("details") or {}
        attrs = {k: v for k, v in {**plain(details.items()), **plain(d.items())}.items()
                 if not (k == "id" or k.endswith("_id") and v == n)}
        # the file's own columns (kept in props), each under its name unless govties or the file format reserves
        # it (GEXF reads viz, pid, start ... as its own): then props.NAME
        attrs |= {f"props.{k}" if reserved_property(k) or k in attrs or k in FILE_RESERVED else k: v
                  for k, v in plain((details.get("props") or {}).items()).items()}
        g.add_node(x(n), **attrs, label=x(d.get("name") or n), entity_id=x(n))
    for u, v, key, d in view.graph.edges(keys=True, data=True):
        g.add_edge(x(u), x(v), key=x(key), **plain((EDGE_ATTRIBUTES.get(k, k), val) for k, val in d.items()))
    _one_type_each(g.nodes.values())
    _one_type_each(d for _, _, d in g.edges(data=True))
    if fmt == "gexf":
        _write_gexf(g, path)
    else:
        nx.write_graphml(g, path)  # an edge's id is its key
