"""Views without a browser: content, safety of the embedded data, neighbourhood caps, paths, graph exports."""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest
from click.testing import CliRunner

from govties.cli.main import main
from govties.graph.duckdb_backend import DuckDBBackend
from govties.loaders import load_dataset
from govties.rules.catalog import catalog
from govties.rules.engine import sweep
from govties.visualize import views
from govties.visualize.page import safe_json

from conftest import DEMO


@pytest.fixture(scope="module")
def demo_backend():
    b = DuckDBBackend()
    b.load(load_dataset(DEMO).tables)
    yield b
    b.close()


def _embedded(html_text: str) -> dict:
    m = re.search(r'<script type="application/json" id="govties-data">(.*?)</script>', html_text, re.S)
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
    categories = {n["category"] for n in data["nodes"]}
    assert {"official", "relative", "company", "decision"} <= categories


def test_finding_view_is_left_to_right_with_dated_edges(demo_backend, tmp_path):
    result = sweep(demo_backend, [catalog()["relative-business"]], lang="en")
    f = result.findings[0]
    view = views.finding(demo_backend, result.findings, f["finding_id"])
    assert view.layout == "hierarchical"
    data = _embedded(views.write_view(view, tmp_path / "f.html").read_text(encoding="utf-8"))
    level = {n["id"]: n["level"] for n in data["nodes"]}
    assert level[f["official_id"]] < level[f["via_id"]] < level[f["org_id"]]
    labels = [e["label"] for e in data["edges"]]
    assert any(re.search(r"\d{4}-\d{2}-\d{2}", label) for label in labels)


def test_around_caps_nodes_and_says_so(demo_backend):
    big = views.neighbourhood(demo_backend, "XO0001", 3, 1000)
    small = views.neighbourhood(demo_backend, "XO0001", 3, 5)
    assert small.graph.number_of_nodes() <= 5 < big.graph.number_of_nodes()
    assert any("node cap 5 reached" in n for n in small.notes)
    assert not any("node cap" in n for n in big.notes)


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
    with pytest.raises(views.ViewError, match="no person, organization or decision with id 'NOPE'"):
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


def test_cli_view_modes(tmp_path):
    runner = CliRunner()
    res = runner.invoke(main, ["view", str(DEMO), "-o", str(tmp_path / "o.html"), "-q"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(main, ["view", str(DEMO), "--around", "XP0003", "--max-nodes", "4", "-o",
                               str(tmp_path / "a.html"), "-q"])
    assert res.exit_code == 0 and "note: node cap 4 reached" in res.output
    res = runner.invoke(main, ["view", str(DEMO), "--around", "X", "--path", "A", "B", "-q"])
    assert res.exit_code == 2 and "choose one of" in res.output
    res = runner.invoke(main, ["report", str(DEMO), "--out", str(tmp_path / "r"), "-q", "--lang", "en"])
    assert res.exit_code == 0, res.output
    report = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert "Ranked officials" in report and "not proof of wrongdoing" in report
    assert 'href="overview.html#' in report and "<svg" in report
    assert (tmp_path / "r" / "overview.html").exists()


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
