"""The exploration page as a new user's trial read it, in a real Chromium against a real `govties serve` (DuckDB):
no edge label over another, over a node or over another edge's line (one with no room is left to its edge's
tooltip), every node and its label inside the canvas and clear of the notes after a load, an expansion and a
fold, a refused paths search leaving no earlier answer drawn under its refusal, and an empty page saying how to
start, its date slider at "all" as its label says. Screenshots are kept (workbench_support.artifacts)."""

from __future__ import annotations

import pytest

from workbench_support import Watched, explore_opened, artifacts, click_node, launch_browser, province_server

browser = pytest.fixture(scope="module")(launch_browser)

# the edge labels drawn (their boxes in canvas units, less the gap the placer keeps round each), the nodes shown
# (their drawn boxes, labels included) and how many edges have a label to draw
GEOMETRY = """() => { const X = window.govtiesExplore, n = X.network, G = window.govties;
    n.redraw();
    const labels = G.edgeLabelBoxes.map(b => ({left: b.left + 4, right: b.right - 4, top: b.top + 4,
                                               bottom: b.bottom - 4, edge: b.item.edge.id}));
    const nodes = X.nodes.get().filter(x => !x.hidden).map(x => ({id: x.id, ...n.getBoundingBox(x.id)}));
    const labelled = X.edges.get().filter(e => !e.hidden && e.label).length;
    const lines = X.edges.get().filter(e => !e.hidden && e.label).map(e => {  // each labelled line, every 3 units
      const edge = n.body.edges[e.id], via = edge.edgeType.getViaNode(), points = [];
      for (let t = 0.02; t < 0.98; t += 0.01) { points.push(edge.edgeType.getPoint(t, via)); }
      return {edge: e.id, points}; });
    const over = labels.filter(b => lines.some(l => l.edge !== b.edge && l.points.some(p =>
      b.left < p.x && p.x < b.right && b.top < p.y && p.y < b.bottom))).map(b => b.edge);
    return {labels, nodes, labelled, over, drawn: G.edgeLabelsDrawn}; }"""
# the nodes whose drawn box is not whole in the canvas, or lies under the notes
OUTSIDE = """() => { const X = window.govtiesExplore, n = X.network, c = n.body.container;
    const g = c.getBoundingClientRect(), notes = [...document.querySelectorAll('#explore-notes p')]
      .map(p => p.getBoundingClientRect());
    return X.nodes.get().filter(x => !x.hidden).map(x => x.id).filter(id => {
      const b = n.getBoundingBox(id);
      const a = n.canvasToDOM({x: b.left, y: b.top}), z = n.canvasToDOM({x: b.right, y: b.bottom});
      const under = notes.some(r => g.left + a.x < r.right && r.left < g.left + z.x && g.top + a.y < r.bottom
                                    && r.top < g.top + z.y);
      return a.x < 0 || a.y < 0 || z.x > c.clientWidth || z.y > c.clientHeight || under; }); }"""
# the nodes shown whose drawn box is whole in the canvas
IN_VIEW = """() => { const X = window.govtiesExplore, n = X.network, c = n.body.container;
    return X.nodes.get().filter(x => !x.hidden).map(x => x.id).filter(id => {
      const b = n.getBoundingBox(id);
      const a = n.canvasToDOM({x: b.left, y: b.top}), z = n.canvasToDOM({x: b.right, y: b.bottom});
      return a.x >= 0 && a.y >= 0 && z.x <= c.clientWidth && z.y <= c.clientHeight; }).sort(); }"""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    with province_server(tmp_path_factory.mktemp("explore-fit")) as server:
        yield {"server": server, "shots": artifacts("workbench-explore")}


def _opened(browser, served, path, width=1366, height=768):
    return explore_opened(browser, served["server"], path, width, height)


