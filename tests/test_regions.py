"""Names of GB/T 2260 division codes (graph.regions over the vendored graph/data/gb2260.csv): a province, a
prefecture, a county after its prefecture (after its province where the prefecture only groups counties); none for
a code the table does not hold; and the ranked regions table and the workbench's pages naming them."""

from __future__ import annotations

import csv
import hashlib

import pytest

from govties.graph.regions import TABLE, region_name


@pytest.mark.parametrize("code, name", [
    ("33", "浙江省"), ("330000", "浙江省"), ("3301", "杭州市"), ("330100", "杭州市"), ("330102", "杭州市上城区"),
    ("1101", "北京市"), ("110101", "北京市东城区"),  # a municipality's districts: 110100 is only 市辖区
    ("500233", "重庆市忠县"), ("419001", "河南省济源市"),  # counties a province governs directly
    ("81", "香港特别行政区"), (" 3304 ", "嘉兴市"),
    ("330199", None), ("99", None), ("", None), (None, None), ("33a1", None), ("33010", None), ("3301020", None),
    ("330110001", "杭州市余杭区"), ("330110001001", "杭州市余杭区"), ("330100001", "杭州市"),
    ("999999001", None),
    ("441900003", "东莞市"), ("442000100001", "中山市"),
    ("3301100010", None),
])
def test_a_code_is_named_as_people_say_it(code, name):
    assert region_name(code) == name


def test_the_vendored_table_is_the_documented_one():
    """The README in graph/data gives its source; the file is six-digit codes, each once, every county's province
    in it too."""
    text = TABLE.read_bytes()
    assert hashlib.sha256(text).hexdigest() == "08a98bb30f120060b4936d0b411a6d7647896c11f0dbe3645e22fe90b798bda4"
    rows = list(csv.DictReader(text.decode("utf-8").splitlines()))
    codes = [r["code"] for r in rows]
    assert len(rows) == 3511 and len(set(codes)) == len(codes) and all(len(c) == 6 and c.isdigit() for c in codes)
    assert {c[:2] + "0000" for c in codes} <= set(codes) and sum(c.endswith("0000") for c in codes) == 34
