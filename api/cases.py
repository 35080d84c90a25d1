"""Running a rule's own cases (rules/catalog/<id>/cases/*.toml) on a backend: `govties rules test` and the tests.

A case is a tiny dataset in the contract's format plus the findings the rule must give, as
{official_id, org_id, via_id, decision_ids, severity} (missing keys are not compared). Every finding's
explanation must also read: it names the finding's official, organization and person in between, fills every
placeholder and ends with the lead-for-review sentence. For a rule that lists the roles
it cannot place for want of a start date, optionally the roles it must list (`undated`, as {holder_id, org_id,
role, reported_on}; when a case gives no `undated`, they are not compared).
"""

from __future__ import annotations

import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..graph.backend import Backend
from ..graph.vocabulary import DISCLAIMER
from ..loaders import load_dataset
from ..rules.engine import default_as_of, resolve_params, run_rule
from ..rules.spec import Rule

KEYS = ("official_id", "org_id", "via_id", "decision_ids", "severity", "first_date", "last_date")
UNDATED_KEYS = ("holder_id", "org_id", "role", "reported_on")


@dataclass
class Case:
    rule: Rule
    name: str
    files: dict[str, str]
    expect: list[dict[str, Any]]
    params: dict[str, Any] = field(default_factory=dict)
    source: str = ""
    undated: list[dict[str, Any]] | None = None  # the roles it must list as undated; None: not compared


@dataclass
class CaseResult:
    case: Case
    backend: str
    got: list[dict[str, Any]]
    findings: list[dict[str, Any]]

    expected: list[dict[str, Any]] = field(default_factory=list)  # the case's expectation, merged ids canonical
    undated: list[dict[str, Any]] = field(default_factory=list)  # the roles the rule listed as undated

    lang: str = "en"

    @property
    def unreadable(self) -> list[str]:
        """What is wrong with the findings' explanations (nothing, when each reads)."""
        return [p for f in self.findings for p in explanation_problems(f, self.lang)]

    @property
    def passed(self) -> bool:
        if _project(self.got, self.expected) != _norm(self.expected) or self.unreadable:
            return False
        wanted = self.case.undated
        return wanted is None or _project(self.undated, wanted, UNDATED_KEYS) == _norm(wanted, UNDATED_KEYS)


def _norm(rows: list[dict[str, Any]], keys: tuple[str, ...] = KEYS) -> list[tuple]:
    return sorted(tuple((k, r.get(k) or "") for k in keys if k in r) for r in rows)


def _project(got: list[dict[str, Any]], expect: list[dict[str, Any]], keys: tuple[str, ...] = KEYS) -> list[tuple]:
    shown = [k for k in keys if any(k in e for e in expect)] or list(keys)
    return sorted(tuple((k, g.get(k) or "") for k in shown) for g in got)


def explanation_problems(finding: dict[str, Any], lang: str) -> list[str]:
    """Why a finding's explanation does not read: a name of the finding missing from it, a placeholder left in it,
    or no lead-for-review sentence at its end."""
    text, fid = finding.get("explanation") or "", finding.get("finding_id")
    problems = []
    for column in ("official_name", "org_name", "via_name"):
        name = finding.get(column)
        if name and name not in text:
            problems.append(f"{fid}: the explanation does not name {column} {name!r}: {text}")
    if "{" in text or "}" in text:
        problems.append(f"{fid}: the explanation has a placeholder left in it: {text}")
    if not text.endswith(DISCLAIMER[lang]):
        problems.append(f"{fid}: the explanation does not end with the lead-for-review sentence: {text}")
    return problems


def load_cases(rule: Rule) -> list[Case]:
    cases = []
    for path in rule.cases:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for c in data.get("case", []):
            files = {name: text.lstrip("\n") for name, text in c["files"].items()}
            undated = c.get("undated")
            cases.append(Case(rule, c["name"], files, list(c.get("expect", [])), dict(c.get("params", {})),
                              str(path), None if undated is None else list(undated)))
    return cases


def run_case(case: Case, backend: Backend, lang: str = "en") -> CaseResult:
    with tempfile.TemporaryDirectory(prefix="govties-case-") as tmp:
        for name, text in case.files.items():
            Path(tmp, name).write_text(text, encoding="utf-8")
        dataset = load_dataset(tmp)
    backend.load(dataset.tables)
    params = resolve_params(case.rule, case.params)
    run = run_rule(backend, case.rule, params, lang=lang, as_of=default_as_of(backend))
    got = [{k: f.get(k) for k in KEYS} for f in run.findings]
    # A finding may name a merged person by any of its ids: compare on the canonical id.
    expected = [{k: (dataset.resolution.map(v) if k in ("official_id", "via_id") else v) for k, v in e.items()}
                for e in case.expect]
    return CaseResult(case, backend.name, got, run.findings, expected, run.undated, lang)


def run_all(rules: list[Rule], backend_factory: Callable[[], Backend]) -> list[CaseResult]:
    results = []
    backend = backend_factory()
    try:
        for rule in rules:
            for case in load_cases(rule):
                results.append(run_case(case, backend))
    finally:
        backend.close()
    return results
