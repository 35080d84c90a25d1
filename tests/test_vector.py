"""The loader's column-at-a-time helpers (loaders/vector.py, and the row ids of loaders/build.py) give the per-value
answers, whatever the shape."""

import pyarrow as pa
import pytest

from govties.loaders import vector


@pytest.mark.parametrize("many", [False, True])
def test_a_lookup_gives_each_key_the_first_ids_value_however_many_ids_there_are(many):
    """lookup(keys, ids, values): the value of the first id equal to each key, null for a key not among them; the
    same whether the ids are few or many beside the keys (many: the ids asked for are kept first, in order)."""
    ids = ["A", "B", "A", "C", None] + ([f"X{i}" for i in range(40)] if many else [])
    values = ["a1", "b", "a2", "c", "null's"] + ([f"x{i}" for i in range(40)] if many else [])
    keys = pa.chunked_array([["C", "A", "Z"], [None, "B", "A"]])
    assert (len(ids) > vector.NARROW * len(keys)) == many
    found = vector.lookup(keys, pa.chunked_array([ids[:3], ids[3:]]), pa.chunked_array([values[:2], values[2:]]))
    first = {}
    for i, v in zip(ids, values, strict=True):
        first.setdefault(i, v)
    assert found.to_pylist() == [first.get(k) for k in ["C", "A", "Z", None, "B", "A"]]
    assert found.to_pylist()[:3] == ["c", "a1", None]


@pytest.mark.parametrize("cells", [["a", "", "b", None, "a"], ["a", "", "B", None, "a"]])
def test_a_column_mapped_value_by_value_gives_each_cell_its_value_whether_or_not_all_map_to_themselves(cells):
    """map_distinct: each non-empty cell's value, null for '' and null cells; when every value maps to itself the
    column is kept as it is ('' made null), else a new one is taken; either way the same cells."""
    func = {"a": "a", "b": "b", "B": "b"}.get
    out = vector.map_distinct(pa.array(cells), func, pa.string())
    assert out.to_pylist() == [func(c) if c else None for c in cells]


@pytest.mark.parametrize("cells", [
    ["2021-03-05", "", "2020-01-31"], ["2021-03-05", "", "2021/1/31", "2021-02-30"],
    ["2021-03-05", "2021/12/08", "２０１７-１２-２５", "2021年3月5日", "", "至今", "2020-01-31"],
    ["2021-03-05", "1899-12-31", "2020-01-31"], ["2021-03-05", "2101-01-01"],  # out of the years read
    ["2021-03-05", "2021-1x-05", "abcd-ef-gh", "2021-3-5", "20210305"], ["至今", "", "present", "2021-03-05"],
    ["2021/03/05", "2021.3.5"], []])
@pytest.mark.parametrize("going", [False, True])
def test_dates_read_alike_whether_or_not_all_are_written_yyyy_mm_dd(cells, going):
    """The date check's values: YYYY-MM-DD kept, other forms read, '' null, a day that does not exist or lies
    outside the years read null and told, 至今 in an end date null and not told; each as values.parse_date reads
    it, the column kept as it is only when every date is already YYYY-MM-DD."""
    from govties.loaders import typed
    from govties.loaders.values import open_end, parse_date

    arr = pa.array(cells, pa.string())
    values, bad = typed.dates(arr, vector.is_empty(arr), going)
    assert values.to_pylist() == [parse_date(c) if c else None for c in cells]
    assert bad == [i for i, c in enumerate(cells) if c and parse_date(c) is None and not (going and open_end(c))]


def test_a_row_id_is_its_prefix_and_the_first_16_hex_digits_of_the_md5_of_its_cells():
    """The stored ids of roles, decision makers, bids ... : the md5 of the row's cells as text, joined by the unit
    separator (chr 31), an empty cell as '': the same rows give the same ids on every load."""
    import hashlib

    from govties.loaders.build import row_ids

    holders = [f"P{i}" for i in range(5000)] + [None, "王芳", "a\x1fb"]
    roles = ["director", None, "股东"] * (len(holders) // 3) + ["director"] * (len(holders) % 3)
    table = pa.table({"holder_id": holders, "role": roles, "share": [i / 7 for i in range(len(holders))]})
    ids, keys = row_ids(table, ["holder_id", "role"], "role-")
    expected = ["role-" + hashlib.md5(f"{h or ''}\x1f{r or ''}".encode()).hexdigest()[:16]
                for h, r in zip(holders, roles, strict=True)]
    assert ids.to_pylist() == expected
    assert len(set(keys.tolist())) == len(holders)  # the keys tell the rows apart as the ids do
    empty_ids, empty_keys = row_ids(table.slice(0, 0), ["holder_id"], "bid-")
    assert empty_ids.to_pylist() == [] and len(empty_keys) == 0
