"""Graph data for the workbench's pages: nodes and edges as the scripts draw them, and a layered left-to-right
layout for one finding's path in which no two nodes overlap and every edge can be read.

Layers are the distance from the path's root (the official, else the organization) over the path's edges taken
both ways, so every edge joins two neighbouring layers or runs within one (drawn curved); inside a layer, nodes
follow the mean position of their neighbours in the layer before (fewer crossings). Columns are wider than a
label may grow and rows taller than a wrapped label, so nodes cannot overlap.

The sheet draws the same layout as SVG (printable, no script)."""

from __future__ import annotations

from collections import defaultdict, deque
from typing import Any

from ..visualize.style import CATEGORIES, category
from .words import edge_word

COLUMN = 300  # px between layers
ROW = 120  # px between nodes of a layer
LABEL_MAX = 14  # characters of a node label (the rest in its tooltip)
WIDTH_MAX = 170  # px a node's label may take before it wraps


def node_data(node_id: str, info: dict[str, Any], relatives: set[str], role: str | None = None,
              lang: str = "zh") -> dict[str, Any]:
    d = {**info, "role": role or info.get("role")}
    cat = category(d, relatives, node_id)
    name = info.get("name") or node_id
    colour, shape, en, zh = CATEGORIES[cat]
    return {"id": node_id, "label": name if len(name) <= LABEL_MAX else name[:LABEL_MAX - 1] + "…", "name": name,
            "type": info.get("type") or "unknown", "kind": info.get("kind") or "", "category": cat,
            "category_label": zh if lang == "zh" else en, "color": colour, "shape": shape}


def legend(lang: str) -> list[dict[str, str]]:
    return [{"category": c, "color": col, "label": zh if lang == "zh" else en}
            for c, (col, _shape, en, zh) in CATEGORIES.items()]


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


def layered(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], root: str | None) -> dict[str, dict[str, int]]:
    """id -> {x, y, level}: the layered left-to-right layout of a small graph (a finding's path)."""
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

        def weight(i: str, lv: int = lv) -> tuple[float, str]:
            before = [order[j] for j in adjacent[i] if j in order and level[j] == lv - 1]
            return (sum(before) / len(before) if before else float("inf"), i)

        members.sort(key=weight)
        for k, i in enumerate(members):
            order[i] = k
    out = {}
    for lv, members in layers.items():
        top = -(len(members) - 1) * ROW / 2
        for k, i in enumerate(members):
            out[i] = {"x": lv * COLUMN, "y": int(top + k * ROW), "level": lv}
    return out


def svg(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], positions: dict[str, dict[str, int]]) -> dict:
    """What the sheet's SVG needs: the canvas box, nodes at their positions, edges as lines (curved within a
    layer) with a label point. The template writes it; every text is escaped there."""
    if not positions:
        return {"width": 0, "height": 0, "nodes": [], "edges": []}
    xs = [p["x"] for p in positions.values()]
    ys = [p["y"] for p in positions.values()]
    pad_x, pad_y = 110, 60
    dx, dy = pad_x - min(xs), pad_y - min(ys)
    placed = [{**n, "x": positions[n["id"]]["x"] + dx, "y": positions[n["id"]]["y"] + dy} for n in nodes
              if n["id"] in positions]
    at = {n["id"]: n for n in placed}
    lines = []
    for e in edges:
        a, b = at.get(e["from"]), at.get(e["to"])
        if a is None or b is None:
            continue
        same = positions[e["from"]]["level"] == positions[e["to"]]["level"]
        mx, my = (a["x"] + b["x"]) / 2 + (60 if same else 0), (a["y"] + b["y"]) / 2
        if same:
            path = f"M{a['x']},{a['y']} Q{a['x'] + 120},{my} {b['x']},{b['y']}"
        else:  # end the line at the node's edge, so the arrow shows
            length = max(1.0, ((b["x"] - a["x"]) ** 2 + (b["y"] - a["y"]) ** 2) ** 0.5)
            ex, ey = b["x"] - (b["x"] - a["x"]) * 18 / length, b["y"] - (b["y"] - a["y"]) * 18 / length
            path = f"M{a['x']},{a['y']} L{ex:.1f},{ey:.1f}"
        lines.append({**e, "path": path, "lx": mx, "ly": my - 6})
    return {"width": max(xs) - min(xs) + 2 * pad_x, "height": max(ys) - min(ys) + 2 * pad_y, "nodes": placed,
            "edges": lines}


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


__all__ = ["node_data", "edge_data", "legend", "caption", "layered", "svg", "relatives_of", "COLUMN", "ROW",
           "WIDTH_MAX"]
