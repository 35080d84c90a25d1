// govties view, part 1: the network. Builds vis-network from the embedded JSON: a layered view is drawn where
// Python placed it (physics off); a bigger overview or neighbourhood (or one drawn folded) settles with physics
// once, then stays still.
// Data is only ever shown through textContent or vis-network's canvas, never parsed as HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("govties-data").textContent);
  var layered = data.layout === "layered";

  function textTip(text) {
    var el = document.createElement("div");
    el.style.whiteSpace = "pre";
    el.textContent = text;
    return el;
  }
  data.nodes.forEach(function (n) { n.title = n.title ? textTip(n.title) : undefined; });
  data.edges.forEach(function (e) { e.title = e.title ? textTip(e.title) : undefined; });

  var folded = {};
  if (data.fold) {
    data.fold.folded.forEach(function (id) { folded[id] = true; });
    var hideNodes = {}, hidePlain = {};
    data.fold.decisions.forEach(function (id) { hideNodes[id] = true; });
    data.fold.plain.forEach(function (id) { hidePlain[id] = true; });
    data.nodes.forEach(function (n) { if (hideNodes[n.id]) { n.hidden = data.fold.on; n.physics = !data.fold.on; } });
    data.edges.forEach(function (e) {
      if (folded[e.id]) { e.hidden = !data.fold.on; } else if (hidePlain[e.id]) { e.hidden = data.fold.on; }
    });
  }

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var face = getComputedStyle(document.body).fontFamily;
  var options = {
    // a node's label on a white ground, over any edge that passes under it (edges are drawn before nodes)
    nodes: { font: { face: face, size: data.fonts.node, multi: false, background: "rgba(255,255,255,0.85)" },
             borderWidth: 1 },
    edges: { font: { face: face, size: data.fonts.edge, align: "horizontal", background: "#ffffff" },
             smooth: layered ? false : { type: "continuous" }, color: { color: "#8a8a8a", highlight: "#d62728" },
             selectionWidth: 2 },
    interaction: { hover: true, tooltipDelay: 120, multiselect: true },
    physics: layered ? false : { stabilization: { iterations: 400, fit: false },
                                 barnesHut: { gravitationalConstant: -9000, springLength: 170, springConstant: 0.03,
                                              avoidOverlap: 0.6 } },
    layout: { improvedLayout: false, randomSeed: 7 }
  };
  var network = new vis.Network(document.getElementById("graph"), { nodes: nodes, edges: edges }, options);

  // legend
  var legend = document.getElementById("legend");
  data.legend.forEach(function (item) {
    var row = document.createElement("div");
    var sw = document.createElement("span");
    sw.className = "swatch";
    sw.style.background = item.color;
    row.appendChild(sw);
    row.appendChild(document.createTextNode(item.label));
    legend.appendChild(row);
  });

  // notes (e.g. the node cap cut something)
  if (data.notes && data.notes.length) {
    var notes = document.getElementById("notes");
    notes.style.display = "block";
    data.notes.forEach(function (t) { var p = document.createElement("div"); p.textContent = t; notes.appendChild(p); });
  }

  // a link's parts (its label, ports and segments) select together: clicking any part selects all of it
  var linkParts = data.links || {};

  // v kept between lo and hi (their middle when lo > hi: the drawing is smaller than the view that way)
  function within(lo, hi, v) { return lo > hi ? (lo + hi) / 2 : Math.min(Math.max(v, lo), hi); }

  // the parts of the canvas an item can be fitted into (pixels of the graph element): the whole canvas, the part
  // beside the legend (right of it, full height) and the part above it (full width); and the legend's box
  function regions(el) {
    var whole = { left: 0, top: 0, width: el.clientWidth, height: el.clientHeight };
    if (!legend.offsetWidth || !legend.offsetHeight) { return { all: [whole], legend: null }; }
    var g = el.getBoundingClientRect(), l = legend.getBoundingClientRect();
    var box = { left: l.left - g.left, top: l.top - g.top, right: l.right - g.left, bottom: l.bottom - g.top };
    return { all: [whole, { left: box.right, top: 0, width: whole.width - box.right, height: whole.height },
                   { left: 0, top: 0, width: whole.width, height: box.top }], legend: box };
  }

  // the box of these nodes' boxes (their labels included, which vis-network's own fit leaves out), and each box
  function extent(ids) {
    var box = null, parts = [];
    ids.forEach(function (id) {
      var b = network.getBoundingBox(id), node = nodes.get(id);
      if (!b || !node || node.hidden) { return; }  // a node folded away is not looked for
      parts.push(b);
      box = box ? { left: Math.min(box.left, b.left), right: Math.max(box.right, b.right),
                    top: Math.min(box.top, b.top), bottom: Math.max(box.bottom, b.bottom) } : b;
    });
    return box ? { box: box, parts: parts } : null;
  }
  function visibleIds() {
    return nodes.getIds().filter(function (id) { return !nodes.get(id).hidden; });
  }
  function firstRoot() { return (data.roots || []).filter(function (id) { return nodes.get(id); })[0]; }

  // the view that fits the boxes of these nodes; when that would draw labels smaller than `least` (a scale) the view
  // keeps them readable instead, from the left of the drawing, at the height of the view's first root (the entity a
  // neighbourhood is drawn from) as far as the drawing reaches above and below it (the wheel zooms out). A node the
  // legend would cover is fitted beside the legend or above it instead, whichever draws it larger
  function fitView(ids, maxScale, least) {
    var found = extent(ids);
    if (!found) { return null; }
    var box = found.box, parts = found.parts;
    var el = document.getElementById("graph"), pad = 24, W = el.clientWidth, H = el.clientHeight;
    var root = firstRoot();
    var want = root ? network.getPositions([root])[root] : { x: box.left, y: box.top };
    function fits(r, padX, padY) {
      return Math.min((r.width - 2 * padX) / Math.max(1, box.right - box.left),
                      (r.height - 2 * padY) / Math.max(1, box.bottom - box.top), maxScale || 1.6);
    }
    function place(r) {  // the scale and the centre that fit `box` into region `r`
      var scale = fits(r, pad, pad);
      // so far out that labels are drawn small (app_node_labels.js: a line of SMALL px below or above a node, a
      // company's name centred under its box): room for two lines above and below the drawing, half a name beside
      if (!least && G.tiny(scale)) {  // (not where the region is too small for the room: the drawing first)
        var padded = fits(r, pad + 4 * SMALL, pad + 2.5 * SMALL);
        if (padded > scale / 2) { scale = padded; }
      }
      var at = { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 };
      if (least && scale < least) {
        scale = least;
        var halfW = (r.width / 2 - pad) / scale, halfH = (r.height / 2 - pad) / scale;
        // no empty canvas beside the drawing where it is bigger than the canvas: the view stays within it
        at = { x: within(box.left + halfW, box.right - halfW, box.left + halfW),
               y: within(box.top + halfH, box.bottom - halfH, want.y) };
      }
      // the canvas centre that puts `at` at the region's centre
      return { scale: scale, position: { x: at.x - (r.left + r.width / 2 - W / 2) / scale,
                                         y: at.y - (r.top + r.height / 2 - H / 2) / scale } };
    }
    var room = regions(el), view = place(room.all[0]);
    if (room.legend && covered(view, room.legend, parts)) {
      var best = null;  // one the legend leaves whole before one it does not, then the larger
      room.all.slice(1).filter(function (r) { return r.width > 2 * pad && r.height > 2 * pad; }).forEach(function (r) {
        var other = place(r);
        other.covered = covered(other, room.legend, parts);
        if (!best || (best.covered && !other.covered) || (best.covered === other.covered && other.scale > best.scale)) {
          best = other;
        }
      });
      view = best || view;
    }
    return view;
  }
  // whether the box `l` (the legend's, in canvas pixels) covers a part of one of these boxes drawn so
  function covered(view, l, parts) {
    var el = document.getElementById("graph"), W = el.clientWidth, H = el.clientHeight;
    return parts.some(function (b) {
      var x0 = (b.left - view.position.x) * view.scale + W / 2, x1 = (b.right - view.position.x) * view.scale + W / 2;
      var y0 = (b.top - view.position.y) * view.scale + H / 2, y1 = (b.bottom - view.position.y) * view.scale + H / 2;
      return x0 < l.right && l.left < x1 && y0 < l.bottom && l.top < y1;
    });
  }
  function fitTo(ids, maxScale, least) {
    var view = fitView(ids, maxScale, least);
    if (view) { network.moveTo({ position: view.position, scale: view.scale, animation: false }); }
  }
  // the view at `scale` round node `id`: as much of the drawing as the canvas holds (no empty canvas beside it
  // where the drawing is bigger), the node in it; centred on the node where the legend would cover it so
  function around(id, scale) {
    var found = extent(visibleIds()), b = network.getBoundingBox(id), p = network.getPositions([id])[id];
    var el = document.getElementById("graph"), pad = 24, box = found.box;
    var halfW = (el.clientWidth / 2 - pad) / scale, halfH = (el.clientHeight / 2 - pad) / scale;
    var view = { scale: scale, position: { x: within(box.left + halfW, box.right - halfW, p.x),
                                           y: within(box.top + halfH, box.bottom - halfH, p.y) } };
    var room = regions(el);
    return room.legend && covered(view, room.legend, [b]) ? { scale: scale, position: p } : view;
  }
  var READABLE = 8 / data.fonts.edge;  // the scale at which edge labels are drawn at 8 px
  var SMALL = data.readable.px;  // px: how tall labels are drawn zoomed out past vis-network's (app_node_labels.js)
  var AT_A_GLANCE = data.readable.px / data.fonts.node;  // the scale at which node labels read at a glance
  var settled = [];
  var G = window.govties = {
    data: data, nodes: nodes, edges: edges, network: network, linkParts: linkParts, fitTo: fitTo,
    fitAll: function () { fitTo(visibleIds(), undefined, layered ? READABLE : 0); },
    // whether vis-network draws no node label at this scale (under its drawThreshold - 1; false with no node shown)
    tiny: function (scale) {
      var any = network.body.nodeIndices[0], m = any === undefined ? null : network.body.nodes[any].labelModule;
      return !!m && m.fontOptions.size * scale < m.elementOptions.scaling.label.drawThreshold - 1;
    },
    // the entity a neighbourhood drawn by forces is drawn from, when its drawing is busy: more nodes shown than
    // layers hold, which fitted whole would draw its labels smaller than at a glance (null when not; an overview,
    // drawn from no one entity, opens whole)
    busy: function () {
      var root = data.kind === "around" ? firstRoot() : null, ids = visibleIds();
      if (layered || !root || nodes.get(root).hidden || ids.length <= data.readable.crowd) { return null; }
      var fit = fitView(ids, undefined, 0);
      return fit && fit.scale < AT_A_GLANCE ? root : null;
    },
    // the view a drawing opens at (and is given again after folding): a busy one's labels at a glance round its
    // entity (app_extent.js says so, with how many of its nodes are in view), any other whole
    home: function () {
      var root = G.homeRoot = G.busy();
      if (!root) { G.fitAll(); return; }
      var view = around(root, AT_A_GLANCE);
      network.moveTo({ position: view.position, scale: view.scale, animation: false });
    },
    around: function (id) {
      var view = around(id, AT_A_GLANCE);
      network.moveTo({ position: view.position, scale: view.scale, animation: false });
    },
    homeRoot: null, nameOf: function (id) { return (data.names || {})[id] || id; }, words: data.ui,
    // run `fn` once the layout stands still (at once for a layered view)
    whenSettled: function (fn) { if (settled === null) { fn(); } else { settled.push(fn); } }
  };
  window.govtiesNetwork = network;

  // after the first drawing of the settled layout (the canvas has its final size then): fit, run what waited
  // (e.g. the focus a link asked for), and say so once that is drawn too
  function settle() {
    network.once("afterDrawing", function () {
      G.home();
      var todo = settled;
      settled = null;
      todo.forEach(function (fn) { fn(); });
      network.once("afterDrawing", function () { document.body.dataset.ready = "1"; });
      network.redraw();
    });
    network.redraw();
  }
  if (layered || !data.nodes.length) {
    settle();
  } else {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      settle();
    });
  }
  G.restabilize = function () {
    network.setOptions({ physics: { enabled: true } });
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      G.home();
    });
    network.stabilize(200);
  };
})();
