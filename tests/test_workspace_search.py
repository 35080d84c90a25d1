"""The workspace's search, on both backends: by name, pinyin and the other script, by resident ID and credit code in
any form a person types them (spaced, full-width, with hyphens, 15 digits), by a part of either, and the inbox's
search box reading them so; a masked reader's search never reads an ID, whole or in part."""

from __future__ import annotations


from govties.api.inbox import InboxQuery

from conftest import fresh_graph, DEMO


def test_search_reads_ids_codes_parts_pinyin_and_the_other_script(demo_recorded):
    ws = demo_recorded.workspace()
    assert [h["id"] for h in ws.search("330102196503121018")["hits"]] == ["XP0003"]  # resident ID
    assert "XP0003" in [h["id"] for h in ws.search("周国")["hits"]]
    assert [h["id"] for h in ws.search("33010219650312101 8")["hits"]][:1] == ["XP0003"]  # as typed, a space in it
    assert [h["id"] for h in ws.search("330102650312101")["hits"]][:1] == ["XP0003"]  # its 15-digit form
    assert [h["id"] for h in ws.search("３３０１０２１９６５０３１２１０１８")["hits"]][:1] == ["XP0003"]  # full-width
    assert [h["id"] for h in ws.search("9133 0106 0000 0000 5f")["hits"]] == ["XO0005"]  # a credit code as typed
    # whole, written with hyphens or dashes as forms print them (found nothing: too long to be read as a part)
    for typed, found in (("330102-19650312-1018", ("XP0003", "resident_id")), ("3301–0219–6503–1210–18", None),
                         ("91330106-000000005F", ("XO0005", "credit_code")),
                         ("330102－19650312－1018", ("XP0003", "resident_id")),  # full-width, as an IME types it
                         ("330102−19650312−1018", ("XP0003", "resident_id")),  # the minus sign
                         ("9133－0106－0000－0000－5F", ("XO0005", "credit_code")),
                         ("9133-0106-0000-0000-5F", ("XO0005", "credit_code"))):
        hits = [(h["id"], h["matched"]) for h in ws.search(typed)["hits"]]
        assert hits[:1] == [found or ("XP0003", "resident_id")], typed
        masked = [(h["id"], h["matched"]) for h in ws.search(typed, by_id_part=False)["hits"]]  # not an ID's guess
        assert masked == ([found] if found and found[1] == "credit_code" else []), typed
    dashed, plain = (ws.inbox(InboxQuery(q=q)).total for q in ("330102-19650312-1018", "330102196503121018"))
    assert dashed == plain > 0  # the inbox reads it as the findings about him
    # a part of an ID (its last six digits, as typed or full-width) or of a credit code: said so, each hit marked
    for typed in ("121018", "12 1018", "１２１０１８"):
        part = ws.search(typed)
        assert part["as"] == ["resident_id_part"], typed
        assert [(h["id"], h["matched"], h["exact"]) for h in part["hits"]] == [("XP0003", "resident_id_part", False)]
    for typed in ("3301 0600 0000 005f", "330106000000005F"):  # spaced or not, a code's part is said to be one
        code = ws.search(typed)
        assert code["as"] == ["credit_code_part"], typed
        assert [(h["id"], h["matched"]) for h in code["hits"]] == [("XO0005", "credit_code_part")], typed
    assert "credit_code_part" not in ws.search("AB12CDEF")["as"]  # 2 digits: a word, no part of a code
    assert ws.search("9999999")["hits"] == []  # a part no ID holds
    assert ws.search("121018", by_id_part=False)["hits"] == []  # a masked reader's search reads no part of an ID
    region = ws.search("330102")  # a region's code: a part of many IDs and of many credit codes; people first
    assert region["hits"][0]["type"] == "person" and region["hits"][0]["matched"] == "resident_id_part"
    by_pinyin = ws.search("Zhou Guoping")  # govties[names] is installed for the tests
    assert "pinyin" in by_pinyin["as"] and {"XP0003", "XP0022"} <= {h["id"] for h in by_pinyin["hits"]}
    traditional = ws.search("周國平")  # registered as 周国平
    assert "simplified" in traditional["as"] and "XP0003" in {h["id"] for h in traditional["hits"]}
    as_written = ws.search("周国平")  # found as written: nothing more in traditional characters, and not said to be
    assert "simplified" not in as_written["as"] and "traditional" not in as_written["as"]
    assert "XP0003" in {h["id"] for h in as_written["hits"]}
    # the inbox's search box reads a text so too when it found no finding, masked or not: the findings the
    # registered script finds, every one (a word that many entities share too: it read at most 20 of them)
    for hide_ids in (False, True):
        for other, registered in (("周國平", "周国平"), ("單位", "单位")):
            typed, written = (ws.inbox(InboxQuery(q=q, hide_ids=hide_ids, size=200)) for q in (other, registered))
            assert {r["finding_id"] for r in typed.rows} == {r["finding_id"] for r in written.rows} != set()
            assert typed.total == written.total


def test_a_name_in_the_other_script_says_what_it_needs_without_govties_names(tmp_path, monkeypatch):
    """Without zhconv (govties[names]), 周國平 finds nothing registered as 周国平, and the search says why (notes:
    "script"), as a pinyin search does; a name in the registered script is found and says nothing of it."""
    import sys

    graph = fresh_graph("duckdb", tmp_path)
    try:
        graph.load(DEMO)
        ws = graph.workspace()
        assert "XP0003" in {h["id"] for h in ws.search("周國平")["hits"]}  # with it
        monkeypatch.setitem(sys.modules, "zhconv", None)  # as when it is not installed: import raises ImportError
        traditional = ws.search("周國平")
        assert traditional["notes"] == ["script"] and "XP0003" not in {h["id"] for h in traditional["hits"]}
        assert "simplified" not in traditional["as"]
        as_written = ws.search("周国平")  # found as typed: nothing to say of the other script on every search
        assert "XP0003" in {h["id"] for h in as_written["hits"]} and as_written["notes"] == []
        assert ws.search("XP0003")["notes"] == []
    finally:
        graph.close()
