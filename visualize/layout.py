"""A layered (Sugiyama-style) left-to-right layout, computed in Python so the page draws it as given (physics off).

Input: boxes (width, height) of the nodes and links between them, each link with the size of its label. Steps:
orient the links (data direction; a `free` link, e.g. kinship, points away from the roots), break cycles, assign
layers by longest path from the roots (then move nodes towards their neighbours), split every link into segments
between adjacent layers, order each layer to reduce crossings (barycentre sweeps, then adjacent swaps), and place
each layer's items at least their half heights plus a gap apart (isotonic regression towards their neighbours).

Nodes sit on even layers (columns) and links' labels on the odd layers between them; a link that spans several
columns passes a bend in each layer between. A link is drawn as a route through ports: every item has a port
on each side of its column, at its height, and the route runs straight through each column (from the left port
to the right port of its item) and diagonally across the gaps between columns. So no segment passes through a
node or a label other than its own, and no label sits on a node or on another label, by construction.
"""

from __future__ import annotations

import random
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from . import grid

NODE_GAP = grid.NODE_GAP  # vertical gap between two nodes of a layer
LABEL_GAP = 8.0  # vertical gap next to a label or a bend
LAYER_PAD = 22.0  # horizontal gap between a layer's widest item and the next layer's
BEND = (2.0, 1.0, 1.0)  # the room of a bend without a label


@dataclass
class Link:
    key: str
    src: str
    dst: str
    label: tuple[float, float, float]  # the room of the label: width, above and below its centre
    free: bool = False  # orient away from the roots instead of src -> dst


@dataclass
class Placement:
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)  # nodes, labels, bends and ports
    chains: dict[str, list[str]] = field(default_factory=dict)  # link key -> its label and bends, src to dst
    label_point: dict[str, str] = field(default_factory=dict)  # link key -> its label's item
    routes: dict[str, list[str]] = field(default_factory=dict)  # link key -> the points it is drawn through
    owner: dict[str, str] = field(default_factory=dict)  # port -> the item it belongs to
    layer: dict[str, int] = field(default_factory=dict)  # node -> its column (0, 1, ...)
    extent: tuple[float, float] = (0.0, 0.0)  # the width and height the nodes and labels take


def layered(boxes: dict[str, tuple[float, float, float]], links: list[Link], roots: Iterable[str] = (),
            order: dict[str, tuple] | None = None, sweeps: int = 24) -> Placement:
    """The placement; a drawing that would stand much taller than wide has its most crowded layers wrapped into
    rows of several nodes (visualize.grid), one more column at a time, until it is about as wide as tall."""
    order = order or {}
    nodes = sorted(boxes, key=lambda n: (order.get(n, ()), n))
    wanted = set(roots)
    links = [link for link in links if link.src != link.dst]
    roots = [r for r in nodes if r in wanted] or _sources(nodes, links)
    arcs = _orient(nodes, links, roots)
    layer = _layers(nodes, arcs, roots)
    wraps: dict[int, int] = {}  # a crowded layer -> how many nodes a row of it holds
    place = _place(nodes, boxes, links, roots, order, sweeps, layer, wraps)
    for _ in range(grid.WRAP_STEPS):
        width, height = place.extent
        if height <= (grid.WRAP_TO if wraps else grid.WRAP_AT) * width:
            break
        crowded = grid.crowded(nodes, layer, wraps, boxes)
        if crowded is None:
            break
        wraps[crowded] = wraps.get(crowded, 1) + 1
        place = _place(nodes, boxes, links, roots, order, sweeps, layer, wraps)
    return place


