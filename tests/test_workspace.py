"""The workspace beside the graph, on both backends: recorded sweeps and the inbox (paging, filters, facets),
triage with versions and its append-only history, new evidence reopening a dismissed finding, triage CSV export
and import, cases, accounts, source records; and that a full reload of the graph keeps all of it."""

from __future__ import annotations

import threading

import pandas as pd
import pytest

import govties.api as gt
from govties.privacy import mask_text
from govties.api.inbox import InboxQuery
from govties.api.triage import StaleTriage
from govties.graph.workspace import TABLES
from govties.loaders import DataError

from conftest import fresh_graph, DEMO, MINIMAL, neo4j_available_or_skip, write_dataset

INCREMENT = {  # a second decision of the same official for the same company: the finding's evidence grows
    "decisions.csv": """
        decision_id,kind,date,agency_id,beneficiary_id,amount
        D2,permit,2021-06-01,A1,C1,500000
        """,
    "decision_makers.csv": """
        decision_id,person_id,role
        D2,P1,approver
        """,
}


@pytest.fixture(params=["duckdb", "neo4j"])
def opened(request, tmp_path):
    """A fresh graph and workspace on each backend (the Neo4j database's graph and workspace emptied)."""
    graph = fresh_graph(request.param, tmp_path)
    yield graph
    graph.close()


def _sweep(graph, source=None, append=False):
    if source is not None:
        graph.load(source, append=append)
    graph.sweep(gt.sweep_settings(lang="en"))
    return graph.recorded


def test_a_pinyin_or_resident_id_typed_in_the_inbox_finds_the_findings_of_whom_it_names(opened):
    """The inbox's search box reads what the header's search reads: a pinyin or a resident ID (in any accepted form)
    names a person, and the findings about them are listed (they matched no finding's words: nothing was)."""
    _sweep(opened, DEMO)
    ws = opened.workspace()
    about = {r["finding_id"] for r in ws.inbox(InboxQuery(entity="XP0003", size=200)).rows}
    everything = ws.inbox(InboxQuery(size=200)).total
    assert about and len(about) < everything
    for typed in ("周国平", "zhouguoping", "Zhou Guoping", "330102196503121018", "330102 19650312 1018"):
        found = {r["finding_id"] for r in ws.inbox(InboxQuery(q=typed, size=200)).rows}
        assert about <= found and len(found) < everything, typed  # his: 周国平 names two people, the ID one
    masked = {r["finding_id"] for r in ws.inbox(InboxQuery(q="zhouguoping", hide_ids=True, size=200)).rows}
    assert about <= masked and len(masked) < everything  # a masked page reads a pinyin too ...
    assert ws.inbox(InboxQuery(q="330102196503121018", hide_ids=True, size=200)).total == 0  # ... never an ID
    assert ws.inbox(InboxQuery(q="qwertyuiop", size=200)).total == 0  # a word that names nobody finds nothing


def test_what_a_sweep_records_while_the_user_reads_stays_new_after_they_mark_it_seen(opened):
    _sweep(opened, DEMO)
    ws = opened.workspace()
    assert ws.since("li") is None  # a first visit: nothing counted as new yet
    read = ws.now()  # the page li reads is made ...
    _sweep(opened)  # ... a sweep is recorded while li reads it ...
    ws.mark_seen("li", until=read)  # ... and li marks what the page showed as seen
    assert ws.since("li") == read
    assert ws.mark_seen("li", until="9999-01-01T00:00:00+00:00") <= ws.now()  # never past now


