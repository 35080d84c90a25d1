"""The workbench over plain HTTP against a real `govties serve` process (no browser needed): how bad filter values
are refused, the triage download's layout, a refused triage upload's or save's page
in each language, and how Ctrl-C ends it. Who it answers (hosts, logins, sessions): test_workbench_access.py."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import urllib.parse

import pandas as pd
import pytest

from workbench_http_support import (csrf_of, minimal_store, request, save_triage, session_of, store_and_server,
                                    triage_form)
from workbench_support import Server, cli, shown_since


store, served = store_and_server("http")


def test_ctrl_c_ends_serve_with_130_in_one_line(store):
    server = Server(["--store", str(store["path"])]).start()
    assert request(server, "GET", "/findings").status == 200
    server.stop()
    assert server.proc is not None and server.proc.returncode == 130, "".join(server.output)
    said = [line for line in server.output if line.strip()][2:]  # after the URL and the local user
    assert said == ["workbench stopped: every saved change is in the workspace\n"], server.output


def test_templates_are_read_once_per_process(tmp_path, monkeypatch):
    import shutil

    from govties.workbench import render

    copy = tmp_path / "templates"
    shutil.copytree(render.TEMPLATES, copy)
    monkeypatch.setattr(render, "TEMPLATES", copy)
    renderer = render.Renderer(False)
    first = renderer.page("error.html", lang="en", context={
        "status_code": 400, "message": "m", "user": "u", "role": "investigator", "csrf": "", "sweep": None,
        "path": "/", "lang_href": "/", "can_write": True, "accounts": False})
    (copy / "error.html").write_text("changed on disk", encoding="utf-8")
    again = renderer.page("error.html", lang="en", context={
        "status_code": 400, "message": "m", "user": "u", "role": "investigator", "csrf": "", "sweep": None,
        "path": "/", "lang_href": "/", "can_write": True, "accounts": False})
    assert again == first and "changed on disk" not in again


def test_triage_download_is_written_as_the_command_writes_it(served, store):
    note = "=HYPERLINK(\"http://example.org\",\"see\")"
    saved = save_triage(served, store["finding_id"], status="in_review", assignee="li", note=note)
    assert saved.status == 303, saved.text[:300]
    got = request(served, "GET", "/triage.csv")
    assert got.status == 200 and got.headers["content-type"].startswith("text/csv")
    assert got.body.startswith("\ufeff".encode())  # the BOM spreadsheets need to read UTF-8
    rows = pd.read_csv(io.BytesIO(got.body), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert rows.loc[0, "finding_id"] == store["finding_id"] and rows.loc[0, "note"] == "'" + note


def test_the_triage_download_keeps_the_time_and_reads_back(served, store, tmp_path):
    """The download's `when` is the last change's date and time as the finding page shows it (not its date
    alone), and the file imports again as it is, and reads as the triage file sweep and diff take."""
    import govties.api as gt

    saved = save_triage(served, store["finding_id"], status="confirmed", assignee="wang", note="checked")
    assert saved.status == 303, saved.text[:300]
    got = request(served, "GET", "/triage.csv")
    rows = pd.read_csv(io.BytesIO(got.body), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    when = rows.loc[0, "when"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", when), when
    # the same moment as its page says it, in the zone the server shows times in (UTC+8), which the page names
    page = request(served, "GET", f"/findings/{store['finding_id']}").text
    there = dt.datetime.strptime(when, "%Y-%m-%d %H:%M UTC") + dt.timedelta(hours=8)
    assert f'<span class="muted" id="triage-saved-by">Last saved by alice · {there:%Y-%m-%d %H:%M}</span>' in page
    assert '<span class="muted" id="zone">Times on this page are in Asia/Shanghai (UTC+08:00)</span>' in page
    inbox = request(served, "GET", "/findings")
    back = request(served, "POST", "/triage/import", cookie=session_of(inbox), headers={"Origin": served.url},
                   form={"csrf": csrf_of(inbox)}, upload=("file", "triage.csv", got.body))
    assert back.status == 303 and back.headers["location"] == "/findings?imported=0-1", back.text[:500]
    (tmp_path / "triage.csv").write_bytes(got.body)
    read = gt.read_triage(tmp_path / "triage.csv")
    # read back in the one form triage files are read in (the date, T, the time)
    assert read.loc[store["finding_id"], ["status", "when"]].tolist() == ["confirmed", when[:16].replace(" ", "T")]


def test_a_triage_upload_without_a_column_keeps_what_is_stored_there(served, store):
    """An uploaded triage file without the assignee (or note) column leaves the stored assignee (or note) as it
    is; an empty cell of a column the file has clears it."""
    fid = store["finding_id"]
    saved = save_triage(served, fid, status="in_review", assignee="张三", note="first")
    assert saved.status == 303, saved.text[:300]

    def uploaded(text: str) -> list[str]:
        inbox = request(served, "GET", "/findings")
        back = request(served, "POST", "/triage/import", cookie=session_of(inbox), headers={"Origin": served.url},
                       form={"csrf": csrf_of(inbox)}, upload=("file", "okt.csv", f"{text}\n".encode()))
        assert back.status == 303 and back.headers["location"] == "/findings?imported=1-0", back.text[:500]
        got = request(served, "GET", "/triage.csv")
        rows = pd.read_csv(io.BytesIO(got.body), dtype=str, keep_default_na=False, encoding="utf-8-sig")
        return rows.set_index("finding_id").loc[fid, ["status", "note", "assignee"]].tolist()

    assert uploaded(f"finding_id,status,note,who,when\n{fid},confirmed,ok,li,2026-11-01") == ["confirmed", "ok", "张三"]
    assert uploaded(f"finding_id,status\n{fid},dismissed") == ["dismissed", "ok", "张三"]
    assert uploaded(f"finding_id,status,note,assignee\n{fid},dismissed,,") == ["dismissed", "", ""]


UNKNOWN = "ffffffffffffffff"  # names no recorded finding
REFUSED = {  # a triage upload of each kind of problem (the rows' problems are reported together), and its lines
    "rows.csv": f"finding_id,status,note,who,when\n{{fid}},maybe,x,li,2026-11-30\n{{fid}},open,x,li,2026-13-01\n"
                f"{UNKNOWN},open,x,li,2026-11-30\n".encode(),
    "column.csv": b"finding_id,note\nabc,x\n",
    "encoding.csv": "finding_id,status,note\nabc,open,说明一\n".encode() + b"\xff\n",
}
SAID = {
    "zh": ["rows.csv，第2行，第2列（status）：应为open（待核查）、in_review（核查中）、confirmed（已确认）、"
           "dismissed（已排除）之一；也可写其他中文写法，如“未处理”（文件中为“maybe”）；改正方法：填写其中一个词",
           "rows.csv，第3行，第5列（when）：没有13月（月份为1至12）（文件中为“2026-13-01”）；改正方法：日期写作 "
           "YYYY-MM-DD（如有时间，在其后写 HH:MM）",
           f"rows.csv，第4行，第1列（finding_id）：不是已记录的线索编号（文件中为“{UNKNOWN}”）；改正方法：请对照线索"
           "列表核对编号（线索由扫描记录）",
           "以上共3个问题，文件未被采用，工作区未作任何改动。请修正后重新上传。",
           "column.csv，第1行，status列：缺少必需的列“status”；",
           "encoding.csv：不是有效的 UTF-8 文本：第42字节处（从0计）的 0xff 无法解码；改正方法：",
           "文件未导入"],
    "en": ["rows.csv, line 2, column 2 (status): expected one of open (待核查), in_review (核查中), confirmed "
           "(已确认), dismissed (已排除); other Chinese words such as 未处理 are accepted too (found 'maybe'); fix: "
           "write one of these words",
           "rows.csv, line 3, column 5 (when): there is no month 13 (months are 1 to 12) (found '2026-13-01'); fix: "
           "write the date as YYYY-MM-DD (and a time, if any, as HH:MM after it)",
           f"rows.csv, line 4, column 1 (finding_id): is not a recorded finding (found '{UNKNOWN}'); fix: check the "
           "id against the findings inbox (a sweep records them)",
           "3 problems above: the file was not used, and nothing in the workspace changed. Fix the file and upload "
           "it again.",
           "column.csv, line 1, column status: the required column 'status' is missing; ",
           "encoding.csv: is not valid UTF-8: undecodable byte 0xff at byte offset 42; fix: ",
           "File not imported"],
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_refused_triage_upload_reads_wholly_in_the_pages_language(served, store, lang):
    """Each problem of a refused triage upload is a line in the page's language (where, with its line and
    column; what; the value found; the fix), then what was done; the page is headed "file not imported" (400)."""
    inbox = request(served, "GET", f"/findings?lang={lang}")
    said = {}
    for name, data in REFUSED.items():
        data = data.replace(b"{fid}", store["finding_id"].encode())
        got = request(served, "POST", "/triage/import", cookie=session_of(inbox), headers={"Origin": served.url},
                      form={"csrf": csrf_of(inbox)}, upload=("file", name, data))
        assert got.status == 400, got.text[:500]
        heading = re.search(r'<h1 id="error-heading">([^<]*)</h1>', got.text)
        message = re.search(r'<div class="message refused" id="error-message">(.*?)</div>', got.text, re.S)
        assert heading and message, got.text[:500]  # each problem an item of a list, then what was done
        lines = [html.unescape(line) for line in re.sub(r"<[^>]+>", "\n", message[1]).splitlines() if line]
        said[name] = (html.unescape(heading[1]), lines)
    rows, column, encoding, heading = SAID[lang][:4], SAID[lang][4], SAID[lang][5], SAID[lang][6]
    assert said["rows.csv"] == (heading, rows)
    assert said["column.csv"][0] == heading and said["column.csv"][1][0].startswith(column), said["column.csv"]
    assert said["encoding.csv"][0] == heading and said["encoding.csv"][1][0].startswith(encoding), said
    if lang == "zh":  # nothing of the English lines is left on the Chinese page
        assert not re.search(r"line \d|column \d|found '|fix:|[Ss]omething went wrong", str(said)), said
    chosen = request(served, "POST", "/triage/import", cookie=session_of(inbox), headers={"Origin": served.url},
                     form={"csrf": csrf_of(inbox)})  # no file chosen: refused, and headed so too
    assert chosen.status == 400 and f'<h1 id="error-heading">{heading}</h1>' in chosen.text


def test_numbers_are_read_strictly_and_pages_past_the_end_show_the_last(served):
    """Scores are numbers, amounts are read as the data's amounts are (1,000, ¥1000, 100万), and anything else is
    refused saying what was expected; a page number past the end shows the last page."""
    for query in ("score_min=inf", "score_min=nan", "score_min=1e400"):
        got = request(served, "GET", f"/findings?{query}&lang=en")
        assert got.status == 400, (query, got.status)
        assert "is not a finite number" in got.text, query
    for query in ("amount_min=nan", "amount_max=-inf", "amount_min=12abc", "amount_min=1e400"):
        got = request(served, "GET", f"/findings?{query}&lang=en")
        assert got.status == 400 and "is not an amount. Write digits" in got.text, (query, got.status)
    got = request(served, "GET", "/findings?amount_min=nan&lang=zh")
    assert got.status == 400 and "不是金额" in got.text and "最低金额" in got.text
    assert request(served, "GET", "/findings?amount_min=1,000&score_min=10&lang=en").status == 200
    listed = re.findall(r'data-finding-id="([^"]+)"', request(served, "GET", "/findings?amount_min=1000000").text)
    above = request(served, "GET", f"/findings?amount_min={urllib.parse.quote('1亿')}").text
    assert listed and not re.findall(r'data-finding-id="', above)
    shown = {}
    for typed in ("1000000", "1,000,000", "¥1000000", "100万", "１００万元", "0.01亿"):
        got = request(served, "GET", f"/findings?amount_min={urllib.parse.quote(typed)}&lang=en")
        assert got.status == 200, (typed, got.status)
        shown[typed] = re.search(r'name="amount_min" value="([^"]*)"', got.text)[1]
        assert re.findall(r'data-finding-id="([^"]+)"', got.text) == listed, typed
    assert set(shown.values()) == {"1,000,000"}, shown
    part = request(served, "GET", "/findings?amount_min=0.5&amount_max=1234.25")
    assert re.search(r'name="amount_min" value="0.5"', part.text) and 'name="amount_max" value="1,234.25"' in part.text
    for page in ("99999999999999999999", "9" * 5000):
        got = request(served, "GET", f"/findings?page={page}&lang=en")
        assert got.status == 200, got.text[:400]
        assert re.search(r'id="page-info">[^<]*\b1\b', got.text), got.text[:400]
        assert "Conversion" not in got.text and "store" not in got.text.lower()


def test_what_is_not_there_is_said_in_the_page_s_language(served):
    for path, zh, en in (("/entities/NOPE", "图中没有编号为“NOPE”的人员、单位或决定。",
                          "No person, organization or decision with id &#39;NOPE&#39; in the graph."),
                         ("/findings/nope0000", "没有编号为“nope0000”的已记录线索", "No recorded finding nope0000"),
                         ("/cases/nope", "没有编号为“nope”的案件", "No case nope")):
        for lang, said, other in (("zh", zh, en), ("en", en, zh)):
            got = request(served, "GET", f"{path}?lang={lang}")
            assert got.status == 404 and said in got.text and other not in got.text, (path, lang, got.text[:300])



@pytest.mark.parametrize("lang,said,other", [
    ("en", "held a role (one of shareholder, legal representative, director, supervisor, executive, employee or "
     "adviser)", "该公职人员的某一亲属"),
    ("zh", "该公职人员的某一亲属在该企业担任角色（股东、法定代表人、董事、监事、高级管理人员、员工或顾问）",
     "held a role"),
])
def test_a_rule_is_described_in_words_with_the_values_its_sweep_used(served, store, lang, said, other):
    """The finding page and its sheet describe the rule in the page's language (规则说明 on a Chinese page), without
    the catalog's `code` names; a parameter is told as the value the sweep used."""
    for path in (f"/findings/{store['finding_id']}?lang={lang}", f"/sheet/finding/{store['finding_id']}?lang={lang}"):
        page = request(served, "GET", path)
        shown = " ".join(html.unescape(page.text).split())
        assert page.status == 200, page.text[:300]
        assert said in shown and other not in shown and "`" not in page.text, path
        assert ("规则说明" if lang == "zh" else "What the rule finds") in shown, path