def _place(nodes: list[str], boxes: dict[str, tuple[float, float, float]], links: list[Link], roots: list[str],
           order: dict[str, tuple], sweeps: int, layer: dict[str, int], wraps: dict[int, int]) -> Placement:
    size: dict[str, tuple[float, float, float]] = dict(boxes)  # width, above, below
    rank: dict[str, int] = {n: 2 * layer[n] for n in nodes}
    segments: list[tuple[str, str]] = []  # (left item, right item)
    ordered: dict[str, tuple] = dict(order)  # the order items are first met in (_walk)
    place = Placement(layer=dict(layer))
    for link in links:
        a, b = (link.src, link.dst) if rank[link.src] <= rank[link.dst] else (link.dst, link.src)
        points = [f"{link.key}#{i}" for i in range(rank[b] - rank[a] - 1)]  # an odd number: nodes on even ranks
        mid = points[(len(points) - 1) // 2]
        for i, p in enumerate(points):
            rank[p] = rank[a] + 1 + i
            size[p] = link.label if p == mid else BEND
        chain = [a, *points, b]
        segments.extend(pairwise(chain))
        if b in order:  # a link's bends and label are met in its far end's order (a decision's date), so that
            ordered.update(dict.fromkeys(points, order[b]))  # parallel links keep their ends' order, earliest on top
        place.chains[link.key] = points if a == link.src else points[::-1]
        place.label_point[link.key] = mid
    interp = _interpolation(links, place, rank)
    layers = _order(nodes, rank, segments, roots, ordered, sweeps)
    layers, segments, interp, blocks = grid.wrap(layers, rank, wraps, boxes, segments, interp, size)
    ys = _ys(layers, size, segments, interp)
    xs, widths = _xs(layers, size)
    place.positions = {item: (xs[rank[item]], ys[item]) for row in layers for item in row}
    corners = grid.place_rows(blocks, place.positions, boxes, place.owner, widths)
    solid = [*nodes, *place.label_point.values()]
    if solid:
        lefts = [place.positions[n][0] - size[n][0] / 2 for n in solid]
        rights = [place.positions[n][0] + size[n][0] / 2 for n in solid]
        tops = [place.positions[n][1] - size[n][1] for n in solid]
        bottoms = [place.positions[n][1] + size[n][2] for n in solid]
        place.extent = (max(rights) - min(lefts), max(bottoms) - min(tops))
    for link in links:
        a, b = (link.src, link.dst) if rank[link.src] <= rank[link.dst] else (link.dst, link.src)
        inner = place.chains[link.key] if a == link.src else place.chains[link.key][::-1]
        route = [a, *([corners[(a, +1)]] if (a, +1) in corners else []), _port(place, a, +1, widths[rank[a]])]
        for p in inner:
            route += [_port(place, p, -1, widths[rank[p]]), _port(place, p, +1, widths[rank[p]])]
        route += [_port(place, b, -1, widths[rank[b]]), *([corners[(b, -1)]] if (b, -1) in corners else []), b]
        place.routes[link.key] = route if a == link.src else route[::-1]
    return place


def _port(place: Placement, item: str, side: int, width: float) -> str:
    """The port on the left (-1) or right (+1) edge of `item`'s column, at its height."""
    port = f"{item}{'<' if side < 0 else '>'}"
    if port not in place.positions:
        x, y = place.positions[item]
        place.positions[port] = (x + side * width / 2, y)
        place.owner[port] = item
    return port


def _sources(nodes: list[str], links: list[Link]) -> list[str]:
    has_in = {link.dst for link in links if not link.free}
    return [n for n in nodes if n not in has_in][:1] or nodes[:1]


def _orient(nodes: list[str], links: list[Link], roots: list[str]) -> list[tuple[str, str]]:
    """Each link as an arc (from, to) for layering: free links from the end nearer a root; then the arcs that
    close a cycle (found by depth-first search from the roots, then the rest) turned round."""
    adj = defaultdict(set)
    for link in links:
        adj[link.src].add(link.dst)
        adj[link.dst].add(link.src)
    dist = {r: 0 for r in roots}
    queue = deque(roots)
    while queue:
        n = queue.popleft()
        for m in sorted(adj[n]):
            if m not in dist:
                dist[m] = dist[n] + 1
                queue.append(m)
    far = len(nodes) + 1
    arcs = []
    for link in links:
        u, v = link.src, link.dst
        if link.free and dist.get(v, far) < dist.get(u, far):
            u, v = v, u
        arcs.append((u, v))
    out = defaultdict(list)
    for u, v in arcs:
        out[u].append(v)
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    back: set[tuple[str, str]] = set()
    for start in [*roots, *nodes]:
        if start in state:
            continue
        stack = [(start, iter(sorted(out[start])))]
        state[start] = 1
        while stack:
            n, it = stack[-1]
            after = next(it, None)
            if after is None:
                state[n] = 2
                stack.pop()
            elif state.get(after) == 1:
                back.add((n, after))
            elif after not in state:
                state[after] = 1
                stack.append((after, iter(sorted(out[after]))))
    return [(v, u) if (u, v) in back else (u, v) for u, v in arcs]


def _layers(nodes: list[str], arcs: list[tuple[str, str]], roots: list[str]) -> dict[str, int]:
    """Longest path from the sources, then every other node moved within the room its neighbours leave towards
    the side where it has more links (shorter links)."""
    preds, succs = defaultdict(set), defaultdict(set)
    for u, v in arcs:
        succs[u].add(v)
        preds[v].add(u)
    layer: dict[str, int] = {}
    indeg = {n: len(preds[n]) for n in nodes}
    queue = deque(n for n in nodes if indeg[n] == 0)
    while queue:
        n = queue.popleft()
        layer[n] = max((layer[p] + 1 for p in preds[n]), default=0)
        for m in sorted(succs[n]):
            indeg[m] -= 1
            if indeg[m] == 0:
                queue.append(m)
    pinned = set(roots)
    for _ in range(4):
        for n in nodes:
            if n in pinned or not (preds[n] or succs[n]):
                continue
            low = max((layer[p] + 1 for p in preds[n]), default=0)
            high = min((layer[s] - 1 for s in succs[n]), default=layer[n] if preds[n] else 10**6)
            if high >= 10**6:  # a source: as close to its successors as they allow
                layer[n] = min(layer[s] for s in succs[n]) - 1
            elif len(succs[n]) > len(preds[n]):
                layer[n] = high
            elif len(preds[n]) > len(succs[n]) or not succs[n]:
                layer[n] = low
    low = min(layer.values(), default=0)
    return {n: layer[n] - low for n in nodes}


def _interpolation(links: list[Link], place: Placement, rank: dict[str, int]) -> dict[str, tuple[str, str, float]]:
    """Each bend's place on the straight line between its link's ends: (left end, right end, fraction)."""
    out = {}
    for link in links:
        a, b = (link.src, link.dst) if rank[link.src] <= rank[link.dst] else (link.dst, link.src)
        points = place.chains[link.key] if a == link.src else place.chains[link.key][::-1]
        span = rank[b] - rank[a]
        for p in points:
            out[p] = (a, b, (rank[p] - rank[a]) / span)
    return out


def _crossings(left: list[str], right: list[str], segments: list[tuple[str, str]]) -> int:
    """How many of `segments` (left item, right item) cross between two adjacent layers."""
    pos_l = {n: i for i, n in enumerate(left)}
    pos_r = {n: i for i, n in enumerate(right)}
    pairs = sorted((pos_l[a], pos_r[b]) for a, b in segments if a in pos_l and b in pos_r)
    return sum(1 for i in range(len(pairs)) for j in range(i + 1, len(pairs))
               if pairs[i][0] < pairs[j][0] and pairs[i][1] > pairs[j][1])


def _order(nodes: list[str], rank: dict[str, int], segments: list[tuple[str, str]], roots: list[str],
           order: dict[str, tuple], sweeps: int) -> list[list[str]]:
    """Items per layer, ordered to reduce crossings: barycentre sweeps (down, up, then towards both sides) from
    several starting orders — a breadth-first walk from the roots, then shuffles with a fixed seed — keeping the
    best, then adjacent swaps while they remove crossings."""
    count = max(rank.values(), default=0) + 1
    nbrs = defaultdict(list)
    for a, b in segments:
        nbrs[a].append(b)
        nbrs[b].append(a)
    pairs = [[(a, b) for a, b in segments if rank[a] == i] for i in range(count)]  # segments leaving layer i

    def crossings(ls: list[list[str]], i: int) -> int:  # between layer i and i + 1
        return _crossings(ls[i], ls[i + 1], pairs[i]) if 0 <= i < count - 1 else 0

    def total(ls: list[list[str]]) -> int:
        return sum(crossings(ls, i) for i in range(count - 1))

    rng = random.Random(7)
    best: list[list[str]] | None = None
    best_count = 0
    for start in range(8):
        layers = _walk(rank, nbrs, roots, order, count)
        if start:
            for row in layers:
                rng.shuffle(row)
        for sweep in range(sweeps):
            down = sweep % 2 == 0
            both = sweep >= sweeps // 2
            for i in (range(1, count) if down else range(count - 2, -1, -1)):
                refs = [layers[j] for j in ((i - 1, i + 1) if both else (i - 1,) if down else (i + 1,))
                        if 0 <= j < count]
                pos = {n: k for ref in refs for k, n in enumerate(ref)}
                current = {n: k for k, n in enumerate(layers[i])}

                def bary(n, pos=pos, current=current):
                    ks = [pos[m] for m in nbrs[n] if m in pos]
                    return (sum(ks) / len(ks) if ks else current[n], current[n])

                layers[i].sort(key=bary)
            now = total(layers)
            if best is None or now < best_count:
                best, best_count = [list(row) for row in layers], now
            if best_count == 0:
                break
        if best_count == 0:
            break
    layers = best or []
    for _ in range(20):
        improved = False
        for i in range(count):
            for k in range(len(layers[i]) - 1):
                before = crossings(layers, i - 1) + crossings(layers, i)
                layers[i][k], layers[i][k + 1] = layers[i][k + 1], layers[i][k]
                if crossings(layers, i - 1) + crossings(layers, i) < before:
                    improved = True
                else:
                    layers[i][k], layers[i][k + 1] = layers[i][k + 1], layers[i][k]
        if not improved:
            break
    return layers


def _walk(rank: dict[str, int], nbrs: dict[str, list[str]], roots: list[str], order: dict[str, tuple],
          count: int) -> list[list[str]]:
    """Items per layer in the order a breadth-first walk from the roots meets them."""
    def key(n: str) -> tuple:
        return (order.get(n, ()), n)

    seen: dict[str, int] = {}
    for start in [*roots, *sorted(rank, key=key)]:
        if start in seen:
            continue
        seen[start] = len(seen)
        queue = deque([start])
        while queue:
            n = queue.popleft()
            for m in sorted(nbrs[n], key=key):
                if m not in seen:
                    seen[m] = len(seen)
                    queue.append(m)
    layers: list[list[str]] = [[] for _ in range(count)]
    for item in sorted(seen, key=seen.__getitem__):
        layers[rank[item]].append(item)
    return layers


def _separations(row: list[str], size: dict[str, tuple[float, float, float]], is_node) -> list[float]:
    seps = []
    for a, b in pairwise(row):
        gap = NODE_GAP if is_node(a) and is_node(b) else LABEL_GAP
        seps.append(size[a][2] + size[b][1] + gap)
    return seps


def _ys(layers: list[list[str]], size: dict[str, tuple[float, float, float]], segments: list[tuple[str, str]],
        interp: dict[str, tuple[str, str, float]]) -> dict[str, float]:
    """Vertical places: each item pulled towards its neighbours (a bend towards the straight line between its
    link's ends), each layer kept in order with its separations (least squares under order constraints)."""
    nbrs = defaultdict(list)
    for a, b in segments:
        nbrs[a].append(b)
        nbrs[b].append(a)
    y: dict[str, float] = {}
    seps = [_separations(row, size, lambda n: n not in interp) for row in layers]
    for row, sep in zip(layers, seps, strict=True):
        acc = 0.0
        for k, item in enumerate(row):
            y[item] = acc
            acc += sep[k] if k < len(sep) else 0
    for sweep in range(60):
        rng = range(len(layers)) if sweep % 2 == 0 else range(len(layers) - 1, -1, -1)
        for i in rng:
            row = layers[i]
            targets = []
            for item in row:
                if item in interp:
                    a, b, f = interp[item]
                    targets.append(y[a] + (y[b] - y[a]) * f)
                elif nbrs[item]:
                    targets.append(sum(y[m] for m in nbrs[item]) / len(nbrs[item]))
                else:
                    targets.append(y[item])
            for item, value in zip(row, _isotonic(targets, seps[i]), strict=True):
                y[item] = value
    return y


def _isotonic(targets: list[float], seps: list[float]) -> list[float]:
    """The y closest to `targets` (least squares) with y[k+1] - y[k] >= seps[k]: pool-adjacent-violators on
    the targets shifted by the running separation."""
    if not targets:  # an empty layer (no separations, one offset)
        return []
    offsets = [0.0]
    for s in seps:
        offsets.append(offsets[-1] + s)
    shifted = [t - o for t, o in zip(targets, offsets, strict=True)]
    blocks: list[tuple[float, float, int]] = []  # (mean, weight, count)
    for v in shifted:
        blocks.append((v, 1.0, 1))
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, w2, c2 = blocks.pop()
            m1, w1, c1 = blocks.pop()
            blocks.append(((m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, c1 + c2))
    out: list[float] = []
    for mean, _, n in blocks:
        out.extend([mean] * n)
    return [z + o for z, o in zip(out, offsets, strict=True)]


def _xs(layers: list[list[str]], size: dict[str, tuple[float, float, float]]) -> tuple[list[float], list[float]]:
    """Each column's centre and width (its widest item)."""
    xs, widths, x, prev = [], [], 0.0, 0.0
    for i, row in enumerate(layers):
        width = max((size[n][0] for n in row), default=0.0)
        if i:
            x += prev / 2 + LAYER_PAD + width / 2
        xs.append(x)
        widths.append(width)
        prev = width
    return xs, widths
