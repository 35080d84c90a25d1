"""Who the workbench answers, over plain HTTP against a real `govties serve` process: the Host and Origin of its
own addresses (bound, every address of the machine, behind a reverse proxy) and no other site's; logins that fail
and wait longer each time; sessions that end at logout or at a new password."""

from __future__ import annotations

import os
import re
import time

import pandas as pd
import pytest

from conftest import MINIMAL, write_dataset
from workbench_http_support import csrf_of, form_login, request, session_of, store_and_server
from workbench_support import Server, cli


store, served = store_and_server("access")


def test_another_host_is_refused_and_origin_is_checked_against_the_server(served, store):
    """DNS rebinding: a page of another site that resolves its name to 127.0.0.1 reaches the server with its own
    Host and Origin; neither is this server, so nothing is read or written."""
    port = served.port
    evil = {"Host": f"attacker.example:{port}"}
    for path in ("/findings", f"/findings/{store['finding_id']}", "/triage.csv", "/static/app.css"):
        got = request(served, "GET", path, headers=evil)
        assert got.status == 400 and "answers only at its own address" in got.text, (path, got.status)
        assert "csrf" not in got.text
    page = request(served, "GET", "/findings")  # a session and token taken on the real address ...
    assert page.status == 200
    form = {"csrf": csrf_of(page), "version": "0", "status": "dismissed"}
    got = request(served, "POST", f"/findings/{store['finding_id']}/triage", form=form, cookie=session_of(page),
                  headers={**evil, "Origin": f"http://attacker.example:{port}"})
    assert got.status == 400
    # ... and used from another origin with the right Host: refused as a write from another site
    got = request(served, "POST", f"/findings/{store['finding_id']}/triage", form=form, cookie=session_of(page),
                  headers={"Origin": f"http://attacker.example:{port}"})
    assert got.status == 403
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"LOCALHOST:{port}"):
        assert request(served, "GET", "/findings", headers={"Host": host}).status == 200, host
    assert request(served, "GET", "/findings", headers={"Host": f"127.0.0.1:{port + 1}"}).status == 400


def _post_head(server: Server, path: str, headers: dict[str, str]) -> tuple[int, str]:
    """A POST's head alone, its body never sent: (status, body) of the answer, which must come without the body
    (a server that read the body first would wait for it until the timeout)."""
    import socket

    with socket.create_connection((server.host, server.port), timeout=10) as conn:
        head = f"POST {path} HTTP/1.1\r\nHost: {server.host}:{server.port}\r\n" + \
            "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        conn.sendall(head.encode())
        answer = b""
        while b"\r\n\r\n" not in answer or len(answer.split(b"\r\n\r\n", 1)[1]) < 20:
            chunk = conn.recv(65536)
            if not chunk:
                break
            answer += chunk
    status = int(answer.split(b" ", 2)[1])
    return status, answer.split(b"\r\n\r\n", 1)[1].decode("utf-8", "replace")


def test_a_post_s_origin_and_length_are_checked_before_its_body_is_read(served):
    """An upload is spooled to disk as it arrives: anyone reaching the server could fill the disk before any token
    was checked. A body longer than MAX_BODY, or one that does not say its length, is refused from the head alone;
    another site's request, before its length is looked at."""
    multipart = {"Origin": served.url, "Content-Type": "multipart/form-data; boundary=b0undary"}
    status, text = _post_head(served, "/triage/import?lang=en", {**multipart, "Content-Length": str(60 * 2**20)})
    assert status == 413 and "larger than 51 MB" in text and "at most 50 MB" in text, text[:300]
    for length in ({}, {"Content-Length": "10"}):  # chunks frame the body, whatever length it also claims
        status, text = _post_head(served, "/triage/import?lang=en", {**multipart, **length,
                                                                     "Transfer-Encoding": "chunked"})
        assert status == 411 and "did not say its length" in text, (length, text[:300])
    status, text = _post_head(served, "/triage/import?lang=en", {**multipart, "Origin": "http://attacker.example",
                                                                 "Content-Length": str(60 * 2**20)})
    assert status == 403 and "another address" in text, text[:300]
    empty = request(served, "POST", "/logout", headers={"Origin": served.url})  # no body at all: read as empty
    assert empty.status == 403 and "security token" in empty.text  # (refused for its missing token, as before)


