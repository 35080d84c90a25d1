"""The inbox's list downloaded while the workbench holds the store (a real `govties serve`): every finding its
filters select, not one page, in its order, with the columns and values `govties sweep` writes and the triage the
workspace holds, as CSV, Excel or JSON lines; masked under --mask; recorded in the audit trail."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
from urllib.parse import quote

import pandas as pd
import pytest

import govties.api as gt

from conftest import MINIMAL, write_dataset
from workbench_http_support import request, save_triage
from workbench_support import Server, cli, province, stored


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("downloads")
    data = province(root)["data"]
    swept = root / "swept.csv"
    graph_args = stored(data, root / "g.duckdb", swept, "--lang", "en")
    server = Server(graph_args).start()
    yield server, pd.read_csv(swept, dtype=str, keep_default_na=False), root / "g.duckdb"
    server.stop()


def _csv(answer) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(answer.body), dtype=str, keep_default_na=False)


def test_the_list_s_links_download_every_finding_its_filters_select_as_the_sweep_wrote_them(served):
    server, swept, _ = served
    page = request(server, "GET", "/findings?severity=medium&size=20&page=2&lang=en")
    assert page.status == 200
    links = {fmt: html.unescape(link) for link, fmt in re.findall(r'<a href="([^"]+)" id="download-(\w+)"', page.text)}
    assert set(links) == {"csv", "xlsx", "jsonl"}
    assert links["csv"] == "/inbox.csv?severity=medium"  # the filters as read; not the page or its size
    answer = request(server, "GET", links["csv"])
    assert answer.status == 200 and answer.headers["content-type"].startswith("text/csv")
    assert re.fullmatch(r'attachment; filename="findings-\d{4}-\d\d-\d\d\.csv"', answer.headers["content-disposition"])
    got = _csv(answer)
    medium = swept[swept.severity == "medium"]
    assert len(medium) > 20 and len(got) == len(medium)  # more than the page held: all of them
    listed = re.findall(r'<tr data-finding-id="([0-9a-f]{16})"',
                        request(server, "GET", "/findings?severity=medium&size=200").text)
    assert got.finding_id.tolist() == listed  # in the inbox's order
    same = [c for c in swept.columns if c in got.columns]
    assert len(same) >= 20
    assert (got.set_index("finding_id")[same[1:]].sort_index()
            == medium.set_index("finding_id")[same[1:]].sort_index()).all().all()
    assert set(got.triage_status) == {"open"}
    xlsx = pd.read_excel(io.BytesIO(request(server, "GET", links["xlsx"]).body), sheet_name=None, dtype=str)
    assert len(xlsx["findings"]) == len(medium)
    lines = request(server, "GET", links["jsonl"]).text.splitlines()
    assert sorted(json.loads(line)["finding_id"] for line in lines) == sorted(medium.finding_id)


def test_a_download_carries_the_triage_and_is_recorded_in_the_audit_trail(served):
    server, swept, store = served
    fid = swept.finding_id.iloc[0]
    assert save_triage(server, fid, status="confirmed", note="核实：亲属持股", assignee="li").status == 303
    got = _csv(request(server, "GET", f"/inbox.csv?q={fid}")).set_index("finding_id")
    assert got.loc[fid, ["triage_status", "triage_assignee", "triage_note", "triage_evidence"]].tolist() == [
        "confirmed", "li", "核实：亲属持股", "unchanged"]  # who the lead is assigned to travels with it
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", got.loc[fid, "triage_when"])  # as sweep --triage writes it
    # in Excel under Chinese titles: words, and the triage's time a date cell (it was text: 2026-12-03 14:28 UTC)
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(request(server, "GET", f"/inbox.xlsx?q={fid}&lang=zh").body))["findings"]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert (row["核查状态"], row["承办人"], row["核查后证据"]) == ("已确认", "li", "无变化")
    assert isinstance(row["核查时间"], dt.datetime) and row["核查时间"].date() == dt.datetime.now(dt.UTC).date()
    server.stop()  # a DuckDB store is one process's at a time: the audit trail read between two runs
    try:
        with gt.open_graph("duckdb", store=str(store)) as graph:
            trail = graph.workspace().events(kind="download")
        assert ("alice", "csv", {"filters": f"q={fid}", "findings": 1}) in [
            (e["who"], e["field"], json.loads(e["after"])) for e in trail]
    finally:
        server.start()
    refused = request(server, "GET", "/inbox.csv?severity=ultra")  # a filter naming nothing: the inbox says why
    assert refused.status == 303 and refused.headers["location"].endswith("/findings?severity=ultra")
    assert request(server, "GET", "/inbox.pdf").status == 404


def test_under_mask_a_download_is_masked_and_keyed_as_the_pages_are(tmp_path, monkeypatch):
    """The official recorded under his resident ID (person_id = id_number, as many source systems key people)."""
    files = {name: text.replace("P1", "330102197001010013") for name, text in MINIMAL.items()}
    store = tmp_path / "g.duckdb"
    cli("load", str(write_dataset(tmp_path / "data", files)), "--store", str(store), "-q")
    cli("sweep", "--no-load", "--store", str(store), "-o", str(tmp_path / "f.csv"), "-q")
    plain = pd.read_csv(tmp_path / "f.csv", dtype=str).finding_id.tolist()
    monkeypatch.setenv("GOVTIES_MASK_KEY", "0123456789abcdef0123456789abcdef")
    server = Server(["--store", str(store)], extra=["--mask"]).start()
    try:
        page = request(server, "GET", "/findings")
        shown = set(re.findall(r'data-finding-id="([0-9a-f]{16})"', page.text))
        answer = request(server, "GET", "/inbox.csv")
        assert answer.status == 200
        assert "330102197001010013" not in answer.text and "330102********0013" in answer.text
        assert _csv(answer).official_id.tolist() == ["330102********0013"]
        book = request(server, "GET", "/inbox.xlsx?q=" + quote("王建国 330102197001010013"))
        about = pd.read_excel(io.BytesIO(book.body), sheet_name="about", dtype=str, header=None)
        assert "330102197001010013" not in about.to_csv() and "19700101" not in about.to_csv()
        for fid in plain:  # a plain id typed in the search is never echoed keyed (which would confirm a guess)
            listed = request(server, "GET", f"/findings?q={fid}").text
            links = re.findall(r'href="(/inbox\.csv[^"]*)"', listed)
            assert links and not any(k in html.unescape(links[0]) for k in shown)
        assert set(_csv(answer).finding_id) == shown and not any(fid in answer.text for fid in plain)
    finally:
        server.stop()
