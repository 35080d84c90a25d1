"""Findings and their evidence as FollowTheMoney entities (JSON lines) for Aleph, in the schema's own terms:

- people -> Person; companies -> Company; agencies, villages and public institutions -> PublicBody; other
  organizations -> Organization;
- a contract or procurement decision -> Contract (its issuer the authority), any other decision -> Event (its
  issuer the organizer);
- a shareholder -> Ownership (percentage), legal representative, director, supervisor, executive ->
  Directorship (role), employee and adviser -> Employment, kinship -> Family (relationship), a post -> Position
  (title at the organization) and Occupancy (dates), a contract's beneficiary or a tender's winner ->
  ContractAward (amount, date), a subsidy's beneficiary -> Payment (payer, amount, date);
- what FtM has no link for (who approved a decision, other decisions' beneficiaries, a losing bid, a shared
  address or phone) -> UnknownLink with the role;
- a Note per finding carries its explanation and the disclaimer.

Amounts, titles and issuers come from `details` (Backend.details of the decisions) when given. Needs the
`followthemoney` package (pip install 'govties[ftm]')."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import DISCLAIMER_EN
from ..errors import MissingExtra
from ..files import atomic_path
from ..graph.vocabulary import EDGE_TYPE, MAKER_ROLE, RELATION, ROLE

ORG_SCHEMA = {"company": "Company", "agency": "PublicBody", "village": "PublicBody", "institution": "PublicBody",
              "association": "Organization", "other": "Organization"}
CONTRACT_KINDS = ("contract", "procurement")
DIRECTORS = ("legal_rep", "director", "supervisor", "executive")
EMPLOYEES = ("employee", "adviser")


def _schema(node: dict[str, Any]) -> str:
    if node.get("type") == "person":
        return "Person"
    if node.get("type") == "decision":
        return "Contract" if node.get("kind") in CONTRACT_KINDS else "Event"
    return ORG_SCHEMA.get(node.get("kind") or "other", "Organization")


def _amount(value: Any) -> str | None:
    return f"{float(value):.2f}".rstrip("0").rstrip(".") if value not in (None, "") else None


class _Writer:
    def __init__(self, model, details: dict[str, dict[str, Any]]):
        self.model = model
        self.details = details
        self.entities: dict[str, Any] = {}

    def node(self, node: dict[str, Any]):
        eid = f"govties-{node['id']}"
        if eid not in self.entities:
            e = self.model.make_entity(_schema(node))
            e.id = eid
            info = self.details.get(node["id"], {})
            e.add("name", info.get("title") or node.get("name") or node["id"])
            if e.schema.name == "Contract":
                e.add("title", info.get("title") or node.get("name") or node["id"])
                e.add("amount", _amount(info.get("amount")))
                e.add("contractDate", info.get("date"))
            elif e.schema.name == "Event":
                e.add("date", info.get("date"))
            self.entities[eid] = e
            issuer = self.issuer(node["id"])
            if issuer is not None:
                e.add("authority" if e.schema.name == "Contract" else "organizer", issuer.id)
        return self.entities[eid]

    def issuer(self, decision_id: str):
        """The public body that issued a decision, from its details (None without them)."""
        info = self.details.get(decision_id, {})
        if not info.get("agency_id"):
            return None
        eid = f"govties-{info['agency_id']}"
        if eid not in self.entities:
            e = self.model.make_entity("PublicBody")
            e.id = eid
            e.add("name", info.get("agency_name") or info["agency_id"])
            self.entities[eid] = e
        return self.entities[eid]

    def link(self, schema: str, parts: tuple, **props: Any):
        e = self.model.make_entity(schema)
        e.make_id("govties", schema, *[p or "" for p in parts])
        for prop, value in props.items():
            if value not in (None, ""):
                e.add(prop, value)
        self.entities.setdefault(e.id, e)
        return e

    def edge(self, edge: dict[str, Any], nodes: dict[str, Any], kinds: dict[str, dict[str, Any]]) -> None:
        src, dst = nodes[edge["src"]], nodes[edge["dst"]]
        t, label = edge["type"], edge.get("label") or ""
        start, end = edge.get("start") or None, edge.get("end") or None
        key = (edge["src"], edge["dst"], t, label, start or "")
        person = {n for n, e in nodes.items() if e.schema.name == "Person"}
        if t == "HOLDS_ROLE" and label == "shareholder":
            share = edge.get("share")
            self.link("Ownership", key, owner=src.id, asset=dst.id, role=ROLE.label(label, "en"), startDate=start,
                      endDate=end, percentage=f"{float(share) * 100:g}" if share not in (None, "") else None)
        elif t == "HOLDS_ROLE" and label in DIRECTORS:
            self.link("Directorship", key, director=src.id, organization=dst.id, role=ROLE.label(label, "en"),
                      startDate=start, endDate=end)
        elif t == "HOLDS_ROLE" and label in EMPLOYEES and edge["src"] in person:
            self.link("Employment", key, employee=src.id, employer=dst.id, role=ROLE.label(label, "en"),
                      startDate=start, endDate=end)
        elif t == "RELATIVE_OF" and edge["src"] in person and edge["dst"] in person:
            self.link("Family", key, person=src.id, relative=dst.id, relationship=RELATION.label(label, "en"),
                      startDate=start, endDate=end)
        elif t == "HOLDS_POST" and edge["src"] in person:
            post = self.link("Position", (edge["dst"], label), name=", ".join(x for x in (label, dst.first("name"))
                                                                             if x), organization=dst.id)
            self.link("Occupancy", key, holder=src.id, post=post.id, startDate=start, endDate=end)
        elif t == "ISSUED_BY":
            prop = "authority" if src.schema.name == "Contract" else "organizer"
            if dst.id not in src.get(prop):
                src.add(prop, dst.id)
        elif t == "BENEFITS" and src.schema.name == "Contract":
            self._award(key, src, dst, edge["src"], start)
        elif t == "BID" and label == "won" and dst.schema.name == "Contract":
            self._award(key, dst, src, edge["dst"], start)
        elif t == "BENEFITS" and kinds.get(edge["src"], {}).get("kind") == "subsidy":
            info = self.details.get(edge["src"], {})
            payer = self.issuer(edge["src"])
            self.link("Payment", key, payer=payer.id if payer is not None else None, beneficiary=dst.id,
                      amount=_amount(info.get("amount")), date=info.get("date") or start,
                      purpose=info.get("title"))
        else:
            role = {"DECIDED": MAKER_ROLE.label(label, "en") if label else "decided", "BENEFITS": "beneficiary",
                    "BID": "bidder"}.get(t, ": ".join(x for x in (EDGE_TYPE.label(t, "en"), label) if x))
            self.link("UnknownLink", key, subject=src.id, object=dst.id, role=role, startDate=start, endDate=end)

    def _award(self, key: tuple, contract, supplier, decision_id: str, start: str | None) -> None:
        info = self.details.get(decision_id, {})
        self.link("ContractAward", key, contract=contract.id, supplier=supplier.id,
                  amount=_amount(info.get("amount")), date=info.get("date") or start)


def findings_to_ftm(findings: list[dict[str, Any]], out: str | Path,
                    details: dict[str, dict[str, Any]] | None = None) -> int:
    try:
        from followthemoney import model
    except ImportError as exc:
        raise MissingExtra("FollowTheMoney export", "ftm", "followthemoney") from exc
    writer = _Writer(model, details or {})
    for f in findings:
        evidence = json.loads(f["evidence"]) if isinstance(f["evidence"], str) else f["evidence"]
        kinds = {n["id"]: n for n in evidence.get("nodes", [])}
        nodes = {n["id"]: writer.node(n) for n in evidence.get("nodes", [])}
        for edge in evidence.get("edges", []):
            if edge["src"] in nodes and edge["dst"] in nodes:
                writer.edge(edge, nodes, kinds)
        note = model.make_entity("Note")
        note.id = f"govties-finding-{f['finding_id']}"
        note.add("name", f"{f['rule']} {f['finding_id']} ({f['severity']}, score {f['score']})")
        note.add("description", f"{f['explanation']} {DISCLAIMER_EN}")
        if f.get("official_id") and f["official_id"] in nodes:
            note.add("entity", nodes[f["official_id"]].id)
        writer.entities[note.id] = note
    with atomic_path(out) as tmp, tmp.open("w", encoding="utf-8") as fh:
        for e in writer.entities.values():
            fh.write(json.dumps(e.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
    return len(writer.entities)
