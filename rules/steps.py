"""Named steps a rule can ask for in rule.toml (`step = "..."`); they run in Python on the
query's atoms after the backend, so every backend shares them."""

from __future__ import annotations

import hashlib
from typing import Any

from ..graph.vocabulary import counted
from . import canonical, i18n


def bid_rings(rule, findings: list[dict[str, Any]], groups: dict[tuple, list[dict]], lang: str) -> list[dict]:
    """Bidders linked (shared holder, address or phone) across all tenders form rings: the connected components
    of that graph. Each finding's evidence names its ring, the ring's size and its tenders."""
    parent: dict[str, str] = {}  # union-find over bidders: each points towards its component's root

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    tenders_of: dict[str, set[str]] = {}
    for atoms in groups.values():
        for a in atoms:
            ends = (a["org_id"], a["other_bidder"])
            for bidder in ends:
                parent.setdefault(bidder, bidder)
                tenders_of.setdefault(bidder, set()).add(a["decision_id"])
            parent[root(ends[0])] = root(ends[1])
    components: dict[str, list[str]] = {}
    for bidder in parent:
        components.setdefault(root(bidder), []).append(bidder)
    ring_of: dict[str, dict[str, Any]] = {}
    for component in components.values():
        members = sorted(component)
        tenders = sorted(set().union(*(tenders_of[m] for m in members)))
        ring = {"id": "ring-" + hashlib.sha256("|".join(members).encode()).hexdigest()[:10],
                "size": len(members), "members": members, "tenders": tenders}
        for m in members:
            ring_of[m] = ring
    out = []
    for f in findings:
        its_ring = ring_of.get(f["org_id"])
        if its_ring:
            # the evidence is canonical JSON whose last key is "nodes": the ring's key sorts after it
            f = {**f, "evidence": f["evidence"][:-1] + ', "ring": ' + canonical.dumps(its_ring) + "}"}
            before: dict[str, str] = f.get("_explanations") or {lang: f["explanation"]}
            texts = {language: _ring_note(text, its_ring, language) for language, text in before.items()}
            f["_explanations"] = texts
            f["explanation"] = texts[lang]
        out.append(f)
    return out


def _ring_note(explanation: str, ring: dict[str, Any], lang: str) -> str:
    note = (f"该公司属于一个由{ring['size']}家投标人组成的关联圈（{ring['id']}），"
            f"涉及{len(ring['tenders'])}次招标。"
            if lang == "zh" else
            f" The bidder belongs to a ring of {ring['size']} linked bidders ({ring['id']}) across "
            + counted(f"{len(ring['tenders'])} tender(s).", len(ring["tenders"])))
    lead = i18n.WORDS[lang]["lead"]
    return explanation.replace(lead, "").rstrip() + note + ("" if lang == "zh" else " ") + lead


STEPS = {"bid_rings": bid_rings}

