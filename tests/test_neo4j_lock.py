"""One govties load at a time per Neo4j database (graph/neo4j_lock.py), against the real server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time

import pytest
from click.testing import CliRunner

from conftest import DEMO, MINIMAL, graph_rows, write_dataset, ended
from govties.cli.main import main
from govties.graph import neo4j_lock
from govties.graph.backend import BackendError
from govties.loaders import load_dataset


def _locks(backend) -> list[dict]:
    return backend.run("MATCH (l:GovtiesLoad) RETURN l.stamp AS stamp, l.work AS work, l.pid AS pid", {})


def _hold(backend, stamp: str = "someone-else", idle_minutes: int = 0) -> None:
    """Another load's lock, its last beat `idle_minutes` ago."""
    backend._schema(neo4j_lock.CONSTRAINT)
    backend._write("CREATE (l:GovtiesLoad {name: 'load', stamp: $stamp, started: datetime() - duration({minutes: $m}), "
                   "beat: datetime() - duration({minutes: $m}), host: 'analyst-pc', pid: 4242, work: 'load'})",
                   stamp=stamp, m=idle_minutes)


@pytest.fixture
def clear_locks(neo4j_backend):
    neo4j_backend._write("MATCH (l:GovtiesLoad) DELETE l")
    yield neo4j_backend
    neo4j_backend._write("MATCH (l:GovtiesLoad) DELETE l")


def test_a_load_holds_the_lock_while_it_writes_and_frees_it_after(clear_locks, monkeypatch):
    backend = clear_locks
    seen, original = [], backend._write

    def watching(query, **params):
        if "UNWIND $rows" in query and not seen:
            seen.extend(_locks(backend))
        return original(query, **params)

    monkeypatch.setattr(backend, "_write", watching)
    backend.load(load_dataset(DEMO).tables)
    assert [lock["work"] for lock in seen] == ["load"] and seen[0]["stamp"]
    assert _locks(backend) == []


def test_a_second_load_stops_before_writing_and_the_graph_is_unchanged(clear_locks):
    backend = clear_locks
    backend.load(load_dataset(DEMO).tables)
    before = graph_rows(backend)
    _hold(backend)
    with pytest.raises(BackendError,
                       match=r"another govties load has been writing .* \(host analyst-pc, process 4242\)"):
        backend.load(load_dataset(DEMO).tables)
    with pytest.raises(BackendError, match="another govties load"):
        backend.wipe()
    assert graph_rows(backend) == before
    assert [lock["stamp"] for lock in _locks(backend)] == ["someone-else"]  # the other load's lock is left alone


def test_a_failed_load_frees_the_lock(clear_locks, monkeypatch):
    backend = clear_locks
    original = backend._write

    def failing(query, **params):
        if "HOLDS_ROLE" in query:
            raise BackendError("simulated failure midway")
        return original(query, **params)

    monkeypatch.setattr(backend, "_write", failing)
    with pytest.raises(BackendError, match="simulated"):
        backend.load(load_dataset(DEMO).tables)
    assert _locks(backend) == []


