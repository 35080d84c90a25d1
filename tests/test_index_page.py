"""A run's index page: the demo writes it and says to open it; it links everything the run wrote (each link leads
to a file that exists), states how many finding views were written, the run's parameters and a fingerprint of the
input anyone can recompute; in Chromium it fetches nothing, runs nothing, and shows hostile names as text."""

from __future__ import annotations

import hashlib
import html
import re
from urllib.parse import unquote

import pytest
import pandas as pd
from click.testing import CliRunner

from govties.cli.main import main

from conftest import DEMO, MINIMAL, write_dataset
from test_views_browser import browser  # noqa: F401  (the Chromium fixture)

HREF = re.compile(r'href="([^"]+)"')


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    res = CliRunner().invoke(main, ["demo", "--out", str(out), "--lang", "en", "--views", "3"])
    assert res.exit_code == 0, res.output
    return out, res.output


def test_the_demo_links_everything_it_wrote_and_says_what_to_open(demo_run):
    out, output = demo_run
    page = (out / "index.html").read_text(encoding="utf-8")
    lines = output.strip().splitlines()
    assert lines[-3] == f"open {(out / 'index.html').resolve()} in a browser to start"
    assert lines[-1] == f"  govties serve --store {(out / 'graph.duckdb').resolve()} --lang en"  # the workbench
    hrefs = HREF.findall(page)
    here = [h for h in hrefs if h.startswith("#")]  # on this page: each lands on an element of that id
    assert all(f'id="{h[1:]}"' in page for h in here), here
    linked = {(out / unquote(h.partition("#")[0])).resolve() for h in hrefs if h not in here}  # anchors: the overview
    assert all(p.is_file() for p in linked), [str(p) for p in linked if not p.is_file()]
    written = {p.resolve() for p in out.rglob("*")
               if p.is_file() and p.name != "index.html" and not p.name.startswith("graph.duckdb")}
    assert written == linked
    for name in ("report.html", "overview.html", "findings.csv", "findings.xlsx", "ranks.xlsx", "resolution.csv",
                 "warnings.csv", "ranks/officials.csv"):
        assert (out / name).resolve() in linked
    assert len(list((out / "views").glob("*.html"))) == 3
    found = len(pd.read_csv(out / "findings.csv", dtype=str))
    assert f"A view was written for each of the 3 highest-scoring of {found} findings." in page
    resolution = pd.read_csv(out / "resolution.csv", dtype=str)
    merged, possible = (resolution.decision == "merged").sum(), (resolution.decision == "possible").sum()
    matches = "possible match" if possible == 1 else "possible matches"  # the demo has one: its English agrees
    assert f"{merged} merges by resident ID, {possible} {matches} by name and birth date for review" in page
    for key in ("as of", "rules", "params post-retirement", "backend", "govties version"):  # the run's parameters
        assert f"<th>{key}</th>" in page
    assert "invalid resident ID" in page  # the data warning
    report = (out / "report.html").read_text(encoding="utf-8")  # its top findings: a view's own, else the overview's
    top = [html.unescape(h) for h in HREF.findall(report) if h.startswith(("views/", "overview.html#"))]
    viewed = sorted(p.stem for p in (out / "views").glob("*.html"))
    assert sorted(h[len("views/"):-len(".html")] for h in top if h.startswith("views/")) == viewed
    assert all((out / h).is_file() for h in top if h.startswith("views/"))
    assert not [h for h in top if h.startswith("overview.html#") and h.partition("#")[2] in viewed]


def test_the_fingerprint_is_sha256sum_of_the_input_files(demo_run):
    out, _ = demo_run
    page = (out / "index.html").read_text(encoding="utf-8")
    files = sorted((p for p in DEMO.iterdir() if p.is_file()), key=lambda p: p.name.encode())
    manifest = "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n" for p in files)
    assert hashlib.sha256(manifest.encode()).hexdigest() in page
    assert all(hashlib.sha256(p.read_bytes()).hexdigest() in page for p in files)


def test_the_page_is_offline_and_strict_in_chromium(browser, demo_run):  # noqa: F811
    out, _ = demo_run
    page_text = (out / "index.html").read_text(encoding="utf-8")
    assert "default-src 'none'" in page_text and "<script" not in page_text
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((out / "index.html").as_uri())
    assert all(u.startswith("file://") for u in requests) and len(requests) == 1
    assert page.locator("h1").inner_text() == "govties run index"
    page.screenshot(path=str(out / "index.png"), full_page=True)
    assert (out / "index.png").stat().st_size > 20_000  # a page with content, not a blank one
    (out / "index.png").unlink()
    page.locator("a", has_text="report.html").click()
    assert page.url.endswith("/report.html")
    page.close()


