"""The loader's threads change nothing but speed: same tables, same problems, same order; failures surface."""

from __future__ import annotations

import re
import threading
import time

import pytest

from conftest import DEMO, MINIMAL, write_dataset
from govties.loaders import parallel
from govties.loaders.dataset import load_dataset
from govties.loaders.problems import DataError


def test_results_come_back_in_the_order_given_not_the_order_finished():
    finished = []

    def job(name, delay):
        def run():
            time.sleep(delay)
            finished.append(name)
            return name.upper(), threading.current_thread().name
        return name, run

    counts = []
    out = parallel.run_all([job("slow", 0.2), job("quick", 0.0), job("mid", 0.1)],
                           done=lambda name, n: counts.append(n), threads=3)
    assert list(out) == ["slow", "quick", "mid"]
    assert [v[0] for v in out.values()] == ["SLOW", "QUICK", "MID"]
    assert finished[0] == "quick"  # they did run at once
    assert counts == [1, 2, 3]
    assert {v[1] for v in out.values()} != {threading.current_thread().name}


def test_a_failing_job_raises_its_own_error_and_later_jobs_do_not_start():
    started = []

    def boom():
        started.append("boom")
        raise ValueError("bad file")

    def later(i):
        def run():
            time.sleep(0.05)
            started.append(i)
        return run

    with pytest.raises(ValueError, match="bad file"):
        parallel.run_all([("boom", boom)] + [(f"j{i}", later(i)) for i in range(20)], threads=2)
    assert len(started) < 21


def test_govties_threads_sets_the_worker_count(monkeypatch):
    monkeypatch.setenv("GOVTIES_THREADS", "3")
    assert parallel.workers() == 3
    monkeypatch.setenv("GOVTIES_THREADS", "nonsense")
    assert 1 <= parallel.workers() <= 4


def test_threaded_load_equals_load_in_order(monkeypatch):
    monkeypatch.setenv("GOVTIES_THREADS", "1")
    in_order = load_dataset(DEMO)
    monkeypatch.setenv("GOVTIES_THREADS", "4")
    threaded = load_dataset(DEMO)
    assert list(threaded.tables) == list(in_order.tables)
    for name, table in in_order.tables.items():
        assert threaded.tables[name].equals(table), name
    assert [str(w) for w in threaded.warnings] == [str(w) for w in in_order.warnings]


def test_threaded_validation_reports_the_same_problems(tmp_path, monkeypatch):
    files = dict(MINIMAL)
    files["company_roles.csv"] = "holder_id,org_id,role,share,start_date\nP9,C1,shareholder,2,2018-13-01\n"
    files["decisions.csv"] = "decision_id,kind,date,agency_id\nD1,approval,yesterday,A9\n"
    folder = write_dataset(tmp_path / "bad", files)
    problems = {}
    for threads in ("1", "4"):
        monkeypatch.setenv("GOVTIES_THREADS", threads)
        with pytest.raises(DataError) as err:
            load_dataset(folder)
        problems[threads] = [str(p) for p in err.value.problems]
    assert problems["1"] == problems["4"]
    assert len(problems["1"]) >= 4  # bad share, bad date, unknown holder, bad decision date, unknown agency


def test_work_ahead_keeps_order_and_runs_on_another_thread():
    from govties.graph.ahead import ahead

    where = []

    def items():
        for i in range(50):
            where.append(threading.current_thread().name)
            yield i

    assert list(ahead(items(), depth=3)) == list(range(50))
    assert set(where) == {"govties-ahead"}


def test_work_ahead_raises_the_producers_error_and_stops_when_the_consumer_does():
    from govties.graph.ahead import ahead

    def broken():
        yield 1
        raise ValueError("bad row")

    got = []
    with pytest.raises(ValueError, match="bad row"):
        for item in ahead(broken()):
            got.append(item)
    assert got == [1]

    produced = []

    def endless():
        i = 0
        while True:
            produced.append(i)
            yield i
            i += 1

    for item in ahead(endless(), depth=2):
        if item == 5:
            break  # the generator's finally stops the producer
    time.sleep(0.3)
    count = len(produced)
    time.sleep(0.3)
    assert len(produced) == count and count < 20
    assert not any(t.name == "govties-ahead" for t in threading.enumerate())


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_work_ahead_ends_the_wait_when_the_producer_fails_unexpectedly():
    from govties.graph.ahead import BROKEN, ahead

    def buggy():
        yield 1
        raise AttributeError("a bug, not bad data")  # not one of the errors handed over

    got = []
    with pytest.raises(RuntimeError, match=re.escape(BROKEN)):
        for item in ahead(buggy()):
            got.append(item)
    assert got == [1]


def test_in_flight_runs_calls_side_by_side_and_yields_them_in_order():
    from govties.graph.ahead import in_flight

    meet = threading.Barrier(2, timeout=5)  # breaks unless two calls are running at the same moment
    running, most = [0], [0]
    lock = threading.Lock()

    def work(i):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        if i < 2:
            meet.wait()
        time.sleep(0.01 if i % 3 else 0.03)  # later calls finish first now and then
        with lock:
            running[0] -= 1
        return i * i

    assert list(in_flight(range(12), work, 2)) == [(i, i * i) for i in range(12)]
    assert most[0] == 2
    threads = []
    assert list(in_flight(range(3), lambda i: threads.append(threading.current_thread()) or i, 1)) == \
        [(0, 0), (1, 1), (2, 2)]
    assert set(threads) == {threading.current_thread()}


def test_in_flight_raises_a_calls_error_in_its_turn_and_starts_no_more():
    from govties.graph.ahead import in_flight

    started = []

    def work(i):
        started.append(i)
        if i == 3:
            raise ValueError("batch 3 refused")
        return i

    got = []
    with pytest.raises(ValueError, match="batch 3 refused"):
        for item, _ in in_flight(range(100), work, 2):
            got.append(item)
    assert got == [0, 1, 2]
    assert max(started) <= 5


@pytest.mark.parametrize("cores, threads, blocks", [(2, "", 1), (1, "", 1), (16, "4", 4), (8, "1", 8)])
def test_a_file_is_parsed_in_as_many_blocks_as_the_cores_it_has(tmp_path, monkeypatch, cores, threads, blocks):
    """Each file gets the cores left over by the files parsed beside it (loaders.parallel): on two cores a file is
    one block, its columns come out whole (nothing to join before validation); with cores to spare, several."""
    from govties.loaders import read
    from govties.loaders.problems import Problems

    monkeypatch.setattr(parallel, "cores", lambda: cores)
    monkeypatch.setattr(read, "cores", lambda: cores)
    monkeypatch.setenv("GOVTIES_THREADS", threads)
    monkeypatch.setattr(read, "SMALLEST_BLOCK", 1 << 12)  # the same rule at a size a test can write
    path = tmp_path / "people.csv"
    path.write_text("person_id,name\n" + "".join(f"P{i:07d},某人{i}\n" for i in range(20_000)), encoding="utf-8")
    raw = read.read_csv(path, Problems())
    assert raw is not None and raw.table.num_rows == 20_000
    assert {raw.table.column(c).num_chunks for c in range(2)} == {blocks}
    assert raw.table.column("person_id")[19_999].as_py() == "P0019999"
    monkeypatch.setattr(read, "LARGEST_BLOCK", 1 << 16)  # a file bigger than the largest block is several
    assert read.read_csv(path, Problems()).table.column(0).num_chunks >= path.stat().st_size // (1 << 16) > 4
