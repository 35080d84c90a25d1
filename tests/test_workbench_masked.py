"""`serve --mask` over a province whose official is recorded under his resident ID (person_id = id_number, as
many source systems key people): pages show that id masked with a keyed tag, open only by that form (the plain
id is not found, exactly as an id that does not exist: no guess-checking of the hidden digits), and the inbox's
facet link for that official filters to his findings; and every such address keeps working after the server is
restarted with the same mask key (a bookmark). In a real Chromium against a real `govties serve`."""

from __future__ import annotations

import re
from urllib.parse import quote, urljoin

import pandas as pd
import pytest

from workbench_support import Server, Watched, artifacts, launch_browser, province, stored

browser = pytest.fixture(scope="module")(launch_browser)
OFFICIAL = "XP0003"
KEY = "a-test-key-that-is-long-enough-0123456789"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("masked")
    prepared = province(root)
    people = pd.read_csv(prepared["data"] / "people.csv", dtype=str, keep_default_na=False)
    resident = people.loc[people.person_id == OFFICIAL, "id_number"].iloc[0]
    assert re.fullmatch(r"\d{17}[\dX]", resident)
    for folder in (prepared["data"], prepared["increment"]):  # the official's id becomes his resident ID
        for path in folder.glob("*.csv"):
            path.write_text(re.sub(rf"\b{OFFICIAL}\b", resident, path.read_text(encoding="utf-8")),
                            encoding="utf-8")
    graph_args = stored(prepared["data"], root / "graph.duckdb", root / "findings.csv")
    findings = pd.read_csv(root / "findings.csv", dtype=str, keep_default_na=False)
    with pytest.MonkeyPatch.context() as env:  # the server's key (the same after a restart), not the user's
        env.setenv("GOVTIES_MASK_KEY", KEY)
        env.setenv("XDG_CONFIG_HOME", str(root / "config"))
        server = Server(graph_args, extra=["--mask"]).start()
        yield {"server": server, "resident": resident, "findings": findings, "name": prepared["official_name"],
               "shots": artifacts("workbench-masked"), "data": prepared["data"]}
        server.stop()


def test_an_entity_opens_by_its_masked_tagged_id_only(served, browser):
    server, resident = served["server"], served["resident"]
    w = Watched(browser, server.url)
    page = w.page
    masked = resident[:6] + "********" + resident[-4:]
    page.goto(f"{server.url}/search?q={served['name']}")
    link = page.locator("#results a.hit", has_text=served["name"]).first.get_attribute("href")
    assert re.fullmatch(rf"/entities/{re.escape(masked)}~[g-v]{{10}}", link), link  # masked, with its tag
    assert resident not in page.content() and f"{resident[6:10]}-{resident[10:12]}" not in page.content()
    response = page.goto(server.url + link)  # the form the server shows opens the page
    assert response.status == 200 and page.locator("h1", has_text=served["name"]).count() == 1
    assert resident not in page.content() and masked in page.content()
    born = f"{resident[6:10]}-{resident[10:12]}-{resident[12:14]}"  # the digits the mask hides, as a birth date
    assert born not in page.content() and "****-**-**" in page.locator("dl").first.inner_text()
    page.screenshot(path=str(served["shots"] / "entity-masked.png"))
    explore = page.locator("#explore-link").get_attribute("href")
    page.goto(server.url + explore)  # the exploration page takes it too, and expands by it
    page.wait_for_selector("body[data-ready='1']")
    ids = page.evaluate("window.govtiesExplore.nodes.getIds()")
    assert link.rsplit("/", 1)[1] in ids and not any(resident in i for i in ids)
    # the plain id is not found, exactly as an id that does not exist (the same status and the same message)
    unknown = resident[:14] + ("0000" if resident[-4:] != "0000" else "1111")
    pages = {}
    for asked in (resident, unknown, f"{masked}~gggggggggg"):
        response = page.goto(f"{server.url}/entities/{asked}")
        assert response.status == 404, asked
        pages[asked] = page.locator("main").inner_text()
        assert resident not in page.content()
    said = {re.sub(r"\d{6}\*+\d{3}[\dX](~[g-v]{10})?", "ID", text) for text in pages.values()}
    assert len(said) == 1, pages
    for asked, status in ((resident, 404), (link.rsplit("/", 1)[1], 200)):
        fetched = page.evaluate("(id) => fetch('/api/graph/expand?id=' + encodeURIComponent(id)).then(r => r.status)",
                                asked)
        assert fetched == status, asked
    # a typed ID is never given back with its tag (the tag of a guess would be compared with the real one): the
    # answer to the right ID is the answer to a wrong guess of the hidden digits
    guess = resident[:6] + "19991231" + resident[-4:]
    for echo in ("/findings?date_from={}", "/findings?q={}&official={}", "/search?q={}", "/explore?a={}&b=XO0005",
                 "/api/graph/paths?a={}&b=XO0005", "/api/graph/expand?id={}", "/findings?amount_min={}&lang=en"):
        right, wrong = (page.evaluate("(u) => fetch(u).then(r => r.text())", echo.replace("{}", x))
                        for x in (resident, guess))
        assert right == wrong and resident not in right, echo
    w.errors = [e for e in w.errors if "404 (Not Found)" not in e and "400 (Bad Request)" not in e]
    w.check()
    w.close()


