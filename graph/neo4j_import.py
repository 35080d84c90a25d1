"""Files for `neo4j-admin database import full`: the same graph a govties load writes through the driver, as
node and relationship CSV files with neo4j-admin's typed headers, plus the command line to run.

Use it for a first load of a province-sized graph into an empty database (offline, far faster than any
transactional load); use `govties load --backend neo4j` for updates and for databases already in use. The nodes
carry govties' marker label, as a driver load writes them. Every word of import.sh is quoted for the shell, and the
database name must follow Neo4j's naming rules."""

from __future__ import annotations

import csv
import json
import shlex
from collections.abc import Iterator, Mapping
from pathlib import Path

import pandas as pd

from ..files import atomic_paths
from .backend import empty_table
from .columns import to_arrow
from .. import __version__
from .model import FORMAT_VERSION, GRAPH_FORMAT, GRAPH_LABEL, META_LABEL, ORG_KIND_LABEL, REL_ENDS, TABLES
from .neo4j_connect import check_database
from .neo4j_schema import CONSTRAINTS, INDEXES

NEO4J_TYPES = {"str": "string", "date": "date", "float": "double", "int": "long", "bool": "boolean",
               "list": "string[]", "json": "string"}
STAMP = "neo4j-admin-import"

RELATIONSHIPS = tuple(  # table, type, start column, start group, end column, end group
    (table, rel, start, REL_ENDS[rel][0], end, REL_ENDS[rel][1]) for table, rel, start, end in (
        ("post", "HOLDS_POST", "person_id", "org_id"),
        ("kin", "RELATIVE_OF", "person_id", "relative_id"),
        ("role", "HOLDS_ROLE", "holder_id", "org_id"),
        ("decision_maker", "DECIDED", "person_id", "decision_id"),
        ("bid", "BID", "org_id", "tender_id"),
    ))


def _value(v, kind: str):
    if v is None:
        return ""
    if kind == "list":
        return ";".join(str(x).replace(";", ",") for x in v)
    if kind == "bool":
        return "true" if v else "false"
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def _write(path: Path, header: list[str], rows) -> int:
    n = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for row in rows:
            w.writerow(row)
            n += 1
    return n


def _props(table: str, skip: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(c, k) for c, k in TABLES[table].columns if c not in skip]


def import_command(database: str, nodes: list[str], rels: list[str]) -> str:
    """The neo4j-admin command line, every word quoted for the shell."""
    head = ["neo4j-admin", "database", "import", "full", "--array-delimiter=;", "--overwrite-destination"]
    lines = [head] + [[f"--nodes={n}"] for n in nodes] + [[f"--relationships={r}"] for r in rels] + [[database]]
    return " \\\n  ".join(" ".join(shlex.quote(w) for w in line) for line in lines)


#: the files written, all or none: node files, relationship files, then import.sh, schema.cypher and counts.json
NODE_FILES = ("nodes_person.csv", "nodes_org.csv", "nodes_decision.csv", "nodes_declaration.csv")
REL_FILES = tuple(f"rels_{rel.lower()}.csv" for rel in (*(r[1] for r in RELATIONSHIPS), "ISSUED_BY", "BENEFITS",
                                                         "FILED"))
FILES = (*NODE_FILES, *REL_FILES, "import.sh", "schema.cypher", "counts.json")


def write_import_files(tables: Mapping[str, pd.DataFrame], out: str | Path, database: str = "neo4j") -> dict[str, int]:
    """The import's files in `out`, each written beside its target and all renamed into place at the end: a run
    that fails or is interrupted leaves the folder's previous files as they were, never a mix that import.sh would
    load (files.atomic_paths)."""
    check_database(database, "--database")
    out = Path(out)
    with atomic_paths([out / name for name in FILES]) as written:
        return _write_all(tables, dict(zip(FILES, written, strict=True)), database)


