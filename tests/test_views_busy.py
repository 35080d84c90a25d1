"""A busy neighbourhood as it opens, in a real Chromium at a laptop's 1366x768: `view --around P0000011 --hops 2` on
the demo draws 301 nodes by forces (the official, his agencies and some 250 decisions). Fitted whole, every label
was 3 to 4 px tall and the official could not be found. Now it opens at a readable size round him: his label's ink
is at least 11 px tall and in view, clear of the legend, the notes and the bar; the people and organizations
linked to him that are in view are labelled as readably; no label covers another; the bar says how many of the
nodes are in view, fits all of them and goes back. A small neighbourhood opens whole, as before."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

import test_views_browser
from conftest import DEMO
from govties.cli.main import main
from govties.visualize.words import say
from busy_support import CENTRES, READABLE, bar_says, label_seen, readable
from test_views_legible import _open
from test_views_node_labels import node_label_problems
from workbench_support import artifacts

browser = test_views_browser.browser  # the same Chromium fixture
OVER = ["#legend", "#notes", "#extent"]  # what lies over the canvas


def _write(folder, lang: str, *args: str):
    out = folder / f"{'-'.join(a.strip('-') for a in args)}-{lang}.html"
    res = CliRunner().invoke(main, ["view", str(DEMO), "--lang", lang, *args, "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    data = json.loads(re.search(r'id="govties-data">(.*?)</script>', out.read_text(encoding="utf-8"),
                                re.DOTALL).group(1))
    return out, data


@pytest.fixture(scope="module", params=["zh", "en"])
def busy(request, tmp_path_factory):
    """The demo official's neighbourhood two steps out, in the language asked: (page file, its data, the language)."""
    out, data = _write(tmp_path_factory.mktemp("busy"), request.param, "--around", "P0000011", "--hops", "2")
    assert len(data["nodes"]) > data["readable"]["crowd"] and data["layout"] == "physics"
    return out, data, request.param


@pytest.mark.parametrize("width,height", [(1366, 768), (1920, 1080)])
def test_a_busy_neighbourhood_opens_with_its_entity_readable_in_view(browser, busy, width, height):
    out, data, lang = busy
    page, errors = _open(browser, out.as_uri(), {"width": width, "height": height})
    page.mouse.move(1, 1)
    page.screenshot(path=str(artifacts("views-busy") / f"opened-{lang}-{width}.png"))
    root = data["roots"][0]
    seen = readable(page, root, OVER)
    assert seen["text"].replace(" ", "") == data["names"][root].replace(" ", "")
    # the people and organizations linked to him, in view and clear of what lies over the canvas: labelled readably
    kinds = {n["id"]: n["category"] for n in data["nodes"]}
    folded = set(data["fold"]["folded"])  # the weighted edges drawn instead of decisions once they are folded
    linked = {e["to"] if e["from"] == root else e["from"] for e in data["edges"]
              if root in (e["from"], e["to"]) and e["id"] not in folded}
    near = [i for i in sorted(linked) if kinds[i] != "decision"]
    centres = {c["id"]: c["inside"] for c in page.evaluate(CENTRES)}
    looked = 0
    for ident in near:
        if not centres[ident]:
            continue
        other = label_seen(page, ident, OVER)
        if other["covered"]:
            continue
        looked += 1
        assert other["height"] >= READABLE, (ident, other)  # drawn, as tall (maybe cut by the canvas's edge)
    assert looked >= 2, near  # his relatives (his agency, the hub of its 200-odd decisions, is drawn further off)
    problems, _, _ = node_label_problems(page)
    assert problems == []
    inside, total = bar_says(page, lang)
    assert 0 < inside < total == len(data["nodes"])  # there is more than is in view, and it says so
    assert page.locator("#back-home").inner_text() == say("back_to", lang, name=data["names"][root])
    page.close()
    assert errors == []


