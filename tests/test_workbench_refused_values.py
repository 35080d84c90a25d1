"""What the workbench says of a value it does not take, against a real `govties serve` over plain HTTP: a filter
typed that cannot be read is refused beside the inbox's form, which keeps it as typed; a value of the inbox's URL
that names nothing (a severity, a status, a rule) is refused beside it too, in the page's language; a finding to
explore that names none is said to be none (404), under --mask alike for a plain id and a guess; under --mask a text
holding a number as the page shows it masked is refused quoting the masked numbers it holds."""

from __future__ import annotations

import html
import re
import urllib.parse

import pytest

from workbench_http_support import csrf_of, minimal_store, request, session_of, store_and_server, triage_form
from workbench_support import Server

SECRET = "k" * 32  # the mask key of the masked server


store, served = store_and_server("refused")


@pytest.fixture(scope="module")
def masked(tmp_path_factory):
    """serve --mask over a store of its own (a DuckDB file serves one process)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GOVTIES_MASK_KEY", SECRET)
        made = minimal_store(tmp_path_factory.mktemp("masked"))
        server = Server(["--store", str(made["path"])], extra=["--mask"]).start()
        server.finding_id = made["finding_id"]  # type: ignore[attr-defined]
        yield server
        server.stop()


def said_in(page: str, element_id: str) -> list[str]:
    """The lines a reader sees in an element (its paragraphs), entities read."""
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</div>', page, re.S)
    assert found, page[:800]
    return [html.unescape(re.sub(r"<[^>]+>", "", p)) for p in re.findall(r"<p[^>]*>(.*?)</p>", found[1], re.S)]


def box(page: str, name: str) -> str:
    """The text a filter box of the inbox's form holds, as a browser reads it."""
    found = re.search(rf'<form class="filters".*?<input name="{name}" value="([^"]*)"', page, re.S)
    assert found, page[:800]
    return html.unescape(found[1])


@pytest.mark.parametrize("lang, said", [
    ("zh", ["1个筛选条件未采用",
            "最低金额：“abc”不是金额。请写数字（1500000、1,500,000），可带¥或元，或写作120万、1.2亿。"]),
    ("en", ["1 filter not applied", "Min amount: 'abc' is not an amount. Write digits (1500000, 1,500,000), with ¥ "
                                    "or 元 if you like, or 120万, 1.2亿."])])
def test_an_amount_that_cannot_be_read_is_refused_beside_the_inbox_s_form_which_keeps_it(served, lang, said):
    """Min amount abc: the inbox (400), not an error page: the refusal beside the filter form in the page's language,
    the box holding abc, the other boxes as read, and the findings the other filters give."""
    listed = re.findall(r'data-finding-id="([^"]+)"', request(served, "GET", f"/findings?lang={lang}").text)
    got = request(served, "GET", f"/findings?amount_min=abc&amount_max={urllib.parse.quote('1亿')}&lang={lang}")
    assert got.status == 400, got.text[:800]
    assert 'id="error-heading"' not in got.text and '<table class="grid findings" id="findings">' in got.text
    assert said_in(got.text, "filter-refused") == said
    assert (box(got.text, "amount_min"), box(got.text, "amount_max")) == ("abc", "100,000,000")
    assert listed and re.findall(r'data-finding-id="([^"]+)"', got.text) == listed
    assert 'name="amount_min" value="abc" aria-invalid="true"' in got.text
    assert 'name="amount_max" value="100,000,000" aria-invalid' not in got.text