def test_serving_every_address_prints_a_url_to_open(tmp_path):
    import socket

    path = tmp_path / "g.duckdb"
    cli("load", str(write_dataset(tmp_path / "data", MINIMAL)), "--store", str(path), "-q")
    cli("users", "add", "li", "--role", "investigator", "--password-stdin", "--store", str(path),
        input="li-password-1\n")
    server = Server(["--store", str(path)], host="0.0.0.0").start()
    try:
        name = socket.gethostname()
        assert f"govties workbench: http://{name}:{server.port}/" in "".join(server.output), server.output
        assert "0.0.0.0" not in "".join(server.output)
        got = request(server, "GET", "/findings", headers={"Host": f"{name}:{server.port}"})
        assert got.status == 303 and got.headers["location"].startswith("/login")  # accounts: log in first
        assert request(server, "GET", "/login", headers={"Host": f"127.0.0.1:{server.port}"}).status == 200
        assert request(server, "GET", "/login", headers={"Host": f"attacker.example:{server.port}"}).status == 400
        # a colleague opens it at this machine's address on the network (its name may resolve to loopback only):
        # answered, and a login from that page is taken (Origin: that address); another address is not this one
        ip = _network_address()
        at = f"{ip}:{server.port}"
        page = request(server, "GET", "/login", headers={"Host": at}, to=ip)
        assert page.status == 200, page.text[:300]
        form = {"csrf": csrf_of(page), "name": "li", "password": "li-password-1"}
        login = request(server, "POST", "/login", headers={"Host": at, "Origin": f"http://{at}"}, to=ip,
                        cookie=session_of(page), form=form)
        assert login.status == 303 and not login.headers["location"].startswith("/login"), login.headers
        other = request(server, "GET", "/login", headers={"Host": f"192.0.2.254:{server.port}"}, to=ip)
        assert other.status == 400 and "--public-url" in other.text
    finally:
        server.stop()