def _meet(a, b) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def _labels_clear(page, what: str) -> int:
    """No two edge labels drawn over each other, none over a node and none over another edge's line (these graphs
    leave each label a place off the lines); returns how many are drawn."""
    g = page.evaluate(GEOMETRY)
    assert g["drawn"] and g["labelled"], what
    labels, nodes = g["labels"], g["nodes"]
    assert len(labels) >= min(g["labelled"], 6), (what, len(labels), g["labelled"])  # most have room
    over = [(a["edge"], b["edge"]) for i, a in enumerate(labels) for b in labels[i + 1:] if _meet(a, b)]
    assert over == [], (what, over)
    covered = [(a["edge"], b["id"]) for a in labels for b in nodes if _meet(a, b)]
    assert covered == [], (what, covered)
    assert g["over"] == [], (what, g["over"])  # none over another edge's line (read as that line's label)
    return len(labels)


def _whole(page, what: str) -> None:
    page.evaluate("window.govtiesExplore.network.redraw()")
    assert page.evaluate(OUTSIDE) == [], what


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_edge_labels_and_nodes_are_all_readable_after_load_expand_and_fold(served, browser, lang):
    """An official's neighbourhood at 1366x768: each edge label on its own ground, over no node, every node whole
    in the canvas; so too once his agency (colleagues, its decisions and what they name) is expanded and once the
    decisions are folded into weighted edges (fewer nodes: the view fits them anew, larger)."""
    w = _opened(browser, served, f"/explore?center=XP0003&lang={lang}")
    page = w.page
    page.mouse.move(1, 1)
    _labels_clear(page, "load")
    _whole(page, "load")
    page.screenshot(path=str(served["shots"] / f"fit-load-{lang}.png"))
    agency = page.evaluate("window.govtiesExplore.nodes.get().find(n => n.category === 'agency').id")
    click_node(page, agency)
    page.wait_for_timeout(200)
    page.mouse.move(1, 1)
    _labels_clear(page, "expanded")
    _whole(page, "expanded")
    page.screenshot(path=str(served["shots"] / f"fit-expanded-{lang}.png"))
    before = page.evaluate("window.govtiesExplore.network.getScale()")
    page.check("#fold")
    page.mouse.move(1, 1)
    assert int(page.evaluate("document.body.dataset.visibleNodes")) < len(page.evaluate(
        "window.govtiesExplore.nodes.getIds()"))
    _labels_clear(page, "folded")
    _whole(page, "folded")
    assert page.evaluate("window.govtiesExplore.network.getScale()") >= before  # fitted anew, not left as it was
    page.screenshot(path=str(served["shots"] / f"fit-folded-{lang}.png"))
    w.check()
    w.close()


def test_a_capped_agency_is_drawn_whole_beside_its_note(served, browser):
    """An agency with more neighbours than one expansion adds: its note lies over the canvas's corner, and every
    node, with its label, is in the canvas and out from under the note, before and after folding; clicked again,
    what it adds is drawn near it, all of it in view at a readable scale, under one note: this click's."""
    w = _opened(browser, served, "/explore?center=XP0003")
    agency = w.page.evaluate("window.govtiesExplore.nodes.get().find(n => n.category === 'agency').id")
    w.close()
    w = _opened(browser, served, f"/explore?center={agency}&cap=5")
    page = w.page
    page.mouse.move(1, 1)
    assert page.locator("#explore-notes p").count() >= 1  # more were left for the next click
    _whole(page, "capped")
    _labels_clear(page, "capped")
    page.screenshot(path=str(served["shots"] / "fit-capped.png"))
    before = set(page.evaluate("window.govtiesExplore.nodes.getIds()"))
    click_node(page, agency)  # the next of its neighbours: drawn near it, in view with it, not on a far ring
    page.wait_for_timeout(200)
    page.mouse.move(1, 1)
    added = set(page.evaluate("window.govtiesExplore.nodes.getIds()")) - before
    assert added and added | {agency} <= set(page.evaluate(IN_VIEW)), added
    notes = page.locator("#explore-notes p")  # what this click left out, in place of what the first one did
    assert notes.count() == 1 and "5 neighbours shown" not in notes.first.inner_text(), notes.all_inner_texts()
    assert page.evaluate("window.govtiesExplore.network.getScale()") >= 0.5 - 1e-6  # its labels readable
    _whole(page, "capped, clicked again")
    _labels_clear(page, "capped, clicked again")
    page.screenshot(path=str(served["shots"] / "fit-capped-again.png"))
    page.check("#fold")
    _whole(page, "capped, folded")
    page.screenshot(path=str(served["shots"] / "fit-capped-folded.png"))
    w.check()
    w.close()


