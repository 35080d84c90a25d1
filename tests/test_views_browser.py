"""The views in a real headless Chromium (Debian's, driven by Playwright with executable_path; nothing
downloaded): no console errors, no request outside the page, a finding click focuses its path, XSS stays inert,
CJK fonts present."""

from __future__ import annotations

import os
import shutil

import pytest

from govties.graph.duckdb_backend import DuckDBBackend
from govties.loaders import load_dataset
from govties.rules.catalog import catalog
from govties.rules.engine import sweep
from govties.visualize import views

from conftest import DEMO, MINIMAL, write_dataset

CHROMIUM = os.environ.get("GOVTIES_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("CI is set but playwright is not installed (pip install -e '.[dev]')")
        pytest.skip("playwright is not installed")
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _open(browser, path):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    log = {"errors": [], "requests": [], "dialogs": []}
    page.on("console", lambda m: log["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    page.on("request", lambda r: log["requests"].append(r.url))
    page.on("dialog", lambda d: (log["dialogs"].append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=30000)
    return page, log


def _sweep(folder):
    b = DuckDBBackend()
    b.load(load_dataset(folder).tables)
    return b, sweep(b, list(catalog().values()), lang="en")


def test_overview_offline_no_errors_and_click_focuses(browser, tmp_path):
    backend, result = _sweep(DEMO)
    path = views.write_view(views.overview(backend, result.findings), tmp_path / "overview.html", lang="en")
    page, log = _open(browser, path)
    page.screenshot(path=str(tmp_path / "overview.png"))
    assert (tmp_path / "overview.png").stat().st_size > 10_000
    assert log["errors"] == []
    assert [u for u in log["requests"] if u != path.as_uri()] == []
    first = page.locator("#findings li").first
    fid = first.get_attribute("data-finding-id")
    first.click()
    assert page.evaluate("document.body.dataset.focused") == fid
    selected = sorted(page.evaluate("window.govtiesNetwork.getSelectedNodes()"))
    wanted = next(f for f in result.findings if f["finding_id"] == fid)
    import json

    assert selected == sorted(n["id"] for n in json.loads(wanted["evidence"])["nodes"])
    # filtering by rule hides the other findings
    page.locator("input.rule-filter[value='relative-business']").uncheck()
    hidden = page.evaluate("Array.from(document.querySelectorAll('#findings li')).filter(li => li.style.display "
                           "=== 'none').length")
    assert hidden == sum(1 for f in result.findings if f["rule"] == "relative-business")


def test_cjk_font_is_available(browser, tmp_path):
    backend, result = _sweep(DEMO)
    path = views.write_view(views.overview(backend, result.findings[:3]), tmp_path / "v.html")
    page, _ = _open(browser, path)
    assert page.evaluate("document.fonts.check('14px \"Noto Sans CJK SC\"', '王建国')")
    page.screenshot(path=str(tmp_path / "cjk.png"))


def test_xss_payloads_stay_inert(browser, tmp_path):
    payload = "<img src=x onerror=window.__pwned=1;alert(1)>"
    files = {**MINIMAL,
             "people.csv": f"person_id,name\nP1,\"{payload}\"\nP2,</script><script>window.__pwned=2</script>\n",
             "organizations.csv": "org_id,name,kind\nA1,市住建局,agency\nC1,\"<b onmouseover=alert(3)>公司</b>\",company\n"}
    folder = write_dataset(tmp_path / "xss", files)
    backend, result = _sweep(folder)
    assert result.findings
    path = views.write_view(views.overview(backend, result.findings), tmp_path / "xss.html", lang="en")
    page, log = _open(browser, path)
    page.locator("#findings li").first.click()
    page.mouse.move(600, 400)
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    assert log["dialogs"] == [] and log["errors"] == []
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert payload in page.locator("#findings li").first.inner_text()


def test_report_page_offline(browser, tmp_path):
    from click.testing import CliRunner

    from govties.cli.main import main

    res = CliRunner().invoke(main, ["report", str(DEMO), "--out", str(tmp_path / "r"), "-q"])
    assert res.exit_code == 0
    path = tmp_path / "r" / "report.html"
    page = browser.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    assert [u for u in requests if u != path.as_uri()] == []
    assert page.locator("table").count() >= 3
