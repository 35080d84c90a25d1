"""Grid blocks for the layered layout: a layer with many nodes (the forty decisions one agency issued) is wrapped
into rows of several nodes side by side, so that the drawing keeps a readable shape instead of a thin strip.

A block stands in its column as one item per row (as wide as the block, as tall as its tallest node plus a lane
above it), so the layout orders and places rows as it does nodes. Above each row runs a lane with one track per
link side of each node: a link leaves its node straight up to its track (a corner), then along the track to the
block's side (its port), where it goes on as any link does. The tracks of links leaving to the right are nearest
the row, the leftmost node's highest; the tracks of links coming from the left above them, the rightmost node's
highest: so a link's way up crosses only tracks, never a node or a label, and the links leaving one row to the right
never cross each other."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

NODE_GAP = 28.0  # as layout.NODE_GAP: the vertical gap between two nodes (here: two rows) of a column
TRACK = 5.0  # between two tracks of a lane
LANE_PAD = 7.0  # between a lane's lowest track and the tops of its row's nodes
CELL_GAP = 26.0  # between two nodes of a row
# a drawing more than WRAP_AT times as tall as wide has its most crowded layer wrapped into one more column, and
# again (WRAP_STEPS at most) while it is more than WRAP_TO times as tall as wide; only a layer of WRAP_FROM nodes
# or more is wrapped, into rows of WRAP_COLUMNS nodes at most, and at least two rows
WRAP_AT, WRAP_TO, WRAP_STEPS, WRAP_FROM, WRAP_COLUMNS = 1.5, 1.0, 8, 8, 8

Size = dict[str, tuple[float, float, float]]  # item -> width, above and below its centre


@dataclass
class Block:
    rank: int  # the block's column (an even rank)
    columns: int
    cell: float  # a cell's width: the block's widest node
    rows: dict[str, list[str]] = field(default_factory=dict)  # row item -> its nodes, left to right
    row_of: dict[str, str] = field(default_factory=dict)  # node -> its row item
    sides: dict[str, set[int]] = field(default_factory=dict)  # node -> the sides its links leave by (-1, +1)

    @property
    def width(self) -> float:
        return self.columns * self.cell + (self.columns - 1) * CELL_GAP

    def offset(self, node: str) -> float:
        """A node's x from the block's centre."""
        j = self.rows[self.row_of[node]].index(node)
        return -self.width / 2 + self.cell / 2 + j * (self.cell + CELL_GAP)


def crowded(nodes: list[str], layer: dict[str, int], wraps: dict[int, int], boxes: Size) -> int | None:
    """The layer whose rows stand tallest (its nodes' heights and gaps over its columns) that can take one more
    column (WRAP_FROM nodes or more, two rows at least, WRAP_COLUMNS nodes a row at most), or None."""
    members: dict[int, list[str]] = defaultdict(list)
    for n in nodes:
        members[layer[n]].append(n)
    best, tallest = None, 0.0
    for i, row in sorted(members.items()):
        columns = wraps.get(i, 1) + 1
        if len(row) < WRAP_FROM or columns > WRAP_COLUMNS or 2 * columns > len(row):
            continue
        height = sum(boxes[n][1] + boxes[n][2] + NODE_GAP for n in row) / (columns - 1)
        if height > tallest:
            best, tallest = i, height
    return best


def wrap(layers: list[list[str]], rank: dict[str, int], wraps: dict[int, int], boxes: Size,
         segments: list[tuple[str, str]], interp: dict[str, tuple[str, str, float]],
         size: Size) -> tuple[list[list[str]], list[tuple[str, str]], dict[str, tuple[str, str, float]], list[Block]]:
    """The ordered layers with each wrapped layer's nodes in rows of `wraps[layer]` (consecutive in the order), each
    row one item; the segments and bends' ends pointing at rows instead of their nodes; the blocks. Adds the rows'
    ranks and sizes to `rank` and `size`."""
    blocks: list[Block] = []
    out = [list(row) for row in layers]
    for layer, columns in sorted(wraps.items()):
        r = 2 * layer
        members = [n for n in layers[r] if n in boxes]
        block = Block(r, columns, max(boxes[n][0] for n in members))
        for k in range(0, len(members), columns):
            row_id = f"row#{r}#{k // columns}"
            block.rows[row_id] = members[k:k + columns]
            for n in block.rows[row_id]:
                block.row_of[n] = row_id
        for a, b in segments:
            if a in block.row_of:
                block.sides.setdefault(a, set()).add(+1)
            if b in block.row_of:
                block.sides.setdefault(b, set()).add(-1)
        items = []
        for item in layers[r]:
            if item not in block.row_of:
                items.append(item)
            elif block.rows[block.row_of[item]][0] == item:  # a row stands where its first node stood
                items.append(block.row_of[item])
        out[r] = items
        for row_id, row in block.rows.items():
            tracks = sum(len(block.sides.get(n, ())) for n in row)
            lane = LANE_PAD + (tracks - 1) * TRACK if tracks else 0.0
            size[row_id] = (block.width, max(boxes[n][1] for n in row) + lane, max(boxes[n][2] for n in row))
            rank[row_id] = r
        blocks.append(block)
    row_of = {n: row for block in blocks for n, row in block.row_of.items()}
    segments = [(row_of.get(a, a), row_of.get(b, b)) for a, b in segments]
    interp = {p: (row_of.get(a, a), row_of.get(b, b), f) for p, (a, b, f) in interp.items()}
    return out, segments, interp, blocks


def place_rows(blocks: list[Block], positions: dict[str, tuple[float, float]], boxes: Size, owner: dict[str, str],
               widths: list[float]) -> dict[tuple[str, int], str]:
    """Each block node's place in its row, and each of its link sides' corner (above it, on its track) and port
    (on its column's side, on that track): the positions of the rows become their nodes'. Returns (node, side) ->
    corner."""
    corners: dict[tuple[str, int], str] = {}
    for block in blocks:
        for row_id, row in block.rows.items():
            x, y = positions.pop(row_id)
            top = y - max(boxes[n][1] for n in row) - LANE_PAD
            outs = [n for n in reversed(row) if +1 in block.sides.get(n, ())]  # nearest the row: the rightmost
            ins = [n for n in row if -1 in block.sides.get(n, ())]  # above them: the leftmost lowest
            tracks = [(n, +1) for n in outs] + [(n, -1) for n in ins]
            for n in row:
                positions[n] = (x + block.offset(n), y)
            for i, (n, side) in enumerate(tracks):
                at = top - i * TRACK
                corner, port = f"{n}^{'<' if side < 0 else '>'}", f"{n}{'<' if side < 0 else '>'}"
                positions[corner] = (positions[n][0], at)
                positions[port] = (x + side * widths[block.rank] / 2, at)
                owner[corner] = owner[port] = n
                corners[(n, side)] = corner
    return corners
