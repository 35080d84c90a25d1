"""The findings table and its CSV are made a column at a time: these check that the result is what pandas makes of
the same values (the CSV bytes of `to_csv`, the frame of the findings' dicts), on values chosen to hit every
quoting, formula, missing-value, number and encoding rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from govties.graph.backend import UnsupportedFeature
from govties.graph.duckdb_backend import DuckDBBackend
from govties.loaders import load_dataset
from govties.rules import csvtext, export
from govties.rules.casework import case_columns
from govties.rules.export import Layout, findings_frame, write_csv_file

from conftest import MINIMAL, write_dataset

TEXTS = ["plain", "a,b", 'say "hi"', "two\nlines", "cr\ronly", "tab\tin", "=1+1", "+86 138", "-5", "-x",
         "@sum", "\tlead", "\rlead", " spaced ", "", "王建国", "名,字\n", "'=quoted", '"', ",", "1.5e3", "\u2028sep",
         "\x07bell"]


def tricky_frame() -> pd.DataFrame:
    n = len(TEXTS)
    text = pd.Series(TEXTS, dtype="str")
    with_missing = pd.Series([None if i % 3 == 0 else t for i, t in enumerate(TEXTS)], dtype="str")
    objects = pd.Series([None if i % 4 == 0 else float("nan") if i % 4 == 1 else t for i, t in enumerate(TEXTS)],
                        dtype=object)
    floats = [1 / 3, -0.0, float("inf"), -float("inf"), float("nan"), 1e16, 2.5e-7, 100.0, 123456789.123]
    return pd.DataFrame({
        "text": text, "missing": with_missing, "objects": objects,
        "ints": np.arange(n, dtype=np.int64) * -7, "floats": (floats * n)[:n], "flags": [i % 2 == 0 for i in range(n)],
        "surrogate": pd.Series(["a\ud800b" if i == 2 else t for i, t in enumerate(TEXTS)], dtype=object),
    })


def pandas_csv(frame: pd.DataFrame, tmp_path, layout: Layout, monkeypatch) -> bytes:
    """The bytes of the pandas writer (the path for tables not made column-wise)."""
    with monkeypatch.context() as m:
        m.setattr(export, "csv_body", lambda df, formulas: None)
        write_csv_file(frame, tmp_path / "pandas.csv", layout)
    return (tmp_path / "pandas.csv").read_bytes()


@pytest.mark.parametrize("layout", [Layout(), Layout(raw_cells=True, bom=False), Layout(lang="en", headers="lang")])
def test_column_wise_csv_is_byte_for_byte_what_pandas_writes(tmp_path, layout, monkeypatch):
    frame = tricky_frame()
    assert csvtext.csv_body(frame, formulas=True) is not None  # made column-wise, not handed to pandas
    write_csv_file(frame, tmp_path / "fast.csv", layout)
    fast = (tmp_path / "fast.csv").read_bytes()
    assert fast == pandas_csv(frame, tmp_path, layout, monkeypatch)
    assert ("'=1+1" in fast.decode("utf-8-sig")) is not layout.raw_cells
    assert "a\ufffdb" in fast.decode("utf-8-sig")


def test_tables_of_other_kinds_of_columns_are_written_by_pandas(tmp_path, monkeypatch):
    dates = pd.DataFrame({"when": pd.to_datetime(["2021-03-05", None]), "what": ["=x", "y"]})
    one_column = pd.DataFrame({"warning": ["", "a,b"]})
    for frame in (dates, one_column, tricky_frame().iloc[:0]):
        assert csvtext.csv_body(frame, formulas=True) is None
        write_csv_file(frame, tmp_path / "f.csv", Layout())
        assert (tmp_path / "f.csv").read_bytes() == pandas_csv(frame, tmp_path, Layout(), monkeypatch)


def test_findings_frame_is_the_frame_of_the_findings_dicts():
    base = {c: "x" for c in export.FINDING_COLUMNS + export.EXTRA_COLUMNS}
    findings = [{**base, "finding_id": "f1", "score": 70, "official_id": None, "explanation": "a\ud800b",
                 "extra": 1, "_hidden": object()},
                {**base, "finding_id": "f2", "score": 50, "official_id": "P1"}]  # f2 lacks `extra`
    frame = findings_frame(findings)
    cleaned = [{k: v.replace("\ud800", "\ufffd") if isinstance(v, str) else v for k, v in f.items()}
               for f in findings]
    expected = pd.DataFrame(cleaned)[[*export.FINDING_COLUMNS, *export.EXTRA_COLUMNS, "extra"]]
    pd.testing.assert_frame_equal(frame, expected, check_exact=True)
    assert frame.loc[0, "explanation"] == "a\ufffdb" and np.isnan(frame.loc[1, "extra"])


@pytest.fixture
def backend(tmp_path):
    positions = "person_id,org_id,title,rank,start_date,end_date\nP1,A1,局长,bureau,2015-01-01,\n"
    ds = load_dataset(write_dataset(tmp_path / "data", {**MINIMAL, "positions.csv": positions}))
    b = DuckDBBackend()
    b.load(ds.tables)
    yield b
    b.close()


def test_a_lookup_of_some_columns_gives_those_columns_of_the_whole_rows(backend):
    whole = backend.lookup("decision", ["D1"])
    some = backend.lookup("decision", ["D1"], ["amount", "decision_id"])
    pd.testing.assert_frame_equal(some, whole[["amount", "decision_id"]])
    assert list(backend.lookup("decision", [], ["kind"]).columns) == ["kind"]
    with pytest.raises(UnsupportedFeature, match="'nope'"):
        backend.lookup("decision", ["D1"], ["kind", "nope"])


def test_the_relation_from_the_evidence_facts_is_the_one_from_the_evidence_text(backend):
    evidence = ('{"edges": [{"dst": "P2", "end": null, "label": "spouse", "share": null, "src": "P1", '
                '"start": null, "type": "RELATIVE_OF"}], "nodes": []}')
    finding = {"finding_id": "f", "rule": "relative-business", "official_id": "P1", "via_id": "P2",
               "decision_ids": "D1", "first_date": "2020-05-01", "evidence": evidence}
    facts = {"edges": [{"src": "P1", "dst": "P2", "type": "RELATIVE_OF", "label": "spouse", "share": None,
                        "start": None, "end": None}], "decisions": [], "first_date": None, "last_date": None}
    from_text = case_columns(backend, [finding], "en", "2024-01-01")
    from_facts = case_columns(backend, [{**finding, "_facts": facts}], "en", "2024-01-01")
    pd.testing.assert_frame_equal(from_text, from_facts)
    assert from_facts.loc[0, "relation"] == "spouse" and from_facts.loc[0, "official_post"]
