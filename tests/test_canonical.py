"""Finding ids and evidence are canonical JSON joined from pieces (rules.canonical); each piece must be the text
json.dumps(sort_keys=True, ensure_ascii=False, default=str) gives, or ids and evidence change. And the embedded
backend's rows, converted a column at a time from Arrow, must be the values `plain` gives row by row."""

from __future__ import annotations

import datetime as dt
import decimal
import json

import duckdb
import pytest

from govties.graph.backend import arrow_rows, plain
from govties.rules import canonical
from govties.rules.findings import edge

HOSTILE = ["", "a\"b", "back\\slash", "tab\tnew\nline\r", "\x00\x07\x1f", "\u202e逆\u2066", "中文", "\ud800lone",
           "emoji \U0001F600", "\u2028\u2029", "/", "\x7f"]
SCALARS = [None, True, False, 0, -7, 2**70, 0.1, 1e-06, 1e16, -0.0, float("nan"), float("inf"), float("-inf"), 1.5,
           decimal.Decimal("1.50"), dt.date(2021, 3, 5), *HOSTILE]


def dumps(value):
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


@pytest.mark.parametrize("value", SCALARS, ids=repr)
def test_scalar_is_json_dumps(value):
    assert canonical.scalar(value) == dumps(value)


def test_record_with_a_value_given_already_serialized_is_json_dumps_of_the_whole():
    row = {"z": 1, "edges": None, "a": "中", "m": [1, {"b": 2, "a": None}], "\u202e": float("nan")}
    edges = [{"src": "P1", "dst": "C1"}, {"src": "P0", "dst": None}]
    whole = dumps({**row, "edges": edges})
    assert canonical.record(row, {"edges": canonical.array([dumps(e) for e in edges])}) == whole
    assert canonical.record({**row, "edges": edges}) == whole
    assert canonical.record({2: "x", 10: "y"}) == dumps({2: "x", 10: "y"})  # keys json.dumps converts itself


EDGES = [
    {"src": "P1", "dst": "C1", "type": "HOLDS_ROLE", "label": "shareholder", "share": 0.3333333333, "start": None,
     "end": "2020-01-01", "reported_on": None},
    {"src": "P1", "dst": "C1", "type": "HOLDS_ROLE", "label": None, "share": 1, "start": "2019-02-03", "end": None,
     "reported_on": "2021-05-06"},
    {"src": "P\"1", "dst": "D\n1", "type": "DECIDED", "label": "\u202e", "share": None, "start": "2019-02-03",
     "end": None},
    {"src": "P1", "dst": "C1", "type": "HOLDS_ROLE", "share": 0.0000004, "start": "x", "end": "y"},  # no label key
    {"src": "P1", "dst": "C1", "type": "HOLDS_ROLE", "label": "r", "share": float("nan"), "start": None, "end": None},
    {"src": 7, "dst": "C1", "type": "HOLDS_ROLE", "label": "r", "share": True, "start": None, "end": None},
    {"src": "P1", "dst": "C1", "type": "X", "label": dt.date(2020, 1, 1), "share": None, "start": None, "end": None},
]


@pytest.mark.parametrize("raw", EDGES)
def test_edge_is_json_dumps_of_the_evidence_edge(raw):
    text = canonical.edge(raw)  # None: a value is not text where text is expected; serialized whole instead
    assert (text if text is not None else canonical.record(edge(raw))) == dumps(edge(raw))
    assert (text is None) == (raw is EDGES[-2] or raw is EDGES[-1])


QUERY = """
    SELECT * FROM (VALUES
      (1, DATE '2021-03-05', 'x', 1.5::DOUBLE, 2.25::DECIMAL(10, 2),
       [{'src': 'a', 'share': 0.5::DOUBLE, 'start': '2020-01-01'}], true, 7::BIGINT, NULL),
      (2, NULL, NULL, 'nan'::DOUBLE, NULL, [{'src': 'b', 'share': 'nan'::DOUBLE, 'start': NULL}], NULL, NULL, NULL),
      (3, DATE '0005-01-02', '中\u202e', NULL, NULL, NULL, false, -1, NULL),
      (4, DATE '9999-12-31', '', 'inf'::DOUBLE, -0.5, [], NULL, 2, NULL)
    ) t(i, d, s, f, dec, edges, b, n, nothing)
    ORDER BY i"""


def _fetched(con, query):
    cur = con.execute(query)
    names = [c[0] for c in cur.description]
    return [{k: plain(v) for k, v in zip(names, row, strict=True)} for row in cur.fetchall()]


def test_arrow_rows_are_the_values_plain_gives_row_by_row():
    con = duckdb.connect()
    got, expected = arrow_rows(con.sql(QUERY).to_arrow_table()), _fetched(con, QUERY)
    assert [list(r) for r in got] == [list(r) for r in expected]
    assert [[repr(v) for v in r.values()] for r in got] == [[repr(v) for v in r.values()] for r in expected]
    assert got[1]["f"] is None and got[1]["edges"][0]["share"] is None  # NaN as None, also inside lists
    assert got[0]["d"] == "2021-03-05" and got[2]["d"] == "0005-01-02"


@pytest.mark.parametrize("column", ["TIMESTAMP '2020-01-02 03:04:05'", "TIMESTAMPTZ '2020-01-02 23:30:00+05'",
                                    "MAP {'k': 1}", "[DATE '2020-01-01']", "INTERVAL 3 DAY", "'x'::BLOB"])
def test_types_whose_python_values_differ_are_fetched_row_by_row(column, duckdb_backend):
    query = f"SELECT {column} AS v, 1 AS i"
    assert arrow_rows(duckdb.connect().sql(query).to_arrow_table()) is None
    expected = _fetched(duckdb_backend.con, query)
    assert duckdb_backend.run(query, {}) == expected and repr(duckdb_backend.run(query, {})) == repr(expected)


def test_each_findings_fingerprint_and_evidence_are_the_canonical_json_of_what_it_carries(duckdb_backend):
    from govties.loaders import load_dataset
    from govties.rules.catalog import catalog
    from govties.rules.engine import sweep
    from govties.rules.findings import facts_of, facts_text, fingerprint

    from conftest import DEMO

    duckdb_backend.load(load_dataset(DEMO).tables)
    result = sweep(duckdb_backend, list(catalog().values()), lang="en")
    findings = result.findings
    assert findings
    still_open = [f for f in findings if facts_of(f)["last_date"] is None and f["last_date"]]
    assert still_open  # spans still open on the sweep's date: recorded as open, their last_date the sweep's
    spanning = {r.id for r in catalog().values() if " AS overlap" in r.queries["sql"]}  # rules.spec.OPEN_SPAN
    assert {(f["rule"], f["last_date"]) for f in still_open} == {(rule, result.as_of) for rule in spanning}
    for f in findings:
        facts = facts_of(f)
        assert f["fingerprint"] == fingerprint(facts) and facts_text(f) == dumps(facts)
        # the facts are the evidence's edges, the finding's decisions and amounts, and its dates
        assert facts["edges"] == json.loads(f["evidence"])["edges"]
        assert [d for d, _ in facts["decisions"]] == [d for d in f["decision_ids"].split(";") if d]
        amounts = [a for _, a in facts["decisions"] if a]
        assert (sum(amounts) if facts["decisions"] else None) == f["_amount"]
        last = None if any(f is g for g in still_open) else f["last_date"]
        assert (facts["first_date"], facts["last_date"]) == (f["first_date"], last)
        assert f["evidence"] == dumps(json.loads(f["evidence"]))
        assert set(f["_explanations"]) == {"zh", "en"} and f["explanation"] == f["_explanations"]["en"]
