"""What the workbench says of a value it does not take, against a real `govties serve` over plain HTTP: a filter
typed that cannot be read is refused beside the inbox's form, which keeps it as typed; a value of the inbox's URL
that names nothing (a severity, a status) is refused in the page's language; a finding to explore that names none
is said to be none (404), under --mask alike for a plain id and a guess."""

from __future__ import annotations

import html
import re
import urllib.parse

import pytest

from workbench_http_support import minimal_store, request
from workbench_support import Server

SECRET = "k" * 32  # the mask key of the masked server


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> dict:
    return minimal_store(tmp_path_factory.mktemp("refused"))


@pytest.fixture(scope="module")
def served(store):
    server = Server(["--store", str(store["path"])]).start()
    yield server
    server.stop()


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


def error_message(page: str) -> str:
    found = re.search(r'id="error-message">(.*?)</p>', page, re.S)
    assert found, page[:800]
    return html.unescape(found[1])


@pytest.mark.parametrize("lang, said", [
    ("zh", ["风险等级应为high、medium、low（高、中、低）之一，不能是“ultra”。",
            "核查状态应为open、in_review、confirmed、dismissed（待核查、核查中、已确认、已排除）之一，不能是“zz”、“<b>”。"]),
    ("en", ["Severity 'ultra': choose among high, medium, low.",
            "Status 'zz', '<b>': choose among open, in_review, confirmed, dismissed."])])
def test_an_inbox_value_edited_in_the_url_is_refused_in_the_page_s_language(served, lang, said):
    """?severity=ultra, ?status=zz: refused (400) saying which values it takes, in the page's language, the value
    quoted as text."""
    for query, sentence in zip(("severity=ultra", "status=zz&status=%3Cb%3E"), said, strict=True):
        got = request(served, "GET", f"/findings?{query}&lang={lang}")
        assert got.status == 400 and error_message(got.text) == sentence and "<b>" not in got.text, got.text[:800]


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