def test_a_refused_paths_search_leaves_no_earlier_answer_drawn(served, browser):
    """Paths found, then a search refused (a name two people share): the refusal is said over an empty canvas,
    not over the earlier paths as if they were its answer; what was explored by hand stays under a refusal."""
    w = _opened(browser, served, "/explore")
    page = w.page
    page.fill("#pa", "XP0003")
    page.fill("#pb", "XO0005")
    page.click("#paths-form button[type=submit]")
    page.wait_for_selector("body[data-paths]", state="attached")
    assert page.evaluate("window.govtiesExplore.nodes.length") >= 2
    page.fill("#pa", "周晓")  # two people of that name: refused, with their ids
    page.click("#paths-form button[type=submit]")
    page.wait_for_selector("body[data-paths='refused']", state="attached")
    page.mouse.move(1, 1)
    assert "XP" in page.locator("#explore-notes").inner_text()
    assert page.evaluate("window.govtiesExplore.nodes.length") == 0
    assert page.evaluate("window.govtiesExplore.edges.length") == 0
    page.screenshot(path=str(served["shots"] / "paths-refused.png"))
    w.errors = [e for e in w.errors if "400" not in e]  # the refusal's answer, told on the page
    w.check()
    w.close()
    w = _opened(browser, served, "/explore?center=XP0003")  # explored by hand: kept under the refusal
    page = w.page
    shown = page.evaluate("window.govtiesExplore.nodes.length")
    page.fill("#pa", "周晓")
    page.fill("#pb", "XO0005")
    page.click("#paths-form button[type=submit]")
    page.wait_for_selector("body[data-paths='refused']", state="attached")
    assert page.evaluate("window.govtiesExplore.nodes.length") == shown
    w.close()


@pytest.mark.parametrize("lang,says", [("zh", "1步以内没有找到路径"), ("en", "No path of at most 1 step: allow more")])
def test_a_paths_search_says_an_empty_end_and_how_far_it_looked(served, browser, lang, says):
    """An empty end is not sent: the browser says which box is empty (before, the button did nothing at all). A
    search that finds no path says within how many steps it looked, and what to change."""
    w = _opened(browser, served, f"/explore?lang={lang}")
    page = w.page
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if "/api/graph/paths" in r.url else None)
    page.fill("#pb", "XO0005")
    page.click("#paths-form button[type=submit]")
    assert page.evaluate("document.getElementById('pa').validity.valueMissing")
    assert page.evaluate("document.activeElement.id") == "pa"  # the browser points at the empty box
    assert requests == [] and page.evaluate("document.body.dataset.paths") is None
    page.fill("#pa", "   ")  # spaces alone are no end either
    page.click("#paths-form button[type=submit]")
    assert page.evaluate("document.getElementById('pa').validity.patternMismatch") and requests == []
    page.fill("#pa", "赵海涛")
    page.fill("#pb", "O0000077")
    page.fill("#ph", "1")
    page.click("#paths-form button[type=submit]")
    page.wait_for_selector("body[data-paths='0']", state="attached")
    assert says in page.locator("#explore-notes").inner_text()
    page.screenshot(path=str(served["shots"] / f"paths-none-{lang}.png"))
    w.check()
    w.close()