def test_a_stale_lock_of_a_killed_load_is_taken_over(clear_locks):
    backend = clear_locks
    _hold(backend, idle_minutes=neo4j_lock.STALE_SECONDS // 60 + 1)
    backend.load(load_dataset(DEMO).tables)
    assert backend.counts()["person"] > 10 and _locks(backend) == []


def _stall_first_batch(backend, monkeypatch, meanwhile) -> list:
    """The load's first batch stalls while `meanwhile(write)` runs once (its results are returned in the list);
    the lock beats every 50 ms, so the load notices what was done to its lock."""
    monkeypatch.setattr(neo4j_lock, "BEAT_SECONDS", 0.05)
    monkeypatch.setattr(backend, "batch_size", 50)
    original, done, seen, gate = backend._write, [], [], threading.Lock()

    def slow(query, **params):
        if "UNWIND $rows" in query:
            with gate:  # node batches go two at a time: only the first runs `meanwhile`
                first = not seen
                seen.append(True)
            if first:
                done.append(meanwhile(original))
                time.sleep(0.3)
        return original(query, **params)

    monkeypatch.setattr(backend, "_write", slow)
    return done


def test_a_load_whose_lock_was_taken_over_stops(clear_locks, monkeypatch):
    backend = clear_locks  # while this load stalls, another takes its lock over
    _stall_first_batch(backend, monkeypatch, lambda write: write("MATCH (l:GovtiesLoad) SET l.stamp = 'usurper'"))
    with pytest.raises(BackendError, match="another govties load took over"):
        backend.load(load_dataset(DEMO).tables)
    assert [lock["stamp"] for lock in _locks(backend)] == ["usurper"]  # not released: it is not this load's


def test_cli_load_reports_the_running_load_exit_2(clear_locks, tmp_path):
    _hold(clear_locks)
    folder = write_dataset(tmp_path / "d", MINIMAL)
    result = CliRunner().invoke(main, ["load", str(folder), "--backend", "neo4j", "-q"])
    ended(result, 2)
    assert "another govties load" in result.output and "run this command again" in result.output


def test_a_sweep_of_a_graph_being_loaded_is_refused_and_a_stale_lock_is_ignored(clear_locks, tmp_path):
    clear_locks.load(load_dataset(DEMO).tables)
    out = tmp_path / "f.csv"
    _hold(clear_locks)
    result = CliRunner().invoke(main, ["sweep", "--no-load", "--backend", "neo4j", "-o", str(out), "-q"])
    assert result.exit_code == 2 and "another govties load" in result.output and not out.exists()
    clear_locks._write("MATCH (l:GovtiesLoad) DELETE l")
    _hold(clear_locks, idle_minutes=neo4j_lock.STALE_SECONDS // 60 + 1)  # its load was killed long ago
    result = CliRunner().invoke(main, ["sweep", "--no-load", "--backend", "neo4j", "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").count("\n") > 10


def _held_by(backend, pid: int) -> None:
    _hold(backend)
    backend._write("MATCH (l:GovtiesLoad) SET l.host = $host, l.pid = $pid", host=socket.gethostname(), pid=pid)


def test_a_lock_left_by_an_ended_process_of_this_host_is_taken_over_at_once(clear_locks):
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    tables = load_dataset(DEMO).tables
    for pid in (int(ended.stdout), os.getpid()):  # a process that has ended; this one, in a load that has ended
        _held_by(clear_locks, pid)
        assert clear_locks.writer() is None  # a sweep is not refused either
        clear_locks.load(tables)
        assert _locks(clear_locks) == []


def test_a_lock_of_a_running_process_of_this_host_is_respected(clear_locks):
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]) as other:
        try:
            _held_by(clear_locks, other.pid)
            assert "another govties load" in (clear_locks.writer() or "")
            with pytest.raises(BackendError, match="another govties load"):
                clear_locks.load(load_dataset(DEMO).tables)
        finally:
            other.kill()


def test_unlock_names_a_live_lock_keeps_it_without_force_and_clears_it_with_force(clear_locks):
    _hold(clear_locks)  # another machine's load, beating now
    result = CliRunner().invoke(main, ["neo4j-unlock"])
    assert result.exit_code == 2, result.output
    assert "host analyst-pc, process 4242" in result.output and "neo4j-unlock --force" in result.output
    assert [lock["stamp"] for lock in _locks(clear_locks)] == ["someone-else"]
    result = CliRunner().invoke(main, ["neo4j-unlock", "--force"])
    assert result.exit_code == 0, result.output
    assert "cleared the load lock" in result.output and "analyst-pc" in result.output
    assert _locks(clear_locks) == [] and clear_locks.writer() is None


def test_unlock_clears_a_stale_lock_without_force_and_says_when_there_is_none(clear_locks):
    result = CliRunner().invoke(main, ["neo4j-unlock"])
    assert result.exit_code == 0 and "no govties load holds" in result.output, result.output
    _hold(clear_locks, idle_minutes=neo4j_lock.STALE_SECONDS // 60 + 1)  # killed long ago
    result = CliRunner().invoke(main, ["neo4j-unlock"])
    assert result.exit_code == 0 and "cleared the load lock" in result.output, result.output
    assert _locks(clear_locks) == []


def test_a_load_whose_lock_was_cleared_by_hand_stops(clear_locks, monkeypatch):
    backend = clear_locks  # someone runs `govties neo4j-unlock --force` meanwhile
    cleared = _stall_first_batch(backend, monkeypatch,
                                 lambda write: backend.clear_load_lock(backend.load_lock()["stamp"]))
    with pytest.raises(BackendError, match="cleared with `govties neo4j-unlock --force`"):
        backend.load(load_dataset(DEMO).tables)
    assert cleared == [True] and _locks(backend) == []
