"""No credential ever appears in what govties prints: every way a Neo4j connection can fail, through the real
`govties` command in a subprocess, ends in one line on stderr, exit status 2, no traceback, and neither the
password (NEO4J_PASSWORD, or one put in a URI) nor a URI's user name appears anywhere in the output."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import DEMO, free_port, neo4j_available_or_skip

SECRET = "S3cret-pa55"  # the password every case carries: in NEO4J_PASSWORD, and in the URI where it has one
USER = "intruder-user"


def _cases(port: str, down: int, mute: int = 1) -> dict[str, tuple[dict[str, str], list[str], str]]:
    """case -> (environment, arguments, what the one line says)."""
    sweep = ["sweep", "--no-load", "--backend", "neo4j", "-o", "f.csv"]
    load = ["load", str(DEMO), "--backend", "neo4j"]
    userinfo = "carries a user name or password"
    return {
        "password in NEO4J_URI": ({"NEO4J_URI": f"bolt://{USER}:{SECRET}@127.0.0.1:{port}"}, sweep, userinfo),
        "password in an Aura URI": ({"NEO4J_URI": f"neo4j+s://{USER}:{SECRET}@abc123.databases.neo4j.io"}, sweep,
                                    userinfo),
        "password in --neo4j-uri": ({}, [*load, "--neo4j-uri", f"bolt://{USER}:{SECRET}@127.0.0.1:{port}"],
                                    "--neo4j-uri carries a user name or password"),
        "password in the URI of neo4j-unlock": ({"NEO4J_URI": f"neo4j://{USER}:{SECRET}@127.0.0.1:{port}"},
                                                ["neo4j-unlock"], userinfo),
        "server down": ({"NEO4J_URI": f"bolt://127.0.0.1:{down}"}, sweep, "cannot reach Neo4j at bolt://127.0.0.1"),
        "server down, neo4j-unlock": ({"NEO4J_URI": f"bolt://127.0.0.1:{down}"}, ["neo4j-unlock", "--force"],
                                      "cannot reach Neo4j"),
        "wrong password": ({"NEO4J_USERNAME": "neo4j"}, sweep, "refused the credentials of user 'neo4j'"),
        "not a Bolt scheme": ({"NEO4J_URI": f"http://127.0.0.1:{port}"}, sweep,
                              "is not a Neo4j Bolt URI (its scheme is 'http';"),
        "no scheme": ({"NEO4J_URI": f"127.0.0.1:{port}"}, sweep, "is not a Neo4j Bolt URI (it has no scheme;"),
        "a secret in the query": ({"NEO4J_URI": f"bolt://127.0.0.1:{port}?token={SECRET}"}, sweep,
                                  "cannot use the Neo4j URI bolt://127.0.0.1"),
        "host not found": ({"NEO4J_URI": "bolt://no-such-host.invalid:7687"}, sweep, "host name not found"),
        "TLS to a plain server": ({"NEO4J_URI": f"bolt+s://127.0.0.1:{port}"}, sweep, "TLS handshake failed"),
        "no routing table": ({"NEO4J_URI": f"neo4j://127.0.0.1:{down}"}, load, "cannot reach Neo4j"),
        "a port that is not a number": ({"NEO4J_URI": f"bolt://{USER}:{SECRET}@127.0.0.1:port"}, sweep,
                                        "NEO4J_URI is not a Neo4j URI"),
        "a port that does not speak Bolt": ({"NEO4J_URI": f"bolt://127.0.0.1:{mute}"}, sweep,
                                            "no Bolt answer: is the port Neo4j's Bolt port (7687)"),
    }


@pytest.fixture(scope="module")
def mute_port():
    """A port that takes connections and never answers (as an HTTP server waits for a request line)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield server.getsockname()[1]
    server.close()
    for conn in held:
        conn.close()


@pytest.fixture(scope="module")
def runs(tmp_path_factory, mute_port):
    """Every case run once, four at a time (each is a fresh `govties` process)."""
    neo4j_available_or_skip()
    port = os.environ["NEO4J_URI"].rsplit(":", 1)[1]
    cases = _cases(port, free_port(), mute_port)
    folder = tmp_path_factory.mktemp("credentials")

    def run(item):
        name, (env, args, _) = item
        full = {**os.environ, "NEO4J_PASSWORD": SECRET, **env}
        return name, subprocess.run([shutil.which("govties"), *args], env=full, cwd=folder, capture_output=True,
                                    text=True, timeout=300)

    with ThreadPoolExecutor(4) as pool:
        return {name: (done, cases[name][2]) for name, done in pool.map(run, cases.items())}


@pytest.mark.parametrize("case", list(_cases("7687", 1)))
def test_a_connection_failure_is_one_line_without_credentials(runs, case):
    done, says = runs[case]
    everything = done.stdout + done.stderr
    assert SECRET not in everything and USER not in everything
    assert "Traceback" not in everything
    assert done.returncode == 2, everything
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and says in lines[0], done.stderr


@pytest.mark.parametrize("answer", [b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", b""])
def test_a_port_that_answers_but_not_in_bolt_is_said_to_be_no_bolt_port(answer):
    """An HTTP server (Neo4j's own port 7474, say), or one that closes at once: one line at once that says to check
    the port, without Neo4j (the silent port, which takes the acquisition timeout, is among the cases above)."""
    from govties.graph.backend import BackendError
    from govties.graph.neo4j_connect import NOT_BOLT, connect

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def reply() -> None:
        while True:
            try:
                conn = server.accept()[0]
            except OSError:
                return
            if answer:
                conn.recv(64)
                conn.sendall(answer)
            conn.close()

    threading.Thread(target=reply, daemon=True).start()
    try:
        with pytest.raises(BackendError) as refused:
            connect(f"bolt://127.0.0.1:{server.getsockname()[1]}", "neo4j", SECRET, None)
    finally:
        server.close()
    said = str(refused.value)
    assert said.startswith("cannot reach Neo4j at bolt://127.0.0.1") and NOT_BOLT in said and SECRET not in said
