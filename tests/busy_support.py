"""A busy drawing as a reader sees it in a static view (its network and nodes are window.govties.network and
.nodes): one node's label (the ink of every line the canvas writes for it in one redraw, and what lies over the
canvas that could hide it), and the bar that says how many nodes are in view."""

from __future__ import annotations

from govties.visualize.words import say

READABLE = 11  # CSS px: the least ink height of a label read at a glance
CENTRES = """() => { const n = window.govties.network, c = n.canvas.frame.canvas;
  return window.govties.nodes.get().filter(x => !x.hidden).map(x => {
    const node = n.body.nodes[x.id], p = n.canvasToDOM({x: node.x, y: node.y});  // (getPositions rounds them)
    return {id: x.id, inside: p.x >= 0 && p.y >= 0 && p.x <= c.clientWidth && p.y <= c.clientHeight}; }); }"""

INK = """(id) => new Promise(done => {
  const n = window.govties.network, canvas = n.canvas.frame.canvas, ctx = canvas.getContext('2d');
  const ratio = canvas.width / canvas.clientWidth, lines = [], module = n.body.nodes[id].labelModule;
  const draw = module.draw, fillText = ctx.fillText;
  let inside = false;
  ctx.fillText = function (text, x, y, ...rest) {
    const style = String(this.fillStyle), alpha = style.startsWith('rgba') ? parseFloat(style.split(',')[3]) : 1;
    if (inside && String(text).trim() && alpha > 0) {  // vis-network writes an emptied label in no colour
      const m = this.measureText(text), t = this.getTransform();
      const at = (px, py) => [(t.a * px + t.c * py + t.e) / ratio, (t.b * px + t.d * py + t.f) / ratio];
      const [x0, y0] = at(x - m.actualBoundingBoxLeft, y - m.actualBoundingBoxAscent);
      const [x1, y1] = at(x + m.actualBoundingBoxRight, y + m.actualBoundingBoxDescent);
      lines.push({text: String(text), box: [x0, y0, x1, y1]});
    }
    return fillText.call(this, text, x, y, ...rest);
  };
  module.draw = function (...args) {
    inside = true;
    try { return draw.apply(this, args); } finally { inside = false; }
  };
  n.once('afterDrawing', () => {
    ctx.fillText = fillText;
    delete module.draw;
    done({lines, width: canvas.clientWidth, height: canvas.clientHeight});
  });
  n.redraw();
})"""
OVER = """(selectors) => {
  const c = window.govties.network.canvas.frame.canvas.getBoundingClientRect();
  return selectors.flatMap(s => [...document.querySelectorAll(s)]).filter(e => e.offsetWidth && e.offsetHeight)
    .map(e => { const r = e.getBoundingClientRect(); return [r.left - c.left, r.top - c.top, r.right - c.left,
                                                             r.bottom - c.top]; }); }"""


def _meet(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def label_seen(page, node_id: str, over: list[str]) -> dict:
    """How node `node_id`'s label is drawn: `height` (of its tallest line's ink, in CSS pixels; 0 when it is not
    drawn), `text`, whether all of its ink is `inside` the canvas, and the boxes of the elements matching the
    selectors `over` that cover part of it (`covered`)."""
    drawn = page.evaluate(INK, node_id)
    lines = drawn["lines"]
    if not lines:
        return {"height": 0, "text": "", "inside": False, "covered": []}
    box = [min(x["box"][0] for x in lines), min(x["box"][1] for x in lines), max(x["box"][2] for x in lines),
           max(x["box"][3] for x in lines)]
    inside = box[0] >= 0 and box[1] >= 0 and box[2] <= drawn["width"] and box[3] <= drawn["height"]
    return {"height": max(x["box"][3] - x["box"][1] for x in lines), "text": " ".join(x["text"] for x in lines),
            "inside": inside, "covered": [r for r in page.evaluate(OVER, over) if _meet(r, box)]}


def readable(page, node_id: str, over: list[str]) -> dict:
    """Node `node_id`'s label, asserted read at a glance: READABLE px tall or more, all of it in the canvas and
    nothing matching `over` over it."""
    seen = label_seen(page, node_id, over)
    assert seen["height"] >= READABLE and seen["inside"] and seen["covered"] == [], (node_id, seen)
    return seen


def bar_says(page, lang: str) -> tuple[int, int]:
    """How many of the nodes shown have their centre in the canvas, and of how many, asserting that the bar (the
    views' app_extent.js) is shown and says just that."""
    centres = page.evaluate(CENTRES)
    inside = sum(1 for c in centres if c["inside"])
    assert page.locator("#extent").is_visible()
    assert say("in_view", lang, shown=inside, n=len(centres)) in page.locator("#extent").inner_text()
    return inside, len(centres)
