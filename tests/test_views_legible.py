"""What a person reading a drawn-by-forces view needs, measured in a real Chromium at a laptop's 1366x768: a report
link's finding is fitted where the legend does not cover it, and the edge labels drawn (in a folded neighbourhood,
and on a focused finding of the overview) cover no other label and no node they are drawn with. Labels are
measured as drawn: every line the canvas writes while an edge's or a node's label is drawn, by its ink."""

from __future__ import annotations

import json
import re
from itertools import combinations

import pytest
from click.testing import CliRunner

import test_views_browser
from conftest import DEMO
from govties.cli.main import main
from test_views_layout import _overlap

browser = test_views_browser.browser  # the same Chromium fixture
SCREEN = {"width": 1366, "height": 768}


@pytest.fixture(scope="module", params=["en", "zh"])
def report(request, tmp_path_factory):
    """The demo's report and overview in English and in Chinese: (overview.html, its data)."""
    out = tmp_path_factory.mktemp(f"report-{request.param}")
    res = CliRunner().invoke(main, ["report", str(DEMO), "--out", str(out), "-q", "--lang", request.param])
    assert res.exit_code == 0, res.output
    overview = out / "overview.html"
    data = json.loads(re.search(r'id="govties-data">(.*?)</script>', overview.read_text(encoding="utf-8"),
                                re.DOTALL).group(1))
    return overview, data


def _open(browser, url: str, screen: dict = SCREEN):
    """A page of `url` at `screen`, once its view is drawn; and the script errors it raises."""
    page = browser.new_page(viewport=screen)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']", timeout=60000)
    return page, errors


UNDER_LEGEND = """(ids) => {
  const n = window.govtiesNetwork, g = document.getElementById('graph').getBoundingClientRect();
  const l = document.getElementById('legend').getBoundingClientRect();
  const boxes = ids.map(id => { const b = n.getBoundingBox(id);
    const tl = n.canvasToDOM({x: b.left, y: b.top}), br = n.canvasToDOM({x: b.right, y: b.bottom});
    return {id, box: [tl.x, tl.y, br.x, br.y]}; });
  return {boxes, legend: [l.left - g.left, l.top - g.top, l.right - g.left, l.bottom - g.top],
          width: g.width, height: g.height, focused: document.body.dataset.focused};
}"""


def _focus(page, finding_id: str) -> None:
    """The overview focused on a finding as its report link focuses it."""
    page.evaluate("t => { location.hash = t; }", finding_id)
    page.wait_for_function("t => document.body.dataset.focused === t", arg=finding_id, timeout=10000)


def test_a_report_link_fits_its_finding_where_the_legend_leaves_it_in_view(browser, report, tmp_path):
    """Every finding the overview lists, focused as a report link focuses it: none of its nodes (label included) is
    under the legend, and all are in the canvas. The legend sits at the bottom left; a finding drawn there used to
    be fitted to the whole canvas, half of a company's box under the legend."""
    overview, data = report
    page, errors = _open(browser, overview.as_uri())
    covered = []
    for f in data["findings"]:
        _focus(page, f["finding_id"])
        view = page.evaluate(UNDER_LEGEND, f["nodes"])
        for b in view["boxes"]:
            if _overlap(b["box"], view["legend"]):
                covered.append((f["finding_id"], b["id"]))
                page.screenshot(path=str(tmp_path / f"legend-{f['finding_id']}.png"))
            left, top, right, bottom = b["box"]
            assert left >= 0 and top >= 0 and right <= view["width"] and bottom <= view["height"], (f, b)
    page.close()
    assert covered == [], f"under the legend: {covered}; see {tmp_path}"
    assert errors == []


