"""Graph data for the workbench's exploration page: nodes and edges as explore.js draws them (captions in the
page's language), a simple layered left-to-right layout for the k shortest paths (layers are distances from the
first entity, so every edge joins neighbouring layers or runs within one, drawn curved), and the SVG of a
finding's layered view (visualize.draw's positions, labels and routes) for the printable sheets."""

from __future__ import annotations

from collections import defaultdict, deque
from typing import Any

from ..api import CATEGORIES, category, category_label, text_width
from .words import as_label, edge_word

COLUMN = 300  # px between layers
ROW = 120  # px between nodes of a layer
LABEL_MAX = 14  # characters of a node label (the rest in its tooltip)
WIDTH_MAX = 170  # px a node's label may take before it wraps


def node_data(node_id: str, info: dict[str, Any], relatives: set[str], role: str | None = None,
              lang: str = "zh") -> dict[str, Any]:
    d = {**info, "role": role or info.get("role")}
    cat = category(d, relatives, node_id)
    name = info.get("name") or node_id
    colour, shape = CATEGORIES[cat]
    return {"id": node_id, "label": name if len(name) <= LABEL_MAX else name[:LABEL_MAX - 1] + "…", "name": name,
            "type": info.get("type") or "unknown", "kind": info.get("kind") or "", "category": cat,
            "category_label": category_label(cat, lang), "color": colour, "shape": shape}


def legend(lang: str) -> list[dict[str, str]]:
    return [{"category": c, "color": colour, "label": as_label(category_label(c, lang), lang)}
            for c, (colour, _shape) in CATEGORIES.items()]


def caption(e: dict[str, Any], lang: str) -> str:
    """An edge's label in the page's language: the word, the share, the dates."""
    parts = [edge_word(e.get("type"), e.get("label"), lang)]
    if e.get("share") not in (None, ""):
        parts.append(f"{float(e['share']) * 100:.0f}%")
    start, end = e.get("start") or "", e.get("end") or ""
    if start or end:
        parts.append(f"{start}–{end}" if (end or e.get("type") in ("HOLDS_POST", "HOLDS_ROLE", "RELATIVE_OF"))
                     else start)
    return " ".join(p for p in parts if p)


def edge_data(e: dict[str, Any], index: int, lang: str) -> dict[str, Any]:
    return {"id": f"e{index}", "from": e["src"], "to": e["dst"], "type": e.get("type"), "label": caption(e, lang),
            "start": e.get("start") or "", "end": e.get("end") or "", "share": e.get("share")}


def layered(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], root: str | None,
            dates: dict[str, str] | None = None) -> dict[str, dict[str, int]]:
    """id -> {x, y, level}: the layered left-to-right layout of a small graph (a finding's path). Nodes a layer
    holds in the same place (linked alike: a run of decisions between one official and one company) are in the
    order of their `dates` (a decision's date), earliest on top, then of their ids."""
    dates = dates or {}
    ids = [n["id"] for n in nodes]
    if not ids:
        return {}
    adjacent: dict[str, set[str]] = defaultdict(set)
    for e in edges:
        if e["from"] != e["to"]:
            adjacent[e["from"]].add(e["to"])
            adjacent[e["to"]].add(e["from"])
    level: dict[str, int] = {}
    roots = [root] if root is not None and root in ids else []
    roots += sorted(i for i in ids if i not in roots)
    for start in roots:  # each part of the graph from its first node (the root first)
        if start in level:
            continue
        base = max(level.values(), default=-1) + 1 if level else 0
        level[start] = base
        queue = deque([start])
        while queue:
            here = queue.popleft()
            for other in sorted(adjacent[here]):
                if other not in level:
                    level[other] = level[here] + 1
                    queue.append(other)
    layers: dict[int, list[str]] = defaultdict(list)
    for i in ids:
        layers[level[i]].append(i)
    order: dict[str, float] = {}
    for lv in sorted(layers):
        members = layers[lv]

        def weight(i: str, lv: int = lv) -> tuple[float, str, str]:
            before = [order[j] for j in adjacent[i] if j in order and level[j] == lv - 1]
            return (sum(before) / len(before) if before else float("inf"), dates.get(i) or "9999", i)

        members.sort(key=weight)
        for k, i in enumerate(members):
            order[i] = k
    out = {}
    for lv, members in layers.items():
        top = -(len(members) - 1) * ROW / 2
        for k, i in enumerate(members):
            out[i] = {"x": lv * COLUMN, "y": int(top + k * ROW), "level": lv}
    return out


