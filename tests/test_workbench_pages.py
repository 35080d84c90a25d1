"""What the workbench's pages and answers say of the demo, over plain HTTP against a real `govties serve`: the
words on the exploration graph's edges, and the same words as the static views."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import urllib.parse
import urllib.request

import pandas as pd
import pytest

from conftest import DEMO
from workbench_support import Server, cli, shown_since


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The demo loaded and swept into a store file, served."""
    root = tmp_path_factory.mktemp("pages")
    path = root / "g.duckdb"
    cli("load", str(DEMO), "--store", str(path), "-q")
    cli("sweep", "--no-load", "--store", str(path), "-o", str(root / "f.csv"), "-q", "--aggregate-out",
        str(root / "ranks"))
    server = Server(["--store", str(path)])
    server.ranks = root / "ranks"  # type: ignore[attr-defined]
    server.findings = root / "f.csv"  # type: ignore[attr-defined]
    # read from the store before the server locks the file
    server.still_open = _open_findings(path)  # type: ignore[attr-defined]
    server.about_agency = _findings_about(path, "XO0002")  # type: ignore[attr-defined]
    server.start()
    yield server
    server.stop()


def get(server: Server, path: str) -> str:
    with urllib.request.urlopen(server.url + path, timeout=60) as answer:
        return answer.read().decode("utf-8")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_decisions_edges_say_which_end_issued_it_and_which_benefits(served, lang):
    """A decision's edges carry its kind as their label; on the graph the issuer's edge says 作出机关 / issued by and
    the beneficiary's 受益 / benefits (with the date), as the static views label them."""
    from govties.graph.vocabulary import EDGE_TYPE
    from govties.visualize.style import edge_label

    answer = json.loads(get(served, f"/api/graph/expand?id=XD0034&lang={lang}"))
    said = {e["type"]: e["label"] for e in answer["edges"]}
    for kind in ("ISSUED_BY", "BENEFITS"):
        assert said[kind] == f"{EDGE_TYPE.label(kind, lang)} 2019-12-12", said
        assert said[kind] == edge_label({"type": kind, "label": "subsidy"}, lang) + " 2019-12-12"
    assert said["ISSUED_BY"] != said["BENEFITS"]


def test_an_agencys_page_counts_its_findings_as_the_inbox_does(served):
    """The development commission (XO0002) issued decisions of findings whose evidence does not hold it: its page
    lists them too, with their number, and links to the same list in the inbox."""
    page = get(served, "/entities/XO0002?lang=en")
    section = page.split('id="findings-count"')[1].split("</table>")[0]
    listed = set(re.findall(r'href="/findings/([0-9a-f]{16})"', section))
    by_agency = get(served, "/findings?agency=XO0002&size=200&lang=en")
    expected = served.about_agency
    assert listed == set(re.findall(r'data-finding-id="([0-9a-f]{16})"', by_agency)) == expected
    n = len(expected)
    assert n > 7 and re.search(f'id="findings-count">{n}<', page)  # 7: those whose evidence holds it
    assert 'href="/findings?entity=XO0002" id="findings-in-inbox"' in page
    assert "Birth date" not in page.split('class="grid records"')[1].split("</table>")[0]  # a person's column alone
    assert f"Open in the inbox ({n} findings)" in page
    scope = get(served, "/findings?entity=XO0002&lang=en")
    assert re.search(fr'id="page-info">[^<]*\({n}\)', scope) and "Findings about 杭州市发展和改革委员会" in scope


@pytest.mark.parametrize("lang, said", [("zh", "无身份证号的企业任职人员：姓名相同"),
                                        ("en", "company-role holder without a resident ID: same name")])
def test_a_persons_page_shows_a_name_only_match_with_its_reason(served, lang, said):
    """`govties resolve examples/demo` lists XP0035 (a company-role holder without a resident ID) as XP0032's
    namesake: XP0032's page shows it, with why; its source records show the birth date (a company's have no such
    column)."""
    page = get(served, f"/entities/XP0032?lang={lang}")
    matches = page.split('class="grid matches"')[1].split("</table>")[0]
    assert '<a class="ent" href="/entities/XP0035">XP0035</a>' in matches and f"<td>{said}</td>" in matches
    assert re.search(r"<td>\d{4}-\d{2}-\d{2}</td><td>[^<]*people.csv", page.split('class="grid records"')[1])


