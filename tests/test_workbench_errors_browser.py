"""The pages a new user met in a trial, in a real Chromium at 1366×768 against a real `govties serve --mask` with
accounts, in both languages: an unknown address and a refused write are the workbench's styled error page (before
logging in without the app's navigation or data); too many failed logins keep the login form; the exploration
page's add box shows its whole hint under --mask. Screenshots are kept (workbench_support.artifacts)."""

from __future__ import annotations

import pytest

from conftest import MINIMAL, write_dataset
from workbench_support import Server, Watched, artifacts, cli, launch_browser

browser = pytest.fixture(scope="module")(launch_browser)
PASSWORDS = {"li": "li-password-1", "zhao": "zhao-password-2"}
SIZE = {"width": 1366, "height": 768}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("errors-browser")
    path = root / "g.duckdb"
    cli("load", str(write_dataset(root / "data", MINIMAL)), "--store", str(path), "-q")
    cli("sweep", "--no-load", "--store", str(path), "-o", str(root / "f.csv"), "-q")
    for name in PASSWORDS:
        cli("users", "add", name, "--role", "investigator", "--password-stdin", "--store", str(path),
            input=PASSWORDS[name] + "\n")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("GOVTIES_MASK_KEY", "a-test-key-that-is-long-enough-0123456789")
        env.setenv("XDG_CONFIG_HOME", str(root / "config"))
        server = Server(["--store", str(path)], extra=["--mask"]).start()
        yield server
        server.stop()


def _watched(browser, server: Server) -> Watched:
    w = Watched(browser, server.url)
    w.page.set_viewport_size(SIZE)
    return w


def _log_in(w: Watched, name: str, lang: str) -> None:
    page = w.page
    page.goto(f"{w.origin}/login?lang={lang}")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORDS[name])
    page.click("main.login button[type=submit]")
    page.wait_for_url(f"{w.origin}/findings")


def _styled(page) -> dict:
    """How the error page is drawn: its card, heading and message as the stylesheet makes them."""
    return page.evaluate("""() => {
        const card = document.querySelector('section.error'), h1 = document.querySelector('#error-heading');
        const message = document.querySelector('#error-message'), back = document.querySelector('#error-back');
        return {card: card && getComputedStyle(card).backgroundColor, h1: h1 && h1.innerText,
                size: h1 && getComputedStyle(h1).fontSize, message: message && message.innerText,
                tinted: message && getComputedStyle(message).backgroundColor,
                nav: document.querySelectorAll('header.top nav').length,
                banners: document.querySelectorAll('.banner').length,
                back: back && back.getAttribute('href')};
    }""")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_error_pages_are_styled_in_the_page_s_language(served, browser, lang):
    shots = artifacts("workbench-errors")
    said = {"zh": ("未找到", "没有这个页面", "请求被拒绝", "请求缺少有效的安全令牌"),
            "en": ("Not found", "There is no such page", "Request refused", "The request had no valid security token")}
    w = _watched(browser, served)
    page = w.page
    answer = page.goto(f"{served.url}/no/such/page?lang={lang}")
    assert answer.status == 404
    drawn = _styled(page)
    assert drawn["card"] == "rgb(255, 255, 255)" and drawn["size"] == "20px", drawn
    assert drawn["h1"] == said[lang][0] and said[lang][1] in drawn["message"], drawn
    assert drawn["nav"] == 0 and drawn["banners"] == 0 and drawn["back"] == "/login", drawn  # not logged in
    page.screenshot(path=str(shots / f"not-found-anonymous-{lang}.png"))
    _log_in(w, "li", lang)
    page.click("a.open")  # a finding's page; its triage form sent with a token gone stale
    page.wait_for_selector("#triage-form")
    finding = page.url
    page.evaluate("document.querySelector('#triage-form input[name=csrf]').value = 'stale'")
    page.click("#triage-form button[type=submit]")
    page.wait_for_selector("#error-heading")
    drawn = _styled(page)
    assert drawn["h1"] == said[lang][2] and said[lang][3] in drawn["message"], drawn
    assert drawn["nav"] == 1 and drawn["back"] == finding.removeprefix(served.url), drawn  # back to the form
    page.screenshot(path=str(shots / f"refused-{lang}.png"))
    page.click("#error-back")
    page.wait_for_url(finding)
    w.errors = [e for e in w.errors if "status of 404" not in e and "status of 403" not in e]
    w.check()
    w.close()


def test_too_many_failed_logins_keep_the_login_form(served, browser):
    w = _watched(browser, served)
    page = w.page
    page.goto(f"{served.url}/login?lang=zh")
    for _ in range(4):
        page.fill("input[name=password]", "wrong-password")
        if not page.locator("input[name=name]").input_value():
            page.fill("input[name=name]", "zhao")
        page.click("main.login button[type=submit]")
        page.wait_for_selector("#login-message")
        assert page.locator("input[name=name]").input_value() == "zhao"  # kept
    assert "登录失败次数过多" in page.locator("#login-message").inner_text()
    assert page.locator("header.top").count() == 0 and page.locator(".banner").count() == 0
    assert "最近一次扫描" not in page.content()
    page.screenshot(path=str(artifacts("workbench-errors") / "login-wait-zh.png"))
    w.errors = [e for e in w.errors if "status of 401" not in e and "status of 429" not in e]
    w.check()
    w.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_add_box_shows_its_whole_hint_under_mask(served, browser, lang):
    w = _watched(browser, served)
    _log_in(w, "li", lang)
    page = w.page
    page.goto(f"{served.url}/explore?lang={lang}")
    page.wait_for_selector("#add-q")
    boxes = [("#add-q", SIZE["width"]), ("header.top form.quick input", SIZE["width"]),
             ("header.top form.quick input", {"zh": 1024, "en": 1200}[lang])]  # and from where it is whole
    for box, width in boxes:  # the explore page's add box, and the header's search
        page.set_viewport_size({"width": width, "height": SIZE["height"]})
        fit = page.evaluate("""(selector) => {
            const box = document.querySelector(selector), style = getComputedStyle(box);
            const ctx = document.createElement('canvas').getContext('2d');
            ctx.font = style.fontSize + ' ' + style.fontFamily;
            const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
            return {hint: box.placeholder, text: ctx.measureText(box.placeholder).width, room: room,
                    title: box.title};
        }""", box)
        assert fit["text"] <= fit["room"] - 16, (box, width, fit)  # the hint whole, room for the clear button
    assert page.locator("#add-q").get_attribute("title"), fit  # why a resident ID is not searched, on hover
    page.screenshot(path=str(artifacts("workbench-errors") / f"explore-masked-{lang}.png"))
    w.check()
    w.close()