def test_a_source_record_names_the_load_it_came_from(served):
    """Records of two loads (a base and an append) are told apart by the load's folder, not by the file alone."""
    page = request(served, "GET", "/entities/P1?lang=en")
    assert page.status == 200
    assert re.search(r"<td>data/people\.csv</td><td class=\"num\">2</td>", page.text), page.text[-3000:]


@pytest.mark.parametrize("lang, said", [
    ("zh", "核查状态应为open、in_review、confirmed、dismissed（待核查、核查中、已确认、已排除）之一，不能是“maybe”。"),
    ("en", "Status 'maybe' is not one of open, in_review, confirmed, dismissed.")])
def test_a_refused_triage_save_is_said_in_the_pages_language(served, store, lang, said):
    """A refused save is said in the page's language, as a sentence."""
    page = request(served, "GET", f"/findings/{store['finding_id']}?lang={lang}")  # the session's language
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert page.status == 200 and version, page.text[:300]
    refused = request(served, "POST", f"/findings/{store['finding_id']}/triage", cookie=session_of(page),
                      form={"csrf": csrf_of(page), "version": version[1], "status": "maybe"},
                      headers={"Origin": served.url})
    assert refused.status == 400 and said in html.unescape(refused.text), refused.text[:600]


def _triage_post(server: Server, fid: str, page, form: dict[str, str]):
    """The triage form posted from `page` (its session, the app's own Origin), its line breaks as a browser sends
    them (CRLF)."""
    sent = {k: v.replace("\r\n", "\n").replace("\n", "\r\n") for k, v in form.items()}
    return request(server, "POST", f"/findings/{fid}/triage", cookie=session_of(page), form=sent,
                   headers={"Origin": server.url})


