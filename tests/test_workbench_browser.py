"""The workbench end to end in a real Chromium against a real `govties serve` over a generated province, on both
backends: search → entity page → expand → triage → restart → the triage is still there; hostile names stay
text; every page in both languages; an append that changes a dismissed finding's evidence reopens it; and a
server on another address refuses anonymous requests and writes without a CSRF token, and a stale save.
Screenshots of every page, in both languages, are kept (workbench_support.artifacts)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from click.testing import CliRunner

from govties.cli.main import main
from govties.graph.vocabulary import DECISION_KIND

from conftest import neo4j_available_or_skip
from workbench_support import (PASSWORDS, PAYLOAD, SCRIPT_PAYLOAD, Server, Watched, artifacts, cli, launch_browser,
                               login, province)
from workbench_support import click_node as _click_node

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"\b[A-Za-z][A-Za-z'-]{2,}\b")  # an English word (of three letters or more)
# ids, names, formats and the language switch are not words of the page
NOT_WORDS = re.compile(r"\b(?:[0-9a-f]{16}|X?[PODX]\d+|govties|English|UTC|CSV|PDF|alice)\b")
browser = pytest.fixture(scope="module")(launch_browser)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    return province(tmp_path_factory.mktemp("workbench"))


@pytest.fixture(scope="module", params=["duckdb", "neo4j"])
def served(request, prepared, tmp_path_factory):
    """The province loaded and swept (recorded) on one backend, and a loopback server over it."""
    if request.param == "neo4j":
        neo4j_available_or_skip()
        import govties.api as gt

        with gt.open_graph("neo4j", create=True) as g:
            g.backend.wipe()
            g.workspace().store.clear()
        graph_args = ["--backend", "neo4j"]
    else:
        graph_args = ["--store", str(tmp_path_factory.mktemp("store") / "graph.duckdb")]
    cli("load", str(prepared["data"]), *graph_args, "-q")
    out = tmp_path_factory.mktemp("findings") / "findings.csv"
    cli("sweep", "--no-load", *graph_args, "-o", str(out), "-q")
    findings = pd.read_csv(out, dtype=str, keep_default_na=False)
    planted = findings[(findings.rule == "relative-business") & (findings.official_id == "XP0003")
                       & (findings.org_id == "XO0005")]
    assert len(planted) == 1
    server = Server(graph_args).start()
    yield {"backend": request.param, "graph_args": graph_args, "server": server, "findings": findings,
           "shots": artifacts("workbench", request.param),
           "planted": planted.iloc[0]["finding_id"], **prepared}
    server.stop()


def _shot(page, served, name):
    """A screenshot kept after the run (workbench_support.artifacts), checked to hold a drawn page."""
    path = served["shots"] / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 10_000
    return path


def test_search_entity_expand_triage_restart(served, browser, tmp_path):
    server, fid = served["server"], served["planted"]
    w = Watched(browser, server.url)
    page = w.page
    page.goto(server.url + "/findings")
    assert page.locator("#findings tbody tr").count() > 5
    _shot(page, served, "inbox")
    page.fill("header form.quick input[name=q]", served["official_name"])
    page.press("header form.quick input[name=q]", "Enter")
    page.wait_for_url("**/search?q=*")
    row = page.locator("#results tbody tr", has=page.locator("a[href='/entities/XP0003']"))
    assert "1965-03-12" in row.locator("td.about").inner_text()  # what tells two people of one name apart
    page.locator("#results a.hit", has_text=served["official_name"]).first.click()
    page.wait_for_url("**/entities/XP0003")
    assert page.locator("section h2", has_text="Posts").count() == 1
    assert page.locator("table.records td", has_text="people.csv").count() >= 1  # the source record, file and line
    _shot(page, served, "entity")
    page.goto(server.url + page.locator("#explore-link").get_attribute("href") + "&cap=4")  # four per click
    page.wait_for_selector("body[data-ready='1']")
    first = int(page.evaluate("window.govtiesExplore.nodes.length"))
    assert first >= 5 and "more not expanded" in page.locator("#explore-notes").inner_text()  # capped, and says so
    _click_node(page, "XP0003")  # the next four
    page.wait_for_selector("body[data-expanded='2']")
    assert int(page.evaluate("window.govtiesExplore.nodes.length")) > first
    company = page.evaluate("window.govtiesExplore.nodes.getIds().find(i => i.startsWith('XO'))")
    if company:
        _click_node(page, company)
        page.wait_for_selector("body[data-expanded='3']")
    shown = page.evaluate("window.govtiesExplore.nodes.get().filter(n => !n.hidden).length")
    visible = "window.govtiesExplore.nodes.get().filter(n => !n.hidden).length"
    page.evaluate("window.govtiesExplore.network.selectNodes(['XP0003'])")
    page.click("#hide")
    assert page.evaluate(visible) == shown - 1
    page.click("#show")
    assert page.evaluate(visible) == shown
    decisions = page.evaluate("window.govtiesExplore.nodes.get().filter(n => n.type === 'decision').length")
    page.check("#fold")  # decisions fold into weighted edges between who decided and who benefited
    assert page.evaluate(visible) == shown - decisions
    folded = page.evaluate("window.govtiesExplore.edges.get().filter(e => e.folded).map(e => e.label)")
    assert folded and all(re.fullmatch(r"(1 decision|([02-9]|\d\d+) decisions)(, [\d,]+ yuan)?", label)
                          for label in folded)  # one decision, or decisions
    page.uncheck("#fold")
    page.fill("#day", "0")  # the graph as of its first day: what came later is hidden
    page.dispatch_event("#day", "input")
    assert page.evaluate(visible) < shown
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", page.locator("#day-label").inner_text())
    page.fill("#pa", "XP0003")
    page.fill("#pb", "XO0005")
    page.click("#paths-form button[type=submit]")
    page.wait_for_selector("body[data-paths]")
    assert int(page.evaluate("document.body.dataset.paths")) >= 1
    _shot(page, served, "explore")
    page.goto(server.url + "/entities/XP0003")
    page.locator(f"a[href='/findings/{fid}']").first.click()
    page.wait_for_url(f"**/findings/{fid}")
    page.wait_for_selector("body[data-graph-ready='1']")
    boxes = page.evaluate("""() => { const n = window.govtiesGraph;
        return n.body.data.nodes.get().filter(x => x.category !== 'port').map(x => n.getBoundingBox(x.id)); }""")
    assert len(boxes) >= 7  # four entities and the labels of their links
    for i, a in enumerate(boxes):  # the layered layout: no two nodes or labels overlap
        for b in boxes[i + 1:]:
            assert a["right"] <= b["left"] or b["right"] <= a["left"] or a["bottom"] <= b["top"] \
                or b["bottom"] <= a["top"], (a, b)
    drawn = page.evaluate("""() => { const n = window.govtiesGraph, box = document.getElementById('graph');
        const all = n.body.data.nodes.get().map(x => n.getBoundingBox(x.id)), s = n.getScale();
        return {width: (Math.max(...all.map(b => b.right)) - Math.min(...all.map(b => b.left))) * s,
                height: (Math.max(...all.map(b => b.bottom)) - Math.min(...all.map(b => b.top))) * s,
                room: [box.clientWidth, box.clientHeight], scale: s}; }""")
    assert drawn["width"] >= drawn["room"][0] / 2 and drawn["height"] >= drawn["room"][1] / 2, drawn  # not a strip
    _shot(page, served, "finding")
    page.select_option("#triage-form select[name=status]", "confirmed")
    page.fill("#triage-form input[name=assignee]", "alice")
    page.fill("#triage-form textarea[name=note]", "registry extract checked")
    page.click("#triage-form button[type=submit]")
    page.wait_for_selector("#saved")
    page.emulate_media(media="print")  # paper keeps what was saved, not the moment's confirmation
    assert page.locator("#saved").is_hidden() and page.locator("#triage-printed").is_visible()
    page.emulate_media(media="screen")
    w.check()
    w.close()
    server.restart()
    w = Watched(browser, server.url)
    w.page.goto(f"{server.url}/findings/{fid}")
    assert w.page.locator("#triage-form select[name=status]").input_value() == "confirmed"
    assert w.page.locator("#triage-form textarea[name=note]").input_value() == "registry extract checked"
    history = w.page.locator("table.history").inner_text()
    assert "registry extract checked" in history and "alice" in history
    w.page.goto(server.url + "/findings?status=confirmed")
    assert w.page.locator("#findings tbody tr").count() == 1
    w.check()
    w.close()


def test_hostile_names_stay_text(served, browser, tmp_path):
    server, fid = served["server"], served["planted"]
    w = Watched(browser, server.url)
    page = w.page
    for path in (f"/findings/{fid}", "/entities/XP0004", "/entities/XO0005", "/findings?q=onerror",
                 f"/sheet/finding/{fid}", f"/explore?finding={fid}", "/search?q=img"):
        page.goto(server.url + path)
        page.wait_for_load_state("load")
        page.mouse.move(500, 500)
        assert page.evaluate("window.__pwned") is None, path
        assert page.evaluate("document.querySelectorAll('img').length") == 0, path
    page.goto(f"{server.url}/findings/{fid}")
    page.wait_for_selector("body[data-graph-ready='1']")
    assert PAYLOAD in page.locator("table.evidence").inner_text()
    assert SCRIPT_PAYLOAD in page.locator("table.evidence").inner_text()
    labels = page.evaluate("window.govtiesGraph.body.data.nodes.get().map(n => n.label || '').join('|')")
    assert "<img src=x" in labels  # drawn on the canvas as text
    _shot(page, served, "hostile")
    w.check()
    w.close()


def test_every_page_in_both_languages(served, browser, tmp_path):
    server, fid = served["server"], served["planted"]
    w = Watched(browser, server.url)
    page = w.page
    pages = {"inbox": "/findings", "finding": f"/findings/{fid}", "cases": "/cases", "search": "/search?q=XP0003",
             "entity": "/entities/XO0001", "explore": "/explore", "warnings": "/warnings", "evaluation": "/evaluation",
             "evaluation-regions": "/evaluation?level=regions", "sheet": f"/sheet/finding/{fid}"}
    ui = "header nav, th, label, button, h2, h3, dt"
    for lang in ("zh", "en"):
        page.goto(f"{server.url}/findings?lang={lang}")
        for name, path in pages.items():
            response = page.goto(server.url + path)
            assert response.status == 200, path
            csp = response.headers["content-security-policy"]
            assert "script-src 'self'" in csp and "unsafe" not in csp
            texts = page.locator(ui).all_inner_texts()
            chrome = " ".join(texts)
            if lang == "en":
                assert not CJK.search(chrome), (path, CJK.findall(chrome)[:5])
            else:  # nothing half-translated: no English word in the page's own words, hints and labels
                hints = page.evaluate("[...document.querySelectorAll('[placeholder], [aria-label], option')].map("
                                      "e => [e.placeholder, e.getAttribute('aria-label'), e.text].join(' '))")
                english = {m for text in [*texts, *hints] for m in LATIN.findall(NOT_WORDS.sub("", text or ""))}
                assert CJK.search(chrome) and not english, (path, english)
            _shot(page, served, f"{name}-{lang}")
    page.goto(f"{server.url}/sheet/finding/{fid}")
    page.emulate_media(media="print")
    assert page.locator("header.top").is_hidden() and page.locator("svg.sheet-graph").is_visible()
    _shot(page, served, "sheet-print")
    page.pdf(path=str(tmp_path / "sheet.pdf"), format="A4")
    assert (tmp_path / "sheet.pdf").read_bytes().startswith(b"%PDF")
    w.check()
    w.close()


def test_case_from_a_finding_with_notes_and_sheet(served, browser, tmp_path):
    server, fid = served["server"], served["planted"]
    w = Watched(browser, server.url)
    page = w.page
    page.goto(f"{server.url}/findings/{fid}")
    # printed, the finding's page leaves out its graph (it printed a heading over a legend) and says where the
    # printable one is, and prints its triage as stored (the form, hidden, printed nothing) and no case offers
    page.emulate_media(media="print")
    assert page.locator("#print-sheet-hint").is_visible() and page.locator("#graph").is_hidden()
    assert f"{server.url}/sheet/finding/{fid}" in page.locator("#print-sheet-hint").inner_text()  # typed from paper
    assert page.locator("#triage-printed").is_visible() and page.locator("#triage-form").is_hidden()
    stored = page.locator("header.title .status").inner_text().strip()  # as another test left it
    assert stored and page.locator("#triage-printed .status").inner_text().strip() == stored
    in_cases = page.locator("section.cases-of a[href^='/cases/case-']").count()
    assert page.locator("section.cases-of").is_hidden() == (in_cases == 0)  # offers alone: nothing to print
    assert page.locator("div.basis").is_visible()  # the rule's basis, folded on screen, printed unfolded
    _shot(page, served, "finding-print")
    page.emulate_media(media="screen")
    assert page.locator("#print-sheet-hint").is_hidden() and page.locator("#triage-printed").is_hidden()
    assert page.locator("div.basis").is_hidden()
    page.click("button.group-official")
    page.wait_for_url("**/cases/case-*")
    members = page.locator("#members tbody tr").count()
    expected = int((served["findings"].official_id == "XP0003").sum())
    assert members == expected >= 1
    page.fill("textarea[name=text]", "调取工商登记档案 <b>not bold</b>")
    page.click("form[action='/notes'] button")
    assert page.locator("ul.notes li p").first.inner_text() == "调取工商登记档案 <b>not bold</b>"
    assert "alice" in page.locator("table.history").inner_text()
    case_url = page.url
    page.goto(case_url + "?lang=zh")  # the history in the page's language: kinds, fields and values
    rows = page.locator("table.history tbody tr").all()
    assert len(rows) == members + 2  # created, each finding added, the note
    for row in rows:
        cells = row.locator("td").all_inner_texts()
        assert CJK.search(cells[2]) and CJK.search(cells[3]), cells
    created = rows[-1].locator("td").all_inner_texts()
    assert created[3] == "立案" and created[5] == f"{served['official_name']} · 按公职人员 · XP0003", created
    page.goto(case_url + "?lang=en")
    page.goto(f"{server.url}/cases")
    assert page.locator("table.cases tbody tr").count() >= 1
    page.goto(case_url.replace("/cases/", "/sheet/case/"))
    assert page.locator("svg.sheet-graph").count() == expected  # each finding's graph, printable
    ends = page.locator("table.grid:not(.decisions) tbody td:nth-child(2), "
                        "table.grid:not(.decisions) tbody td:nth-child(4)").all_inner_texts()
    assert any(text.endswith(f"{served['official_name']} XP0003") for text in ends), ends  # a name, then its id
    assert not [text for text in ends if re.search(r"(\S+) \1$", text)], ends  # an id said once (补贴 XD0015)
    page.emulate_media(media="print")
    assert page.locator("header.top").is_hidden() and page.locator("#print").is_hidden()
    _shot(page, served, "case-sheet")
    page.pdf(path=str(tmp_path / "case.pdf"), format="A4")
    w.check()
    w.close()


def test_triage_import_stale_case_and_every_facet_value(served, browser, tmp_path):
    server, findings = served["server"], served["findings"]
    other = findings[findings.finding_id != served["planted"]].iloc[-1]["finding_id"]
    w = Watched(browser, server.url)
    page = w.page
    good = tmp_path / "team.csv"
    good.write_text(f"finding_id,status,note,who,when\n{other},in_review,from the team sheet,zhou,2026-11-30\n",
                    encoding="utf-8")
    page.goto(f"{server.url}/findings")
    page.set_input_files("#import-triage input[type=file]", str(good))
    page.click("#import-triage button")
    assert page.locator("#imported").inner_text() == "Triage imported: 1 finding changed, 0 unchanged."
    page.goto(f"{server.url}/findings/{other}")
    assert page.locator("#triage-form select[name=status]").input_value() == "in_review"
    history = page.locator("table.history tbody").inner_text()
    assert "zhou\tImport\tStatus\tOpen\tIn review" in history and "from the team sheet" in history
    bad = tmp_path / "bad.csv"
    bad.write_text(f"finding_id,status,note,who,when\n{other},dismissed,x,zhou,2026-11-30\n"
                   f"no-such-finding,dismissed,x,zhou,2026-11-30\n{other},maybe,x,zhou,2026-11-30\n",
                   encoding="utf-8")
    page.goto(f"{server.url}/findings")
    page.set_input_files("#import-triage input[type=file]", str(bad))
    page.click("#import-triage button")  # checked whole first: every problem with its line at once, nothing applied
    said = page.locator("#error-message").inner_text()
    assert "bad.csv, line 3, column 1 (finding_id): is not a recorded finding (found 'no-such-finding')" in said
    assert ("bad.csv, line 4, column 2 (status): expected one of open (待核查), in_review (核查中), confirmed "
            "(已确认), dismissed (已排除)") in said
    w.errors.remove("Failed to load resource: the server responded with a status of 400 (Bad Request)")
    page.goto(f"{server.url}/findings/{other}")
    assert page.locator("#triage-form select[name=status]").input_value() == "in_review"
    # a case closed in one page and then in another opened before: refused, naming who changed it
    page.click("button.group-official")
    page.wait_for_url("**/cases/case-*")
    second = w.new_page()
    second.goto(page.url)
    page.click("form[action$='/status'] button")
    assert page.locator("header.title .status").inner_text() == "Closed"  # the case status, capitalised as shown
    second.click("form[action$='/status'] button")
    assert re.match(r"alice changed this case at \d{4}-\d\d-\d\d \d\d:\d\d after you opened it",
                    second.locator("div.message.bad").inner_text())
    w.errors.remove("Failed to load resource: the server responded with a status of 409 (Conflict)")
    # every value of a facet on asking; twelve at most otherwise
    page.goto(f"{server.url}/findings")
    officials = page.locator("section[data-facet=official] li")
    assert officials.count() <= 12 and page.locator("section[data-facet=official] a.more").count() == 1
    page.click("section[data-facet=official] a.more")
    page.wait_for_url("**/findings?*more=official*")  # counted on the page the link opens, not while it loads
    page.wait_for_load_state()
    assert officials.count() == findings.official_id[findings.official_id != ""].nunique() > 12
    assert page.locator("section[data-facet=rule] li").count() <= 12
    # severities and statuses read as their badges do (High, In review), not as ids
    severities = page.locator("section[data-facet=severity] li a").all_inner_texts()
    assert severities and set(severities) <= {"High", "Medium", "Low"}, severities
    statuses = page.locator("section[data-facet=status] li a").all_inner_texts()
    assert statuses and set(statuses) <= {"Open", "In review", "Confirmed", "Dismissed"}, statuses
    w.check()
    w.close()


# each element matched: its whole text inside it (no ellipsis, nothing overflowing) and inside the card it sits in
_WHOLE = """(selector) => [...document.querySelectorAll(selector)].map(e => {
    const box = e.getBoundingClientRect(), card = e.closest('section, header, aside').getBoundingClientRect();
    return {text: e.textContent, whole: e.scrollWidth <= e.clientWidth && box.left >= card.left - 0.5
            && box.right <= card.right + 0.5 && box.right <= window.innerWidth};
})"""


def test_append_reopens_a_dismissed_finding(served, browser, tmp_path):
    server, fid = served["server"], served["planted"]
    w = Watched(browser, server.url)
    page = w.page
    page.goto(f"{server.url}/findings/{fid}")
    version = page.locator("#triage-form input[name=version]").input_value()
    page.select_option("#triage-form select[name=status]", "dismissed")
    page.fill("#triage-form textarea[name=note]", "spouse sold the shares")
    page.click("#triage-form button[type=submit]")
    page.wait_for_selector("#saved")
    assert page.locator("#triage-form input[name=version]").input_value() == str(int(version) + 1)
    page.goto(f"{server.url}/entities/XP0003")
    page.click("#watch")  # watch the official: what is new for him shows in early warning
    page.wait_for_selector("span.badge:has-text('Watching')")
    w.check()
    w.close()
    server.stop()  # a DuckDB store belongs to one process at a time: the monthly load runs between sessions
    cli("load", str(served["increment"]), *served["graph_args"], "--append", "-q")
    out = cli("sweep", "--no-load", *served["graph_args"], "-o", str(tmp_path / "f.csv"), "-q", "--lang", "en")
    assert re.search(r"1 reopened", out), out
    server.start()
    w = Watched(browser, server.url)
    page = w.page
    page.goto(f"{server.url}/findings?reopened=1")
    assert [r.get_attribute("data-finding-id") for r in page.locator("#findings tbody tr").all()] == [fid]
    for width in (1400, 1024):  # 'evidence changed' shows whole: the inbox's facet and badge, the finding's badge
        page.set_viewport_size({"width": width, "height": 900})
        for url in (f"{server.url}/findings?reopened=1", f"{server.url}/findings/{fid}"):
            page.goto(url)
            marks = page.evaluate(_WHOLE, ".badge.reopened, aside.facets li.on a")
            assert len(marks) == (2 if "reopened=1" in url else 1), marks
            assert all(m["whole"] for m in marks), marks
        _shot(page, served, f"reopened-marks-{width}")
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{server.url}/findings?reopened=1")
    page.goto(f"{server.url}/findings/{fid}")
    assert page.locator("header.title .badge.reopened").count() == 1
    changes = page.locator("section.changes-since table").inner_text()
    assert "ZD9001" in changes and "777,000" in changes  # the new decision, old → new
    kind, title = served["template"]["kind"], served["template"].get("title")  # ZD9001 is a copy of XD0006
    named = {lang: title or f"{DECISION_KIND.label(kind, lang)} ZD9001" for lang in ("en", "zh")}
    assert f"{named['en']} →" in changes  # a decision is named by its title, else its kind's word and its id
    page.goto(f"{server.url}/findings/{fid}?lang=zh")
    changes_zh = page.locator("section.changes-since table").inner_text()
    assert f"{named['zh']} →" in changes_zh and f"{kind} " not in changes_zh
    page.goto(f"{server.url}/findings/{fid}?lang=en")
    assert page.locator("#triage-form select[name=status]").input_value() == "dismissed"
    assert "\tEvidence\t" in page.locator("table.history").inner_text()  # capitalised as every label
    _shot(page, served, "reopened")
    page.goto(f"{server.url}/warnings")  # a new session: what changed since the previous visit
    assert page.locator(f"#changed tr[data-finding-id='{fid}']").count() == 1
    assert page.locator(f"#watched tr[data-finding-id='{fid}']").count() == 1  # and for what alice watches
    assert page.locator("#changed h2 .count").inner_text() == "1"
    _shot(page, served, "warnings-changed")
    page.goto(f"{server.url}/findings?entity=XP0003")  # the official's findings, as early warning links them
    assert page.locator("#scope").inner_text().startswith(f"Findings about {served['official_name']}")
    ids = {r.get_attribute("data-finding-id") for r in page.locator("#findings tbody tr").all()}
    holding = served["findings"][served["findings"].evidence.str.contains('"XP0003"', regex=False)]
    assert fid in ids and ids == set(holding.finding_id)
    page.goto(f"{server.url}/warnings")
    page.click("form[action='/warnings/seen'] button")
    assert page.locator("#changed tr[data-finding-id]").count() == 0  # seen
    w.check()
    w.close()


def test_other_address_needs_accounts_login_csrf_and_masks(served, browser, tmp_path):
    served["server"].stop()
    args = served["graph_args"]
    other = Server(args, host="127.0.0.2", extra=["--mask"])
    res = CliRunner().invoke(main, ["serve", *args, "--host", "127.0.0.2", "--port", str(other.port)])
    assert res.exit_code == 2 and "add accounts first" in res.output
    for name, role in (("li", "investigator"), ("zhao", "investigator"), ("wang", "viewer")):
        cli("users", "add", name, "--role", role, "--password-stdin", *args, input=PASSWORDS[name] + "\n")
    other.start()
    try:
        from govties.privacy import keyed_id, mask_key

        plain = served["findings"].iloc[0]["finding_id"]
        fid = keyed_id(plain, mask_key())  # --mask: finding ids are keyed ids (the server has the same key)
        anonymous = Watched(browser, other.url)
        page = anonymous.page
        page.goto(f"{other.url}/findings/{fid}")
        assert "/login?next=" in page.url and page.locator("main.login").count() == 1
        _shot(page, served, "login")
        assert page.evaluate("fetch('/api/search?q=XP').then(r => r.status)") == 401
        anonymous.errors.remove("Failed to load resource: the server responded with a status of 401 (Unauthorized)")
        forged = page.request.post(f"{other.url}/findings/{fid}/triage",
                                   form={"status": "dismissed", "version": "0"})
        assert forged.status == 403
        anonymous.check()
        anonymous.close()
        a, b = Watched(browser, other.url), Watched(browser, other.url)
        login(a, "li")
        login(b, "zhao")
        a.page.goto(f"{other.url}/entities/XP0003")  # --mask: masked on every page and in every answer
        assert "330102********1018" in a.page.content() and "330102196503121018" not in a.page.content()
        # --mask: a resident ID is not searched (a search would test a guess of its hidden digits)
        found = a.page.evaluate("fetch('/api/search?q=330102196503121018').then(r => r.json())")
        assert found["hits"] == []
        assert a.page.request.get(f"{other.url}/findings/{plain}").status == 404  # a plain id is not taken
        no_token = a.page.request.post(f"{other.url}/findings/{fid}/triage",
                                       form={"status": "dismissed", "version": "0"})
        wrong = a.page.request.post(f"{other.url}/findings/{fid}/triage",
                                    form={"status": "dismissed", "version": "0", "csrf": "not-the-token"})
        assert no_token.status == 403 and wrong.status == 403
        for w in (a, b):
            w.page.goto(f"{other.url}/findings/{fid}")
        b.page.fill("#triage-form textarea[name=note]", "zhao's note, made from the old version")
        a.page.select_option("#triage-form select[name=status]", "confirmed")
        a.page.click("#triage-form button[type=submit]")
        a.page.wait_for_selector("#saved")
        b.page.select_option("#triage-form select[name=status]", "dismissed")
        b.page.click("#triage-form button[type=submit]")
        b.page.wait_for_selector("#stale")
        assert "li changed this finding" in b.page.locator("#stale").inner_text()
        b.errors.remove("Failed to load resource: the server responded with a status of 409 (Conflict)")
        # nothing lost: li's save stands, zhao's text is still in the form, made again from the current version
        assert b.page.locator("#triage-form textarea[name=note]").input_value() == \
            "zhao's note, made from the old version"
        assert b.page.locator("#triage-form input[name=version]").input_value() == \
            a.page.locator("#triage-form input[name=version]").input_value()
        _shot(b.page, served, "stale")
        b.page.click("#triage-form button[type=submit]")
        b.page.wait_for_selector("#saved")
        history = b.page.locator("table.history").inner_text()
        assert "li" in history and "zhao" in history
        viewer = Watched(browser, other.url)
        login(viewer, "wang")
        viewer.page.goto(f"{other.url}/findings/{fid}")
        assert viewer.page.locator("#triage-form").count() == 0
        token = viewer.page.evaluate("document.querySelector('input[name=csrf]').value")
        denied = viewer.page.request.post(f"{other.url}/findings/{fid}/triage",
                                          form={"status": "open", "version": "9", "csrf": token})
        assert denied.status == 403
        opened = viewer.page.locator("p.audit").inner_text()
        assert "li" in opened and "zhao" in opened and "wang" in opened  # who opened the finding
        cookies = viewer.page.context.cookies()  # a copy of the session, kept from before the logout
        viewer.page.click("form[action='/logout'] button")
        viewer.page.wait_for_url("**/login")
        copy = browser.new_context()
        copy.add_cookies(cookies)
        replay = copy.new_page()
        replay.goto(f"{other.url}/findings/{fid}")
        assert "/login?next=" in replay.url  # the logged-out session is no session, even from its copy
        copy.close()
        for w in (a, b, viewer):
            w.check()
            w.close()
    finally:
        other.stop()
