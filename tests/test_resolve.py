"""Entity resolution exactly as the contract says."""

from __future__ import annotations

import pandas as pd

from govties.loaders.resolve import resolve


def _people(rows):
    return pd.DataFrame(rows, columns=["person_id", "name", "id_number", "birth_date"])


def test_merge_by_normalized_id_and_canonical_is_smallest():
    res = resolve(_people([
        ("P7", "王小明", "33010219800505005X", None),
        ("B2", "王小明", "330102800505005", None),
        ("R1", "王晓明", "３３０１０２１９８００５０５００５x", None),
    ]))
    assert res.canonical == {"P7": "B2", "R1": "B2"}
    assert res.merges[0].ids == ["B2", "P7", "R1"]
    assert res.merges[0].names == ["王小明", "王晓明"]


def test_wrong_check_digit_never_merges():
    res = resolve(_people([("P1", "王小明", "33010219800505005X", None), ("P2", "王小明", "330102198005050051", None)]))
    assert res.canonical == {}


def test_namesakes_never_merge_but_name_and_birth_date_are_offered():
    res = resolve(_people([
        ("P1", "张伟", None, "1980-01-01"),
        ("P2", "张伟", None, "1980-01-01"),
        ("P3", "张伟", None, "1981-01-01"),
    ]))
    assert res.canonical == {}
    assert [p.ids for p in res.possible] == [["P1", "P2"]]
    assert "not merged" in res.possible[0].reason


def test_birth_date_from_a_valid_id_counts_for_possible_matches():
    from govties.loaders.values import id_check_char

    body = "33010219800101001"
    res = resolve(_people([("P1", "张伟", body + id_check_char(body), None), ("P2", "张伟", None, "1980-01-01")]))
    assert [p.ids for p in res.possible] == [["P1", "P2"]]


def test_name_help_for_role_holders_without_ids():
    from govties.loaders.names import name_matches

    people = pd.DataFrame({
        "person_id": ["P1", "R1", "R2", "R3", "R4"],
        "name": ["王建国", "王建國", "王建国", "汪剑国", "王建国"],
        "id_number": ["330102197001010013", None, None, None, None],
        "birth_date": ["1970-01-01", None, "1970-01-01", None, "1980-05-05"],
    })
    roles = pd.DataFrame({"holder_id": ["R1", "R2", "R3", "R4"], "org_id": ["C1"] * 4})
    matches, notes = name_matches(people, roles)
    reasons = {(m.holder_id, m.candidate_id): m.reason for m in matches}
    assert reasons[("R1", "P1")] == "same name in simplified characters"
    assert reasons[("R2", "P1")] == "same name and the same birth date"
    assert reasons[("R3", "P1")] == "same pinyin"  # 汪剑国 / 王建国: wang jian guo
    assert ("R4", "P1") not in reasons  # both have birth dates, and they differ
    assert notes == []
