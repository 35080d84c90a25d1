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
  // The canvas takes the height the drawing needs at the scale its width allows (at most ZOOM: a four-node graph
  // is drawn larger, not as a strip in a blank box), between LOWEST and MOST px (a tall graph, eight decisions in
  // a column, gets a taller canvas rather than 8 px labels); then the drawing is fitted to it.
  var ZOOM = 1.4, LOWEST = 260, MOST = 760, ROOM = 48;
  network.once("afterDrawing", function () {
    var left = Infinity, right = -Infinity, top = Infinity, bottom = -Infinity;
    data.nodes.forEach(function (n) {
      var box = network.getBoundingBox(n.id);
      if (box) {
        left = Math.min(left, box.left); right = Math.max(right, box.right);
        top = Math.min(top, box.top); bottom = Math.max(bottom, box.bottom);
      }
    });
    if (isFinite(top)) {
      var scale = Math.min(ZOOM, (holder.clientWidth - 2 * ROOM) / Math.max(1, right - left));
      var tall = Math.round(Math.max(LOWEST, Math.min(MOST, (bottom - top) * scale + 2 * ROOM)));
      if (tall !== holder.clientHeight) {
        holder.style.height = tall + "px";
        network.setSize("100%", holder.style.height);
        network.redraw();
      }
    }
    network.fit({ animation: false, maxZoomLevel: ZOOM });
    document.body.dataset.graphReady = "1";
  });
  window.govtiesGraph = network;
})();
