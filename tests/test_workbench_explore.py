"""The exploration page in a real Chromium against a real `govties serve` (DuckDB; the page's own behaviour does
not depend on the backend): an expansion adds nodes without changing how the nodes already shown look, places
them apart, the same way on every load, without moving what is shown, no tooltip is left floating after a
k-shortest-paths search, Add says what it found, and the toolbar reads as groups at common widths.
Screenshots are kept (workbench_support.artifacts)."""

from __future__ import annotations

import re

import math

import pytest

from workbench_support import (Server, Watched, artifacts, cli, click_node, explore_opened, launch_browser,
                               node_on_screen, province_server, stored)

browser = pytest.fixture(scope="module")(launch_browser)
LOOKS = "window.govtiesExplore.nodes.get().map(n => [n.id, n.color, n.shape, n.label])"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    with province_server(tmp_path_factory.mktemp("explore")) as server:
        yield {"server": server, "shots": artifacts("workbench-explore")}


def _until(page, predicate: str, arg=None, seconds: float = 10.0) -> None:
    """Poll a predicate in the page (wait_for_function would evaluate a string, which the page's CSP forbids)."""
    for _ in range(int(seconds / 0.05)):
        if page.evaluate(predicate, arg):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"not true within {seconds} s: {predicate}")


def _opened(browser, served, path, width=1400, height=1000):
    return explore_opened(browser, served["server"], path, width, height)


def test_expanding_a_node_keeps_the_look_of_the_nodes_shown(served, browser):
    w = _opened(browser, served, "/explore?center=XP0003&cap=200")
    page = w.page
    before = {n[0]: n[1:] for n in page.evaluate(LOOKS)}
    centre = {n["id"]: n for n in page.evaluate(
        "fetch('/api/graph/expand?id=XP0003&cap=200').then(r => r.json())")["nodes"]}
    assert centre["XP0004"]["category"] == "relative" and "XO0005" in before  # the official's spouse, her company
    assert before["XP0004"][:2] == [centre["XP0004"]["color"], centre["XP0004"]["shape"]]
    # what the company's expansion says of the spouse by itself: an official's relative too, though he is not
    # among its nodes (her kinship is looked up)
    payload = page.evaluate("fetch('/api/graph/expand?id=XO0005&cap=200').then(r => r.json())")
    said = {n["id"]: n for n in payload["nodes"]}
    assert said["XP0004"]["category"] == "relative" and said["XP0004"]["color"] == before["XP0004"][0]
    click_node(page, "XO0005")
    page.wait_for_selector("body[data-expanded='2']", state="attached")
    after = {n[0]: n[1:] for n in page.evaluate(LOOKS)}
    assert set(after) >= set(before) and {i: after[i] for i in before} == before  # every node looks as it did
    agency = next(i for i, n in centre.items() if n["category"] == "agency")  # the official's agency: colleagues
    click_node(page, agency)
    page.wait_for_selector("body[data-expanded='3']", state="attached")
    grown = {n[0]: n[1:] for n in page.evaluate(LOOKS)}
    assert set(grown) > set(after) and {i: grown[i] for i in after} == after  # nodes added, none changed
    said = {n["id"]: n for n in page.evaluate(
        f"fetch('/api/graph/expand?id={agency}&cap=200').then(r => r.json())")["nodes"]}
    assert all(grown[i][0] == said[i]["color"] for i in set(grown) - set(after))  # new ones look as they are told
    first = page.evaluate(f"fetch('/api/graph/expand?id={agency}&cap=3').then(r => r.json())")
    posts = [e for e in first["edges"] if e["type"] == "HOLDS_POST"]  # its officials come before its decisions
    assert first["more"] > 0 and len({e["from"] for e in posts} | {e["to"] for e in posts}) >= 3
    page.mouse.move(1, 1)  # off the graph (its tooltip goes with the pointer)
    page.screenshot(path=str(served["shots"] / "expanded-keeps-look.png"))
    w.check()
    w.close()


