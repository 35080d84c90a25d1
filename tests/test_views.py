"""Views without a browser: content, safety of the embedded data, neighbourhood caps, paths, graph exports."""

from __future__ import annotations

import html
import json
import re

import networkx as nx
import pytest
from click.testing import CliRunner
from conftest import DEMO, write_dataset
from govties.cli.main import main
from govties.graph.duckdb_backend import DuckDBBackend
from govties.loaders import load_dataset
from govties.rules.catalog import catalog
from govties.rules.engine import sweep
from govties.visualize import views
from govties.visualize.page import safe_json


@pytest.fixture(scope="module")
def demo_backend():
    b = DuckDBBackend()
    b.load(load_dataset(DEMO).tables)
    yield b
    b.close()


def _embedded(html_text: str) -> dict:
    m = re.search(r'<script type="application/json" id="govties-data">(.*?)</script>', html_text, re.DOTALL)
    return json.loads(m.group(1))


def test_safe_json_cannot_close_the_script():
    text = safe_json({"name": "</script><script>alert(1)</script>", "amp": "a&b"})
    assert "</script>" not in text and "<" not in text and "&" not in text
    assert json.loads(text) == {"name": "</script><script>alert(1)</script>", "amp": "a&b"}


def test_page_is_self_contained(demo_backend, tmp_path):
    result = sweep(demo_backend, list(catalog().values()))
    path = views.write_view(views.overview(demo_backend, result.findings), tmp_path / "v.html")
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|@import|url\(\s*['\"]?https?:", text)
    assert "Microsoft YaHei" in text and "Noto Sans CJK SC" in text
    data = _embedded(text)
    assert len(data["findings"]) == len(result.findings)
    assert "pyvis" not in text
    categories = {n["category"] for n in data["nodes"]}
    assert {"official", "relative", "company", "decision"} <= categories


def test_finding_view_is_left_to_right_with_dated_edges(demo_backend, tmp_path):
    result = sweep(demo_backend, [catalog()["relative-business"]], lang="en")
    f = result.findings[0]
    view = views.finding(demo_backend, result.findings, f["finding_id"])
    assert view.layout == "layered"
    data = _embedded(views.write_view(view, tmp_path / "f.html", lang="en").read_text(encoding="utf-8"))
    x = {n["id"]: n["x"] for n in data["nodes"]}
    assert x[f["official_id"]] < x[f["via_id"]] < x[f["org_id"]]
    assert all(n["fixed"] for n in data["nodes"])
    labels = [n["label"] for n in data["nodes"] if n["category"] == "edge-label"]
    assert any(re.search(r"\d{4}-\d{2}-\d{2}", label) for label in labels)


def test_a_findings_parallel_decisions_are_drawn_in_date_order(demo_backend, tmp_path):
    """An official's decisions for one company, one above the other: earliest on top (they were rotated by the
    order of their links' ids: Jan, Jun, Jul, Feb ...)."""
    result = sweep(demo_backend, [catalog()["decision-concentration"]], lang="en")
    f = max(result.findings, key=lambda f: len(f["decision_ids"].split(";")))
    assert len(f["decision_ids"].split(";")) >= 5
    data = _embedded(views.write_view(views.finding(demo_backend, result.findings, f["finding_id"]),
                                      tmp_path / "f.html", lang="en").read_text(encoding="utf-8"))
    dates = {r["decision_id"]: r["d"]
             for r in demo_backend.run("SELECT decision_id, CAST(date AS VARCHAR) AS d FROM decision", {})}
    drawn = sorted((n["y"], n["id"]) for n in data["nodes"] if n["id"] in f["decision_ids"].split(";"))
    assert [dates[i] for _, i in drawn] == sorted(dates[i] for _, i in drawn)


def test_around_caps_nodes_and_says_so(demo_backend):
    big = views.neighbourhood(demo_backend, "XO0001", 3, 1000)
    small = views.neighbourhood(demo_backend, "XO0001", 3, 5)
    assert small.graph.number_of_nodes() <= 5 < big.graph.number_of_nodes()
    assert any("Node cap 5 reached" in n for n in small.note_texts("en"))
    assert any("已达节点上限5" in n for n in small.note_texts("zh"))
    assert not any("Node cap" in n for n in big.note_texts("en"))


def test_a_capped_neighbourhood_shows_an_agencys_officials_before_its_decisions(demo_backend):
    agency = "XO0001"
    holders = {e["src"] for e in demo_backend.edges_of([agency]) if e["type"] == "HOLDS_POST"}
    decisions = [e for e in demo_backend.edges_of([agency]) if e["type"] == "ISSUED_BY"]
    cap = len(holders) + 3
    assert holders and len(decisions) > cap  # the cap fills before every decision is in
    small = views.neighbourhood(demo_backend, agency, 1, cap)
    assert holders <= set(small.graph.nodes)


def test_paths_between_official_and_company(demo_backend):
    view = views.connections(demo_backend, "XP0032", "XO0036", 4, 3, 5000)  # 钱文军 .. the land company
    assert view.findings, view.notes
    first = view.findings[0]["nodes"]
    assert first[0] == "XP0032" and first[-1] == "XO0036" and len(first) - 1 <= 4
    g = view.graph.to_undirected()
    assert nx.has_path(g, "XP0032", "XO0036")
    for u, v, d in view.graph.edges(data=True):
        if d["type"] in ("HOLDS_ROLE", "DECIDED", "BENEFITS"):
            assert d["start"], f"edge {u}->{v} has no date"


def test_unknown_ids_are_clear_errors(demo_backend):
    with pytest.raises(views.ViewError, match="no person, organization or decision with id or name 'NOPE'"):
        views.neighbourhood(demo_backend, "NOPE", 2, 10)
    with pytest.raises(views.ViewError, match="no finding 'abc'"):
        views.finding(demo_backend, [], "abc")


@pytest.mark.parametrize("suffix", ["gexf", "graphml"])
def test_graph_exports(demo_backend, tmp_path, suffix):
    view = views.neighbourhood(demo_backend, "XP0003", 2, 100)
    path = views.write_view(view, tmp_path / f"g.{suffix}")
    g = nx.read_gexf(path) if suffix == "gexf" else nx.read_graphml(path)
    assert g.number_of_nodes() == view.graph.number_of_nodes()
    assert g.nodes["XP0003"]["name"] == "周国平"
    # what Gephi and yEd show on a node is its name; the id stays an attribute
    assert g.nodes["XP0003"]["label"] == "周国平" and g.nodes["XP0003"]["entity_id"] == "XP0003"
    assert all(d["label"] == d["name"] for _, d in g.nodes(data=True))
    # GEXF's reserved edge attributes (type, start, end) are not the data's: those travel under other names
    assert {d["edge_type"] for _, _, d in g.edges(data=True)} <= {"HOLDS_POST", "RELATIVE_OF", "HOLDS_ROLE",
                                                                  "DECIDED", "BENEFITS", "ISSUED_BY", "BID"}
    if suffix == "gexf":
        assert 'type="HOLDS' not in path.read_text(encoding="utf-8")
    # what the graph knows of each node travels with it: a decision's date and amount (a number), a birth date
    decision = g.nodes["XD0006"]
    assert decision["date"] == "2021-04-10" and isinstance(decision["amount"], float) and decision["amount"] == 3500000
    assert decision["agency_name"] == "省住房和城乡建设厅" and g.nodes["XP0003"]["birth_date"] == "1965-03-12"
    assert "id" not in decision and "decision_id" not in decision  # the id once: the node's and entity_id
    shares = [d["share"] for _, _, d in g.edges(data=True) if "share" in d]
    assert shares and all(isinstance(v, float) for v in shares)  # a number where there is one, else none
    # an edge's id is its key in both formats (its ends, kind, label and date), and no networkx_key repeats it
    text = path.read_text(encoding="utf-8")
    keys = {k for _, _, k in view.graph.edges(keys=True)}
    ids = set(re.findall(r'<edge [^>]*\bid="([^"]+)"', text))
    assert ids == {html.escape(k) for k in keys} and len(ids) == view.graph.number_of_edges()
    assert "networkx_key" not in text


@pytest.mark.parametrize("suffix", ["gexf", "graphml"])
def test_a_files_own_columns_travel_with_its_nodes(tmp_path, suffix):
    """Columns the contract does not name are the investigator's own notes: exported under their names, or as
    props.NAME where govties reserves the name (a person's `kind`), never over the model's."""
    data = write_dataset(tmp_path / "d", {
        "people.csv": "person_id,name,kind,badge\nP1,甲,线人,7\nP2,乙,,\n",
        "organizations.csv": "org_id,name,kind,legal_rep_note,viz,pid,start\nC1,一公司,company,老王,v,P1,2020\n",
        "company_roles.csv": "holder_id,org_id,role\nP1,C1,director\nP2,C1,director\n"})
    out = tmp_path / f"a.{suffix}"
    res = CliRunner().invoke(main, ["view", str(data), "--around", "P1", "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    g = nx.read_gexf(out) if suffix == "gexf" else nx.read_graphml(out)
    assert g.nodes["C1"]["legal_rep_note"] == "老王" and g.nodes["C1"]["kind"] == "company"
    # names the file format reads as its own (a GEXF node's viz, pid, start) travel as props.NAME, data as data
    assert [g.nodes["C1"][f"props.{k}"] for k in ("viz", "pid", "start")] == ["v", "P1", "2020"]
    assert "timeformat" not in out.read_text(encoding="utf-8")  # no dynamic graph made of a column named start
    assert g.nodes["P1"]["props.kind"] == "线人" and g.nodes["P1"]["badge"] == "7"
    assert "kind" not in g.nodes["P1"] and "badge" not in g.nodes["P2"]  # an empty cell is left out


def test_the_whole_graph_exported_carries_each_node_and_folds_with_amounts(tmp_path):
    res = CliRunner().invoke(main, ["view", str(DEMO), "--all", "--fold", "-o", str(tmp_path / "all.gexf"), "-q"])
    assert res.exit_code == 0, res.output
    g = nx.read_gexf(tmp_path / "all.gexf")
    assert g.nodes["XP0003"]["birth_date"] == "1965-03-12" and g.nodes["XO0005"]["kind"] == "company"
    folded = [d for _, _, d in g.edges(data=True) if d["edge_type"] == "DECISIONS"]
    assert folded and sum(d["amount"] for d in folded) > 0  # the decisions' amounts added up, not 0


def test_cli_view_modes(tmp_path):
    runner = CliRunner()
    res = runner.invoke(main, ["view", str(DEMO), "-o", str(tmp_path / "o.html"), "-q"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(main, ["view", str(DEMO), "--around", "XP0003", "--max-nodes", "4", "-o",
                               str(tmp_path / "a.html"), "-q", "--lang", "en"])
    assert res.exit_code == 0 and "note: Node cap 4 reached" in res.output
    res = runner.invoke(main, ["view", str(DEMO), "--path", "XP0003", "XO0005", "--max-nodes", "6", "-o",
                               str(tmp_path / "p.html"), "-q", "--lang", "en"])  # both ends' searches: one note
    notes = [line for line in res.output.splitlines() if line.startswith("note: ")]
    assert res.exit_code == 0 and len([n for n in notes if "Node cap 6 reached while searching:" in n]) \
        == 1 and not [n for n in notes if n.startswith("note: Node cap 6 reached:")], res.output
    res = runner.invoke(main, ["view", str(DEMO), "--around", "X", "--path", "A", "B", "-q"])
    assert res.exit_code == 2 and "choose one of" in res.output
    res = runner.invoke(main, ["report", str(DEMO), "--out", str(tmp_path / "r"), "-q", "--lang", "en"])
    assert res.exit_code == 0, res.output
    report = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert "Officials ranked" in report and "not proof of wrongdoing" in report
    assert 'href="overview.html#' in report and "<svg" in report
    assert (tmp_path / "r" / "overview.html").exists()


def test_the_path_cap_note_counts_each_edge_left_out_once(tmp_path):
    """P1 directs C1, C2, C3; P2 directs C1. With 3 nodes at most, P1's search (2 steps) leaves out P1-C3 and
    C1-P2, P2's (3 steps) P1-C2 and P1-C3: of these only P1-C3 is followed by neither search, so one edge is
    left out (the sum of the two searches' counts was 4)."""
    data = write_dataset(tmp_path / "d", {
        "people.csv": "person_id,name\nP1,甲\nP2,乙\n",
        "organizations.csv": "org_id,name,kind\nC1,一公司,company\nC2,二公司,company\nC3,三公司,company\n",
        "company_roles.csv": "holder_id,org_id,role\nP1,C1,director\nP1,C2,director\nP1,C3,director\n"
                             "P2,C1,director\n"})
    res = CliRunner().invoke(main, ["view", str(data), "--path", "P1", "P2", "--hops", "4", "--max-nodes", "3",
                                    "-o", str(tmp_path / "p.html"), "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "note: Node cap 3 reached while searching: 1 edge not followed, and a path through what was left out " \
           "may be missing" in res.output
    assert "note: 1 path of at most 4 steps between 甲 (P1) and 乙 (P2)" in res.output
    res = CliRunner().invoke(main, ["view", str(data), "--path", "P1", "P2", "--hops", "4", "--max-nodes", "3",
                                    "-o", str(tmp_path / "p.html"), "--lang", "zh"])
    assert res.exit_code == 0, res.output
    notes = [line for line in res.output.splitlines() if line.startswith("注意：")]  # headed as the notes are said
    assert len(notes) == 2 and not [line for line in res.output.splitlines() if line.startswith("note:")]


def test_whole_graph_export(tmp_path):
    res = CliRunner().invoke(main, ["view", str(DEMO), "--all", "-o", str(tmp_path / "all.graphml"), "-q"])
    assert res.exit_code == 0, res.output
    g = nx.read_graphml(tmp_path / "all.graphml")
    ds = load_dataset(DEMO)
    assert g.number_of_nodes() == len(ds.tables["person"]) + len(ds.tables["org"]) + len(ds.tables["decision"])
    assert g.number_of_edges() >= len(ds.tables["role"]) + len(ds.tables["post"])
    res = CliRunner().invoke(main, ["view", str(DEMO), "--all", "-o", str(tmp_path / "all.html"), "-q"])
    assert res.exit_code == 2 and ".gexf or .graphml" in res.output


def test_any_id_of_a_merged_person_opens_the_person(demo_backend):
    # XP0013 is the registry's record of 周晓 (15-digit ID), merged into XP0012 by entity resolution
    view = views.neighbourhood(demo_backend, "XP0013", 1, 50)
    assert "XP0012" in view.graph and view.graph.nodes["XP0012"]["name"] == "周晓"
    assert demo_backend.canonical("XP0013") == "XP0012" and demo_backend.canonical("nope") is None


@pytest.mark.parametrize("name", ["v.png", "v.svg", "v", "v.html.txt"])
def test_view_refuses_an_extension_it_cannot_write(tmp_path, name):
    res = CliRunner().invoke(main, ["view", str(DEMO), "-o", str(tmp_path / name), "-q"])
    assert res.exit_code == 2, res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and ".html" in lines[0] and ".gexf" in lines[0] and ".graphml" in lines[0]
    assert name in lines[0]
    assert not (tmp_path / name).exists()
    with pytest.raises(views.ViewError, match="name it .html"):
        views.output_format(tmp_path / name)


def test_around_takes_a_name_and_lists_an_ambiguous_one(tmp_path):
    runner = CliRunner()
    out = tmp_path / "a.html"
    res = runner.invoke(main, ["view", str(DEMO), "--around", "志强物流有限公司", "-o", str(out), "-q", "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "is 志强物流有限公司 (XO0033)" in res.output
    assert _embedded(out.read_text(encoding="utf-8"))["nodes"]
    # two people are called 孙志强: list both (id, type, name, what tells them apart) and ask for an id
    res = runner.invoke(main, ["view", str(DEMO), "--around", "孙志强", "-o", str(tmp_path / "b.html"), "-q"])
    assert res.exit_code == 2, res.output
    assert "'孙志强' matches 2 entities" in res.output and "give one of these ids with --around" in res.output
    rows = [ln.split("\t") for ln in res.output.splitlines() if ln.startswith("  ")]
    assert sorted(r[0].strip() for r in rows) == ["XP0032", "XP0035"]
    assert all(r[1] == "person" and r[2] == "孙志强" and r[3] for r in rows)
    assert len({r[3] for r in rows}) == 2, "the detail tells the two apart"
    assert not (tmp_path / "b.html").exists()
    res = runner.invoke(main, ["view", str(DEMO), "--around", "无此人", "-o", str(tmp_path / "c.html"), "-q"])
    assert res.exit_code == 2 and "no person, organization or decision with id or name '无此人'" in res.output


def test_a_path_whose_two_ends_are_both_wrong_is_refused_naming_both(tmp_path):
    """A path's two ends each wrong (a name two people share, a name found nowhere, a resident ID its check digit
    refutes): one refusal says both, each name's candidates listed, so the reader fixes both ends in one round (the
    end found nowhere was said alone, the other's candidates on the next try)."""
    runner = CliRunner()
    rows = {"孙志强": ["XP0032", "XP0035"], "周晓": ["XP0012", "XP0019"]}
    for a, b, said in (("孙志强", "无此人", "and no person, organization or decision with id or name '无此人'"),
                       ("110105194912310021", "周晓", "and '110105194912310021' is not a valid resident ID: the "
                                                     "check digit is wrong"),
                       ("孙志强", "周晓", "'周晓' matches 2 entities")):
        res = runner.invoke(main, ["view", str(DEMO), "--path", a, b, "-o", str(tmp_path / "p.html"), "-q"])
        assert res.exit_code == 2, res.output
        lines = res.output.split("\nerror: ")[-1].splitlines()  # after the data's warnings
        named = [n for n in (a, b) if n in rows]
        assert lines[0] == f"'{named[0]}' matches 2 entities; give one of these ids with --path:"
        listed = [ln.split("\t")[0].strip() for ln in lines if ln.startswith("  ")]
        assert listed == [i for n in named for i in rows[n]], res.output
        assert said in res.output
    res = runner.invoke(main, ["view", str(DEMO), "--path", "孙志强", "孙志强", "-o", str(tmp_path / "p.html"), "-q"])
    assert res.exit_code == 2 and res.output.count("'孙志强' matches 2 entities") == 1, res.output  # said once
    res = runner.invoke(main, ["view", str(DEMO), "--path", "无此人", "无此人", "-o", str(tmp_path / "p.html"), "-q"])
    assert res.exit_code == 2 and res.output.count("'无此人'") == 1, res.output
    assert not (tmp_path / "p.html").exists()


def test_around_lists_the_nodes_findings(demo_backend):
    result = sweep(demo_backend, list(catalog().values()), lang="en")
    view = views.neighbourhood(demo_backend, "XP0032", 1, 100, result.findings, catalog().values())
    mine = {f["finding_id"] for f in result.findings if "XP0032" in f["evidence"]}
    assert mine and {f["finding_id"] for f in view.findings} == mine
    for f in view.findings:  # each listed finding's evidence is in the drawing
        assert set(f["nodes"]) <= set(view.graph.nodes)


def test_fold_decisions_into_weighted_edges(demo_backend, tmp_path):
    from govties.visualize.fold import fold, foldable, folded_edges

    view = views.neighbourhood(demo_backend, "XO0002", 2, 300)
    g = view.graph
    decisions = foldable(g)
    assert len(decisions) > 10
    folded = folded_edges(g)
    issued = [d for _, _, _, d in folded if d["type"] == "DECISIONS"]
    assert sum(d["weight"] for d in issued) == len(decisions)
    for u, v, _, d in folded:
        if d["type"] == "DECISIONS":
            assert all(decisions[x] == (u, v) for x in d["decisions"])
            amounts = [g.nodes[x]["details"]["amount"] or 0 for x in d["decisions"]]
            assert d["amount"] == pytest.approx(sum(amounts))
    small = fold(g)
    assert not set(decisions) & set(small.nodes)
    assert small.number_of_nodes() == g.number_of_nodes() - len(decisions)
    # the page carries both drawings: the folded one hides the decisions and shows the weighted edges
    data = _embedded(views.write_view(view, tmp_path / "f.html", fold=True).read_text(encoding="utf-8"))
    assert data["fold"]["on"] is True and sorted(data["fold"]["decisions"]) == sorted(decisions)
    weighted = [e for e in data["edges"] if e.get("folded")]
    assert len(weighted) == len(folded) and max(e["width"] for e in weighted) > 1
    res = CliRunner().invoke(main, ["view", str(DEMO), "--around", "XO0002", "--hops", "2", "--fold", "-o",
                                    str(tmp_path / "f.gexf"), "-q"])
    assert res.exit_code == 0, res.output
    gx = nx.read_gexf(tmp_path / "f.gexf")
    assert not set(decisions) & set(gx.nodes)
    assert f"({gx.number_of_nodes()} nodes, {gx.number_of_edges()} edges, decisions folded)" in res.output
    assert sum(int(d["weight"]) for _, _, d in gx.edges(data=True) if d["edge_type"] == "DECISIONS") == len(decisions)
    res = CliRunner().invoke(main, ["view", str(DEMO), "--fold", "-o", str(tmp_path / "o.html"), "-q"])
    assert res.exit_code == 2 and "--fold applies to --around and --all" in res.output


def test_path_ends_may_be_names(demo_backend):
    view = views.connections(demo_backend, "志强物流有限公司", "XP0032", 2, 1, 5000)
    assert view.findings[0]["nodes"][0] == "XO0033" and view.findings[0]["nodes"][-1] == "XP0032"
    assert any("志强物流有限公司" in n and "XO0033" in n for n in view.note_texts("en"))
    with pytest.raises(views.AmbiguousName) as caught:
        views.connections(demo_backend, "孙志强", "XO0033", 2, 1, 5000)
    assert "give one of these ids with --path" in str(caught.value)
    assert {m["id"] for m in caught.value.matches} == {"XP0032", "XP0035"}
    said = [(m["detail"], m["detail_zh"]) for m in caught.value.matches]  # what tells them apart, in both languages
    assert len({en for en, _ in said}) == len({zh for _, zh in said}) == 2
    assert all(zh and not zh.isascii() and "born" not in zh for _, zh in said), said


def test_thinned_labels_leave_each_hub_one_of_its_kind():
    """Edges between two hubs belong to a bunch at each end: each bunch still keeps a label, and no more than one
    edge of a bunch keeps one of its own choosing."""
    from collections import defaultdict

    from govties.visualize.draw import HUB_LABELS, _thin_labels

    hubs, n = ["X", "Y"], HUB_LABELS + 3
    edges = [{"id": f"{a}-{i}", "from": a, "to": f"{b}{i}", "label": "issued by"}
             for a, b in (("X", "x"), ("Y", "y")) for i in range(n)]
    edges += [{"id": f"X=Y{i}", "from": "X", "to": "Y", "label": "issued by"} for i in range(n)]  # hub to hub
    _thin_labels(edges)
    shown = defaultdict(int)
    for e in edges:
        if e["label"]:
            for end in (e["from"], e["to"]):
                shown[end] += 1
        else:
            assert e["full"] == "issued by"
    assert all(1 <= shown[h] <= 2 for h in hubs), dict(shown)


def test_a_neighbourhood_too_big_for_layers_says_fewer_hops_would_draw_fewer(demo_backend):
    """Around the development commission, two hops reach more nodes than layers hold: drawn by forces, with a note
    naming the hops that would draw fewer; one hop is drawn in layers, with no such note."""
    wide = views.neighbourhood(demo_backend, "XO0002", 2, 100)
    assert wide.graph.number_of_nodes() > views.LAYERED_UP_TO and wide.layout == "physics"
    assert wide.note_texts("en") == [f"{wide.graph.number_of_nodes()} nodes: more than layers hold "
                                     f"({views.LAYERED_UP_TO}), so drawn by forces; --hops 1 draws fewer"]
    near = views.neighbourhood(demo_backend, "XO0002", 1, 100)
    assert near.layout == "layered" and near.note_texts("en") == []
