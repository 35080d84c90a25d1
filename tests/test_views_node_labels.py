"""Node labels in a view drawn by forces, measured in a real Chromium at 1366x768: in a crowded view no two node
labels drawn cover each other and no edge label covers one; the more important one of two that would is drawn (a
focused finding's nodes' all are), the other is left to its tooltip, to the pointer over its node and to a zoom in
far enough that it has room. Labels are measured as drawn (the ink of every line the canvas writes for a label)
and as the page places them (window.govties.nodeLabels)."""

from __future__ import annotations

from itertools import combinations

import pytest
from click.testing import CliRunner

import test_views_browser
import test_views_legible
from govties.cli.main import main
from test_views_layout import _overlap
from test_views_legible import LABELS, _open, each_focused, label_problems

browser = test_views_browser.browser  # the same Chromium fixture
report = test_views_legible.report  # the demo's overview in English and in Chinese

PLACED = """() => { const n = window.govtiesNetwork, G = window.govties, at = G.nodeLabels();
  const dom = b => { const a = n.canvasToDOM({x: b[0], y: b[1]}), z = n.canvasToDOM({x: b[2], y: b[3]});
                     return [a.x, a.y, z.x, z.y]; };
  const out = {};
  Object.keys(at).forEach(id => { out[id] = {shown: at[id].shown, inside: at[id].inside, box: dom(at[id].box)}; });
  return {labels: out, edges: G.edgeLabelsDrawn ? G.edgeLabelBoxes.map(b => dom([b.left, b.top, b.right, b.bottom]))
          : [], count: G.nodeLabelPlacements, scale: n.getScale(), selected: n.getSelectedNodes()}; }"""
AT = """id => { const n = window.govtiesNetwork, r = document.getElementById('graph').getBoundingClientRect();
  const p = n.canvasToDOM(n.getPositions([id])[id]); return {x: r.left + p.x, y: r.top + p.y}; }"""
ZOOM = """([id, scale]) => { const n = window.govtiesNetwork;
  n.moveTo({position: n.getPositions([id])[id], scale: scale}); n.redraw(); return n.getScale(); }"""


@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    """A generated province's busiest agency, two steps out, folded: 300 nodes, most of them decisions and
    companies round one agency, their labels over each other as vis-network draws them."""
    folder = tmp_path_factory.mktemp("crowded")
    res = CliRunner().invoke(main, ["generate", "--out", str(folder / "data"), "--people", "400"])
    assert res.exit_code == 0, res.output
    views = {}
    for lang in ("en", "zh"):
        views[lang] = folder / f"around-{lang}.html"
        res = CliRunner().invoke(main, ["view", str(folder / "data"), "--lang", lang, "--around", "O0000003",
                                        "--hops", "2", "--fold", "-o", str(views[lang]), "-q"])
        assert res.exit_code == 0, res.output
    return views


