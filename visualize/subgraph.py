"""Subgraphs pulled from a backend into networkx: a finding's evidence, a sweep overview, a neighbourhood,
and the k shortest paths between two entities. Views draw these; GEXF and GraphML export them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import networkx as nx

from ..graph.backend import Backend


@dataclass
class ViewGraph:
    graph: nx.MultiDiGraph
    findings: list[dict[str, Any]] = field(default_factory=list)  # {finding_id, rule, severity, ..., nodes, edges}
    notes: list[str] = field(default_factory=list)
    title: str = ""
    layout: str = "physics"  # or "hierarchical"


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


def describe_nodes(g: nx.MultiDiGraph, backend: Backend, roles: dict[str, str] | None = None) -> None:
    info = backend.nodes(g.nodes)
    for n in g.nodes:
        meta = info.get(n, {"type": "unknown", "name": n, "kind": None, "official": False})
        g.nodes[n].update(name=meta.get("name") or n, type=meta["type"], kind=meta.get("kind") or "",
                          official=bool(meta.get("official")))
        if roles and n in roles:
            g.nodes[n]["role"] = roles[n]


def from_findings(backend: Backend, findings: list[dict[str, Any]]) -> ViewGraph:
    """Every finding's evidence merged into one graph; each finding knows its own nodes and edges."""
    g = nx.MultiDiGraph()
    roles: dict[str, str] = {}
    listed = []
    for f in findings:
        ev = json.loads(f["evidence"]) if isinstance(f["evidence"], str) else f["evidence"]
        for node in ev.get("nodes", []):
            g.add_node(node["id"])
            if node.get("role") in ("official", "via") and roles.get(node["id"]) != "official":
                roles[node["id"]] = node["role"]
        keys = add_edges(g, ev.get("edges", []))
        listed.append({k: f.get(k) for k in ("finding_id", "rule", "severity", "score", "explanation",
                                             "official_name", "org_name", "first_date", "last_date")}
                      | {"nodes": sorted(n["id"] for n in ev.get("nodes", [])), "edges": keys})
    describe_nodes(g, backend, roles)
    return ViewGraph(g, listed)


def around(backend: Backend, center: str, hops: int, cap: int) -> ViewGraph:
    """The neighbourhood of `center` up to `hops`, cut at `cap` nodes (with a note saying so)."""
    if not backend.nodes([center]):
        raise KeyError(center)
    g = nx.MultiDiGraph()
    g.add_node(center)
    frontier, seen, cut = {center}, {center}, 0
    for _ in range(hops):
        if not frontier:
            break
        nxt = set()
        for e in sorted(backend.edges_of(frontier), key=_edge_key):
            new = [n for n in (e["src"], e["dst"]) if n not in seen]
            if len(seen) + len(new) > cap:
                cut += 1
                continue
            seen.update(new)
            nxt.update(new)
            add_edges(g, [e])
        frontier = nxt
    view = ViewGraph(g, title=center)
    if cut:
        view.notes.append(f"node cap {cap} reached: {cut} edge(s) to further nodes were left out; raise --max-nodes "
                          "or lower --hops to see them")
    describe_nodes(g, backend, {center: "center"})
    return view


def paths(backend: Backend, a: str, b: str, hops: int, k: int, cap: int = 20000) -> ViewGraph:
    """The k shortest simple paths (at most `hops` edges, direction ignored) between a and b."""
    missing = [x for x in (a, b) if not backend.nodes([x])]
    if missing:
        raise KeyError(missing[0])
    half = (hops + 1) // 2
    pulled = nx.MultiDiGraph()
    # a path of at most `hops` edges has its middle within `half` steps of a; b's side reaches one step further so
    # that the edge crossing the middle is pulled too
    for start, depth in ((a, half), (b, min(hops, hops - half + 1))):
        part = around(backend, start, depth, cap)
        pulled.add_edges_from(part.graph.edges(keys=True, data=True))
        pulled.add_nodes_from(part.graph.nodes(data=True))
        if part.notes:
            pulled.graph.setdefault("notes", []).extend(part.notes)
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
        for u, v in zip(p, p[1:]):
            for x, y in ((u, v), (v, u)):
                for key, data in (pulled.get_edge_data(x, y) or {}).items():
                    g.add_edge(x, y, key=key, **data)
                    keys.append(key)
        path_edges.append(keys)
    g.add_nodes_from([a, b])
    view = ViewGraph(g, title=f"{a} — {b}", layout="physics")
    view.notes.extend(pulled.graph.get("notes", []))
    view.notes.append(f"{len(found)} path(s) of at most {hops} steps between {a} and {b}" if found else
                      f"no path of at most {hops} steps between {a} and {b}")
    view.findings = [{"finding_id": f"path-{i + 1}", "rule": "path", "severity": "", "score": len(p) - 1,
                      "explanation": " → ".join(p), "nodes": p, "edges": keys}
                     for i, (p, keys) in enumerate(zip(found, path_edges))]
    describe_nodes(g, backend, {a: "center", b: "center"})
    return view


def whole(backend: Backend) -> ViewGraph:
    """Every person, organization and decision with every edge between them (for GEXF/GraphML export)."""
    ids = set()
    for table, key in (("person", "person_id"), ("org", "org_id"), ("decision", "decision_id")):
        ids.update(backend.table(table)[key].dropna().tolist())
    g = nx.MultiDiGraph()
    g.add_nodes_from(ids)
    add_edges(g, backend.edges_of(ids))
    describe_nodes(g, backend)
    return ViewGraph(g, title="whole graph")


def write_graph_file(view: ViewGraph, path: str, fmt: str) -> None:
    """GEXF (Gephi) or GraphML (yEd) of a view's graph; attributes flattened to plain values."""
    from ..cells import for_xml

    def x(value):  # text XML can hold: control characters as visible escapes
        return "" if value is None else for_xml(value) if isinstance(value, str) else value

    g = nx.MultiDiGraph()
    for n, d in view.graph.nodes(data=True):
        g.add_node(x(n), **{k: x(v) for k, v in d.items()})
    for u, v, key, d in view.graph.edges(keys=True, data=True):
        g.add_edge(x(u), x(v), key=x(key), **{k: x(val) for k, val in d.items()})
    if fmt == "gexf":
        nx.write_gexf(g, path)
    else:
        nx.write_graphml(g, path)