@pytest.mark.parametrize("level", ["agencies", "regions"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_evaluations_index_numbers_read_alike(served, lang, level):
    """Every index on the evaluation page (ranking, trend, both periods and the change) is written as the ranked
    tables and the report write it: two decimals at most, trailing zeros dropped (96.67, 50), not 96.7 on the page
    beside 96.67 in the file nor 50.00."""
    page = get(served, f"/evaluation?level={level}&lang={lang}")
    ranking = page.split('id="ranking"')[1].split("</table>")[0]
    cells = [re.findall(r'<td class="num">([^<]*)</td>', row) for row in ranking.split("<tr>")[2:]]
    shown = [c[5] for c in cells]  # rank, findings, officials, flagged, weighted facts, the index
    # the index can be checked from the page: weighted facts per 10 officials
    assert all(abs(float(c[5].replace(",", "")) - round(10 * int(c[4]) / int(c[2]), 2)) < 0.006
               for c in cells if int(c[2]))
    shown += re.findall(r'<span class="n">([^<]*)</span>', page.split('id="trend"')[1].split("</table>")[0])
    compare = page.split('id="compare"')[1].split("</table>")[0]
    changes = re.findall(r'<td class="num[^"]*">([-+]?[\d.,]+|&lt;0\.01|&gt;-0\.01) ', compare)
    assert changes and all(c.startswith(("+", "-", "&")) or c == "0" for c in changes), changes  # signed
    shown += [c.removeprefix("+") for c in changes]
    assert len(shown) > 20 and any(re.fullmatch(r"\d+\.\d[1-9]", s) for s in shown), shown  # two decimals kept
    assert any(re.fullmatch(r"\d+", s) and s != "0" for s in shown), shown  # and none where there are none
    assert all(re.fullmatch(r"-?\d[\d,]*(\.\d?[1-9])?|&lt;0\.01|&gt;-0\.01", s) for s in shown), shown
    ranked = pd.read_csv(served.ranks / f"{level}.csv", dtype=str)  # the file the demo wrote, as the page says it
    assert shown[0] == ranked.loc[0, "index_per_10_officials"], (shown[0], ranked.loc[0].to_dict())


def test_the_evaluation_s_columns_are_titled_in_chinese_as_the_ranked_files_title_them(served):
    """The ranking's Chinese headers are the workbook's and the CSVs' titles of the same columns (每十名公职人员指数
    on both, where the page said 每10名公职人员加权事实数), so a page and a file read alike."""
    from govties.titles import title

    for level, unit in (("agencies", "机关单位"), ("regions", "地区")):
        head = get(served, f"/evaluation?lang=zh&level={level}").split('id="ranking"')[1].split("</thead>")[0]
        shown = [html.unescape(h) for h in re.findall(r"<th[^>]*>([^<]*)</th>", head)]
        columns = ["findings", "officials", "officials_flagged", "weighted", "index_per_10_officials", "flagged_share"]
        assert shown == [title("rank", "zh"), unit, *(title(c, "zh") for c in columns)], shown


def test_the_evaluation_ranks_every_agency_with_officials_and_equal_indexes_share_a_rank(served):
    """An agency without findings is ranked at 0, not left out (晾晒比拼 compares every unit); units of equal index
    share a rank, the next after all of them; the note under the table counts both."""
    page = get(served, "/evaluation?level=agencies&lang=en")
    ranking = page.split('id="ranking"')[1].split("</table>")[0]
    cells = [re.findall(r'<td class="num">([^<]*)</td>', row) for row in ranking.split("<tr>")[2:]]
    ranks, index = [int(c[0]) for c in cells], [float(c[5].replace(",", "")) for c in cells]
    assert ranks == [1 + sum(other > mine for other in index) for mine in index]
    assert len(set(ranks)) < len(ranks)  # the demo has ties
    unflagged = [c for c in cells if c[1] == "0"]
    assert unflagged and all(c[5] == "0" for c in unflagged)
    assert len(cells) == len(pd.read_csv(served.ranks / "agencies.csv", dtype=str))  # as the ranked tables rank
    note = page.split('id="ranking-note">')[1].split("</p>")[0]
    assert note == f"{len(cells)} agencies ranked, {len(unflagged)} of them without findings (index 0)."


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_period_in_the_address_that_is_no_year_is_said_not_silently_replaced(served, lang):
    """?b=abc compares the last year with findings, and the page says so beside the comparison, the value shown
    escaped; a year given as a year is said nothing about."""
    page = get(served, f"/evaluation?lang={lang}&a=%3Cb%3E&b=abc")
    said = [html.unescape(t) for t in re.findall(r'<p class="muted compare-not-year">([^<]*)</p>', page)]
    years = re.findall(r'<option selected>(\d{4})</option>', page)
    assert len(said) == 2 and len(years) == 2 and "“<b>”" not in page  # escaped
    from govties.workbench.words import word

    for period, given, year in zip(("period_a", "period_b"), ("<b>", "abc"), years, strict=True):
        assert word("compare_not_year", lang, period=word(period, lang), given=given, year=year) in said
    assert "compare-not-year" not in get(served, f"/evaluation?lang={lang}&a={years[0]}&b={years[1]}")


def test_an_index_is_shown_as_the_ranked_tables_write_it():
    from govties.workbench.render import index

    assert [index(v) for v in (96.6667, 50.0, 19.7, 5, 0.0, -0.0, -3.333, 0.004, -0.004, 1234.56, None)] == [
        "96.67", "50", "19.7", "5", "0", "0", "-3.33", "<0.01", ">-0.01", "1,234.56", ""]
    from govties.workbench.render import change

    assert [change(v) for v in (6.667, -15.0, 0.0, 0.004, -0.004, 1234.5, None)] == [
        "+6.67", "-15", "0", "<0.01", ">-0.01", "+1,234.5", ""]


def _findings_about(path, entity: str) -> set[str]:
    """The recorded findings whose evidence holds an entity or whose agency, official or company it is, read from
    a store file."""
    import duckdb

    with duckdb.connect(str(path), read_only=True) as con:
        return {r[0] for r in con.execute(
            "SELECT finding_id FROM govties_finding WHERE list_contains(entity_ids, $e) OR agency_id = $e "
            "OR official_id = $e OR org_id = $e", {"e": entity}).fetchall()}


def _open_findings(path) -> list[dict]:
    """The recorded findings whose span was still open at the sweep's date (their archived evidence ends on no
    date), read from a store file."""
    import duckdb

    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.sql("SELECT f.finding_id, f.official_id, f.first_date, f.last_date, e.facts FROM govties_finding f "
                       "JOIN govties_evidence e USING (fingerprint) WHERE f.last_date IS NOT NULL").fetchall()
    return [{"finding_id": r[0], "official_id": r[1], "first_date": r[2], "last_date": r[3]} for r in rows
            if json.loads(r[4]).get("last_date") is None]


@pytest.mark.parametrize("lang, word", [("zh", "线索（持续至今）"), ("en", "Finding (still ongoing)")])
def test_a_timeline_puts_a_finding_still_open_at_its_first_date(served, lang, word):
    """A span still open at the sweep (in office and in business) has the sweep's date as its last date: the
    official's timeline shows it where it began, as ongoing, not as an event on the sweep's date."""
    still_open = served.still_open
    assert len(still_open) >= 2
    for f in still_open:
        page = get(served, f"/entities/{f['official_id']}?lang={lang}")
        timeline = page.split('<ol class="timeline">')[1].split("</ol>")[0]
        item = next(li for li in timeline.split("<li>") if f'href="/findings/{f["finding_id"]}"' in li)
        assert f'<span class="date">{f["first_date"]}</span>' in item and word in item, item
        assert f["last_date"] != f["first_date"] and f["last_date"] not in item


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_regions_are_shown_with_their_names(served, lang):
    """The inbox's region facet and the regions' evaluation show each division code with its name (3301 杭州市),
    and link by the code alone. A province's own code (33: a provincial department's region stops there) says its
    row holds the province-level agencies alone (33 浙江省（省级机关）): read as 浙江省, it would seem the province
    with all its cities."""
    from govties.titles import PROVINCE_OWN
    from govties.graph.regions import region_name

    def label(code: str) -> str:
        return f"{code} {region_name(code)}" + (html.escape(PROVINCE_OWN[lang]) if len(code) == 2 else "")

    inbox = get(served, f"/findings?lang={lang}")
    facet = inbox.split('data-facet="region"')[1].split("</section>")[0]
    codes = re.findall(r"region=(\d+)", facet)
    assert len(codes) >= 3 and "33" in codes, facet
    for code in codes:
        assert region_name(code) and f'title="{label(code)}"' in facet, (code, facet)
    ranked = get(served, f"/evaluation?level=regions&lang={lang}").split('id="ranking"')[1].split("</table>")[0]
    shown = re.findall(r'<a href="/findings\?region=(\d+)">([^<]*)</a>', ranked)
    assert shown and all(name == label(code) for code, name in shown), shown
    assert "33" in dict(shown) and any(len(code) == 4 for code, _ in shown)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_decision_s_page_names_who_took_part_and_as_what(served, lang):
    """A decision's page lists the people decision_makers.csv names for it, each with the role they took part in
    (审批人 / approver), linked to their pages; an official's decisions say the role beside 参与决定."""
    import pandas as pd

    from govties.graph.vocabulary import MAKER_ROLE

    makers = pd.read_csv(DEMO / "decision_makers.csv", dtype=str, keep_default_na=False)
    people = pd.read_csv(DEMO / "people.csv", dtype=str, keep_default_na=False).set_index("person_id")["name"]
    mine = makers[makers.decision_id == "XD0015"].drop_duplicates()
    assert len(mine)
    page = get(served, f"/entities/XD0015?lang={lang}")
    table = page.split('class="grid makers"')[1].split("</table>")[0]
    rows = re.findall(r'<tr><td><a class="ent" href="/entities/(\w+)">([^<]*)</a></td><td>([^<]*)</td></tr>', table)
    def word(role: str) -> str:  # as the pages write a word: an English one with a capital
        said = MAKER_ROLE.label(role, lang)
        return said[:1].upper() + said[1:]

    assert sorted(rows) == sorted((p, people[p], word(r)) for p, r in zip(mine.person_id, mine.role, strict=True))
    official = get(served, f"/entities/{mine.person_id.iloc[0]}?lang={lang}")
    row = official.split('class="grid decisions"')[1].split('href="/entities/XD0015"')[1].split("</tr>")[0]
    took = "参与决定（{}）" if lang == "zh" else "Decided ({})"
    assert took.format(word(mine.role.iloc[0])) in row, row


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """Two officials' decisions for relatives' companies (test_aggregate's), the agency A1 recording no region
    and no decision a title, loaded, swept and served."""
    from test_aggregate import ONE_DECISION_TWO_RULES

    from conftest import write_dataset

    root = tmp_path_factory.mktemp("tiny")
    files = dict(ONE_DECISION_TWO_RULES)
    files["organizations.csv"] = files["organizations.csv"].replace("agency,330100,", "agency,,")
    path = root / "g.duckdb"
    cli("load", str(write_dataset(root / "d", files)), "--store", str(path), "-q")
    cli("sweep", "--no-load", "--store", str(path), "-o", str(root / "f.csv"), "-q", "--aggregate-out",
        str(root / "ranks"))
    server = Server(["--store", str(path)])
    server.ranks = root / "ranks"  # type: ignore[attr-defined]
    server.start()
    yield server
    server.stop()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_finding_s_evidence_names_an_untitled_decision_by_its_kind_in_the_page_s_language(tiny, lang):
    """The evidence table of a finding names a decision without a title by its kind's word in the page's language
    and its id (许可 D2 / permit D2), as the views do; a Chinese page said `permit D2`. (A titled decision is named
    by its title: the demo's are.)"""
    from govties.graph.vocabulary import DECISION_KIND

    kinds = {"D1": "subsidy", "D2": "permit", "D3": "permit"}
    named: dict[str, set[str]] = {}
    for fid in re.findall(r'data-finding-id="([0-9a-f]{16})"', get(tiny, "/findings?lang=en")):
        table = get(tiny, f"/findings/{fid}?lang={lang}").split('class="grid evidence"')[1].split("</table>")[0]
        for decision_id, name in re.findall(r'<a class="ent" href="/entities/(D\d)">([^<]*)</a>', table):
            named.setdefault(decision_id, set()).add(html.unescape(name))
    assert named == {d: {f"{DECISION_KIND.label(kind, lang)} {d}"} for d, kind in kinds.items()}, named


def test_a_region_no_agency_records_is_named_in_words_listed_last_unranked_and_links_to_its_findings(tiny):
    """The findings of an agency with no region are listed under words the regions' evaluation names them by
    (未登记地区 / (none)), last and unranked (a gap in the data, though its index here is the highest), the note
    saying why; linked, as the regions are by code, to an inbox of as many findings as its row counts, where the
    region filter names it in the same words, ticked."""
    for lang, word, said in (("zh", "未登记地区", "不参与排名"), ("en", "(none)", "listed last, not ranked")):
        page = get(tiny, f"/evaluation?level=regions&lang={lang}")
        ranked = page.split('id="ranking"')[1].split("</table>")[0]
        rows = re.findall(r'<tr>\s*<td[^>]*>([^<]*)</td>\s*<td><a href="([^"]*)">(.*?)</a></td>\s*<td[^>]*>(\d+)</td>'
                          r'(?:\s*<td[^>]*>[^<]*</td>){3}\s*<td[^>]*>([\d.]+)</td>', ranked, re.S)
        assert [(rank, html.unescape(link), name) for rank, link, name, _, _ in rows] == [
            ("1", "/findings?region=3301", "3301 杭州市"), ("—", "/findings?region=%28none%29", word)], ranked
        assert float(rows[1][4]) > float(rows[0][4])  # ranked by its index, it would have come first
        note = re.search(r'id="ranking-note">([^<]*)</p>', page)
        assert note is not None and said in html.unescape(note[1]) and note[1].startswith(("共1个", "1 region")), note
        for _, link, name, counted, _ in rows:
            inbox = get(tiny, f"{html.unescape(link)}&lang={lang}")
            assert len(re.findall(r'data-finding-id="[0-9a-f]{16}"', inbox)) == int(counted) > 0, (name, inbox)
            facet = inbox.split('data-facet="region"')[1].split("</section>")[0]
            assert re.search(rf'<li class="on"><a [^>]*>{re.escape(name)}</a> <span class="count">{counted}</span>',
                             facet), facet


@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    """tiny's two officials (A1 recording no region) beside 41 agencies of other regions, one official each and no
    finding: more regions than the evaluation lists."""
    from test_aggregate import ONE_DECISION_TWO_RULES

    from conftest import write_dataset

    root = tmp_path_factory.mktemp("crowded")
    files = dict(ONE_DECISION_TWO_RULES)
    others = range(41)
    files["organizations.csv"] = files["organizations.csv"].replace("agency,330100,", "agency,,") + "".join(
        f"B{i},第{i}局,agency,{5001 + i},\n" for i in others)
    files["people.csv"] += "".join(f"Q{i},干部{i}\n" for i in others)
    files["positions.csv"] += "".join(f"Q{i},B{i},科长,section,2015-01-01\n" for i in others)
    path = root / "g.duckdb"
    cli("load", str(write_dataset(root / "d", files)), "--store", str(path), "-q")
    cli("sweep", "--no-load", "--store", str(path), "-o", str(root / "f.csv"), "-q")
    server = Server(["--store", str(path)])
    server.start()
    yield server
    server.stop()


def test_the_unranked_row_stays_listed_when_more_regions_are_ranked_than_the_page_lists(crowded):
    """42 regions ranked (3301 and 41 without findings), the first 40 listed, then the findings of the agency that
    records no region, unranked: never cut with the ranked ones, and the regions without findings counted among the
    ranked alone."""
    page = get(crowded, "/evaluation?level=regions&lang=zh")
    ranked = page.split('id="ranking"')[1].split("</table>")[0]
    ranks = re.findall(r"<tr><td class=\"num\">([^<]*)</td><td>(.*?)</td>", ranked)
    assert len(ranks) == 41 and ranks[-1][0] == "—" and "未登记地区" in ranks[-1][1], ranks[-3:]
    assert all(rank.isdigit() for rank, _ in ranks[:-1])
    note = html.unescape(re.search(r'id="ranking-note">([^<]*)</p>', page)[1])
    assert note.startswith("共42个地区参与排名，其中41个无线索（指数为0），显示前40个。“未登记地区”一行"), note


def test_a_county_code_typed_in_the_region_filter_is_said_to_be_read_as_its_prefecture(tiny):
    """330102 (a district) lists the findings filed under 3301 杭州市, and the page says so; so does 330000, read as
    the province-level agencies (33); 3301 and 330100, the city's own codes, say nothing."""
    for given, said in (("330000", ["地区330000按33 浙江省（省级机关）筛选"]), ("330100", [])):
        notes = re.findall(r'<p class="muted region-read">([^<]*)</p>', get(tiny, f"/findings?region={given}&lang=zh"))
        assert [n.split("：")[0] for n in map(html.unescape, notes)] == said, notes
    for lang, said in (("zh", "地区330102按3301 杭州市筛选"), ("en", "Region 330102 is read as 3301 杭州市")):
        typed = get(tiny, f"/findings?region=330102&lang={lang}")
        notes = [html.unescape(n) for n in re.findall(r'<p class="muted region-read">([^<]*)</p>', typed)]
        assert len(notes) == 1 and notes[0].startswith(said), notes
        city = get(tiny, f"/findings?region=3301&lang={lang}")
        ids = re.findall(r'data-finding-id="([0-9a-f]{16})"', typed)
        assert ids and ids == re.findall(r'data-finding-id="([0-9a-f]{16})"', city) and "region-read" not in city


def test_a_region_filter_that_files_no_finding_stays_listed_and_ticked(tiny):
    """A region typed that no finding is filed under (杭州市 as a word, 9999) lists no finding and says so: the
    region facet lists it ticked, at 0, with a link that takes it off; as the agency facet does an agency typed."""
    from urllib.parse import quote

    for typed in ("9999", "杭州市"):
        inbox = get(tiny, f"/findings?region={quote(typed)}&lang=zh")
        assert not re.findall(r'data-finding-id="[0-9a-f]{16}"', inbox)
        facet = inbox.split('data-facet="region"')[1].split("</section>")[0]
        assert re.search(rf'<li class="on"><a href="/findings"[^>]*>[^<]*{typed}[^<]*</a> <span class="count">0</span>',
                         facet), facet
    inbox = get(tiny, "/findings?agency=NO-SUCH-AGENCY&lang=en")
    facet = inbox.split('data-facet="agency"')[1].split("</section>")[0]
    assert re.search(r'<li class="on"><a href="/findings"[^>]*>NO-SUCH-AGENCY</a> <span class="count">0</span>',
                     facet), facet


def test_an_officials_relative_is_drawn_as_one_whether_or_not_the_official_is_drawn(served):
    """Expanded around her company, the official's spouse is drawn as a relative, as she is around him."""
    around_company = json.loads(get(served, "/api/graph/expand?id=XO0005"))
    around_official = json.loads(get(served, "/api/graph/expand?id=XP0003"))
    spouse = [{n["id"]: n["category"] for n in answer["nodes"]}.get("XP0004")
              for answer in (around_company, around_official)]
    assert spouse == ["relative", "relative"], spouse
    assert "XP0003" not in {n["id"] for n in around_company["nodes"]}  # the official is not drawn there


def _years(served) -> list[str]:
    """The years the findings the server shows count in (their evidence's last date), from the sweep's file."""
    last = pd.read_csv(served.findings, dtype=str, keep_default_na=False, encoding="utf-8-sig")["last_date"]
    return sorted({d[:4] for d in last if d})


def _span(served) -> list[str]:
    years = _years(served)
    return [str(y) for y in range(int(years[0]), int(years[-1]) + 1)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_trend_says_which_years_it_shows_and_shows_every_one_when_asked(served, lang):
    """The demo's findings span more years than the trend's six columns: the page says it shows the last six of
    how many (first to last), links to every year, and then shows them all, saying so, a year without findings
    too (a column of 0, not left out); the two periods compared may be any year of the span, not only the six."""
    page = get(served, f"/evaluation?lang={lang}")

    def heads(text: str) -> list[str]:
        return re.findall(r'<th class="num">(\d{4})</th>', text.split('id="trend"')[1].split("</thead>")[0])

    def offered(text: str) -> list[str]:
        return re.findall(r"<option[^>]*>(\d{4})</option>", text.split('<select name="a">')[1].split("</select>")[0])

    span = _span(served)
    quiet = next(y for y in span if y not in _years(served))  # the demo has a year without findings in its span
    said = re.search(r'<p class="muted" id="trend-span">(.*?) <a href="([^"]+)">([^<]+)</a></p>', page)
    assert said is not None
    wide = get(served, html.unescape(said[2]))
    assert heads(wide) == span and heads(page) == span[-6:], (heads(wide), heads(page))
    assert html.unescape(said[1]) == {
        "zh": f"显示最近6年（线索所在年份为{span[0]}—{span[-1]}年，共{len(span)}年）。",
        "en": f"The last 6 years are shown (the findings span {span[0]}–{span[-1]}, {len(span)} years)."}[lang]
    assert said[3] == {"zh": "显示全部年份", "en": "Show every year"}[lang]
    column = span.index(quiet) + 1  # the quiet year's cells: every unit at 0
    trend = wide.split('id="trend"')[1].split("</tbody>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", trend, re.S)[1:]
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[column] for row in rows]
    assert cells and all(re.search(r'<span class="n">0</span>', cell) for cell in cells), cells
    assert offered(page) == offered(wide) == span
    back = re.search(r'<p class="muted" id="trend-span">(.*?) <a href="([^"]+)">', wide)
    assert back is not None and str(len(span)) in back[1] and span[0] in back[1]
    assert heads(get(served, html.unescape(back[2]))) == span[-6:]
    asked = get(served, f"/evaluation?lang={lang}&a={quiet}")  # the year asked for is the one chosen
    assert re.search(rf'<select name="a">.*?<option selected>{quiet}</option>', asked, re.S)


@pytest.mark.parametrize("name,org_id,region", [("晓风文化传媒", "XO0014", "330106 杭州市西湖区"),
                                                ("青山村", "XO0152", "330110001 杭州市余杭区")])
def test_a_search_hit_names_its_organizations_region(served, name, org_id, region):
    """What tells one organization from another of a like name: its region as pages show regions, the division
    code with its name (a village's 9-digit code by its county's), not a bare code."""
    page = get(served, "/search?q=" + urllib.parse.quote(name))
    row = re.search(rf'<a class="hit" href="/entities/{org_id}">[^<]*</a>.*?</tr>', page, re.S)
    assert row is not None, page[:2000]
    assert f'<td class="about">{region}</td>' in row[0] or f'· {region}</td>' in row[0], row[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_two_periods_compared_say_which_units_they_list(served, lang):
    """The comparison lists the units with findings in either period, says how many, and lists the most improved
    first (the change grows down the table)."""
    page = get(served, f"/evaluation?lang={lang}")
    rows = page.split('id="compare"')[1].split("</table>")[0].split("<tr>")[2:]
    note = re.search(r'<p class="muted" id="compare-note">([^<]*)</p>', page)
    assert note is not None and rows
    assert html.unescape(note[1]) == {"zh": f"列出在任一时期有线索的单位（共{len(rows)}个），改善最多的在前。",
                                      "en": f"Agencies with findings in either period: {len(rows)}; the most improved "
                                            "first."}[lang]
    changes = [float(re.findall(r'<td class="num[^"]*">([-+]?[\d.,]+)', r)[-1].replace(",", "")) for r in rows]
    assert changes == sorted(changes), changes
    assert 'id="compare-same"' not in page and "compare-quiet" not in page
    regions = get(served, f"/evaluation?lang={lang}&level=regions")
    assert re.search({"zh": r'id="compare-note">列出在任一时期有线索的地区',
                      "en": r'id="compare-note">Regions with'}[lang], regions)
    quiet = next(y for y in _span(served) if y not in _years(served))  # a year with no findings
    said = get(served, f"/evaluation?lang={lang}&a={quiet}&b={quiet}")
    assert {"zh": "两个时期是同一年，没有变化可比。", "en": "Both periods are the same year: there is no change to "
            "compare."}[lang] in said
    assert {"zh": f"{quiet}年没有线索，其指数均为0。",
            "en": f"{quiet} has no findings: every index there is 0."}[lang] in said
    later = html.unescape(get(served, f"/evaluation?lang={lang}&a=2099"))  # after the data's date: said so
    assert re.search({"zh": r"2099年晚于数据截止日期（\d{4}-\d\d-\d\d），没有线索",
                      "en": r"2099 is after the data's date \(\d{4}-\d\d-\d\d\): no findings"}[lang], later)


def test_a_printed_sheet_says_its_time_with_the_offset_it_is_in(served):
    """A sheet is read away from the workbench: its time says the offset it is shown in, the server's zone's."""
    start = dt.datetime.now(dt.UTC)
    fid = re.search(r'href="/findings/([0-9a-f]{16})"', get(served, "/findings"))[1]
    sheet = get(served, f"/sheet/finding/{fid}")
    assert re.search(rf"govties workbench · {shown_since(start)} \(UTC\+08:00\) · ", sheet), sheet[:1500]