@pytest.mark.parametrize("lang,says", [("zh", "输入姓名或编号"), ("en", "Type a name or id")])
def test_an_empty_page_says_how_to_start_and_its_slider_reads_all(served, browser, lang, says):
    w = _opened(browser, served, f"/explore?lang={lang}")
    page = w.page
    hint = page.locator("#explore-empty")
    assert hint.is_visible() and says in hint.inner_text()
    slider = "(() => { const s = document.getElementById('day'); return [s.value, s.max]; })()"
    value, top = page.evaluate(slider)
    assert value == top  # the thumb at the right, where "all" is, as its label says
    assert page.locator("#day-label").inner_text() in ("全部", "All")
    page.screenshot(path=str(served["shots"] / f"empty-{lang}.png"))
    page.fill("#add-q", "XP0003")
    page.click("#add-form button[type=submit]")
    page.locator("#add-hits li button").first.click()
    page.wait_for_selector("body[data-expanded='1']", state="attached")
    assert hint.is_hidden()
    value, top = page.evaluate(slider)
    assert value == top and int(top) > 1  # a graph with dates: still at the right, "all"
    w.check()
    w.close()


@pytest.mark.parametrize("kind", ["official", "agency"])
def test_an_entity_added_on_an_empty_page_is_shown_as_a_page_opened_on_it_shows_it(served, browser, kind):
    """Picked from the search box on an empty page, an entity's graph is in view as /explore?center= shows it
    (whole when it fits), not only the entity and its first neighbours (the decisions' companies were left off
    screen)."""
    w = _opened(browser, served, "/explore?center=XP0003")
    entity = "XP0003" if kind == "official" else w.page.evaluate(
        "window.govtiesExplore.nodes.get().find(n => n.category === 'agency').id")
    w.close()
    w = _opened(browser, served, f"/explore?center={entity}")
    w.page.mouse.move(1, 1)
    opened = w.page.evaluate(IN_VIEW)
    w.close()
    w = _opened(browser, served, "/explore")
    page = w.page
    page.fill("#add-q", entity)
    page.click("#add-form button[type=submit]")
    page.locator(f"#add-hits li button[data-id='{entity}']").click()
    page.wait_for_selector("body[data-expanded='1']", state="attached")
    page.wait_for_function("(id) => window.govtiesExplore.network.getSelectedNodes().includes(id)", arg=entity)
    page.mouse.move(1, 1)
    shown = page.evaluate("window.govtiesExplore.nodes.get().filter(n => !n.hidden).length")
    added = page.evaluate(IN_VIEW)
    assert added == opened and len(added) > 1, (entity, shown, added, opened)
    page.screenshot(path=str(served["shots"] / f"added-on-empty-{kind}.png"))
    w.check()
    w.close()


def test_a_later_expansions_node_linked_to_nodes_shown_goes_near_them(served, browser):
    """place.js alone: expanding a node on the left of the graph puts its plain neighbours on its far side, but a
    decision it made that benefits a company shown on the right goes between the two (its edge to the company does
    not run back across the graph), clear of every node; what the decision brings beyond it goes near it too."""
    w = _opened(browser, served, "/explore")
    shown = [{"id": "c", "x": 0, "y": 0, "w": 60, "h": 74}, {"id": "o", "x": -400, "y": 0, "w": 60, "h": 74},
             {"id": "k", "x": 400, "y": 0, "w": 150, "h": 34}]
    links = {"o": ["c", "r", "d"], "c": ["o"], "r": ["o"], "d": ["o", "k", "e"], "k": ["d"], "e": ["d"]}
    fresh = [["r", "person", "relative"], ["d", "decision", "decision"], ["e", "org", "agency"]]
    got = w.page.evaluate("""([fresh, shown, links]) => window.govtiesPlace.around(
        fresh.map(([id, type, category]) => ({id, type, category, label: id})), {id: "o", x: -400, y: 0}, links, 60,
        shown, {relative: 1, agency: 4, decision: 9}, 2.5)""", [fresh, shown, links])
    assert got["r"]["x"] < -400  # on the far side of the node clicked
    assert -400 < got["d"]["x"] < 400 and abs(got["d"]["y"]) < 300  # between the node clicked and the company
    assert abs(got["e"]["x"] - got["d"]["x"]) < 400 and abs(got["e"]["y"] - got["d"]["y"]) < 400  # near it
    boxes = [*shown, *({"id": i, "x": p["x"], "y": p["y"], "w": 60, "h": 74} for i, p in got.items())]
    assert _apart([(b["id"], {"left": b["x"] - b["w"] / 2, "right": b["x"] + b["w"] / 2, "top": b["y"] - b["h"] / 2,
                              "bottom": b["y"] + b["h"] / 2}) for b in boxes]) == []
    w.check()
    w.close()


