"""A view's graph as the page draws it: vis-network nodes and edges with labels and tooltips in the view's
language, parallel edges merged into one link, and for layered views the positions (physics off) with each link
drawn as segments through its label. Findings refer to the drawn edges; around views carry their folded edges."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from itertools import pairwise
from typing import Any

from .fold import foldable, folded_edges
from .layout import Link, layered
from .style import (CATEGORIES, EDGE_FONT, LAYERED_UP_TO, NODE_FONT, ORDER, READABLE_PX, SIZE, box, category,
                    category_label, edge_label, edge_tooltip, node_label, node_name, node_tooltip)
from .subgraph import ViewGraph
from .words import money, say, shown, template, term

EDGE_COLOUR = "#8a8a8a"
EXTENT_WORDS = ("in_view", "fit_all", "back_to", "opened_readable")  # app_extent.js's
PAGE_WORDS = ("search", "rules", "severities", "findings", "findings_of", "paths", "fold", "legend", "none_found",
              "score", "steps", *EXTENT_WORDS)


def _relatives(g) -> set[str]:
    officials = {n for n, d in g.nodes(data=True) if d.get("official") or d.get("role") == "official"}
    kin = {v for u, v, d in g.edges(data=True) if d.get("type") == "RELATIVE_OF" and u in officials}
    kin |= {u for u, v, d in g.edges(data=True) if d.get("type") == "RELATIVE_OF" and v in officials}
    return kin - officials


def _node(n: str, d: dict[str, Any], cat: str, lang: str) -> dict[str, Any]:
    colour, shape = CATEGORIES[cat]
    node = {"id": n, "label": node_label(d, n, lang), "color": colour, "shape": shape, "category": cat,
            "title": node_tooltip(n, d, cat, lang), "search": f"{shown(d.get('name') or n)} {n}".casefold(),
            "size": SIZE.get(cat, 16)}
    if shape == "box":
        node["font"] = {"color": "#ffffff", "background": "rgba(0,0,0,0)"}  # inside its box: no white ground
    return node


def _decision_line(g, dec: str, lang: str) -> str:
    d = g.nodes[dec]
    info = d.get("details") or {}
    return " ".join(x for x in (dec, info.get("date") or "", term("decision_kind", info.get("kind"), lang),
                                money(info.get("amount"), lang)) if x)


def _without_birth_dates(view: ViewGraph) -> ViewGraph:
    from ..privacy import without_birth_dates

    g = view.graph.copy()
    for _, d in g.nodes(data=True):
        if isinstance(d.get("details"), dict):
            d["details"] = without_birth_dates(d["details"])
    return replace(view, graph=g)


def _links(g, lang: str) -> list[dict[str, Any]]:
    """The graph's edges merged per pair of nodes: one link each, with every member edge's key."""
    pairs: dict[tuple[str, str], list] = defaultdict(list)
    for u, v, key, d in sorted(g.edges(keys=True, data=True), key=lambda e: (e[2], e[0], e[1])):
        pairs[tuple(sorted((u, v)))].append((u, v, key, d))
    links = []
    for i, (_pair, members) in enumerate(sorted(pairs.items())):
        src, dst = members[0][0], members[0][1]
        forward = any(u == src for u, _, _, _ in members)
        backward = any(u == dst for u, _, _, _ in members)
        links.append({"key": f"e{i}", "src": src, "dst": dst, "members": [k for _, _, k, _ in members],
                      "label": "\n".join(dict.fromkeys(edge_label(d, lang) for *_, d in members)),
                      "title": "\n\n".join(edge_tooltip(d, lang) for *_, d in members),
                      "arrows": ", ".join(x for x, on in (("to", forward), ("from", backward)) if on),
                      "weight": max(d.get("weight", 1) for *_, d in members),
                      "types": sorted({d.get("type") for *_, d in members})})
    return links


def view_data(view: ViewGraph, lang: str, fold: bool = False, mask: bool = False) -> dict[str, Any]:
    """A view as the data its page draws: nodes, edges and findings with their words in `lang`, the positions of a
    layered view, the legend, notes; a physics view with decisions also gets its folded alternative (decisions
    hidden behind weighted edges), shown first when `fold`. With `mask`, the text built from each node's details
    (its tooltip) holds no birth date: a masked resident ID hides its birth date, which must not show beside it.
    Resident IDs and phones are masked afterwards, by whoever masks the page (they stay ids here)."""
    if mask:
        view = _without_birth_dates(view)
    g = view.graph
    kin = _relatives(g)
    cats = {n: category(d, kin, n) for n, d in g.nodes(data=True)}
    nodes = [_node(n, d, cats[n], lang) for n, d in sorted(g.nodes(data=True))]
    links = _links(g, lang)
    drawn: dict[str, list[str]] = {}  # member edge key -> drawn edge ids
    extra: dict[str, list[str]] = {}  # member edge key -> its link's label and port nodes
    parts: dict[str, dict[str, list[str]]] = {}  # link -> its label and port nodes, its segments
    if view.layout == "layered":
        edges = _layered(view, nodes, links, cats, drawn, extra, parts)
    else:
        edges = []
        for link in links:
            edges.append({"id": link["key"], "from": link["src"], "to": link["dst"], "label": link["label"],
                          "title": link["title"], "arrows": link["arrows"],
                          "width": 1 + min(6, link["weight"] - 1)})
            for m in link["members"]:
                drawn[m] = [link["key"]]
    findings = []
    for f in view.findings:
        rule = view.rules.get(f.get("rule") or "")
        findings.append({**{k: shown(v) if isinstance(v, str) else v for k, v in f.items() if k != "edges"},
                         "rule_title": rule.title(lang) if rule else say("path", lang) if f.get("rule") == "path"
                         else str(f.get("rule")),
                         "severity_label": term("severity", f.get("severity"), lang) if f.get("severity") else "",
                         "edges": sorted({e for k in f["edges"] for e in drawn.get(k, [])}),
                         "points": sorted({p for k in f["edges"] for p in extra.get(k, [])})})
    present = [c for c in CATEGORIES if c in set(cats.values())]
    data = {"nodes": nodes, "edges": edges, "findings": findings, "notes": [shown(t) for t in view.note_texts(lang)],
            "legend": [{"category": c, "color": CATEGORIES[c][0], "label": category_label(c, lang)} for c in present],
            "layout": view.layout, "kind": view.kind, "lang": lang, "links": parts, "roots": list(view.roots),
            "ui": {k: template(k, lang) for k in PAGE_WORDS}, "fonts": {"node": NODE_FONT, "edge": EDGE_FONT},
            "readable": readable(), "names": {r: shown(node_name(g.nodes[r], r, lang)) for r in view.roots if r in g}}
    if view.layout != "layered" and foldable(g):
        data["fold"], stands = _fold(g, lang, fold, data)
        for shown_finding, f in zip(findings, view.findings, strict=True):  # the folded edges that stand for its own
            shown_finding["folded"] = sorted({x for k in f["edges"] for x in stands.get(k, ())})
    if view.layout != "layered":
        _thin_labels(edges)  # the plain edges and any folded ones, which _fold appended to them
    return data


def readable() -> dict[str, int]:
    """What a busy drawing is opened by (app_extent.js): a label's size on screen read at a glance, and the number of
    nodes beyond which a drawing is busy (more than layers hold) when fitted whole it draws them smaller."""
    return {"px": READABLE_PX, "crowd": LAYERED_UP_TO}


HUB_LABELS = 3  # edges with one label meeting at a node beyond this: one keeps its label, the rest show it on focus


def _thin_labels(edges: list[dict[str, Any]]) -> None:
    """Labels that would pile up where many edges of one kind meet a node (forty 'issued by' into one agency): all
    but the first edge of each such bunch keep their label as `full` only, drawn when a finding or node they belong
    to is focused, and in their tooltip always."""
    bunches: dict[tuple[str, str, bool], list[dict[str, Any]]] = defaultdict(list)
    for e in sorted(edges, key=lambda e: e["id"]):
        if e.get("label"):
            for end in (e["from"], e["to"]):
                bunches[(end, e["label"], bool(e.get("folded")))].append(e)
    big = [bunch for bunch in bunches.values() if len(bunch) > HUB_LABELS]
    crowded: dict[str, int] = defaultdict(int)  # edge id -> the big bunches it is in
    for bunch in big:
        for e in bunch:
            crowded[e["id"]] += 1
    # each big bunch keeps one label, of an edge in no other big bunch where there is one (an edge between two hubs
    # kept by one would stand for both): no hub is left without a label of its kind
    kept = {min(bunch, key=lambda e: (crowded[e["id"]], e["id"]))["id"] for bunch in big}
    for bunch in big:
        for e in bunch:
            if e["id"] not in kept and e.get("label"):
                e["full"], e["label"] = e["label"], ""


def _layered(view: ViewGraph, nodes: list[dict[str, Any]], links: list[dict[str, Any]], cats: dict[str, str],
             drawn: dict[str, list[str]], extra: dict[str, list[str]],
             parts: dict[str, dict[str, list[str]]]) -> list[dict[str, Any]]:
    boxes = {n["id"]: box(n["label"], n["shape"], n["size"], NODE_FONT) for n in nodes}
    free_types = {"RELATIVE_OF", "SHARES_ADDRESS", "SHARES_PHONE"}
    plan = [Link(link["key"], link["src"], link["dst"], box(link["label"], "text", 0, EDGE_FONT),
                 free=view.free_links or set(link["types"]) <= free_types)
            for link in links]
    roots = view.roots or [n for n, c in cats.items() if c == "official"]
    dated = {n: str((view.graph.nodes[n].get("details") or {}).get("date") or "")  # decisions by date
             for n in cats if n in view.graph}
    place = layered(boxes, plan, roots, order={n: (ORDER[c], dated.get(n, "")) for n, c in cats.items()})
    for n in nodes:
        n["x"], n["y"] = place.positions[n["id"]]
        n["fixed"] = True
    edges = []
    for port, owner in place.owner.items():
        x, y = place.positions[port]
        nodes.append({"id": port, "label": "", "shape": "dot", "size": 1, "category": "port", "owner": owner,
                      "x": x, "y": y, "fixed": True, "color": {"background": EDGE_COLOUR, "border": EDGE_COLOUR},
                      "borderWidth": 0, "chosen": False})
    for link in links:
        key, label = link["key"], place.label_point[link["key"]]
        x, y = place.positions[label]
        nodes.append({"id": label, "label": link["label"], "shape": "text", "category": "edge-label", "x": x,
                      "y": y, "fixed": True, "title": link["title"], "chosen": False, "link": key,
                      "font": {"size": EDGE_FONT, "color": "#333333", "background": "#ffffff"}})
        route = place.routes[key]
        ids = []
        for i, (a, b) in enumerate(pairwise(route)):
            arrows = [x for x in link["arrows"].split(", ")
                      if (x == "to" and i == len(route) - 2) or (x == "from" and i == 0)]
            edges.append({"id": f"{key}>{i}", "from": a, "to": b, "title": link["title"], "arrows": ", ".join(arrows),
                          "link": key, "width": 1 + min(6, link["weight"] - 1)})
            ids.append(f"{key}>{i}")
        for m in link["members"]:
            drawn[m] = ids
            extra[m] = [label, *route[1:-1]]
        parts[key] = {"nodes": [label, *route[1:-1]], "edges": ids}
    return edges


def _fold(g, lang: str, on: bool, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The folded alternative of a physics view: which decision nodes and edges it hides, the weighted edges it
    shows instead; and which of those stand for each edge of `g` (by key)."""
    decisions = sorted(foldable(g))
    hidden = set(decisions)
    plain = sorted({e["id"] for e in data["edges"] if e["from"] in hidden or e["to"] in hidden})
    folded = []
    stands: dict[str, list[str]] = defaultdict(list)
    for u, v, key, d in folded_edges(g):
        for k in d.pop("edges"):
            stands[k].append(key)
        d = d | {"members": [_decision_line(g, x, lang) for x in d["decisions"]]}
        folded.append({"id": key, "from": u, "to": v, "label": edge_label(d, lang), "title": edge_tooltip(d, lang),
                       "arrows": "to", "width": 1 + min(8, d["weight"] - 1), "dashes": False, "folded": True})
    data["edges"].extend(folded)
    return {"decisions": decisions, "plain": plain, "folded": [e["id"] for e in folded], "on": bool(on)}, stands
