"""The loader's column-at-a-time helpers (loaders/vector.py) give the per-value answers, whatever the shape."""

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
