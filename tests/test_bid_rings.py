"""bid-collusion's step (rules/steps.py bid_rings): bidders linked across tenders form rings."""

from __future__ import annotations

import json

import pytest

from govties.loaders import load_dataset
from govties.rules import i18n
from govties.rules.catalog import catalog
from govties.rules.engine import sweep

from conftest import DEMO


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_bidder_is_named_in_its_ring_and_the_explanation_still_ends_with_the_lead(duckdb_backend, lang):
    duckdb_backend.load(load_dataset(DEMO).tables)
    findings = sweep(duckdb_backend, [catalog()["bid-collusion"]], lang=lang).findings
    assert findings, "the demo plants colluding bidders"
    rings: dict[str, dict] = {}
    for f in findings:
        evidence = json.loads(f["evidence"])
        ring = evidence["ring"]
        assert f["org_id"] in ring["members"] and ring["size"] == len(ring["members"])
        assert set(f["decision_ids"].split(";")) <= set(ring["tenders"])
        assert rings.setdefault(ring["id"], ring) == ring, "one ring id, one ring"
        assert f["explanation"].count(ring["id"]) == 1
        assert f["explanation"].endswith(i18n.WORDS[lang]["lead"])
        assert f["explanation"].count(i18n.WORDS[lang]["lead"]) == 1
    members = [m for ring in rings.values() for m in ring["members"]]
    assert len(members) == len(set(members)), "rings are disjoint: a bidder is in one ring"
    assert any(ring["size"] > 2 for ring in rings.values()), "the demo links three bidders into one ring"