def test_no_tooltip_is_left_after_a_paths_search(served, browser):
    w = _opened(browser, served, "/explore?center=XP0003&cap=200")
    page = w.page
    tooltip = "#explore-graph .vis-tooltip"
    _hover(page, "XP0004")  # hovering a node shows its tooltip
    page.fill("#pa", "XP0003")
    page.fill("#pb", "XO0005")
    page.click("#paths-form button[type=submit]")  # the pointer leaves the graph for the form's button
    page.wait_for_selector("body[data-paths]", state="attached")
    page.wait_for_timeout(800)  # longer than the tooltip's delay: a pending tooltip would show by now
    assert page.locator(tooltip).is_hidden()
    page.screenshot(path=str(served["shots"] / "paths-no-tooltip.png"))
    _hover(page, "XO0005")  # the new graph's nodes still have their tooltips
    assert "XO0005" in page.locator(tooltip).inner_text()
    w.check()
    w.close()


def test_adding_a_name_says_what_it_found_and_its_list_closes(served, browser):
    """Add: a name that matches nothing says so (not a blank); a name two people share lists both; the list
    closes with Escape, a click or the focus elsewhere and a paths search, so it does not stay over the paths
    form."""
    w = _opened(browser, served, "/explore")
    page = w.page
    hits = page.locator("#add-hits li")
    page.fill("#add-q", "无此人zz")
    page.click("#add-form button[type=submit]")
    page.wait_for_selector("#add-hits li.none")
    assert hits.count() == 1 and hits.first.inner_text().endswith(": 无此人zz")
    assert hits.first.inner_text().startswith(("未找到", "Nothing found"))
    page.screenshot(path=str(served["shots"] / "add-nothing-found.png"))
    page.keyboard.press("Escape")
    assert hits.count() == 0 and page.locator("#add-hits").is_hidden()
    page.fill("#add-q", "甲" * 3000)  # a pasted page: quoted cut short, not over most of the page
    page.click("#add-form button[type=submit]")
    page.wait_for_selector("#add-hits li.none")
    assert hits.first.inner_text().endswith("甲" * 40 + "…") and "甲" * 41 not in hits.first.inner_text()
    page.keyboard.press("Escape")
    page.fill("#add-q", "周晓")
    page.click("#add-form button[type=submit]")
    page.wait_for_selector("#add-hits li button")
    assert hits.count() >= 2  # 周晓 names two people: both are offered
    offered = [hits.nth(i).inner_text() for i in range(hits.count())]  # each with what tells it from the other
    assert len(set(offered)) == len(offered) and any(re.search(r"· \d{4}-\d\d-\d\d", o) for o in offered), offered
    page.screenshot(path=str(served["shots"] / "add-two-people.png"))
    page.click("#explore-graph")  # a click elsewhere closes the list
    assert hits.count() == 0
    page.click("#add-form button[type=submit]")
    page.wait_for_selector("#add-hits li button")
    page.keyboard.press("Tab")  # the keyboard reaches the people offered ...
    assert hits.count() >= 2
    page.focus("#pb")  # ... and moving on to another field closes the list
    assert hits.count() == 0
    page.click("#pa")  # ... and the paths form is no longer covered
    page.click("#add-form button[type=submit]")
    page.wait_for_selector("#add-hits li button")
    page.fill("#pa", "XP0003")
    page.fill("#pb", "XO0005")
    page.press("#pb", "Enter")
    page.wait_for_selector("body[data-paths]", state="attached")
    assert hits.count() == 0
    page.fill("#add-q", "周晓")
    page.click("#add-form button[type=submit]")
    first = page.locator("#add-hits li button").first
    picked = first.get_attribute("data-id")
    expanded = int(page.evaluate("document.body.dataset.expanded || 0"))
    first.click()  # the person picked is added with what is linked to it, in view, at a readable scale
    _until(page, "(n) => Number(document.body.dataset.expanded || 0) > n", expanded)
    _until(page, "(id) => window.govtiesExplore.network.getSelectedNodes().includes(id)", picked)
    assert 0.7 - 1e-6 <= page.evaluate("window.govtiesExplore.network.getScale()") <= 1.2 + 1e-6
    shown = page.evaluate("window.govtiesExplore.nodes.get().filter(n => !n.hidden).map(n => n.id)")
    in_view = page.evaluate(IN_VIEW, shown)
    assert picked in in_view and len(in_view) > 1
    page.screenshot(path=str(served["shots"] / "add-picked.png"))
    w.check()
    w.close()


