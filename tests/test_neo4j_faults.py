"""The Neo4j server killed during a load or a sweep: a clear error, and the same command run again once the server
is back ends with exactly the findings of an undisturbed run. Runs its own Neo4j (the launcher .ci/neo4j builds)
on a spare port, so killing it does not disturb the shared test server."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from govties.graph.backend import BackendError
from govties.graph import neo4j_connect
from govties.graph.duckdb_backend import DuckDBBackend
from govties.loaders import load_dataset
from govties.rules.catalog import catalog
from govties.rules.engine import sweep

from conftest import DEMO, REPO, free_port, ended

LAUNCHER = REPO / ".ci" / "neo4j-launcher" / "target"
PASSWORD = "fault-test-password"


class Server:
    def __init__(self, data: Path, port: int):
        self.data, self.port, self.proc = data, port, None

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    def start(self) -> None:
        cp = f"{LAUNCHER / 'neo4j-launcher-1.0.jar'}:{LAUNCHER / 'lib'}/*"
        log = open(self.data.parent / "neo4j.log", "ab")
        self.proc = subprocess.Popen(["java", "-Xmx1g", "-cp", cp, "govties.Launcher", str(self.data), str(self.port)],
                                     stdout=subprocess.PIPE, stderr=log, env={**os.environ, "NEO4J_PASSWORD": PASSWORD})
        line = self.proc.stdout.readline().decode()  # the launcher prints READY, or exits on failure
        if not line.startswith("READY"):
            self.kill()
            raise RuntimeError(f"the Neo4j launcher did not start; see {self.data.parent / 'neo4j.log'}")

    def kill(self) -> None:
        if self.alive():
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(30)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not (LAUNCHER / "neo4j-launcher-1.0.jar").exists():
        if os.environ.get("CI"):
            pytest.fail("CI is set but the Neo4j launcher is not built (.ci/neo4j start builds it)")
        pytest.skip("the Neo4j launcher is not built: run .ci/neo4j start once")
    srv = Server(tmp_path_factory.mktemp("neo4j-fault") / "data", free_port())
    yield srv
    srv.kill()


@pytest.fixture(autouse=True)
def running(server, monkeypatch):
    """The server up when a test begins (a test that killed it need not start it again for the next one), and the
    driver retrying a lost connection for one second, not ten: what is tested is what comes after it gives up."""
    if not server.alive():
        server.start()
    monkeypatch.setattr(neo4j_connect, "RETRY_SECONDS", 1)


def _open(srv):
    from govties.graph.neo4j_backend import Neo4jBackend

    return Neo4jBackend(srv.uri, "neo4j", PASSWORD)


@pytest.fixture(scope="module")
def expected():
    duck = DuckDBBackend()
    duck.load(load_dataset(DEMO).tables)
    return sorted(f["finding_id"] for f in sweep(duck, list(catalog().values())).findings)


def test_killed_during_load_then_rerun(server, expected, monkeypatch):
    tables = load_dataset(DEMO).tables
    backend = _open(server)
    original = backend._write
    calls = {"n": 0}

    def write_then_die(query, **params):
        calls["n"] += 1
        if calls["n"] == 6:
            server.kill()
        return original(query, **params)

    monkeypatch.setattr(backend, "_write", write_then_die)
    with pytest.raises(BackendError, match="lost the connection to Neo4j .* during the load: .* run the same "
                                           "command again"):
        backend.load(tables)
    backend.close()
    server.start()
    backend = _open(server)
    backend.load(tables)
    got = sorted(f["finding_id"] for f in sweep(backend, list(catalog().values())).findings)
    backend.close()
    assert got == expected


def test_killed_during_sweep_then_rerun(server, expected, monkeypatch):
    backend = _open(server)
    backend.load(load_dataset(DEMO).tables)
    original = backend.run
    calls = {"n": 0}

    def run_then_die(query, params):
        calls["n"] += 1
        if calls["n"] == 5:
            server.kill()
        return original(query, params)

    monkeypatch.setattr(backend, "run", run_then_die)
    with pytest.raises(BackendError, match="lost the connection to Neo4j|cannot reach Neo4j"):
        sweep(backend, list(catalog().values()))
    backend.close()
    server.start()
    runner = CliRunner(env={"NEO4J_URI": server.uri, "NEO4J_PASSWORD": PASSWORD, "NEO4J_USERNAME": "neo4j"})
    out = Path(server.data.parent / "findings.csv")
    res = runner.invoke(__import__("govties.cli.main", fromlist=["main"]).main,
                        ["sweep", "--backend", "neo4j", "--no-load", "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    import pandas as pd

    assert sorted(pd.read_csv(out, dtype=str).finding_id) == expected


def test_cli_error_when_the_server_dies(server, monkeypatch, tmp_path):
    from govties.cli.main import main
    from govties.graph import neo4j_backend

    original = neo4j_backend.Neo4jBackend._write
    calls = {"n": 0}

    def write_then_die(self, query, **params):
        calls["n"] += 1
        if calls["n"] == 3:
            server.kill()
        return original(self, query, **params)

    monkeypatch.setattr(neo4j_backend.Neo4jBackend, "_write", write_then_die)
    runner = CliRunner(env={"NEO4J_URI": server.uri, "NEO4J_PASSWORD": PASSWORD})
    res = runner.invoke(main, ["sweep", str(DEMO), "--backend", "neo4j", "-o", str(tmp_path / "f.csv"), "-q"])
    ended(res, 2)
    assert res.output.startswith("error: lost the connection to Neo4j")
    assert PASSWORD not in res.output
    # once the driver gave up on the lost server, nothing more is written: not the load lock's release, which the
    # driver would retry as long again before the error is printed (the lock goes stale; the next load takes it)
    assert calls["n"] == 3


def test_cli_error_when_the_server_dies_while_a_load_reads_under_its_lock(server, monkeypatch, tmp_path):
    """The server dies while the load, holding its lock, reads the database (its census): the driver gives up, the
    load stops with one line and exit status 2, and nothing more is written (the lock's release is not retried as
    long again: the lock goes stale)."""
    from govties.cli.main import main
    from govties.graph import neo4j_backend, neo4j_load

    claims = {"n": 0}
    writes = {"after": 0}
    original_claim, original_write = neo4j_load.claim, neo4j_backend.Neo4jBackend._write

    def claim_then_die(backend, adopt, mark=True):
        claims["n"] += 1
        if claims["n"] == 2:  # the second census: under the lock
            server.kill()
        return original_claim(backend, adopt, mark=mark)

    def counted_write(self, query, **params):
        if not server.alive():
            writes["after"] += 1
        return original_write(self, query, **params)

    monkeypatch.setattr(neo4j_load, "claim", claim_then_die)
    monkeypatch.setattr(neo4j_backend.Neo4jBackend, "_write", counted_write)
    runner = CliRunner(env={"NEO4J_URI": server.uri, "NEO4J_PASSWORD": PASSWORD})
    res = runner.invoke(main, ["load", str(DEMO), "--backend", "neo4j", "-q"])
    ended(res, 2)
    assert res.output.startswith("error: lost the connection to Neo4j") and claims["n"] == 2
    assert writes["after"] == 0
