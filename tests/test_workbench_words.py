"""How the workbench's own words read, in both languages (no server): a count agrees with what it counts, Chinese
writes a number against the characters around it and full-width parentheses, and a message that is a sentence
ends as one."""

from __future__ import annotations

import re

import pytest

from govties.workbench.words import UI, word

CJK = r"[\u4e00-\u9fff]"
# what the pages say as a sentence: the error pages, the login form, alerts and notes
MESSAGES = ("no_case", "no_finding", "no_page", "wrong_method", "csrf_refused", "origin_refused",
            "read_only", "login_failed", "login_needed", "login_wait", "import_choose", "import_too_big",
            "upload_problems", "imported", "not_a_number", "not_a_date", "ambiguous_name", "stale_detail",
            "stale_both", "stale_case", "stale_remove", "closed_read_only", "news_official", "news_company",
            "news_ring", "news_reopen", "no_cases", "no_pinyin", "no_script", "masked_search", "no_watches",
            "showing_latest", "eval_note", "bad_number")


@pytest.mark.parametrize("kind, what", [("official", "official"), ("company", "company"), ("ring", "bid ring")])
def test_the_case_pages_new_findings_read_for_one_and_for_more(kind, what):
    one, two = word(f"news_{kind}", "en", n=1), word(f"news_{kind}", "en", n=2)
    assert one == f"Since this case was made, sweeps recorded 1 more finding about this {what}, not yet in this case."
    assert two == f"Since this case was made, sweeps recorded 2 more findings about this {what}, not yet in this case."
    assert not re.search(r"\b1 finding\b.*\bare\b|\b2 findings\b.*\bis\b", one + two)
    zh = {"official": "公职人员", "company": "企业", "ring": "串标圈"}[kind]
    assert word(f"news_{kind}", "zh", n=1) == f"建案以来又记录了1条涉及该{zh}的线索，尚未加入本案件。"


def test_a_value_aside_is_in_full_width_parentheses_in_chinese():
    assert word("aside", "zh", word=word("period_a", "zh"), value=2023) == "时期一（2023）"
    assert word("aside", "en", word=word("period_a", "en"), value=2023) == "Period 1 (2023)"


def test_chinese_writes_a_number_against_its_characters():
    spaced = {k: zh for k, (zh, _) in UI.items()
              if re.search(rf"(\d|\}}) +{CJK}|{CJK} +(\d|\{{)", zh)}
    assert spaced == {}, spaced
    assert word("login_wait", "zh", seconds=1) == "登录失败次数过多：请1秒后再试。"
    assert word("login_wait", "en", seconds=1) == "Too many failed logins: try again in 1 second."
    assert word("login_wait", "en", seconds=4) == "Too many failed logins: try again in 4 seconds."


@pytest.mark.parametrize("key", MESSAGES)
def test_a_message_ends_as_a_sentence_in_both_languages(key):
    zh, en = UI[key]
    assert zh.endswith("。") and en.endswith("."), (zh, en)


def test_a_viewers_refusal_ends_as_the_other_refusals_do():
    assert word("read_only", "zh") == "只读账户不能修改。"
    assert word("read_only", "en") == "A viewer account cannot change anything."
