"""Ids that hold what an address treats specially (/ ? # % and a space, as registries write case numbers like
浙建审/2022/15): every link to an entity's page lands on that entity's page, and watching one works."""

from __future__ import annotations

import html
import re
from urllib.parse import quote, unquote

import pandas as pd
import pytest

from conftest import MINIMAL, write_dataset
from workbench_http_support import csrf_of, request, session_of
from workbench_support import Server, cli

ODD = {"P1": "P/1?x", "C1": "C#1 %20", "D1": "浙建审/2022/15", "A1": "A%2F1"}


def _odd(text: str) -> str:
    for plain, odd in ODD.items():
        text = re.sub(rf"\b{plain}\b", odd, text)
    return text


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("odd")
    files = {name: _odd(text) for name, text in MINIMAL.items()}
    store = root / "g.duckdb"
    cli("load", str(write_dataset(root / "data", files)), "--store", str(store), "-q")
    cli("sweep", "--no-load", "--store", str(store), "-o", str(root / "f.csv"), "-q", "--lang", "en")
    fid = pd.read_csv(root / "f.csv", dtype=str).loc[0, "finding_id"]
    server = Server(["--store", str(store)]).start()
    yield server, fid
    server.stop()


def test_every_link_to_an_entity_lands_on_its_page(served):
    server, fid = served
    page = request(server, "GET", f"/findings/{fid}")
    assert page.status == 200, page.text[:300]
    links = {html.unescape(m) for m in re.findall(r'href="(/entities/[^"]+)"', page.text)}
    linked = {unquote(link.removeprefix("/entities/")) for link in links}
    assert {"P/1?x", "C#1 %20", "浙建审/2022/15", "A%2F1"} <= linked, links
    for link in links:
        answer = request(server, "GET", link)
        assert answer.status == 200, (link, answer.text[:300])
        shown = re.search(r'data-entity-id="([^"]*)"', answer.text)
        assert shown and html.unescape(shown[1]) == unquote(link.removeprefix("/entities/"))


def test_a_person_whose_id_holds_a_slash_and_a_question_mark_is_watched_and_found_again(served):
    server, _ = served
    address = "/entities/" + quote("P/1?x", safe="")
    page = request(server, "GET", address)
    assert page.status == 200, page.text[:300]
    done = request(server, "POST", re.search(r'action="([^"]+/watch)"', page.text)[1], cookie=session_of(page),
                   headers={"Origin": server.url}, form={"csrf": csrf_of(page)})
    assert done.status == 303, done.text[:300]
    assert unquote(done.headers["location"].removeprefix(server.url)) == "/entities/P/1?x"
    again = request(server, "GET", done.headers["location"].removeprefix(server.url), cookie=session_of(page))
    assert again.status == 200 and 'id="watch"' not in again.text  # watched now: the button is gone


def test_under_mask_ids_that_are_resident_ids_in_other_forms_link_masked_and_open(tmp_path, monkeypatch):
    """A person recorded under a resident ID written in parts, another under one a digit short: their links are
    masked and tagged and open their pages; the plain ids open nothing (no guess of the hidden digits is tested)."""
    odd = {"P1": "330102-19700101-0013", "P2": "33010219720202002"}
    files = {name: text for name, text in MINIMAL.items()}
    for plain, person in odd.items():
        files = {name: re.sub(rf"\b{plain}\b", person, text) for name, text in files.items()}
    store = tmp_path / "g.duckdb"
    cli("load", str(write_dataset(tmp_path / "data", files)), "--store", str(store), "-q")
    cli("sweep", "--no-load", "--store", str(store), "-o", str(tmp_path / "f.csv"), "-q")
    monkeypatch.setenv("GOVTIES_MASK_KEY", "0123456789abcdef0123456789abcdef")
    server = Server(["--store", str(store)], extra=["--mask"]).start()
    try:
        fid = re.search(r'data-finding-id="([0-9a-f]{16})"', request(server, "GET", "/findings").text)[1]
        page = request(server, "GET", f"/findings/{fid}")
        links = {html.unescape(m) for m in re.findall(r'href="(/entities/[^"]+)"', page.text)}
        people = [link for link in links if "~" in link]
        assert len(people) == 2, links
        for link in people:
            answer = request(server, "GET", link)
            assert answer.status == 200, link
            assert not any(p in answer.text for p in odd.values())
        for person in odd.values():
            assert person not in page.text
            assert request(server, "GET", "/entities/" + quote(person, safe="")).status == 404
    finally:
        server.stop()
