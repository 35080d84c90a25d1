// govties view: builds the network and the side list from the embedded JSON. Data is only ever shown through
// textContent or vis-network's canvas, never parsed as HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("govties-data").textContent);
  var zh = data.lang === "zh";

  function textTip(text) {
    var el = document.createElement("div");
    el.style.whiteSpace = "pre";
    el.textContent = text;
    return el;
  }
  data.nodes.forEach(function (n) { n.title = textTip(n.title || ""); });
  data.edges.forEach(function (e) { e.title = textTip(e.title || ""); });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var hierarchical = data.layout === "hierarchical";
  var options = {
    nodes: { font: { face: data.fonts, size: 14 } },
    edges: { font: { face: data.fonts, size: 11, align: "middle" }, smooth: { type: "dynamic" },
             color: { color: "#999", highlight: "#d62728" } },
    interaction: { hover: true, tooltipDelay: 120 },
    physics: hierarchical ? false : { stabilization: { iterations: 250 }, barnesHut: { springLength: 140 } },
    layout: hierarchical ? { hierarchical: { direction: "LR", sortMethod: "directed", levelSeparation: 230,
                                             nodeSpacing: 110 } } : {}
  };
  var network = new vis.Network(document.getElementById("graph"), { nodes: nodes, edges: edges }, options);
  window.govtiesNetwork = network;

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

  // filters by rule and severity
  var rules = {}, severities = {};
  data.findings.forEach(function (f) { rules[f.rule] = true; if (f.severity) { severities[f.severity] = true; } });
  function checkboxes(containerId, values, cls) {
    var box = document.getElementById(containerId);
    Object.keys(values).sort().forEach(function (v) {
      var label = document.createElement("label");
      var input = document.createElement("input");
      input.type = "checkbox"; input.checked = true; input.className = cls; input.value = v;
      input.addEventListener("change", applyFilters);
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + v));
      box.appendChild(label);
    });
  }
  checkboxes("rule-filters", rules, "rule-filter");
  checkboxes("severity-filters", severities, "severity-filter");

  function checked(cls) {
    var out = {};
    Array.prototype.forEach.call(document.querySelectorAll("input." + cls), function (i) { out[i.value] = i.checked; });
    return out;
  }

  // the side list of findings
  var list = document.getElementById("findings");
  var items = [];
  data.findings.forEach(function (f) {
    var li = document.createElement("li");
    li.dataset.findingId = f.finding_id;
    var sev = document.createElement("span");
    sev.className = "sev sev-" + (f.severity || "none");
    sev.textContent = (f.severity || "") + (f.score !== undefined && f.score !== "" ? " " + f.score : "");
    var rule = document.createElement("b");
    rule.textContent = f.rule;
    var text = document.createElement("div");
    text.textContent = f.explanation || "";
    li.appendChild(sev); li.appendChild(rule); li.appendChild(text);
    li.addEventListener("click", function () { focusFinding(f, li); });
    list.appendChild(li);
    items.push({ finding: f, li: li });
  });

  function applyFilters() {
    if (!data.findings.length || data.layout === "paths") { return; }
    var r = checked("rule-filter"), s = checked("severity-filter");
    var visibleNodes = {}, visibleEdges = {};
    items.forEach(function (it) {
      var f = it.finding;
      var show = r[f.rule] !== false && (!f.severity || s[f.severity] !== false);
      it.li.style.display = show ? "" : "none";
      if (show) {
        f.nodes.forEach(function (n) { visibleNodes[n] = true; });
        f.edges.forEach(function (e) { visibleEdges[e] = true; });
      }
    });
    nodes.update(nodes.getIds().map(function (id) { return { id: id, hidden: !visibleNodes[id] }; }));
    edges.update(edges.getIds().map(function (id) { return { id: id, hidden: !visibleEdges[id] }; }));
  }

  function focusFinding(f, li) {
    items.forEach(function (it) { it.li.classList.remove("active"); });
    li.classList.add("active");
    network.selectNodes(f.nodes, true);
    network.fit({ nodes: f.nodes, animation: false });
    document.body.dataset.focused = f.finding_id;
  }

  // search by name or id
  document.getElementById("search").addEventListener("input", function (ev) {
    var q = ev.target.value.trim().toLowerCase();
    if (!q) { network.unselectAll(); return; }
    var hits = data.nodes.filter(function (n) { return n.search.indexOf(q) >= 0; }).map(function (n) { return n.id; });
    if (hits.length) {
      network.selectNodes(hits, false);
      network.fit({ nodes: hits, animation: false });
    }
  });

  network.once("afterDrawing", function () { document.body.dataset.ready = "1"; });
})();

// A link like overview.html#FINDING_ID (from the report) focuses that finding; #PERSON_ID selects that node.
(function () {
  "use strict";
  var target = decodeURIComponent((location.hash || "").slice(1));
  if (!target) { return; }
  var li = document.querySelector('#findings li[data-finding-id="' + target.replace(/"/g, "") + '"]');
  if (li) { li.click(); return; }
  var net = window.govtiesNetwork;
  if (net && net.body.data.nodes.get(target)) { net.selectNodes([target]); net.fit({ nodes: [target] }); }
})();