def test_a_refused_box_holds_what_was_typed_escaped(served):
    """What was typed is given back as text, in the box and in the refusal: never as markup."""
    typed = '<b>1"2&3</b>'
    got = request(served, "GET", f"/findings?amount_min={urllib.parse.quote(typed)}&date_to=31.2.2020&lang=en")
    assert got.status == 400 and "<b>" not in got.text
    assert (box(got.text, "amount_min"), box(got.text, "date_to")) == (typed, "31.2.2020")
    assert said_in(got.text, "filter-refused") == [
        "2 filters not applied", f"Min amount: {typed!r} is not an amount. Write digits (1500000, 1,500,000), with "
        "¥ or 元 if you like, or 120万, 1.2亿.", "To: '31.2.2020' is not a date (YYYY-MM-DD)."]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_range_typed_the_wrong_way_round_is_refused_not_read_as_what_spans_both(served, lang):
    """From 2023 to 2022, or a minimum amount above the maximum: each pair refused beside the form (the list held
    only the findings that span both dates, a short list that read as complete), neither end applied, each box
    holding what was typed."""
    listed = re.findall(r'data-finding-id="([^"]+)"', request(served, "GET", f"/findings?lang={lang}").text)
    for low, high, a, b in (("date_from", "date_to", "2023-01-01", "2022-01-01"),
                            ("amount_min", "amount_max", "1.2亿", "100万")):
        got = request(served, "GET", f"/findings?{low}={urllib.parse.quote(a)}&{high}={urllib.parse.quote(b)}"
                                     f"&lang={lang}")
        assert got.status == 400, got.text[:800]
        said = refused_filters(got.text)
        assert set(said) == {low}, said  # one line for the pair (it was said twice, once from each end)
        assert a in said[low] and b in said[low], said
        assert said_in(got.text, "filter-refused")[0] in ("2个筛选条件未采用", "2 filters not applied")
        assert ("是否填反了" if lang == "zh" else "the wrong way round") in said[low], said
        assert re.findall(r'data-finding-id="([^"]+)"', got.text) == listed  # unfiltered, as said
        assert (box(got.text, low), box(got.text, high)) == (a, b)  # as typed
        assert f'name="{low}" value="{a}" aria-invalid="true"' in got.text
        assert f'name="{high}" value="{b}" aria-invalid="true"' in got.text


def error_message(page: str) -> str:
    found = re.search(r'id="error-message">(.*?)</p>', page, re.S)
    assert found, page[:800]
    return html.unescape(found[1])


def refused_filters(page: str) -> dict[str, str]:
    """The refusals the inbox says beside its form: the filter's name -> the sentence."""
    found = re.search(r'<div class="message bad" id="filter-refused" role="alert">(.*?)</div>', page, re.S)
    assert found, page[:800]
    return {name: html.unescape(text) for name, text in re.findall(r'<p data-filter="(\w+)">(.*?)</p>', found[1])}


@pytest.mark.parametrize("lang, said", [
    ("zh", ["风险等级应为high、medium、low（高、中、低）之一，不能是“ultra”。",
            "核查状态应为open、in_review、confirmed、dismissed（待核查、核查中、已确认、已排除）之一，不能是“zz”、“<b>”。"]),
    ("en", ["Severity 'ultra': choose among high, medium, low.",
            "Status 'zz', '<b>': choose among open, in_review, confirmed, dismissed."])])
def test_an_inbox_value_edited_in_the_url_is_refused_in_the_page_s_language(served, lang, said):
    """?severity=ultra, ?status=zz: refused (400) beside the inbox's form, as a box's unreadable amount is, saying
    which values it takes, in the page's language, the value quoted as text; the inbox lists every finding, as
    with no such filter, and no error page stands in for it."""
    everything = listed_ids(request(served, "GET", "/findings").text)
    for (name, query), sentence in zip((("severity", "severity=ultra"), ("status", "status=zz&status=%3Cb%3E")), said,
                                       strict=True):
        got = request(served, "GET", f"/findings?{query}&lang={lang}")
        assert got.status == 400 and refused_filters(got.text) == {name: sentence}, got.text[:800]
        assert "<b>" not in got.text and 'id="error-message"' not in got.text
        assert listed_ids(got.text) == everything != []


