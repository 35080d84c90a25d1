"""The workspace's store itself, on both backends: recording where a load's records came from a second time (a
rerun after Ctrl-C cut the first short, or the same folder appended again) leaves one copy of each; a key taken
twice inside a transaction is reported as the conflict it is."""

from __future__ import annotations

from collections import Counter

import pytest

import govties.api as gt
from govties.graph.workspace import WorkspaceConflict

from conftest import fresh_graph, DEMO, MINIMAL, write_dataset


@pytest.fixture(params=["duckdb", "neo4j"])
def opened(request, tmp_path):
    """The demo loaded into a fresh graph on each backend (the Neo4j database's graph and workspace emptied)."""
    graph = fresh_graph(request.param, tmp_path)
    graph.load(DEMO)
    yield graph
    graph.close()


def _records(ws) -> Counter:
    columns = ("record_id", "entity_id", "kind", "file", "line", "dataset")
    return Counter(tuple(r[c] for c in columns) for r in ws.store.select("record"))


class Cut(Exception):
    """Stands for the Ctrl-C that ends a recording part way (the test's own, so nothing else can raise it)."""


def test_recording_an_append_s_sources_again_leaves_one_copy(opened, tmp_path, monkeypatch):
    ws = opened.workspace()
    demo = _records(ws)
    assert demo and max(demo.values()) == 1
    extra = gt.validate(write_dataset(tmp_path / "extra", MINIMAL))
    n = extra.records.num_rows
    assert n == 5  # 2 people, 2 organizations, 1 decision

    # the first run is cut short after the first rows are written (on Neo4j they stay: records go in batches)
    store, insert = ws.store, ws.store.insert

    def part(table, rows):
        if table == "record":
            insert(table, rows.slice(0, 3))
            raise Cut
        return insert(table, rows)

    monkeypatch.setattr(store, "insert", part)
    with pytest.raises(Cut):
        ws.record_sources(extra, append=True)
    monkeypatch.setattr(store, "insert", insert)
    written = sum(_records(ws).values()) - sum(demo.values())
    assert written == (0 if ws.atomic else 3)

    assert ws.record_sources(extra, append=True) == n  # the same command again
    once = _records(ws)
    assert sum(once.values()) == sum(demo.values()) + n and max(once.values()) == 1
    assert ws.record_sources(extra, append=True) == n  # and the same folder appended once more
    assert _records(ws) == once


def test_recording_a_full_load_s_sources_again_leaves_one_copy(opened):
    ws = opened.workspace()
    demo = _records(ws)
    ws.record_sources(gt.validate(DEMO))
    assert _records(ws) == demo


def test_a_key_taken_twice_in_a_transaction_is_a_conflict(tmp_path):
    """DuckDB aborts the transaction at the failed insert; putting away the rows handed to it must not then
    raise an error of its own in place of the conflict. The transaction is rolled back."""
    with gt.open_graph(store=tmp_path / "g.duckdb", create=True) as graph:
        store = graph.workspace().store
        row = {"name": "li", "role": "viewer", "hash": "x", "created_at": "2024-01-01"}
        store.insert("user", [row])
        with pytest.raises(WorkspaceConflict, match="already taken"), store.transaction():
            store.insert("note", [{"note_id": "n1", "target": "t", "who": "li", "at": "2024", "text": "kept?"}])
            store.insert("user", [row])
        assert store.select("note") == [] and [r["name"] for r in store.select("user")] == ["li"]
        store.insert("user", [{**row, "name": "wang"}])  # the store still works
        assert store.count("user") == 2