def _write_all(tables: Mapping[str, pd.DataFrame], path: dict[str, Path], database: str) -> dict[str, int]:
    typed = {name: to_arrow(name, tables.get(name) if tables.get(name) is not None else empty_table(name))
             for name in TABLES}

    def rows(name: str) -> Iterator[dict]:
        """A table's rows as dicts, a slice at a time (a province's rows do not fit in memory as dicts)."""
        table = typed[name]
        for start in range(0, table.num_rows, 100_000):
            yield from table.slice(start, 100_000).to_pylist()

    counts: dict[str, int] = {}
    nodes, rels = [], []

    def node_file(fname, id_col, group, label_of, table, skip):
        props = _props(table, skip)
        header = [f"{'id' if group != 'Declaration' else 'rid'}:ID({group})", ":LABEL", "_load"] + \
            [f"{c}:{NEO4J_TYPES[k]}" for c, k in props]
        body = ([r[id_col], label_of(r), STAMP] + [_value(r[c], k) for c, k in props] for r in rows(table))
        counts[fname] = _write(path[fname], header, body)
        nodes.append(fname)

    g = GRAPH_LABEL
    node_file("nodes_person.csv", "person_id", "Entity", lambda r: f"Entity;Person;{g}", "person", ("person_id",))
    node_file("nodes_org.csv", "org_id", "Entity", lambda r: f"Entity;Organization;{ORG_KIND_LABEL[r['kind']]};{g}",
              "org", ("org_id",))
    node_file("nodes_decision.csv", "decision_id", "Decision", lambda r: f"Decision;{g}", "decision", ("decision_id",))
    node_file("nodes_declaration.csv", "rid", "Declaration", lambda r: f"Declaration;{g}", "declaration", ("rid",))
    for table, rel, start, sgroup, end, egroup in RELATIONSHIPS:
        props = _props(table, (start, end))
        header = [f":START_ID({sgroup})", f":END_ID({egroup})", ":TYPE", "_load"] + \
            [f"{c}:{NEO4J_TYPES[k]}" for c, k in props]
        fname = f"rels_{rel.lower()}.csv"
        counts[fname] = _write(path[fname], header,
                               ([r[start], r[end], rel, STAMP] + [_value(r[c], k) for c, k in props]
                                for r in rows(table)))
        rels.append(fname)
    for rel, col in (("ISSUED_BY", "agency_id"), ("BENEFITS", "beneficiary_id")):
        fname = f"rels_{rel.lower()}.csv"
        counts[fname] = _write(path[fname], [":START_ID(Decision)", ":END_ID(Entity)", ":TYPE", "_load"],
                               ([r["decision_id"], r[col], rel, STAMP] for r in rows("decision")))
        rels.append(fname)
    fname = "rels_filed.csv"
    counts[fname] = _write(path[fname], [":START_ID(Entity)", ":END_ID(Declaration)", ":TYPE", "_load"],
                           ([r["person_id"], r["rid"], "FILED", STAMP] for r in rows("declaration")))
    rels.append(fname)
    path["import.sh"].write_text(
        "#!/bin/sh\n# Run from this folder on the Neo4j server, with the database stopped. Then start it, create\n"
        "# govties' constraints and indexes (cypher-shell -f schema.cypher), and sweep with\n"
        "# `govties sweep --backend neo4j --no-load`.\n"
        "cd \"$(dirname \"$0\")\" || exit 1\n" + import_command(database, nodes, rels) + "\n", encoding="utf-8")
    # the graph's format, as a load records it
    record = (f"MERGE (m:{META_LABEL} {{name: 'graph'}}) SET m.format = '{GRAPH_FORMAT}', "
              f"m.version = {FORMAT_VERSION}, m.govties = '{__version__}', m.written = datetime()")
    path["schema.cypher"].write_text(";\n".join(CONSTRAINTS + INDEXES + (record,))
                                       + ";\nCALL db.awaitIndexes(300);\n", encoding="utf-8")
    path["counts.json"].write_text(json.dumps(counts, indent=1), encoding="utf-8")
    return counts