def _network_address() -> str:
    """This machine's address on its network (not loopback): the one a datagram to a documentation address would
    leave from (nothing is sent)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
        except OSError:
            address = "127.0.0.1"
        else:
            address = probe.getsockname()[0]
    if address.startswith("127."):  # under CI a machine without one fails, as a missing Neo4j does
        (pytest.fail if os.environ.get("CI") else pytest.skip)("this machine has no network address but loopback")
    return address


def test_failed_logins_wait_longer_and_a_new_password_ends_old_sessions(tmp_path):
    path = tmp_path / "g.duckdb"
    cli("load", str(write_dataset(tmp_path / "data", MINIMAL)), "--store", str(path), "-q")
    cli("users", "add", "li", "--role", "investigator", "--password-stdin", "--store", str(path),
        input="li-password-1\n")
    server = Server(["--store", str(path)]).start()
    try:
        assert [form_login(server, "li", "wrong-password").status for _ in range(3)] == [401, 401, 401]
        locked = form_login(server, "li", "li-password-1")  # the right password, but too soon: not even checked
        assert locked.status == 429 and "Too many failed logins" in locked.text
        assert "set-cookie" not in locked.headers or "auth" not in locked.headers["set-cookie"]
        time.sleep(1.2)
        ok = form_login(server, "li", "li-password-1")
        assert ok.status == 303 and ok.headers["location"] == "/findings"
        session = session_of(ok)
        assert request(server, "GET", "/findings", cookie=session).status == 200
        for i in range(10 - 3):  # many names from one client (10 failures with li's 3): the client waits too
            assert form_login(server, f"nobody{i}", "wrong-password").status == 401
        assert form_login(server, "someone", "wrong-password").status == 429
        server.stop()
        cli("users", "passwd", "li", "--password-stdin", "--store", str(path), input="li-password-new\n")
        server.start()
        ended = request(server, "GET", "/findings", cookie=session)  # the session made with the old password
        assert ended.status == 303 and ended.headers["location"].startswith("/login")
    finally:
        server.stop()


def test_a_logged_out_session_is_no_session_even_from_a_copy_of_its_cookie(tmp_path):
    """Logging out ends the session in the workspace: the cookie kept from before the logout neither reads nor
    writes; another session of the same account goes on, also after a restart."""
    path = tmp_path / "g.duckdb"
    cli("load", str(write_dataset(tmp_path / "data", MINIMAL)), "--store", str(path), "-q")
    cli("sweep", "--no-load", "--store", str(path), "-o", str(tmp_path / "f.csv"), "-q")
    cli("users", "add", "li", "--role", "investigator", "--password-stdin", "--store", str(path),
        input="li-password-1\n")
    server = Server(["--store", str(path)]).start()
    try:
        first = session_of(form_login(server, "li", "li-password-1"))
        again = request(server, "POST", "/login", cookie=first, headers={"Origin": server.url},  # logged in again
                        form={"csrf": csrf_of(request(server, "GET", "/findings", cookie=first)), "name": "li",
                              "password": "li-password-1", "next": "/findings"})
        kept = session_of(again)
        assert request(server, "GET", "/findings", cookie=first).status == 303  # the session before it ended
        other = session_of(form_login(server, "li", "li-password-1"))
        page = request(server, "GET", "/findings", cookie=kept)
        assert page.status == 200
        fid = re.search(r'/findings/([0-9a-f]{16})', page.text)[1]
        finding = request(server, "GET", f"/findings/{fid}", cookie=kept)
        token = csrf_of(finding)
        out = request(server, "POST", "/logout", cookie=kept, headers={"Origin": server.url}, form={"csrf": token})
        assert out.status == 303 and out.headers["location"] == "/login"
        again = request(server, "GET", "/findings", cookie=kept)  # the copy kept from before the logout
        assert again.status == 303 and again.headers["location"].startswith("/login")
        write = request(server, "POST", f"/findings/{fid}/triage", cookie=kept, headers={"Origin": server.url},
                        form={"csrf": token, "version": "0", "status": "confirmed"})
        assert write.status == 401
        server.stop()
        server.start()
        assert request(server, "GET", "/findings", cookie=other).status == 200
        assert request(server, "GET", "/findings", cookie=kept).status == 303
    finally:
        server.stop()
    cli("triage", "export", "--store", str(path), "-o", str(tmp_path / "t.csv"))
    assert pd.read_csv(tmp_path / "t.csv", dtype=str).empty  # the write after the logout changed nothing


def test_behind_a_reverse_proxy_its_public_address_is_answered(tmp_path):
    path = tmp_path / "g.duckdb"
    cli("load", str(write_dataset(tmp_path / "data", MINIMAL)), "--store", str(path), "-q")
    server = Server(["--store", str(path)], extra=["--public-url", "https://gt.example.org"]).start()
    try:
        public = {"Host": "gt.example.org"}
        page = request(server, "GET", "/findings", headers=public)
        assert page.status == 200
        fid = re.search(r'/findings/([0-9a-f]{16})', page.text)[1]
        cookie = session_of(page)
        page = request(server, "GET", f"/findings/{fid}", headers=public, cookie=cookie)
        form = {"csrf": csrf_of(page), "version": "0", "status": "in_review"}
        saved = request(server, "POST", f"/findings/{fid}/triage", form=form, cookie=cookie,
                        headers={**public, "Origin": "https://gt.example.org"})
        assert saved.status == 303, saved.text[:300]
        assert request(server, "GET", "/findings", headers={"Host": "other.example.org"}).status == 400
    finally:
        server.stop()


def test_the_address_a_request_came_in_on_is_named_as_a_host_header_names_it():
    from govties.workbench.security import arrived_at

    assert arrived_at({"server": ("192.0.2.2", 8750)}) == {"192.0.2.2:8750"}
    assert arrived_at({"server": ("fe80::1%eth0", 8750)}) == {"[fe80::1]:8750"}  # no zone in a Host header
    assert arrived_at({"server": ("192.0.2.2", 80)}) == {"192.0.2.2:80", "192.0.2.2"}
    assert arrived_at({"server": None}) == set() and arrived_at({}) == set()
