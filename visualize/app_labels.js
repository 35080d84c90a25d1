// govties view, part 4: the edge labels of a view drawn by forces, each where it can be read. vis-network draws an
// edge's label at the middle of its edge, over whatever lies there (a node, another label); here each label is
// drawn at the first place along its edge (on it: the middle, then further out towards either end; then beside it)
// where it covers no node, no label placed before it and no other edge's line (a place over a line only when no
// other is free), the labels with the fewest such places first. A label with
// no place is not drawn: the edge's tooltip says it, and focusing a finding (which dims the rest) leaves its edges
// more room. What is dimmed is no obstacle: a dimmed node is faint and a dimmed edge has no label. Labels are drawn
// last, over every line and arrow. A layered view places its labels in Python (visualize/layout.py) as nodes.
// The places depend on where the nodes are, which nodes and edges are shown (fold, filters, focus, dimming) and the
// sizes of the labels, never on the pan or the zoom (they are canvas units): they are worked out again only when
// one of those changed since, not on every redraw; a grid of cells finds what a box may cover without trying every
// box. Zoomed out so far that vis-network draws no edge label, nothing is placed and vis-network draws as it does.
(function () {
  "use strict";
  var G = window.govties, network = G.network, nodes = G.nodes, edges = G.edges;
  if (G.data.layout === "layered") { return; }
  var body = network.body;
  var ALONG = [0.5];  // places along an edge, best first: the middle, then out towards either end
  for (var k = 1; k <= 6; k++) { ALONG.push(0.5 - 0.06 * k, 0.5 + 0.06 * k); }
  var GAP = 4;  // canvas units kept free around a label
  var CELL = 64, WIDE = 256;  // a grid cell's side, in canvas units; a box over more cells than WIDE is kept aside
  var placed = {};  // edge id -> the point its label is drawn at, or null: not drawn
  var drawList = [];  // each label placed: its edge and its point, drawn after everything else
  var drawnAt = {};  // node id -> where it was last drawn and its box there (label included)
  var frame = 0;  // redraws so far: a node drawn in this one has its `govtiesDrawn` set to it
  var active = false;  // whether this redraw draws the placed labels (vis-network would draw edge labels at its zoom)
  G.labelPlacements = 0;  // how many times the labels were placed (the tests count them)
  G.edgeLabelBoxes = [];  // the boxes of the labels placed (canvas units), as of the last placement
  G.edgeLabelsDrawn = false;  // whether this redraw draws them (the node labels' placer reads both)

  // what the last placement was made from: a change to any of it places the labels again at the next redraw
  var version = 0;  // bumped by every change to the nodes' or the edges' data (fold, filters, focus, dimming)
  nodes.on("*", function () { version++; });
  edges.on("*", function () { version++; });
  var boxesMoved = true;  // a node was drawn with another box (or at another place) since the labels were placed
  var made = null;  // {version, ids: the nodes, xy: their positions, edges: the labelled edges, selected: theirs}
  var known = { version: -1, ids: [], edges: [] };  // the node ids and the labelled edges, as of `version`

  // (vis-network may redraw while a data set tells its change, before this page's listener has counted it: the
  // workbench's exploration clears and refills its graph; a node or edge gone from the network is a change too)
  function stale() {
    if (known.version !== version) { return true; }
    for (var i = 0; i < known.ids.length; i++) { if (!body.nodes[known.ids[i]]) { return true; } }
    for (i = 0; i < known.edges.length; i++) { if (body.edges[known.edges[i].id] !== known.edges[i]) { return true; } }
    return false;
  }
  function current() {
    if (stale()) {
      known = { version: version, ids: Object.keys(body.nodes), edges: body.edgeIndices.map(function (id) {
        return body.edges[id];
      }).filter(function (e) { return e && labelled(e); }) };
      known.ids.forEach(function (id) { watch(body.nodes[id]); });
    }
    return known;
  }

  // a node's box is taken as it is drawn: vis-network works out a box for a node out of the view too, not as it
  // would draw it (its label not where it would be), and that box would move the labels around as the view pans;
  // nor as it is drawn under the pointer, or labels would move about as the pointer passes over nodes
  function watch(node) {
    if (node.govtiesOwnDraw) { return; }
    node.govtiesOwnDraw = node.draw;
    node.draw = function (ctx) {
      this.govtiesDrawn = frame;
      return this.govtiesOwnDraw(ctx);
    };
  }

  function unchanged() {
    if (!made || made.version !== version || boxesMoved) { return false; }
    var ids = made.ids, xy = made.xy, i;
    for (i = 0; i < ids.length; i++) {
      var node = body.nodes[ids[i]];
      if (!node || node.x !== xy[2 * i] || node.y !== xy[2 * i + 1]) { return false; }
    }
    for (i = 0; i < made.edges.length; i++) {  // a selected edge's label is bold: larger
      if (made.edges[i].selected !== made.selected[i]) { return false; }
    }
    return true;
  }

  function overlaps(a, b) { return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom; }

  // boxes filed under the grid cells they cover, so that those a box may overlap are found among its cells' few
  function Grid() { this.cells = new Map(); this.wide = []; this.all = []; this.visit = 0; }
  Grid.prototype.cover = function (box, fn) {  // fn(cell key) for each cell the box covers; false: too many
    var x0 = Math.floor(box.left / CELL), x1 = Math.floor(box.right / CELL);
    var y0 = Math.floor(box.top / CELL), y1 = Math.floor(box.bottom / CELL);
    if (!((x1 - x0 + 1) * (y1 - y0 + 1) <= WIDE)) { return false; }  // NaN too
    for (var x = x0; x <= x1; x++) { for (var y = y0; y <= y1; y++) { fn(x * 1048576 + y); } }
    return true;
  };
  Grid.prototype.add = function (box) {
    var cells = this.cells;
    box.visit = 0;
    this.all.push(box);
    if (!this.cover(box, function (key) {
      var cell = cells.get(key);
      if (cell) { cell.push(box); } else { cells.set(key, [box]); }
    })) { this.wide.push(box); }
  };
  // whether `fn` says yes to a box filed that overlaps `box` (each asked once, until the first yes)
  Grid.prototype.any = function (box, fn) {
    var visit = ++this.visit, cells = this.cells, found = false;
    function ask(t) {
      if (t.visit === visit) { return false; }
      t.visit = visit;
      return overlaps(t, box) && fn(t);
    }
    var all = !this.cover(box, function (key) {
      var cell = cells.get(key);
      for (var i = 0; !found && cell && i < cell.length; i++) { found = ask(cell[i]); }
    });
    if (all) {  // a box too wide for cells is tried against every one filed
      this.cells.forEach(function (cell) {
        for (var i = 0; !found && i < cell.length; i++) { found = ask(cell[i]); }
      });
    }
    for (var i = 0; !found && i < this.wide.length; i++) { found = ask(this.wide[i]); }
    return found;
  };
  G.Grid = Grid;  // the node labels' placer (app_node_labels.js) files its boxes the same way

  function solid(id) {  // a node drawn in full: an obstacle
    var n = nodes.get(id);
    return n && !n.hidden && !(n.opacity < 0.5) && body.nodes[id];
  }

  function labelled(edge) {  // an edge whose label is drawn: a dimmed one's is empty (vis-network keeps the text
    var d = edges.get(edge.id);  // it drew then, in no colour: its own options are not asked)
    return d && !d.hidden && d.label && edge.connected && edge.from && edge.to && edge.from.id !== edge.to.id &&
      !(edge.from.options.hidden || edge.to.options.hidden);
  }

  // the boxes a label of this size may take along its edge, best first: centred on the edge at each place along it,
  // then beside the edge (off its line on either side) at each place
  function candidates(edge, size) {
    var via = edge.edgeType.getViaNode(), out = [], beside = [];
    ALONG.forEach(function (t) {
      var p = edge.edgeType.getPoint(t, via), q = edge.edgeType.getPoint(Math.min(1, t + 0.02), via);
      var dx = q.x - p.x, dy = q.y - p.y, len = Math.hypot(dx, dy) || 1;
      var nx = -dy / len, ny = dx / len;  // the edge's normal there: off its line by the label's half size and a gap
      var off = Math.abs(nx) * (size.width / 2) + Math.abs(ny) * (size.height / 2) + 3;
      out.push({ x: p.x, y: p.y });
      beside.push({ x: p.x + nx * off, y: p.y + ny * off }, { x: p.x - nx * off, y: p.y - ny * off });
    });
    return out.concat(beside).map(function (p) {
      return { x: p.x, y: p.y, left: p.x - size.width / 2 - GAP, right: p.x + size.width / 2 + GAP,
               top: p.y - size.height / 2 - GAP, bottom: p.y + size.height / 2 + GAP };
    });
  }

  // where each label goes, in canvas units (the same at every zoom): the labels with the fewest places clear of
  // nodes first, each at its first place clear of nodes and of the labels placed before it
  function place(ctx, now) {
    G.labelPlacements++;
    boxesMoved = false;
    made = { version: version, ids: now.ids, xy: new Float64Array(2 * now.ids.length), edges: now.edges,
             selected: now.edges.map(function (e) { return e.selected; }) };
    now.ids.forEach(function (id, i) { made.xy[2 * i] = body.nodes[id].x; made.xy[2 * i + 1] = body.nodes[id].y; });
    placed = {};
    var taken = new Grid();
    now.ids.forEach(function (id) {
      var node = solid(id);
      if (!node) { return; }
      // its box as last drawn, moved to where it is now (a layout settling anew moves it before it is drawn)
      var was = drawnAt[id] || { x: node.x, y: node.y, box: node.shape.boundingBox };
      var dx = node.x - was.x, dy = node.y - was.y, b = was.box;
      taken.add({ left: b.left + dx, top: b.top + dy, right: b.right + dx, bottom: b.bottom + dy });
    });
    function yes() { return true; }
    var todo = now.edges.map(function (edge) {
      patch(edge);
      var free = candidates(edge, edge.labelModule.getTextSize(ctx, edge.selected, false)).filter(function (c) {
        return !taken.any(c, yes);
      });
      return { edge: edge, free: free };
    });
    todo.sort(function (a, b) {
      return a.free.length - b.free.length || (a.edge.id < b.edge.id ? -1 : 1);
    });
    var labels = new Grid();  // the boxes placed, each with its item (one moved elsewhere is left behind, gone)
    function clear(c, but) { return !labels.any(c, function (t) { return !t.gone && t.item !== but; }); }
    function first(list, ok) {
      for (var i = 0; i < list.length; i++) { if (ok(list[i])) { return list[i]; } }
      return undefined;
    }
    var lines = traced(now.ids);  // a place over another edge's line is taken only when no other is free
    function offLines(c, edge) { return !lines.any(c, function (t) { return t.edge !== edge; }); }
    todo.forEach(function (item) {
      var at = first(item.free, function (c) { return clear(c) && offLines(c, item.edge); }) ||
        first(item.free, function (c) { return clear(c); });
      // no place: one label in the way of one of them moves to another place of its own, if it has one
      for (var i = 0; !at && i < item.free.length; i++) {
        var c = item.free[i], blocking = [];
        labels.any(c, function (t) { if (!t.gone) { blocking.push(t); } return blocking.length > 1; });
        if (blocking.length !== 1) { continue; }
        var other = blocking[0];
        var moved = first(other.item.free, function (d) { return !overlaps(d, c) && clear(d, other.item); });
        if (moved) {
          other.gone = true;
          labels.add({ left: moved.left, top: moved.top, right: moved.right, bottom: moved.bottom, item: other.item });
          placed[other.item.edge.id] = { x: moved.x, y: moved.y };
          at = c;
        }
      }
      if (at) { labels.add({ left: at.left, top: at.top, right: at.right, bottom: at.bottom, item: item }); }
      placed[item.edge.id] = at ? { x: at.x, y: at.y } : null;
    });
    var byId = {};
    now.edges.forEach(function (edge) { byId[edge.id] = edge; });
    drawList = Object.keys(placed).filter(function (id) { return placed[id]; }).map(function (id) {
      return { edge: byId[id], at: placed[id] };
    });
    // where the placed labels are drawn, their gap included: the node labels' placer keeps clear of them
    G.edgeLabelBoxes = labels.all.filter(function (t) { return !t.gone; });
  }

  // the lines of the labelled edges (a dimmed edge has no label, and is no obstacle), as points every STEP canvas
  // units along each: a label's box that holds one lies over that line, where it reads as the line's, or runs
  // together with the label beside it
  var STEP = 4;  // under the gap kept round a label on either side: a line crossing its text has a point in its box
  function traced(ids) {
    var grid = new Grid(), shown = {};
    ids.forEach(function (id) { shown[id] = true; });
    body.edgeIndices.forEach(function (id) {
      var edge = body.edges[id];
      if (!edge || !labelled(edge) || !shown[edge.from.id] || !shown[edge.to.id]) { return; }
      var via = edge.edgeType.getViaNode();
      var span = Math.hypot(edge.to.x - edge.from.x, edge.to.y - edge.from.y);
      var n = Math.min(400, Math.max(2, Math.ceil(span / STEP)));
      for (var i = 1; i < n; i++) {  // not the ends: they are in the nodes, already kept clear of
        var p = edge.edgeType.getPoint(i / n, via);
        grid.add({ left: p.x, right: p.x, top: p.y, bottom: p.y, edge: edge });
      }
    });
    return grid;
  }

  // an edge placed here draws no label among the edges: every placed label is drawn after the edges, their arrows
  // and the nodes, so that no line passes over one (placed clear of the nodes drawn in full, it covers none of them)
  function patch(edge) {
    if (edge.govtiesOwnLabel) { return; }
    edge.govtiesOwnLabel = edge.drawLabel;
    edge.drawLabel = function (ctx, via) {
      if (!active || placed[this.id] === undefined) { return this.govtiesOwnLabel(ctx, via); }
    };
  }

  network.on("beforeDrawing", function (ctx) {
    var now = current(), scale = body.view.scale;
    frame++;
    // vis-network draws a label only from a font size on screen on (its drawThreshold - 1): under it, none
    active = now.edges.some(function (e) {
      var m = e.labelModule;
      return m.fontOptions.size * scale >= m.elementOptions.scaling.label.drawThreshold - 1;
    });
    if (active && !unchanged()) { place(ctx, now); }
    G.edgeLabelsDrawn = active;
  });
  network.on("afterDrawing", function (ctx) {
    var ids = current().ids;
    for (var i = 0; i < ids.length; i++) {  // a label below its shape is drawn after the shape's box is taken: both
      var id = ids[i], node = body.nodes[id], b = node.shape.boundingBox, l = node.labelModule.size;  // count
      // not drawn: kept as it was last drawn; under the pointer (its label bold for the while): as it was before
      if (drawnAt[id] && (node.govtiesDrawn !== frame || node.hover)) { continue; }
      var box = { left: b.left, top: b.top, right: b.right, bottom: b.bottom };
      if (node.options.label && l.width > 0 && l.height > 0) {
        box = { left: Math.min(box.left, l.left), top: Math.min(box.top, l.top),
                right: Math.max(box.right, l.left + l.width), bottom: Math.max(box.bottom, l.top + l.height) };
      }
      var was = drawnAt[id];
      if (!was || was.x !== node.x || was.y !== node.y || was.box.left !== box.left || was.box.top !== box.top ||
          was.box.right !== box.right || was.box.bottom !== box.bottom) {
        drawnAt[id] = { x: node.x, y: node.y, box: box };
        boxesMoved = true;
      }
    }
    if (!active) { return; }
    drawList.forEach(function (label) {
      var edge = label.edge;
      if (edge.labelModule.differentState(edge.selected, edge.hover)) {
        edge.labelModule.getTextSize(ctx, edge.selected, edge.hover);
      }
      edge.labelModule.draw(ctx, label.at.x, label.at.y, edge.selected, edge.hover);
    });
  });
})();