def _stale_said(answer) -> str:
    """A stale save's refusal as read: a line for each of its paragraphs."""
    said = re.search(r'<div class="message bad" id="stale" role="alert">(.*?)</div>', answer.text, re.S)
    assert answer.status == 409 and said, answer.text[:500]
    return html.unescape(re.sub(r"<[^>]+>", "", said[1].replace("</p>", "\n"))).strip()


def _stored_triage(server: Server) -> dict[str, str]:
    rows = pd.read_csv(io.BytesIO(request(server, "GET", "/triage.csv").body), dtype=str, keep_default_na=False,
                       encoding="utf-8-sig")
    return rows.loc[0].to_dict()


AT = "{at}"  # when the colleague saved, in the pages' zone (workbench_support.shown_since)
STALE = {"zh": rf"保存被拒绝：在您打开之后，alice于{AT}修改了该线索，您的修改没有保存。"
               "表单中已换上对方修改后的内容，您改动过的项目仍保留您填写的内容；确认后再次保存即可。",
         "en": rf"Save refused: alice changed this finding at {AT} after you opened it; your change was not saved\. "
               r"The form now holds their version, with what you changed still as you entered it: check it and save "
               r"again\."}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_save_refused_as_stale_and_made_again_keeps_the_colleagues_assignee(served, store, lang):
    """A sets the assignee while B, on a page opened before, changes only the note: B is refused (409), and the
    form it is shown holds A's assignee beside B's note, so that saving again as told stores both (the assignee
    stays A's); the refusal says what the form holds, in the page's language, and names no field both changed."""
    fid = store["finding_id"]
    a, b = (request(served, "GET", f"/findings/{fid}?lang={lang}") for _ in range(2))
    assignee, note = {"zh": ("张三", "B的备注"), "en": ("Zhang San", "B's note")}[lang]
    start = dt.datetime.now(dt.UTC)
    assert _triage_post(served, fid, a, {**triage_form(a), "assignee": assignee}).status == 303
    at = shown_since(start)
    refused = _triage_post(served, fid, b, {**triage_form(b), "note": note})
    said = _stale_said(refused)
    assert _triage_post(served, fid, b, triage_form(refused)).status == 303  # saved again as told
    stored = _stored_triage(served)
    assert (stored["assignee"], stored["note"]) == (assignee, note)
    assert re.fullmatch(STALE[lang].replace(AT, at), said), said