def node_label_problems(page) -> tuple[list[str], dict, dict]:
    """What covers a node label drawn, as placed and as drawn: two node labels' boxes that meet, an edge label's box
    over a node label's, a label's ink outside the box it was placed in, ink of a label not placed to be drawn;
    and the placements and the ink drawn for each node (by id). Only what is in the canvas counts."""
    drawn = page.evaluate(LABELS)  # a redraw: the labels placed for it
    placed = page.evaluate(PLACED)
    inside = [0, 0, drawn["width"], drawn["height"]]
    labels = {i: p for i, p in placed["labels"].items() if _overlap(p["box"], inside)}
    shown = sorted((i, p["box"]) for i, p in labels.items() if p["shown"])
    problems = [f"node labels {a} and {b} meet" for (a, x), (b, y) in combinations(shown, 2) if _overlap(x, y)]
    problems += [f"an edge label over node label {i}" for i, x in shown for e in placed["edges"] if _overlap(x, e)]
    ink: dict[str, list] = {}
    for line in drawn["lines"]:
        kind, _, ident = line["owner"].partition(":")
        if kind == "node" and _overlap(line["box"], inside):
            ink.setdefault(ident, []).append(line)
    for ident, lines in ink.items():
        p = placed["labels"].get(ident)
        if p is None or not p["shown"]:
            problems.append(f"node {ident}'s label is drawn though not placed: {lines[0]['text']!r}")
            continue
        box = [p["box"][0] - 1, p["box"][1] - 1, p["box"][2] + 1, p["box"][3] + 1]
        problems += [f"node {ident}'s {x['text']!r} drawn outside its place" for x in lines
                     if not (box[0] <= x["box"][0] and box[1] <= x["box"][1] and x["box"][2] <= box[2]
                             and x["box"][3] <= box[3])]
    edge_problems, _ = label_problems(drawn)
    problems += [p for p in edge_problems if "'s label" in p]  # an edge label's ink over a node label's ink
    return problems, labels, ink


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_crowded_view_draws_no_node_label_over_another_and_a_zoom_in_shows_more(browser, crowded, lang, tmp_path):
    """300 nodes round one agency: vis-network printed company names and decisions' titles over each other. Now
    the labels drawn meet no other and no edge label; of the rest each is in its node's tooltip, is drawn while the
    pointer is over its node, and one left out in the fitted view is drawn once the view is zoomed in on it. (Busy,
    it opens readable round the agency: fitted whole by its "fit all" button here.)"""
    page, errors = _open(browser, crowded[lang].as_uri())
    page.click("#fit-all")
    page.mouse.move(1, 1)
    page.evaluate("() => window.govtiesNetwork.redraw()")
    opened = errors
    problems, labels, ink = node_label_problems(page)
    page.screenshot(path=str(tmp_path / f"crowded-{lang}.png"))
    assert problems == [], f"see {tmp_path}"
    hidden = sorted(i for i, p in labels.items() if not p["shown"] and not p["inside"])
    assert hidden and len(ink) >= 40, (len(hidden), len(ink))  # crowded: labels left out; many still drawn
    root = page.evaluate("window.govties.data.roots[0]")
    assert labels[root]["shown"] and root in ink
    said = page.evaluate("ids => ids.map(id => [window.govties.nodes.get(id).label, "
                         "window.govties.nodes.get(id).title.textContent])", hidden)
    untold = [(label, word) for label, tip in said for word in label.replace("·", " ").split() if word not in tip]
    assert untold == []  # each word of a label left out is in its node's tooltip (a name wrapped: on one line)
    # the pointer over a node whose label is left out: its label is drawn, over the rest
    target = hidden[0]
    at = page.evaluate(AT, target)
    page.mouse.move(at["x"], at["y"], steps=3)
    page.wait_for_function("id => window.govtiesNetwork.body.nodes[id].hover", arg=target, timeout=5000)
    drawn = page.evaluate(LABELS)
    assert any(line["owner"] == f"node:{target}" for line in drawn["lines"]), target
    page.close()  # (vis-network keeps a node hovered while the pointer is off the canvas)
    # zoomed in on each of a few left out: drawn there, and still nothing covers a label drawn
    page, errors = _open(browser, crowded[lang].as_uri())
    for ident in hidden[:3]:
        page.evaluate(ZOOM, [ident, 4])
        problems, labels, ink = node_label_problems(page)
        assert problems == [], ident
        assert labels[ident]["shown"] and ident in ink, ident
    page.screenshot(path=str(tmp_path / f"crowded-{lang}-zoomed.png"))
    page.close()
    assert opened == [] and errors == []


def test_a_focused_finding_draws_all_of_its_node_labels(browser, report, tmp_path):
    """Every finding of the overview, focused as a report link focuses it: each of its nodes' labels is drawn
    (its nodes come first), and no node label drawn meets another or an edge label."""
    def problems_and_missing(page, f):
        problems, labels, ink = node_label_problems(page)
        return problems, sorted(n for n in f["nodes"] if not labels.get(n, {}).get("shown") or n not in ink)

    each_focused(browser, report, tmp_path, problems_and_missing)


