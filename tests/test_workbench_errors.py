"""What the workbench says when it does not do what was asked, against a real `govties serve` with accounts: an
unknown address, a write from another site's page, a stale token, a viewer's write, a write before logging in
and a form's address opened as a page are each the workbench's own error page in the page's language (JSON for
the API), saying what is actually wrong; before logging in no page shows the app's navigation or any of its data
(not even the latest sweep); too many failed logins keep the login form with its user name; a viewer's inbox has
no selection boxes."""

from __future__ import annotations

import json
import re

import pytest

from conftest import MINIMAL, write_dataset
from test_workbench_http import csrf_of, request, session_of
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
               "forbidden": "没有权限", "viewer": "只读账户不能修改", "login": "登录", "first": "请先登录"},
        "en": {"refused": "Request refused", "token": "The request had no valid security token",
               "origin": "The request came from another address (http://evil.example)", "forbidden": "Not allowed",
               "viewer": "A viewer account cannot change anything", "login": "Log in", "first": "Please log in"},
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
        assert '<p class="message bad" id="login-message" role="alert">用户名或密码错误</p>' in failed.text
        assert not any(d in failed.text for d in DATA)
    locked = attempt(PASSWORDS["zhao"])  # the right password, too soon
    assert locked.status == 429
    text = locked.text
    assert re.search(r'<p class="message bad" id="login-message" role="alert">登录失败次数过多：请 \d+ 秒后再试</p>',
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
