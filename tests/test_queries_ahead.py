"""A sweep queries the rules on the backend's reader (another thread) while it builds the findings of the rules
already queried (rules.engine): the same findings in the same order as one rule at a time, a failed query raised
at its rule's turn, and nothing left running when the sweep stops."""

from __future__ import annotations

import dataclasses
import threading
import time

import duckdb
import pytest

from govties.graph.backend import BackendError
from govties.loaders import load_dataset
from govties.rules.catalog import catalog
from govties.rules import engine
from govties.rules.engine import sweep

from conftest import DEMO

BROKEN = {"sql": "SELECT no_such_column FROM person", "cypher": "MATCH (n) RETURN n.id AS"}


def _in_turn(backend, monkeypatch) -> None:
    """The backend without the feature: each rule queried and built in turn."""
    monkeypatch.setattr(type(backend), "features", backend.features - {"background-queries"})


def _threads(wait: float = 0) -> set[str]:
    """The sweep's query threads still alive (after waiting up to `wait` seconds for each to end)."""
    running = [t for t in threading.enumerate() if t.name.startswith("govties-rule")]
    for t in running:
        t.join(wait)
    return {t.name for t in running if t.is_alive()}


def test_queries_ahead_give_the_same_findings_in_the_same_order_as_rules_in_turn(backend, monkeypatch):
    backend.load(load_dataset(DEMO).tables)
    rules = list(catalog().values())
    assert "background-queries" in backend.features
    ahead_calls, turn_calls = [], []
    ahead = sweep(backend, rules, lang="en", progress=lambda stage, *_: ahead_calls.append(stage))
    _in_turn(backend, monkeypatch)
    turn = sweep(backend, rules, lang="en", progress=lambda stage, *_: turn_calls.append(stage))
    assert len(ahead.findings) > 10
    assert ahead.findings == turn.findings  # ids, names, explanations, evidence, fingerprints
    assert [r.rule.id for r in ahead.runs] == [r.id for r in rules]
    assert [(r.status, r.reason, r.undated) for r in ahead.runs] == [(r.status, r.reason, r.undated)
                                                                     for r in turn.runs]
    assert ahead_calls == turn_calls == [f"rule {r.id}" for r in rules] + ["rules"]
    assert [r.findings for r in ahead.runs] == [r.findings for r in turn.runs]  # each rule's, in its order


def test_a_failed_query_among_others_is_raised_and_nothing_is_left_running(backend):
    backend.load(load_dataset(DEMO).tables)
    good = list(catalog().values())
    broken = dataclasses.replace(good[0], id="broken-rule", queries=BROKEN)
    with pytest.raises(BackendError, match="query failed"):
        sweep(backend, [good[1], broken, *good[2:6]])
    assert not _threads(wait=30)  # Neo4j's query in flight ends on the server; none after it starts
    assert len(sweep(backend, good[:3]).runs) == 3  # the backend is still usable


def test_ctrl_c_while_findings_are_built_stops_the_queries_ahead(duckdb_backend):
    """Ctrl-C while this thread waits or builds: the sweep ends with KeyboardInterrupt, the query running on the
    reader is interrupted, the rules not started are not queried, and the reader's connection is closed."""
    duckdb_backend.load(load_dataset(DEMO).tables)
    rules = list(catalog().values())
    readers = _readers(duckdb_backend)
    asked = []

    def progress(stage, done, total):
        asked.append(stage)
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sweep(duckdb_backend, rules, progress=progress)
    assert asked == [f"rule {r.id}" for r in rules[:3]]
    assert not _threads()
    assert len(readers) == 1 and _closed(readers[0])  # the reader's own connection, not the backend's
    assert duckdb_backend.run("SELECT count(*) AS n FROM person", {})[0]["n"] > 0


def test_rules_whose_queries_have_ended_are_looked_up_together(duckdb_backend, monkeypatch):
    """When this thread comes to the rules after their queries have ended, their nodes are looked up in one lookup
    (here every rule's: the first turn waits until the reader is done), and the findings are the same."""
    duckdb_backend.load(load_dataset(DEMO).tables)
    rules = list(catalog().values())
    lookups, queried = [], []
    looked_up = duckdb_backend.nodes

    def nodes(ids):
        lookups.append(set(ids))
        return looked_up(ids)

    duckdb_backend.nodes = nodes
    turn = sweep(duckdb_backend, rules, lang="en")
    per_rule = len(lookups)
    lookups.clear()
    query = engine.query_rule

    def counted(*args):
        done = query(*args)
        queried.append(done.run.rule.id)
        return done

    monkeypatch.setattr(engine, "query_rule", counted)
    all_done = threading.Event()

    def progress(stage, done, total):
        if done == 0:  # the reader runs every query meanwhile
            for _ in range(600):
                if len(queried) == len(rules):
                    all_done.set()
                    break
                threading.Event().wait(0.1)

    together = sweep(duckdb_backend, rules, lang="en", progress=progress)
    assert all_done.is_set()
    assert together.findings == turn.findings
    assert per_rule > 2 and len(lookups) == 1  # every rule's nodes at once
    assert lookups[0] >= {f["official_id"] for f in together.findings if f["official_id"]}


def _readers(backend) -> list:
    """The readers `backend` hands out from now on, as a list that fills."""
    readers = []
    opened = backend.reader

    def reader():
        readers.append(opened())
        return readers[-1]

    backend.reader = reader
    return readers


def _closed(reader) -> bool:
    try:
        reader.con.execute("SELECT 1")
    except duckdb.ConnectionException:
        return True
    return False


def test_ctrl_c_while_findings_are_built_on_this_thread_stops_the_reader(duckdb_backend, monkeypatch):
    """Ctrl-C (or an error) while this thread builds a rule's findings, not while it waits: the queries ahead stop
    and the reader is closed then, not when the error's traceback is freed."""
    duckdb_backend.load(load_dataset(DEMO).tables)
    readers = _readers(duckdb_backend)
    built = engine.build_findings

    def build(*args):
        if build.calls == 1:
            raise KeyboardInterrupt
        build.calls += 1
        return built(*args)

    build.calls = 0
    monkeypatch.setattr(engine, "build_findings", build)
    with pytest.raises(KeyboardInterrupt) as stopped:  # its traceback kept, as a handler of Ctrl-C keeps it
        sweep(duckdb_backend, list(catalog().values()))
    assert not _threads(wait=30)
    assert len(readers) == 1 and _closed(readers[0])
    assert stopped.traceback  # still held until here


def test_ctrl_c_interrupts_the_query_running_on_the_reader(duckdb_backend):
    """A rule whose query would run for minutes: Ctrl-C while this thread waits for it ends the sweep at once, the
    query interrupted, and the rules after it never queried."""
    duckdb_backend.load(load_dataset(DEMO).tables)
    readers = _readers(duckdb_backend)
    good = list(catalog().values())
    endless = dataclasses.replace(good[1], id="endless-rule", undated=None,
                                  queries={"sql": "SELECT sum(hash(i)) AS n FROM range(30000000000) t(i)"})

    def progress(stage, done, total):
        if done == 1:  # waiting for the endless rule's query
            raise KeyboardInterrupt

    started = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        sweep(duckdb_backend, [good[0], endless, good[2]], progress=progress)
    assert not _threads(wait=60)
    assert time.perf_counter() - started < 30  # the query alone takes minutes on this machine
    assert len(readers) == 1 and _closed(readers[0])
