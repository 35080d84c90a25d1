"""The workbench's paths answers (/api/graph/paths), over a real server on the demo: an end found nowhere is said
in the page's language, two such ends in one refusal; two ends with no path between them are drawn a left, b
right, whatever was typed for them."""

from __future__ import annotations

import json

import pytest

from test_workbench_pages import get, served  # noqa: F401  (the demo, loaded, swept and served)


@pytest.mark.parametrize("lang, said", [("zh", "图中没有编号或名称为“无此人”的人员、单位或决定。"),
                                        ("en", "No person, organization or decision with id or name '无此人' in the "
                                               "graph.")])
def test_a_path_search_naming_no_entity_says_so_in_the_pages_language(served, lang, said):  # noqa: F811
    import urllib.error
    import urllib.parse

    with pytest.raises(urllib.error.HTTPError) as refused:
        get(served, f"/api/graph/paths?a={urllib.parse.quote('无此人')}&b=XP0003&lang={lang}")
    assert refused.value.code in (400, 404)
    assert json.loads(refused.value.read().decode("utf-8"))["error"] == said


@pytest.mark.parametrize("lang, said", [("zh", "图中没有编号或名称为“无此人”或“也无此人”的人员、单位或决定："
                                               "两端都没有找到。"),
                                        ("en", "No person, organization or decision with id or name '无此人' or "
                                               "'也无此人' in the graph: neither end was found.")])
def test_a_path_search_naming_two_unknown_ends_names_both(served, lang, said):  # noqa: F811
    """Both ends typed wrong: one refusal names both (it named the first only, and the reader found the second
    wrong on the next try), also when one end is a name that several share: its candidates, then the other end."""
    import urllib.error
    import urllib.parse

    def refusal(a: str, b: str) -> str:
        with pytest.raises(urllib.error.HTTPError) as refused:
            get(served, f"/api/graph/paths?a={urllib.parse.quote(a)}&b={urllib.parse.quote(b)}&lang={lang}")
        assert refused.value.code in (400, 404)
        return json.loads(refused.value.read().decode("utf-8"))["error"]

    assert refusal("无此人", "也无此人") == said
    unknown = said.split("或“也无此人”")[0] if lang == "zh" else said.split(" or '也无此人'")[0]
    for a, b in (("周晓", "无此人"), ("无此人", "周晓")):
        error = refusal(a, b)
        listed = ("“周晓”对应2个对象，请改填编号：XP0012 周晓" if lang == "zh"
                  else "'周晓' matches 2 entities; give one id: XP0012 周晓")
        assert error.startswith(listed) and "XP0019 周晓" in error, error
        assert unknown in error, error
    both = refusal("孙志强", "周晓")
    assert both.index("XP0032") < both.index("XP0035") < both.index("XP0012") < both.index("XP0019"), both


def test_a_pasted_page_typed_as_an_end_is_quoted_cut_short(served):  # noqa: F811
    """3,000 characters typed (or pasted) as a path's end: the refusal quotes their first 40, then …; it quoted
    them all, over most of the page."""
    import urllib.error
    import urllib.parse

    typed = "甲" * 3000
    with pytest.raises(urllib.error.HTTPError) as refused:
        get(served, f"/api/graph/paths?a={urllib.parse.quote(typed)}&b=XO0014&lang=zh")
    assert json.loads(refused.value.read().decode("utf-8"))["error"] == (
        f"图中没有编号或名称为“{'甲' * 40}…”的人员、单位或决定。")


def test_two_ends_with_no_path_between_them_are_drawn_a_left_b_right_whatever_was_typed(served):  # noqa: F811
    """No path within the steps asked: the two ends are drawn alone, the first on the left, as a found path's are,
    also when the first was typed as a name (it was drawn by its id's order then, often on the right)."""
    import urllib.parse

    for a, b in (("XP0045", "O0000077"), ("O0000077", "XP0045")):
        name = json.loads(get(served, f"/api/search?q={a}"))["hits"][0]["name"]
        answer = json.loads(get(served, f"/api/graph/paths?a={urllib.parse.quote(name)}&b={b}&hops=1"))
        assert answer["found"] == 0  # the case asked for: no path of one step
        x = {n["id"]: n["x"] for n in answer["nodes"]}
        assert set(x) == {a, b} and x[a] < x[b], (a, b, x)


@pytest.mark.parametrize("asked", ["hops=abc", "hops=0", "hops=7", "hops=-1", "k=0", "k=99", "k=2.5"])
def test_a_paths_request_with_a_count_out_of_bounds_is_refused_saying_what_is_taken(served, asked):  # noqa: F811
    """The page's form bounds its counts; a request that gives another (by hand, from a script) was answered with
    the count clamped or the default, silently. Now it is refused (400) in one line saying what is taken."""
    import urllib.error

    with pytest.raises(urllib.error.HTTPError) as refused:
        get(served, f"/api/graph/paths?a=XP0045&b=XO0005&{asked}&lang=en")
    assert refused.value.code == 400
    name = asked.split("=")[0]
    bounds = {"hops": "1 to 6", "k": "1 to 10"}[name]
    assert json.loads(refused.value.read().decode("utf-8")) == {
        "error": f"{name} must be a whole number from {bounds}."}
    answer = json.loads(get(served, "/api/graph/paths?a=XP0045&b=XO0005&hops=6&k=10"))  # the bounds themselves
    assert answer["hops"] == 6
