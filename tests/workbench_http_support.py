"""Requests to a real `govties serve` over plain HTTP, as a browser's forms make them (no browser): an answer's
status, headers and text; the session cookie and CSRF token a page gives; a triage save and a login made with
them; the triage form as a browser sends it."""

from __future__ import annotations

import html
import http.client
import re
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import pytest

from conftest import MINIMAL, write_dataset
from workbench_support import Server, cli


def minimal_store(root: Path) -> dict:
    """The minimal dataset loaded and swept (recorded) into a store in `root`: one finding, official P1 (resident ID
    330102197001010013)."""
    path = root / "g.duckdb"
    cli("load", str(write_dataset(root / "data", MINIMAL)), "--store", str(path), "-q")
    cli("sweep", "--no-load", "--store", str(path), "-o", str(root / "f.csv"), "-q", "--lang", "en")
    fid = pd.read_csv(root / "f.csv", dtype=str).loc[0, "finding_id"]
    return {"path": path, "root": root, "finding_id": fid}


def store_and_server(name: str):
    """A test module's `store` (minimal_store in a folder named `name`) and `served` (a `govties serve` over it)
    fixtures, module-scoped: `store, served = store_and_server("http")`."""

    @pytest.fixture(scope="module")
    def store(tmp_path_factory) -> dict:
        return minimal_store(tmp_path_factory.mktemp(name))

    @pytest.fixture(scope="module")
    def served(store):
        server = Server(["--store", str(store["path"])]).start()
        yield server
        server.stop()

    return store, served


class Answer:
    def __init__(self, status: int, headers: dict[str, str], body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def request(server: Server, method: str, path: str, *, headers: dict[str, str] | None = None,
            form: dict[str, str] | None = None, cookie: str | None = None,
            upload: tuple[str, str, bytes] | None = None, to: str | None = None) -> Answer:
    """One request over a new connection (to the server's address, or `to`); the Host header is this server's
    unless `headers` gives another. `upload` (field, file name, bytes) sends the form as multipart/form-data with
    that file."""
    conn = http.client.HTTPConnection(to or server.host, server.port, timeout=60)
    sent = {"Host": f"{server.host}:{server.port}", **(headers or {})}
    if cookie:
        sent["Cookie"] = cookie
    body: bytes | None = None
    if upload is not None:
        field, filename, data = upload
        parts = [f'--b0undary\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                 for k, v in (form or {}).items()]
        parts.append(f'--b0undary\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                     "Content-Type: text/csv\r\n\r\n".encode() + data + b"\r\n--b0undary--\r\n")
        body = b"".join(parts)
        sent["Content-Type"] = "multipart/form-data; boundary=b0undary"
        sent["Content-Length"] = str(len(body))
    elif form is not None:
        body = urlencode(form).encode()
        sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent["Content-Length"] = str(len(body))
    conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    for k, v in sent.items():
        conn.putheader(k, v)
    conn.endheaders(body)
    res = conn.getresponse()
    answer = Answer(res.status, {k.lower(): v for k, v in res.getheaders()}, res.read())
    conn.close()
    return answer


def session_of(answer: Answer) -> str:
    """The session cookie an answer set (name=value)."""
    return answer.headers["set-cookie"].split(";", 1)[0]


def csrf_of(answer: Answer) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', answer.text)
    assert found, answer.text[:500]
    return found[1]


def save_triage(server: Server, fid: str, **values: str) -> Answer:
    """A triage save as the finding page's form makes it (a session, its CSRF token, the app's own Origin)."""
    page = request(server, "GET", f"/findings/{fid}")
    assert page.status == 200, page.text[:300]
    cookie = session_of(page)
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version, page.text[:300]
    form = {"csrf": csrf_of(page), "version": version[1], **values}
    return request(server, "POST", f"/findings/{fid}/triage", form=form, cookie=cookie,
                   headers={"Origin": server.url})


def form_login(server: Server, name: str, password: str) -> Answer:
    page = request(server, "GET", "/login")
    return request(server, "POST", "/login", cookie=session_of(page), headers={"Origin": server.url},
                   form={"csrf": csrf_of(page), "name": name, "password": password, "next": "/findings"})


def triage_form(page: Answer) -> dict[str, str]:
    """The finding page's triage form as a browser sends it untouched: its hidden fields and CSRF token, the
    status selected, the assignee and the note (the line break right after <textarea> is not the note's), line
    breaks read as a browser reads them (LF)."""
    form = re.search(r'<form[^>]*id="triage-form">(.*?)</form>', page.text.replace("\r\n", "\n"), re.S)
    assert form, page.text[:500]
    found = {m[1]: html.unescape(m[2]) for m in re.finditer(r'<input[^>]*name="(\w+)" value="([^"]*)"', form[1])}
    status = re.search(r'<option value="(\w+)" selected>', form[1])
    note = re.search(r'<textarea name="note"[^>]*>(.*?)</textarea>', form[1], re.S)
    assert status and note, form[1]
    text = html.unescape(note[1])
    return {**found, "status": status[1], "note": text[1:] if text.startswith("\n") else text}
