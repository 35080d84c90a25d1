"""Case work on the workbench, over plain HTTP against a real `govties serve` of the demo with accounts: a refused
change said in the page's language (on the case's page when the page was out of date), a closed case read-only
until reopened, a bid ring's case titled by its bidders and any case renamed, a history and a case sheet that say
which finding and whose history, and a case that notices its official's findings a later sweep records."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil

import pytest

from conftest import DEMO
from workbench_http_support import Answer, csrf_of, request
from workbench_support import PASSWORDS, Server, cli, shown_since

RING = "ring-21182f4681"  # the demo's bid ring of 甲, 乙 and 丙建筑工程有限公司 in tender XD0057
RING_TITLE = {"zh": "甲建筑工程有限公司、乙建筑工程有限公司和丙建筑工程有限公司串标圈（招标XD0057）",
              "en": "Bid ring of 甲建筑工程有限公司, 乙建筑工程有限公司 and 丙建筑工程有限公司 (tender XD0057)"}


def _prepared(root):
    """The demo stored and swept for two rules only (the official XP0032's self-dealing, the bid rings), with an
    investigator li and a viewer wang."""
    path = root / "g.duckdb"
    cli("load", str(DEMO), "--store", str(path), "-q")
    cli("sweep", "--no-load", "--store", str(path), "-o", str(root / "f.csv"), "-q", "--rules",
        "self-dealing,bid-collusion")
    for name, role in (("li", "investigator"), ("wang", "viewer")):
        cli("users", "add", name, "--role", role, "--password-stdin", "--store", str(path),
            input=PASSWORDS[name] + "\n")
    return path


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("cases")
    path = _prepared(root)
    shutil.copy(path, root / "later.duckdb")  # for the test of a later sweep
    server = Server(["--store", str(path)]).start()
    server.later = root / "later.duckdb"  # type: ignore[attr-defined]
    yield server
    server.stop()


class Person:
    """One logged-in browser's session: its cookie follows every answer; a write posts the CSRF token of the page
    it was made from."""

    def __init__(self, server: Server, name: str, lang: str):
        self.server = server
        self.cookie = ""
        page = self.get("/login")
        answer = self.post("/login", page, name=name, password=PASSWORDS[name], next="/findings")
        assert answer.status == 303, answer.text[:300]
        self.get(f"/findings?lang={lang}")

    def _kept(self, answer: Answer) -> Answer:
        cookie = answer.headers.get("set-cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return answer

    def get(self, path: str) -> Answer:
        return self._kept(request(self.server, "GET", path, cookie=self.cookie or None))

    def post(self, path: str, page: Answer | None, **form: str | list[str]) -> Answer:
        given: dict[str, str | list[str]] = {**form, **({"csrf": csrf_of(page)} if page is not None else {})}
        body = [(k, x) for k, v in given.items() for x in (v if isinstance(v, list) else [v])]
        return self._kept(request(self.server, "POST", path, cookie=self.cookie or None,
                                  headers={"Origin": self.server.url}, form=body))  # type: ignore[arg-type]


def _text(answer: Answer) -> str:
    """The page's text, tags left out and entities read (what a reader sees, roughly)."""
    return html.unescape(re.sub(r"<[^>]+>", "", answer.text))


def _findings(person: Person, query: str) -> list[str]:
    page = person.get(f"/findings?{query}&size=200")
    return list(dict.fromkeys(re.findall(r'href="/findings/([0-9a-f]{16})"', page.text)))


def _new_case(person: Person, finding_id: str, kind: str) -> str:
    page = person.get(f"/findings/{finding_id}")
    made = person.post("/cases/new", page, finding=finding_id, kind=kind)
    assert made.status == 303, _text(made)[:500]
    return made.headers["location"].rsplit("/", 1)[1]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_refused_case_change_is_said_in_the_pages_language(served, lang):
    """Adding nothing, an empty note, and removing a finding someone else removed meanwhile: each said in the
    page's language, as a sentence (a capital in English, a full stop); the last on the case's page (409), naming
    who removed which finding and when."""
    li = Person(served, "li", lang)
    inbox = li.get("/findings")
    cases = li.get("/cases").text.count('href="/cases/case-')
    for path in ("/cases/add", "/cases/new"):  # neither makes an empty case (/cases/new, which no form sends
        nothing = li.post(path, inbox)  # without a finding, made one)
        assert nothing.status == 400, path
        assert {"zh": "请至少选中一条线索。", "en": "Select at least one finding."}[lang] in _text(nothing)
    assert li.get("/cases").text.count('href="/cases/case-') == cases
    fid = _findings(li, "rule=self-dealing")[0]
    case_id = _new_case(li, fid, "official")
    page = li.get(f"/cases/{case_id}")
    empty = li.post("/notes", page, target=case_id, text="   ")
    assert empty.status == 400 and f'data-case-id="{case_id}"' in empty.text  # said on the case's page
    said = {"zh": "记录不能为空，且不超过20000个字符。", "en": "A note holds 1 to 20000 characters."}[lang]
    assert said in _text(empty)
    assert lang == "en" or "note holds" not in _text(empty)
    start = dt.datetime.now(dt.UTC)
    assert li.post(f"/cases/{case_id}/remove", page, finding=fid).status == 303
    at = shown_since(start)  # when it was removed, in the pages' zone
    again = li.post(f"/cases/{case_id}/remove", page, finding=fid)  # from the page opened before
    said = _text(again)
    assert again.status == 409
    named = {"zh": "为本人持股或任职企业谋利 · 孙志强", "en": "Decision for the official's own company · 孙志强"}[lang]
    if lang == "zh":
        assert re.search(f"在您打开之后，li于{at}已将线索“[^”]*" + named, said), said
        assert "is not in case" not in said
    else:
        assert re.search(f"li removed the finding “{re.escape(named)}[^”]*” from this case at {at}", said), said


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_closed_case_is_read_only_until_reopened(served, lang):
    """A closed case's page offers no remove, note or rename, and says it is read-only; a page opened before it
    was closed is refused each change on the case's page (409), naming who closed it; reopened, it changes again."""
    li = Person(served, "li", lang)
    fid = _findings(li, "rule=bid-collusion")[0]
    case_id = _new_case(li, fid, "company")
    before = li.get(f"/cases/{case_id}")
    assert f'action="/cases/{case_id}/remove"' in before.text and 'action="/notes"' in before.text
    start = dt.datetime.now(dt.UTC)
    closed = li.post(f"/cases/{case_id}/status", before, version="1", status="closed")
    assert closed.status == 303
    at = shown_since(start)  # when it was closed, in the pages' zone
    page = li.get(f"/cases/{case_id}")
    for control in (f'action="/cases/{case_id}/remove"', 'action="/notes"', f'action="/cases/{case_id}/title"'):
        assert control not in page.text
    assert {"zh": "案件已办结，只读；重新办理后才能修改。",
            "en": "This case is closed and read-only: reopen it to change it."}[lang] in _text(page)
    refusal = {"zh": f"该案件已由li于{at}办结", "en": f"li closed this case at {at}"}[lang]
    for path, form in ((f"/cases/{case_id}/remove", {"finding": fid}), ("/notes", {"target": case_id, "text": "x"}),
                       (f"/cases/{case_id}/title", {"version": "2", "title": "another"}),
                       ("/cases/add", {"case_id": case_id, "finding": fid})):
        refused = li.post(path, before, **form)
        assert refused.status == 409 and re.search(refusal, _text(refused)), (path, _text(refused)[:800])
        assert {"zh": "办结的案件只读", "en": "A closed case is read-only"}[lang] in _text(refused)
    still = li.get(f"/cases/{case_id}")
    assert fid in still.text and "another" not in still.text
    assert li.post(f"/cases/{case_id}/status", still, version="2", status="open").status == 303
    reopened = li.get(f"/cases/{case_id}")
    assert li.post("/notes", reopened, target=case_id, text="reopened: checking again").status == 303
    assert "reopened: checking again" in li.get(f"/cases/{case_id}").text


TYPED = '调取<b>工商</b>档案 & "核对"\n<script>alert(1)</script>'  # a note as typed: escaped wherever it is shown


def _box(answer: Answer, opening: str) -> str | None:
    """The text of the page's textarea that opens so, as a browser reads it (the line break after the tag is not
    the text's)."""
    found = re.search(re.escape(opening) + r"\n?(.*?)</textarea>", answer.text, re.S)
    return html.unescape(found[1]) if found else None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_refused_notes_text_stays_on_the_case_page(served, lang):
    """A note typed on a page opened before the case was closed is refused (409) on the case's page, which keeps
    the text typed, escaped, in a read-only box to copy it from; once reopened, a note too long is refused (400)
    with its text still in the note box. Neither is stored."""
    li = Person(served, "li", lang)
    case_id = _new_case(li, _findings(li, "rule=self-dealing")[0], "official")
    before = li.get(f"/cases/{case_id}")
    assert li.post(f"/cases/{case_id}/status", before, version="1", status="closed").status == 303
    refused = li.post("/notes", before, target=case_id, text=TYPED)
    assert refused.status == 409 and _box(refused, '<textarea id="typed-note" rows="3" readonly>') == TYPED
    assert "<b>" not in refused.text and "<script>alert" not in refused.text
    assert {"zh": "您填写的记录（未保存，可从此处复制）", "en": "Your note, not saved (copy it from here)"}[lang] in \
        _text(refused)
    reopened = li.post(f"/cases/{case_id}/status", li.get(f"/cases/{case_id}"), version="2", status="open")
    assert reopened.status == 303
    long = li.post("/notes", li.get(f"/cases/{case_id}"), target=case_id, text=TYPED + "x" * 20000)
    assert long.status == 400 and _box(long, '<textarea name="text" rows="3">') == TYPED + "x" * 20000
    assert "工商" not in li.get(f"/cases/{case_id}").text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_ring_case_is_titled_by_its_bidders_and_a_case_is_renamed(served, lang):
    """A bid ring's case is titled by its bidders and its tender in the page's language, not by the ring's id;
    the case page renames a case (recorded in its history), refuses an empty title in the page's language, and a
    viewer or a post without the CSRF token changes nothing. A refused rename keeps the title typed."""
    li = Person(served, "li", lang)
    ring_finding = _findings(li, "rule=bid-collusion&company=XO0053")[0]  # 甲建筑工程有限公司's, in the ring
    assert RING in li.get(f"/findings/{ring_finding}").text
    case_id = _new_case(li, ring_finding, "ring")
    page = li.get(f"/cases/{case_id}")
    assert f"<h1>{html.escape(RING_TITLE[lang])}</h1>" in page.text
    renamed = li.post(f"/cases/{case_id}/title", page, version="1", title="  黄老板 围标  ")
    assert renamed.status == 303
    page = li.get(f"/cases/{case_id}")
    assert "<h1>黄老板 围标</h1>" in page.text
    history = _text(page).split({"zh": "变更记录", "en": "History"}[lang])[-1]
    assert {"zh": "标题", "en": "Title"}[lang] in history and RING_TITLE[lang] in history and "黄老板 围标" in history
    empty = li.post(f"/cases/{case_id}/title", page, version="2", title=" ")
    assert empty.status == 400
    untitled = {"zh": "请填写案件名称（1至200个字符）。", "en": "Give the case a title (1 to 200 characters)."}[lang]
    assert untitled in _text(empty)
    no_token = li.post(f"/cases/{case_id}/title", None, version="2", title="no token")
    assert no_token.status == 403
    wang = Person(served, "wang", lang)
    seen = wang.get(f"/cases/{case_id}")
    assert seen.status == 200 and f'action="/cases/{case_id}/title"' not in seen.text
    assert wang.post(f"/cases/{case_id}/title", seen, version="2", title="by a viewer").status == 403
    assert "<h1>黄老板 围标</h1>" in li.get(f"/cases/{case_id}").text
    # a rename refused as stale (renamed meanwhile) keeps the title typed in the open rename box, to save knowingly
    stale = li.post(f"/cases/{case_id}/title", page, version="1", title="<b>串标 A</b>")
    assert stale.status == 409 and '<details class="rename" open>' in stale.text
    assert 'name="title" value="&lt;b&gt;串标 A&lt;/b&gt;"' in stale.text
    assert "<h1>黄老板 围标</h1>" in stale.text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_cases_history_and_sheet_name_the_findings_and_whose_history(served, lang):
    """The case's history names a finding added by its rule's title and names, linked to it (not by its id); the
    case sheet heads each history with whose it is, and a finding without changes says so (not "None")."""
    li = Person(served, "li", lang)
    fid = _findings(li, "rule=self-dealing")[0]
    case_id = _new_case(li, fid, "official")
    page = li.get(f"/cases/{case_id}")
    history = page.text.split('<table class="grid history">')[1]
    rule = {"zh": "为本人持股或任职企业谋利", "en": "Decision for the official&#39;s own company"}[lang]
    assert f'<a href="/findings/{fid}">{rule}</a> · 孙志强 · 志强物流有限公司' in history, history[:1500]
    assert f">{fid}<" not in history
    sheet = li.get(f"/sheet/case/{case_id}")
    text = _text(sheet)
    words = {"zh": ("本线索的变更记录", "本案件的变更记录", "尚无变更记录"),
             "en": ("This finding's history", "This case's history", "No changes recorded yet")}[lang]
    assert text.index(words[0]) < text.index(words[1]) and words[2] in text
    assert "History None" not in text and not re.search(r"<h[23]>(变更记录|History)</h[23]>", sheet.text)


def test_a_case_notices_the_findings_a_later_sweep_records(served, tmp_path):
    """A case made for an official lists, linked, the official's findings a later sweep recorded that are not in
    it, with a button adding them; each such finding's page offers that case, not a second one."""
    server = Server(["--store", str(served.later)]).start()
    try:
        li = Person(server, "li", "en")
        fid = _findings(li, "rule=self-dealing")[0]
        case_id = _new_case(li, fid, "official")
        assert 'id="case-news"' not in li.get(f"/cases/{case_id}").text
    finally:
        server.stop()
    cli("sweep", "--no-load", "--store", str(served.later), "-o", str(tmp_path / "f.csv"), "-q")
    server.start()
    try:
        for lang, said, join in (("zh", "建案以来又记录了2条涉及该公职人员的线索，尚未加入本案件。",
                                  "加入该公职人员的案件“孙志强”"),
                                 ("en", "Since this case was made, sweeps recorded 2 more findings about this "
                                  "official, not yet in this case.", "Add to this official's case “孙志强”")):
            li = Person(server, "li", lang)
            page = li.get(f"/cases/{case_id}")
            news = page.text.split('id="case-news"')[1].split("</div>")[0]
            assert said in _text(Answer(200, {}, news.encode()))
            new = re.findall(r'<a href="/findings/([0-9a-f]{16})">', news)
            assert len(new) == 2 and fid not in new
            finding = li.get(f"/findings/{new[0]}")
            assert join in html.unescape(finding.text) and "group-official" not in finding.text
        added = li.post("/cases/add", page, case_id=case_id, finding=new)
        assert added.status == 303
        page = li.get(f"/cases/{case_id}")
        assert 'id="case-news"' not in page.text and all(f in page.text for f in new)
        assert "group-official" not in li.get(f"/findings/{new[0]}").text  # in the case: nothing more offered
    finally:
        server.stop()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_history_names_a_finding_no_longer_recorded_by_its_id(lang):
    """A finding a later sweep no longer found is named in a case's history by its id, said to be no longer found
    (no link to a page that is gone); a recorded one by its rule's title and names, linked."""
    from govties.workbench.render import environment
    from govties.workbench.words import word

    macro = '{% from "macros.html" import event_value with context %}{{ event_value(e, v, named) }}'
    page = {"t": lambda key, **values: word(key, lang, **values), "rule_title": lambda rule: f"«{rule}»"}
    event = {"field": "member", "kind": "case"}
    gone = environment(False).from_string(macro).render(e=event, v="7a820f2d73f2c2d7", named={}, **page)
    assert gone == f'7a820f2d73f2c2d7 <span class="muted">{word("resolved", lang)}</span>'
    row = {"finding_id": "7a820f2d73f2c2d7", "rule": "self-dealing", "official_name": "孙志强", "org_name": None}
    named = environment(False).from_string(macro).render(e=event, v="7a820f2d73f2c2d7",
                                                         named={row["finding_id"]: row}, **page)
    assert named == '<a href="/findings/7a820f2d73f2c2d7">«self-dealing»</a> · 孙志强'


def _options(page: Answer) -> list[str]:
    """The cases the finding page's "add to an existing case" offers (none: no such form)."""
    form = re.search(r'<form class="inline" method="post" action="/cases/add" id="add-to-case">(.*?)</form>',
                     page.text, re.S)
    return re.findall(r'<option value="([^"]+)">', form[1]) if form else []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_finding_page_offers_only_the_open_cases_the_finding_is_not_in(served, lang):
    """"Add to an existing case" lists the open cases the finding is not in: not the one it is in already (nor a
    closed one)."""
    li = Person(served, "li", lang)
    fid = _findings(li, "rule=self-dealing")[0]
    mine = _new_case(li, fid, "official")
    other_finding = _findings(li, "rule=bid-collusion")[0]
    inbox = li.get("/findings")
    made = li.post("/cases/add", inbox, finding=other_finding, title=f"another case {lang}")
    assert made.status == 303
    other = made.headers["location"].rsplit("/", 1)[1]
    offered = _options(li.get(f"/findings/{fid}"))
    assert other in offered and mine not in offered, offered
    form = re.search(r'id="add-to-case">(.*?)</form>', li.get(f"/findings/{fid}").text, re.S)[1]
    # no case is chosen before the reader chooses one: an unrelated case would be a click away otherwise
    # (nor after the browser's Back, which would put back a choice of a case the finding has since joined)
    assert re.search(r'<select name="case_id" required autocomplete="off"><option value="" selected disabled>'
                     r'[^<]+</option>', form)
    assert form.count("selected") == 1
    cases = li.get("/cases").text.count('<a href="/cases/case-')
    none_chosen = li.post("/cases/add", li.get(f"/findings/{fid}"), finding=fid, existing="1", case_id="")
    assert none_chosen.status == 400  # refused, not made into a new case: the form said "an existing case"
    assert {"zh": "请选择要加入的案件。", "en": "Choose the case to add to."}[lang] in _text(none_chosen)
    assert li.get("/cases").text.count('<a href="/cases/case-') == cases
    assert li.post(f"/cases/{other}/status", li.get(f"/cases/{other}"), version="1", status="closed").status == 303
    assert other not in _options(li.get(f"/findings/{fid}"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_viewers_finding_page_shows_the_cases_it_is_in(served, lang):
    """A viewer's finding page lists the cases the finding is in, linked (a viewer may read them), under the
    cases heading, and nothing to make or add (a finding in no case: test_workbench_errors)."""
    li = Person(served, "li", lang)
    fid = _findings(li, "rule=self-dealing")[-1]
    case_id = _new_case(li, fid, "company")
    wang = Person(served, "wang", lang)
    heading = {"zh": "<h2>案件</h2>", "en": "<h2>Cases</h2>"}[lang]
    page = wang.get(f"/findings/{fid}")
    section = page.text.split('<section class="cases-of">')[1].split("</section>")[0]
    assert heading in section and f'<a href="/cases/{case_id}">' in section and "<form" not in section, section
    assert wang.get(f"/cases/{case_id}").status == 200


def test_a_stale_renames_language_switch_leads_to_the_case(served):
    """The page refusing a stale rename is at /cases/ID/title, a form's address: its language switch leads to the
    case's page (the page the form was on) in the other language, which opens."""
    li = Person(served, "li", "zh")
    case_id = _new_case(li, _findings(li, "rule=self-dealing")[0], "official")
    page = li.get(f"/cases/{case_id}")
    assert li.post(f"/cases/{case_id}/title", page, version="1", title="first").status == 303
    stale = request(served, "POST", f"/cases/{case_id}/title", cookie=li.cookie,
                    headers={"Origin": served.url, "Referer": f"{served.url}/cases/{case_id}"},
                    form={"csrf": csrf_of(page), "version": "1", "title": "second"})
    assert stale.status == 409 and "<h1>first</h1>" in stale.text
    switch = re.search(r'<a class="lang" id="lang-switch" href="([^"]*)">', stale.text)[1]
    assert switch == f"/cases/{case_id}?lang=en"
    opened = li.get(switch)
    assert opened.status == 200 and '<body data-lang="en"' in opened.text and "<h1>first</h1>" in opened.text


def _official_names(page: Answer) -> dict[str, str]:
    """The inbox's findings (id -> the official's name, else the company's) as its rows show them."""
    rows = re.findall(r'<tr data-finding-id="([0-9a-f]{16})">(.*?)</tr>', page.text, re.S)
    named = {}
    for fid, row in rows:
        cells = [re.search(rf'<td class="{c}"><a class="ent" href="[^"]*">([^<]*)</a>', row) for c in ("official",
                                                                                                  "company")]
        assert any(cells), row
        named[fid] = html.unescape(next(m[1] for m in cells if m))
    return named


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_case_made_of_a_selection_without_a_title_is_titled_by_whom_it_is_about(served, lang):
    """Selected findings put into a new case with no title typed: the case is titled by whom they are about (their
    officials, each once, three at most, and how many there are), in the page's language, not "new case"; not by
    how many findings, which the case's page counts as it grows."""
    li = Person(served, "li", lang)
    inbox = li.get("/findings?size=200")
    named = _official_names(inbox)
    people = sorted(dict.fromkeys(named.values()), key=lambda p: -list(named.values()).count(p))  # most findings first
    assert len(people) >= 5 and list(named.values()).count(people[0]) >= 2
    two = [next(f for f, n in named.items() if n == p) for p in people[:2]]
    two.append(next(f for f, n in named.items() if n == people[0] and f != two[0]))  # one named again: said once
    chosen = {"two": two, "five": [next(f for f, n in named.items() if n == p) for p in people[:5]]}
    said = {("zh", "two"): f"涉及{people[0]}和{people[1]}的线索", ("en", "two"): f"Findings on {people[0]} and "
            f"{people[1]}", ("zh", "five"): f"涉及{'、'.join(people[:3])}等5方的线索",
            ("en", "five"): f"Findings on {', '.join(people[:3])} and 2 more"}
    for size, ids in chosen.items():
        made = li.post("/cases/add", inbox, finding=ids)
        assert made.status == 303, _text(made)[:500]
        case = li.get(made.headers["location"])
        title = html.unescape(re.search(r"<h1[^>]*>(.*?)</h1>", case.text, re.S)[1])
        assert said[lang, size] in title, title