def _apart(boxes) -> list[tuple[str, str]]:
    return [(a, b) for i, (a, p) in enumerate(boxes) for b, q in boxes[i + 1:] if _meet(p, q)]


def test_a_finding_with_many_decisions_draws_its_evidence_graph_in_a_taller_canvas(served, browser):
    """A finding whose decisions stand in one column (decision-concentration, eight decisions): its canvas grows
    (up to 760 px) so that the graph is drawn at a readable scale, where a 460 px box drew it at 0.66 (8 px
    labels); the finding page's graph as a reader sees it, the other sizes checked in test_workbench_browser."""
    w = Watched(browser, served["server"].url)
    page = w.page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(served["server"].url + "/findings?rule=decision-concentration")
    page.locator("#findings tbody tr[data-finding-id] a[href^='/findings/']").first.click()
    page.wait_for_selector("body[data-graph-ready='1']")
    drawn = page.evaluate("""() => [window.govtiesGraph.getScale(), document.getElementById('graph').clientHeight,
                                    window.govtiesGraph.body.data.nodes.get().length]""")
    page.screenshot(path=str(served["shots"] / "finding-tall.png"), full_page=True)
    assert drawn[2] >= 10 and drawn[1] > 460 and drawn[0] >= 0.9, drawn
    w.close()


# the nodes shown that no shown edge joins, through shown nodes, to the entity explored (XP0003)
FLOATING = """() => { const X = window.govtiesExplore, shown = {}, near = {};
    X.nodes.get().filter(x => !x.hidden).forEach(x => { shown[x.id] = true; });
    X.edges.get().filter(e => !e.hidden && shown[e.from] && shown[e.to]).forEach(e => {
      (near[e.from] = near[e.from] || []).push(e.to); (near[e.to] = near[e.to] || []).push(e.from); });
    const seen = {XP0003: true}, todo = ['XP0003'];
    while (todo.length) {
      (near[todo.pop()] || []).forEach(id => { if (!seen[id]) { seen[id] = true; todo.push(id); } }); }
    return Object.keys(shown).filter(id => !seen[id]).sort(); }"""


@pytest.mark.parametrize("fold", [False, True])
def test_a_day_chosen_hides_what_only_later_links_joined_to_the_entity_explored(served, browser, fold):
    """The date slider moved back: the decisions after the day go, and so do the companies that only they joined
    to the official explored (they stayed on the canvas, floating with no line to anything); folded or not, and
    also after the companies were expanded by a click (each expanded node was kept then)."""
    w = _opened(browser, served, "/explore?center=XP0003")
    page = w.page
    companies = page.evaluate("window.govtiesExplore.nodes.getIds().filter(i => i.startsWith('XO'))")
    for company in companies[:4]:
        click_node(page, company)
    if fold:
        page.check("#fold")
    top = int(page.evaluate("document.getElementById('day').max"))
    stranded = 0
    for day in range(top):
        page.fill("#day", str(day))
        page.dispatch_event("#day", "input")
        assert page.evaluate(FLOATING) == [], day
        label = page.locator("#day-label").inner_text()
        stranded += page.evaluate(f"""() => window.govtiesExplore.nodes.get().filter(n => n.hidden &&
            n.type !== 'decision' && !(n.date && n.date > '{label}')).length""")
    assert stranded > 0  # some day hid a node that is not itself after it
    page.fill("#day", str(top))
    page.dispatch_event("#day", "input")
    assert page.evaluate("window.govtiesExplore.nodes.get().filter(n => n.hidden && n.type !== 'decision').length") == 0
    w.check()
    w.close()
