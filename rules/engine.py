"""Running rules on a backend and turning their rows into findings.

A rule's query returns *atoms*: one row per piece of evidence, with the columns official_id, org_id,
via_id, decision_id, first_date, last_date, amount, edges (a list of {src, dst, type, label, share,
start, end}), and any extra columns its explanation uses. Everything after the query is done here,
once for every backend: grouping atoms into findings, stable ids, scores, explanations, evidence.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ..graph.backend import Backend
from ..graph.model import FILE_TABLE
from ..graph.vocabulary import LANGS
from . import i18n, scoring
from .spec import ATOM_COLUMNS, Rule, RuleDefinitionError
from .undated import undated_rows

FINDING_COLUMNS = [
    "finding_id", "rule", "severity", "score", "official_id", "official_name", "org_id", "org_name", "via_id",
    "via_name", "decision_ids", "first_date", "last_date", "explanation", "evidence",
]
# Written after the contract's columns: a fingerprint of the evidence (see `fingerprint`).
EXTRA_COLUMNS = ["fingerprint"]
EDGE_KEYS = ("src", "dst", "type", "label", "share", "start", "end")


@dataclass
class RuleRun:
    rule: Rule
    status: str  # ran | skipped
    reason: str = ""
    findings: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    params: dict[str, Any] = field(default_factory=dict)
    undated: list[dict[str, Any]] = field(default_factory=list)  # roles it could not place (rules/undated.py)


@dataclass
class SweepResult:
    runs: list[RuleRun]
    as_of: str | None
    lang: str

    @property
    def findings(self) -> list[dict[str, Any]]:
        rows = [f for run in self.runs for f in run.findings]
        return sorted(rows, key=lambda f: (-f["score"], f["rule"], f["finding_id"]))

    @property
    def undated(self) -> list[dict[str, Any]]:
        """Every rule's roles it could not place for want of a start date, in the rules' order."""
        return [row for run in self.runs for row in run.undated]


def resolve_params(rule: Rule, overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    params = rule.defaults()
    for name, value in (overrides or {}).items():
        if name not in rule.parameters:
            raise RuleDefinitionError(f"rule {rule.id} has no parameter {name!r}; its parameters: "
                                      f"{', '.join(rule.parameters) or 'none'}")
        params[name] = rule.parameters[name].coerce(value, rule.id)
    return params


def missing_inputs(rule: Rule, counts: Mapping[str, int]) -> list[str]:
    return [f for f in rule.inputs if counts.get(FILE_TABLE[f], 0) == 0]


def run_rule(backend: Backend, rule: Rule, params: Mapping[str, Any], *, lang: str = "zh",
             as_of: str | None = None, counts: Mapping[str, int] | None = None) -> RuleRun:
    counts = counts if counts is not None else backend.counts()
    absent = missing_inputs(rule, counts)
    if absent:
        return RuleRun(rule, "skipped", f"needs {', '.join(absent)}, absent or empty in this dataset",
                       params=dict(params))
    started = time.perf_counter()
    query = rule.queries.get(backend.query_language)
    if query is None:
        raise RuleDefinitionError(f"rule {rule.id} has no {backend.query_language} query for the {backend.name} "
                                  "backend")
    atoms = backend.run(query, {**params, "as_of": as_of})
    findings = build_findings(backend, rule, atoms, params, lang, as_of)
    undated = []
    if rule.undated is not None:
        rows = backend.run(rule.undated.queries[backend.query_language], {**params, "as_of": as_of})
        undated = undated_rows(backend, rule, rows, lang)
    return RuleRun(rule, "ran", findings=findings, seconds=time.perf_counter() - started, params=dict(params),
                   undated=undated)


def sweep(backend: Backend, rules: list[Rule], overrides: Mapping[str, Mapping[str, Any]] | None = None, *,
          lang: str = "zh", as_of: str | None = None,
          progress: Callable[[str, int, int], None] | None = None, workers: int = 1) -> SweepResult:
    """Every rule on `backend`, in order. `workers` > 1 runs that many rules at once, each query on its own session
    (backends with the "concurrent-queries" feature: a Neo4j Community server runs each query on one core); the
    result is the same, in the same order."""
    overrides = overrides or {}
    all_params = {r.id: resolve_params(r, overrides.get(r.id)) for r in rules}  # fail before any work
    if workers > 1:
        backend.require("concurrent-queries")
    counts = backend.counts()
    as_of = as_of or backend.latest_date()

    def one(rule: Rule) -> RuleRun:
        return run_rule(backend, rule, all_params[rule.id], lang=lang, as_of=as_of, counts=counts)

    if workers > 1:
        runs = _concurrently(one, rules, workers, progress)
    else:
        runs = []
        for i, rule in enumerate(rules):
            if progress:
                progress(f"rule {rule.id}", i, len(rules))
            runs.append(one(rule))
    if progress:
        progress("rules", len(rules), len(rules))
    return SweepResult(runs, as_of, lang)


def _concurrently(one: Callable[[Rule], RuleRun], rules: list[Rule], workers: int,
                  progress: Callable[[str, int, int], None] | None) -> list[RuleRun]:
    """Rules `workers` at a time, their runs in the rules' order; progress names the rule being waited for. A
    failed rule (or Ctrl-C) cancels the rules not yet started; those running end with their query."""
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="govties-rule")
    try:
        futures = [pool.submit(one, rule) for rule in rules]
        runs = []
        for i, (rule, future) in enumerate(zip(rules, futures, strict=True)):
            if progress:
                progress(f"rule {rule.id}", i, len(rules))
            runs.append(future.result())
        return runs
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


# -- atoms to findings ----------------------------------------------------------------------------
def _edge(e: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: e.get(k) for k in EDGE_KEYS}
    if out["share"] is not None:
        out["share"] = round(float(out["share"]), 6)
    if e.get("reported_on") is not None:  # a company role's first record, only where a source gave one
        out["reported_on"] = e["reported_on"]
    return out


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _unique_sorted(items) -> list:
    """Items once each, in the order of their canonical JSON (each item is serialized once)."""
    keyed = {_canonical(x): x for x in items}
    return [keyed[k] for k in sorted(keyed)]


def finding_id(rule_id: str, key: tuple) -> str:
    return hashlib.sha256(_canonical([rule_id, *key]).encode("utf-8")).hexdigest()[:16]


def evidence_facts(edges: list[dict[str, Any]], amounts: Mapping[str, Any], first_date: str | None,
                   last_date: str | None) -> dict[str, Any]:
    """What a finding's evidence consists of: its edges (with labels, shares and dates), its decisions with their
    amounts, and the span of dates. Names and the score (which follows the sweep's as_of) are not evidence."""
    return {"edges": edges, "decisions": [[d, amounts[d]] for d in sorted(amounts)],
            "first_date": first_date, "last_date": last_date}


def fingerprint(facts: Mapping[str, Any]) -> str:
    """A hash of the evidence facts: the same evidence gives the same fingerprint in every run and on every
    backend; a changed amount, date, share or edge gives another. finding_id names the finding, the fingerprint
    its evidence: a confirmed or dismissed finding whose fingerprint changes is shown as changed since triage."""
    return hashlib.sha256(_canonical(facts).encode("utf-8")).hexdigest()[:16]


def build_findings(backend: Backend, rule: Rule, atoms: list[dict[str, Any]], params: Mapping[str, Any],
                   lang: str, as_of: str | None) -> list[dict[str, Any]]:
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for atom in atoms:
        atom = dict(atom)
        atom["edges"] = sorted((_edge(e) for e in atom.get("edges") or []), key=_canonical)
        groups.setdefault(tuple(atom.get(g) for g in rule.group_by), []).append(atom)
    ids: set[str] = set()
    for group in groups.values():
        for a in group:
            ids.update(x for x in (a.get("official_id"), a.get("org_id"), a.get("via_id"), a.get("decision_id")) if x)
            for e in a["edges"]:
                ids.update((e["src"], e["dst"]))
    nodes = backend.nodes(ids)
    findings = [_finding(rule, key, group, nodes, params, lang, as_of) for key, group in groups.items()]
    if rule.step:
        from .steps import STEPS

        findings = STEPS[rule.step](rule, findings, groups, lang)
    return sorted(findings, key=lambda f: f["finding_id"])


def _finding(rule, key, group, nodes, params, lang, as_of) -> dict[str, Any]:
    group = _unique_sorted(group)
    first = group[0]
    official, org, via = first.get("official_id"), first.get("org_id"), first.get("via_id")
    amounts = {a["decision_id"]: a.get("amount") for a in group if a.get("decision_id")}
    decision_ids = sorted(amounts)
    total = sum(v for v in amounts.values() if v) if amounts else None
    firsts = [a["first_date"] for a in group if a.get("first_date")]
    lasts = [a["last_date"] for a in group if a.get("last_date")]
    first_date, last_date = (min(firsts) if firsts else None), (max(lasts) if lasts else None)
    relations = [a.get("relation") for a in group] or [None]
    if rule.closeness_default and not any(relations):
        relations = [rule.closeness_default]
    value = scoring.score(rule.weight, relations, total, last_date, as_of)
    edges = _unique_sorted(e for a in group for e in a["edges"])
    evidence = _evidence(edges, nodes, official, org, via, decision_ids)
    name = lambda i: (nodes.get(i) or {}).get("name") if i else None  # noqa: E731

    def explain(language: str) -> str:
        context = _context(rule, group, params, language, official=official, org=org, via=via, name=name,
                           decision_ids=decision_ids, total=total, first_date=first_date, last_date=last_date)
        return rule.explain[language].format_map(_Blank(context)).strip() + ("" if language == "zh" else " ") \
            + i18n.WORDS[language]["lead"]

    explanations = {language: explain(language) for language in LANGS}  # the workbench shows either
    facts = evidence_facts(edges, amounts, first_date, last_date)
    return {
        "finding_id": finding_id(rule.id, key),
        "rule": rule.id,
        "severity": scoring.severity(rule.severity, value),
        "score": value,
        "official_id": official,
        "official_name": name(official),
        "org_id": org,
        "org_name": name(org),
        "via_id": via,
        "via_name": name(via),
        "decision_ids": ";".join(decision_ids),
        "first_date": first_date,
        "last_date": last_date,
        "explanation": explanations[lang],
        "evidence": _canonical(evidence),
        "fingerprint": fingerprint(facts),
        "_amount": total,
        "_explanations": explanations,
        "_facts": facts,
    }


def _evidence(edges, nodes, official, org, via, decision_ids) -> dict[str, Any]:
    roles = {official: "official", org: "org", via: "via"}
    roles.update({d: "decision" for d in decision_ids})
    ids = sorted({x for e in edges for x in (e["src"], e["dst"])} | {i for i in (official, org, via) if i})
    out_nodes = []
    for i in ids:
        n = nodes.get(i, {"id": i, "type": "unknown", "name": None, "kind": None})
        out_nodes.append({"id": i, "type": n["type"], "kind": n.get("kind"), "name": n.get("name"),
                          "role": roles.get(i, "other")})
    return {"nodes": out_nodes, "edges": edges}


class _Blank(dict):
    def __missing__(self, key):
        return ""


def _context(rule, group, params, lang, *, official, org, via, name, decision_ids, total, first_date, last_date):
    words = i18n.WORDS[lang]
    relation = next((a.get("relation") for a in group if a.get("relation")), None)
    roles = sorted({a.get("role") for a in group if a.get("role")})
    ctx: dict[str, Any] = {}
    for a in reversed(group):  # the first atom's extras win
        for k, v in a.items():
            if k not in ATOM_COLUMNS and v is not None:
                ctx[k] = _localize(k, v, lang)
    decisions_text = ""
    if decision_ids:
        decisions_text = words["decisions"].format(n=len(decision_ids), ids=";".join(decision_ids))
        if total:
            decisions_text += words["amount"].format(amount=i18n.money(total))
    ctx.update({
        "official_id": official, "official_name": name(official) or official or "",
        "org_id": org, "org_name": name(org) or org or "",
        "via_id": via, "via_name": name(via) or via or "",
        "relation": i18n.word(i18n.RELATION, lang, relation),
        "role": words["and"].join(i18n.word(i18n.ROLE, lang, r) for r in roles),
        "decision_count": len(decision_ids), "decision_ids": ";".join(decision_ids),
        "decisions_text": decisions_text, "amount_total": i18n.money(total),
        "first_date": first_date or "", "last_date": last_date or "",
    })
    for column in rule.aggregate:
        values = sorted({str(_localize(column, a[column], lang)) for a in group if a.get(column) is not None})
        ctx[column] = words["and"].join(values)
    ctx.update({f"param_{k}": v for k, v in params.items()})
    ctx.update({f"param_{k}_money": i18n.money(v) for k, v in params.items()
                if isinstance(v, (int, float)) and not isinstance(v, bool)})
    for column, values in rule.labels.items():
        present = {a.get(column) for a in group}
        texts = [texts[lang].format_map(_Blank(ctx)) for value, texts in values.items() if value in present]
        ctx[f"{column}_text"] = ("；" if lang == "zh" else "; ").join(texts)
    return ctx


def _localize(key: str, value: Any, lang: str) -> Any:
    if key.endswith("rank"):
        return i18n.word(i18n.RANK, lang, value)
    if key.endswith("role"):
        return i18n.word(i18n.ROLE, lang, value)
    if key.endswith("relation"):
        return i18n.word(i18n.RELATION, lang, value)
    if key.endswith("kind"):
        return i18n.word(i18n.DECISION_KIND, lang, value)
    if isinstance(value, float):
        return i18n.money(value)
    return value