def test_recorded_sweep_pages_filters_and_counts(opened):
    recorded = _sweep(opened, DEMO)
    assert recorded["state"] == "recorded" and recorded["new"] == recorded["findings"] > 20
    ws = opened.workspace()
    everything = ws.inbox(InboxQuery(size=200))
    assert everything.total == recorded["findings"] == len(everything.rows)
    scores = [r["score"] for r in everything.rows]
    assert scores == sorted(scores, reverse=True)
    pages = [ws.inbox(InboxQuery(size=20, page=p), facets=False).rows for p in (1, 2, 3)]
    ids = [r["finding_id"] for page in pages for r in page]
    assert ids == [r["finding_id"] for r in everything.rows[:60]] and len(set(ids)) == 60
    high = ws.inbox(InboxQuery(severity=["high"], size=200))
    assert high.total == sum(r["severity"] == "high" for r in everything.rows) > 0
    assert dict(high.facets["severity"])["high"] == high.total
    assert dict(high.facets["severity"])["medium"] > 0  # a facet counts as if its own filter were not set
    assert dict(high.facets["rule"]) == pd.Series([r["rule"] for r in high.rows]).value_counts().to_dict()
    strong = ws.inbox(InboxQuery(score_min=80, size=200))
    assert strong.total == sum(r["score"] >= 80 for r in everything.rows) > 0
    rich = ws.inbox(InboxQuery(amount_min=1_000_000, size=200, sort="amount"))
    assert rich.rows and all(r["amount"] >= 1_000_000 for r in rich.rows)
    assert [r["amount"] for r in rich.rows] == sorted((r["amount"] for r in rich.rows), reverse=True)
    who = everything.rows[0]
    found = ws.inbox(InboxQuery(q=who["official_name"] or who["org_name"], size=200))
    assert who["finding_id"] in {r["finding_id"] for r in found.rows}
    assert found.total < everything.total
    dated = ws.inbox(InboxQuery(date_from="2024-01-01", size=200))
    assert dated.rows and all(r["last_date"] >= "2024-01-01" for r in dated.rows)


def test_a_findings_amount_in_the_inbox_is_the_findings_tables_total_amount(opened):
    """The inbox shows, sorts and filters by the amount a case handler reads in the findings table: the decisions'
    amounts added up, also for a rule whose rows carry no amount of their own (bid-collusion), empty when none of a
    finding's decisions has one."""
    opened.load(DEMO)
    result = opened.sweep(gt.sweep_settings(lang="en"))
    table = gt.findings_table(result, graph=opened)
    expected = {fid: (None if pd.isna(a) else float(a))
                for fid, a in zip(table["finding_id"], table["total_amount"], strict=True)}
    rows = opened.workspace().inbox(InboxQuery(size=200), facets=False).rows
    assert {r["finding_id"]: r["amount"] for r in rows} == expected
    bids = [r for r in rows if r["rule"] == "bid-collusion"]
    assert bids and all(r["amount"] and r["amount"] > 0 for r in bids)
    rich = opened.workspace().inbox(InboxQuery(rule=["bid-collusion"], amount_min=100_000, size=200), facets=False)
    assert rich.total == sum(a >= 100_000 for a in (r["amount"] for r in bids)) > 0


def test_triage_versions_history_and_reload(opened):
    _sweep(opened, DEMO)
    ws = opened.workspace()
    fid = ws.inbox(InboxQuery(size=20)).rows[0]["finding_id"]
    saved = ws.save_triage(fid, version=0, who="li", status="in_review", assignee="wang", note="checking")
    assert saved["version"] == 1
    with pytest.raises(StaleTriage, match="changed by li"):
        ws.save_triage(fid, version=0, who="zhao", status="confirmed")
    assert ws.triage(fid)["status"] == "in_review"  # the stale save changed nothing
    ws.save_triage(fid, version=1, who="zhao", status="dismissed")
    history = ws.events(fid)
    assert [(e["who"], e["field"], e["before"], e["after"]) for e in reversed(history)] == [
        ("li", "status", "open", "in_review"), ("li", "assignee", None, "wang"), ("li", "note", "", "checking"),
        ("zhao", "status", "in_review", "dismissed")]
    assert ws.inbox(InboxQuery(status=["dismissed"])).rows[0]["finding_id"] == fid
    # a full reload of the graph and a new sweep keep the triage and its history
    _sweep(opened, DEMO)
    assert ws.triage(fid)["status"] == "dismissed" and len(ws.events(fid)) == 4
    row = ws.inbox(InboxQuery(status=["dismissed"])).rows[0]
    assert row["finding_id"] == fid and row["assignee"] == "wang" and not row["reopened"]


