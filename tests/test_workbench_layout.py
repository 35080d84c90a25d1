"""The workbench's pages fit the window: in a real Chromium at 1400 and 1024 px wide, in both languages, the inbox
never scrolls sideways, however long the names in the data (the province's hostile names have no space to break
at), and the findings table stays inside its card; the evaluation's trend keeps each bar beside its own number, and
over every year scrolls inside its card with its units in view; a short name in the inbox keeps to one line; the
inbox's add-to-case waits for findings ticked, and its title box is off while an existing case is chosen.
Screenshots are kept (workbench_support.artifacts)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from workbench_support import PAYLOAD, artifacts, launch_browser, province_server

browser = pytest.fixture(scope="module")(launch_browser)


@contextmanager
def opened(browser, url: str, width: int):
    """A page of `url` in a fresh browser context `width` px wide, closed after."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(url)
        yield page
    finally:
        context.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with province_server(tmp_path_factory.mktemp("layout")) as running:
        yield running


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [1400, 1024, 900])
def test_the_inbox_never_scrolls_sideways(server, browser, lang, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{server.url}/findings?lang={lang}&size=100")
        assert page.locator("#findings tbody tr[data-finding-id]").count() > 50
        assert page.get_by_text(PAYLOAD).count() > 0  # the longest unbroken names are on the page
        measured = page.evaluate("""() => {
            const card = document.querySelector('section.results').getBoundingClientRect();
            const table = document.querySelector('#findings').getBoundingClientRect();
            const cells = [...document.querySelectorAll('#findings td, #findings th')];
            return {scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth,
                    card: card.right, table: table.right,
                    widest: Math.max(...cells.map(c => c.getBoundingClientRect().right))};
        }""")
        page.screenshot(path=str(artifacts("workbench-layout") / f"inbox-{lang}-{width}.png"))
        assert measured["scroll"] <= measured["inner"], measured
        assert measured["table"] <= measured["card"] and measured["widest"] <= measured["card"], measured
        explanation = page.locator("#findings .expl").first  # cut to three lines; the whole text on hover
        assert explanation.get_attribute("title") == explanation.text_content()
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_on_a_phone_no_page_scrolls_sideways_and_the_list_comes_first(server, browser, lang):
    """390 px (a phone): every page fits the screen's width, a wide table scrolling inside its own box (the inbox
    was 846 px wide, the evaluation 756, the explore page 652); the inbox shows its list before its facets."""
    with opened(browser, f"{server.url}/findings?lang={lang}", 390) as page:
        fid = page.locator("#findings tbody tr[data-finding-id]").first.get_attribute("data-finding-id")
        entity = page.locator("#findings td.official a").first.get_attribute("href")
        tops = page.evaluate("""() => ['section.results', 'aside.facets'].map(
            s => document.querySelector(s).getBoundingClientRect().top)""")
        assert tops[0] < tops[1], tops
        page.screenshot(path=str(artifacts("workbench-layout") / f"phone-inbox-{lang}.png"))
        for path in ("/findings", f"/findings/{fid}", entity, "/evaluation", "/warnings", "/cases", "/search?q=a",
                     f"/explore?center={entity.rsplit('/', 1)[1]}", f"/sheet/finding/{fid}"):
            page.goto(f"{server.url}{path}{'&' if '?' in path else '?'}lang={lang}")
            if path.startswith("/explore"):
                page.wait_for_selector("body[data-ready='1']")
            measured = page.evaluate("""() => ({scroll: document.scrollingElement.scrollWidth,
                inner: window.innerWidth, tables: [...document.querySelectorAll('table')].map(
                    t => Math.round(t.getBoundingClientRect().right))})""")
            assert measured["scroll"] <= measured["inner"], (path, measured)
            assert all(right <= measured["inner"] for right in measured["tables"]), (path, measured)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [1400, 1024])
