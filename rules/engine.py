"""Running rules on a backend.

A rule's query returns *atoms*: one row per piece of evidence, with the columns official_id, org_id,
via_id, decision_id, first_date, last_date, amount, edges (a list of {src, dst, type, label, share,
start, end}), and any extra columns its explanation uses. Everything after the query is done once for
every backend (rules.findings: grouping atoms into findings, stable ids, scores, explanations, evidence).
A sweep runs the rules' queries in order on a reader of the backend's own (another thread), while this thread
builds the findings of each rule whose rows have come: the queries run in the database engine, the findings in
Python, and the two overlap. The rules whose queries have ended when this thread comes to them are taken as one
batch, whose rows look up the nodes no earlier batch named: a sweep looks every node up once, in few lookups. The
findings are the same, in the same order, as when each rule is queried and built in turn.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from ..graph.backend import Backend
from ..graph.model import FILE_TABLE
from ..titles import FINDING_COLUMNS
from . import i18n
from .collector import no_cycle_collection
from .findings import Nodes, atom_ids, build_findings, evidence_facts, finding_id, fingerprint
from .spec import Rule, RuleDefinitionError
from .undated import undated_rows

# Written after the contract's columns: a fingerprint of the evidence (see rules.findings.fingerprint).
EXTRA_COLUMNS = ["fingerprint"]


@dataclass
class RuleRun:
    rule: Rule
    status: str  # ran | skipped
    reason: str = ""
    findings: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0  # its queries and its findings
    query_seconds: float = 0.0  # its queries alone (in a sweep, on the reader's thread, beside other rules' findings)
    params: dict[str, Any] = field(default_factory=dict)
    undated: list[dict[str, Any]] = field(default_factory=list)  # roles it could not place (rules/undated.py)
    missing: list[str] = field(default_factory=list)  # skipped: the input files it needs that are absent or empty

    def why(self, lang: str) -> str:
        """Why it was skipped, in `lang` (`reason` is the English, as records keep it)."""
        return skipped_for(self.missing, lang) if self.missing else self.reason


@dataclass
class SweepResult:
    runs: list[RuleRun]
    as_of: str | None
    lang: str
    later: str | None = None  # the latest date in the data, when after the sweep's as_of

    @property
    def findings(self) -> list[dict[str, Any]]:
        rows = [f for run in self.runs for f in run.findings]
        return sorted(rows, key=lambda f: (-f["score"], f["rule"], f["finding_id"]))

    @property
    def undated(self) -> list[dict[str, Any]]:
        """Every rule's roles it could not place for want of a start date, in the rules' order."""
        return [row for run in self.runs for row in run.undated]


def default_as_of(backend: Backend) -> str | None:
    """A sweep's reference date when none is given: the latest date in the graph that is not after today (a date
    mistyped into the future does not move it; validation warns about such dates)."""
    return backend.latest_date(until=datetime.date.today().isoformat())


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


@dataclass
class Queried:
    """A rule's query results, before its findings are built."""
    run: RuleRun
    atoms: list[dict[str, Any]] = field(default_factory=list)
    undated: list[dict[str, Any]] = field(default_factory=list)

    def ids(self) -> set[str]:
        return atom_ids(self.atoms) | {i for r in self.undated for i in (r.get("holder_id"), r.get("org_id")) if i}


def skipped_for(missing: Iterable[str], lang: str) -> str:
    """Why a rule was skipped: the input files it needs that are absent or empty, in `lang`."""
    words = i18n.WORDS["zh" if lang == "zh" else "en"]
    return words["skipped"].format(files=words["and"].join(missing))


def query_rule(backend: Backend, rule: Rule, params: Mapping[str, Any], as_of: str | None,
               counts: Mapping[str, int]) -> Queried:
    """The first stage of a sweep for one rule: its queries (or why it was skipped)."""
    absent = missing_inputs(rule, counts)
    if absent:
        return Queried(RuleRun(rule, "skipped", skipped_for(absent, "en"), params=dict(params), missing=list(absent)))
    started = time.perf_counter()
    query = rule.queries.get(backend.query_language)
    if query is None:
        raise RuleDefinitionError(f"rule {rule.id} has no {backend.query_language} query for the {backend.name} "
                                  "backend")
    atoms = backend.run(query, {**params, "as_of": as_of})
    undated = []
    if rule.undated is not None:
        undated = backend.run(rule.undated.queries[backend.query_language], {**params, "as_of": as_of})
    took = time.perf_counter() - started
    return Queried(RuleRun(rule, "ran", seconds=took, query_seconds=took, params=dict(params)), atoms, undated)


def _finish(backend: Backend, queried: Queried, lang: str, as_of: str | None,
            nodes: Mapping[str, dict[str, Any]] | None) -> RuleRun:
    run = queried.run
    if run.status != "ran":
        return run
    started = time.perf_counter()
    run.findings = build_findings(backend, run.rule, queried.atoms, run.params, lang, as_of, nodes)
    if run.rule.undated is not None:
        run.undated = undated_rows(backend, run.rule, queried.undated, lang, nodes)
    run.seconds += time.perf_counter() - started
    return run


def run_rule(backend: Backend, rule: Rule, params: Mapping[str, Any], *, lang: str = "zh",
             as_of: str | None = None, counts: Mapping[str, int] | None = None) -> RuleRun:
    counts = counts if counts is not None else backend.counts()
    queried = query_rule(backend, rule, params, as_of, counts)
    with no_cycle_collection():
        return _finish(backend, queried, lang, as_of, None)


