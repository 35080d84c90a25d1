"""Case work in the library, on both backends: a refused change says why in Chinese and in English, a closed case
refuses every change but reopening, a case is renamed with its history, its history names the findings it held,
and a case made for an official notices the official's findings a later sweep records."""

from __future__ import annotations

import pytest

import govties.api as gt
from govties.api.casework import SAID, CaseClosed, CaseError, NotInCase
from govties.api.inbox import InboxQuery

from conftest import DEMO, fresh_graph


@pytest.fixture(params=["duckdb", "neo4j"])
def opened(request, tmp_path):
    graph = fresh_graph(request.param, tmp_path)
    yield graph
    graph.close()


def _sweep(graph, *rules: str) -> None:
    graph.sweep(gt.sweep_settings(lang="en", rules=list(rules) or None))


def test_every_case_and_triage_message_is_declared_in_both_languages():
    from govties.api.triage import TriageError

    assert CaseError.SAID is SAID
    # a case kind, triage statuses in Chinese words, masked numbers as a Chinese list reads (、)
    chinese_only = {"what", "ids", "words", "masked_zh"}
    for error in (CaseError, TriageError):
        for key, (zh, en) in error.SAID.items():
            assert zh and en and zh != en, key
            assert set(_fields(zh)) <= set(_fields(en)) | chinese_only, key
    refused = TriageError("status", status="maybe", statuses="open, in_review", ids="open、in_review",
                          words="待核查、核查中")
    assert str(refused) == "status 'maybe' is not one of open, in_review"
    assert refused.said("zh") == "核查状态应为open、in_review（待核查、核查中）之一，不能是“maybe”"


def _fields(text: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


def test_refusals_closed_cases_renames_and_findings_found_since(opened):
    opened.load(DEMO)
    _sweep(opened, "self-dealing", "bid-collusion")
    ws = opened.workspace()
    first = ws.inbox(InboxQuery(rule=["self-dealing"])).rows[0]
    basis, ids = ws.group_of(first["finding_id"], "official")
    case_id = ws.create_case(title="孙志强", who="li", kind="official", basis=basis, finding_ids=ids)

    with pytest.raises(CaseError) as empty:  # said in English by the library, in Chinese on asking
        ws.add_note(case_id, "  ", "li")
    assert str(empty.value) == "a note holds 1 to 20000 characters"
    assert empty.value.said("zh") == "记录不能为空，且不超过20000个字符"
    ws.remove_from_case(case_id, first["finding_id"], "li")
    with pytest.raises(NotInCase) as gone:
        ws.remove_from_case(case_id, first["finding_id"], "li")
    assert gone.value.said("zh").startswith(f"线索{first['finding_id']}不在该案件中")
    ws.add_to_case(case_id, [first["finding_id"]], "li")

    ws.set_case(case_id, version=1, who="li", title="孙志强 经商办企业")  # renamed: in its history
    renamed = ws.case(case_id)
    assert renamed["title"] == "孙志强 经商办企业" and renamed["version"] == 2
    change = [e for e in renamed["history"] if e["field"] == "title"]
    assert [(c["before"], c["after"], c["who"]) for c in change] == [("孙志强", "孙志强 经商办企业", "li")]
    with pytest.raises(CaseError, match="give the case a title") as untitled:
        ws.set_case(case_id, version=2, who="li", title="   ")
    assert untitled.value.said("zh") == "请填写案件名称（1至200个字符）"
    # the findings its history names, as recorded now (a history shows them by rule and names)
    assert set(renamed["named"]) == {first["finding_id"]}

    ws.set_case(case_id, version=2, who="zhao", status="closed")  # closed: read-only until reopened
    for change_it in (lambda: ws.add_note(case_id, "more", "li"),
                      lambda: ws.remove_from_case(case_id, first["finding_id"], "li"),
                      lambda: ws.add_to_case(case_id, [first["finding_id"]], "li"),
                      lambda: ws.set_case(case_id, version=3, who="li", title="another")):
        with pytest.raises(CaseClosed) as closed:
            change_it()
        assert str(closed.value).startswith("zhao closed this case at ")
        assert closed.value.said("zh").startswith("该案件已由zhao于") and "办结的案件只读" in closed.value.said("zh")
    held = ws.case(case_id)
    assert held["title"] == "孙志强 经商办企业" and held["notes"] == [] and len(held["members"]) == 1
    ws.add_note(first["finding_id"], "a finding's note is not the case's", "li")  # its findings stay open to notes
    ws.set_case(case_id, version=3, who="li", status="open")
    ws.add_note(case_id, "reopened: more to do", "li")

    assert ws.news_for(ws.case(case_id)) == []  # nothing found since
    assert [c["case_id"] for c in ws.group_cases(first)["official"]] == [case_id]
    _sweep(opened)  # every rule: the official's other findings are recorded now
    later = ws.news_for(ws.case(case_id))
    assert len(later) == 2 and {f["official_id"] for f in later} == {basis}
    assert {f["rule"] for f in later} == {"in-office-business", "sole-major-decision"}
    for f in later:
        assert [c["case_id"] for c in ws.group_cases(f)["official"]] == [case_id]
    ws.add_to_case(case_id, [later[0]["finding_id"]], "li")
    ws.remove_from_case(case_id, later[0]["finding_id"], "li")  # taken out on purpose: not offered again
    assert [f["finding_id"] for f in ws.news_for(ws.case(case_id))] == [later[1]["finding_id"]]
    assert ws.news_for({**ws.case(case_id), "kind": "manual"}) == []


def test_a_rename_from_a_masked_page_keeps_the_title_the_page_showed_masked(opened):
    """A masked page shows a case's title masked; sent back unchanged (the rename form holds it), the title stays as
    recorded; changed, the digits the page hid are put back."""
    from govties.privacy import mask_text

    opened.load(DEMO)
    _sweep(opened, "relative-business")
    ws = opened.workspace()
    fid = ws.inbox(InboxQuery(size=20)).rows[0]["finding_id"]
    title = "举报人13912345678所涉"
    case_id = ws.create_case(title=title, who="li", finding_ids=[fid])
    shown = mask_text(title)
    assert shown != title
    kept = ws.set_case(case_id, version=1, who="li", title=shown, shown=mask_text)
    assert kept["title"] == title and kept["version"] == 1  # nothing changed, no new version
    renamed = ws.set_case(case_id, version=1, who="li", title=shown + "（已约谈）", shown=mask_text)
    assert renamed["title"] == title + "（已约谈）"  # edited: what the page hid is put back


def test_a_case_error_reads_as_a_sentence_on_a_page_and_keeps_a_name_as_it_is():
    """The library's English is written as the command line prints it after `error:` (lower case, no full stop); a
    page shows each refusal as a sentence, in either language, and a message that starts with a user's name keeps the
    name's spelling."""
    assert str(CaseError("select")) == "select at least one finding"
    assert CaseError("select").sentence("en") == "Select at least one finding."
    assert CaseError("select").sentence("zh") == "请至少选中一条线索。"
    closed = CaseClosed("case-1", "li", "2026-12-01T08:00:00+00:00")
    assert closed.sentence("en").startswith("li closed this case at ") and closed.sentence("en").endswith(".")
    assert closed.sentence("en").count("..") == 0 and closed.sentence("zh").endswith("。")
    from govties.errors import ended

    # a message only in English (a server's) keeps an English full stop on a Chinese page
    assert (ended("the server is down", "zh"), ended("服务器未响应", "zh")) == ("the server is down.", "服务器未响应。")
