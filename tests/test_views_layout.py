"""The layered single-finding views, measured in a real Chromium: for a finding of every rule of the catalog, in
Chinese and in English, no two node boxes (labels included) overlap, no edge segment passes through a node or a
label other than its own ends, every edge has one readable label, and everything is inside the canvas. Also the
layout algorithm alone, on graphs the rules do not make (cycles, parallel edges, long chains)."""

from __future__ import annotations

import json
import tomllib
from itertools import combinations, pairwise

import pytest

import test_views_browser
from govties.graph.duckdb_backend import DuckDBBackend
from govties.graph.vocabulary import MAKER_ROLE
from govties.loaders import load_dataset
from govties.rules.catalog import catalog
from govties.rules.engine import sweep
from govties.visualize import views
from govties.visualize.layout import Link, layered

from conftest import DEMO, write_dataset
from test_views_browser import _open

browser = test_views_browser.browser  # the same Chromium fixture

GEOMETRY = """() => {
  const n = window.govtiesNetwork, G = window.govties, el = document.getElementById('graph');
  const nodes = G.nodes.get().filter(x => !x.hidden).map(x => {
    const b = n.getBoundingBox(x.id), p = n.getPositions([x.id])[x.id];
    const tl = n.canvasToDOM({x: b.left, y: b.top}), br = n.canvasToDOM({x: b.right, y: b.bottom});
    return {id: x.id, category: x.category, label: x.label || '', link: x.link || null, owner: x.owner || null,
            x: p.x, y: p.y,
            box: [b.left, b.top, b.right, b.bottom], dom: [tl.x, tl.y, br.x, br.y]};
  });
  const edges = G.edges.get().filter(e => !e.hidden).map(e => ({id: e.id, from: e.from, to: e.to, link: e.link}));
  return {nodes, edges, scale: n.getScale(), width: el.clientWidth, height: el.clientHeight,
          physics: n.physics.physicsEnabled};
}"""


def _overlap(a, b, tol=0.5) -> bool:
    return a[0] < b[2] - tol and b[0] < a[2] - tol and a[1] < b[3] - tol and b[1] < a[3] - tol


def _crosses(p, q, box, tol=1.0) -> bool:
    """Whether segment p-q passes through the box shrunk by `tol` (Liang-Barsky clipping)."""
    x0, y0, x1, y1 = box[0] + tol, box[1] + tol, box[2] - tol, box[3] - tol
    if x0 >= x1 or y0 >= y1:
        return False
    dx, dy = q[0] - p[0], q[1] - p[1]
    lo, hi = 0.0, 1.0
    for d, low, high, start in ((dx, x0, x1, p[0]), (dy, y0, y1, p[1])):
        if d == 0:
            if start < low or start > high:
                return False
            continue
        t1, t2 = (low - start) / d, (high - start) / d
        lo, hi = max(lo, min(t1, t2)), min(hi, max(t1, t2))
        if lo > hi:
            return False
    return True


def check_geometry(geo: dict, whole: bool = True) -> list[str]:
    """Every defect of a layered view's drawing, described (an empty list: none); `whole`: the drawing is small
    enough to be in the canvas whole at a readable size (else whether its nodes are in the canvas is not checked)."""
    problems = []
    assert geo["physics"] is False, "a layered view is drawn where Python placed it"
    boxes = {n["id"]: n for n in geo["nodes"] if n["category"] != "port"}
    for a, b in combinations(boxes.values(), 2):
        if _overlap(a["box"], b["box"]):
            problems.append(f"{a['id']} ({a['label']!r}) overlaps {b['id']} ({b['label']!r})")
    where = {n["id"]: (n["x"], n["y"]) for n in geo["nodes"]}
    owner = {n["id"]: n["owner"] for n in geo["nodes"] if n["owner"]}
    for e in geo["edges"]:
        own = {e["from"], e["to"], owner.get(e["from"]), owner.get(e["to"])}
        for n in boxes.values():
            if n["id"] not in own and _crosses(where[e["from"]], where[e["to"]], n["box"]):
                problems.append(f"edge {e['id']} ({e['from']} -> {e['to']}) passes through {n['id']} ({n['label']!r})")
    for n in boxes.values() if whole else ():
        left, top, right, bottom = n["dom"]
        if left < 0 or top < 0 or right > geo["width"] or bottom > geo["height"]:
            problems.append(f"{n['id']} ({n['label']!r}) is outside the canvas: {n['dom']}")
    labels = {}
    for n in geo["nodes"]:
        if n["category"] == "edge-label":
            labels.setdefault(n["link"], []).append(n["label"])
    for link in {e["link"] for e in geo["edges"]}:
        if len(labels.get(link, [])) != 1 or not labels[link][0].strip():
            problems.append(f"link {link} has labels {labels.get(link)}")
    if geo["scale"] * 12 < 8:
        problems.append(f"edge labels are drawn at {geo['scale'] * 12:.1f} px")
    return problems