REDRAW = "() => { window.govtiesNetwork.redraw(); return window.govties.nodeLabelPlacements; }"
VIEW = """([dx, dy, zoom]) => { const n = window.govtiesNetwork, p = n.getViewPosition(), s = n.getScale();
  n.moveTo({position: {x: p.x + dx / s, y: p.y + dy / s}, scale: s * zoom}); n.redraw();
  return window.govties.nodeLabelPlacements; }"""


def test_node_labels_are_placed_again_on_a_zoom_in_not_on_a_pan(browser, crowded):
    """The places depend on the zoom only where labels are drawn smaller than their size (zoomed in past 16 px):
    a redraw, a pan, the pointer over a node, a zoom while labels are at their size place nothing anew; a zoom in
    past it does, and so does a selection."""
    page, errors = _open(browser, crowded["en"].as_uri())
    page.mouse.move(1, 1)
    placed = page.evaluate(REDRAW)
    assert isinstance(placed, int) and placed > 0
    assert page.evaluate(REDRAW) == placed
    for step in [[120, -80, 1], [-240, 40, 1], [0, 0, 1.1], [0, 0, 1 / 1.1], [60, 0, 1]]:
        assert page.evaluate(VIEW, step) == placed, step
    root = page.evaluate("window.govties.data.roots[0]")
    page.evaluate(ZOOM, [root, 1.0])
    placed = page.evaluate(REDRAW)
    assert page.evaluate(VIEW, [0, 0, 1.1]) == placed  # 15.4 px: at its size still
    assert page.evaluate(VIEW, [0, 0, 1.5]) == placed + 1
    assert page.evaluate(VIEW, [100, 50, 1]) == placed + 1
    page.fill("#search", root)  # the root found: selected, its label bold
    assert page.evaluate(REDRAW) > placed + 1
    page.close()
    assert errors == []


SMALL_INK = """() => new Promise(done => {
  const n = window.govtiesNetwork, body = n.body, canvas = n.canvas.frame.canvas, ctx = canvas.getContext('2d');
  const ratio = canvas.width / canvas.clientWidth, lines = [], fillText = ctx.fillText;
  ctx.fillText = function (text, x, y, ...rest) {  // every line written on the canvas, its ink in screen pixels
    const m = this.measureText(text), t = this.getTransform();
    const at = (px, py) => [(t.a * px + t.c * py + t.e) / ratio, (t.b * px + t.d * py + t.f) / ratio];
    const [x0, y0] = at(x - m.actualBoundingBoxLeft, y - m.actualBoundingBoxAscent);
    const [x1, y1] = at(x + m.actualBoundingBoxRight, y + m.actualBoundingBoxDescent);
    lines.push({text: String(text), box: [x0, y0, x1, y1], em: parseFloat(this.font) * t.a / ratio});
    return fillText.call(this, text, x, y, ...rest);
  };
  n.once('afterDrawing', () => {
    ctx.fillText = fillText;
    const dom = b => { const a = n.canvasToDOM({x: b[0], y: b[1]}), z = n.canvasToDOM({x: b[2], y: b[3]});
                       return [a.x, a.y, z.x, z.y]; };
    const placed = window.govties.nodeLabels(), labels = {};
    Object.keys(placed).forEach(id => { labels[id] = {shown: placed[id].shown, small: placed[id].small,
                                                      box: dom(placed[id].box), ground: dom(placed[id].ground)}; });
    const shapes = body.nodeIndices.filter(id => !body.nodes[id].options.hidden).map(id => {
      const node = body.nodes[id], w = node.shape.width || 2 * (node.options.size || 0),
            h = node.shape.height || 2 * (node.options.size || 0);
      return {id, category: window.govties.nodes.get(id).category,
              box: dom([node.x - w / 2, node.y - h / 2, node.x + w / 2, node.y + h / 2])};
    });
    const any = body.nodeIndices.length ? body.nodes[body.nodeIndices[0]].labelModule : null;
    done({lines, labels, shapes, scale: n.getScale(), width: canvas.clientWidth, height: canvas.clientHeight,
          font: any ? any.fontOptions.size : 0,
          threshold: any ? any.elementOptions.scaling.label.drawThreshold : 0});
  });
  n.redraw();
})"""


