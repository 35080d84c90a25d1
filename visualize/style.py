"""How nodes and edges look: colour and shape by type, labels, tooltips, hierarchical levels."""

from __future__ import annotations

from typing import Any

CJK_FONTS = '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", sans-serif'

CATEGORIES = {  # category: (colour, shape, legend en, legend zh)
    "official": ("#d62728", "dot", "official", "公职人员"),
    "relative": ("#ff7f0e", "dot", "relative / associate", "亲属/关联人"),
    "person": ("#8c8c8c", "dot", "other person", "其他人员"),
    "company": ("#1f77b4", "box", "company", "企业"),
    "agency": ("#2ca02c", "diamond", "agency", "机关单位"),
    "village": ("#8c564b", "triangleDown", "village", "村（社区）"),
    "other": ("#9467bd", "square", "other organization", "其他组织"),
    "decision": ("#bcbd22", "triangle", "decision", "决定"),
}
LEVELS = {"official": 0, "relative": 1, "person": 1, "company": 2, "other": 2, "decision": 3, "agency": 4,
          "village": 4}


def category(node: dict[str, Any], relatives: set[str], node_id: str) -> str:
    if node.get("type") == "decision":
        return "decision"
    if node.get("type") == "organization":
        return node.get("kind") if node.get("kind") in ("company", "agency", "village") else "other"
    if node.get("role") == "official" or node.get("official"):
        return "official"
    if node.get("role") == "via" or node_id in relatives:
        return "relative"
    return "person"


def edge_label(d: dict[str, Any]) -> str:
    parts = [d.get("label") or d.get("type", "").lower()]
    if d.get("share") not in (None, ""):
        parts.append(f"{float(d['share']) * 100:.0f}%")
    start, end = d.get("start") or "", d.get("end") or ""
    if start or end:
        parts.append(f"{start}–{end}" if (end or d.get("type") in ("HOLDS_POST", "HOLDS_ROLE", "RELATIVE_OF"))
                     else start)
    return " ".join(p for p in parts if p)


def tooltip(node_id: str, node: dict[str, Any], cat: str) -> str:
    lines = [node.get("name") or node_id, f"id: {node_id}", f"type: {CATEGORIES[cat][2]}"]
    if node.get("kind") and node.get("type") != "person":
        lines.append(f"kind: {node['kind']}")
    return "\n".join(lines)
