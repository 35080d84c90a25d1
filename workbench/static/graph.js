// One finding's evidence graph in its layered left-to-right layout (positions computed by the server; nothing
// moves). Text from the data is only ever set with textContent or drawn on the canvas, never parsed as HTML.
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
  var level = {};
  var nodes = data.nodes.map(function (n) {
    level[n.id] = n.level;
    return { id: n.id, label: n.label, title: tip(n.name + "\n" + n.id + "\n" + n.category_label),
             color: n.color, shape: n.shape, x: n.x, y: n.y, fixed: true,
             widthConstraint: { maximum: 170 }, font: { face: data.fonts, size: 14 } };
  });
  var edges = data.edges.map(function (e) {
    var within = level[e.from] === level[e.to];
    return { id: e.id, from: e.from, to: e.to, label: e.label, arrows: "to", title: tip(e.label),
             smooth: within ? { enabled: true, type: "curvedCW", roundness: 0.35 } : { enabled: false },
             font: { face: data.fonts, size: 11, align: "middle", background: "rgba(255,255,255,0.85)" } };
  });
  var network = new vis.Network(holder, { nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges) }, {
    physics: false,
    interaction: { hover: true, tooltipDelay: 120, dragNodes: false },
    edges: { color: { color: "#888", highlight: "#d62728" } }
  });
  network.on("doubleClick", function (p) {
    if (p.nodes.length) { window.location.href = "/entities/" + encodeURIComponent(p.nodes[0]); }
  });
  network.once("afterDrawing", function () {
    network.fit({ animation: false });
    document.body.dataset.graphReady = "1";
  });
  window.govtiesGraph = network;
})();
