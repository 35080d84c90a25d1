"""The exploration page when an expansion makes its graph busy, in a real Chromium at a laptop's 1366x768 and at
1920x1080 against a real `govties serve` of the demo: the official P0000011 opens whole (42 nodes, as before); a
click on his agency adds what it links to (more nodes than layers hold), and fitted whole every label would be
drawn 8 px tall or less (the wide screen drew it so; the laptop at 0.7, 9.8 px). Now the view opens at a readable
size (12 px) round the agency clicked: its label's ink at least 11 px tall, in view and clear of the notes and of
the bar, no node over another and no edge label over a node or another label; the bar says how many nodes are in
view, fits all of them, and goes back to the agency."""

from __future__ import annotations

import pytest

from busy_support import CENTRES, bar_says, readable
from conftest import DEMO
from govties.visualize.words import say
from test_workbench_explore import BOXES, _apart
from test_workbench_explore_fit import GEOMETRY, _meet
from workbench_support import Server, artifacts, click_node, explore_opened, launch_browser, stored

browser = pytest.fixture(scope="module")(launch_browser)
OVER = ["#explore-notes p", "#extent"]  # what lies over the canvas


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("explore-busy")
    server = Server(stored(DEMO, root / "graph.duckdb", root / "findings.csv")).start()
    try:
        yield {"server": server, "shots": artifacts("workbench-explore-busy")}
    finally:
        server.stop()


def _all_in_view(page) -> bool:
    return all(c["inside"] for c in page.evaluate(CENTRES))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width,height", [(1366, 768), (1920, 1080)])  # a wide screen fitted it whole at 0.56
def test_an_expansion_that_makes_the_graph_busy_shows_the_node_clicked_readable(served, browser, lang, width, height):
    w = explore_opened(browser, served["server"], f"/explore?center=P0000011&lang={lang}", width, height)
    page = w.page
    page.mouse.move(1, 1)
    shown = page.evaluate("window.govtiesExplore.nodes.length")
    assert shown <= page.evaluate("JSON.parse(document.getElementById('explore-data').textContent).readable.crowd")
    assert page.locator("#extent").is_hidden() and _all_in_view(page)  # not busy: whole, as before
    page.screenshot(path=str(served["shots"] / f"opened-{lang}-{width}.png"))
    agency = page.evaluate("""() => window.govtiesExplore.edges.get().find(e => e.from === 'P0000011'
                                                                          && e.kind === 'HOLDS_POST').to""")
    click_node(page, agency)
    page.mouse.move(1, 1)
    page.screenshot(path=str(served["shots"] / f"expanded-{lang}-{width}.png"))
    readable(page, agency, OVER)
    inside, total = bar_says(page, lang)
    assert inside < total and total > shown
    name = page.evaluate("id => window.govtiesExplore.nodes.get(id).name", agency)
    assert page.locator("#back-home").inner_text() == say("back_to", lang, name=name)
    assert _apart(page.evaluate(BOXES)) == []  # no node (label included) over another
    g = page.evaluate(GEOMETRY)  # no edge label over another or over a node (one with no room is left to its tooltip)
    labels = g["labels"]
    assert g["drawn"] and len(labels) >= 6
    assert [(a["edge"], b["edge"]) for i, a in enumerate(labels) for b in labels[i + 1:] if _meet(a, b)] == []
    assert [(a["edge"], b["id"]) for a in labels for b in g["nodes"] if _meet(a, b)] == []
    page.click("#fit-all")
    page.mouse.move(1, 1)
    assert _all_in_view(page) and page.locator("#fit-all").is_disabled()
    assert bar_says(page, lang) == (total, total)
    page.screenshot(path=str(served["shots"] / f"fitted-{lang}-{width}.png"))
    page.click("#back-home")
    page.mouse.move(1, 1)
    readable(page, agency, OVER)
    w.check()
    w.close()
