"""What the workbench says when it does not do what was asked, against a real `govties serve` with accounts: an
unknown address, a write from another site's page, a stale token, a viewer's write, a write before logging in
and a form's address opened as a page are each the workbench's own error page in the page's language (JSON for
the API), saying what is actually wrong; before logging in no page shows the app's navigation or any of its data
(not even the latest sweep); too many failed logins keep the login form with its user name; a viewer's inbox has
no selection boxes."""

from __future__ import annotations

import html
import json
import re

import pytest

from conftest import MINIMAL, write_dataset
from workbench_http_support import csrf_of, request, session_of
from workbench_support import Server, cli

PASSWORDS = {"li": "li-password-1", "wang": "wang-password-3", "zhao": "zhao-password-2"}
# what only a logged-in user may see: the navigation, the quick search, the latest sweep and its findings
DATA = ("最近一次扫描", "Latest sweep", "条线索）", "finding(s))", 'href="/cases"', 'action="/search"')


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The minimal dataset swept (one recorded finding) and served on loopback with accounts: li investigates,
    wang views, zhao's logins fail."""
    root = tmp_path_factory.mktemp("errors")
    path = root / "g.duckdb"
    cli("load", str(write_dataset(root / "data", MINIMAL)), "--store", str(path), "-q")
    cli("sweep", "--no-load", "--store", str(path), "-o", str(root / "f.csv"), "-q")
    for name, role in (("li", "investigator"), ("wang", "viewer"), ("zhao", "investigator")):
        cli("users", "add", name, "--role", role, "--password-stdin", "--store", str(path),
            input=PASSWORDS[name] + "\n")
    server = Server(["--store", str(path)]).start()
    yield server
    server.stop()


def logged_in(server: Server, name: str, lang: str = "zh") -> dict:
    """A session of `name` (its cookie), the CSRF token of its pages and a finding's id."""
    page = request(server, "GET", f"/login?lang={lang}")
    done = request(server, "POST", "/login", cookie=session_of(page), headers={"Origin": server.url},
                   form={"csrf": csrf_of(page), "name": name, "password": PASSWORDS[name], "next": "/findings"})
    assert done.status == 303, done.text[:300]
    cookie = session_of(done)
    inbox = request(server, "GET", "/findings", cookie=cookie)
    return {"cookie": cookie, "csrf": csrf_of(inbox), "fid": re.search(r"/findings/([0-9a-f]{16})", inbox.text)[1],
            "inbox": inbox.text}


def error_page(answer, status: int, heading: str, said: str) -> str:
    """The workbench's styled error page: the status, its heading and message, and a link on."""
    assert answer.status == status, (answer.status, answer.text[:500])
    assert answer.headers["content-type"].startswith("text/html")
    text = answer.text
    assert '<link rel="stylesheet" href="/static/app.css">' in text and 'class="error-page"' in text, text[:500]
    assert f'<h1 id="error-heading">{heading}</h1>' in text, text
    assert said in text, text
    assert 'id="error-back"' in text
    return text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_unknown_address_is_the_workbench_s_page_and_shows_nothing_before_logging_in(served, lang):
    heading, said = {"zh": ("未找到", "没有这个页面"), "en": ("Not found", "There is no such page")}[lang]
    page = error_page(request(served, "GET", f"/no/such/page?lang={lang}"), 404, heading, said)
    assert not any(d in page for d in DATA), page
    assert '<a href="/login" id="error-back">' in page  # the way on before logging in
    assert ("404: not found" not in page) and ("Not found" not in page if lang == "zh" else "未找到" not in page)
    api = request(served, "GET", f"/api/no/such?lang={lang}")  # the API answers in JSON
    assert api.status == 404 and api.headers["content-type"].startswith("application/json")
    assert json.loads(api.text) == {"error": said + ("。请检查地址，或从导航栏进入。" if lang == "zh" else
                                                     ". Check the address, or use the navigation.")}
    me = logged_in(served, "li", lang)  # logged in: the error page has the app's navigation, and a way back
    page = error_page(request(served, "GET", "/no/such/page", cookie=me["cookie"]), 404, heading, said)
    assert 'href="/cases"' in page and '<a href="/findings" id="error-back">' in page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_refused_writes_say_what_is_wrong_in_the_page_s_language(served, lang):
    words = {
        "zh": {"refused": "请求被拒绝", "token": "请求缺少有效的安全令牌", "origin": "请求来自其他地址（http://evil.example）",
               "forbidden": "没有权限", "viewer": "只读账户不能修改。", "login": "登录", "first": "请先登录"},
        "en": {"refused": "Request refused", "token": "The request had no valid security token",
               "origin": "The request came from another address (http://evil.example)", "forbidden": "Not allowed",
               "viewer": "A viewer account cannot change anything.", "login": "Log in", "first": "Please log in"},
    }[lang]
    me = logged_in(served, "li", lang)
    path = f"/findings/{me['fid']}/triage"
    own = {"Origin": served.url}
    form = {"version": "0", "status": "in_review"}
    missing = request(served, "POST", path, cookie=me["cookie"], headers=own, form=form)  # no token
    page = error_page(missing, 403, words["refused"], words["token"])
    assert words["origin"] not in page and "CSRF token missing" not in page and "403:" not in page
    assert 'href="/cases"' in page  # logged in: with the navigation
    # the right token from another site's page: said to be from another address, not a wrong token
    foreign = request(served, "POST", path, cookie=me["cookie"], headers={"Origin": "http://evil.example"},
                      form={**form, "csrf": me["csrf"]})
    page = error_page(foreign, 403, words["refused"], words["origin"])
    assert words["token"] not in page and "--public-url" in page
    asked = request(served, "POST", path, cookie=me["cookie"], headers={**own, "Accept": "application/json"},
                    form=form)  # who asks for JSON is answered in JSON
    assert asked.status == 403 and json.loads(asked.text)["error"].startswith(words["token"])
    viewer = logged_in(served, "wang", lang)
    denied = request(served, "POST", path, cookie=viewer["cookie"], headers=own, form={**form, "csrf": viewer["csrf"]})
    page = error_page(denied, 403, words["forbidden"], words["viewer"])
    assert "403:" not in page
    anonymous = request(served, "GET", f"/login?lang={lang}")  # a write before logging in (a valid token)
    write = request(served, "POST", path, cookie=session_of(anonymous), headers=own,
                    form={**form, "csrf": csrf_of(anonymous)})
    page = error_page(write, 401, words["login"], words["first"])
    assert not any(d in page for d in DATA) and '<a href="/login" id="error-back">' in page
    opened = request(served, "GET", "/logout", cookie=me["cookie"])  # a form's address opened as a page
    page = error_page(opened, 405, {"zh": "出错了", "en": "Something went wrong"}[lang],
                      {"zh": "这个地址不能直接打开", "en": "This address is not a page to open"}[lang])
    assert "Method Not Allowed" not in page and opened.headers.get("allow") == "POST"