def _case_finding(rule, tmp_path):
    """A finding of `rule` from its first positive test case (for a rule the demo does not fire)."""
    for path in rule.cases:
        for i, case in enumerate(tomllib.loads(path.read_text(encoding="utf-8")).get("case", [])):
            if not case.get("expect"):
                continue
            folder = write_dataset(tmp_path / f"{rule.id}-{i}", case["files"])
            b = DuckDBBackend()
            b.load(load_dataset(folder).tables)
            found = sweep(b, [rule], lang="en").findings
            if found:
                return b, found
            b.close()
    raise AssertionError(f"rule {rule.id} has no finding in the demo and no positive case that fires")


@pytest.fixture(scope="module")
def demo():
    b = DuckDBBackend()
    b.load(load_dataset(DEMO).tables)
    yield b
    b.close()


@pytest.mark.parametrize("rule_id", sorted(catalog()))
def test_finding_view_geometry_for_every_rule(browser, demo, tmp_path, rule_id):
    rule = catalog()[rule_id]
    for lang in ("zh", "en"):
        backend, found = demo, [f for f in sweep(demo, [rule], lang=lang).findings]
        if not found:
            backend, found = _case_finding(rule, tmp_path)
        f = found[0]
        view = views.finding(backend, found, f["finding_id"], [rule])
        path = views.write_view(view, tmp_path / f"{rule_id}-{lang}.html", lang=lang)
        page, log = _open(browser, path)
        page.screenshot(path=str(tmp_path / f"{rule_id}-{lang}.png"))
        geo = page.evaluate(GEOMETRY)
        assert log["errors"] == []
        assert check_geometry(geo) == [], f"{rule_id} {lang}: see {tmp_path / f'{rule_id}-{lang}.png'}"
        evidence = json.loads(f["evidence"])
        shown = {n["id"] for n in geo["nodes"] if n["category"] not in ("port", "edge-label")}
        assert shown == {n["id"] for n in evidence["nodes"]}
        page.close()


def test_self_dealing_view_shows_the_approval(browser, demo, tmp_path):
    """The finding is that the official approved a decision for their own company: the approval is an arrow
    from the official to the decision with the maker's role as its label, left to right."""
    rule = catalog()["self-dealing"]
    f = sweep(demo, [rule], lang="zh").findings[0]
    decided = [e for e in json.loads(f["evidence"])["edges"] if e["type"] == "DECIDED"]
    path = views.write_view(views.finding(demo, [f], f["finding_id"], [rule]), tmp_path / "sd.html", lang="zh")
    page, _ = _open(browser, path)
    page.screenshot(path=str(tmp_path / "self-dealing.png"))
    geo = page.evaluate(GEOMETRY)
    where = {n["id"]: n for n in geo["nodes"]}
    ends: dict[str, set] = {}
    for x in geo["edges"]:
        ends.setdefault(x["link"], set()).update((x["from"], x["to"]))
    assert decided
    for e in decided:
        link = next(k for k, s in ends.items() if {e["src"], e["dst"]} <= s)
        label = next(n for n in geo["nodes"] if n["category"] == "edge-label" and n["link"] == link)
        assert MAKER_ROLE.label(e["label"], "zh") in label["label"]
        assert where[e["src"]]["x"] < label["x"] < where[e["dst"]]["x"]
        arrow = page.evaluate(f"window.govties.edges.get().filter(x => x.link === '{link}' && x.to === "
                              f"'{e['dst']}').map(x => x.arrows)")
        assert arrow == ["to"]


def test_a_small_neighbourhood_is_laid_out_in_layers_from_its_entity(browser, demo, tmp_path):
    """`view --around` of an official with a dozen decisions, relatives and colleagues: left to right from the
    official, nothing overlapping and every edge labelled (as a finding's view); drawn folded it settles by physics
    instead (its decisions fold behind weighted edges)."""
    result = sweep(demo, list(catalog().values()), lang="zh")
    view = views.neighbourhood(demo, "XP0003", 2, 300, result.findings, list(catalog().values()))
    assert view.layout == "layered" and 12 <= view.graph.number_of_nodes() <= views.LAYERED_UP_TO
    path = views.write_view(view, tmp_path / "around.html", lang="zh")
    page, log = _open(browser, path)
    page.screenshot(path=str(tmp_path / "around.png"))
    geo = page.evaluate(GEOMETRY)
    assert log["errors"] == [] and not geo["physics"]
    # its fifteen decisions and relatives stand in a block of rows (visualize.grid), not in one column ten times as
    # tall as the drawing is wide: the whole neighbourhood is in the canvas at a readable size
    assert check_geometry(geo, whole=True) == [], f"see {tmp_path / 'around.png'}"
    drawn = {n["id"]: n for n in geo["nodes"] if n["category"] not in ("port", "edge-label")}
    assert drawn["XP0003"]["x"] == min(n["x"] for n in drawn.values())  # the entity explored is the first column
    boxes = [n["dom"] for n in geo["nodes"]]  # and the drawing fills the canvas across or down: no empty half
    assert (min(d[0] for d in boxes) <= 40 and max(d[2] for d in boxes) >= geo["width"] - 40) or \
           (min(d[1] for d in boxes) <= 40 and max(d[3] for d in boxes) >= geo["height"] - 40)
    assert views.neighbourhood(demo, "XP0003", 2, 300, fold=True).layout == "physics"
    page.close()


