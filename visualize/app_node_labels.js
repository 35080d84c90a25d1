// govties view, part 5: the node labels of a view drawn by forces, none over another. vis-network draws every
// node's label, below its shape (or inside it: a company's box), over whatever lies there; in a crowded view two
// names print over each other and neither can be read. Here the labels are taken most important first (the nodes
// selected: a focused finding's or those a search found; then the entity a neighbourhood is drawn from; nodes drawn
// in full before dimmed ones; nodes of a finding before others; officials, then relatives, then the rest; more
// edges before fewer) and each is drawn at the first place beside its shape (below it, above, right, left) where it
// covers no label drawn before it, no edge label (app_labels.js) and no other node drawn in full; a label with no
// such place is not drawn: its node's tooltip names it, and the pointer over the node draws it over the rest. A
// label inside its shape cannot move: it is drawn unless it meets a label or a node taken before it, and is drawn
// again over the nodes after it that it meets. A label beside its shape is drawn at most CAP pixels tall on screen:
// zoomed in past that it takes less of the canvas, so that more of the labels have room; the places are worked out
// again then, and whenever the nodes, what is shown, the selection or the edge labels' places change, not on a pan
// or a hover. Edge labels keep clear of every node's label below its shape at its full size, drawn or not (their
// places do not depend on the zoom): a label drawn there is never under one. Zoomed out so far that vis-network
// draws no node label (an overview opens so), the labels are placed the same way at SMALL pixels on screen, a
// company's beside its box too, and drawn here: the most important names read at a glance, the rest by a zoom in.
(function () {
  "use strict";
  var G = window.govties, network = G.network, nodes = G.nodes, data = G.data;
  if (data.layout === "layered" || !G.Grid) { return; }
  var body = network.body;
  var CAP = 16;  // px: the most a label beside its shape is drawn tall (its font) on screen
  var GAP = 1;  // canvas units kept between two labels
  var FAINT = 0.35;  // how opaque a shape whose label inside it is not drawn is drawn
  var DESCENT = 3;  // canvas units a label's last line may reach below its box (its letters' descent)
  var NEAR = 4;  // canvas units between a shape and its label when the label is above it or beside it
  var INSIDE = { box: true, ellipse: true, circle: true, database: true, text: true };  // a label inside its shape
  var RANK = { official: 0, relative: 1 };  // the legend's first kinds; every other kind after them
  var SMALL = data.readable.px;  // px: how tall a label is drawn on screen zoomed out past vis-network's labels
  var INK = "#222222", GROUND = "rgba(255,255,255,0.85)";  // such a label's text and the ground under it
  var kind = {}, roots = {}, inFinding = {};
  data.nodes.forEach(function (n) { kind[n.id] = n.category; });
  (data.roots || []).forEach(function (id) { roots[id] = true; });
  data.findings.forEach(function (f) { f.nodes.forEach(function (id) { inFinding[id] = true; }); });

  var plan = {};  // node id -> how its label is drawn: {shown, inside, x, top: its top centre, f, box, height}
  var drawing = false;  // whether this redraw draws the labels as planned (vis-network draws node labels at its zoom)
  var small = false;  // whether this redraw draws the labels placed at SMALL pixels (zoomed out past vis-network's)
  var forced = null;  // a node whose label is drawn though not placed (under the pointer)
  var over = [];  // nodes whose label inside their shape is drawn again over the nodes it meets
  var version = 0;  // bumped by every change to the nodes' or the edges' data (fold, filters, focus, dimming)
  nodes.on("*", function () { version++; });
  G.edges.on("*", function () { version++; });
  var made = null;  // what the last placement was made from
  G.nodeLabelPlacements = 0;  // how many times the labels were placed (the tests count them)

  // every label's draw goes through here: a node's label is drawn where it was placed, at its size, or not at all
  var hooked = false;
  function hook() {
    var any = body.nodeIndices[0];
    if (hooked || any === undefined) { return; }
    hooked = true;
    var proto = Object.getPrototypeOf(body.nodes[any].labelModule), own = proto.draw;
    proto.draw = function (ctx, x, y, selected, hover, baseline) {
      var id = this.govtiesNode, p = drawing && id !== undefined ? plan[id] : undefined;
      if (!p) { return own.apply(this, arguments); }
      if (!p.shown && forced !== id) {  // its box as if drawn: the node's box (which edge labels keep clear of) too
        this.calculateLabelSize(ctx, selected, hover, x, y, baseline);
        return undefined;
      }
      if (p.inside) { return own.apply(this, arguments); }
      this.calculateLabelSize(ctx, selected, hover, x, y, baseline);
      var top = this.size.top;  // the label's top centre is moved to its place, the label scaled about it
      ctx.save();
      ctx.translate(p.x, p.top);
      ctx.scale(p.f, p.f);
      ctx.translate(-x, -top);
      try { return own.apply(this, arguments); } finally { ctx.restore(); }
    };
  }

  // a shape with its label inside (a company's box) whose label is not drawn is drawn faint: where it lies over
  // another node, that node shows through; its edges still meet it
  var faint = [];
  function hookShape(node) {
    var proto = Object.getPrototypeOf(node.shape);
    if (faint.indexOf(proto) >= 0) { return; }
    faint.push(proto);
    var own = proto.draw;
    proto.draw = function (ctx) {
      var id = this.labelModule.govtiesNode, p = drawing && id !== undefined ? plan[id] : undefined;
      if (!p || p.shown || forced === id) { return own.apply(this, arguments); }
      var alpha = ctx.globalAlpha;
      ctx.globalAlpha = alpha * FAINT;
      try { return own.apply(this, arguments); } finally { ctx.globalAlpha = alpha; }
    };
  }

  function overlaps(a, b) { return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom; }
  function boxAt(left, top, width, height) {
    return { left: left, top: top, right: left + width, bottom: top + height };
  }

  // the places a label beside its shape may take, best first (below it first, its top centre where vis-network
  // draws it: at x, y + half the shape + half the font + 4), each with its top centre and the box it covers
  function places(node, size, f) {
    var x = node.x, y = node.y, half = node.shape.height / 2 || node.options.size || 0;
    var wide = INSIDE[node.options.shape] ? node.shape.width / 2 || half : half;  // a box's half width
    var fs = node.labelModule.fontOptions.size, w = size.width * f, h = (size.height + DESCENT) * f;
    var top = y + half + fs / 2 + 4;
    var out = [{ box: boxAt(x - w / 2, top, w, h) },
               { box: boxAt(x - w / 2, y - half - NEAR - h, w, h) },
               { box: boxAt(x + wide + NEAR, y - h / 2, w, h) },
               { box: boxAt(x - wide - NEAR - w, y - h / 2, w, h) }];
    out.forEach(function (c) {
      c.x = (c.box.left + c.box.right) / 2;
      c.top = c.box.top;
      c.box = { left: c.box.left - GAP, top: c.box.top - GAP, right: c.box.right + GAP, bottom: c.box.bottom + GAP };
    });
    return out;
  }

  function shapeBox(node, ctx) {  // a shape's box (a box's label included), as it is drawn unselected or selected
    if (INSIDE[node.options.shape]) {
      node.shape.resize(ctx, node.selected, false);
      return boxAt(node.x - node.shape.width / 2, node.y - node.shape.height / 2, node.shape.width, node.shape.height);
    }
    var r = node.shape.height / 2 || node.options.size || 0;
    return boxAt(node.x - r, node.y - r, 2 * r, 2 * r);
  }

  function degree(node) {
    var n = 0;
    for (var i = 0; i < node.edges.length; i++) { if (!node.edges[i].options.hidden) { n++; } }
    return n;
  }

  // the nodes most important first, the boxes of their shapes filed (no label covers a node drawn in full) and of
  // the edge labels: what the places are found among, the same at every zoom
  function order(ctx, ids) {
    var Grid = G.Grid, shapes = new Grid(), marks = new Grid(), items = [];
    ids.forEach(function (id) {
      var node = body.nodes[id];
      node.labelModule.govtiesNode = id;
      var dimmed = node.options.opacity < 0.5, inside = !!INSIDE[node.options.shape];
      if (inside) { hookShape(node); }
      items.push({ id: id, node: node, inside: inside, dimmed: dimmed, shape: shapeBox(node, ctx),
                   size: node.options.label ? node.labelModule.getTextSize(ctx, node.selected, false) : null,
                   key: [node.selected ? 0 : 1, roots[id] ? 0 : 1, dimmed ? 1 : 0, inFinding[id] ? 0 : 1,
                         RANK[kind[id]] === undefined ? 2 : RANK[kind[id]], -degree(node)] });
    });
    items.sort(function (a, b) {
      for (var i = 0; i < a.key.length; i++) { if (a.key[i] !== b.key[i]) { return a.key[i] - b.key[i]; } }
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
    items.forEach(function (item, i) {
      item.order = i;
      if (!item.dimmed) { shapes.add({ left: item.shape.left, top: item.shape.top, right: item.shape.right,
                                       bottom: item.shape.bottom, item: item }); }
    });
    if (G.edgeLabelsDrawn) { G.edgeLabelBoxes.forEach(function (b) { marks.add(b); }); }
    return { items: items, shapes: shapes, marks: marks };
  }

  // which labels are drawn, and where, for labels beside their shapes `f` times their size (`tiny`: every label
  // beside its shape, a box's too, and none of a node drawn dimmed)
  function place(base, f, tiny) {
    G.nodeLabelPlacements++;
    var items = base.items, shapes = base.shapes, marks = base.marks, taken = new G.Grid();
    function yes() { return true; }
    // small: a place inside the canvas as it is now before one its edge cuts (places stay on a pan)
    var frame = network.canvas.frame.canvas, seen = null;
    if (tiny) {
      var tl = network.DOMtoCanvas({ x: 0, y: 0 });
      var br = network.DOMtoCanvas({ x: frame.clientWidth, y: frame.clientHeight });
      seen = { left: tl.x, top: tl.y, right: br.x, bottom: br.y };
    }
    function whole(c) {
      return !seen || (c.box.left >= seen.left && c.box.right <= seen.right && c.box.top >= seen.top &&
                       c.box.bottom <= seen.bottom);
    }
    plan = {};
    over = [];
    items.forEach(function (item) {
      var node = item.node, id = item.id;
      if (!node.options.label || (tiny && (item.dimmed || node.options.hidden))) { return; }
      if (item.inside && !tiny) {  // fixed: drawn unless it meets a label, or a shape taken before it
        var b = item.shape;
        var shown = !taken.any(b, yes) && !marks.any(b, yes) &&
          !shapes.any(b, function (t) { return t.item !== item && t.item.order < item.order; });
        plan[id] = { shown: shown, inside: true, f: 1, box: b };
        if (shown) {
          taken.add({ left: b.left, top: b.top, right: b.right, bottom: b.bottom });
          if (shapes.any(b, function (t) { return t.item !== item; })) { over.push(node); }
        }
        return;
      }
      if (roots[id] && shapes.any(item.shape, function (t) { return t.item !== item; })) { over.push(node); }
      var size = item.size;
      if (!(size && size.width > 0 && size.height > 0)) { return; }
      var all = places(node, size, f), at = null;
      function free(c, withShapes) {
        return !taken.any(c.box, yes) && !marks.any(c.box, yes) &&
          !(withShapes && shapes.any(c.box, function (t) { return t.item !== item; }));
      }
      for (var k = 0; !at && k < all.length; k++) { if (free(all[k], true) && whole(all[k])) { at = all[k]; } }
      for (k = 0; !at && seen && k < all.length; k++) { if (free(all[k], true)) { at = all[k]; } }
      // a selected node's label (a focused finding's) or the root's (not while small: an overview's roots are all
      // its officials) is drawn where it covers no label, over a node if it must
      var first = node.selected || (roots[id] && !tiny);
      for (k = 0; !at && first && k < all.length; k++) { if (free(all[k], false)) { at = all[k]; } }
      if (at) { taken.add({ left: at.box.left, top: at.box.top, right: at.box.right, bottom: at.box.bottom }); }
      var to = at || all[0];  // one not drawn is drawn below its shape while the pointer is over its node
      plan[id] = { shown: !!at, x: to.x, top: to.top, f: f, box: to.box, height: size.height * f, width: size.width * f,
                   lines: tiny ? String(node.options.label).split("\n") : null };
    });
  }

  // what changed since the last placement: nothing (0), only the size labels are drawn at (1: the same nodes in
  // the same order, new places), more (2)
  function changed(f) {
    var ids = body.nodeIndices;
    if (!made || made.version !== version || made.edges !== G.labelPlacements ||
        made.edgesDrawn !== G.edgeLabelsDrawn || made.ids.length !== ids.length) { return 2; }
    var xy = made.xy;
    for (var i = 0; i < ids.length; i++) {
      var node = body.nodes[ids[i]];
      if (made.ids[i] !== ids[i] || !node || node.x !== xy[3 * i] || node.y !== xy[3 * i + 1] ||
          (node.selected ? 1 : 0) !== xy[3 * i + 2]) { return 2; }
    }
    return made.f === f ? 0 : 1;
  }

  network.on("beforeDrawing", function (ctx) {
    var ids = body.nodeIndices, any = ids.length ? body.nodes[ids[0]] : null, scale = body.view.scale;
    hook();
    if (!any) { drawing = false; small = false; plan = {}; return; }  // nothing shown: no label left drawn
    var fs = any.labelModule.fontOptions.size;
    small = G.tiny(scale);  // vis-network draws a label only from a font size on screen on: under it, none
    drawing = !small;
    // a label beside its shape f times its size: at most CAP px on screen; zoomed out past vis-network's, SMALL px
    var f = small ? SMALL / (fs * scale) : Math.min(1, CAP / (fs * scale)), what = changed(small ? -f : f);
    if (what === 0) { return; }
    if (what === 2) {
      made = { version: version, edges: G.labelPlacements, edgesDrawn: G.edgeLabelsDrawn, ids: ids.slice(),
               xy: new Float64Array(3 * ids.length), base: order(ctx, ids) };
      ids.forEach(function (id, i) {
        var node = body.nodes[id];
        made.xy[3 * i] = node.x; made.xy[3 * i + 1] = node.y; made.xy[3 * i + 2] = node.selected ? 1 : 0;
      });
    }
    made.f = small ? -f : f;
    place(made.base, f, small);
  });

  // a label placed zoomed out past vis-network's labels, drawn here: its lines on a white ground, in its box
  function drawSmall(ctx, node, p) {
    var lines = p.lines, h = p.height / lines.length, fs = node.labelModule.fontOptions;
    ctx.save();
    ctx.fillStyle = GROUND;
    ctx.fillRect(p.x - p.width / 2, p.top, p.width, p.height);
    ctx.font = (fs.size * p.f) + "px " + fs.face;
    ctx.fillStyle = INK;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    lines.forEach(function (line, i) { ctx.fillText(line, p.x, p.top + (i + 0.5) * h); });
    ctx.restore();
  }

  network.on("afterDrawing", function (ctx) {
    var hovered = (network.selectionHandler && network.selectionHandler.hoverObj || {}).nodes || {};
    if (small) {  // the labels placed, then the one under the pointer over them (placed or not)
      Object.keys(plan).forEach(function (id) {
        var node = body.nodes[id];
        if (plan[id].shown && !hovered[id] && node && !node.options.hidden) { drawSmall(ctx, node, plan[id]); }
      });
      Object.keys(hovered).forEach(function (id) {
        if (plan[id] && body.nodes[id] && !body.nodes[id].options.hidden) { drawSmall(ctx, body.nodes[id], plan[id]); }
      });
      return;
    }
    if (!drawing) { return; }
    for (var i = over.length - 1; i >= 0; i--) {  // the most important last, on top
      if (!over[i].options.hidden) { over[i].draw(ctx); }
    }
    // the node under the pointer: its label drawn over everything, where it was placed or where vis-network puts it
    Object.keys(hovered).forEach(function (id) {
      var node = body.nodes[id], p = plan[id];
      if (!node || node.options.hidden || !p || p.shown) { return; }
      forced = id;
      try {
        var drawn = node.draw(ctx);
        if (drawn && drawn.drawExternalLabel) { drawn.drawExternalLabel(); }
      } finally { forced = null; }
    });
  });

  // for the tests: each node's label as placed in the last placement, in canvas units: whether it is drawn, the box
  // it keeps clear [left, top, right, bottom], the box of its white ground (vis-network draws it a line margin of 1
  // above the label's top; a small one is drawn here, in its box) and how large it is drawn (f); whether it is drawn
  // here at SMALL pixels (small)
  G.nodeLabels = function () {
    var out = {};
    if (!drawing && !small) { return out; }
    Object.keys(plan).forEach(function (id) {
      var p = plan[id], b = p.box, g = p.inside ? 0 : GAP;
      var box = [b.left + g, b.top + g, b.right - g, b.bottom - g];
      out[id] = { shown: p.shown, inside: !!p.inside, box: box, f: p.f, small: !!p.lines,
                  ground: p.inside ? box : p.lines ? [p.x - p.width / 2, p.top, p.x + p.width / 2, p.top + p.height]
                    : [box[0], p.top - p.f, box[2], p.top + p.height - p.f] };
    });
    return out;
  };
})();