def test_an_overview_opened_whole_names_its_most_important_nodes_at_a_readable_size(browser, report, tmp_path):
    """The demo's overview opens whole, zoomed out past where vis-network draws any node label (every node was an
    unnamed dot or box). Now the labels that have room are drawn 12 px tall on screen, officials' first, a company's
    beside its box: none over another or over another node's shape, each line inside its place; a node left out is
    named while the pointer is over it."""
    overview, data = report
    page, errors = _open(browser, overview.as_uri())
    page.mouse.move(1, 1)
    got = page.evaluate(SMALL_INK)
    page.screenshot(path=str(tmp_path / "overview-opened.png"))
    assert got["scale"] * got["font"] < got["threshold"] - 1  # vis-network draws no node label at this zoom
    labels = got["labels"]
    assert labels and all(p["small"] for p in labels.values())
    canvas = [0, 0, got["width"], got["height"]]
    shown = {i: p for i, p in labels.items() if p["shown"] and _overlap(p["box"], canvas)}
    assert len(shown) >= 30, len(shown)
    cut = [i for i, p in shown.items() if not (-1 <= p["box"][0] and -1 <= p["box"][1] and
                                               p["box"][2] <= got["width"] + 1 and p["box"][3] <= got["height"] + 1)]
    assert cut == []  # fitted with room for the labels: none is cut by the canvas's edge
    assert [f"{a} meets {b}" for (a, x), (b, y) in combinations(sorted(shown.items()), 2)
            if _overlap(x["box"], y["box"])] == []
    assert [f"{i}'s label covers node {s['id']}" for i, p in shown.items() for s in got["shapes"]
            if s["id"] != i and _overlap(p["box"], s["box"])] == []
    category = {s["id"]: s["category"] for s in got["shapes"]}
    officials = [i for i in labels if category.get(i) == "official"]
    named = {i for i in shown if category.get(i) == "official"}
    assert officials and len(named) / len(officials) >= 0.8, (len(named), len(officials))
    assert any(category.get(i) not in ("official", "relative", "person", "decision") for i in shown)  # a company
    # the ink: every line drawn is a line of a label placed to be drawn, 12 px tall, inside its ground
    texts = {i: page.evaluate("id => window.govties.nodes.get(id).label", i) for i in shown}
    for line in got["lines"]:
        owners = [i for i, t in texts.items() if line["text"] in t.split("\n")
                  and _overlap(line["box"], labels[i]["ground"])]
        assert owners, line
        g = labels[owners[0]]["ground"]
        assert g[0] - 1 <= line["box"][0] and line["box"][2] <= g[2] + 1, line
        assert g[1] - 1 <= line["box"][1] and line["box"][3] <= g[3] + 1, line
        assert abs(line["em"] - data["readable"]["px"]) < 0.5, line
    drawn = {i for i in shown if any(line["text"] in texts[i].split("\n") for line in got["lines"])}
    assert drawn == set(shown)
    # the pointer over a node whose label has no room: its label is drawn, over the rest
    left_out = sorted(i for i, p in labels.items() if not p["shown"] and category.get(i) == "official"
                      or not p["shown"] and category.get(i) == "relative")
    assert left_out
    target = left_out[0]
    at = page.evaluate(AT, target)
    page.mouse.move(at["x"], at["y"], steps=3)
    page.wait_for_function("id => window.govtiesNetwork.body.nodes[id].hover", arg=target, timeout=5000)
    label = page.evaluate("id => window.govties.nodes.get(id).label", target)
    again = page.evaluate(SMALL_INK)
    assert any(line["text"] in label.split("\n") and _overlap(line["box"], again["labels"][target]["ground"])
               for line in again["lines"]), target
    page.mouse.move(1, 1)
    # every rule filtered out: nothing is shown, and no label is left drawn over the empty canvas
    for box in page.locator("#rule-filters input[type=checkbox]").all():
        box.uncheck()
    emptied = page.evaluate(SMALL_INK)
    assert emptied["shapes"] == [] and emptied["lines"] == [], emptied["lines"][:3]
    page.close()
    assert errors == []