@pytest.mark.parametrize("query, name, said", [
    ("size=100000", "size", "A page holds 20, 50, 100, 200 findings, not 100000."),
    ("size=abc", "size", "A page holds 20, 50, 100, 200 findings, not 'abc'."),
    ("size=%C2%B2", "size", "A page holds 20, 50, 100, 200 findings, not '²'."),  # a digit to str.isdigit alone
    ("score_min=150", "score_min", "A minimum score runs from 0 to 100, not 150."),
    ("score_min=100.5", "score_min", "A minimum score runs from 0 to 100, not 100.5."),
    ("score_min=-3", "score_min", "A minimum score runs from 0 to 100, not -3.")])
def test_a_page_size_or_score_out_of_range_is_refused_not_silently_changed(served, query, name, said):
    """?size=100000 showed 50 a page, ?score_min=150 showed nothing, neither saying why: refused (400) beside
    the form, the inbox listing its first 50 findings as with no such filter."""
    first = listed_ids(request(served, "GET", "/findings").text)
    got = request(served, "GET", f"/findings?{query}&lang=en")
    assert got.status == 400 and refused_filters(got.text) == {name: said}, got.text[:800]
    assert listed_ids(got.text) == first != []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_rule_the_catalog_has_not_is_refused_and_a_rule_s_title_filters_as_its_id(served, lang):
    """?rule=no-such-rule: refused beside the form (400) naming the rules there are, the findings of the other
    filters listed; a rule's title in either language (为亲属经营企业谋利（影子腐败）) filters as its id does."""
    from govties.rules.catalog import catalog

    rules = catalog()
    got = request(served, "GET", f"/findings?rule=no-such-rule&rule=relative-business&lang={lang}")
    said = {"zh": f"规则应为{'、'.join(rules)}之一，不能是“no-such-rule”。",
            "en": f"Rule 'no-such-rule': choose among {', '.join(rules)}."}[lang]
    assert got.status == 400 and refused_filters(got.text) == {"rule": said}, got.text[:800]
    by_id = listed_ids(request(served, "GET", "/findings?rule=relative-business").text)
    assert listed_ids(got.text) == by_id != []
    for title_lang in ("zh", "en"):
        title = urllib.parse.quote(rules["relative-business"].title(title_lang))
        titled = request(served, "GET", f"/findings?rule={title}&lang={lang}")
        assert titled.status == 200 and listed_ids(titled.text) == by_id


def listed_ids(page: str) -> list[str]:
    return re.findall(r'data-finding-id="([^"]+)"', page)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_vocabulary_s_word_in_the_url_filters_as_its_id_does(served, lang):
    """The refusal lists 高、中、低 and 待核查 … beside the ids: ?severity=高 is read as high (200, the findings high
    gives, the facet's high marked), 待核查 as open, 核查中 and "in review" as in_review."""
    for word, value in (("高", "high"), ("中", "medium"), ("低", "low"), ("HIGH", "high")):
        got = request(served, "GET", f"/findings?severity={urllib.parse.quote(word)}&lang={lang}")
        assert got.status == 200 and 'id="error-message"' not in got.text, got.text[:800]
        assert listed_ids(got.text) == listed_ids(request(served, "GET", f"/findings?severity={value}").text)
        if value == "high":  # the one finding is high: its facet's value marked, its link taking the filter off
            assert listed_ids(got.text) and re.search(r'<li class="on"><a href="/findings[^"]*" data-value="high"',
                                                      got.text), got.text[:800]
    for word, value in (("待核查", "open"), ("核查中", "in_review"), ("in review", "in_review"),
                        ("已排除", "dismissed")):
        got = request(served, "GET", f"/findings?status={urllib.parse.quote(word)}&lang={lang}")
        assert got.status == 200 and 'id="error-message"' not in got.text, got.text[:800]
        assert listed_ids(got.text) == listed_ids(request(served, "GET", f"/findings?status={value}").text)
    both = request(served, "GET", "/findings?" + urllib.parse.urlencode({"severity": "高", "status": "待核查"}))
    assert both.status == 200 and listed_ids(both.text) == listed_ids(
        request(served, "GET", "/findings?severity=high&status=open").text) != []


