"""What the views and the report say, in each language: Chinese everywhere under --lang zh, English everywhere
under --lang en; tooltips carry the key properties (masked under --mask); the report's chart keeps every label
inside and shows every year."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner
from conftest import DEMO
from govties.cli.main import main
from govties.graph.duckdb_backend import DuckDBBackend
from govties.graph.regions import region_name
from govties.graph.vocabulary import (DECISION_KIND, EDGE_TYPE, MAKER_ROLE, ORG_KIND, RANK, RELATION, ROLE, SEVERITY)
from govties.loaders import load_dataset
from govties.rules.catalog import catalog
from govties.rules.engine import sweep
from govties.visualize import views
from govties.visualize.chart import years_chart
from govties.visualize.words import UI

CJK = re.compile(r"[\u4e00-\u9fff]")
DATA_TYPES = {"HOLDS_POST"}  # an edge whose label is the data's own words (a post's title)


@pytest.fixture(scope="module")
def demo():
    b = DuckDBBackend()
    b.load(load_dataset(DEMO).tables)
    yield b
    b.close()


def _embedded(text: str) -> dict:
    return json.loads(re.search(r'id="govties-data">(.*?)</script>', text, re.DOTALL).group(1))


def _words(lang: str) -> set[str]:
    """Every word the vocabularies and the page's table show in `lang`."""
    out = {say[0 if lang == "en" else 1] for say in UI.values()}
    for v in (SEVERITY, EDGE_TYPE, ORG_KIND, RELATION, ROLE, RANK, DECISION_KIND, MAKER_ROLE):
        out |= set(v.labels(lang).values())
    return out


def _views(demo, tmp_path, lang):
    rules = list(catalog().values())
    result = sweep(demo, rules, lang=lang)
    pages = {"overview": views.overview(demo, result.findings, rules),
             "around": views.neighbourhood(demo, "XP0039", 2, 200, result.findings, rules),
             "path": views.connections(demo, "XP0032", "XO0036", 4, 3, 5000)}
    for f in result.findings:
        pages.setdefault(f"finding-{f['rule']}", views.finding(demo, result.findings, f["finding_id"], rules))
    return {k: _embedded(views.write_view(v, tmp_path / f"{k}-{lang}.html", lang=lang).read_text(encoding="utf-8"))
            for k, v in pages.items()}


def _shown_words(data: dict) -> list[str]:
    """The page's own words: UI, legend, notes, rule and severity names, edge labels of the vocabularies' edges,
    tooltip keys."""
    out = list(data["ui"].values()) + [x["label"] for x in data["legend"]]
    out += [f["rule_title"] for f in data["findings"] if f["rule"] != "path"]
    out += [f["severity_label"] for f in data["findings"] if f.get("severity")]
    for n in data["nodes"]:
        for line in (n.get("title") or "").split("\n")[1:]:
            if ": " in line and not line.startswith("· "):
                out.append(line.split(": ")[0])
    return [w for w in out if w]


def test_chinese_view_is_chinese_everywhere(demo, tmp_path):
    for name, data in _views(demo, tmp_path, "zh").items():
        assert data["lang"] == "zh"
        for word in _shown_words(data):
            assert CJK.search(word), f"{name}: {word!r} is not Chinese"
        english = _words("en") - _words("zh")
        for n in data["nodes"]:
            if n["category"] == "edge-label":
                first = n["label"].split("\n")[0]
                assert first.split(" ")[0] not in english, f"{name}: edge label {n['label']!r}"
        for note in data["notes"]:
            assert CJK.search(note), f"{name}: note {note!r}"


def test_english_view_is_english_everywhere(demo, tmp_path):
    chinese = {w for w in _words("zh") if CJK.search(w)}
    for name, data in _views(demo, tmp_path, "en").items():
        for word in _shown_words(data):
            if word in {f["rule_title"] for f in data["findings"]}:
                continue  # the catalog's titles are the rules' own words
            assert not CJK.search(word), f"{name}: {word!r} is not English"
        for n in data["nodes"]:
            if n["category"] == "edge-label":
                for line in n["label"].split("\n"):
                    assert line.split(" ")[0] not in chinese, f"{name}: edge label {n['label']!r}"


