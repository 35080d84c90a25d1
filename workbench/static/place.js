// Where the exploration page puts the nodes an expansion adds: the same places on every load in a window of the
// same shape, nothing moved once shown, no node over another. The entity expanded first is the centre of a ring of
// its neighbours (an ellipse as wide as suits the canvas); the decisions of the neighbour linked to most of them
// (the official's agency, say) are fanned out on the ring's right, that neighbour behind them; what the server adds
// beyond a neighbour (who issued a decision, who benefited) sits on an outer ring behind it. A later expansion puts
// its nodes on an arc towards the widest gap between the directions of the nodes shown (the far side of the node
// clicked, or between the nodes that surround it), and a node that would cover one already there moves outwards
// until it does not. An edge that would
// pass over a node bends round it. A later expansion's node linked to other nodes shown goes near them all.
(function () {
  "use strict";
  var GAP = 26;          // px between two nodes' boxes
  var RING = 240;        // the smallest radius of a ring
  var BEHIND = 210;      // from a ring to the ring behind it
  var FAN = 5 * Math.PI / 6;  // the widest angle of a neighbour's decisions on a ring

  // the room a node takes: a box holds its label, other shapes carry it below them (vis-network's look)
  function textWidth(text) {
    var w = 0;
    for (var i = 0; i < text.length; i++) { w += text.charCodeAt(i) > 0x2e7f ? 14 : 7.5; }
    return w;
  }
  function size(n) {
    var label = Math.min(170, textWidth(String(n.label || "")));
    return n.shape === "box" ? { w: label + 22, h: 34 } : { w: Math.max(56, label + 8), h: 74 };
  }
  // the room a node needs along a ring at `angle`: its box across where the ring runs across (at its top and
  // bottom), down where it runs down (at its sides), a mix of the two between; without an angle, the larger
  function room(it, angle) {
    if (angle === undefined) { return Math.max(it.w, it.h) + GAP; }
    return Math.abs(Math.sin(angle)) * it.w + Math.abs(Math.cos(angle)) * it.h + GAP;
  }
  function overlaps(a, b) {
    return Math.abs(a.x - b.x) * 2 < a.w + b.w + GAP && Math.abs(a.y - b.y) * 2 < a.h + b.h + GAP;
  }

  // nodes on a circle of centre c, around the angle `middle`, each given an arc as wide as its box, at least
  // `radius` out, within the angle `span`; `fill`: shared out over all of it (else as close together as they fit)
  // (laid out twice: first for the angles, then with each node's room where that angle puts it)
  function arc(items, c, radius, middle, span, fill) {
    var r = RING;
    [false, true].forEach(function (placed) {
      var rooms = items.map(function (it) { return room(it, placed ? it.angle : undefined); });
      var need = rooms.reduce(function (s, x) { return s + x; }, 0);
      r = Math.max(radius, need / span);
      var used = fill ? span : need / r, at = middle - used / 2;
      items.forEach(function (it, i) {
        var share = rooms[i] / need * used;
        it.angle = at + share / 2;
        it.x = c.x + r * Math.cos(it.angle);
        it.y = c.y + r * Math.sin(it.angle);
        at += share;
      });
    });
    return r;
  }

  // the ring's order: by kind (the legend's order), then id; a node linked to decisions of the ring in the middle
  // of them, so that their links stay short
  function ringOrder(ring, links, rank) {
    var byKind = ring.slice().sort(function (a, b) { return (rank[a.category] - rank[b.category]) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0); });
    var inRing = {};
    ring.forEach(function (n) { inRing[n.id] = n; });
    var placed = {}, out = [];
    byKind.forEach(function (n) {
      if (placed[n.id]) { return; }
      if (n.type === "decision") { return; }
      var mine = (links[n.id] || []).filter(function (d) { return inRing[d] && inRing[d].type === "decision" && !placed[d]; })
        .sort().map(function (d) { return inRing[d]; });
      var half = Math.floor(mine.length / 2);
      mine.slice(0, half).concat([n], mine.slice(half)).forEach(function (x) { placed[x.id] = true; out.push(x); });
    });
    byKind.forEach(function (n) { if (!placed[n.id]) { placed[n.id] = true; out.push(n); } });
    return out;
  }

  // the ring's run of decisions around the neighbour linked to most of them (ringOrder put them together), the
  // neighbour included; null when no neighbour is linked to two or more
  function widestFan(ordered, links) {
    var best = null;
    ordered.forEach(function (it, i) {
      if (it.type === "decision") { return; }
      var mine = {};
      (links[it.id] || []).forEach(function (id) { mine[id] = true; });
      var lo = i, hi = i;
      while (lo > 0 && ordered[lo - 1].type === "decision" && mine[ordered[lo - 1].id]) { lo--; }
      while (hi < ordered.length - 1 && ordered[hi + 1].type === "decision" && mine[ordered[hi + 1].id]) { hi++; }
      if (hi - lo >= 2 && (!best || hi - lo > best.length - 1)) { best = ordered.slice(lo, hi + 1); }
    });
    return best;
  }

  // fresh: the nodes to place (the server's order); origin: the node expanded ({id, x, y, w}: where it is, or where
  // it goes when it is new); links: id -> ids it is linked to (the expansion's edges); spoke: the width of the
  // widest label of a link to the origin (a ring is far enough out for it to sit between the origin and the ring);
  // shown: the boxes ({id, x, y, w, h}, and `at`: the node's own place, if not the box's middle) of the nodes
  // already there; rank: category -> its place in the legend; aspect: the canvas's width over its height.
  // Returns id -> {x, y}.
  // The rings are ellipses, as wide as suits the canvas: of the stretches tried, the one whose whole graph (what
  // is shown and what is added) fits the canvas at the largest scale; the least stretch of those that tie.
  var STRETCHES = [1, 1.15, 1.3, 1.45, 1.6, 1.75];
  function around(fresh, origin, links, spoke, shown, rank, aspect) {
    aspect = aspect || 1;
    var best = null, bestFit = -1;
    (aspect > 1 ? STRETCHES : [1]).forEach(function (k) {
      var out = layout(k, fresh, origin, links, spoke, shown, rank);
      var lo = { x: Infinity, y: Infinity }, hi = { x: -Infinity, y: -Infinity };
      function take(x, y, w, h) {
        lo.x = Math.min(lo.x, x - w / 2); hi.x = Math.max(hi.x, x + w / 2);
        lo.y = Math.min(lo.y, y - h / 2); hi.y = Math.max(hi.y, y + h / 2);
      }
      shown.forEach(function (b) { take(b.x, b.y, b.w, b.h); });
      fresh.forEach(function (n) { var s = size(n); take(out[n.id].x, out[n.id].y, s.w, s.h); });
      var fit = Math.min(aspect / Math.max(1, hi.x - lo.x), 1 / Math.max(1, hi.y - lo.y));
      if (fit > bestFit * 1.001) { best = out; bestFit = fit; }
    });
    return shown.length ? nearLinks(best, fresh, origin, links, shown) : best;
  }

  // a later expansion's node linked to nodes shown besides the one clicked (a decision that benefits a company
  // drawn already) goes near all of them, not on the far side of the node clicked with an edge back across the
  // graph: at the first free place (none over another node) round the middle of its linked nodes; then what the
  // expansion adds beyond a node so moved goes near it likewise. Returns `places`, changed.
  var NEAR = [];
  for (var ring = 0; ring <= 16; ring++) {
    for (var turn = 0; turn < (ring ? 12 : 1); turn++) {
      NEAR.push({ x: ring * 50 * Math.cos(turn * Math.PI / 6), y: ring * 50 * Math.sin(turn * Math.PI / 6) });
    }
  }
  function nearLinks(places, fresh, origin, links, shown) {
    var where = {}, boxes = {}, isShown = {};
    shown.forEach(function (b) {
      isShown[b.id] = true;
      where[b.id] = b.at || { x: b.x, y: b.y };
      boxes[b.id] = { id: b.id, x: b.x, y: b.y, w: b.w, h: b.h };
    });
    fresh.forEach(function (n) {
      if (!places[n.id]) { return; }
      var s = size(n);
      where[n.id] = places[n.id];
      boxes[n.id] = { id: n.id, x: places[n.id].x, y: places[n.id].y, w: s.w, h: s.h };
    });
    var moved = {};
    function move(n, why) {  // to the first free place round the middle of its linked nodes, if `why` of them
      var ends = (links[n.id] || []).filter(function (id) { return where[id] && id !== n.id; });
      if (!ends.some(why)) { return; }
      var mid = { x: 0, y: 0 };
      ends.forEach(function (id) { mid.x += where[id].x; mid.y += where[id].y; });
      mid.x /= ends.length; mid.y /= ends.length;
      var s = size(n), others = Object.keys(boxes).filter(function (id) { return id !== n.id; });
      for (var i = 0; i < NEAR.length; i++) {
        var it = { id: n.id, x: Math.round(mid.x + NEAR[i].x), y: Math.round(mid.y + NEAR[i].y), w: s.w, h: s.h };
        if (others.some(function (id) { return overlaps(it, boxes[id]); })) { continue; }
        // vis-network draws no label along an edge running exactly level from right to left
        if (ends.some(function (id) { return where[id].y === it.y; })) { it.y += 1; }
        places[n.id] = where[n.id] = { x: it.x, y: it.y };
        boxes[n.id] = it;
        moved[n.id] = true;
        return;
      }
    }
    var originId = origin.id;
    fresh.forEach(function (n) {
      if (n.id !== originId && places[n.id]) {
        move(n, function (id) { return isShown[id] && id !== originId; });
      }
    });
    fresh.forEach(function (n) {
      if (n.id !== originId && places[n.id] && !moved[n.id]) { move(n, function (id) { return moved[id]; }); }
    });
    return places;
  }

  // the layout with rings stretched k times across and squeezed k times down: made on circles in a plane squeezed
  // by sx across and sy down, every box squeezed alike, then stretched back
  function layout(k, fresh, origin, links, spoke, shown, rank) {
    var c = { x: origin.x, y: origin.y }, originId = origin.id;
    var sx = k, sy = 1 / k;
    function squeezed(b) {
      return { id: b.id, x: c.x + (b.x - c.x) / sx, y: c.y + (b.y - c.y) / sy, w: b.w / sx, h: b.h / sy, at: b.at };
    }
    shown = shown.map(squeezed);
    var others = shown.filter(function (b) { return b.id !== originId; });
    var items = fresh.map(function (n) { var s = size(n); return { id: n.id, node: n, w: s.w / sx, h: s.h / sy }; });
    var near = {}, ring = [], outer = [];
    (links[originId] || []).forEach(function (id) { near[id] = true; });
    items.forEach(function (it) {
      if (it.id === originId) { it.x = c.x; it.y = c.y; } else if (near[it.id]) { ring.push(it); } else { outer.push(it); }
    });
    // the first expansion: a whole ring; a later one, towards the widest gap between the directions of the nodes
    // shown (the far side of the node clicked when they lie on one side; between them when they lie all round it),
    // pushed out past any in the way (below): near the node clicked, where a view of it and what it added is read
    var whole = !others.length;
    var away = whole ? 0 : widestGap(c, others);
    var ordered = ringOrder(ring.map(function (it) { it.category = it.node.category; it.type = it.node.type; return it; }),
                            links, rank);
    var fan = whole ? widestFan(ordered, links) : null;
    var r = RING;
    if (fan) {  // its decisions on the right of the ring, within FAN, it behind them; the others around the rest
      var rest = ordered.filter(function (it) { return fan.indexOf(it) < 0; });
      var fanNeed = fan.reduce(function (s, it) { return s + room(it); }, 0);
      var restNeed = rest.reduce(function (s, it) { return s + room(it); }, 0);
      var span = rest.length ? Math.min(FAN, 2 * Math.PI * fanNeed / (fanNeed + restNeed)) : 2 * Math.PI;
      // each part as far out as it needs: the fan's many decisions need not push the others out with them
      r = Math.max(RING, fanNeed / span);
      arc(fan, c, r, 0, span, true);
      if (rest.length) { r = Math.max(r, arc(rest, c, Math.max(RING, restNeed / (2 * Math.PI - span)), Math.PI,
                                               2 * Math.PI - span, true)); }
    } else if (ordered.length) {
      r = arc(ordered, c, RING, whole ? -Math.PI / 2 : away, whole ? 2 * Math.PI : Math.PI, whole);
    }
    // each ring node far enough out, along its own ray, for the widest label of a link to the origin to sit between
    // the two boxes (measured as drawn: across for a link that runs across, down for one that runs down)
    var from = size(origin), ox = (origin.w || from.w) / 2, oy = from.h / 2;
    ordered.forEach(function (it) {
      var ux = sx * Math.cos(it.angle), uy = sy * Math.sin(it.angle), m = Math.hypot(ux, uy);
      ux = Math.abs(ux / m); uy = Math.abs(uy / m);
      var apart = spoke + ux * ox + uy * oy + ux * it.w * sx / 2 + uy * it.h * sy / 2 + 2 * GAP;
      var out = Math.max(Math.hypot(it.x - c.x, it.y - c.y), apart / m);
      it.x = c.x + out * Math.cos(it.angle);
      it.y = c.y + out * Math.sin(it.angle);
      r = Math.max(r, out);
    });
    // beyond the ring: a neighbour linked to several decisions of the ring, behind them (at its place in the ring's
    // order: their links to it stay outside the ring); each other node at the mean angle of the ring's nodes it is
    // linked to; in that order around
    var angleOf = {};
    ordered.forEach(function (it) {
      var decisions = (links[it.id] || []).filter(function (id) {
        return ordered.some(function (o) { return o.id === id && o.type === "decision"; });
      });
      if (it.type !== "decision" && decisions.length > 1) { it.want = it.angle; outer.push(it); }
      else { angleOf[it.id] = it.angle; }
    });
    outer.forEach(function (it) {
      if (it.want !== undefined) { return; }
      var angles = (links[it.id] || []).filter(function (id) { return angleOf[id] !== undefined; }).map(function (id) { return angleOf[id]; });
      it.want = angles.length ? Math.atan2(angles.reduce(function (s, a) { return s + Math.sin(a); }, 0),
                                           angles.reduce(function (s, a) { return s + Math.cos(a); }, 0)) : away;
    });
    outer.sort(function (a, b) { return (a.want - b.want) || (a.id < b.id ? -1 : 1); });
    if (outer.length) {
      var r2 = r + BEHIND, at = null;
      var need = outer.reduce(function (s, it) { return s + room(it, it.want); }, 0);
      r2 = Math.max(r2, need / (2 * Math.PI));
      outer.forEach(function (it) {  // each as near its wish as the one before it allows
        var share = room(it, it.want) / r2;
        it.angle = at === null ? it.want : Math.max(it.want, at + share / 2);
        at = it.angle + share / 2;
        it.x = c.x + r2 * Math.cos(it.angle);
        it.y = c.y + r2 * Math.sin(it.angle);
      });
    }
    // nothing on what is there: a node that covers another moves outwards from the centre, a step at a time
    var taken = shown.slice();
    items.forEach(function (it) {
      var dx = it.x - c.x, dy = it.y - c.y, len = Math.hypot(dx, dy);
      if (len > 0) {
        for (var step = 0; step < 400 && taken.some(function (b) { return b.id !== it.id && overlaps(it, b); }); step++) {
          it.x += (dx / len) * 40; it.y += (dy / len) * 40;
        }
      }
      taken.push(it);
    });
    // vis-network draws no label along an edge that runs exactly level from right to left: a new node level with
    // a node it is linked to goes a pixel down
    function stretched(p) { return { x: Math.round(c.x + (p.x - c.x) * sx), y: Math.round(c.y + (p.y - c.y) * sy) }; }
    var where = {}, out = {};
    shown.forEach(function (b) { where[b.id] = b.at || stretched(b); });
    where[originId] = { x: Math.round(c.x), y: Math.round(c.y) };
    items.forEach(function (it) { where[it.id] = out[it.id] = stretched(it); });
    items.forEach(function (it) {
      var p = where[it.id];
      function level() {
        return (links[it.id] || []).some(function (o) { var q = where[o]; return q && q !== p && q.y === p.y; });
      }
      for (var k = 0; it.id !== originId && k < 8 && level(); k++) { p.y += 1; }
    });
    return out;
  }

  // the middle of the widest gap among the directions from c of the nodes shown (radians, in (-pi, pi]; the gap
  // that runs past pi, from the last direction round to the first, included)
  function widestGap(c, others) {
    var angles = others.map(function (b) { return Math.atan2(b.y - c.y, b.x - c.x); })
      .sort(function (a, b) { return a - b; });
    var last = angles[angles.length - 1];
    var size = 2 * Math.PI - (last - angles[0]), middle = last + size / 2;
    for (var i = 1; i < angles.length; i++) {
      if (angles[i] - angles[i - 1] > size) { size = angles[i] - angles[i - 1]; middle = (angles[i] + angles[i - 1]) / 2; }
    }
    return Math.atan2(Math.sin(middle), Math.cos(middle));
  }

  // vis-network's control point of an edge from a to b drawn `type` ("curvedCW" or "curvedCCW") with this roundness
  // (its own formula; the edge is the quadratic curve through it)
  function via(a, b, type, roundness) {
    var o = b.x - a.x, r = a.y - b.y, p = Math.sqrt(o * o + r * r);
    var turn = (type === "curvedCW" ? 0.5 * roundness : -0.5 * roundness) + 0.5;
    var g = (Math.atan2(r, o) + turn * Math.PI) % (2 * Math.PI);
    return { x: a.x + (0.5 * roundness + 0.5) * p * Math.sin(g), y: a.y + (0.5 * roundness + 0.5) * p * Math.cos(g) };
  }
  var BENDS = [null, ["curvedCW", 0.3], ["curvedCCW", 0.3], ["curvedCW", 0.6], ["curvedCCW", 0.6],
               ["curvedCW", 0.9], ["curvedCCW", 0.9]];

  // how vis-network is to draw an edge from a to b ({id, x, y}) so that it passes over no other node's box (boxes:
  // {id, x, y, w, h}): straight where it can, else the least bend that does (or, when none does, that passes over
  // the fewest)
  function bend(a, b, boxes) {
    var best = null, fewest = Infinity;
    for (var k = 0; k < BENDS.length; k++) {
      var c = BENDS[k];
      var v = c ? via(a, b, c[0], c[1]) : { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
      var hits = boxes.filter(function (box) {
        if (box.id === a.id || box.id === b.id) { return false; }
        for (var t = 0.05; t < 0.96; t += 0.05) {
          var x = (1 - t) * (1 - t) * a.x + 2 * (1 - t) * t * v.x + t * t * b.x;
          var y = (1 - t) * (1 - t) * a.y + 2 * (1 - t) * t * v.y + t * t * b.y;
          if (Math.abs(x - box.x) * 2 < box.w && Math.abs(y - box.y) * 2 < box.h) { return true; }
        }
        return false;
      }).length;
      if (hits < fewest) { fewest = hits; best = c; }
      if (hits === 0) { break; }
    }
    return best ? { enabled: true, type: best[0], roundness: best[1] } : { enabled: false };
  }

  window.govtiesPlace = { around: around, size: size, textWidth: textWidth, bend: bend };
})();
