"""Views around a hub (an agency that issued some forty decisions), measured in a real Chromium at a laptop's
1366x768: the layered view wraps the crowded layer into a grid block (a readable shape, nothing overlapping, links
still left to right); focusing a finding in a folded view draws the weighted edges that stand for its decisions in
full; and in a settled view the labels of what is dimmed never cover the focused edges' labels."""

from __future__ import annotations

import pytest

import test_views_browser
from conftest import DEMO
from govties.graph.duckdb_backend import DuckDBBackend
from govties.loaders import load_dataset
from govties.rules.catalog import catalog
from govties.rules.engine import sweep
from govties.visualize import views
from govties.visualize.style import EDGE_FONT
from test_views_layout import GEOMETRY, check_geometry

browser = test_views_browser.browser  # the same Chromium fixture
HUB = "XO0002"  # the demo's agency with the most decisions beside the five big bureaus


@pytest.fixture(scope="module")
def demo():
    b = DuckDBBackend()
    b.load(load_dataset(DEMO).tables)
    yield b, sweep(b, list(catalog().values()), lang="en").findings
    b.close()


def _open(browser, path):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=30000)
    return page, errors


def test_a_hubs_layered_view_wraps_its_crowded_layer(browser, demo, tmp_path):
    backend, findings = demo
    view = views.neighbourhood(backend, HUB, 1, 300, findings, list(catalog().values()))
    decisions = [n for n, d in view.graph.nodes(data=True) if d.get("type") == "decision"]
    assert view.layout == "layered" and len(decisions) >= 30
    path = views.write_view(view, tmp_path / "hub.html", lang="en")
    page, errors = _open(browser, path)
    page.screenshot(path=str(tmp_path / "hub.png"))
    geo = page.evaluate(GEOMETRY)
    assert errors == [] and check_geometry(geo, whole=False) == [], f"see {tmp_path / 'hub.png'}"
    drawn = [n for n in geo["nodes"] if n["category"] != "port"]
    left, top = min(n["box"][0] for n in drawn), min(n["box"][1] for n in drawn)
    right, bottom = max(n["box"][2] for n in drawn), max(n["box"][3] for n in drawn)
    ratio = (bottom - top) / (right - left)
    assert 1 / 3 <= ratio <= 3, (right - left, bottom - top)  # was 5.3 times as tall as wide: one column of forty
    fitted = min((geo["width"] - 48) / (right - left), (geo["height"] - 48) / (bottom - top))
    assert fitted * EDGE_FONT >= 6, fitted  # fitted whole, labels are still letters, not dots
    at = {n["id"]: n for n in drawn}
    assert len({round(at[d]["x"]) for d in decisions}) >= 3  # the decisions stand in a block of several columns
    assert len({round(at[d]["y"]) for d in decisions}) >= 4  # of several rows
    # and every decision still stands between who decided it and the agency that issued it: left to right
    for u, v, d in view.graph.edges(data=True):
        if d.get("type") == "ISSUED_BY":
            assert at[u]["box"][2] < at[v]["box"][0], (u, v)
        if d.get("type") == "DECIDED":
            assert at[u]["box"][2] < at[v]["box"][0], (u, v)
    page.close()


# each given edge as drawn: selected or not, its opacity and width, and the red pixels along its curve
EDGES_DRAWN = """(ids) => {
  const n = window.govtiesNetwork, canvas = document.querySelector('#graph canvas');
  const ctx = canvas.getContext('2d'), ratio = canvas.width / canvas.clientWidth, selected = n.getSelectedEdges();
  return ids.map(id => {
    const e = n.body.edges[id];
    let red = 0, seen = 0;
    for (let t = 0.1; t < 0.91; t += 0.05) {
      const p = n.canvasToDOM(e.edgeType.getPoint(t)), x = Math.round(p.x * ratio), y = Math.round(p.y * ratio);
      if (x < 2 || y < 2 || x > canvas.width - 3 || y > canvas.height - 3) { continue; }
      seen++;
      const px = ctx.getImageData(x - 2, y - 2, 5, 5).data;
      for (let i = 0; i < px.length; i += 4) {
        if (px[i] > 170 && px[i + 1] < 90 && px[i + 2] < 90) { red++; break; }
      }
    }
    return {id, hidden: !!window.govties.edges.get(id).hidden, selected: selected.includes(id),
            opacity: e.options.color.opacity, width: e.options.width, red, seen};
  });
}"""