def test_tooltips_carry_the_key_properties_and_mask_ids(demo, tmp_path):
    rule = catalog()["post-retirement"]
    result = sweep(demo, [rule], lang="en")
    f = next(x for x in result.findings if x["official_id"] == "XP0039")  # planted.csv: a division-rank retiree
    view = views.finding(demo, result.findings, f["finding_id"], [rule])
    page = views.write_view(view, tmp_path / "t.html", lang="en").read_text(encoding="utf-8")
    tips = {n["id"]: n["title"] for n in _embedded(page)["nodes"] if n.get("category") not in ("port",)}
    official = tips["XP0039"]
    assert "born: 1958-01-01" in official and "resident ID: 330102195801011074" in official
    assert "局长 · 杭州市生态环境局 · division · 2008-01-01 – 2019-01-31 · retired" in official
    decision = next(t for i, t in tips.items() if i.startswith("XD"))
    assert re.search(r"date: \d{4}-\d{2}-\d{2}", decision) and "issued by: " in decision and "kind: permit" in decision
    company = tips[f["org_id"]]
    assert "credit code: " in company
    region = re.search(r"region: (\S+)(.*)", company)  # the code with its name, as the workbench shows it
    assert region and region[2] == f" {region_name(region[1])}" and region_name(region[1])
    chinese = views.write_view(view, tmp_path / "z.html", lang="zh").read_text(encoding="utf-8")
    said = [n.get("title") or "" for n in _embedded(chinese)["nodes"]]
    assert any("编号：" in t for t in said)
    assert not [t for t in said if re.search(r"[\u4e00-\u9fff]: ", t)]  # full-width colons after Chinese
    post = [n["title"] for n in _embedded(page)["nodes"] if n.get("category") == "edge-label" and "局长" in n["label"]]
    assert post and "rank: division" in post[0]
    masked = views.write_view(view, tmp_path / "m.html", lang="zh", mask=True).read_text(encoding="utf-8")
    assert "330102195801011074" not in masked and "330102********1074" in masked
    embedded = json.dumps(_embedded(masked), ensure_ascii=False)
    assert "身份证号：330102********1074" in embedded  # a full-width colon after Chinese
    # the 8 hidden digits are the birth date: a masked page shows no birth date anywhere
    assert "1958-01-01" not in masked and "19580101" not in masked and "出生日期：****-**-**" in embedded
    assert "born: 1958-01-01" in page  # the unmasked view still shows it


def test_report_in_chinese_and_in_english(tmp_path):
    for lang in ("zh", "en"):
        res = CliRunner().invoke(main, ["report", str(DEMO), "--out", str(tmp_path / lang), "-q", "--lang", lang])
        assert res.exit_code == 0, res.output
        text = (tmp_path / lang / "report.html").read_text(encoding="utf-8")
        heads = (re.findall(r"<(?:h1|h2|th)>(.*?)</", text)
                 + re.findall(r"<head>.*?<title>(.*?)</title>", text, re.DOTALL))
        assert len(heads) > 20
        for h in heads:
            assert bool(CJK.search(h)) == (lang == "zh"), f"{lang}: heading {h!r}"
        titles = {r.title(lang) for r in catalog().values()}
        assert all(html.escape(t) in text for t in titles)
        assert ("线索仅供核查" in text) == (lang == "zh") and ("not proof of wrongdoing" in text) == (lang == "en")


