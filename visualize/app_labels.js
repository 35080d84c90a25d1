// govties view, part 4: the edge labels of a view drawn by forces, each where it can be read. vis-network draws an
// edge's label at the middle of its edge, over whatever lies there (a node, another label); here each label is
// drawn at the first place along its edge (on it: the middle, then further out towards either end; then beside it)
// where it covers no node and no label placed before it, the labels with the fewest such places first. A label with
// no place is not drawn: the edge's tooltip says it, and focusing a finding (which dims the rest) leaves its edges
// more room. What is dimmed is no obstacle: a dimmed node is faint and a dimmed edge has no label. Labels are drawn
// last, over every line and arrow. A layered view places its labels in Python (visualize/layout.py) as nodes.
(function () {
  "use strict";
  var G = window.govties, network = G.network, nodes = G.nodes, edges = G.edges;
  if (G.data.layout === "layered") { return; }
  var body = network.body;
  var ALONG = [0.5];  // places along an edge, best first: the middle, then out towards either end
  for (var k = 1; k <= 6; k++) { ALONG.push(0.5 - 0.06 * k, 0.5 + 0.06 * k); }
  var GAP = 4;  // canvas units kept free around a label
  var placed = {};  // edge id -> the point its label is drawn at, or null: not drawn
  var drawnAt = {};  // node id -> where it was last drawn and its box there (label included)

  function overlaps(a, b) { return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom; }

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
  function place(ctx) {
    placed = {};
    var taken = [];
    Object.keys(body.nodes).forEach(function (id) {
      var node = solid(id);
      if (!node) { return; }
      // its box as last drawn, moved to where it is now (a layout settling anew moves it before it is drawn)
      var was = drawnAt[id] || { x: node.x, y: node.y, box: node.shape.boundingBox };
      var dx = node.x - was.x, dy = node.y - was.y, b = was.box;
      taken.push({ left: b.left + dx, top: b.top + dy, right: b.right + dx, bottom: b.bottom + dy });
    });
    var todo = body.edgeIndices.map(function (id) { return body.edges[id]; }).filter(function (e) {
      return e && labelled(e);
    }).map(function (edge) {
      patch(edge);
      var free = candidates(edge, edge.labelModule.getTextSize(ctx, edge.selected, false)).filter(function (c) {
        return !taken.some(function (t) { return overlaps(t, c); });
      });
      return { edge: edge, free: free };
    });
    todo.sort(function (a, b) {
      return a.free.length - b.free.length || (a.edge.id < b.edge.id ? -1 : 1);
    });
    var labels = [];  // the boxes placed, each with its item
    function clear(c, but) { return !labels.some(function (t) { return t.item !== but && overlaps(t, c); }); }
    todo.forEach(function (item) {
      var at = item.free.filter(function (c) { return clear(c); })[0];
      // no place: one label in the way of one of them moves to another place of its own, if it has one
      for (var i = 0; !at && i < item.free.length; i++) {
        var c = item.free[i];
        var blocking = labels.filter(function (t) { return overlaps(t, c); });
        if (blocking.length !== 1) { continue; }
        var other = blocking[0];
        var moved = other.item.free.filter(function (d) { return !overlaps(d, c) && clear(d, other.item); })[0];
        if (moved) {
          labels.splice(labels.indexOf(other), 1, { left: moved.left, top: moved.top, right: moved.right,
                                                    bottom: moved.bottom, item: other.item });
          placed[other.item.edge.id] = { x: moved.x, y: moved.y };
          at = c;
        }
      }
      if (at) { labels.push({ left: at.left, top: at.top, right: at.right, bottom: at.bottom, item: item }); }
      placed[item.edge.id] = at ? { x: at.x, y: at.y } : null;
    });
  }

  // an edge placed here draws no label among the edges: every placed label is drawn after the edges, their arrows
  // and the nodes, so that no line passes over one (placed clear of the nodes drawn in full, it covers none of them)
  function patch(edge) {
    if (edge.govtiesOwnLabel) { return; }
    edge.govtiesOwnLabel = edge.drawLabel;
    edge.drawLabel = function (ctx, via) {
      if (placed[this.id] === undefined || !labelled(this)) { return this.govtiesOwnLabel(ctx, via); }
    };
  }

  network.on("beforeDrawing", place);
  network.on("afterDrawing", function (ctx) {
    Object.keys(body.nodes).forEach(function (id) {  // a label below its shape is drawn after the shape's box is
      var node = body.nodes[id], b = node.shape.boundingBox, l = node.labelModule.size;  // taken: both count
      var box = { left: b.left, top: b.top, right: b.right, bottom: b.bottom };
      if (node.options.label && l.width > 0 && l.height > 0) {
        box = { left: Math.min(box.left, l.left), top: Math.min(box.top, l.top),
                right: Math.max(box.right, l.left + l.width), bottom: Math.max(box.bottom, l.top + l.height) };
      }
      drawnAt[id] = { x: node.x, y: node.y, box: box };
    });
    Object.keys(placed).forEach(function (id) {
      var edge = body.edges[id], at = placed[id];
      if (!at || !edge || !labelled(edge)) { return; }
      if (edge.labelModule.differentState(edge.selected, edge.hover)) {
        edge.labelModule.getTextSize(ctx, edge.selected, edge.hover);
      }
      edge.labelModule.draw(ctx, at.x, at.y, edge.selected, edge.hover);
    });
  });
})();
