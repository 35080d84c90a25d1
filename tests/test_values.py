"""Single values: resident IDs (GB 11643), credit codes (GB 32100), dates, regions, contact keys."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import given, settings, strategies as st

from govties.loaders import values as V
from govties.loaders.build import address_keys, phone_keys


def test_valid_resident_id_passes_and_wrong_check_digit_is_named():
    assert V.normalize_id_number("330102197001010013") == ("330102197001010013", None)
    key, reason = V.normalize_id_number("330102197001010014")
    assert key is None and "check digit is wrong" in reason and "'3'" in reason


def test_resident_id_normalization_fullwidth_lowercase_and_15_digits():
    assert V.normalize_id_number("３３０１０２１９９５０３０３００３x")[0] == "33010219950303003X"
    assert V.normalize_id_number("330102800505005")[0] == "33010219800505005X"
    assert V.normalize_id_number(" 330102 197001010013 ")[0] == "330102197001010013"


def test_resident_id_with_impossible_birth_date_is_rejected():
    body = "33010219701341001"  # month 13
    key, reason = V.normalize_id_number(body + V.id_check_char(body))
    assert key is None and "birth date" in reason


def test_credit_code_check_character():
    body = "91330100MA27XL0E1"  # 17 characters
    good = body + V.credit_check_char(body)
    assert V.check_credit_code(good) == (good, None)
    wrong = body + ("0" if good[-1] != "0" else "1")
    assert V.check_credit_code(wrong)[0] is None
    assert "18 characters" in V.check_credit_code("123")[1]


def test_credit_code_known_value():
    # a published example code: 91350100M000100Y43 (check character 3)
    assert V.check_credit_code("91350100M000100Y43")[0] == "91350100M000100Y43"


@pytest.mark.parametrize("text", ["2021-03-05", "2021/3/5", "20210305", "2021年3月5日", "2021 年 3 月 5 日",
                                  "2021-03-05 00:00:00", "2021-03-05T14:30:00.123", "2021/3/5 9:05", "2021.3.5 23:59",
                                  "2021-03-05T12:00:00Z", "2021-03-05T08:00:00+08:00", "2021-03-05 12:00 UTC"])
def test_accepted_date_forms(text):
    assert V.parse_date(text) == "2021-03-05"


@pytest.mark.parametrize("text", ["05/03/2021", "2021-02-30", "March 5", "0001-01-01", "9999-12-31", "2021-3",
                                  "2021-03-05 24:00", "2021-03-05 12:60", "2021-03-05 12", "20210305 00:00",
                                  "2021-02-30 00:00:00", "2021-03-05T12:00:00 CET"])
def test_rejected_dates(text):
    assert V.parse_date(text) is None


def test_region_codes_are_trimmed_of_trailing_zero_pairs():
    assert V.region_code("330000") == "33"
    assert V.region_code("330100") == "3301"
    assert V.region_code("330102") == "330102"
    assert V.region_code("") == ""


def test_contact_keys_as_the_loader_builds_them():
    phones = phone_keys(pa.array(["(0571) 8600-0002", "0571 86000002", "０５７１８６０００００２", None]))
    assert phones.to_pylist() == ["057186000002"] * 3 + [""]
    addresses = address_keys(pa.array(["余杭区 良渚路1号。", "余杭区良渚路1号", "Main St. 1", None]))
    assert addresses.to_pylist() == ["余杭区良渚路1号", "余杭区良渚路1号", "mainst1", ""]


def test_vocabulary_aliases():
    assert V.vocabulary_word("relation", "配偶") == "spouse"
    assert V.vocabulary_word("relation", "子女配偶") == "child_spouse"
    assert V.vocabulary_word("rank", "正处级") == "division"
    assert V.vocabulary_word("role", "法定代表人") == "legal_rep"
    assert V.vocabulary_word("relation", "cousin") is None


def test_amount_column_with_plain_and_other_forms_reads_each_cell_as_parse_amount_does():
    from govties.loaders.typed import numbers as _numbers
    from govties.loaders.validate import _in_range
    from govties.loaders.vector import is_empty

    cells = ["1500000", "120万", "1,500,000.00", "0.1", "12.50", "", None, "-5", "1" * 400, "¥1500", "abc",
             "0012.3400", "1.2亿", "１５００", "99999999999999.99"]
    arr = pa.array(cells, pa.string())
    values, bad = _numbers(arr, is_empty(arr), lambda u: _in_range(V.parse_amount(u), 0.0, None))
    expected = [None if not c else _in_range(V.parse_amount(c), 0.0, None) for c in cells]
    assert values.to_pylist() == expected
    assert bad == [i for i, (c, e) in enumerate(zip(cells, expected, strict=True)) if c and e is None]
    assert bad == [7, 8, 10]  # a negative amount, one too large to be finite, a word


def _amount_forms(rng) -> list[str]:
    """Amounts in every form the loader accepts or refuses near the edges: grouped digits, ¥/￥ and 元, 万 and 亿
    with few and many decimals, long integer parts, full-width digits, signs, words."""
    out = []
    for _ in range(3000):
        whole = str(rng.randrange(10 ** rng.randrange(1, 18)))
        if rng.random() < 0.3:
            whole = f"{int(whole):,}"
        frac = "" if rng.random() < 0.4 else "." + str(rng.randrange(10 ** rng.randrange(1, 11))).zfill(
            rng.randrange(1, 11))
        unit = rng.choice(["", "", "万", "亿", "百万"])
        text = rng.choice(["", "", "¥", "￥", "RMB"]) + whole + frac + unit + rng.choice(["", "", "元", "圆"])
        out.append(rng.choice([text, text, "-" + text, text.replace("1", "１"), text + "x", text[:-1] + ",0"]))
    return out + ["0.5万", "0万", "1.00005万", "99999999999.9999万", "999999999999万", "9999999.99999999亿",
                  "99999999亿", "1,000.5万元", "¥0", "1,00", "12,345,678,901,234.5", "1234567890123456"]


def test_amount_forms_computed_in_c_read_every_cell_as_parse_amount_does():
    import random

    from govties.loaders.typed import _other_amounts, numbers as _numbers
    from govties.loaders.validate import _in_range
    from govties.loaders.vector import is_empty

    cells = _amount_forms(random.Random(5))
    arr = pa.array(cells, pa.string())
    values, bad = _numbers(arr, is_empty(arr), lambda u: _in_range(V.parse_amount(u), 0.0, None))
    expected = [_in_range(V.parse_amount(c), 0.0, None) for c in cells]
    assert values.to_pylist() == expected
    assert bad == [i for i, e in enumerate(expected) if e is None]
    known = _other_amounts(arr).to_pylist()
    assert sum(v is not None for v in known) > 300  # most forms are computed in C, each as parse_amount reads it
    assert all(v is None or v == V.parse_amount(c) for c, v in zip(cells, known, strict=True))


def test_date_column_reads_every_cell_as_parse_date_does():
    import random

    from govties.loaders.typed import dates as _dates
    from govties.loaders.vector import is_empty

    rng = random.Random(3)
    cells = []
    for _ in range(3000):
        y, m, d = rng.randrange(1890, 2110), rng.randrange(0, 14), rng.randrange(0, 33)
        cells.append(rng.choice([f"{y}-{m:02d}-{d:02d}", f"{y}-{m}-{d}", f"{y}/{m}/{d}", f"{y}年{m}月{d}日",
                                 f"{y}{m:02d}{d:02d}", f"{y}-{m:02d}-{d:02d}x", f"+{y}-{m:02d}-{d:02d}", "",
                                 f"{y}-{m:02d}-{d:02d} {rng.randrange(0, 26)}:{rng.randrange(0, 62):02d}:00",
                                 f"{y}/{m}/{d}T{rng.randrange(0, 26)}:{rng.randrange(0, 62):02d}"]))
    cells += ["2021-02-29", "2020-02-29", "1900-01-01", "2100-12-31", "1899-12-31", "2101-01-01", "２０２１-０３-０５"]
    arr = pa.array(cells, pa.string())
    values, bad = _dates(arr, is_empty(arr))
    expected = [V.parse_date(c) if c else None for c in cells]
    assert values.to_pylist() == expected
    assert bad == [i for i, (c, e) in enumerate(zip(cells, expected, strict=True)) if c and e is None]


def test_trim_gives_what_pyarrow_trims_and_leaves_a_column_without_whitespace_as_it_is():
    import pyarrow.compute as pc

    from govties.loaders.vector import trim

    ascii_cells = [chr(c) + "a" + chr(c) for c in range(128)] + ["a" + chr(c) for c in range(128)]
    mixed = pa.array(ascii_cells + [" 中文", "中文\u3000", "\u00a0x", "值\u2003", "", "plain"], pa.string())
    assert trim(mixed).to_pylist() == pc.utf8_trim_whitespace(mixed).to_pylist()
    for c in range(128):  # one character at each end, alone in its column: trimmed exactly where pyarrow trims
        column = pa.array([chr(c) + "a" + chr(c), "b"])
        assert trim(column).to_pylist() == pc.utf8_trim_whitespace(column).to_pylist(), c
    clean = pa.array(["P0000001", "2021-03-05", "1500000", ""] * 10)
    assert trim(clean) is clean  # ASCII without spaces or controls: the column as it was, no pass over it
    sliced = pa.array([" x", "y ", "z"]).slice(1)
    assert trim(sliced).to_pylist() == ["y", "z"]


@given(st.lists(st.one_of(st.none(), st.sampled_from(["", "a", "张三", " "])), max_size=40), st.integers(0, 5),
       st.booleans())
@settings(max_examples=200, deadline=None)
def test_empty_cells_found_and_made_null_as_arrow_compares_them(cells, skip, large):
    """is_empty and nullify_empty (which read a text column's offsets and set a validity bitmap) give what Arrow's
    own comparison gives, for text with and without nulls, sliced or not, string or large_string."""
    import pyarrow.compute as pc

    from govties.loaders.vector import NULL_TEXT, is_empty, nullify_empty

    arr = pa.array(cells, type=pa.large_string() if large else pa.string()).slice(min(skip, len(cells)))
    expected_empty = pc.fill_null(pc.or_kleene(pc.is_null(arr), pc.equal(arr, "")), False).to_pylist()
    assert is_empty(arr).tolist() == expected_empty
    expected = pc.if_else(pc.equal(arr, ""), NULL_TEXT.cast(arr.type), arr)
    got = nullify_empty(arr)
    got.validate(full=True)
    assert got.to_pylist() == expected.to_pylist() and got.null_count == expected.null_count


def test_empty_cells_become_null_over_the_same_text_without_a_copy():
    """Text without nulls (as validation has it after fill_null and trim): the '' cells become null through a
    validity bitmap over the very same buffers; no '' cell, the same array back."""
    from govties.loaders.vector import is_empty, nullify_empty

    for kind in (pa.string(), pa.large_string()):
        arr = pa.array(["a", "", "张三", "", "b", "c", "d", "e", "", "f", "g"], type=kind)  # 11 cells: not whole bytes
        empty = is_empty(arr)
        assert empty.tolist() == [v == "" for v in arr.to_pylist()]
        got = nullify_empty(arr, empty)
        got.validate(full=True)
        assert got.type == arr.type and got.null_count == 3
        assert got.to_pylist() == [v or None for v in arr.to_pylist()]
        assert got.buffers()[1].address == arr.buffers()[1].address  # offsets and text not copied
        assert got.buffers()[2].address == arr.buffers()[2].address
        whole = pa.array(["a", "b"], type=kind)
        assert nullify_empty(whole, is_empty(whole)) is whole
    assert is_empty(pa.array([], type=pa.string())).tolist() == []
    assert nullify_empty(pa.array([], type=pa.string())).to_pylist() == []


@pytest.mark.parametrize("text,moment", [("2026-12-01 18:18 UTC", "2026-12-01T18:18"),
                                         ("2026-12-01T18:18:03.5+08:00", "2026-12-01T10:18"),
                                         ("2026-12-01T01:00+08:00", "2026-11-30T17:00"),
                                         ("2026-01-01T02:00-05:00", "2026-01-01T07:00"),
                                         ("2025年1月6日 9:05", "2025-01-06T09:05"), ("2025/1/3", "2025-01-03")])
def test_a_moment_is_read_to_the_minute_in_utc(text, moment):
    """A triage file's `when`: one form, to the minute, a zoned time in UTC as the workbench records times (a time
    in +08:00 beside one in UTC would not sort)."""
    assert V.parse_moment(text) == moment


@pytest.mark.parametrize("text,en,zh", [
    ("2026-13-01", "there is no month 13 (months are 1 to 12)", "没有13月（月份为1至12）"),
    ("2026-02-30 10:00", "there is no day 30 in month 2 of 2026", "2026年2月没有30日"),
    ("1800-01-01", "it is outside 1900–2100", "超出1900–2100年的范围"),
    ("2026-01-01 24:10", "there is no time of day 24:10 (hours 0 to 23, minutes and seconds 0 to 59)",
     "没有24:10这个时刻（时为0至23，分和秒为0至59）"),
    ("tomorrow", f"expected {V.DATE_EXPECTED}", V.DATE_EXPECTED_ZH)])
def test_why_a_moment_is_no_date_is_said_in_english_and_in_chinese(text, en, zh):
    """What is wrong with a triage file's `when`, in English (the command line's words, as before) and in Chinese
    (the workbench's Chinese page); each fault declared once in both."""
    assert V.parse_moment(text) is None
    assert V.moment_problem(text) == en and V.moment_problem(text, "zh") == zh
    assert "2021年3月5日" in V.DATE_EXPECTED_ZH and V.DATE_EXPECTED_ZH.startswith("应为 YYYY-MM-DD")


def test_an_amount_column_holding_nan_or_inf_reads_them_as_cells_that_are_not_amounts():
    """nan and inf are not amounts, though Arrow's cast of an ASCII column reads them: such a column is read a value
    at a time."""
    from govties.loaders.typed import numbers
    from govties.loaders.vector import is_empty

    cells = pa.array(["1500", "inf", "nan", "2.5"])
    values, bad = numbers(cells, is_empty(cells), V.parse_amount)
    assert values.to_pylist() == [1500.0, None, None, 2.5] and bad == [1, 2]
