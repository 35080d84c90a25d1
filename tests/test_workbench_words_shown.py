"""How the workbench's pages read, against a real `govties serve` over a finding that has been triaged, put in a
case with notes, and whose evidence then changed: Chinese pages write the full-width colon (承办人：王调查), never
`承办人: `; the triage form keeps its version hidden; a rule's basis is one paragraph per cited law, its wrapped
lines joined; English labels are capitalised alike wherever they show (Open, In review, Case, Created)."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from conftest import MINIMAL, write_dataset
from workbench_http_support import csrf_of, request, save_triage, session_of
from workbench_support import Server, cli

ASCII_COLON = re.compile(r"[\u4e00-\u9fff]: ")


def visible(page: str) -> str:
    """A page's text as a reader sees it: no scripts, styles or tags, entities read."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The minimal dataset swept; its finding triaged (assignee 王调查) with a note, in a case with a note; then a
    second decision appended and swept, so that the finding's evidence changed since its triage."""
    root = tmp_path_factory.mktemp("words")
    path = root / "g.duckdb"
    cli("load", str(write_dataset(root / "data", MINIMAL)), "--store", str(path), "-q")
    cli("sweep", "--no-load", "--store", str(path), "-o", str(root / "f.csv"), "-q")
    fid = pd.read_csv(root / "f.csv", dtype=str).loc[0, "finding_id"]
    server = Server(["--store", str(path)]).start()
    try:
        saved = save_triage(server, fid, status="in_review", assignee="王调查", note="先核实股权")
        assert saved.status == 303, saved.text[:300]
        page = request(server, "GET", f"/findings/{fid}")
        cookie, token, own = session_of(page), csrf_of(page), {"Origin": server.url}
        made = request(server, "POST", "/cases/new", cookie=cookie, headers=own,
                       form={"csrf": token, "finding": fid, "kind": "official"})
        assert made.status == 303, made.text[:300]
        case_id = made.headers["location"].rsplit("/", 1)[1]
        for target, text in ((case_id, "与纪检组沟通"), (fid, "已调取工商登记")):
            noted = request(server, "POST", "/notes", cookie=cookie, headers=own,
                            form={"csrf": token, "target": target, "text": text})
            assert noted.status == 303, noted.text[:300]
    finally:
        server.stop()
    more = write_dataset(root / "more", {
        "decisions.csv": "decision_id,kind,date,agency_id,beneficiary_id,amount\nD2,permit,2021-03-01,A1,C1,3500000\n",
        "decision_makers.csv": "decision_id,person_id,role\nD2,P1,approver\n"})
    cli("load", str(more), "--store", str(path), "--append", "-q")
    cli("sweep", "--no-load", "--store", str(path), "-o", str(root / "f2.csv"), "-q")
    server.start()
    yield {"server": server, "fid": fid, "case_id": case_id}
    server.stop()


def pages(served) -> dict[str, str]:
    fid, case_id = served["fid"], served["case_id"]
    return {"inbox": "/findings", "finding": f"/findings/{fid}", "finding sheet": f"/sheet/finding/{fid}",
            "cases": "/cases", "case": f"/cases/{case_id}", "case sheet": f"/sheet/case/{case_id}",
            "person": "/entities/P1", "company": "/entities/C1", "decision": "/entities/D1",
            "search": "/search?q=%E7%8E%8B", "explore": "/explore", "warnings": "/warnings",
            "evaluation": "/evaluation", "not found": "/no/such/page", "missing finding": "/findings/0000000000000000"}


def test_chinese_pages_write_the_full_width_colon(served):
    server = served["server"]
    seen = {}
    for name, path in pages(served).items():
        got = request(server, "GET", path + ("&" if "?" in path else "?") + "lang=zh")
        assert got.status in (200, 404), (name, got.status, got.text[:300])
        text = visible(got.text)
        seen[name] = text
        assert not ASCII_COLON.search(text), (name, [m.group() for m in re.finditer(r".{12}[\u4e00-\u9fff]: .{12}",
                                                                                     text)])
    # the texts the trial found, as they now read
    assert "承办人：王调查" in seen["finding"] and "承办人：王调查" in seen["finding sheet"]
    assert re.search(r"所属案件：\S", seen["finding"]), seen["finding"]
    assert "关联人：李梅" in seen["inbox"]
    assert "案件材料：王建国" in seen["case sheet"]
    assert "alice：与纪检组沟通" in seen["case sheet"] and "alice：已调取工商登记" in seen["finding sheet"]
    assert re.search(r"决定：D2", seen["finding"]), seen["finding"]  # what changed in the evidence since triage
    assert "：D2" in seen["finding sheet"]


def test_english_pages_keep_the_ascii_colon(served):
    got = request(served["server"], "GET", f"/findings/{served['fid']}?lang=en")
    text = visible(got.text)
    assert "Assignee: 王调查" in text and re.search(r"In cases: \S", text) and "Decision: D2" in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_triage_form_keeps_its_version_hidden(served, lang):
    got = request(served["server"], "GET", f"/findings/{served['fid']}?lang={lang}")
    form = re.search(r'<form method="post" action="/findings/[0-9a-f]+/triage#triage" id="triage-form">(.*?)</form>',
                     got.text, re.S)
    assert form, got.text
    assert re.search(r'<input type="hidden" name="version" value="1">', form[1])  # a stale save is still caught
    shown = visible(form[1])
    assert "版本" not in shown and "Version" not in shown and not re.search(r"\b1\b", shown), shown
    assert "alice" in shown  # who saved it last, and when, stay