@pytest.mark.parametrize("lang, both", [
    ("zh", "alice也修改了承办人（现为“王五”）和备注（现为“A的备注”）；"
           "表单中保留的是您填写的内容，再次保存将以您的为准。"),
    ("en", "alice changed the assignee (now \"Wang Wu\") and the note (now \"A's note\") too: the form keeps what "
           "you entered there, and saving again replaces theirs.")])
def test_a_stale_save_keeps_what_it_changed_and_names_what_both_changed(served, store, lang, both):
    """A field both changed keeps B's value in the refused form, and the refusal names it with A's value; a field
    only A changed holds A's value (the status); saved again, B's values stand where B changed them."""
    fid = store["finding_id"]
    a, b = (request(served, "GET", f"/findings/{fid}?lang={lang}") for _ in range(2))
    status = "dismissed" if triage_form(a)["status"] != "dismissed" else "in_review"
    # B's note differs from every note an earlier test stores: one equal to the note B's page opened with is no
    # change of B's (the colleague's note stands), whichever tests ran before
    theirs, mine = {"zh": (("王五", "A的备注"), ("李四", "B改写的备注")),
                    "en": (("Wang Wu", "A's note"), ("Li Si", "B's"))}[lang]
    start = dt.datetime.now(dt.UTC)
    saved = _triage_post(served, fid, a, {**triage_form(a), "status": status, "assignee": theirs[0],
                                          "note": theirs[1]})
    assert saved.status == 303
    at = shown_since(start)
    refused = _triage_post(served, fid, b, {**triage_form(b), "assignee": mine[0], "note": mine[1]})
    said = _stale_said(refused)
    form = triage_form(refused)
    assert _triage_post(served, fid, b, form).status == 303
    stored = _stored_triage(served)
    assert (stored["status"], stored["assignee"], stored["note"]) == (status, *mine)
    assert re.fullmatch(STALE[lang].replace(AT, at) + "\n" + re.escape(both), said), said