def sweep(backend: Backend, rules: list[Rule], overrides: Mapping[str, Mapping[str, Any]] | None = None, *,
          lang: str = "zh", as_of: str | None = None,
          progress: Callable[[str, int, int], None] | None = None, workers: int = 1) -> SweepResult:
    """Every rule on `backend`, in order. Its queries run on the backend's reader (another thread) while the
    findings of the rules already queried are built (backends with the "background-queries" feature; others query
    and build each rule in turn). `workers` > 1 runs that many rules' queries at once, each on its own session
    (backends with the "concurrent-queries" feature: a Neo4j Community server runs each query on one core). The
    result is the same, in the same order, either way."""
    overrides = overrides or {}
    all_params = {r.id: resolve_params(r, overrides.get(r.id)) for r in rules}  # fail before any work
    if workers > 1:
        backend.require("concurrent-queries")
    counts = backend.counts()
    as_of = as_of or default_as_of(backend)
    latest = backend.latest_date()  # a date after today counts here: a finding may be dated by it
    later = latest if as_of and latest and latest > as_of else None

    def one(reader: Backend, rule: Rule) -> Queried:
        return query_rule(reader, rule, all_params[rule.id], as_of, counts)

    def waiting(i: int) -> None:
        if progress:
            progress(f"rule {rules[i].id}", i, len(rules))

    if workers > 1:
        queried = _ahead(partial(one, backend), rules, workers, waiting)
    elif "background-queries" in backend.features:
        reader = backend.reader()
        queried = _ahead(partial(one, reader), rules, 1, waiting, reader)
    else:
        queried = _in_turn(partial(one, backend), rules, waiting)
    runs = finish_runs(backend, queried, lang, as_of)
    if progress:
        progress("rules", len(rules), len(rules))
    return SweepResult(runs, as_of, lang, later)


def finish_runs(backend: Backend, batches: Iterable[list[Queried]], lang: str, as_of: str | None) -> list[RuleRun]:
    """The second stage of a sweep: each rule's findings and undated roles, in the rules' order, as their rows come
    in batches (the rules whose queries have ended by then). The nodes a batch's rows name are looked up once for
    the batch, except those an earlier batch looked up: every node once per sweep, in as few lookups as the
    queries' pace allows (one, when every rule's rows are given as one batch)."""
    nodes, asked = Nodes({}), set[str]()
    runs = []
    rows = iter(batches)
    try:
        with no_cycle_collection():
            for batch in rows:
                started = time.perf_counter()
                new = set().union(*(q.ids() for q in batch)).difference(asked)
                if new:
                    asked |= new
                    nodes.update(backend.nodes(new))
                share = (time.perf_counter() - started) / len(batch)  # the lookup's time, shared by the batch
                for q in batch:
                    runs.append(_finish(backend, q, lang, as_of, nodes))
                    runs[-1].seconds += share if q.run.status == "ran" else 0.0
    finally:  # queries still running in the background stop now, not when the error's traceback is freed
        if isinstance(rows, Generator):
            rows.close()
    return runs


def _in_turn(one: Callable[[Rule], Queried], rules: list[Rule], waiting: Callable[[int], None]
             ) -> Iterator[list[Queried]]:
    for i, rule in enumerate(rules):
        waiting(i)
        yield [one(rule)]


def _ahead(one: Callable[[Rule], Queried], rules: list[Rule], workers: int, waiting: Callable[[int], None],
           reader: Backend | None = None) -> Iterator[list[Queried]]:
    """Rules' queries `workers` at a time on threads of their own, their rows yielded in the rules' order, in
    batches: the rule waited for and the rules after it whose queries have ended too (`waiting` names each rule as
    its turn comes); a failed rule's error is raised at its turn. When the consumer stops (an error, a failed rule,
    Ctrl-C) the rules not yet started are cancelled, and the query running on `reader` is interrupted where the
    backend can (then it is waited for, and the reader closed); others end with their query."""
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="govties-rule")
    futures: list[Future] = []
    try:
        futures = [pool.submit(one, rule) for rule in rules]
        i = 0
        while i < len(futures):
            waiting(i)
            batch = [futures[i].result()]
            i += 1
            while i < len(futures) and futures[i].done():
                waiting(i)
                batch.append(futures[i].result())
                i += 1
            yield batch
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        if reader is not None and _stopped(reader, futures):
            reader.close_reader()  # only once no query of its own runs


def _stopped(reader: Backend, futures: list[Future]) -> bool:
    """Interrupt the reader's query until no rule runs on it (an interrupt reaches only a query running at that
    moment: one sent while the reader converts rows, or between a rule's two queries, would be lost); whether
    its queries have stopped. A backend that cannot interrupt (Neo4j: the server ends the query) is not waited
    for."""
    running = [f for f in futures if not f.done()]
    while running and reader.interrupt_reader():
        running = list(wait(running, timeout=0.05).not_done)
    return not running


__all__ = ["FINDING_COLUMNS", "EXTRA_COLUMNS", "RuleRun", "SweepResult", "Queried", "resolve_params", "missing_inputs",
           "run_rule", "query_rule", "finish_runs", "sweep", "build_findings", "finding_id", "fingerprint",
           "evidence_facts"]