@pytest.mark.parametrize("lang, said", [
    ("zh", {"severity": "风险等级应为high、medium、low（高、中、低）之一，不能是“<b>x”。",
            "status": "核查状态应为open、in_review、confirmed、dismissed（待核查、核查中、已确认、已排除）之一，"
                      "不能是“zz”。"}),
    ("en", {"severity": "Severity '<b>x': choose among high, medium, low.",
            "status": "Status 'zz': choose among open, in_review, confirmed, dismissed."})])
def test_every_wrong_value_of_the_inbox_s_url_is_named_and_the_rest_are_taken(served, lang, said):
    """?status=zz&severity=<b>x&severity=高: each wrong filter named beside the form (400), not only the first; the
    word beside the wrong severity is taken (the findings of ?severity=high are listed, its facet value marked)."""
    got = request(served, "GET", f"/findings?status=zz&severity=%3Cb%3Ex&severity={urllib.parse.quote('高')}"
                                 f"&lang={lang}")
    assert got.status == 400 and refused_filters(got.text) == said and "<b>" not in got.text, got.text[:800]
    assert listed_ids(got.text) == listed_ids(request(served, "GET", "/findings?severity=high").text) != []
    assert re.search(r'<li class="on"><a href="/findings[^"]*" data-value="high"', got.text), got.text[:800]


@pytest.mark.parametrize("lang, said", [("zh", "没有编号为“{id}”的已记录线索。"), ("en", "No recorded finding {id}.")])
def test_exploring_a_finding_that_is_none_says_so_with_404(served, store, lang, said):
    """/explore?finding= naming no finding: the error page (404) saying so in the page's language, with the way to
    the inbox, not an empty canvas; a recorded finding's id opens the graph."""
    for given in ("0123456789abcdef", "<i>x</i>"):
        got = request(served, "GET", f"/explore?finding={urllib.parse.quote(given)}&lang={lang}")
        assert got.status == 404 and 'id="explore-graph"' not in got.text, got.text[:800]
        assert error_message(got.text) == said.format(id=given) and "<i>" not in got.text
        assert '<a href="/findings" id="error-back">' in got.text
    known = request(served, "GET", f"/explore?finding={store['finding_id']}&lang={lang}")
    assert known.status == 200 and 'id="explore-graph"' in known.text and 'id="error-message"' not in known.text


RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: obeyed, it shows the rest of its sentence reversed


@pytest.mark.parametrize("lang, said", [
    ("zh", {"explore": "没有编号为“abc\\u202edef”的已记录线索。",
            "entity": "图中没有编号为“abc\\u202edef”的人员、单位或决定。",
            "severity": "风险等级应为high、medium、low（高、中、低）之一，不能是“a\\u202eb\\n\\x07c”。",
            "amount": "最低金额：“abc\\u202edef”不是金额。请写数字（1500000、1,500,000），可带¥或元，"
                      "或写作120万、1.2亿。",
            "date": "截止日期：“2020\\u2066-01\\n-01”不是日期（YYYY-MM-DD）。"}),
    ("en", {"explore": "No recorded finding abc\\u202edef.",
            "entity": "No person, organization or decision with id 'abc\\u202edef' in the graph.",
            "severity": "Severity 'a\\u202eb\\n\\x07c': choose among high, medium, low.",
            "amount": "Min amount: 'abc\\u202edef' is not an amount. Write digits (1500000, 1,500,000), with ¥ or 元 "
                      "if you like, or 120万, 1.2亿.",
            "date": "To: '2020\\u2066-01\\n-01' is not a date (YYYY-MM-DD)."})])
