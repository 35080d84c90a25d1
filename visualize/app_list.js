// govties view, part 2: the side list (findings, or paths), filters by rule and severity, focusing a finding
// (its nodes and its edges only, the rest dimmed, the view fitted to it), search, and links like
// overview.html#FINDING_ID or #PERSON_ID from the report.
(function () {
  "use strict";
  var G = window.govties, data = G.data, network = G.network, nodes = G.nodes, edges = G.edges;
  var ui = data.ui;
  var paths = data.kind === "paths";

  var heading = document.getElementById("findings-heading");
  heading.textContent = paths ? ui.paths : data.kind === "around" ? ui.findings_of : ui.findings;

  // filters by rule and severity, named in the view's language
  var rules = {}, severities = {};
  data.findings.forEach(function (f) {
    rules[f.rule] = f.rule_title;
    if (f.severity) { severities[f.severity] = f.severity_label; }
  });
  function checkboxes(containerId, title, values, cls, order) {
    var keys = Object.keys(values);
    if (paths || keys.length === 0) { return; }
    var box = document.getElementById(containerId);
    var h = document.createElement("h2");
    h.textContent = title;
    box.appendChild(h);
    keys.sort(function (a, b) { return order(a) - order(b) || (a < b ? -1 : 1); }).forEach(function (v) {
      var label = document.createElement("label");
      var input = document.createElement("input");
      input.type = "checkbox"; input.checked = true; input.className = cls; input.value = v;
      input.addEventListener("change", applyFilters);
      label.title = values[v];
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + values[v]));
      box.appendChild(label);
    });
  }
  var sevOrder = { high: 0, medium: 1, low: 2 };
  checkboxes("rule-filters", ui.rules, rules, "rule-filter", function () { return 0; });
  checkboxes("severity-filters", ui.severities, severities, "severity-filter", function (s) { return sevOrder[s]; });

  function checked(cls) {
    var out = {};
    Array.prototype.forEach.call(document.querySelectorAll("input." + cls), function (i) { out[i.value] = i.checked; });
    return out;
  }

  // a finding's edges, with the weighted edges that stand for them in a folded view
  function edgesOf(f) { return f.edges.concat(f.folded || []); }

  // the side list
  var list = document.getElementById("findings");
  var items = [];
  data.findings.forEach(function (f) {
    var li = document.createElement("li");
    li.dataset.findingId = f.finding_id;
    var sev = document.createElement("span");
    sev.className = "sev sev-" + (f.severity || "none");
    sev.textContent = paths ? ui.steps.replace("{n}", f.score) : f.severity_label + " " + f.score;
    var rule = document.createElement("b");
    rule.textContent = paths ? "" : f.rule_title;
    var text = document.createElement("div");
    text.className = "why";
    text.textContent = f.explanation || "";
    li.appendChild(sev); li.appendChild(rule); li.appendChild(text);
    li.addEventListener("click", function () { focus(f.nodes, edgesOf(f), f.points, li, f.finding_id); });
    list.appendChild(li);
    items.push({ finding: f, li: li });
  });
  if (!data.findings.length) {
    var none = document.createElement("li");
    none.textContent = ui.none_found;
    list.appendChild(none);
  }

  function applyFilters() {
    if (!data.findings.length || paths || data.kind === "around") { return; }
    var r = checked("rule-filter"), s = checked("severity-filter");
    var visibleNodes = {}, visibleEdges = {};
    items.forEach(function (it) {
      var f = it.finding;
      var show = r[f.rule] !== false && (!f.severity || s[f.severity] !== false);
      it.li.style.display = show ? "" : "none";
      if (show) {
        f.nodes.concat(f.points).forEach(function (n) { visibleNodes[n] = true; });
        f.edges.forEach(function (e) { visibleEdges[e] = true; });
      }
    });
    nodes.update(nodes.getIds().map(function (id) { return { id: id, hidden: !visibleNodes[id] }; }));
    edges.update(edges.getIds().map(function (id) { return { id: id, hidden: !visibleEdges[id] }; }));
  }

  // focus: select exactly these nodes and edges, dim the others, fit the view to them. A dimmed node's label is
  // faint on no ground and a dimmed edge has no label, so that neither covers what is focused; the focused edges'
  // labels are drawn again over every node (vis-network draws edges first), then the focused nodes over them
  var labels = {}, focusedEdges = [];
  data.edges.forEach(function (e) { labels[e.id] = e.label || ""; });
  function dim(keepNodes, keepEdges) {
    var kn = {}, ke = {};
    keepNodes.forEach(function (n) { kn[n] = true; });
    keepEdges.forEach(function (e) { ke[e] = true; });
    var all = !keepNodes.length;
    focusedEdges = all ? [] : keepEdges.filter(function (id) { return edges.get(id); });
    nodes.update(nodes.get().map(function (n) {
      var on = all || kn[n.id];
      var change = { id: n.id, opacity: on ? 1 : 0.18 };
      if (n.category === "edge-label") {
        change.font = { color: on ? "#333333" : "rgba(51,51,51,0.25)" };
      } else if (n.shape !== "box" && n.category !== "port") {
        change.font = on ? { color: "#343434", background: "rgba(255,255,255,0.85)" }
                         : { color: "rgba(52,52,52,0.3)", background: "rgba(0,0,0,0)" };
      }
      return change;
    }));
    edges.update(edges.get().map(function (e) {
      var on = all || ke[e.id];
      // a thinned label (e.full) is drawn while its edge is focused; a dimmed edge's label not at all (vis-network
      // keeps the text it drew when a label becomes empty: it is drawn in no colour then)
      var text = all ? labels[e.id] : on ? e.full || labels[e.id] : "";
      return { id: e.id, color: { opacity: on ? 1 : 0.12 }, label: text,
               font: text ? { color: "#343434", background: "#ffffff", strokeWidth: 2 }
                          : { color: "rgba(0,0,0,0)", background: "rgba(0,0,0,0)", strokeWidth: 0 } };
    }));
  }
  network.on("afterDrawing", function (ctx) {
    if (!focusedEdges.length) { return; }
    var body = network.body;
    focusedEdges.forEach(function (id) {
      var edge = body.edges[id];
      if (edge && edge.connected && !edges.get(id).hidden) { edge.drawLabel(ctx); }
    });
    network.getSelectedNodes().forEach(function (id) {
      var node = body.nodes[id];
      if (!node || node.options.hidden) { return; }
      var drawn = node.draw(ctx);
      if (drawn && drawn.drawExternalLabel) { drawn.drawExternalLabel(); }
    });
  });
  // the list alone scrolls to show a finding at its top (scrollIntoView would scroll the side panel too, and its
  // title and search box out of view)
  function reveal(li) {
    var list = li.parentNode, box = list.getBoundingClientRect(), at = li.getBoundingClientRect();
    if (at.top < box.top || at.bottom > box.bottom) { list.scrollTop += at.top - box.top; }
  }
  function focus(nodeIds, edgeIds, points, li, mark) {
    items.forEach(function (it) { it.li.classList.remove("active"); });
    if (li) { li.classList.add("active"); reveal(li); }
    network.setSelection({ nodes: nodeIds.concat(points || []), edges: edgeIds }, { highlightEdges: false });
    dim(nodeIds.concat(points || []), edgeIds);
    G.fitTo(nodeIds.concat(points || []), 1.6);
    document.body.dataset.focused = mark || "";
  }
  G.focus = focus;

  // clicking a link's label, bend or segment selects the whole link; clicking the background clears the focus
  network.on("click", function (params) {
    var part = null;
    if (params.nodes.length === 1) { part = (nodes.get(params.nodes[0]) || {}).link; }
    if (!params.nodes.length && params.edges.length === 1) { part = (edges.get(params.edges[0]) || {}).link; }
    if (part && G.linkParts[part]) {
      network.setSelection(G.linkParts[part], { highlightEdges: false });
    } else if (!params.nodes.length && !params.edges.length && document.body.dataset.focused) {
      items.forEach(function (it) { it.li.classList.remove("active"); });
      dim([], []);
      network.unselectAll();
      document.body.dataset.focused = "";
    }
  });

  // search by name or id
  document.getElementById("search").addEventListener("input", function (ev) {
    var q = ev.target.value.trim().toLowerCase();
    if (!q) { network.unselectAll(); return; }
    var hits = data.nodes.filter(function (n) { return n.search && n.search.indexOf(q) >= 0; })
      .map(function (n) { return n.id; });
    if (hits.length) {
      network.selectNodes(hits, false);
      G.fitTo(hits, 1.6);
    }
  });

  // #FINDING_ID focuses that finding; #NODE_ID focuses every finding of that node (or the node alone); on load,
  // and whenever the address's # changes (a report link followed while the page is already open)
  function focusHash() {
    var target = decodeURIComponent((location.hash || "").slice(1));
    if (!target) { return; }
    items.forEach(function (it) { it.li.classList.remove("active"); });
    var hit = items.filter(function (it) { return it.finding.finding_id === target; })[0];
    if (hit) { focus(hit.finding.nodes, edgesOf(hit.finding), hit.finding.points, hit.li, target); return; }
    if (!nodes.get(target)) { return; }
    var mine = items.filter(function (it) { return it.finding.nodes.indexOf(target) >= 0; });
    var ns = {}, es = {}, ps = {};
    mine.forEach(function (it) {
      it.finding.nodes.forEach(function (n) { ns[n] = true; });
      edgesOf(it.finding).forEach(function (e) { es[e] = true; });
      (it.finding.points || []).forEach(function (p) { ps[p] = true; });
      it.li.classList.add("active");
    });
    ns[target] = true;
    focus(Object.keys(ns), Object.keys(es), Object.keys(ps), mine.length ? mine[0].li : null, target);
    mine.forEach(function (it) { it.li.classList.add("active"); });
  }
  G.whenSettled(function () {
    focusHash();
    window.addEventListener("hashchange", focusHash);
  });
})();
