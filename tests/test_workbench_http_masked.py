"""`serve --mask` over plain HTTP against a real `govties serve` process (no browser needed): pages show keyed
finding ids and take only those; a plain id reads as any id that is none; a resident ID, whole or a part of it,
typed in any form, is never searched (the answers to a right and a wrong guess are the same); the triage download
and upload stay masked and keyed. Over a resident-ID-keyed province in Chromium: test_workbench_masked.py."""

from __future__ import annotations

import html
import io
import re
import unicodedata
import urllib.parse

import pandas as pd

from conftest import MINIMAL, write_dataset
from workbench_http_support import csrf_of, request, session_of
from workbench_support import Server, cli


UNSHOWN_EN = ("bad.csv, line {line}, column 1 (finding_id): is not a finding id as this workbench shows them (found "
              "'{id}'); fix: this workbench takes finding ids as it shows them (keyed ids, as its triage download "
              "writes them); check the id against the findings inbox")
UNSHOWN_ZH = ("bad.csv，第{line}行，第1列（finding_id）：不是本工作台显示的线索编号（文件中为“{id}”）；改正方法："
              "本工作台只接受它显示的线索编号（脱敏后的编号，与其下载的核查记录文件中的一致）；请对照线索列表核对编号")


def test_mask_shows_and_takes_keyed_finding_ids_and_no_id_search(tmp_path, monkeypatch):
    """serve --mask: finding ids are keyed ids (as sweep --mask writes them) in pages, links, redirects, JSON and
    the triage download; a plain id is not taken; a resident ID typed into a search is not searched (the answer
    is the same for the right ID and a wrong one); `triage export --mask` keys the ids and import takes them."""
    from govties.privacy import keyed_id

    secret = "k" * 32
    monkeypatch.setenv("GOVTIES_MASK_KEY", secret)
    path = tmp_path / "g.duckdb"
    cli("load", str(write_dataset(tmp_path / "data", MINIMAL)), "--store", str(path), "-q")
    cli("sweep", "--no-load", "--store", str(path), "-o", str(tmp_path / "f.csv"), "-q", "--lang", "en")
    fid, fp = pd.read_csv(tmp_path / "f.csv", dtype=str).loc[0, ["finding_id", "fingerprint"]]
    key = keyed_id(fid, secret.encode())
    server = Server(["--store", str(path)], extra=["--mask"]).start()
    try:
        inbox = request(server, "GET", "/findings")
        assert inbox.status == 200 and f"/findings/{key}" in inbox.text and fid not in inbox.text
        assert "masked-search" in inbox.text
        hints = re.findall(r'placeholder="([^"]*)"', request(server, "GET", "/search?lang=en").text)
        assert hints and all("no resident ID search" in h for h in hints)  # no box invites a resident ID
        # a plain id is no finding here, and its page reads as a guess's does, quoting it as given, its middle hidden
        guess = "0123456789abcdef"
        for plain in (fid, guess):
            missing = request(server, "GET", f"/findings/{plain}?lang=en")
            assert missing.status == 404 and f"No recorded finding {plain[:4]}********{plain[-4:]}." in missing.text
            assert "unkeyed" not in missing.text and plain not in missing.text and key not in missing.text
            # nor does any page quoting a request's text key it: a search, a refused amount, a link back
            hidden = f"{plain[:4]}********{plain[-4:]}"
            searched = request(server, "GET", f"/findings?q=x%20{plain}&lang=en")
            assert hidden in searched.text and key not in searched.text and plain not in searched.text
            refused = request(server, "GET", f"/findings?amount_min=x{plain}&lang=en")  # the finding listed, keyed
            quoted = re.search(r'id="filter-refused".*?</form>', refused.text, re.S)  # the refusal and the boxes
            assert quoted and hidden in quoted[0] and key not in quoted[0] and plain not in refused.text
            back = request(server, "GET", "/nope?lang=en", headers={"Referer": f"{server.url}/findings/{plain}"})
            assert back.status == 404 and f'href="/findings/{hidden}"' in back.text and key not in back.text
            for asked in (f"/entities/{plain}", f"/api/graph/expand?id={plain}", f"/api/graph/paths?a={plain}&b=P1"):
                refused = request(server, "GET", asked)  # an entity named by a finding's id: none, quoted hidden
                assert refused.status in (400, 404) and key not in refused.text and plain not in refused.text, asked
            for part in (plain[:4], plain[5:13], plain[-4:]):  # a search never matches a piece of a plain id
                searched = request(server, "GET", f"/findings?q={part}")
                assert searched.status == 200 and 'data-finding-id="' not in searched.text, part
        page = request(server, "GET", f"/findings/{key}")
        assert page.status == 200 and key in page.text and fid not in page.text
        saved = request(server, "POST", f"/findings/{key}/triage", cookie=session_of(page),
                        headers={"Origin": server.url},
                        form={"csrf": csrf_of(page), "version": "0", "status": "in_review", "note": "call 13812345678"})
        assert saved.status == 303 and saved.headers["location"] == f"/findings/{key}?saved=1#triage"
        graph = request(server, "GET", f"/api/graph/finding/{key}")
        assert graph.status == 200 and fid not in graph.text
        csv = request(server, "GET", "/triage.csv")
        rows = pd.read_csv(io.BytesIO(csv.body), dtype=str, keep_default_na=False, encoding="utf-8-sig")
        assert rows.finding_id.tolist() == [key] and rows.note.tolist() == ["call 138****5678"]
        assert rows.fingerprint.tolist() == [keyed_id(fp, secret.encode())]  # a plain hash of the evidence: never
        inbox = request(server, "GET", "/findings")  # the masked download uploaded back as it is: nothing changes
        back = request(server, "POST", "/triage/import", cookie=session_of(inbox), headers={"Origin": server.url},
                       form={"csrf": csrf_of(inbox)}, upload=("file", "triage.csv", csv.body))
        assert back.status == 303 and back.headers["location"] == "/findings?imported=0-1", back.text
        # every problem at once; a plain id is no finding here, and reads as any other id that is none (what the
        # answer says of it tests no guess of one): quoted as the file holds it, its middle hidden, with what this
        # workbench takes instead, in the page's language
        bad = f"finding_id,status\n{fid},confirmed\n{key},maybe\n{guess},open\n".encode()
        for lang, said in (("zh", UNSHOWN_ZH), ("en", UNSHOWN_EN)):
            refused = request(server, "POST", f"/triage/import?lang={lang}", cookie=session_of(inbox),
                              headers={"Origin": server.url}, form={"csrf": csrf_of(inbox)},
                              upload=("file", "bad.csv", bad))
            text = html.unescape(refused.text)
            assert refused.status == 400 and fid not in text and "unkeyed" not in text
            for line, plain in ((2, fid), (4, guess)):
                assert said.format(line=line, id=f"{plain[:4]}********{plain[-4:]}") in text, text
        assert "line 3, column 2 (status)" in refused.text
        # what to do is said in the page's language, for an upload (not "run again", the command line's words)
        assert ("3 problems above: the file was not used, and nothing in the workspace changed. Fix the file and "
                "upload it again.") in html.unescape(refused.text)
        assert "run again" not in refused.text
        assert key not in refused.text.split("line 2")[1][:120]
        right, wrong = "330102197001010013", "330102197101010013"
        answers = [request(server, "GET", f"/search?q={q}").text for q in (right, wrong)]
        assert answers[0] == answers[1] and "/entities/P1" not in answers[0] and "masked-search" in answers[0]
        assert request(server, "GET", f"/api/search?q={right}").text == request(
            server, "GET", f"/api/search?q={wrong}").text
        def digits(text: str) -> str:
            return re.sub(r"\D", "", unicodedata.normalize("NFKC", text))

        def alike(asked: str, pair: tuple[str, str]) -> None:  # the answers to a right and a wrong guess: the same
            said = [request(server, "GET", asked.format(urllib.parse.quote(q))) for q in pair]
            texts = [r.text.replace(q, "Q").replace(urllib.parse.quote_plus(q), "Q")  # the text typed, quoted
                     for r, q in zip(said, pair, strict=True)]
            assert (said[0].status, texts[0]) == (said[1].status, texts[1]), (asked, pair)
            for r, q in zip(said, pair, strict=True):  # a page's language switch too: the address masked before
                if asked.startswith("/api/"):  # it is encoded (33+01+02...); an API's answer has none
                    continue
                switch = re.search(r'id="lang-switch" href="([^"]*)"', r.text)
                shown = urllib.parse.unquote_plus(html.unescape(switch[1]))
                assert digits(q) not in digits(shown) or len(digits(q)) < 15, (asked, shown)
            assert "/entities/P1" not in said[0].text and '"P1"' not in said[0].text, (asked, pair)

        # nor typed in pairs of digits or in full-width ones, which the loader reads as the same ID; nor in paths
        wide = str.maketrans("0123456789", "０１２３４５６７８９")
        for form in (lambda x: " ".join(x[i:i + 2] for i in range(0, 18, 2)), lambda x: x.translate(wide),
                     lambda x: "-".join(x[i:i + 4] for i in range(0, 18, 4))):  # 3301-0219-7001-0100-13
            for asked in ("/search?q={}", "/api/search?q={}", "/api/graph/paths?a={}&b=P2"):
                alike(asked, (form(right), form(wrong)))
        # nor a part of it (its last six digits), typed whole, with a hyphen, a full-width hyphen or a dash
        for pair in (("010013", "020013"), ("0100-13", "0200-13"), ("0100－13", "0200－13"), ("01–0013", "02–0013"),
                     ("1970-0101", "1971-0101")):
            for asked in ("/search?q={}", "/api/search?q={}"):
                alike(asked, pair)
        for pair in ((right, wrong), ("3301-0219-7001-0100-13", "3301-0219-7101-0100-13")):
            inboxes = [request(server, "GET", f"/findings?q={q}").text for q in pair]
            info = [re.search(r'id="page-info">[^<]*', page)[0] for page in inboxes]
            assert info[0] == info[1], (pair, info)
    finally:
        server.stop()
    cli("triage", "export", "--store", str(path), "--mask", "-o", str(tmp_path / "t.csv"))
    exported = pd.read_csv(tmp_path / "t.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert exported.finding_id.tolist() == [key] and "13812345678" not in (tmp_path / "t.csv").read_text("utf-8")
    cli("triage", "export", "--store", str(path), "-o", str(tmp_path / "plain.csv"))
    plain = pd.read_csv(tmp_path / "plain.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert plain.loc[0, ["note", "fingerprint"]].tolist() == ["call 13812345678", fp]  # the stored triage, whole
    exported.loc[0, "status"] = "confirmed"
    exported.to_csv(tmp_path / "t2.csv", index=False)
    assert "1 finding changed, 0 unchanged" in cli("triage", "import", str(tmp_path / "t2.csv"), "--store", str(path))


def test_the_language_switch_of_a_keyed_finding_id_that_reads_as_a_phone_number_leads_to_its_page(tmp_path,
                                                                                                monkeypatch):
    """A keyed id is 16 hex digits; some hold a run a phone number's masker reads (6a0282076661bd16): the switch
    masked it (6a028***6661bd16), a page no finding has. A key is chosen here that gives the finding such an id."""
    from govties.privacy import keyed_id, mask_text

    path = tmp_path / "g.duckdb"
    cli("load", str(write_dataset(tmp_path / "data", MINIMAL)), "--store", str(path), "-q")
    cli("sweep", "--no-load", "--store", str(path), "-o", str(tmp_path / "f.csv"), "-q")
    fid = pd.read_csv(tmp_path / "f.csv", dtype=str).loc[0, "finding_id"]
    secret = next(s for s in (f"{i:032d}" for i in range(100_000))
                  if mask_text(keyed_id(fid, s.encode())) != keyed_id(fid, s.encode()))
    key = keyed_id(fid, secret.encode())
    monkeypatch.setenv("GOVTIES_MASK_KEY", secret)
    server = Server(["--store", str(path)], extra=["--mask"]).start()
    try:
        for page in (f"/findings/{key}", f"/sheet/finding/{key}", f"/findings?q={key}"):
            got = request(server, "GET", page)
            switch = html.unescape(re.search(r'id="lang-switch" href="([^"]*)"', got.text)[1])
            assert got.status == 200 and key in switch, (page, switch)
            assert request(server, "GET", switch).status == 200, switch
    finally:
        server.stop()