def test_a_value_typed_or_held_by_a_link_is_quoted_with_its_controls_escaped(served, lang, said):
    """A bidirectional override (U+202E) or isolate (U+2066), a line break or a bell in what a refusal quotes is
    shown as its escape, never obeyed: the explore and entity pages' 404, filters refused beside the form (a
    severity, an amount, a date); the refused box keeps what was typed (an input is isolated from the text around
    it)."""
    def get(path: str):
        return request(served, "GET", f"{path}&lang={lang}" if "?" in path else f"{path}?lang={lang}")

    def read(page: str) -> str:  # the page's text, not its tags' attributes (a link, a box's value)
        return html.unescape(re.sub(r"<[^>]+>", "", page))

    for path, key in (("/explore?finding=abc%E2%80%AEdef", "explore"), ("/entities/abc%E2%80%AEdef", "entity")):
        got = get(path)
        assert got.status == 404 and error_message(got.text) == said[key], got.text[:800]
        assert RLO not in read(got.text) and "\x07" not in read(got.text)
    got = get("/findings?amount_min=abc%E2%80%AEdef&date_to=2020%E2%81%A6-01%0A-01&severity=a%E2%80%AEb%0A%07c")
    assert got.status == 400 and said_in(got.text, "filter-refused")[1:] == [said["amount"], said["date"],
                                                                              said["severity"]]
    assert "\x07" not in read(got.text)
    assert box(got.text, "amount_min") == f"abc{RLO}def" and box(got.text, "date_to") == "2020\u2066-01\n-01"
    assert RLO not in read(got.text) and "\u2066" not in read(got.text)


def test_exploring_a_plain_finding_id_under_mask_reads_as_a_guess_does(masked):
    """serve --mask takes the keyed id; the plain id of a recorded finding is refused as a guess is, both quoted with
    their middle hidden, so that the answer never tells a real plain id from a guess."""
    from govties.privacy import keyed_id

    plain = masked.finding_id
    key = keyed_id(plain, SECRET.encode())
    assert request(masked, "GET", f"/explore?finding={key}").status == 200
    for given in (plain, "0123456789abcdef"):
        got = request(masked, "GET", f"/explore?finding={given}&lang=en")
        assert got.status == 404 and error_message(got.text) == f"No recorded finding {given[:4]}********{given[-4:]}."
        assert plain not in got.text and key not in got.text


MASKED_SAID = {
    "zh": "{what}中有本页脱敏显示的号码（{masked}），照此保存将只记下脱敏后的号码，因此没有保存："
          "请填写完整号码，或删去它。",
    "en": "{what} holds a number as this masked page shows it ({masked}): saved so, only the mask would be recorded, "
          "so nothing was saved. Type the number in full, or remove it.",
}