def test_a_refused_triage_saves_address_opened_again_shows_the_finding(served):
    """A stale save's page is at the form's address: opened again (reloaded as a page, typed) it is the finding."""
    me = logged_in(served, "li")
    again = request(served, "GET", f"/findings/{me['fid']}/triage", cookie=me["cookie"])
    assert again.status == 303 and again.headers["location"] == f"/findings/{me['fid']}#triage"
    anonymous = request(served, "GET", f"/findings/{me['fid']}/triage")  # before logging in: to log in first
    assert anonymous.status == 303 and anonymous.headers["location"].startswith("/login?next=")


def test_too_many_failed_logins_keep_the_login_form_its_name_and_no_data(served):
    page = request(served, "GET", "/login?lang=zh")
    assert page.status == 200 and not any(d in page.text for d in DATA)
    cookie, token = session_of(page), csrf_of(page)

    def attempt(password: str):
        return request(served, "POST", "/login", cookie=cookie, headers={"Origin": served.url},
                       form={"csrf": token, "name": "zhao", "password": password, "next": "/findings"})

    for _ in range(3):  # a wrong password: the form again with the name typed, and why
        failed = attempt("wrong-password")
        assert failed.status == 401 and '<input name="name" value="zhao"' in failed.text
        assert '<p class="message bad" id="login-message" role="alert">用户名或密码错误。</p>' in failed.text
        assert not any(d in failed.text for d in DATA)
    locked = attempt(PASSWORDS["zhao"])  # the right password, too soon
    assert locked.status == 429
    text = locked.text
    # a number is written against the Chinese around it, and the message ends as a sentence does
    assert re.search(r'<p class="message bad" id="login-message" role="alert">登录失败次数过多：请\d+秒后再试。</p>',
                     text), text
    assert '<form method="post" action="/login">' in text and '<input name="name" value="zhao"' in text
    assert not any(d in text for d in DATA), text  # no navigation, no sweep, no finding count
    assert '<header class="top">' not in text


def test_a_viewer_s_inbox_has_no_selection_boxes(served):
    viewer, investigator = logged_in(served, "wang"), logged_in(served, "li")
    box = 'type="checkbox" name="finding"'
    assert box in investigator["inbox"] and 'class="pick"' in investigator["inbox"]
    assert box not in viewer["inbox"] and 'class="pick"' not in viewer["inbox"]
    assert f'data-finding-id="{viewer["fid"]}"' in viewer["inbox"]