def test_report_tables_show_titles_and_grouped_amounts(tmp_path):
    """The ranked tables name rules by their titles in the report's language (never by id), give amounts in yuan
    grouped by thousands without decimals, and right-align every number."""
    ids = set(catalog())
    for lang in ("zh", "en"):
        res = CliRunner().invoke(main, ["report", str(DEMO), "--out", str(tmp_path / lang), "-q", "--lang", lang])
        assert res.exit_code == 0, res.output
        text = (tmp_path / lang / "report.html").read_text(encoding="utf-8")
        cells = re.findall(r"<td( class=num)?>(.*?)</td>", text)
        assert not [c for _, c in cells if c in ids or any(part in ids for part in re.split("[、;] ?", c))]
        assert not [c for _, c in cells if re.fullmatch(r"-?\d+\.0", c)]  # no stray .0
        amounts = [c for _, c in cells if re.fullmatch(r"\d{1,3}(,\d{3})+", c)]
        assert len(amounts) >= 5, amounts
        assert all(num for num, c in cells if re.fullmatch(r"[\d,.]+", c))  # numbers right-aligned
        titles = {r.title(lang) for r in catalog().values()}
        companies = text.split(f"<h2>{html.escape(UI['ranked_companies'][0 if lang == 'en' else 1])}</h2>")[1]
        companies = companies.split("</table>")[0]
        heads = re.findall(r"<th>(.*?)</th>", companies)
        column = heads.index(html.escape(UI["col_rules"][0 if lang == "en" else 1]))
        rows = [re.findall(r"<td(?: class=num)?>(.*?)</td>", r) for r in companies.split("<tr>")[2:]]
        shown = [html.unescape(r[column]) for r in rows]
        assert any(("、" if lang == "zh" else "; ") in c for c in shown)  # a company seen by two rules
        assert all(set(re.split("、" if lang == "zh" else "; ", c)) <= titles for c in shown), shown


def _svg(html_text: str) -> ET.Element:
    svg = re.search(r"<svg.*?</svg>", html_text, re.DOTALL).group(0)
    return ET.fromstring(svg)


def test_report_chart_keeps_labels_inside_and_shows_every_year():
    findings = [{"first_date": d} for d in ["2015-03-01"] * 9 + ["2018-01-01"] * 2 + ["2021-06-30"] * 5]
    svg = _svg(years_chart(findings, "en"))
    ns = "{http://www.w3.org/2000/svg}"
    height, width = float(svg.get("height")), float(svg.get("width"))
    years = [t.text for t in svg.iter(f"{ns}text") if t.get("class") == "year"]
    assert years == [str(y) for y in range(2015, 2022)]  # 2016, 2017, 2019 and 2020 had none: shown as zero
    counts = [t for t in svg.iter(f"{ns}text") if t.get("class") == "count"]
    assert [int(t.text) for t in counts] == [9, 0, 0, 2, 0, 0, 5]
    for t in svg.iter(f"{ns}text"):
        x, y = float(t.get("x")), float(t.get("y"))
        assert 0 <= x <= width and 10 <= y <= height, (t.text, x, y)  # a 10-px label's top is inside too
    bars = list(svg.iter(f"{ns}rect"))
    assert len(bars) == 7 and all(float(b.get("y")) >= 10 for b in bars)
    tallest = max(bars, key=lambda b: float(b.get("height")))
    top_label = counts[bars.index(tallest)]
    assert float(top_label.get("y")) - 10 >= 0 and float(top_label.get("y")) < float(tallest.get("y"))


def test_report_chart_of_the_demo(tmp_path):
    res = CliRunner().invoke(main, ["report", str(DEMO), "--out", str(tmp_path / "r"), "-q"])
    assert res.exit_code == 0
    svg = _svg((tmp_path / "r" / "report.html").read_text(encoding="utf-8"))
    ns = "{http://www.w3.org/2000/svg}"
    years = [int(t.text) for t in svg.iter(f"{ns}text") if t.get("class") == "year"]
    assert years == list(range(years[0], years[-1] + 1))
    assert all(float(t.get("y")) >= 10 for t in svg.iter(f"{ns}text"))