def test_a_rules_basis_is_a_paragraph_per_cited_law_its_lines_joined(served):
    from govties.api import rules
    from govties.workbench.render import basis_items

    basis = rules()["relative-business"].basis
    assert "特定关系人\n在审批监管" in basis  # the catalog's wrapped text
    items = basis_items(basis)
    assert [i.split("》")[0] + "》" for i in items] == ["《中国共产党纪律处分条例》", "《中华人民共和国公务员法》"]
    assert all("\n" not in i for i in items) and "特定关系人在审批监管" in items[0]
    for path in (f"/findings/{served['fid']}?lang=zh", f"/sheet/finding/{served['fid']}?lang=zh"):
        got = request(served["server"], "GET", path)
        block = re.search(r'<div class="basis">(.*?)</div>', got.text, re.S)
        assert block, (path, got.text[:500])
        assert re.findall(r"<p>(.*?)</p>", block[1], re.S) == [html.escape(i) for i in items], block[1]
    # English wraps join with a space; an item begins at 《 or after a sentence's end
    assert basis_items("The Business Appointment\nRules, section\n3.\nThe Act") == [
        "The Business Appointment Rules, section 3.", "The Act"]
    assert basis_items("《甲法》第一条：前半，\n后半。\n说明一句。") == ["《甲法》第一条：前半，后半。", "说明一句。"]


def test_english_labels_are_capitalised_alike(served):
    server = served["server"]
    finding = request(server, "GET", f"/findings/{served['fid']}?lang=en").text
    options = re.findall(r'<option value="(\w+)"[^>]*>([^<]*)</option>', finding)
    assert dict(options)["open"] == "Open" and dict(options)["in_review"] == "In review", options
    assert '<span class="status st-in_review">In review</span>' in finding
    assert '<span class="sev sev-high">High</span>' in finding
    history = re.search(r'<table class="grid history">(.*?)</table>', finding, re.S)[1]
    cells = re.findall(r"<td>([A-Za-z][^<]*)</td>", history)
    assert {"Triage", "Note", "Status", "Assignee"} <= set(cells), cells
    assert '<td class="wrap">Open</td><td class="wrap">In review</td>' in history, history
    assert not [c for c in cells if c[0].islower() and c != "alice"], cells
    case = request(server, "GET", f"/cases/{served['case_id']}?lang=en").text
    cells = re.findall(r"<td>([A-Za-z][^<]*)</td>", re.search(r'<table class="grid history">(.*?)</table>', case,
                                                              re.S)[1])
    assert "Case" in cells and "Created" in cells and "Finding" in cells, cells
    legend = re.findall(r"</svg>([^<]+)</li>", re.search(r'<ul class="legend">(.*?)</ul>', finding, re.S)[1])
    assert legend and all(item[0].isupper() for item in legend), legend  # Official, Relative / associate ...
    entity = request(server, "GET", "/entities/C1?lang=en").text
    assert re.search(r"<p>Organization · Company ·", entity), entity[:3000]
    inbox = request(server, "GET", "/findings?lang=en").text
    facet = re.search(r'<section class="facet" data-facet="status">(.*?)</section>', inbox, re.S)[1]
    assert re.findall(r'title="([^"]*)"', facet) == ["In review"], facet


def test_the_evaluation_page_writes_full_width_parentheses_in_chinese(served):
    """The periods compared are headed 时期一（2020） in Chinese (no ASCII parentheses after a Chinese word), and
    Period 1 (2020) in English."""
    server = served["server"]
    zh = visible(request(server, "GET", "/evaluation?lang=zh").text)
    assert re.search(r"时期一（\d{4}）", zh) and re.search(r"时期二（\d{4}）", zh), zh
    assert not re.search(r"[\u4e00-\u9fff] ?\(", zh), re.findall(r".{8}[\u4e00-\u9fff] ?\(.{8}", zh)
    en = visible(request(server, "GET", "/evaluation?lang=en").text)
    assert re.search(r"Period 1 \(\d{4}\)", en) and re.search(r"Period 2 \(\d{4}\)", en), en


def test_the_inbox_s_boxes_hint_in_the_page_s_language(served):
    """The amount, date and new case's title boxes' placeholders are the page's language's (100万 on a Chinese page,
    1,000,000 on an English one): no Chinese hint on an English page."""
    for lang, amount, date, title in (("zh", "100万", "年-月-日", "名称"), ("en", "1,000,000", "YYYY-MM-DD", "Title")):
        page = request(served["server"], "GET", f"/findings?lang={lang}").text
        hints = dict(re.findall(r'<input name="(\w+)"[^>]*placeholder="([^"]*)"', page))
        assert hints == {"amount_min": amount, "date_from": date, "date_to": date, "title": title}, hints


@pytest.mark.parametrize("lang, triage, logged", [("zh", "核查", "办案记录"), ("en", "Triage", "Note")])
def test_the_history_tells_a_case_log_note_from_a_triage_note(served, lang, triage, logged):
    """The finding's history: the triage's note (核查 · 备注) and a note of the case log (办案记录) read apart (both
    read 备注 · 备注 / 核查 · 备注 before)."""
    page = request(served["server"], "GET", f"/findings/{served['fid']}?lang={lang}").text
    table = re.search(r'<table class="grid history">(.*?)</table>', page, re.S)[1]
    cells = [[visible(cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
             for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
    rows = [row for row in cells if len(row) == 6]  # when, who, kind, field, before, after
    assert any(row[2] == logged and "已调取工商登记" in row[5] for row in rows), rows
    assert any(row[2] == triage and "先核实股权" in row[5] for row in rows), rows