LABELS = """() => new Promise(done => {
  const n = window.govtiesNetwork, body = n.body, G = window.govties, canvas = n.canvas.frame.canvas;
  const ctx = canvas.getContext('2d'), ratio = canvas.width / canvas.clientWidth;
  const lines = [];
  let owner = null;
  const fillText = ctx.fillText;
  ctx.fillText = function (text, x, y, ...rest) {  // the ink of each line written for a label, in canvas pixels
    const style = String(this.fillStyle), alpha = style.startsWith('rgba') ? parseFloat(style.split(',')[3]) : 1;
    if (owner && String(text).trim() && alpha > 0) {  // vis-network writes an emptied label in no colour
      const m = this.measureText(text), t = this.getTransform();
      const at = (px, py) => [(t.a * px + t.c * py + t.e) / ratio, (t.b * px + t.d * py + t.f) / ratio];
      const [x0, y0] = at(x - m.actualBoundingBoxLeft, y - m.actualBoundingBoxAscent);
      const [x1, y1] = at(x + m.actualBoundingBoxRight, y + m.actualBoundingBoxDescent);
      lines.push({owner, text: String(text), box: [x0, y0, x1, y1].map(v => Math.round(v * 10) / 10)});
    }
    return fillText.call(this, text, x, y, ...rest);
  };
  const labels = [];
  for (const [kind, items] of [['edge', body.edges], ['node', body.nodes]]) {
    for (const id of Object.keys(items)) {
      const module = items[id].labelModule, draw = module.draw;
      module.draw = function (...args) {
        const was = owner;
        owner = kind + ':' + id;
        try { return draw.apply(this, args); } finally { owner = was; }
      };
      labels.push(module);
    }
  }
  n.once('afterDrawing', () => {
    ctx.fillText = fillText;
    labels.forEach(m => { delete m.draw; });
    // nodes drawn in full (a focused finding's; every shown node when nothing is focused): their boxes, label included
    const solid = G.nodes.get().filter(x => !x.hidden && !(x.opacity < 0.5)).map(x => {
      const b = n.getBoundingBox(x.id), tl = n.canvasToDOM({x: b.left, y: b.top}),
            br = n.canvasToDOM({x: b.right, y: b.bottom});
      return {id: x.id, box: [tl.x, tl.y, br.x, br.y]};
    });
    const edges = G.edges.get().filter(e => !e.hidden && e.label).map(e => ({id: e.id, label: e.label,
      tip: e.title ? e.title.textContent : ''}));
    done({lines, solid, edges, width: canvas.clientWidth, height: canvas.clientHeight});
  });
  n.redraw();
})"""


