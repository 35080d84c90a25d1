"""What an entity page is told, on both backends: every finding about the entity — those whose evidence holds it
and those the inbox's agency, official and company filters give for it — the same the inbox lists for it."""

from __future__ import annotations

import pytest

import govties.api as gt
from govties.api.inbox import InboxQuery
from govties.graph.workspace import Cond, either

from conftest import DEMO


def _ids(rows) -> set[str]:
    return {r["finding_id"] for r in rows}


def test_either_condition_holds_where_one_of_its_conditions_does(demo_recorded):
    store = demo_recorded.workspace().store
    high = _ids(store.select("finding", [Cond("severity", "eq", "high")]))
    low = _ids(store.select("finding", [Cond("severity", "eq", "low")]))
    assert high and low
    both = either(Cond("severity", "eq", "high"), Cond("severity", "eq", "low"))
    assert _ids(store.select("finding", [both])) == high | low
    assert store.count("finding", [both, Cond("severity", "eq", "low")]) == len(low)  # and-ed with the others
    assert store.count("finding", [either()]) == 0


def test_an_agencys_page_lists_every_finding_the_inbox_gives_for_it(demo_recorded):
    """The demo's development commission (XO0002) issued decisions of findings whose evidence does not hold it:
    its page lists those too, as the inbox's agency filter does, and says how many there are."""
    ws = demo_recorded.workspace()
    by_agency = _ids(ws.inbox(InboxQuery(agency=["XO0002"], size=200)).rows)
    in_evidence = _ids(ws.store.select("finding", [Cond("entity_ids", "has", "XO0002")]))
    assert by_agency - in_evidence, "the demo has no finding of XO0002 outside its evidence"
    page = ws.entity("XO0002")
    assert _ids(page["findings"]) == by_agency | in_evidence and page["findings_total"] == len(by_agency | in_evidence)
    scope = ws.inbox(InboxQuery(entity="XO0002", size=200))  # what the page links to
    assert _ids(scope.rows) == _ids(page["findings"]) and scope.total == page["findings_total"]
    scores = [r["score"] for r in page["findings"]]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("entity, column", [("XP0032", "official_id"), ("XO0033", "org_id")])
def test_a_persons_and_a_companys_page_hold_their_filters_findings(demo_recorded, entity, column):
    ws = demo_recorded.workspace()
    filtered = _ids(ws.store.select("finding", [Cond(column, "eq", entity)]))
    page = ws.entity(entity)
    assert filtered and filtered <= _ids(page["findings"])
    assert page["findings_total"] == ws.inbox(InboxQuery(entity=entity)).total == len(page["findings"])


def test_a_persons_page_lists_the_possible_matches_resolve_lists_with_the_reason(demo_recorded):
    """What `govties resolve` lists as possible (same name and birth date) and as name-only matches of company-role
    holders without a resident ID, each person's page shows, each with its reason: the first recorded at load, the
    second found when the page asks (a province's namesakes are many) — the same pairs for every person listed
    (XP0032: the role holder XP0035 of the same name; XP0003: XP0022, same name and birth date)."""
    listed, _ = gt.resolution_list(gt.validate(DEMO), name_help=True)
    listed = listed[listed.decision.isin(["possible", "name"])]
    assert set(listed.decision) == {"possible", "name"}
    ws = demo_recorded.workspace()
    people = {pid for ids in listed.person_ids for pid in ids.split(";")}
    shown = {(";".join(m["entity_ids"]), gt.match_reason(m["reason"], "en")) for p in people
             for m in ws.entity(p)["matches"]}
    assert sorted(shown) == sorted(zip(listed.person_ids, listed.reason, strict=True))
    page = {tuple(sorted(m["entity_ids"])): m for m in ws.entity("XP0032")["matches"]}
    assert gt.match_reason(page[("XP0032", "XP0035")]["reason"], "zh") == "无身份证号的企业任职人员：姓名相同（未合并）"
    page = {tuple(sorted(m["entity_ids"])): m for m in ws.entity("XP0003")["matches"]}
    assert gt.match_reason(page[("XP0003", "XP0022")]["reason"], "en", noted=False) == (
        "same name and birth date, different or missing resident IDs")