def test_fit_all_shows_every_node_and_back_returns_to_the_entity(browser, busy):
    out, data, lang = busy
    page, errors = _open(browser, out.as_uri())
    page.mouse.move(1, 1)
    opened = page.evaluate("window.govties.network.getScale()")
    page.click("#fit-all")
    page.mouse.move(1, 1)
    inside, total = bar_says(page, lang)
    assert inside == total and page.locator("#fit-all").is_disabled()
    assert page.evaluate("window.govties.network.getScale()") < opened
    page.screenshot(path=str(artifacts("views-busy") / f"fitted-{lang}.png"))
    page.click("#back-home")
    page.mouse.move(1, 1)
    readable(page, data["roots"][0], OVER)
    assert bar_says(page, lang)[0] < total
    page.close()
    assert errors == []


def test_the_bar_works_from_the_keyboard_and_says_what_it_is(browser, busy):
    """Fit all pressed with Enter fits all and leaves the focus on Back (a button disabled while focused would drop
    it to the page), which Enter presses in turn; the bar is a group named by what it says of the view."""
    out, data, lang = busy
    page, errors = _open(browser, out.as_uri())
    page.focus("#fit-all")
    page.keyboard.press("Enter")
    page.mouse.move(1, 1)
    assert page.locator("#fit-all").is_disabled()
    assert page.evaluate("document.activeElement.id") == "back-home"
    page.keyboard.press("Enter")
    page.mouse.move(1, 1)
    readable(page, data["roots"][0], OVER)
    bar = page.locator("#extent")
    assert bar.get_attribute("role") == "group" and bar.get_attribute("aria-label") == bar.get_attribute("title")
    assert data["names"][data["roots"][0]] in bar.get_attribute("aria-label")
    page.close()
    assert errors == []


def test_folding_a_busy_neighbourhood_opens_it_again_round_its_entity(browser, busy):
    out, data, lang = busy
    page, errors = _open(browser, out.as_uri())
    page.evaluate("() => { window.__settled = 0; window.govties.network.once('stabilizationIterationsDone', "
                  "() => setTimeout(() => { window.__settled = 1; })); }")
    page.check("#fold")
    page.wait_for_function("() => window.__settled === 1", timeout=30000)
    page.mouse.move(1, 1)
    readable(page, data["roots"][0], OVER)
    inside, total = bar_says(page, lang)
    assert inside < total < len(data["nodes"])  # folded: fewer nodes, still more than are in view
    page.close()
    assert errors == []


@pytest.mark.parametrize("args", [("--around", "XP0003", "--hops", "2"),  # 22 nodes, in layers
                                  ("--around", "XP0032", "--hops", "2", "--fold")])  # 46, by forces
def test_a_small_neighbourhood_opens_whole_as_before(browser, tmp_path, args):
    """No bar, and the view it opens at is the one that fits all of it (the wheel and the search zoom)."""
    out, data = _write(tmp_path, "en", *args)
    page, errors = _open(browser, out.as_uri())
    assert page.locator("#extent").is_hidden() and page.evaluate("document.body.dataset.busy") == ""
    opened = page.evaluate("() => [window.govties.network.getScale(), window.govties.network.getViewPosition()]")
    fitted = page.evaluate("() => { window.govties.fitAll(); return [window.govties.network.getScale(), "
                           "window.govties.network.getViewPosition()]; }")
    assert opened[0] == pytest.approx(fitted[0]) and opened[1] == pytest.approx(fitted[1])
    if data["layout"] == "physics":
        assert all(c["inside"] for c in page.evaluate(CENTRES))
    page.close()
    assert errors == []


def test_the_bar_names_a_decision_as_its_node_does(tmp_path):
    """A decision's neighbourhood names it on the bar's Back button as sentences do (its title, or its kind's word
    and its id: 补贴 D0001264), not by its bare id."""
    from govties.graph.backend import open_backend
    from govties.loaders import load_dataset
    from govties.visualize.style import node_name

    _, data = _write(tmp_path, "zh", "--around", "D0001264", "--hops", "1")
    backend = open_backend("duckdb")
    backend.load(load_dataset(DEMO).tables)
    node = backend.nodes(["D0001264"])["D0001264"]
    assert data["names"] == {"D0001264": node_name(node, "D0001264", "zh")} != {"D0001264": "D0001264"}