def alert(page: str) -> str:
    """The text of a page's refusal (role="alert"), as a reader sees it, up to a box it holds."""
    found = re.search(r'role="alert">(.*?)(?:<label|</div>)', page, re.S)
    assert found, page[:800]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", found[1])).split())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_masked_number_typed_back_is_refused_quoting_the_one_typed(masked, lang):
    """Under --mask a triage note, a case's title and a case's note holding numbers as the page shows them masked
    are refused quoting those numbers (each once, as typed), never a fixed example, in the page's language."""
    from govties.privacy import keyed_id

    sep, what = {"zh": ("、", ("备注", "案件名称", "记录")), "en": (", ", ("The note", "The title", "The note"))}[lang]
    key = keyed_id(masked.finding_id, SECRET.encode())
    page = request(masked, "GET", f"/findings/{key}?lang={lang}")
    cookie, own = session_of(page), {"Origin": masked.url}
    note = "<b>call 137****4321</b>, then 186****0000, then 137****4321"
    saved = request(masked, "POST", f"/findings/{key}/triage", cookie=cookie, headers=own,
                    form={**triage_form(page), "note": note})
    assert saved.status == 400 and "<b>call" not in saved.text and triage_form(saved)["note"] == note
    said = MASKED_SAID[lang].format(what=what[0], masked=sep.join(["137****4321", "186****0000"]))
    assert alert(saved.text).endswith(said) and "139****5678" not in saved.text, alert(saved.text)
    made = request(masked, "POST", "/cases/new", cookie=cookie, headers=own,
                   form={"csrf": csrf_of(page), "finding": key, "kind": "official"})
    assert made.status == 303, made.text[:800]
    case_id = made.headers["location"].rsplit("/", 1)[1]
    case = request(masked, "GET", f"/cases/{case_id}", cookie=cookie)
    version = re.search(r'action="/cases/[^"]+/title">.*?name="version" value="(\d+)"', case.text, re.S)
    assert version, case.text[:800]
    renamed = request(masked, "POST", f"/cases/{case_id}/title", cookie=cookie, headers=own,
                      form={"csrf": csrf_of(case), "version": version[1], "title": "王某 150****9999"})
    assert renamed.status == 400 and alert(renamed.text) == MASKED_SAID[lang].format(what=what[1],
                                                                                      masked="150****9999")
    noted = request(masked, "POST", "/notes", cookie=cookie, headers=own,
                    form={"csrf": csrf_of(case), "target": case_id, "text": "身份证 330102********1018"})
    assert noted.status == 400 and alert(noted.text) == MASKED_SAID[lang].format(what=what[2],
                                                                                 masked="330102********1018")


def test_a_masked_number_refusal_quotes_three_at_most_and_none_the_stored_text_holds():
    """Each masked number once, in the order typed, three at most and then …; one the stored text holds as written
    is not refused (saved again, it is what was stored)."""
    from govties.api.triage import TriageError, masked_left, masked_said

    typed = "131****0001 132****0002 131****0001 134****0004 135****0005 133****0003"
    found = masked_left(typed, "stored: 133****0003")
    assert found == ["131****0001", "132****0002", "134****0004", "135****0005"]
    refused = TriageError("masked_note", **masked_said(found))
    assert refused.sentence("en") == MASKED_SAID["en"].format(
        what="The note", masked="131****0001, 132****0002, 134****0004, …")
    assert refused.sentence("zh") == MASKED_SAID["zh"].format(
        what="备注", masked="131****0001、132****0002、134****0004、…")
    assert masked_left("stored: 133****0003", "stored: 133****0003") == []


def test_the_language_switch_of_an_address_holding_a_question_mark_opens_the_same_address(served):
    """The switch wrote the page's path decoded: an id with a ? (or a %) led to another address (/entities/A?B?lang=
    en asks for entity A)."""
    page = request(served, "GET", "/entities/A%3FB%25C?lang=zh")
    assert page.status == 404
    href = html.unescape(re.search(r'id="lang-switch" href="([^"]*)"', page.text)[1])
    assert href == "/entities/A%3FB%25C?lang=en"
    other = request(served, "GET", href)
    assert other.status == 404 and "A?B%C" in html.unescape(other.text)
    assert '<html lang="en"' in other.text


def test_the_language_switch_after_a_save_does_not_say_saved_again(served):
    """After a save the page's address holds ?saved=1; the switch led to the page in the other language saying
    "Saved" again, with nothing saved. It leaves a save's and an import's confirmation out."""
    fid = re.search(r'data-finding-id="([0-9a-f]{16})"', request(served, "GET", "/findings").text)[1]
    for asked, expected in ((f"/findings/{fid}?saved=1&lang=zh", f"/findings/{fid}?lang=en"),
                            ("/findings?imported=1-0&severity=high&lang=zh", "/findings?severity=high&lang=en")):
        page = request(served, "GET", asked)
        assert page.status == 200 and 'class="message good"' in page.text, asked  # the confirmation, once
        href = html.unescape(re.search(r'id="lang-switch" href="([^"]*)"', page.text)[1])
        assert href == expected, href
        assert 'class="message good"' not in request(served, "GET", href).text
