"""Every rule's own cases (positives and near-misses), on every backend."""

from __future__ import annotations

import pytest

from govties.api.cases import load_cases, run_case
from govties.rules.catalog import catalog

CASES = [(rule.id, case) for rule in catalog().values() for case in load_cases(rule)]


def test_every_rule_has_positive_and_negative_cases():
    for rule in catalog().values():
        cases = load_cases(rule)
        assert any(c.expect for c in cases), f"{rule.id} has no positive case"
        assert any(not c.expect for c in cases), f"{rule.id} has no near-miss case"


@pytest.mark.parametrize("rule_id,case", CASES, ids=[f"{r}: {c.name}" for r, c in CASES])
def test_case(rule_id, case, backend):
    """Each case in English on Neo4j and in Chinese on the embedded backend: the findings, and explanations that
    name who and what they are about and end with the lead-for-review sentence."""
    result = run_case(case, backend, lang="zh" if backend.name == "duckdb" else "en")
    assert not result.unreadable, result.unreadable
    assert result.passed, (f"{rule_id} on {backend.name}: expected {result.expected}, got {result.got}"
                           + ("" if case.undated is None else
                              f"; expected undated {case.undated}, got {result.undated}"))