def test_assignee_filter_nobody_together_with_names(opened):
    """"-" (nobody) chosen with a name keeps the findings of both, on both backends."""
    _sweep(opened, DEMO)
    ws = opened.workspace()
    rows = ws.inbox(InboxQuery(size=200), facets=False).rows
    ws.save_triage(rows[0]["finding_id"], version=0, who="li", status="in_review", assignee="wang")
    ws.save_triage(rows[1]["finding_id"], version=0, who="li", status="in_review", assignee="zhao")
    total = ws.inbox(InboxQuery(size=200), facets=False).total
    assert ws.inbox(InboxQuery(assignee=["wang"]), facets=False).total == 1
    assert ws.inbox(InboxQuery(assignee=["-"]), facets=False).total == total - 2
    both = ws.inbox(InboxQuery(assignee=["-", "wang"], size=200))
    assert both.total == total - 1
    assert rows[0]["finding_id"] in {r["finding_id"] for r in both.rows}
    assert rows[1]["finding_id"] not in {r["finding_id"] for r in both.rows}
    assert dict(both.facets["assignee"]) == {None: total - 2, "wang": 1, "zhao": 1}  # its own filter not applied


def test_reads_of_a_backend_that_failed_are_backend_errors(opened, tmp_path):
    """The reads the workbench's pages make (nodes, lookup, edges_of, canonical) report an engine failure (here a
    closed connection) as a BackendError, which the workbench shows as one line, never as a traceback."""
    from govties.graph.backend import BackendError

    opened.load(write_dataset(tmp_path / "data", MINIMAL))
    backend = opened.backend
    assert backend.nodes(["P1"])["P1"]["name"] == "王建国"
    (backend.con if backend.name == "duckdb" else backend.driver).close()
    for read in (lambda: backend.nodes(["P1"]), lambda: backend.lookup("person", ["P1"]),
                 lambda: backend.edges_of(["P1"]), lambda: backend.canonical("P9")):
        with pytest.raises(BackendError):
            read()