def _python_check(place, boxes, links):
    """The layout's own promise, in its own coordinates: no overlaps, no segment through a box."""
    sizes = dict(boxes) | {place.label_point[link.key]: link.label for link in links}
    solid = {}
    for item, (w, up, down) in sizes.items():
        x, y = place.positions[item]
        solid[item] = (x - w / 2, y - up, x + w / 2, y + down)
    for (a, ra), (b, rb) in combinations(solid.items(), 2):
        assert not _overlap(ra, rb), (a, b)
    for link in links:
        route = place.routes[link.key]
        assert route[0] == link.src and route[-1] == link.dst
        for p, q in pairwise(route):
            own = {p, q, place.owner.get(p), place.owner.get(q)}
            for k, r in solid.items():
                if k not in own:
                    assert not _crosses(place.positions[p], place.positions[q], r), (link.key, p, q, k)


def test_layout_handles_cycles_parallel_links_and_chains():
    links = [Link("kin", "R", "P", (60, 10, 10), free=True),  # stated from the relative's side
             Link("ab", "A", "B", (80, 10, 10)), Link("ba", "B", "A", (80, 10, 10)),  # cross-shareholding
             Link("pa", "P", "A", (70, 10, 10)), Link("rb", "R", "B", (70, 10, 10)),
             Link("bc", "B", "C", (50, 10, 10)), Link("cd", "C", "D", (50, 10, 10)),
             Link("pd", "P", "D", (120, 17, 17)), Link("px", "P", "X", (40, 10, 10))]
    boxes = {n: (90.0, 20.0, 30.0) for n in ("P", "R", "A", "B", "C", "D", "X")}
    place = layered(boxes, links, roots=["P"])
    assert place.layer["P"] == 0 < place.layer["R"]  # the official stays leftmost, kinship points away from it
    assert place.layer["C"] < place.layer["D"]
    xs = {n: place.positions[n][0] for n in boxes}
    assert all((xs[a] < xs[b]) == (place.layer[a] < place.layer[b]) for a in boxes for b in boxes)
    _python_check(place, boxes, links)
    again = layered(boxes, list(reversed(links)), roots=["P"])
    assert {k: tuple(round(v, 6) for v in p) for k, p in again.positions.items()} == \
           {k: tuple(round(v, 6) for v in p) for k, p in layered(boxes, list(reversed(links)), roots=["P"])
            .positions.items()}, "the same input gives the same drawing"


def test_layout_fan_out_keeps_labels_apart():
    boxes = {"P": (40.0, 20.0, 34.0), "C": (130.0, 18.0, 18.0)} | {f"D{i}": (130.0, 16.0, 44.0) for i in range(9)}
    links = [Link(f"d{i}", "P", f"D{i}", (70, 9, 9)) for i in range(9)]
    links += [Link(f"b{i}", f"D{i}", "C", (40, 9, 9)) for i in range(9)]
    place = layered(boxes, links, roots=["P"])
    _python_check(place, boxes, links)


def test_tiny_dataset_with_two_roles_in_one_company(browser, tmp_path):
    """Two edges between the same two nodes are one link with both labels, not two lines drawn on each other."""
    files = {"people.csv": "person_id,name\nP1,张强\n",
             "organizations.csv": "org_id,name,kind\nA1,县发改局,agency\nC1,恒通贸易有限公司,company\n",
             "positions.csv": "person_id,org_id,title,rank,start_date\nP1,A1,局长,division,2010-01-01\n",
             "company_roles.csv": "holder_id,org_id,role,share,start_date\nP1,C1,legal_rep,,2015-01-01\n"
                                  "P1,C1,shareholder,0.5,2015-01-01\n",
             "decisions.csv": "decision_id,kind,date,agency_id,beneficiary_id,amount\n"
                              "D1,subsidy,2019-03-01,A1,C1,50000\nD2,contract,2019-05-01,A1,C1,900000\n",
             "decision_makers.csv": "decision_id,person_id,role\nD1,P1,approver\nD2,P1,signer\n"}
    b = DuckDBBackend()
    b.load(load_dataset(write_dataset(tmp_path / "two", files)).tables)
    found = sweep(b, [catalog()["self-dealing"]], lang="en").findings
    assert found
    f = found[0]
    path = views.write_view(views.finding(b, found, f["finding_id"]), tmp_path / "two.html", lang="en")
    page, _ = _open(browser, path)
    page.screenshot(path=str(tmp_path / "two-roles.png"))
    geo = page.evaluate(GEOMETRY)
    assert check_geometry(geo) == []
    roles = [e for e in json.loads(f["evidence"])["edges"] if e["type"] == "HOLDS_ROLE"]
    if len(roles) > 1:
        labels = [n["label"] for n in geo["nodes"] if n["category"] == "edge-label"]
        assert sum("legal representative" in x and "shareholder" in x for x in labels) == 1, labels
