"""What a person reading a drawn-by-forces view needs, measured in a real Chromium at a laptop's 1366x768: a report
link's finding is fitted where the legend does not cover it."""

from __future__ import annotations

import json
import re
import pytest
from click.testing import CliRunner

import test_views_browser
from conftest import DEMO
from govties.cli.main import main
from test_views_layout import _overlap

browser = test_views_browser.browser  # the same Chromium fixture
SCREEN = {"width": 1366, "height": 768}


@pytest.fixture(scope="module", params=["en", "zh"])
def report(request, tmp_path_factory):
    """The demo's report and overview in English and in Chinese: (overview.html, its data)."""
    out = tmp_path_factory.mktemp(f"report-{request.param}")
    res = CliRunner().invoke(main, ["report", str(DEMO), "--out", str(out), "-q", "--lang", request.param])
    assert res.exit_code == 0, res.output
    overview = out / "overview.html"
    data = json.loads(re.search(r'id="govties-data">(.*?)</script>', overview.read_text(encoding="utf-8"),
                                re.DOTALL).group(1))
    return overview, data


def _open(browser, url: str):
    page = browser.new_page(viewport=SCREEN)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']", timeout=60000)
    return page, errors


UNDER_LEGEND = """(ids) => {
  const n = window.govtiesNetwork, g = document.getElementById('graph').getBoundingClientRect();
  const l = document.getElementById('legend').getBoundingClientRect();
  const boxes = ids.map(id => { const b = n.getBoundingBox(id);
    const tl = n.canvasToDOM({x: b.left, y: b.top}), br = n.canvasToDOM({x: b.right, y: b.bottom});
    return {id, box: [tl.x, tl.y, br.x, br.y]}; });
  return {boxes, legend: [l.left - g.left, l.top - g.top, l.right - g.left, l.bottom - g.top],
          width: g.width, height: g.height, focused: document.body.dataset.focused};
}"""


def test_a_report_link_fits_its_finding_where_the_legend_leaves_it_in_view(browser, report, tmp_path):
    """Every finding the overview lists, focused as a report link focuses it: none of its nodes (label included) is
    under the legend, and all are in the canvas. The legend sits at the bottom left; a finding drawn there used to
    be fitted to the whole canvas, half of a company's box under the legend."""
    overview, data = report
    page, errors = _open(browser, overview.as_uri())
    covered = []
    for f in data["findings"]:
        page.evaluate("t => { location.hash = t; }", f["finding_id"])
        page.wait_for_function("t => document.body.dataset.focused === t", arg=f["finding_id"], timeout=10000)
        view = page.evaluate(UNDER_LEGEND, f["nodes"])
        for b in view["boxes"]:
            if _overlap(b["box"], view["legend"]):
                covered.append((f["finding_id"], b["id"]))
                page.screenshot(path=str(tmp_path / f"legend-{f['finding_id']}.png"))
            left, top, right, bottom = b["box"]
            assert left >= 0 and top >= 0 and right <= view["width"] and bottom <= view["height"], (f, b)
    page.close()
    assert covered == [], f"under the legend: {covered}; see {tmp_path}"
    assert errors == []

