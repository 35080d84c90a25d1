"""Findings and their evidence as FollowTheMoney entities (JSON lines) for Aleph: the people, organizations and
decisions of each finding's path, an UnknownLink per evidence edge, and a Note per finding that carries its
explanation. Needs the `followthemoney` package (pip install 'govties[ftm]')."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import DISCLAIMER_EN
from ..cells import encodable
from ..errors import GovtiesError, MissingExtra
from ..files import atomic_path

NODE_SCHEMA = {"person": "Person", "company": "Company", "agency": "PublicBody", "village": "PublicBody",
               "other": "Organization", "decision": "Event"}


def _schema(node: dict[str, Any]) -> str:
    if node.get("type") == "person":
        return "Person"
    if node.get("type") == "decision":
        return "Event"
    return NODE_SCHEMA.get(node.get("kind") or "other", "Organization")


def _evidence(f: dict[str, Any], line: int, source: str) -> dict[str, Any]:
    """A finding's evidence, checked: nodes with ids, edges with src, dst and type. An evidence cell that was cut
    (an Excel cell holds 32,767 characters) or edited is one clear error, not a crash."""
    def bad(what: str) -> GovtiesError:
        return GovtiesError(f"{source}, line {line}, column evidence: {what}; fix: export the findings again with "
                            "govties sweep (JSON lines and CSV keep the evidence whole)")

    raw = f.get("evidence")
    try:
        evidence = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        raise bad("is not valid JSON (cut or edited?)") from None
    if not isinstance(evidence, dict):
        raise bad("is not a JSON object with nodes and edges")
    nodes, edges = evidence.get("nodes", []), evidence.get("edges", [])
    if not (isinstance(nodes, list) and all(isinstance(n, dict) and isinstance(n.get("id"), str) for n in nodes)):
        raise bad("has nodes without an id")
    if not (isinstance(edges, list) and all(isinstance(e, dict) and isinstance(e.get("src"), str)
                                            and isinstance(e.get("dst"), str) and isinstance(e.get("type"), str)
                                            for e in edges)):
        raise bad("has edges without src, dst or type")
    return {"nodes": nodes, "edges": edges}


def findings_to_ftm(findings: list[dict[str, Any]], out: str | Path, source: str = "findings") -> int:
    try:
        from followthemoney import model
    except ImportError as exc:
        raise MissingExtra("FollowTheMoney export", "ftm", "followthemoney") from exc
    entities: dict[str, Any] = {}

    def node_entity(node):
        eid = f"govties-{node['id']}"
        if eid not in entities:
            e = model.make_entity(_schema(node))
            e.id = eid
            e.add("name", node.get("name") or node["id"])
            entities[eid] = e
        return entities[eid]

    for line, f in enumerate(findings, start=2):
        evidence = _evidence(f, line, source)
        nodes = {n["id"]: node_entity(n) for n in evidence["nodes"]}
        for edge in evidence["edges"]:
            if edge["src"] not in nodes or edge["dst"] not in nodes:
                continue
            link = model.make_entity("UnknownLink")
            link.make_id("govties-link", edge["src"], edge["dst"], edge["type"], edge.get("label") or "",
                         edge.get("start") or "")
            link.add("subject", nodes[edge["src"]].id)
            link.add("object", nodes[edge["dst"]].id)
            link.add("role", " ".join(x for x in (edge["type"], edge.get("label") or "") if x))
            if edge.get("start"):
                link.add("startDate", edge["start"])
            if edge.get("end"):
                link.add("endDate", edge["end"])
            entities[link.id] = link
        note = model.make_entity("Note")
        note.id = f"govties-finding-{f['finding_id']}"
        note.add("name", f"{f['rule']} {f['finding_id']} ({f['severity']}, score {f['score']})")
        note.add("description", f"{f['explanation']} {DISCLAIMER_EN}")
        if f.get("official_id") and f["official_id"] in nodes:
            note.add("entity", nodes[f["official_id"]].id)
        entities[note.id] = note
    with atomic_path(out) as tmp, tmp.open("w", encoding="utf-8") as fh:
        for e in entities.values():
            fh.write(encodable(json.dumps(e.to_dict(), ensure_ascii=False, sort_keys=True)) + "\n")
    return len(entities)
