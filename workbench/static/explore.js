// Graph exploration: expand a node's neighbours on click (fetched from the server, capped with a note), hide nodes,
// fold decisions into weighted edges, show the graph as of a day, and the k shortest paths between two entities.
// Text from the data is only set with textContent or drawn on the canvas.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("explore-data").textContent);
  var words = data.words;
  var nodes = new vis.DataSet([]);
  var edges = new vis.DataSet([]);
  var hidden = {};
  // the entities asked for (the page's, one added from the search box, a path's ends, a finding's root): never
  // hidden by a day (a node expanded by a click is not one: what it brought goes with the day as the rest does)
  var anchors = {};
  var folded = false;
  var days = [];          // sorted distinct dates on the graph
  var notes = document.getElementById("explore-notes");
  var EDGE_FONT = 12;     // px at scale 1; the view fits the graph at no less than SMALLEST (0.5): 6 px
  var network = new vis.Network(document.getElementById("explore-graph"), { nodes: nodes, edges: edges }, {
    physics: { enabled: false },  // nodes stay where they are put (place.js, or the server's layered positions)
    interaction: { hover: true, tooltipDelay: 120, multiselect: true },
    // a node's label on a white ground: drawn over the edges that pass under it (edges are drawn first)
    nodes: { font: { face: data.fonts, size: 14, background: "rgba(255,255,255,0.85)" },
             widthConstraint: { maximum: 170 } },
    edges: { font: { face: data.fonts, size: EDGE_FONT, align: "horizontal", background: "rgba(255,255,255,0.85)" },
             color: { color: "#888", highlight: "#d62728" }, arrows: "to" }
  });

  // the static views' edge-label placer (app_labels.js, loaded after this) draws each edge's label where it covers
  // no node and no other label, or leaves it to the edge's tooltip
  window.govties = { network: network, nodes: nodes, edges: edges, data: { layout: "explore" } };

  // vis-network's tooltip stays where it was shown when the pointer leaves the canvas without moving over it
  // again, and a pending one is shown for whatever the graph holds by then: both are put away when the pointer
  // leaves the graph and when a new graph replaces the one shown
  function hideTip() {
    var hover = network.interactionHandler;
    if (hover) {
      if (hover.popupTimer !== undefined) { clearTimeout(hover.popupTimer); hover.popupTimer = undefined; }
      if (hover.popup) { hover.popup.hide(); }
      hover.popupObj = undefined;
    }
    Array.prototype.forEach.call(document.querySelectorAll("#explore-graph .vis-tooltip"), function (el) {
      el.style.visibility = "hidden";
    });
  }
  function tip(text) { var el = document.createElement("div"); el.className = "tip"; el.textContent = text; return el; }
  function note(text) { var p = document.createElement("p"); p.textContent = text; notes.appendChild(p); }
  // the notes say what the last action did (what it left out, that nothing more is linked, why it was refused):
  // each action's replace the last's, which would pile up over the graph and no longer be true
  function clearNotes() { while (notes.firstChild) { notes.removeChild(notes.firstChild); } }
  function fill(template, values) {  // with a count n, an English "(s)" is "" for one, "s" else (api.counted)
    var text = template.replace(/\{(\w+)\}/g, function (m, k) { return values[k] !== undefined ? values[k] : m; });
    return values.n === undefined ? text : text.split("(s)").join(values.n === 1 ? "" : "s");
  }
  function get(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } }).then(function (r) {
      return r.json().then(function (body) { if (!r.ok) { throw new Error(body.error || r.status); } return body; });
    });
  }

  // Nodes already shown keep their look and place (an expansion's payload describes a node from its own edges
  // only: a relative seen from a company is just a person there); only what one lacked is added to it. New nodes
  // go where place.js puts them (the server's positions for a finding's path or paths); nothing moves by itself.
  // Returns the ids of the nodes added.
  function addGraph(g, near) {
    var fresh = g.nodes.filter(function (n) { return !nodes.get(n.id); });
    g.nodes.forEach(function (n) { if (n.role === "center" || n.id === g.root) { anchors[n.id] = true; } });
    g.nodes.forEach(function (n) {
      var had = nodes.get(n.id);
      if (!had) { return; }
      var patch = { id: n.id }, more = false;
      ["date", "amount", "type"].forEach(function (k) {
        if ((had[k] === undefined || had[k] === null) && n[k] !== undefined && n[k] !== null) { patch[k] = n[k]; more = true; }
      });
      if (more) { nodes.update(patch); }
    });
    var placed = g.layered ? { places: {}, shown: [] } : placeFresh(g, fresh, near), places = placed.places;
    fresh.forEach(function (n) {
      var item = { id: n.id, label: n.label, title: tip(n.name + "\n" + n.id + "\n" + n.category_label), color: n.color,
                   shape: n.shape, date: n.date || null, amount: n.amount, type: n.type, category: n.category };
      if (n.shape === "box") { item.font = { color: "#ffffff", background: "rgba(0,0,0,0)" }; }  // inside its box
      var at = n.x !== undefined ? n : places[n.id];
      if (at) { item.x = at.x; item.y = at.y; }
      if (g.layered) { item.fixed = { x: true, y: true }; }
      nodes.add(item);
    });
    var level = {};
    g.nodes.forEach(function (n) { if (n.level !== undefined) { level[n.id] = n.level; } });
    // the nodes' boxes (drawn ones as drawn, new ones as estimated) for an edge to pass around
    var boxes = placed.shown.concat(fresh.filter(function (n) { return places[n.id]; }).map(function (n) {
      var s = window.govtiesPlace.size(n);
      return { id: n.id, x: places[n.id].x, y: places[n.id].y, w: s.w, h: s.h };
    }));
    var at = g.layered ? {} : network.getPositions();
    g.edges.forEach(function (e) {
      if (!edges.get(e.id)) {
        // in a layered graph an edge within one layer bends out to the side, so that it crosses no node's label;
        // elsewhere an edge bends round a node it would pass over
        var within = g.layered && level[e.from] !== undefined && level[e.from] === level[e.to];
        var smooth = within ? { enabled: true, type: "curvedCW", roundness: 0.9 } : { enabled: false };
        if (!g.layered && at[e.from] && at[e.to]) {
          smooth = window.govtiesPlace.bend({ id: e.from, x: at[e.from].x, y: at[e.from].y },
                                            { id: e.to, x: at[e.to].x, y: at[e.to].y }, boxes);
        }
        edges.add({ id: e.id, from: e.from, to: e.to, label: e.label, title: tip(e.label), start: e.start || null,
                    end: e.end || null, kind: e.type, smooth: smooth });
      }
    });
    collectDays();
    apply();
    return fresh.map(function (n) { return n.id; });
  }

  // where an expansion's new nodes go: around the node expanded (at its place, or, new, right of what is shown)
  var rank = {};
  data.kinds.forEach(function (k, i) { rank[k] = i; });
  function placeFresh(g, fresh, near) {
    var links = {};
    g.edges.forEach(function (e) {
      (links[e.from] = links[e.from] || []).push(e.to);
      (links[e.to] = links[e.to] || []).push(e.from);
    });
    var at = network.getPositions();
    var shown = nodes.get().map(function (n) {  // each node's drawn box (one never drawn yet: its estimated size)
      var b = network.getBoundingBox(n.id), p = at[n.id] || { x: 0, y: 0 };
      if (!b || !(b.right > b.left)) {
        var s = window.govtiesPlace.size(n);
        return { id: n.id, x: p.x, y: p.y, w: s.w, h: s.h };
      }
      return { id: n.id, x: (b.left + b.right) / 2, y: (b.top + b.bottom) / 2, w: b.right - b.left, h: b.bottom - b.top,
               at: { x: Math.round(p.x), y: Math.round(p.y) } };
    });
    var center = g.center || near;
    var origin = g.nodes.filter(function (n) { return n.id === center; })[0] || { label: "" };
    origin = { id: center, x: 0, y: 0, label: origin.label, shape: origin.shape };
    var there = shown.filter(function (b) { return b.id === origin.id; })[0];
    if (there) { origin.x = at[center].x; origin.y = at[center].y; origin.w = there.w; }
    else if (shown.length) { origin.x = Math.max.apply(null, shown.map(function (b) { return b.x + b.w / 2; })) + 640; }
    var spoke = 0;  // edge labels are drawn at EDGE_FONT px, textWidth measures 14 px text
    g.edges.forEach(function (e) {
      if (e.from === center || e.to === center) {
        spoke = Math.max(spoke, window.govtiesPlace.textWidth(e.label || "") * EDGE_FONT / 14);
      }
    });
    var canvas = document.getElementById("explore-graph");  // its shape (none while it is not laid out: a circle)
    var aspect = canvas.clientHeight > 0 ? canvas.clientWidth / canvas.clientHeight : null;
    return { places: window.govtiesPlace.around(fresh, origin, links, spoke, shown, rank, aspect), shown: shown };
  }

  function expand(id) {
    var have = nodes.getIds().slice(0, 300).map(function (x) { return "&have=" + encodeURIComponent(x); }).join("");
    return get("/api/graph/expand?id=" + encodeURIComponent(id) + "&cap=" + data.cap + have).then(function (g) {
      clearNotes();
      var links = edges.length;
      var added = addGraph(g, id);
      if (document.body.dataset.ready && !added.length && edges.length === links) {  // said, not left silent
        note(((nodes.get(g.center) || {}).label || g.center) + words.colon + words.nothing_more);
      }
      if (g.more > 0) {
        var name = (nodes.get(g.center) || {}).label || g.center;
        note(name + words.colon + fill(words.cap_note, { shown: g.shown, more: g.more }));
      }
      // after the notes: the view leaves them the canvas's corner they lie over
      if (document.body.dataset.ready && added.length) { reveal(g.center, added); }
      document.body.dataset.expanded = String((Number(document.body.dataset.expanded) || 0) + 1);
      return g;
    }).catch(function (err) { clearNotes(); note(String(err.message || err)); });
  }

  function collectDays() {
    var seen = {};
    nodes.forEach(function (n) { if (n.date) { seen[n.date] = true; } });
    edges.forEach(function (e) { if (e.start) { seen[e.start] = true; } if (e.end) { seen[e.end] = true; } });
    days = Object.keys(seen).sort();
    var slider = document.getElementById("day");
    var atEnd = Number(slider.value) >= Number(slider.max);
    slider.max = String(Math.max(1, days.length));  // no date: one step, at its end (all), as the label says
    slider.disabled = !days.length;
    if (atEnd) { slider.value = slider.max; }
    showDay();
    document.getElementById("explore-empty").hidden = nodes.length > 0;
  }
  function currentDay() {
    var i = Number(document.getElementById("day").value);
    return i >= days.length ? null : days[i];
  }
  function showDay() {
    var d = currentDay();
    document.getElementById("day-label").textContent = d || words.all;
  }

  // what is visible: hidden by hand, after the chosen day, or folded into a weighted edge; on a day chosen, a node
  // that no link of that day joins to what was asked for (an entity explored, a path's ends) is hidden too: a
  // company reached only by later decisions floated alone. Hiding by hand and folding hide no one else.
  function apply() {
    var day = currentDay();
    var nodeUpdates = [], edgeUpdates = [];
    var nodeOff = {}, later = {}, edgeOff = {}, near = {};
    nodes.forEach(function (n) {
      later[n.id] = !!(day && n.date && n.date > day);
      nodeOff[n.id] = !!hidden[n.id] || later[n.id] || (folded && n.type === "decision");
    });
    edges.forEach(function (e) {
      if (e.folded) { return; }
      var dated = !!(day && ((e.start && e.start > day) || (e.end && e.end < day)));
      edgeOff[e.id] = !!hidden[e.from] || !!hidden[e.to] || dated || nodeOff[e.from] || nodeOff[e.to];
      if (!dated && !later[e.from] && !later[e.to]) {  // a link of the chosen day
        (near[e.from] = near[e.from] || []).push(e.to);
        (near[e.to] = near[e.to] || []).push(e.from);
      }
    });
    var joined = null;  // on a day chosen: the nodes its links join to what was asked for
    var asked = Object.keys(anchors).filter(function (id) { return nodes.get(id) && !later[id]; });
    if (day && asked.length) {
      joined = {};
      asked.forEach(function (id) { joined[id] = true; });
      for (var i = 0; i < asked.length; i++) {
        (near[asked[i]] || []).forEach(function (id) { if (!joined[id]) { joined[id] = true; asked.push(id); } });
      }
    }
    nodes.forEach(function (n) {
      var off = nodeOff[n.id] || (joined !== null && !joined[n.id]);
      if (n.hidden !== off) { nodeUpdates.push({ id: n.id, hidden: off }); }
    });
    edges.forEach(function (e) {
      if (e.folded) { return; }
      if (e.hidden !== edgeOff[e.id]) { edgeUpdates.push({ id: e.id, hidden: edgeOff[e.id] }); }
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    refold(day);
    document.body.dataset.visibleNodes = String(nodes.get({ filter: function (n) { return !n.hidden; } }).length);
  }

  // one weighted edge per (maker or agency, beneficiary) for the decisions folded away
  function refold(day) {
    edges.remove(edges.getIds({ filter: function (e) { return e.folded; } }));
    if (!folded) { return; }
    var groups = {};
    nodes.forEach(function (d) {
      if (d.type !== "decision" || hidden[d.id] || (day && d.date && d.date > day)) { return; }
      var from = null, to = null;
      edges.forEach(function (e) {
        if (e.kind === "DECIDED" && e.to === d.id && !from) { from = e.from; }
        if (e.kind === "BENEFITS" && e.from === d.id) { to = e.to; }
      });
      edges.forEach(function (e) { if (!from && e.kind === "ISSUED_BY" && e.from === d.id) { from = e.to; } });
      if (!from || !to || hidden[from] || hidden[to]) { return; }
      var key = from + "\u0001" + to;
      groups[key] = groups[key] || { from: from, to: to, n: 0, amount: 0 };
      groups[key].n += 1;
      groups[key].amount += d.amount || 0;
    });
    Object.keys(groups).forEach(function (key) {
      var g = groups[key];
      var label = g.amount ? fill(words.folded_amount, { n: g.n, amount: Math.round(g.amount).toLocaleString("en-US") })
                           : fill(words.folded, { n: g.n });
      edges.add({ id: "fold:" + key, from: g.from, to: g.to, label: label, title: tip(label), folded: true,
                  width: 1 + Math.log2(g.n + 1) * 2, color: { color: "#b8860b" }, dashes: false });
    });
  }

  // the graph (or the nodes `ids`) in view with their labels, in the part of the canvas the notes leave free,
  // unless it would be drawn too small to read (below SMALLEST): then as much of it as can be read (at READABLE),
  // around `focus` (the entity explored; the mouse wheel zooms out); never larger than life (or than `most`)
  var READABLE = 0.7, SMALLEST = 0.5, LARGEST = 1.2, PAD = 16;
  function shownOnly(ids) { return ids.filter(function (id) { var n = nodes.get(id); return n && !n.hidden; }); }
  function extent(ids) {  // the box of these nodes' drawn boxes, labels included (vis-network's fit leaves them out)
    var box = null;
    ids.forEach(function (id) {
      var b = network.getBoundingBox(id);
      if (!b) { return; }
      box = box ? { left: Math.min(box.left, b.left), right: Math.max(box.right, b.right),
                    top: Math.min(box.top, b.top), bottom: Math.max(box.bottom, b.bottom) } : b;
    });
    return box;
  }
  // the parts of the canvas (its pixels) a drawing may take: the whole canvas without notes; with them, the part
  // below them and the part left of them (they lie over the canvas's top right corner)
  function regions() {
    var el = document.getElementById("explore-graph"), W = el.clientWidth, H = el.clientHeight;
    if (!notes.firstChild || !notes.offsetHeight) { return [{ left: 0, top: 0, width: W, height: H }]; }
    var g = el.getBoundingClientRect(), n = notes.getBoundingClientRect();
    var below = n.bottom - g.top, left = n.left - g.left;
    return [{ left: 0, top: below, width: W, height: H - below }, { left: 0, top: 0, width: left, height: H }];
  }
  // the scale and the centre that fit `box` into the best region, no larger than `top`
  function fitting(box, top) {
    var el = document.getElementById("explore-graph"), W = el.clientWidth, H = el.clientHeight, best = null;
    regions().forEach(function (r) {
      if (r.width <= 2 * PAD || r.height <= 2 * PAD) { return; }
      var scale = Math.min((r.width - 2 * PAD) / Math.max(1, box.right - box.left),
                           (r.height - 2 * PAD) / Math.max(1, box.bottom - box.top), top);
      if (best && best.scale >= scale) { return; }
      var at = { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 };
      best = { scale: scale, position: { x: at.x - (r.left + r.width / 2 - W / 2) / scale,
                                         y: at.y - (r.top + r.height / 2 - H / 2) / scale } };
    });
    return best;
  }
  // the fit of these nodes, measured twice: a node's box is as vis-network last drew it (a label drawn on a
  // node out of view, or at another scale, is not where it will be), so the first fit is drawn and measured again
  function fitted(ids, top) {
    var fit = null;
    for (var pass = 0; pass < 2; pass++) {
      network.redraw();
      var box = extent(ids);
      fit = box && fitting(box, top);
      if (!fit) { return null; }
      network.moveTo({ position: fit.position, scale: fit.scale, animation: false });
    }
    return fit;
  }
  function view(ids, focus, most) {
    ids = ids ? shownOnly(ids) : null;  // a hidden node (folded, after the day, hidden by hand) is not looked for
    var all = nodes.getIds({ filter: function (n) { return !n.hidden; } });
    var fit = fitted(ids && ids.length ? ids : all, Math.min(LARGEST, most || LARGEST));
    if (!fit) { return; }
    if (fit.scale >= SMALLEST) { network.moveTo({ position: fit.position, scale: fit.scale, animation: false }); return; }
    focus = focus || data.start.center;
    focus = focus && shownOnly([focus]).length ? focus : null;
    var at = focus ? lookAt(focus, ids && ids.length ? ids : all) : fit.position;
    network.moveTo({ position: at, scale: READABLE, animation: false });
  }
  // where to look at READABLE scale so that the node `focus` is in view with as much of the nodes `ids` as fits:
  // the middle of their extent, moved (along each axis) only as far as it takes to keep the focus's box in view
  function lookAt(focus, ids) {
    var canvas = document.getElementById("explore-graph");
    var half = { x: canvas.clientWidth / READABLE / 2, y: canvas.clientHeight / READABLE / 2 };
    var box = extent(ids), f = network.getBoundingBox(focus);
    if (!f || !box) { return network.getPositions([focus])[focus]; }
    function axis(a, b, fa, fb, h) {  // the extent's middle, clamped so that [fa, fb] stays within middle ± h
      var mid = (a + b) / 2;
      return Math.min(Math.max(mid, fb - h + 20), fa + h - 20);
    }
    return { x: axis(box.left, box.right, f.left, f.right, half.x), y: axis(box.top, box.bottom, f.top, f.bottom, half.y) };
  }
  // after an expansion: the whole graph if it fits, else what it added around the node clicked (as much as can be
  // read); never closer than before
  function reveal(center, added) {
    var most = Math.max(network.getScale(), SMALLEST);
    var fit = fitted(shownOnly(nodes.getIds()), Math.min(LARGEST, most));
    if (!fit || fit.scale < SMALLEST) { view([center].concat(added), center, most); }
  }
  document.getElementById("explore-graph").addEventListener("mouseleave", hideTip);
  network.on("click", function (p) { if (p.nodes.length === 1) { expand(p.nodes[0]); } });
  network.on("doubleClick", function (p) {
    if (p.nodes.length) { window.location.href = "/entities/" + encodeURIComponent(p.nodes[0]); }
  });
  document.getElementById("hide").addEventListener("click", function () {
    network.getSelectedNodes().forEach(function (id) { hidden[id] = true; });
    network.unselectAll();
    apply();
  });
  document.getElementById("show").addEventListener("click", function () { hidden = {}; apply(); });
  document.getElementById("fold").addEventListener("change", function (ev) {  // folded or not, all of it in view
    folded = ev.target.checked;
    apply();
    view();
  });
  document.getElementById("day").addEventListener("input", function () { showDay(); apply(); });

  var hits = document.getElementById("add-hits");
  function closeHits() { while (hits.firstChild) { hits.removeChild(hits.firstChild); } }
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { closeHits(); } });
  function away(ev) {  // a click or the focus anywhere but the search closes its list
    if (!document.getElementById("add-form").contains(ev.target)) { closeHits(); }
  }
  document.addEventListener("click", away);
  document.addEventListener("focusin", away);
  document.getElementById("add-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = document.getElementById("add-q").value.trim();
    closeHits();
    if (!q) { return; }
    get("/api/search?q=" + encodeURIComponent(q)).then(function (r) {
      if (!r.hits.length) {  // said, not left blank: the name or id matched nothing
        var none = document.createElement("li");
        none.className = "none"; none.textContent = words.no_results + words.colon + (Array.from(q).length > 40 ? Array.from(q).slice(0, 40).join("") + "…" : q);
        hits.appendChild(none);
      }
      r.hits.forEach(function (h) {
        var li = document.createElement("li");
        var b = document.createElement("button");
        b.type = "button"; b.className = "link"; b.textContent = h.name + " (" + h.id + ")" + (h.about ? " · " + h.about : ""); b.dataset.id = h.id;
        b.addEventListener("click", function () {
          while (hits.firstChild) { hits.removeChild(hits.firstChild); }
          var first = !nodes.length;
          anchors[h.id] = true;
          expand(h.id).then(function () {
            if (!nodes.get(h.id)) { return; }  // the expansion failed: its note says why
            network.selectNodes([h.id]);
            // on an empty canvas, the graph fetched is shown whole, as a page opened on the entity shows it; else
            // the entity picked and what it is linked to, no closer than before
            if (first) { view(null, h.id); return; }
            view([h.id].concat(network.getConnectedNodes(h.id)), h.id, Math.max(network.getScale(), READABLE));
          });
        });
        li.appendChild(b); hits.appendChild(li);
      });
    });
  });
  var pathsShown = false;  // whether the graph shown is a paths search's answer
  document.getElementById("paths-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var a = document.getElementById("pa").value.trim(), b = document.getElementById("pb").value.trim();
    closeHits();
    if (!a || !b) { return; }  // (both boxes are required, spaces alone refused: the browser says which)
    var url = "/api/graph/paths?a=" + encodeURIComponent(a) + "&b=" + encodeURIComponent(b) + "&k=" +
      encodeURIComponent(document.getElementById("pk").value) + "&hops=" + encodeURIComponent(document.getElementById("ph").value);
    hideTip();
    function replace(g) {  // the graph shown gives way to the search's answer
      hideTip();
      nodes.clear(); edges.clear(); hidden = {}; anchors = {};
      clearNotes();
      var slider = document.getElementById("day");
      slider.value = slider.max;  // a new graph is shown whole
      addGraph(g, null);
    }
    get(url).then(function (g) {
      replace(g);
      pathsShown = true;
      if (!g.found) { note(fill(words.no_path, { hops: g.hops, n: g.hops })); }  // the steps the answer looked
      view();
      document.body.dataset.paths = String(g.found);
    }).catch(function (err) {
      // a refused search has no answer: a previous search's paths are not left drawn under the refusal as if
      // they were its answer (what was explored by hand stays)
      if (pathsShown) { replace({ nodes: [], edges: [], layered: true }); pathsShown = false; }
      clearNotes();
      note(String(err.message || err));
      document.body.dataset.paths = "refused";
    });
  });

  var start = data.start, first;
  if (start.finding) {
    first = get("/api/graph/finding/" + encodeURIComponent(start.finding)).then(function (g) { addGraph(g, null); })
      .catch(function (err) { note(String(err.message || err)); });  // said, and the page is ready all the same
  } else if (start.center) {
    anchors[start.center] = true;
    first = expand(start.center).then(function () {
      if (nodes.get(start.center)) { network.selectNodes([start.center]); }
    });
  } else if (start.a && start.b) {
    document.getElementById("paths-form").requestSubmit();
    first = Promise.resolve();
  } else {
    first = Promise.resolve();
  }
  first.then(function () {
    collectDays();
    view();
    document.body.dataset.ready = "1";
  });
  window.govtiesExplore = { network: network, nodes: nodes, edges: edges, expand: expand };
})();