def test_focusing_a_finding_in_a_folded_view_draws_its_weighted_edges_in_full(browser, demo, tmp_path):
    backend, findings = demo
    view = views.neighbourhood(backend, HUB, 2, 300, findings, list(catalog().values()), fold=True)
    path = views.write_view(view, tmp_path / "folded.html", lang="en", fold=True)
    page, errors = _open(browser, path)
    data = page.evaluate("window.govties.data")
    with_decisions = [i for i, f in enumerate(data["findings"]) if f.get("folded")]
    assert with_decisions, "a finding of a decision folded away"
    checked = 0
    for i in with_decisions:
        f = data["findings"][i]
        page.locator("#findings li").nth(i).click()
        page.wait_for_timeout(400)
        page.screenshot(path=str(tmp_path / f"folded-{i}.png"))
        mine = page.evaluate(EDGES_DRAWN, f["folded"])
        others = page.evaluate(EDGES_DRAWN, [x for x in data["fold"]["folded"] if x not in f["folded"]])
        assert all(not e["hidden"] and e["selected"] and e["opacity"] == 1 for e in mine), mine
        assert all(not e["selected"] and e["opacity"] < 0.2 for e in others), others
        assert all(e["red"] >= 3 for e in mine if e["seen"] >= 6), mine  # drawn in the focus's red along its way
        assert set(f["edges"]) <= set(data["fold"]["plain"]), "the finding's own edges are folded away"
        checked += len(mine)
    assert checked >= 2 and errors == []
    page.close()


# the canvas pixels inside each focused edge's label (3 px inside its box: vis-network draws its ground a pixel off)
LABEL_PIXELS = """() => {
  const n = window.govtiesNetwork, canvas = document.querySelector('#graph canvas');
  const ctx = canvas.getContext('2d'), ratio = canvas.width / canvas.clientWidth, out = {};
  n.getSelectedEdges().forEach(id => {
    const e = n.body.edges[id];
    if (!e.options.label || window.govties.edges.get(id).hidden) { return; }
    const s = e.labelModule.size, a = n.canvasToDOM({x: s.left, y: s.top});
    const z = n.canvasToDOM({x: s.left + s.width, y: s.top + s.height});
    const x0 = Math.ceil(a.x * ratio) + 3, y0 = Math.ceil(a.y * ratio) + 3;
    const w = Math.floor((z.x - a.x) * ratio) - 6, h = Math.floor((z.y - a.y) * ratio) - 6;
    if (w <= 0 || h <= 0 || x0 < 0 || y0 < 0 || x0 + w > canvas.width || y0 + h > canvas.height) { return; }
    out[id] = Array.from(ctx.getImageData(x0, y0, w, h).data);
  });
  return out; }"""


def test_dimmed_labels_do_not_cover_the_focused_ones(browser, demo, tmp_path):
    """In the settled view around the hub (some seventy nodes, crowded in the middle), each finding focused: the
    dimmed edges have no label, the dimmed nodes' labels no ground, and every focused edge's label is drawn exactly
    as it is when everything dimmed is hidden (nothing dimmed is drawn over it)."""
    backend, findings = demo
    view = views.neighbourhood(backend, HUB, 2, 300, findings, list(catalog().values()))
    assert view.layout == "physics" and view.graph.number_of_nodes() > 60
    path = views.write_view(view, tmp_path / "around.html", lang="en")
    page, errors = _open(browser, path)
    compared = 0
    for i in range(len(view.findings)):
        page.reload()
        page.wait_for_selector("body[data-ready='1']", timeout=30000)
        page.locator("#findings li").nth(i).click()
        page.wait_for_timeout(400)
        page.screenshot(path=str(tmp_path / f"focused-{i}.png"))
        state = page.evaluate("""() => {
          const n = window.govtiesNetwork, sel = new Set(n.getSelectedEdges()), nodes = new Set(n.getSelectedNodes());
          return {edges: window.govties.edges.get().filter(e => !sel.has(e.id) && !e.hidden)
                           .map(e => [e.id, e.label || '', n.body.edges[e.id].options.font.color]),
                  nodes: window.govties.nodes.get().filter(x => !nodes.has(x.id) && x.shape !== 'box')
                           .map(x => [x.id, n.body.nodes[x.id].options.font.background])}; }""")
        assert all(label == "" for _, label, _ in state["edges"]), [e for e in state["edges"] if e[1]][:3]
        assert all(ground == "rgba(0,0,0,0)" for _, ground in state["nodes"]), state["nodes"][:3]
        before = page.evaluate(LABEL_PIXELS)
        page.evaluate("""() => { const n = window.govtiesNetwork, G = window.govties;
          const keepN = new Set(n.getSelectedNodes()), keepE = new Set(n.getSelectedEdges());
          G.nodes.update(G.nodes.getIds().filter(id => !keepN.has(id)).map(id => ({id, hidden: true})));
          G.edges.update(G.edges.getIds().filter(id => !keepE.has(id)).map(id => ({id, hidden: true})));
          n.redraw(); }""")
        page.wait_for_timeout(200)
        after = page.evaluate(LABEL_PIXELS)
        assert before.keys() == after.keys()
        for edge, pixels in before.items():
            differ = sum(1 for a, b in zip(pixels, after[edge], strict=True) if abs(a - b) > 8)
            assert differ == 0, (view.findings[i]["rule"], edge, differ)
            compared += 1
    assert compared >= len(view.findings) and errors == []
    page.close()