def test_two_saves_at_once_one_wins(opened):
    _sweep(opened, DEMO)
    ws = opened.workspace()
    fid = ws.inbox(InboxQuery(size=20)).rows[1]["finding_id"]
    results: list = []
    barrier = threading.Barrier(2)

    def save(who: str) -> None:
        barrier.wait()
        try:
            results.append(ws.save_triage(fid, version=0, who=who, status="confirmed", note=who)["who"])
        except StaleTriage as exc:
            results.append(exc)

    threads = [threading.Thread(target=save, args=(w,)) for w in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [r for r in results if isinstance(r, str)]
    assert len(winners) == 1 and sum(isinstance(r, StaleTriage) for r in results) == 1
    assert ws.triage(fid)["note"] == winners[0] and ws.triage(fid)["version"] == 1


def test_new_evidence_reopens_a_dismissed_finding(opened, tmp_path):
    base = write_dataset(tmp_path / "base", MINIMAL)
    _sweep(opened, base)
    ws = opened.workspace()
    row = ws.inbox().rows[0]
    ws.save_triage(row["finding_id"], version=0, who="li", status="dismissed")
    again = _sweep(opened)  # the same evidence: nothing reopens
    assert again["reopened"] == 0 and not ws.finding(row["finding_id"])["reopened"]
    visit = ws.now()  # early warning: what a sweep recorded after this visit
    assert ws.news(visit) == {"new": [], "changed": [], "new_total": 0, "changed_total": 0}
    first = ws.news(None, limit=0)  # a first visit: the most recent findings, and how many there are
    assert first["new"] == [] and first["new_total"] == ws.inbox().total
    recorded = _sweep(opened, write_dataset(tmp_path / "inc", INCREMENT), append=True)
    assert recorded["reopened"] == 1 and recorded["changed"] == 1
    news = ws.news(visit)
    assert [f["finding_id"] for f in news["changed"]] == [row["finding_id"]] and news["changed_total"] == 1
    assert news["new"] == [] and news["new_total"] == 0
    assert ws.news(visit, entity=row["official_id"])["changed_total"] == 1
    assert ws.news(visit, entity="nobody")["changed_total"] == 0
    assert ws.inbox(InboxQuery(since=visit)).total == 1  # the inbox's view of the same (early warning's link)
    now = ws.finding(row["finding_id"])
    assert now["reopened"] and now["status"] == "dismissed"
    assert now["fingerprint"] != row["fingerprint"] and now["triage"]["fingerprint"] == row["fingerprint"]
    assert now["facts_at_triage"] is not None
    from govties.rules.tracking import evidence_changes

    changes = evidence_changes(now["facts_at_triage"], now["facts"])
    assert {"what": "decision", "item": "D2", "old": None, "new": "500,000"} in changes
    assert ws.inbox(InboxQuery(reopened=True)).total == 1
    assert [e["kind"] for e in ws.events(row["finding_id"])][0] == "evidence"
    # confirming it again on the new evidence clears the flag
    ws.save_triage(row["finding_id"], version=1, who="li", status="confirmed")
    assert not ws.finding(row["finding_id"])["reopened"]


def test_triage_csv_round_trip_and_unknown_ids(opened, tmp_path):
    _sweep(opened, DEMO)
    ws = opened.workspace()
    rows = ws.inbox(InboxQuery(size=20)).rows
    ws.save_triage(rows[0]["finding_id"], version=0, who="li", status="confirmed", note="见附件")
    out = tmp_path / "triage.csv"
    gt.write_csv(ws.export_triage(), out)
    read = gt.read_triage(out)  # what `sweep --triage` and `diff --triage` read
    assert read.loc[rows[0]["finding_id"], "status"] == "confirmed"
    assert read.loc[rows[0]["finding_id"], "fingerprint"] == rows[0]["fingerprint"]
    out.write_text("finding_id,status,note,who,when\n"
                   f"{rows[1]['finding_id']},dismissed,duplicate,zhang,2026-11-01\n"
                   "0123456789abcdef,dismissed,typo,zhang,2026-11-01\n", encoding="utf-8")
    with pytest.raises(DataError) as refused:
        ws.import_triage(out, who="me")
    assert refused.value.report().startswith("triage.csv, line 3, column 1 (finding_id): is not a recorded finding "
                                             "(found '0123456789abcdef')")
    assert ws.triage(rows[1]["finding_id"])["version"] == 0  # nothing applied
    out.write_text(f"finding_id,status,note,who,when\n{rows[1]['finding_id']},dismissed,duplicate,zhang,"
                   "2026-11-01\n", encoding="utf-8")
    assert ws.import_triage(out, who="me") == {"changed": 1, "unchanged": 0}
    assert ws.triage(rows[1]["finding_id"])["who"] == "zhang"
    assert ws.events(rows[1]["finding_id"])[0]["kind"] == "import"


def test_a_save_from_a_masked_page_keeps_what_the_page_showed_masked(opened):
    """A masked page shows a note and an assignee masked (and, in a workbench, finding ids keyed); saved back
    unchanged (only the status changed; the browser's line breaks as CRLF), they stay as recorded; edited, what the
    page hid is put back, so masking never overwrites a digit that was recorded."""
    _sweep(opened, DEMO)
    ws = opened.workspace()
    fid, other = [r["finding_id"] for r in ws.inbox(InboxQuery(size=20)).rows[:2]]
    note, assignee = f"举报人电话13912345678，\n身份证330102197001011234，同{other}", "张 13700001111"

    def shown(text: str) -> str:  # as a masked workbench shows a text: identifiers masked, finding ids keyed
        return mask_text(text).replace(other, "k" * 16)

    saved = ws.save_triage(fid, version=0, who="li", status="in_review", note=note, assignee=assignee)
    page = {"note": shown(note).replace("\n", "\r\n"), "assignee": shown(assignee)}
    assert "13912345678" not in page["note"] and other not in page["note"] and page["assignee"] == "张 137****1111"
    again = ws.save_triage(fid, version=saved["version"], who="li", status="confirmed", shown=shown, **page)
    assert (again["status"], again["note"], again["assignee"]) == ("confirmed", note, assignee)
    changes = [e for e in ws.events(fid) if e["kind"] == "triage" and e["field"] in ("note", "assignee")]
    assert len(changes) == 2  # the first save's; the masked save changed neither
    before = ws.events(fid)
    unchanged = ws.save_triage(fid, version=again["version"], who="wang", shown=shown, status="confirmed", **page)
    assert unchanged == again and ws.events(fid) == before  # the form sent back as it was: nothing recorded
    assert (unchanged["who"], unchanged["version"]) == ("li", again["version"])
    edited = ws.save_triage(fid, version=again["version"], who="li", shown=shown,
                            note=page["note"] + "；已约谈", assignee=page["assignee"])
    assert (edited["note"], edited["assignee"]) == (note + "；已约谈", assignee)  # the digits and the id put back


def test_cases_accounts_sources(opened):
    _sweep(opened, DEMO)
    ws = opened.workspace()
    first = ws.inbox(InboxQuery(rule=["relative-business"])).rows[0]
    basis, ids = ws.group_of(first["finding_id"], "official")
    assert basis == first["official_id"] and first["finding_id"] in ids
    case_id = ws.create_case(title="周国平", who="li", kind="official", basis=basis, finding_ids=ids)
    ws.add_note(case_id, "调取工商登记", "li")
    case = ws.case(case_id)
    assert [m["finding_id"] for m in case["members"]] == ids and case["notes"][0]["text"] == "调取工商登记"
    assert ws.cases_of(first["finding_id"])[0]["case_id"] == case_id
    other = ws.inbox(InboxQuery(rule=["bid-collusion"])).rows[0]["finding_id"]
    with pytest.raises(gt.GovtiesError, match=f"finding {other} is not in case {case_id}"):
        ws.remove_from_case(case_id, other, "li")  # a finding that is not a member: said, not a silent success
    assert [m["finding_id"] for m in ws.case(case_id)["members"]] == ids
    ws.add_user("li", "investigator", "correct horse battery")
    stored = ws.store.one("user", name="li")
    assert stored["hash"].startswith("$argon2id$") and "correct" not in stored["hash"]
    assert ws.verify("li", "correct horse battery") == {"name": "li", "role": "investigator"}
    assert ws.verify("li", "wrong password") is None and ws.verify("nobody", "x" * 10) is None
    token = ws.start_session("li")  # a session lives until its logout, a new password, or its account's removal
    assert ws.session_live(token, "li") and not ws.session_live(token, "wang") and not ws.session_live("x", "li")
    assert token not in str(ws.store.select("login"))  # only its digest is kept
    ws.end_session(token)
    assert not ws.session_live(token, "li")
    token = ws.start_session("li")
    ws.set_password("li", "another horse battery")
    assert not ws.session_live(token, "li")
    assert ws.store.count("login") == 0  # an ended session is not kept
    old = ws.start_session("li")
    ws.store.update("login", [], {"started": "2000-01-01T00:00:00.000000+00:00"})
    token = ws.start_session("li")  # sessions older than a session may live are forgotten
    assert ws.store.count("login") == 1 and ws.session_live(token, "li") and not ws.session_live(old, "li")
    person = ws.entity("XP0013")  # merged into XP0012 by resident ID: both source records, with their lines
    assert person["id"] == "XP0012"
    assert sorted((r["record_id"], r["file"], r["line"]) for r in person["records"]) == [
        ("XP0012", "people.csv", 405), ("XP0013", "people.csv", 406)]
    official = ws.entity("XP0003")  # 周国平: a possible match by name and birth date, not merged
    assert [m["entity_ids"] for m in official["matches"]] == [["XP0003", "XP0022"]]
    assert official["posts"] and official["decisions"] and official["findings"]


def test_graph_tables_untouched_by_the_workspace(opened):
    _sweep(opened, DEMO)
    counts = opened.counts()
    ws = opened.workspace()
    ws.save_triage(ws.inbox().rows[0]["finding_id"], version=0, who="li", status="confirmed")
    assert opened.counts() == counts
    if opened.name == "duckdb":
        names = {r[0] for r in opened.backend.con.execute("SELECT table_name FROM information_schema.tables")
                 .fetchall()}
        assert {t.sql for t in TABLES.values()} <= names
        assert not {n for n in names - {t.sql for t in TABLES.values()} if n.startswith("govties_")}


def test_duckdb_and_neo4j_give_the_same_pages_and_counts(tmp_path):
    """The same sweep recorded on DuckDB and on Neo4j pages, sorts and counts facets alike (ties included)."""
    neo4j_available_or_skip()
    queries = [InboxQuery(), InboxQuery(sort="amount"), InboxQuery(sort="official", desc=False),
               InboxQuery(severity=["high"], size=20), InboxQuery(assignee=["-"], page=2, size=20),
               InboxQuery(q="有限公司", rule=["bid-collusion"]), InboxQuery(date_from="2022-01-01", sort="last_date"),
               InboxQuery(q="有限公司 xd00", hide_ids=True),  # a search beside the ids (a masked page's)
               # filters on several facets: each facet counted with the others' filters (Neo4j: in one pass)
               InboxQuery(rule=["relative-business", "bid-collusion"], severity=["high", "medium"]),
               InboxQuery(status=["open"], assignee=["-", "wang"], score_min=30)]
    seen = []
    for name in ("duckdb", "neo4j"):
        with gt.open_graph(name, store=None if name == "neo4j" else tmp_path / "g.duckdb", create=True) as g:
            if name == "neo4j":
                g.backend.wipe()
                g.workspace().store.clear()
            _sweep(g, DEMO)
            pages = [g.workspace().inbox(q) for q in queries]
            pages += [g.workspace().inbox(q, facet_limit=2) for q in queries]  # the top values only, ties cut alike
            seen.append([([r["finding_id"] for r in p.rows], p.total, p.facets) for p in pages])
    assert seen[0] == seen[1]
    assert any(None in dict(p[2]["official_id"]) for p in seen[0])  # missing values are counted too


def test_every_value_filtered_by_stays_listed_with_its_count(opened):
    """A facet cut to its first values lists each value the query filters by too, counted as the facet counts (the
    findings the query gives with that value alone; one no finding has at 0), a vocabulary's facet in its order;
    at most `most` of them; "-" is nobody in the assignee's facet alone."""
    from dataclasses import replace

    _sweep(opened, DEMO)
    ws = opened.workspace()
    officials = ws.inbox(gt.InboxQuery(), facet_limit=500).facets["official_id"]
    rare = min((vc for vc in officials if vc[0]), key=lambda vc: (vc[1], vc[0]))[0]
    query = gt.InboxQuery(severity=["medium", "high"], official=[rare, "NOBODY"])
    kept = ws.with_chosen(query, {column: [] for column in ws.inbox(query).facets})

    def alone(name, value):
        return ws.inbox(replace(query, **{name: [value]}), facets=False).total

    assert kept["severity"] == [("high", alone("severity", "high")), ("medium", alone("severity", "medium"))]
    assert kept["official_id"] == [(rare, alone("official", rare)), ("NOBODY", 0)]
    assert alone("official", rare) > 0
    nowhere = gt.InboxQuery(region=["9999", "-"], assignee=["-"])
    kept = ws.with_chosen(nowhere, {column: [] for column in ws.inbox(nowhere).facets})
    assert kept["region"] == [("9999", 0)] and kept["assignee"] == [(None, 0)]  # "-": nobody, for the assignee
    many = gt.InboxQuery(agency=[f"A{i}" for i in range(40)])
    assert len(ws.with_chosen(many, {"agency_id": []}, most=12)["agency_id"]) == 12


def test_severity_and_status_facets_keep_their_vocabulary_s_order(opened):
    """高, 中, 低 (and open, in review, confirmed, dismissed) as the vocabulary orders them, whatever the counts."""
    from govties.graph.vocabulary import SEVERITY, TRIAGE_STATUS

    _sweep(opened, DEMO)
    ws = opened.workspace()
    fid = ws.inbox(InboxQuery(severity=["low"])).rows[0]["finding_id"]
    ws.save_triage(fid, version=0, who="li", status="dismissed", note="", assignee="")
    page = ws.inbox()
    for name, vocabulary in (("severity", SEVERITY), ("status", TRIAGE_STATUS)):
        shown = [v for v, _ in page.facets[name]]
        assert len(shown) >= 2 and shown == [v for v in vocabulary.ids if v in shown], (name, page.facets[name])


def test_a_search_beside_the_ids_never_matches_a_piece_of_a_finding_id(tmp_path):
    """hide_ids (a masked page's search): a piece of a finding's plain id finds nothing, the other words as before."""
    graph = fresh_graph("duckdb", tmp_path)
    graph.load(DEMO)
    graph.sweep(gt.sweep_settings(lang="en"), record=True)
    ws = graph.workspace()
    fid = ws.finding_ids()[0]
    assert ws.inbox(InboxQuery(q=fid[:6])).total >= 1  # a plain search finds it by its id
    assert ws.inbox(InboxQuery(q=fid[:6], hide_ids=True)).total == 0
    assert ws.inbox(InboxQuery(q="bid", hide_ids=True)).total == ws.inbox(InboxQuery(q="bid")).total > 0


def test_a_person_s_possible_matches_follow_a_load_that_changes_only_a_name(opened, tmp_path):
    """P3 (no resident ID, a director of C1) is 赵建国: P1 (王建国) has no name match. A load that renames P3 王建國
    (王建国 in traditional characters), the rows per table unchanged, gives P1's page the match in a workspace
    already open, also when another process loads it (on Neo4j: another connection); the names compared were kept
    by the rows per table alone, and 王建國 was not among them."""
    files = {**MINIMAL, "people.csv": MINIMAL["people.csv"] + "        P3,赵建国,\n",
             "company_roles.csv": MINIMAL["company_roles.csv"] + "        P3,C1,director,,2019-01-01\n"}
    other_name = write_dataset(tmp_path / "other", files)
    renamed = write_dataset(tmp_path / "renamed", {**files, "people.csv": files["people.csv"].replace(
        "P3,赵建国,", "P3,王建國,")})
    opened.load(other_name)
    ws = opened.workspace()

    def matched() -> list[list[str]]:
        return sorted(sorted(m["entity_ids"]) for m in ws.entity("P1")["matches"])

    assert matched() == []
    before = opened.backend.counts()
    if opened.backend.name == "neo4j":
        other = gt.open_graph("neo4j")
        try:
            other.load(renamed)
        finally:
            other.close()
    else:
        opened.load(renamed)
    assert opened.backend.counts() == before and matched() == [["P1", "P3"]]