def test_the_facet_link_of_a_masked_official_filters_his_findings(served, browser):
    server, resident = served["server"], served["resident"]
    expected = int((served["findings"].official_id == resident).sum())
    assert expected >= 1
    w = Watched(browser, server.url)
    page = w.page
    page.goto(f"{server.url}/findings?more=official")  # every official of the facet
    facet = page.locator("section[data-facet=official] li a", has_text=served["name"])
    assert facet.count() == 1
    assert resident not in (facet.get_attribute("href") or "")
    facet.click()
    page.wait_for_selector("section[data-facet=official] li.on")
    rows = page.locator("#findings tbody tr")
    assert rows.count() == expected
    assert all(served["name"] in r.inner_text() for r in rows.all())
    assert page.locator("section[data-facet=official] li.on a", has_text=served["name"]).count() == 1
    page.screenshot(path=str(served["shots"] / "inbox-official-facet.png"))
    page.locator("section[data-facet=official] li.on a").click()  # and off again
    page.wait_for_selector("section[data-facet=official] li.on", state="detached")
    assert page.locator("#findings tbody tr").count() > expected
    w.check()
    w.close()


def test_bookmarked_masked_addresses_open_after_a_restart(served, browser):
    """An entity page, an inbox filtered by the official and the exploration answers, each opened first thing
    after a restart (a server that has shown nothing yet), by the masked and tagged id the server gave out before
    it; a wrong tag and the plain ID still name no entity."""
    server, resident, name = served["server"], served["resident"], served["name"]
    expected = int((served["findings"].official_id == resident).sum())
    w = Watched(browser, server.url)
    page = w.page
    page.goto(f"{server.url}/search?q={name}")
    entity = page.locator("#results a.hit", has_text=name).first.get_attribute("href")
    tagged = entity.rsplit("/", 1)[1]
    masked, tag = tagged.split("~")
    page.goto(server.url + "/findings?more=official")
    href = page.locator("section[data-facet=official] li a", has_text=name).get_attribute("href")
    inbox = urljoin(server.url + "/findings", href)
    assert quote(tagged, safe="") in inbox or tagged in inbox, inbox
    w.close()

    def restarted() -> Watched:
        server.restart()
        return Watched(browser, server.url)

    w = restarted()
    response = w.page.goto(server.url + entity)
    assert response.status == 200 and w.page.locator("h1", has_text=name).count() == 1
    assert masked in w.page.content() and resident not in w.page.content()
    w.page.screenshot(path=str(served["shots"] / "entity-after-restart.png"))
    w.check()
    w.close()

    w = restarted()
    response = w.page.goto(inbox)
    assert response.status == 200
    rows = w.page.locator("#findings tbody tr")
    assert rows.count() == expected and all(name in r.inner_text() for r in rows.all())
    assert w.page.locator("section[data-facet=official] li.on a", has_text=name).count() == 1
    w.check()
    w.close()

    w = restarted()
    answer = w.page.request.get(f"{server.url}/api/graph/expand?id={quote(tagged, safe='')}")
    assert answer.status == 200, answer.text()
    body = answer.json()
    ids = [n["id"] for n in body["nodes"]]
    assert body["center"] == tagged and tagged in ids and len(ids) > 1 and resident not in answer.text()
    w.close()

    w = restarted()  # what names no entity is not found, after a restart as before it
    wrong = "".join("h" if c == "g" else "g" for c in tag)
    unknown = resident[:14] + ("0000" if resident[-4:] != "0000" else "1111")
    said = set()
    for asked in (f"{masked}~{wrong}", resident, unknown):
        response = w.page.goto(f"{server.url}/entities/{quote(asked, safe='')}")
        assert response.status == 404, asked
        assert resident not in w.page.content()
        said.add(re.sub(r"\d{6}\*+\d{3}[\dX](~[g-v]{10})?", "ID", w.page.locator("main").inner_text()))
    assert len(said) == 1, said
    for asked in (f"{masked}~{wrong}", resident):
        answer = w.page.request.get(f"{server.url}/api/graph/expand?id={quote(asked, safe='')}")
        assert answer.status == 404, asked
    w.close()


def test_a_finding_pages_graph_shows_no_birth_date_under_mask(served, browser):
    """A masked resident ID hides its birth date: the evidence graph's tooltips on a finding page (text built from
    each person's details) say born ****-**-**, never the date, on every finding page whose evidence holds the
    official recorded under his resident ID; and show the ID masked as the entity page does, with no link tag."""
    from govties.privacy import keyed_id

    server, findings = served["server"], served["findings"]
    page = Watched(browser, server.url).page
    page.goto(f"{server.url}/findings?size=200&lang=en")
    listed = {a.get_attribute("href") for a in page.locator("a[href^='/findings/']").all()}
    mine = findings[findings["evidence"].str.contains(served["resident"])]["finding_id"]  # his, keyed as listed
    links = sorted(f"/findings/{keyed_id(fid, KEY.encode())}" for fid in mine)
    assert len(links) >= 2 and set(links) <= listed, (links, len(listed))
    people = pd.read_csv(served["data"] / "people.csv", dtype=str, keep_default_na=False)
    born = {d for d in people["birth_date"] if d}
    tooltips = 0
    for link in links:  # the page as served (its graph's data is in it), not drawn
        answer = page.request.get(f"{server.url}{link}?lang=en")
        assert answer.status == 200
        content = answer.text()
        tooltips += content.count("born: ****-**-**")
        assert not re.search(r"born: \d", content), link
        # a tooltip masks an ID as the entity page does, without the tag that only links and ids carry
        assert not re.search(r"resident ID: [0-9*]+[0-9Xx]~", content), link
        assert not [d for d in born if d in content and f"born: {d}" in content], link
    assert tooltips >= len(links)  # the persons' tooltips are there, their birth dates hidden
