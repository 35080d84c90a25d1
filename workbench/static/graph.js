// One finding's evidence graph, drawn where the server placed it (the static views' layered left-to-right layout:
// nodes, the links' labels and the points their routes pass; physics off, nothing moves). Text from the data is
// only ever set with textContent or drawn on the canvas, never parsed as HTML.
(function () {
  "use strict";
  var holder = document.getElementById("graph");
  var source = document.getElementById("graph-data");
  if (!holder || !source || typeof vis === "undefined") { return; }
  var data = JSON.parse(source.textContent);

  function tip(text) {
    var el = document.createElement("div");
    el.className = "tip";
    el.textContent = text;
    return el;
  }
  data.nodes.forEach(function (n) { n.title = n.title ? tip(n.title) : undefined; });
  data.edges.forEach(function (e) { e.title = e.title ? tip(e.title) : undefined; });
  var face = getComputedStyle(document.body).fontFamily;
  var network = new vis.Network(holder, { nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges) }, {
    physics: false,
    layout: { improvedLayout: false },
    interaction: { hover: true, tooltipDelay: 120, dragNodes: false },
    nodes: { font: { face: face, size: data.fonts.node }, borderWidth: 1 },
    edges: { smooth: false, font: { face: face, size: data.fonts.edge }, color: { color: "#8a8a8a", highlight: "#d62728" } }
  });
  network.on("doubleClick", function (p) {
    var id = p.nodes.length ? p.nodes[0] : null;
    var node = id ? network.body.data.nodes.get(id) : null;
    if (node && node.category !== "port" && node.category !== "edge-label") {
      window.location.href = "/entities/" + encodeURIComponent(id);
    }
  });
  // Fitted to the canvas, a small graph (four nodes) is drawn up to ZOOM times its size rather than as a strip
  // in a large blank box, and the canvas is then made no taller than the drawing needs (at least LOWEST px).
  var ZOOM = 1.4, LOWEST = 260, ROOM = 48;
  network.once("afterDrawing", function () {
    network.fit({ animation: false, maxZoomLevel: ZOOM });
    var ids = data.nodes.map(function (n) { return n.id; });
    var top = Infinity, bottom = -Infinity;
    ids.forEach(function (id) {
      var box = network.getBoundingBox(id);
      if (box) { top = Math.min(top, box.top); bottom = Math.max(bottom, box.bottom); }
    });
    var tall = isFinite(top) ? Math.ceil((bottom - top) * network.getScale()) + 2 * ROOM : holder.clientHeight;
    if (tall < holder.clientHeight) {
      holder.style.height = Math.max(LOWEST, tall) + "px";
      network.setSize("100%", holder.style.height);
      network.redraw();
      network.fit({ animation: false, maxZoomLevel: ZOOM });
    }
    document.body.dataset.graphReady = "1";
  });
  window.govtiesGraph = network;
})();
