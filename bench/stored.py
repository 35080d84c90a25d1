"""The graph of a province, stored once in a DuckDB file next to its CSV files (`graph.duckdb`), for the benches
that time one stage on a stored graph (findings_bench.py, queries_bench.py)."""

from __future__ import annotations

from pathlib import Path


def stored_graph(data: str | Path) -> Path:
    """The province's `graph.duckdb`, loaded from its CSV files the first time it is asked for."""
    store = Path(data) / "graph.duckdb"
    if not store.exists():
        from govties.graph.backend import open_backend
        from govties.loaders import load_dataset

        backend = open_backend("duckdb", store=str(store))
        backend.load(load_dataset(data).tables)
        backend.close()
    return store