def test_a_skipped_rule_says_why_in_the_sweeps_language(tmp_path):
    """The sweep's summary and the report say which input a skipped rule needs, in Chinese or in English."""
    from conftest import MINIMAL, write_dataset

    data = write_dataset(tmp_path / "d", MINIMAL)  # no positions.csv: post-retirement is skipped
    for lang, said in (("zh", "跳过：缺少输入：positions.csv（数据集中不存在或为空）"),
                       ("en", "skipped: needs positions.csv, absent or empty in this dataset")):
        res = CliRunner().invoke(main, ["sweep", str(data), "-o", str(tmp_path / f"{lang}.csv"), "--lang", lang])
        assert res.exit_code == 0, res.output
        assert said in res.output
        res = CliRunner().invoke(main, ["report", str(data), "-o", str(tmp_path / lang), "--lang", lang, "-q"])
        assert res.exit_code == 0, res.output
        page = html.unescape((tmp_path / lang / "report.html").read_text(encoding="utf-8"))
        assert said.split("：", 1)[-1].removeprefix("skipped: ") in page
        row = re.search(r"<tr><td>[^<]*</td>((?:<td class=num>[^<]*</td>)+)<td>[^<]*positions\.csv", page)
        assert row and set(re.findall(r"<td class=num>([^<]*)</td>", row[1])) == {"—"}, page  # no counts: not run


def test_a_count_of_one_is_singular_in_english_and_chinese_is_as_written():
    from govties.visualize.words import say
    from govties.workbench.words import word

    assert [say("decisions_n", "en", n=k) for k in (0, 1, 2)] == ["0 decisions", "1 decision", "2 decisions"]
    assert say("n_findings", "en", n=1) == "1 finding" and say("n_findings", "zh", n=1) == "1条线索"
    assert word("folded", "en", n=1) == "1 decision" and word("folded", "en", n=3) == "3 decisions"
    assert word("group_official", "en", n=1) == "New case for this official (1 finding)"
    assert word("folded", "zh", n=1) == "1项决定"


def test_a_count_makes_the_words_plural_but_never_a_value_it_carries():
    """"(s)" after a counted noun becomes "" or "s"; the same three characters inside a name that fills the text
    stay as they are (a company may be called "Tools(s) Ltd")."""
    from govties.visualize.words import say
    from govties.workbench.words import word

    one = say("note_paths", "en", n=1, hops=3, a="Tools(s) Ltd", b="B(s)")
    assert one.startswith("1 path of at most 3 steps") and "Tools(s) Ltd" in one and "B(s)" in one
    assert say("note_paths", "en", n=2, hops=3, a="A", b="B").startswith("2 paths ")
    line = word("recorded_sweep", "en", at="(s)", as_of="2024-01-01", n=1)
    assert line.endswith("1 finding)") and "Latest sweep: (s) " in line


def test_english_nouns_agree_with_their_counts():
    """One declaration of English plurals: a noun's plural ending is written after it, and is left out for one."""
    from govties.graph.vocabulary import agree_with, counted

    assert counted("{n} finding(s), {n} match(es), {n} company(ies)", 1) == "{n} finding, {n} match, {n} company"
    assert counted("{n} finding(s), {n} match(es), {n} company(ies)", 2) == (
        "{n} findings, {n} matches, {n} companies")
    template = "through {hops} intermediate company(ies), {n} possible match(es) and {n} tender(s)"
    assert agree_with(template, {"hops": 1, "n": 3}).format(hops=1, n=3) == (
        "through 1 intermediate company, 3 possible matches and 3 tenders")
    assert agree_with(template, {"hops": 2, "n": 1}).format(hops=2, n=1) == (
        "through 2 intermediate companies, 1 possible match and 1 tender")


def test_an_explanation_counts_one_intermediate_company_in_the_singular(tmp_path):
    from conftest import write_dataset

    files = {
        "people.csv": "person_id,name\nP1,刘文\nP2,刘小文\n",
        "organizations.csv": "org_id,name,kind\nA1,市自然资源局,agency\nC1,远景投资有限公司,company\n"
                             "C3,远景置业有限公司,company\n",
        "relatives.csv": "person_id,relative_id,relation\nP1,P2,child\n",
        "company_roles.csv": "holder_id,org_id,role,share,start_date\nP2,C1,shareholder,0.9,2010-01-01\n"
                             "C1,C3,shareholder,0.51,2010-01-01\n",
        "decisions.csv": "decision_id,kind,date,agency_id,beneficiary_id,amount\nD1,land,2020-01-01,A1,C3,80000000\n",
        "decision_makers.csv": "decision_id,person_id\nD1,P1\n",
    }
    out = tmp_path / "f.jsonl"
    res = CliRunner().invoke(main, ["sweep", str(write_dataset(tmp_path / "d", files)), "-o", str(out), "-q",
                                    "--lang", "en", "--rules", "indirect-relative-business"])
    assert res.exit_code == 0, res.output
    [row] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert "held through 1 intermediate company, each link" in row["explanation"], row["explanation"]