def test_trend_bars_keep_apart_from_their_numbers(server, browser, lang, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{server.url}/evaluation?lang={lang}")
        cells = page.evaluate("""() => [...document.querySelectorAll('#trend td.bar-cell')].map(td => {
            const bar = td.querySelector('svg rect').getBoundingClientRect();
            const n = td.querySelector('.n').getBoundingClientRect();
            return {bar: bar.right, barWidth: bar.width, number: n.left, cell: td.getBoundingClientRect().right,
                    numberRight: n.right, top: n.top, barTop: bar.top, barBottom: bar.bottom, bottom: n.bottom};
        })""")
        page.screenshot(path=str(artifacts("workbench-layout") / f"evaluation-{lang}-{width}.png"), full_page=True)
        drawn = [c for c in cells if c["barWidth"] > 0]
        assert len(drawn) > 5, cells
        for c in drawn:  # the bar ends before its number begins, with room a reader sees, on the number's line
            assert c["number"] - c["bar"] >= 4, c
            assert c["top"] < c["barBottom"] and c["barTop"] < c["bottom"], c
        assert all(c["numberRight"] <= c["cell"] for c in cells), cells
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [1400, 1024])
def test_every_facet_value_shows_whole(server, browser, lang, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{server.url}/findings?lang={lang}&more=rule")
        links = page.evaluate("""() => [...document.querySelectorAll('aside.facets li a')].map(a => {
            const box = a.getBoundingClientRect(), pane = a.closest('section').getBoundingClientRect();
            return {text: a.textContent, scroll: a.scrollWidth, client: a.clientWidth, right: box.right,
                    pane: pane.right, count: a.parentElement.querySelector('.count').getBoundingClientRect().left};
        })""")
        page.screenshot(path=str(artifacts("workbench-layout") / f"facets-{lang}-{width}.png"), full_page=True)
        assert len(links) > 20 and any(len(x["text"]) > 20 for x in links), links
        for x in links:  # nothing cut: the whole value inside its card, beside its count
            assert x["scroll"] <= x["client"] and x["right"] <= x["pane"], x
            assert x["right"] <= x["count"], x
    finally:
        context.close()


@pytest.mark.parametrize("lang, width", [(lang, width) for lang in ("en", "zh") for width in (1400, 1366, 1200, 1024)]
                         + [("zh", 900)])
def test_the_header_is_one_line_and_its_search_hint_whole_when_wide(server, browser, lang, width):
    """The header keeps the menu, the search box and the account on one line (in Chinese at 900 px too); the search
    box shows its whole hint (what can be searched) from 1024 px in Chinese and from 1200 px in English (a longer
    menu), and from a laptop's 1366 px so does the explore bar's."""
    context = browser.new_context(viewport={"width": width, "height": 600})
    try:
        page = context.new_page()
        page.goto(f"{server.url}/findings?lang={lang}")
        measured = page.evaluate("""() => {
            const header = document.querySelector('header.top'), box = header.querySelector('form.quick input');
            const style = getComputedStyle(box), ctx = document.createElement('canvas').getContext('2d');
            ctx.font = style.font;
            const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
            return {height: header.getBoundingClientRect().height, hint: ctx.measureText(box.placeholder).width, room};
        }""")
        page.screenshot(path=str(artifacts("workbench-layout") / f"header-{lang}-{width}.png"))
        assert measured["height"] < 60, measured  # one line
        if width >= {"zh": 1024, "en": 1200}[lang]:  # the hint whole, room for the search box's clear button
            assert measured["hint"] <= measured["room"] - 16, measured
        if width >= 1366:
            page.goto(f"{server.url}/explore?lang={lang}")
            add = page.evaluate("""() => {
                const box = document.getElementById('add-q'), style = getComputedStyle(box);
                const ctx = document.createElement('canvas').getContext('2d');
                ctx.font = style.font;
                return {hint: ctx.measureText(box.placeholder).width,
                        room: box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)};
            }""")
            assert 0 < add["hint"] <= add["room"], add
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_trend_over_every_year_scrolls_with_its_units_in_view(server, browser, lang):
    """Every year's trend is wider than its card: it scrolls inside it, opening at its latest years (the last
    year's column whole in view, as the six-year view shows them), and scrolled to its first year the units' column
    is still where it was, over the years that slid under it; each bar is inside its own year's cell."""
    with opened(browser, f"{server.url}/evaluation?lang={lang}&years=all", 1024) as page:
        box = page.locator(".wide-table")
        wide = page.evaluate("(() => { const w = document.querySelector('.wide-table'); "
                             "return [w.scrollWidth, w.clientWidth]; })()")
        assert wide[0] > wide[1], wide  # more years than the card holds
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")  # the page does not scroll
        latest = page.evaluate("""() => { const w = document.querySelector('.wide-table').getBoundingClientRect();
            const heads = [...document.querySelectorAll('#trend thead th')], last = heads[heads.length - 1];
            const r = last.getBoundingClientRect();
            return [last.textContent, r.left >= w.left, r.right <= w.right + 1]; }""")
        years = page.evaluate("[...document.querySelectorAll('#trend thead th')].slice(1).map(th => th.textContent)")
        assert latest == [max(years), True, True], latest  # the last year, whole, in view on opening
        before = page.evaluate("document.querySelector('#trend tbody td').getBoundingClientRect().left")
        box.scroll_into_view_if_needed()  # below the ranking: elementFromPoint sees only the window
        assert box.evaluate("w => w.scrollLeft > 0")
        box.evaluate("w => { w.scrollLeft = 0; }")  # to the first year
        assert box.evaluate("w => w.scrollLeft == 0")
        unit = page.locator("#trend tbody td").first
        left = unit.evaluate("td => td.getBoundingClientRect().left")
        hit = unit.evaluate("td => { const r = td.getBoundingClientRect(); return document.elementFromPoint("
                            "r.left + 5, r.top + r.height / 2).closest('td') === td; }")
        page.screenshot(path=str(artifacts("workbench-layout") / f"evaluation-every-year-{lang}.png"), full_page=True)
        assert abs(left - before) < 1 and hit  # in view and on top, not under the years
        inside = page.evaluate("""() => [...document.querySelectorAll('#trend td.bar-cell')].every(td => {
            const cell = td.getBoundingClientRect(), bar = td.querySelector('svg').getBoundingClientRect();
            return bar.left >= cell.left && bar.right <= cell.right; })""")
        assert inside


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_trend_wider_than_a_small_window_opens_with_no_year_half_under_the_units(server, browser, lang):
    """At 900 px the six years scroll: none opens half under the units' column (a header read "019"), and a line
    above the table says it scrolls."""
    with opened(browser, f"{server.url}/evaluation?lang={lang}", 900) as page:
        assert page.evaluate("(() => { const w = document.querySelector('.wide-table'); "
                             "return w.scrollWidth > w.clientWidth; })()")
        cut = page.evaluate("""() => { const edge = document.querySelector('#trend th').getBoundingClientRect().right;
            return [...document.querySelectorAll('#trend thead th.num')].map(th => th.getBoundingClientRect())
              .filter(r => r.left < edge - 0.5 && r.right > edge + 0.5).length; }""")
        assert cut == 0
        assert page.locator("#trend-scroll").is_visible()
        page.screenshot(path=str(artifacts("workbench-layout") / f"evaluation-900-{lang}.png"), full_page=True)
    with opened(browser, f"{server.url}/evaluation?lang={lang}", 1400) as page:  # it fits: nothing said
        assert page.locator("#trend-scroll").is_hidden()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_adding_to_a_case_waits_for_findings_ticked(server, browser, lang):
    """The inbox's "add" is off until a finding is ticked, and the line beside it says to tick some, then how many
    are ticked; unticked again, it is off again."""
    with opened(browser, f"{server.url}/findings?lang={lang}", 1400) as page:
        button = page.locator(".selection-actions button[type=submit]")
        said = page.locator("#selection-count")
        assert button.is_disabled()
        assert said.inner_text() == {"zh": "请先勾选线索", "en": "Tick the findings to add first"}[lang]
        boxes = page.locator("td.pick input[type=checkbox]")
        boxes.nth(0).check()
        boxes.nth(1).check()
        assert button.is_enabled() and said.inner_text() == {"zh": "已选中2条线索", "en": "2 selected"}[lang]
        boxes.nth(0).uncheck()
        boxes.nth(1).uncheck()
        assert button.is_disabled()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_short_name_in_the_inbox_keeps_to_one_line_at_1024(server, browser, lang):
    """An official's or related person's name of a few characters moves to the next line whole, where the label
    before it leaves no room, instead of breaking after its first character (周 / 晓)."""
    with opened(browser, f"{server.url}/findings?lang={lang}&size=100", 1024) as page:
        lines = page.evaluate("""() => [...document.querySelectorAll('#findings td.official a.ent')]
            .filter(a => a.textContent.trim().length <= 4)
            .map(a => { const r = document.createRange(); r.selectNodeContents(a);
                        return [a.textContent.trim(), r.getClientRects().length]; })""")
        page.screenshot(path=str(artifacts("workbench-layout") / f"inbox-names-{lang}-1024.png"))
    assert len(lines) > 20, lines  # the official and the related person of many findings
    assert [name for name, count in lines if count != 1] == []


def test_the_title_box_is_off_while_an_existing_case_is_chosen(server, browser):
    """A title is a new case's: with an open case chosen to add to, the inbox's title box is off (what it held would
    not be used), and on again when a new case is chosen. (Last in this module: it opens a case.)"""
    with opened(browser, f"{server.url}/findings?lang=en", 1400) as page:
        page.locator("td.pick input[type=checkbox]").first.check()
        page.locator(".selection-actions input[name=title]").fill("Layout check")
        with page.expect_navigation():
            page.locator(".selection-actions button[type=submit]").click()
        assert "/cases/" in page.url
        page.goto(f"{server.url}/findings?lang=en")
        chosen = page.locator(".selection-actions select[name=case_id]")
        title = page.locator(".selection-actions input[name=title]")
        assert title.is_enabled()
        chosen.select_option(label="Layout check")
        assert title.is_disabled()
        chosen.select_option(value="")
        assert title.is_enabled()