def sheet_svg(data: dict[str, Any]) -> dict[str, Any]:
    """A layered view's drawing (visualize.draw.view_data) as SVG parts: the canvas box, the nodes with their
    shapes, the links' labels, and every segment of every link's route (arrows where the view has them). The
    template writes it; every text is escaped there."""
    points = {n["id"]: n for n in data["nodes"] if "x" in n}
    if not points:
        return {"width": 0, "height": 0, "nodes": [], "labels": [], "segments": []}
    nodes, labels, spans = [], [], []
    for n in points.values():
        lines = str(n.get("label") or "").split("\n")
        wide = max(text_width(line, 13) for line in lines) + 16
        if n.get("category") == "edge-label":
            labels.append({"x": n["x"], "y": n["y"] - 7 * (len(lines) - 1), "lines": lines})
            spans.append((n["x"] - wide / 2, n["x"] + wide / 2, n["y"] - 10, n["y"] + 14 * len(lines)))
        elif n.get("category") != "port":
            nodes.append({"x": n["x"], "y": n["y"], "shape": n.get("shape"), "color": n.get("color"),
                          "lines": lines, "width": wide, "height": 16 * len(lines) + 10})
            below = 8 * len(lines) + 5 if n.get("shape") == "box" else 36 + 16 * len(lines)
            spans.append((n["x"] - wide / 2, n["x"] + wide / 2, n["y"] - 18, n["y"] + below))
    pad = 12
    dx, dy = pad - min(a for a, _, _, _ in spans), pad - min(c for _, _, c, _ in spans)
    for item in (*nodes, *labels):
        item["x"] += dx
        item["y"] += dy
    segments = []
    for e in data["edges"]:
        a, b = points.get(e["from"]), points.get(e["to"])
        if a is None or b is None or e.get("hidden"):
            continue
        arrows = str(e.get("arrows") or "")
        x1, y1, x2, y2 = a["x"] + dx, a["y"] + dy, b["x"] + dx, b["y"] + dy
        x2, y2 = _stop(x1, y1, x2, y2, b)  # arrows end at a node's edge, not under it
        x1, y1 = _stop(x2, y2, x1, y1, a)
        segments.append({"x1": x1, "y1": y1, "x2": x2, "y2": y2, "to": "to" in arrows, "from": "from" in arrows})
    return {"width": max(b for _, b, _, _ in spans) + dx + pad, "height": max(d for _, _, _, d in spans) + dy + pad,
            "nodes": nodes, "labels": labels, "segments": segments}


def _stop(x1: float, y1: float, x2: float, y2: float, node: dict[str, Any]) -> tuple[float, float]:
    """Where a segment from (x1, y1) towards a node at (x2, y2) meets the node's shape."""
    if node.get("category") in ("port", "edge-label"):
        return x2, y2
    if node.get("shape") == "box":
        half = (max(text_width(line, 13) for line in str(node.get("label") or "").split("\n")) + 16) / 2
        return (x2 - half if x1 < x2 else x2 + half if x1 > x2 else x2), y2
    length = max(1.0, ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5)
    return x2 - (x2 - x1) * 16 / length, y2 - (y2 - y1) * 16 / length


def relatives_of(nodes: dict[str, dict[str, Any]], edges: list[dict[str, Any]]) -> set[str]:
    """People related by kinship to an official among the nodes (drawn as relatives)."""
    officials = {i for i, n in nodes.items() if n.get("official") or n.get("role") == "official"}
    out = set()
    for e in edges:
        if e.get("type") == "RELATIVE_OF":
            if e["src"] in officials:
                out.add(e["dst"])
            if e["dst"] in officials:
                out.add(e["src"])
    return out - officials


__all__ = ["node_data", "edge_data", "legend", "caption", "layered", "sheet_svg", "relatives_of", "COLUMN",
           "ROW", "WIDTH_MAX"]