def test_a_stale_save_under_mask_keeps_the_stored_values_whole(tmp_path, monkeypatch):
    """serve --mask: the refused form shows the colleague's note masked (a phone number in it), and saved again
    as it is, the stored note stays whole (never the masked text); a note both changed is named masked. The form
    then holds the user's own number masked: saved so, it is refused (the mask would be stored), typed in full it
    is saved as typed, as is an assignee of 16 hex digits. A colleague's note a refusal quotes is cut after it is
    masked. A note on the finding holding a masked number is refused on the finding's page, which keeps it."""
    monkeypatch.setenv("GOVTIES_MASK_KEY", "k" * 32)
    made = minimal_store(tmp_path)
    server = Server(["--store", str(made["path"])], extra=["--mask"]).start()
    try:
        inbox = request(server, "GET", "/findings?lang=en")
        fid = re.search(r'href="/findings/([0-9a-f]{16})"', inbox.text)[1]  # the keyed id
        a, b, c = (request(server, "GET", f"/findings/{fid}") for _ in range(3))
        note = "call 13812345678\nthen visit the registry"
        assert _triage_post(server, fid, a, {**triage_form(a), "assignee": "张三", "note": note}).status == 303
        refused = _triage_post(server, fid, b, {**triage_form(b), "status": "in_review"})
        form = triage_form(refused)
        assert (form["status"], form["assignee"], form["note"]) == (
            "in_review", "张三", "call 138****5678\nthen visit the registry")
        assert "13812345678" not in refused.text
        assert _triage_post(server, fid, b, form).status == 303
        both = _triage_post(server, fid, c, {**triage_form(c), "note": "call 13912345678 first"})
        said = _stale_said(both)
        assert said.endswith("alice changed the note (now \"call 138****5678 then visit the registry\") too: the "
                              "form keeps what you entered there, and saving again replaces theirs."), said
        assert (triage_form(both)["status"], triage_form(both)["note"]) == ("in_review", "call 139****5678 first")
        assert "13912345678" not in both.text
        # saved again as the page shows it, the masked number would be stored as its mask: refused, beside the form
        again = _triage_post(server, fid, c, triage_form(both))  # from the session of the page refused
        refusal = re.search(r'id="stale" role="alert">(.*?)</div>', again.text, re.S)
        assert again.status == 400 and refusal and "The note holds a number as this masked page shows it" in \
            html.unescape(refusal[1]), again.text[:800]
        assert triage_form(again)["note"] == "call 139****5678 first"
        typed = {**triage_form(again), "note": "call 13912345678 first", "assignee": "deadbeefdeadbeef"}
        assert _triage_post(server, fid, c, typed).status == 303  # typed in full: saved as typed
        # a colleague's note quoted in a refusal is masked before it is cut: no half ID shows its digits
        d, e = (request(server, "GET", f"/findings/{fid}") for _ in range(2))
        long_note = "x" * 66 + " 330102199001011018"
        assert _triage_post(server, fid, d, {**triage_form(d), "note": long_note}).status == 303
        cut = _triage_post(server, fid, e, {**triage_form(e), "note": "mine"})
        assert "19900101" not in cut.text and "330102******…" in _stale_said(cut), _stale_said(cut)
        # a note on the finding holding a number as the page shows it: refused on the finding's page, text kept
        page = request(server, "GET", f"/findings/{fid}")
        note = request(server, "POST", "/notes", cookie=session_of(page), headers={"Origin": server.url},
                       form={"csrf": csrf_of(page), "target": fid, "text": "copied: 139****5678"})
        kept = re.search(r'id="note-refused">(.*?)</div>.*?<textarea name="text"[^>]*>\n?(.*?)</textarea>', note.text,
                         re.S)
        assert note.status == 400 and kept and "The note holds a number as this masked page shows it" in kept[1]
        assert html.unescape(kept[2]) == "copied: 139****5678"
        assert request(server, "POST", "/notes", cookie=session_of(page), headers={"Origin": server.url},
                       form={"csrf": csrf_of(page), "target": fid, "text": "called 13912345678"}).status == 303
    finally:
        server.stop()
    cli("triage", "export", "--store", str(made["path"]), "-o", str(tmp_path / "t.csv"))
    stored = pd.read_csv(tmp_path / "t.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig").loc[0]
    assert (stored["status"], stored["assignee"], stored["note"]) == ("in_review", "deadbeefdeadbeef", long_note)