def lang_switch(page: str) -> str:
    """Where a page's language switch (中文 / English in its header) leads."""
    found = re.search(r'<a class="lang" id="lang-switch" href="([^"]*)">', page)
    assert found, page[:1500]
    return html.unescape(found[1])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_language_switch_of_a_page_answering_a_form_leads_to_a_page(served, lang):
    """A page answering a form (a refused note, a refused upload) is at the form's address, which is no page to
    open: its language switch leads to the page the form was on (its Referer, with that page's query), else to the
    inbox, in the other language; and that page opens (not the 405 page). A page opened with GET switches itself."""
    other = "en" if lang == "zh" else "zh"
    me = logged_in(served, "li", lang)
    own = {"Origin": served.url}
    on_finding = {**own, "Referer": f"{served.url}/findings/{me['fid']}"}
    refused = request(served, "POST", "/notes", cookie=me["cookie"], headers=on_finding,
                      form={"target": me["fid"], "text": "x"})  # no token: refused at /notes
    assert refused.status == 403 and lang_switch(refused.text) == f"/findings/{me['fid']}?lang={other}"
    opened = request(served, "GET", lang_switch(refused.text), cookie=me["cookie"])
    assert opened.status == 200 and f'<body data-lang="{other}"' in opened.text, opened.text[:300]
    from_inbox = {**own, "Referer": f"{served.url}/findings?status=open&lang={lang}"}
    bad_file = request(served, "POST", "/triage/import", cookie=me["cookie"], headers=from_inbox,
                       form={"csrf": me["csrf"]}, upload=("file", "t.csv", b"finding_id,status\nabc,maybe\n"))
    assert bad_file.status == 400 and lang_switch(bad_file.text) == f"/findings?status=open&lang={other}"
    assert request(served, "GET", lang_switch(bad_file.text), cookie=me["cookie"]).status == 200
    # no Referer, one from another site, or one at a form's address itself: the inbox
    for referer in (None, f"http://evil.example/findings/{me['fid']}", f"{served.url}/cases/new",
                    f"{served.url}/triage/import"):
        sent = {**own, **({"Referer": referer} if referer else {})}
        page = request(served, "POST", "/notes", cookie=me["cookie"], headers=sent, form={"target": "x"})
        assert page.status == 403 and lang_switch(page.text) == f"/findings?lang={other}", referer
    login = request(served, "GET", f"/login?next=%2Fcases&lang={lang}")  # a failed login: the login page again
    failed = request(served, "POST", "/login", cookie=session_of(login),
                     headers={**own, "Referer": f"{served.url}/login?next=%2Fcases&lang={lang}"},
                     form={"csrf": csrf_of(login), "name": "wang", "password": "wrong", "next": "/cases"})
    assert failed.status == 401 and re.search(rf'href="/login\?next=%2Fcases&amp;lang={other}"', failed.text)
    page = request(served, "GET", "/findings?status=open", cookie=me["cookie"])  # a page: itself, switched
    assert lang_switch(page.text) == f"/findings?status=open&lang={other}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_new_case_forms_address_opened_as_a_page_is_no_missing_case(served, lang):
    """/cases/new and /cases/add take what a form sends: opened as a page they say so (405), as /logout does, not
    that there is no case called "new"; a case's own address still says which case is missing."""
    me = logged_in(served, "li", lang)
    said = {"zh": "这个地址不能直接打开", "en": "This address is not a page to open"}[lang]
    for path in ("/cases/new", "/cases/add"):
        opened = request(served, "GET", path, cookie=me["cookie"])
        page = error_page(opened, 405, {"zh": "出错了", "en": "Something went wrong"}[lang], said)
        assert opened.headers.get("allow") == "POST" and "没有编号为" not in page and "No case" not in page
    missing = request(served, "GET", "/cases/case-nope", cookie=me["cookie"])
    assert missing.status == 404 and {"zh": "没有编号为“case-nope”的案件。", "en": "No case case-nope."}[lang] in \
        html.unescape(missing.text)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_viewers_page_of_a_finding_in_no_case_has_no_empty_cases_heading(served, lang):
    """The cases section is shown when it has something for its user: a viewer may make no case and add to none,
    so the page of a finding in no case has no cases heading with nothing under it; an investigator's offers one."""
    viewer, investigator = logged_in(served, "wang", lang), logged_in(served, "li", lang)
    page = request(served, "GET", f"/findings/{viewer['fid']}", cookie=viewer["cookie"])
    assert page.status == 200 and 'class="cases-of' not in page.text
    assert {"zh": "<h2>案件</h2>", "en": "<h2>Cases</h2>"}[lang] not in page.text
    mine = request(served, "GET", f"/findings/{investigator['fid']}", cookie=investigator["cookie"])
    assert 'class="cases-of' in mine.text and 'action="/cases/new"' in mine.text