def test_every_page_the_demo_wrote_links_back_to_the_index_and_the_links_land(browser, demo_run):  # noqa: F811
    """A finding's view, the overview and the report each had no way back: from a view opened from the index an
    investigator could not reach the report or the index again. Each now has a line of links above its title, and
    each link, clicked in Chromium, opens the page it names."""
    out, _ = demo_run
    view = sorted((out / "views").glob("*.html"))[0]
    titles = {"index.html": "govties run index", "report.html": "govties sweep report",
              "overview.html": "govties: findings overview"}
    expected = {view: ["index.html", "report.html", "overview.html"],
                out / "overview.html": ["index.html", "report.html"], out / "report.html": ["index.html"]}
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    for start, targets in expected.items():
        for i, target in enumerate(targets):
            page.goto(start.as_uri())
            link = page.locator("#nav a").nth(i)
            assert page.locator("#nav a").count() == len(targets)
            assert link.is_visible()
            link.click()
            page.wait_for_load_state()
            assert page.url == (out / target).as_uri(), (start.name, target)
            assert page.title() == titles[target]
    page.close()


def test_hostile_names_stay_text_on_the_index_page(browser, tmp_path):  # noqa: F811
    hostile = "<img src=x onerror=alert(1)>\u202e局长"
    files = {**MINIMAL, "people.csv": f'person_id,name\nP1,"{hostile}"\nP2,李梅\n'}
    folder = write_dataset(tmp_path / "d", files)
    res = CliRunner().invoke(main, ["sweep", str(folder), "-o", str(tmp_path / "f.csv"), "-q", "--lang", "zh",
                                    "--index", str(tmp_path / "run.html")])
    assert res.exit_code == 0, res.output
    text = (tmp_path / "run.html").read_text(encoding="utf-8")
    assert "<img" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "<h1>govties 运行索引</h1>" in text
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto((tmp_path / "run.html").as_uri())
    assert page.locator("img").count() == 0 and not dialogs
    # the name is shown as text, in an isolate of its own: its override cannot reorder the text around it
    cell = page.locator("td bdi", has_text="onerror").first
    assert "<img src=x onerror=alert(1)>" in cell.inner_text()
    assert cell.evaluate("e => getComputedStyle(e).unicodeBidi") == "isolate"
    page.close()


def test_a_sweeps_index_starts_at_its_findings_and_names_undated_for_what_it_is(tmp_path):
    """`sweep --index`: "Start here" links the findings file (it was an empty heading), and the ranked tables'
    undated.csv is described as the roles the rules could not place, not as a ranked table."""
    page_file = tmp_path / "index.html"
    res = CliRunner().invoke(main, ["sweep", str(DEMO), "-o", str(tmp_path / "f.csv"), "--index", str(page_file),
                                    "--aggregate-out", str(tmp_path / "ranks"), "-q", "--lang", "en"])
    assert res.exit_code == 0, res.output
    page = page_file.read_text(encoding="utf-8")
    found = len(pd.read_csv(tmp_path / "f.csv", dtype=str))
    start = re.search(r'<table class="start">(.*?)</table>', page, re.S)[1]
    assert re.findall(r'<a href="([^"]+)">', start) == ["f.csv"] and f"{found} findings" in start
    rows = dict(re.findall(r'<a href="([^"]+)"><bdi>[^<]*</bdi></a></td><td>([^<]*)</td>', page))
    assert rows["ranks/undated.csv"] == "company roles without a start date, which the rules could not place (CSV)"
    assert rows["ranks/officials.csv"] == "ranked table (CSV)"


