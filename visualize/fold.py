"""Folding decisions: the decisions an issuer made for one beneficiary become one weighted edge issuer →
beneficiary (how many, total amount, first and last date), so a busy agency is one fan of edges, not hundreds of
triangles. A decision maker's edges to folded decisions become one edge maker → beneficiary per role, a bidder's
one edge bidder → issuer. Decisions whose issuer or beneficiary is not in the graph stay as they are."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx


def foldable(g: nx.MultiDiGraph) -> dict[str, tuple[str, str]]:
    """decision -> (issuer, beneficiary) for every decision of `g` with both ends in `g`."""
    ends: dict[str, dict[str, str]] = defaultdict(dict)
    for u, v, d in g.edges(data=True):
        if d.get("type") in ("ISSUED_BY", "BENEFITS") and g.nodes[u].get("type") == "decision":
            ends[u][d["type"]] = v
    return {dec: (e["ISSUED_BY"], e["BENEFITS"]) for dec, e in ends.items() if len(e) == 2}


def folded_edges(g: nx.MultiDiGraph) -> list[tuple[str, str, str, dict[str, Any]]]:
    """The weighted edges (u, v, key, data) that stand for the foldable decisions of `g`; data['decisions']
    lists the decisions each stands for, data['edges'] the keys of the edges of `g` it stands for."""
    folds = foldable(g)
    groups: dict[tuple[str, str, str, str], dict[str, Any]] = {}

    def add(u: str, v: str, kind: str, label: str, dec: str, edges: list[str]) -> None:
        key = (u, v, kind, label)
        grp = groups.setdefault(key, {"type": kind, "label": label, "decisions": [], "amount": 0.0,
                                      "dates": [], "edges": []})
        if dec not in grp["decisions"]:
            grp["decisions"].append(dec)
            grp["amount"] += amounts.get(dec) or 0.0
            if dates.get(dec):
                grp["dates"].append(dates[dec])
        grp["edges"].extend(edges)

    # a decision's amount and date from its details where the view has them, its date also from its edges
    amounts = {dec: (g.nodes[dec].get("details") or {}).get("amount") for dec in folds}
    dates = {dec: (g.nodes[dec].get("details") or {}).get("date") for dec in folds}
    for u, _, d in g.edges(data=True):
        if u in folds and not dates.get(u) and d.get("start"):
            dates[u] = d["start"]
    for dec, (issuer, beneficiary) in sorted(folds.items()):
        add(issuer, beneficiary, "DECISIONS", "", dec,
            [k for _, _, k, d in g.out_edges(dec, keys=True, data=True) if d.get("type") in ("ISSUED_BY", "BENEFITS")])
        for u, _, k, d in g.in_edges(dec, keys=True, data=True):
            if d.get("type") == "DECIDED":
                add(u, beneficiary, "DECIDED", d.get("label") or "", dec, [k])
            elif d.get("type") == "BID":
                add(u, issuer, "BID", d.get("label") or "", dec, [k])
    out = []
    for (u, v, kind, label), grp in sorted(groups.items()):
        when = sorted(grp.pop("dates"))
        data = grp | {"weight": len(grp["decisions"]), "start": when[0] if when else "",
                      "end": when[-1] if len(when) > 1 else "", "share": None, "folded": True}
        out.append((u, v, f"fold|{u}|{v}|{kind}|{label}", data))
    return out


def fold(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of `g` with its foldable decisions folded into weighted edges."""
    import networkx as nx  # here: a command that draws nothing does not load it

    folds = foldable(g)
    out = nx.MultiDiGraph()
    out.add_nodes_from((n, d) for n, d in g.nodes(data=True) if n not in folds)
    out.add_edges_from((u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True)
                       if u not in folds and v not in folds)
    for u, v, key, data in folded_edges(g):
        out.add_edge(u, v, key=key, **{k: (", ".join(val) if isinstance(val, list) else val)
                                        for k, val in data.items() if k != "edges"})
    return out
