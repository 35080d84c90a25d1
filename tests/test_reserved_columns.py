"""Source columns named like the model's own properties never overwrite them, on either backend: a column `id`,
`rid`, `_load`, `kind`, `name`, `person_id`, `labels` ... is kept in the row's `props` JSON only, and the findings
are those of the same data without it."""

from __future__ import annotations

import csv
import json

from govties.graph.model import reserved_property
from govties.loaders import load_dataset
from govties.rules.catalog import catalog
from govties.rules.engine import sweep

from conftest import DEMO

# name -> the value a row gets (i: the row's number): values that would change the findings if they were taken
HOSTILE = {
    "id": lambda i: f"HOSTILE{i % 7}", "rid": lambda i: f"R{i % 3}", "_load": lambda i: "stale",
    "kind": lambda i: "agency", "name": lambda i: f"假名{i}", "person_id": lambda i: "P0000001",
    "labels": lambda i: "Decision", ":LABEL": lambda i: "Person", "Govties": lambda i: "theirs",
    "govties_marker": lambda i: "x", "props": lambda i: "{}",
    "source_ids": lambda i: "P0000002", "date": lambda i: "1999-01-01", "end_date": lambda i: "1990-01-01",
    "start_date": lambda i: "2099-01-01", "stated": lambda i: "false", "share": lambda i: "1",
    "official": lambda i: "true", "type": lambda i: "BENEFITS",
}


def _hostile_copy(folder):
    """DEMO with every hostile column the file does not already have, with values that vary by row."""
    folder.mkdir()
    for src in DEMO.glob("*.csv"):
        with src.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        extra = [c for c in HOSTILE if c not in rows[0]]
        with (folder / src.name).open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(rows[0] + extra)
            for i, row in enumerate(rows[1:]):
                w.writerow(row + [HOSTILE[c](i) for c in extra])
    return folder


def _findings(backend, tables):
    backend.load(tables)
    return sorted(json.dumps(f, sort_keys=True, default=str) for f in sweep(backend, list(catalog().values())).findings)


def test_reserved_names():
    """The model's columns (of any table), the keys govties writes, and its own prefixes are reserved."""
    free = {":LABEL", "labels", "official", "type"}
    assert {n for n in HOSTILE if not reserved_property(n)} == free
    assert not reserved_property("民族") and not reserved_property("note")


def test_hostile_column_names_change_nothing(backend, tmp_path):
    plain = load_dataset(DEMO).tables
    hostile = load_dataset(_hostile_copy(tmp_path / "hostile")).tables
    expected = _findings(backend, plain)
    got = _findings(backend, hostile)
    assert len(expected) > 20 and got == expected
    people = backend.table("person").set_index("person_id")
    assert not any(i.startswith("HOSTILE") for i in people.index)  # ids are the model's, not the column's
    first = json.loads(people.loc["P0000000", "props"])
    assert first["id"] == "HOSTILE0" and first["kind"] == "agency"  # kept, in props only
    if backend.name == "neo4j":
        stored = backend.run("MATCH (n:Govties) WHERE n.id STARTS WITH 'HOSTILE' OR n.kind = 'agency' AND n:Person "
                             "OR n.Govties IS NOT NULL OR n.govties_marker IS NOT NULL RETURN count(n) AS n", {})
        assert stored == [{"n": 0}]
        p = backend.run("MATCH (p:Person {id: 'P0000000'}) RETURN properties(p) AS props", {})[0]["props"]
        assert p["labels"] == "Decision" and p[":LABEL"] == "Person"  # not reserved: properties of their own
        assert "_load" not in p or p["_load"] != "stale"