def test_a_report_without_index_says_an_earlier_runs_index_is_left(tmp_path):
    """report --index, then report into the same folder without it: the earlier index.html is left as it was
    (it is the user's file now) and the report warns that it describes the earlier run, with the fix."""
    data = write_dataset(tmp_path / "d", MINIMAL)
    out = tmp_path / "r"
    first = CliRunner().invoke(main, ["report", str(data), "--out", str(out), "--index", "-q", "--lang", "en"])
    assert first.exit_code == 0, first.output
    assert "index.html was left" not in first.output
    before = (out / "index.html").read_bytes()
    nav = re.compile(r'<nav id="nav">(.*?)</nav>')
    links = {name: HREF.findall(nav.search((out / name).read_text(encoding="utf-8")).group(1))
             for name in ("overview.html", "report.html")}
    assert links == {"overview.html": ["index.html", "report.html"], "report.html": ["index.html"]}
    again = CliRunner().invoke(main, ["report", str(data), "--out", str(out), "-q", "--lang", "en"])
    assert again.exit_code == 0, again.output
    assert f"warning: {out / 'index.html'} was left as an earlier run wrote it" in again.output
    assert "fix: add --index" in again.output and (out / "index.html").read_bytes() == before
    # written without --index, the pages link only each other: not to an index that does not describe this run
    assert HREF.findall(nav.search((out / "overview.html").read_text(encoding="utf-8")).group(1)) == ["report.html"]
    assert not nav.search((out / "report.html").read_text(encoding="utf-8"))


def test_a_chinese_index_names_the_run_s_parameters_in_chinese(tmp_path):
    """The index of a Chinese run names each parameter of the run in Chinese (数据来源, 核查参照日期, 参数 RULE),
    with the values as the run has them; the workbook's about sheet keeps its keys, which diff reads back. The
    data warnings it links (warnings.csv) are in Chinese too, as the page lists them."""
    from govties.titles import ABOUT_KEYS

    out = tmp_path / "demo"
    res = CliRunner().invoke(main, ["demo", "--out", str(out), "--views", "0"])
    assert res.exit_code == 0, res.output
    page = (out / "index.html").read_text(encoding="utf-8")
    names = re.findall(r"<tr><th>([^<]*)</th><td>", page.split("运行参数")[1].split("</table>")[0])
    expected = {"数据来源", "存储后端", "核查参照日期", "运行的规则", "参数 post-retirement", "govties 版本"}
    assert expected <= set(names), names
    assert not set(names) & set(ABOUT_KEYS.ids) - {"govties"}, names
    about = pd.read_excel(out / "findings.xlsx", sheet_name="about", dtype=str, header=0)
    assert {"source", "as_of", "rules", "params post-retirement"} <= set(about.iloc[:, 0])
    warnings = pd.read_csv(out / "warnings.csv", dtype=str)["warning"].tolist()
    assert warnings and all("；改正方法：" in w for w in warnings), warnings
    assert all(f"<li><bdi>{html.escape(w)}</bdi></li>" in page for w in warnings[:50]), warnings


@pytest.mark.parametrize("command", ["sweep", "report"])
@pytest.mark.parametrize("lang, said", [("zh", "第2列没有表头却有值"),
                                        ("en", "column 2 has no header but holds values")])
def test_a_data_warning_is_listed_in_the_index_s_language_where_it_has_one(tmp_path, lang, said, command):
    """`sweep --index` and `report --index` write the same page: the load's warnings are on it."""
    people = "person_id,,name\nP1,,王建国\nP2,别名X,李梅\n"
    data = write_dataset(tmp_path / "d", {**MINIMAL, "people.csv": people})
    out = (["-o", str(tmp_path / "f.csv"), "--index", str(tmp_path / "index.html")] if command == "sweep"
           else ["--out", str(tmp_path), "--index"])
    res = CliRunner().invoke(main, [command, str(data), *out, "-q", "--lang", lang])
    assert res.exit_code == 0, res.output
    warnings = (tmp_path / "index.html").read_text(encoding="utf-8").split('<h2 id="warnings">')[1]
    assert said in warnings


def test_warnings_past_those_listed_are_counted_on_a_sweeps_index(tmp_path):
    """A sweep writes no warnings file: past the SHOWN_WARNINGS listed, the page says how many more there are and
    which command lists them all."""
    from govties.api.run_index import SHOWN_WARNINGS

    n = SHOWN_WARNINGS + 7
    people = "person_id,name,id_number\n" + "".join(f'P{i},徐{i}",\n' for i in range(1, n + 1))
    data = write_dataset(tmp_path / "d", {**MINIMAL, "people.csv": people})
    res = CliRunner().invoke(main, ["sweep", str(data), "-o", str(tmp_path / "f.csv"), "-q", "--lang", "en",
                                    "--index", str(tmp_path / "index.html")])
    assert res.exit_code == 0, res.output
    warnings = (tmp_path / "index.html").read_text(encoding="utf-8").split('<h2 id="warnings">')[1]
    assert warnings.count("<li>") == SHOWN_WARNINGS + 1
    assert f"<li>{n - SHOWN_WARNINGS} more not listed: govties validate lists all</li>" in warnings