@pytest.mark.parametrize("lang, sep", [("zh", "、"), ("en", ", ")])
def test_an_explanation_lists_a_findings_decisions_as_its_language_lists_words(tmp_path, lang, sep):
    """The decision_ids column joins ids with ';' for a machine; the sentence a person reads lists them as the
    language lists words (it read 'XD0116;XD0117;XD0118')."""
    out = tmp_path / "f.jsonl"
    res = CliRunner().invoke(main, ["sweep", str(DEMO), "-o", str(out), "-q", "--lang", lang, "--rules",
                                    "split-decisions,decision-concentration"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    several = [r for r in rows if ";" in r["decision_ids"]]
    assert several
    for r in several:
        assert sep.join(r["decision_ids"].split(";")) in r["explanation"], r["explanation"]
        assert r["decision_ids"] not in r["explanation"]


def test_a_role_still_held_does_not_read_as_ended_on_the_sweeps_date(tmp_path):
    """in-office-business dates a finding by the overlap of role and post; an overlap still open runs to the sweep's
    date, and the explanation says both are still held then (it read as if the role had ended that day)."""
    out = tmp_path / "f.jsonl"
    res = CliRunner().invoke(main, ["sweep", str(DEMO), "-o", str(out), "-q", "--lang", "en", "--rules",
                                    "in-office-business"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    still = " (both still held on that date, the sweep's reference date) while holding the post of "
    open_, ended = [r for r in rows if still in r["explanation"]], [r for r in rows if still not in r["explanation"]]
    assert open_ and ended
    assert all(r["last_date"] == r["as_of"] for r in open_)
    assert all(f"to {r['last_date']} while holding the post of" in r["explanation"] for r in ended)
    res = CliRunner().invoke(main, ["sweep", str(DEMO), "-o", str(out), "-q", "--lang", "en", "--rules",
                                    "in-office-business", "--as-of", "2000-01-01"])  # before every overlap began
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows and not any(still in r["explanation"] for r in rows)


def test_a_holder_shared_by_three_bidders_is_not_said_to_be_in_both(tmp_path):
    """The demo's XD0057 ring: one holder in three bidders; the English said "holds a role in both"."""
    out = tmp_path / "f.jsonl"
    res = CliRunner().invoke(main, ["sweep", str(DEMO), "-o", str(out), "-q", "--lang", "en", "--rules",
                                    "bid-collusion"])
    assert res.exit_code == 0, res.output
    said = [json.loads(line)["explanation"] for line in out.read_text(encoding="utf-8").splitlines()]
    ring = ("In tender XD0057, bidder 乙建筑工程有限公司 is linked to 丙建筑工程有限公司, 甲建筑工程有限公司: 黄老板 "
            "holds a role in each of them")
    three = [s for s in said if s.startswith(ring)]
    assert len(three) == 1 and not any("in both" in s for s in said)


def test_a_wrapped_chinese_name_leaves_no_character_alone_on_its_last_line():
    """A company's name wrapped to its box's width ended on a lone 司 (合成单位O0000430有限公 / 司); the character
    before it goes along, and every line still fits the width."""
    from govties.visualize.style import NODE_FONT, text_width, wrap

    width = 112  # a company's name in its box (style.node_label)
    for name in ("合成单位O0000430有限公司", "西湖餐饮管理有限公司", "浙江宏达建设工程有限公司"):
        lines = wrap(name, width)
        assert "".join(lines) == name
        assert len(lines[-1]) > 1 and all(text_width(line, NODE_FONT) <= width for line in lines), lines
    assert wrap("周国平", 112) == ["周国平"]
    assert wrap("Hangzhou Westlake Catering Management", 112)[-1] == "Management"  # words break at spaces as before

