"""The column-at-a-time resident-ID and credit-code checks give exactly the per-value answers."""

import pyarrow as pa
from hypothesis import given, settings, strategies as st

from govties.loaders import values as V
from govties.loaders.codes import credit_codes, resident_ids
from govties.loaders.vector import first_seen


def _valid_id(body17: str) -> str:
    return body17 + V.id_check_char(body17)


ID_PARTS = st.sampled_from(["330102", "110101", "４４０３０５"])
DATES = st.sampled_from(["19800101", "19990229", "20000229", "19801332", "00000101", "21001231"])
SEQ = st.from_regex(r"[0-9]{3}", fullmatch=True)
VALID = st.builds(lambda a, d, s: _valid_id((a + d + s).translate(str.maketrans("４０３５", "4035"))),
                  ID_PARTS, DATES, SEQ)
WIDE = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")


def _dirty(value: str, spaces: list[int], wide: bool, lower: bool, gap: str) -> str:
    """A value as registers write it: spaces (or tabs, ideographic spaces) inside, full-width, a lower-case x."""
    for i in sorted(spaces, reverse=True):
        value = value[:i] + gap + value[i:]
    value = value.lower() if lower else value
    return value.translate(WIDE) if wide else value


DIRTY = st.builds(_dirty, VALID, st.lists(st.integers(0, 18), max_size=3), st.booleans(), st.booleans(),
                  st.sampled_from([" ", "\t", "\u3000", "\u00a0", "\u2003", "\x85"]))
IDS = st.one_of(
    VALID, DIRTY,
    st.builds(lambda a, d, s, c: a + d + s + c, ID_PARTS, DATES, SEQ, st.sampled_from(list("0123456789Xx"))),
    st.builds(lambda a, d, s: a + d[2:] + s, ID_PARTS, DATES, SEQ),  # 15 digits
    st.text(alphabet="0123456789Xx ", max_size=20),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(IDS, max_size=30))
def test_resident_ids_match_the_per_value_check(values):
    values = [v.strip() for v in values]  # cells are trimmed before they are checked
    keys, reasons = resident_ids(pa.array(values, type=pa.string()))
    expected = [V.normalize_id_number(v) if v.strip() else (None, None) for v in values]
    assert keys.to_pylist() == [k for k, _ in expected]
    assert reasons.to_pylist() == [r for _, r in expected]


VALID_CODES = st.builds(lambda b: b + V.credit_check_char(b),
                        st.text(alphabet=V._CC_CHARS, min_size=17, max_size=17))
CODES = st.one_of(
    VALID_CODES,
    st.builds(lambda v, spaces, wide, lower, gap: _dirty(v, spaces, False, lower, gap).translate(
        str.maketrans({c: chr(ord(c) + 0xFEE0) for c in "0123456789ABCDEFGHJKLMNPQRTUWXYabcdefghjklmnpqrtuwxy"}))
        if wide else _dirty(v, spaces, False, lower, gap),
        VALID_CODES, st.lists(st.integers(0, 18), max_size=3), st.booleans(), st.booleans(),
        st.sampled_from([" ", "\t", "\u3000", "\u2003"])),
    st.text(alphabet=V._CC_CHARS + "IOSVZ a", min_size=16, max_size=19),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(CODES, max_size=30))
def test_credit_codes_match_the_per_value_check(values):
    values = [v.strip() for v in values]
    keys, reasons = credit_codes(pa.array(values, type=pa.string()))
    expected = [V.check_credit_code(v) if v.strip() else (None, None) for v in values]
    assert keys.to_pylist() == [k for k, _ in expected]
    assert reasons.to_pylist() == [r for _, r in expected]


@given(st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "c", "d"])), max_size=40))
def test_first_seen_marks_every_repeat_and_no_first(values):
    seen, expected = set(), []
    for v in values:
        expected.append(v is not None and v in seen)
        if v is not None:
            seen.add(v)
    assert first_seen(pa.array(values, type=pa.string())).tolist() == expected
