"""Single values: resident IDs (GB 11643), credit codes (GB 32100), dates, regions, contact keys."""

from __future__ import annotations

import pyarrow as pa
import pytest

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


@pytest.mark.parametrize("text", ["2021-03-05", "2021/3/5", "20210305", "2021年3月5日", "2021 年 3 月 5 日"])
def test_accepted_date_forms(text):
    assert V.parse_date(text) == "2021-03-05"


@pytest.mark.parametrize("text", ["05/03/2021", "2021-02-30", "March 5", "0001-01-01", "9999-12-31", "2021-3"])
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
    from govties.loaders.validate import _in_range, _numbers
    from govties.loaders.vector import is_empty

    cells = ["1500000", "120万", "1,500,000.00", "0.1", "12.50", "", None, "-5", "1" * 400, "¥1500", "abc",
             "0012.3400", "1.2亿", "１５００", "99999999999999.99"]
    arr = pa.array(cells, pa.string())
    values, bad = _numbers(arr, is_empty(arr), lambda u: _in_range(V.parse_amount(u), 0.0, None))
    expected = [None if not c else _in_range(V.parse_amount(c), 0.0, None) for c in cells]
    assert values.to_pylist() == expected
    assert bad == [i for i, (c, e) in enumerate(zip(cells, expected, strict=True)) if c and e is None]
    assert bad == [7, 8, 10]  # a negative amount, one too large to be finite, a word