def label_problems(drawn: dict) -> tuple[list[str], dict[str, list]]:
    """What a reader would find covered: an edge's label over another edge's label or over a node drawn in full
    (its box, label included, and its label as written); and each edge's drawn label lines. Only what is in the
    canvas counts."""
    inside = [0, 0, drawn["width"], drawn["height"]]
    by_edge: dict[str, list] = {}
    for line in drawn["lines"]:
        kind, _, ident = line["owner"].partition(":")
        if kind == "edge" and _overlap(line["box"], inside) and line not in by_edge.get(ident, []):
            by_edge.setdefault(ident, []).append(line)  # a focused label is drawn twice, at one place
    problems = []
    for (a, la), (b, lb) in combinations(sorted(by_edge.items()), 2):
        for x in la:
            problems += [f"label of {a} {x['text']!r} over label of {b} {y['text']!r}" for y in lb
                         if _overlap(x["box"], y["box"])]
    solid = {n["id"] for n in drawn["solid"]}
    written = [line for line in drawn["lines"] if line["owner"].partition(":")[2] in solid
               and line["owner"].startswith("node:")]
    for edge, ls in sorted(by_edge.items()):
        for x in ls:
            problems += [f"label of {edge} {x['text']!r} over node {n['id']}" for n in drawn["solid"]
                         if _overlap(x["box"], n["box"])]
            problems += [f"label of {edge} {x['text']!r} over {y['owner']}'s label {y['text']!r}" for y in written
                         if _overlap(x["box"], y["box"])]
    return problems, by_edge


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("entity", ["XP0003", "XP0032"])
def test_a_folded_neighbourhood_draws_no_label_over_another_or_over_a_node(browser, tmp_path, entity, lang):
    """view --around XP0003 --hops 2 --fold, as a new user's trial drew it: a folded decision's label half under a
    company's box, a director's and a relative's labels printed over each other, a share run into a relative's
    node (and around XP0032, an agency's forty decisions, posts' dates over each other). Now no edge label covers
    another label or a node; a label with no room along its edge is not drawn, and its edge's tooltip says what it
    would (most are drawn)."""
    out = tmp_path / f"around-{lang}.html"
    res = CliRunner().invoke(main, ["view", str(DEMO), "--lang", lang, "--around", entity, "--hops", "2", "--fold",
                                    "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    page, errors = _open(browser, out.as_uri())
    assert page.evaluate("document.body.dataset.folded") == "1"
    drawn = page.evaluate(LABELS)
    page.screenshot(path=str(tmp_path / f"around-{lang}.png"))
    page.close()
    problems, by_edge = label_problems(drawn)
    assert problems == [], f"see {tmp_path / f'around-{lang}.png'}"
    left = [e for e in drawn["edges"] if e["id"] not in by_edge]
    assert all(e["label"].split("\n")[0] in e["tip"] for e in left), left
    assert len(by_edge) >= 2 * len(drawn["edges"]) / 3, (left, len(drawn["edges"]))
    assert errors == []


def test_a_focused_finding_draws_each_of_its_edge_labels_apart(browser, report, tmp_path):
    """A report link to every finding of the overview: each focused edge's label is drawn, none over another or over
    a focused node (the trial: decision-concentration's fourteen 'benefits' and 'decided' ran into each other)."""
    def problems_and_missing(page, f):
        drawn = page.evaluate(LABELS)
        problems, by_edge = label_problems(drawn)
        focused = {e["id"] for e in drawn["edges"]}  # the others' labels are empty while a finding is focused
        return problems, sorted(focused - set(by_edge))

    each_focused(browser, report, tmp_path, problems_and_missing)


def each_focused(browser, report, tmp_path, check) -> None:
    """Every finding of the report's overview focused as its report link focuses it, and `check(page, finding)`:
    (problems, what is missing); none of either for any finding (a screenshot of each that has some)."""
    overview, data = report
    page, errors = _open(browser, overview.as_uri())
    found = []
    for f in data["findings"]:
        _focus(page, f["finding_id"])
        problems, missing = check(page, f)
        if problems or missing:
            page.screenshot(path=str(tmp_path / f"focused-{f['finding_id']}.png"))
            found.append((f["finding_id"], f["rule"], problems, missing))
    page.close()
    assert found == [], f"see {tmp_path}"
    assert errors == []


PLACED = "() => window.govties.labelPlacements"
REDRAW = "() => { window.govtiesNetwork.redraw(); return window.govties.labelPlacements; }"
VIEW = """([dx, dy, zoom]) => { const n = window.govtiesNetwork, p = n.getViewPosition(), s = n.getScale();
  n.moveTo({position: {x: p.x + dx / s, y: p.y + dy / s}, scale: s * zoom}); n.redraw();
  return window.govties.labelPlacements; }"""
AT = """() => { const n = window.govtiesNetwork, G = window.govties, g = document.getElementById('graph');
  const r = g.getBoundingClientRect(), id = G.data.roots[0], p = n.canvasToDOM(n.getPositions([id])[id]);
  return {x: r.left + p.x, y: r.top + p.y}; }"""


def test_labels_are_placed_again_only_when_what_they_keep_clear_of_changes(browser, tmp_path):
    """Every redraw placed the labels anew (each pan, zoom step and hover: 200 to 500 ms a redraw in a view of
    3,113 nodes). Counted by the page, not timed: in a folded neighbourhood a redraw, a pan, a zoom, the pointer
    over a node place nothing anew, nor does a node moved while zoomed out past drawing any edge label; a drag, a
    finding focused, the decisions unfolded (once their layout has settled anew) each place them again, and so does
    a rule's findings filtered out of the overview."""
    out = tmp_path / "around.html"
    res = CliRunner().invoke(main, ["view", str(DEMO), "--lang", "en", "--around", "XP0003", "--hops", "2", "--fold",
                                    "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    page, errors = _open(browser, out.as_uri())
    assert isinstance(page.evaluate(PLACED), int) and page.evaluate(PLACED) > 0, "the page counts no placement"
    page.evaluate(REDRAW)
    page.evaluate(REDRAW)  # the first boxes of the nodes as drawn in the fitted view are taken
    placed = page.evaluate(PLACED)
    for step in [[0, 0, 1], [120, -80, 1], [-240, 40, 1], [0, 0, 1.25], [0, 0, 0.8], [120, 40, 1]]:
        assert page.evaluate(VIEW, step) == placed, f"placed anew on a redraw that changes nothing: {step}"
    at = page.evaluate(AT)
    page.mouse.move(at["x"], at["y"], steps=4)  # the root, under the pointer: hovered (its label bold)
    assert page.evaluate("() => window.govtiesNetwork.body.nodes[window.govties.data.roots[0]].hover")
    assert page.evaluate(REDRAW) == placed
    page.mouse.move(1, 1)
    assert page.evaluate(REDRAW) == placed
    # zoomed out past drawing any edge label: a node moved is not worked around, until the labels are drawn again
    page.evaluate(VIEW, [0, 0, 0.05])
    page.evaluate("() => { const n = window.govtiesNetwork, id = window.govties.data.roots[0], "
                  "p = n.getPositions([id])[id]; n.moveNode(id, p.x + 40, p.y); }")
    assert page.evaluate(REDRAW) == placed
    assert page.evaluate(VIEW, [0, 0, 20]) == placed + 1
    placed += 1
    page.evaluate(REDRAW)  # the node's box as drawn where it now is
    placed = page.evaluate(PLACED)
    assert page.evaluate(REDRAW) == placed
    # what changes where labels go places them again: a drag
    at = page.evaluate(AT)
    page.mouse.move(at["x"], at["y"])
    page.mouse.down()
    page.mouse.move(at["x"] + 60, at["y"] + 30, steps=5)
    page.mouse.up()
    page.mouse.move(1, 1)
    assert page.evaluate(REDRAW) > placed, "a drag placed nothing"
    placed = page.evaluate(REDRAW)
    # a focus
    page.locator("#findings li").first.click()
    assert page.evaluate(REDRAW) > placed, "a focus placed nothing"
    # unfolding: placed again once the layout has settled anew
    page.evaluate("() => { window.__settled = null; window.govtiesNetwork.once('stabilizationIterationsDone', "
                  "() => { window.__settled = window.govties.labelPlacements; }); }")
    page.locator("#fold").uncheck()
    page.wait_for_function("() => window.__settled !== null", timeout=30000)
    assert page.evaluate(REDRAW) > page.evaluate("() => window.__settled"), "the settled layout placed nothing"
    placed = page.evaluate(REDRAW)
    assert page.evaluate(REDRAW) == placed
    page.close()
    assert errors == []
    # a filter, on the overview (zoomed in: fitted, it is drawn too small for edge labels)
    res = CliRunner().invoke(main, ["report", str(DEMO), "--out", str(tmp_path / "report"), "-q", "--lang", "en"])
    assert res.exit_code == 0, res.output
    page, errors = _open(browser, (tmp_path / "report" / "overview.html").as_uri())
    page.evaluate(VIEW, [0, 0, 8])
    placed = page.evaluate(REDRAW)
    assert page.evaluate(REDRAW) == placed
    page.locator("input.rule-filter").first.uncheck()
    assert page.evaluate(REDRAW) > placed, "a filter placed nothing"
    page.close()
    assert errors == []