def _hover(page, node_id):
    """Move the pointer onto a node (from beside it, in steps, as a hand does) until its tooltip shows."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(3):
        where = node_on_screen(page, node_id)
        page.mouse.move(where["x"] - 40, where["y"] - 40)
        page.mouse.move(where["x"], where["y"], steps=5)
        try:
            page.wait_for_selector("#explore-graph .vis-tooltip", state="visible", timeout=5000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"no tooltip over {node_id}")


@pytest.mark.parametrize("width", [1280, 1024])
def test_the_toolbar_reads_as_groups_at_common_widths(served, browser, width):
    w = _opened(browser, served, "/explore?center=XP0003", width=width, height=860)
    page = w.page
    boxes = page.evaluate("""() => {
        const box = el => { const r = el.getBoundingClientRect();
                            return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width}; };
        const all = sel => [...document.querySelectorAll(sel)].map(box);
        return {toolbar: box(document.querySelector('.explore .toolbar')),
                tools: all('#view-tools > form > input, #view-tools > form > button, #view-tools > button, '
                           + '#view-tools > label'),
                paths: all('#paths-form > input, #paths-form > label, #paths-form > button'),
                timeline: all('#timeline > *'), slider: box(document.getElementById('day')),
                scroll: document.documentElement.scrollWidth}; }""")
    toolbar = boxes["toolbar"]
    assert boxes["scroll"] <= width  # nothing makes the page scroll sideways
    for name in ("tools", "paths", "timeline"):
        group = boxes[name]
        assert len(group) >= 3, name
        # a group is whole on one line: every control of it overlaps every other vertically
        assert max(b["top"] for b in group) < min(b["bottom"] for b in group), (name, group)
        assert all(toolbar["left"] <= b["left"] and b["right"] <= toolbar["right"] + 0.5 for b in group), name
    # the date slider is a timeline across the toolbar, below the tools and the paths form
    assert boxes["slider"]["width"] >= 0.6 * toolbar["width"], (boxes["slider"], toolbar)
    assert min(b["top"] for b in boxes["timeline"]) >= max(b["bottom"] for b in boxes["tools"] + boxes["paths"])
    page.screenshot(path=str(served["shots"] / f"toolbar-{width}.png"))
    w.check()
    w.close()


BOXES = """() => { const n = window.govtiesExplore.network;
    return window.govtiesExplore.nodes.get().filter(x => !x.hidden).map(x => [x.id, n.getBoundingBox(x.id)]); }"""
IN_VIEW = """(ids) => { const n = window.govtiesExplore.network, c = n.body.container;
    return ids.filter(id => { const b = n.getBoundingBox(id);
        const a = n.canvasToDOM({x: b.left, y: b.top}), z = n.canvasToDOM({x: b.right, y: b.bottom});
        return a.x >= 0 && a.y >= 0 && z.x <= c.clientWidth && z.y <= c.clientHeight; }); }"""


THROUGH = """() => { const n = window.govtiesExplore.network, out = [];
    const shown = window.govtiesExplore.nodes.get().filter(x => !x.hidden).map(x => [x.id, n.getBoundingBox(x.id)]);
    window.govtiesExplore.edges.get().filter(e => !e.hidden).forEach(e => {
      const drawn = n.body.edges[e.id];
      for (let t = 0.05; t < 0.96; t += 0.05) {
        const p = drawn.edgeType.getPoint(t);
        shown.forEach(([id, b]) => { if (id !== e.from && id !== e.to && p.x > b.left + 2 && p.x < b.right - 2
                                        && p.y > b.top + 2 && p.y < b.bottom - 2) { out.push([e.id, id]); } });
      }
    });
    return [...new Set(out.map(x => x.join(' over ')))]; }"""


def _apart(boxes) -> list[tuple[str, str]]:
    """Pairs of nodes whose drawn boxes (shape and label) overlap."""
    return [(a, b) for i, (a, p) in enumerate(boxes) for b, q in boxes[i + 1:]
            if p["left"] < q["right"] and q["left"] < p["right"] and p["top"] < q["bottom"] and q["top"] < p["bottom"]]


def test_an_expansion_places_its_nodes_apart_the_same_way_on_every_load(served, browser):
    """An investigator reads the neighbourhood as drawn: no node covers another, the graph is in view at a
    readable size (or, too big for that, readable around the entity explored), a later expansion moves nothing
    already shown and brings what it added into view, and the same entity is drawn the same way each time."""
    w = _opened(browser, served, "/explore?center=XP0003&cap=200")
    page = w.page
    boxes = page.evaluate(BOXES)
    assert len(boxes) >= 12 and _apart(boxes) == []
    bottom = page.evaluate("document.querySelector('.explore ul.legend').getBoundingClientRect().bottom")
    assert bottom <= page.evaluate("window.innerHeight")  # the graph and its legend in the window, not below it
    ids = [i for i, _ in boxes]
    scale = page.evaluate("window.govtiesExplore.network.getScale()")
    assert 0.7 - 1e-6 <= scale <= 1.2 + 1e-6
    seen = page.evaluate(IN_VIEW, ids)
    assert "XP0003" in seen and (len(seen) == len(ids) or abs(scale - 0.7) < 1e-6)  # whole, or readable
    first = dict(page.evaluate("window.govtiesExplore.network.getPositions()"))
    level = page.evaluate("""(at) => window.govtiesExplore.edges.get().filter(e => !e.hidden && at[e.from] && at[e.to]
        && at[e.from].y === at[e.to].y && at[e.from].x > at[e.to].x).map(e => e.id)""", first)
    assert level == []  # vis-network draws no label on an edge running exactly level from right to left
    two = page.evaluate("""() => window.govtiesPlace.around(
        [{id: "c", label: "centre"}, {id: "a", label: "a"}, {id: "b", label: "b"}], {id: "c", x: 0, y: 0, label: "c"},
        {c: ["a", "b"], a: ["c"], b: ["c"]}, 40, [], {})""")  # two neighbours alike: one would sit level, left
    assert all(not (p["y"] == 0 and p["x"] < 0) for p in two.values()) and two["c"] == {"x": 0, "y": 0}
    page.screenshot(path=str(served["shots"] / "expanded-ring.png"))
    agency = page.evaluate("window.govtiesExplore.nodes.get().find(n => n.category === 'agency').id")
    click_node(page, agency)  # the official's agency: colleagues, its decisions and what they name
    click_node(page, "XO0005")  # the spouse's company: her share in it, an edge between two nodes shown
    assert page.evaluate(THROUGH) == []  # no edge is drawn over a node it does not join
    page.evaluate("window.govtiesExplore.expand('XO0005')")  # again (a second click would open its page)
    assert "Nothing more is linked to it" in page.locator("#explore-notes").inner_text()
    grown = page.evaluate(BOXES)
    added = sorted(set(i for i, _ in grown) - set(ids))
    assert added and _apart(grown) == []
    now = page.evaluate("window.govtiesExplore.network.getPositions()")
    assert {i: now[i] for i in first} == first  # nothing shown moved
    page.evaluate("window.govtiesExplore.network.redraw()")
    assert set(page.evaluate(IN_VIEW, added)) == set(added)
    page.mouse.move(1, 1)
    page.screenshot(path=str(served["shots"] / "expanded-twice.png"))
    w.check()
    w.close()
    again = _opened(browser, served, "/explore?center=XP0003&cap=200")
    assert again.page.evaluate("window.govtiesExplore.network.getPositions()") == first  # the same on every load
    again.check()
    again.close()


def test_a_laptop_window_shows_an_officials_neighbourhood_whole_and_readable(served, browser):
    """At 1366x768, the commonest laptop window, the canvas is more than twice as wide as it is tall: the
    neighbourhood is drawn as wide as that (rings are ellipses), so the official's relatives, decisions, the
    companies they benefit and the agency are all in view at a readable scale, none over another, and the legend
    is in the window; on a wide, tall screen the same page is drawn at life size or near it."""
    w = _opened(browser, served, "/explore?center=XP0003", width=1366, height=768)
    page = w.page
    page.mouse.move(1, 1)
    page.screenshot(path=str(served["shots"] / "laptop-1366x768.png"))
    boxes = page.evaluate(BOXES)
    ids = [i for i, _ in boxes]
    assert len(ids) >= 12 and _apart(boxes) == []
    assert page.evaluate("window.govtiesExplore.network.getScale()") >= 0.7 - 1e-6
    assert set(page.evaluate(IN_VIEW, ids)) == set(ids)  # every node whole in the canvas
    bottom = page.evaluate("document.querySelector('.explore ul.legend').getBoundingClientRect().bottom")
    assert bottom <= 768
    size = "[document.getElementById('explore-graph').clientHeight, window.govtiesExplore.network.getScale()]"
    before = page.evaluate(size)
    done = page.evaluate("Number(document.body.dataset.expanded || 0)")
    for _ in range(5):  # each expansion that adds nothing says so in a note, in place of the one before; notes lie
        page.evaluate("window.govtiesExplore.expand('XP0003')")  # over the graph: the canvas keeps its size
    _until(page, f"() => Number(document.body.dataset.expanded || 0) >= {done + 5}")
    assert page.locator("#explore-notes p").count() == 1
    assert page.evaluate(size) == before
    w.check()
    w.close()
    wide = _opened(browser, served, "/explore?center=XP0003", width=1920, height=1080)
    assert wide.page.evaluate("window.govtiesExplore.network.getScale()") >= 0.9
    wide.check()
    wide.close()


def test_a_busy_entity_opens_with_its_neighbours_in_view(browser, tmp_path):
    """An organization with far more neighbours than one expansion adds (a generated province of 3,000 people):
    the first expansion, at the default cap, draws a ring a laptop window holds whole, labels included (at no less
    than half size: edge labels at 6 px, their tooltips say them), so every node it shows is on screen, with a note
    that more are left for the next click."""
    data = tmp_path / "p3k"
    cli("generate", "--out", str(data), "--people", "3000")
    server = Server(stored(data, tmp_path / "g.duckdb", tmp_path / "f.csv")).start()
    try:
        busiest = "O0000003"  # the generator's first agencies decide for many companies
        w = Watched(browser, server.url)
        page = w.page
        page.set_viewport_size({"width": 1366, "height": 768})
        page.goto(f"{server.url}/explore?center={busiest}")
        page.wait_for_selector("body[data-ready='1']")
        page.mouse.move(1, 1)
        page.screenshot(path=str(artifacts("workbench-explore") / "busy-entity-1366x768.png"))
        ring = page.evaluate(f"window.govtiesExplore.network.getConnectedNodes({busiest!r})")
        assert len(ring) >= 15 and "more not expanded" in page.locator("#explore-notes").inner_text()
        assert page.evaluate("window.govtiesExplore.network.getScale()") >= 0.5 - 1e-6
        shown = [i for i, _ in page.evaluate(BOXES)]
        assert set(page.evaluate(IN_VIEW, shown)) == set(shown) >= set(ring)
        w.check()
        w.close()
    finally:
        server.stop()


PLACE = """([fresh, origin, links, shown, aspect]) => window.govtiesPlace.around(
    fresh.map(([id, type, category]) => ({id, type, category, label: id})), origin, links, 60, shown,
    {official: 0, relative: 1, agency: 4, decision: 9}, aspect)"""


def _linked(pairs):
    links: dict[str, list[str]] = {}
    for a, b in pairs:
        links.setdefault(a, []).append(b)
        links.setdefault(b, []).append(a)
    return links


def _angle(p, c=(0, 0)):
    return math.degrees(math.atan2(p["y"] - c[1], p["x"] - c[0]))


@pytest.mark.parametrize("aspect", [None, 2.7])
def test_place_js_puts_each_kind_of_expansion_where_it_says(served, browser, aspect):
    """place.js alone, in the page, on small graphs made for each promise: an agency's decisions fan out on the
    right within 150°, the agency behind them; a node on the edge of the graph gets its neighbours on its far side;
    the centre expanded again gets them towards the widest gap between what is shown round it, near it; a new node
    that would cover one shown moves out along its ray, and none is left over one; no new node sits level with a
    node it is linked to. The same on a square canvas (no aspect) and on one 2.7 times as wide as it is tall (rings
    drawn as ellipses)."""
    w = _opened(browser, served, "/explore")
    run = lambda *args: w.page.evaluate(PLACE, [*args, aspect])  # noqa: E731
    decisions = [f"d{i}" for i in range(4)]
    fresh = [["c", "person", "official"], ["agency", "org", "agency"],
             *[[d, "decision", "decision"] for d in decisions], *[[f"r{i}", "person", "relative"] for i in range(3)]]
    links = _linked([("c", x[0]) for x in fresh[1:]] + [("agency", d) for d in decisions])
    fan = run(fresh, {"id": "c", "x": 0, "y": 0}, links, [])
    assert fan["c"] == {"x": 0, "y": 0}
    wide = max(p["x"] for p in fan.values()) - min(p["x"] for p in fan.values())
    tall = max(p["y"] for p in fan.values()) - min(p["y"] for p in fan.values())
    assert wide / tall > (2.0 if aspect else 1.2)  # the fan on the right: wider still on a wide canvas
    assert all(abs(_angle(fan[d])) <= 75.5 for d in decisions)  # on the right, within 150°
    assert all(abs(_angle(fan[f"r{i}"])) > 75 for i in range(3))
    far = max(math.hypot(fan[d]["x"], fan[d]["y"]) for d in decisions)
    assert abs(_angle(fan["agency"])) < 20 and math.hypot(fan["agency"]["x"], fan["agency"]["y"]) > far + 100

    ring = [{"id": f"s{i}", "x": round(240 * math.cos(i * math.pi / 4)), "y": round(240 * math.sin(i * math.pi / 4)),
             "w": 60, "h": 60} for i in range(8)]
    edge = run([["a", "person", "relative"], ["b", "person", "relative"]], {"id": "s2", "x": 0, "y": 240},
               _linked([("s2", "a"), ("s2", "b")]), ring + [{"id": "c", "x": 0, "y": 0, "w": 60, "h": 60}])
    assert all(edge[i]["y"] > 240 + 100 for i in ("a", "b"))  # below it, away from the graph, not into it
    # the centre expanded again, its neighbours shown all round but for a gap (s6 and s7 left out: from 225° to
    # 360°, centred on -67.5° as atan2 reads it; s4 and s5 left out: from 135° to 270°, across ±180°, centred on
    # -157.5°), and one far out (what a neighbour's expansion added): the new nodes go towards the gap, near the
    # node clicked, over none shown (not on a ring outside everything, out of any readable view of it)
    for gone, middle in ((("s6", "s7"), -67.5), (("s4", "s5"), -157.5)):
        shown = [b for b in ring if b["id"] not in gone] + [{"id": "far", "x": 1100, "y": 100, "w": 60, "h": 60},
                                                           {"id": "c", "x": 0, "y": 0, "w": 60, "h": 60}]
        again = run([[f"n{i}", "person", "relative"] for i in range(5)], {"id": "c", "x": 0, "y": 0},
                    _linked([("c", f"n{i}") for i in range(5)]), shown)
        mean = {"x": sum(p["x"] for p in again.values()), "y": sum(p["y"] for p in again.values())}
        assert abs((_angle(mean) - middle + 180) % 360 - 180) < 30, (gone, again)  # centred on the gap
        assert all(abs((_angle(p) - middle + 180) % 360 - 180) < 100 for p in again.values()), (gone, again)
        assert all(math.hypot(p["x"], p["y"]) < 700 for p in again.values()), (gone, again)  # near, not past "far"
        assert not [(n, b["id"]) for n, p in again.items() for b in shown  # over none shown
                    if abs(p["x"] - b["x"]) < (b["w"] + 40) / 2 and abs(p["y"] - b["y"]) < (b["h"] + 20) / 2], again

    # many new nodes round a node whose neighbours shown are close (the ring at 240): those whose place on the arc
    # lies on one shown move out along their ray past it, and none is left over another
    shown = ring + [{"id": "c", "x": 0, "y": 0, "w": 60, "h": 60}]
    crowd = run([[f"m{i}", "person", "relative"] for i in range(12)], {"id": "c", "x": 0, "y": 0},
                _linked([("c", f"m{i}") for i in range(12)]), shown)
    assert not [(n, b["id"]) for n, p in crowd.items() for b in shown
                if abs(p["x"] - b["x"]) < (b["w"] + 40) / 2 and abs(p["y"] - b["y"]) < (b["h"] + 20) / 2], crowd
    assert max(math.hypot(p["x"], p["y"]) for p in crowd.values()) > 240 + 60, crowd  # moved out past the ring

    pairs = [("c", "r1"), ("c", "r2"), ("r1", "k")]
    level = run([["c", "person", "official"], ["r1", "person", "relative"], ["r2", "person", "relative"],
                 ["k", "org", "company"]], {"id": "c", "x": 0, "y": 0}, _linked(pairs), [])
    assert all(level[a]["y"] != level[b]["y"] for a, b in pairs), level
    w.check()
    w.close()
