// govties view, part 6: how much of a busy drawing is in view. A drawing
// of more nodes than layers hold, which fitted whole would draw its labels too small to read, opens at a readable
// size round its entity instead (the page's G.home, which sets G.homeRoot); then a bar over the canvas's top left
// corner says how many of the nodes shown are in view, and has a button that fits all of them in and one that goes
// back to the entity. A drawing that opens whole shows no bar.
(function () {
  "use strict";
  var G = window.govties, bar = document.getElementById("extent");
  if (!G || !bar || !G.home) { return; }
  var network = G.network, nodes = G.nodes, words = G.words;
  var SKIP = { port: true, "edge-label": true };  // a layered view's points of its links are not nodes to count

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return values[k] !== undefined ? values[k] : m; });
  }
  var count = document.createElement("span");
  count.className = "count";
  var all = document.createElement("button");
  all.type = "button";
  all.id = "fit-all";
  all.textContent = words.fit_all;
  var back = document.createElement("button");
  back.type = "button";
  back.id = "back-home";
  bar.setAttribute("role", "group");
  bar.appendChild(count);
  bar.appendChild(all);
  bar.appendChild(back);
  all.addEventListener("click", function () { G.fitAll(); });
  back.addEventListener("click", function () { if (G.homeRoot) { G.around(G.homeRoot); } });

  // on every drawing: whether the bar is shown, and how many of the nodes shown have their centre in the canvas
  var said = "";
  network.on("afterDrawing", function () {
    var root = G.homeRoot && nodes.get(G.homeRoot) && !nodes.get(G.homeRoot).hidden ? G.homeRoot : null;
    bar.hidden = !root;
    document.body.dataset.busy = root || "";
    if (!root) { said = ""; return; }
    var canvas = network.canvas.frame.canvas, W = canvas.clientWidth, H = canvas.clientHeight;
    var body = network.body, shown = 0, inView = 0;
    body.nodeIndices.forEach(function (id) {
      var node = body.nodes[id];
      if (!node || node.options.hidden || SKIP[(nodes.get(id) || {}).category]) { return; }
      shown++;
      var p = network.canvasToDOM({ x: node.x, y: node.y });
      if (p.x >= 0 && p.y >= 0 && p.x <= W && p.y <= H) { inView++; }
    });
    var name = G.nameOf(root), now = [inView, shown, name].join("\u0001");
    if (now === said) { return; }
    said = now;
    count.textContent = fill(words.in_view, { shown: inView, n: shown });
    back.textContent = fill(words.back_to, { name: name });
    bar.title = fill(words.opened_readable, { n: shown, name: name });
    bar.setAttribute("aria-label", bar.title);  // what the bar is, for a reader that does not hover
    var whole = inView === shown;
    if (whole && document.activeElement === all) { back.focus(); }  // a disabled button would drop the focus
    all.disabled = whole;
  });
})();
