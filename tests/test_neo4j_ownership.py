"""govties changes only what govties wrote in a Neo4j database (graph/neo4j_owner.py), against the real server.

Another application's nodes under govties' labels, or relationships of govties' types, make every command refuse
the database in one line (exit status 2) before anything is written, not even a constraint; its data of other labels
beside govties' graph is never touched by loads, their stale sweeps, counts, reads or wipes; a graph an earlier
govties wrote (no marker) is refused with the way forward, and adopted on request."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from govties.cli.main import main
from govties.graph.backend import BackendError
from govties.graph.neo4j_backend import Neo4jBackend
from govties.loaders import load_dataset
from govties.rules.catalog import catalog
from govties.rules.engine import sweep

from conftest import DEMO, MINIMAL, graph_rows, one_error, write_dataset

THEIRS = "OtherApp"  # the label our stand-in for another application puts on everything it writes


def _everything(backend) -> tuple:
    """Every node (labels, properties), relationship and constraint in the database, govties' or not."""
    nodes = backend.run("MATCH (n) WHERE NOT n:GovtiesLoad RETURN labels(n) AS l, properties(n) AS p", {})
    rels = backend.run("MATCH (a)-[r]->(b) RETURN type(r) AS t, properties(r) AS p, a.id AS a, b.id AS b", {})
    constraints = backend.run("SHOW CONSTRAINTS YIELD name RETURN name", {})
    key = lambda x: repr(sorted(x.items()))  # noqa: E731
    for n in nodes:
        n["l"] = sorted(n["l"])
        n["p"].pop("written", None)  # the format record's time: a load rewrites it
    return (sorted(map(key, nodes)), sorted(map(key, rels)), sorted(c["name"] for c in constraints))


@pytest.fixture
def db(neo4j_backend):
    """The test database without anything of the stand-in application, before and after."""
    neo4j_backend.run(f"MATCH (n) WHERE n:{THEIRS} OR n:GovtiesCase DETACH DELETE n", {})
    yield neo4j_backend
    neo4j_backend.run(f"MATCH (n) WHERE n:{THEIRS} OR n:GovtiesCase DETACH DELETE n", {})
    neo4j_backend.run("MATCH (n) WHERE (n:Entity OR n:Decision OR n:Declaration) AND NOT n:Govties "
                      "DETACH DELETE n", {})  # an unmarked graph a test made


FOREIGN = {
    "a decision node": f"CREATE (:{THEIRS}:Decision {{id: 'D0000000', title: 'theirs'}})",
    "a person with a clashing id": f"CREATE (:{THEIRS}:Entity:Person {{id: 'P0000000', name: 'theirs'}})",
    "a person label alone": f"CREATE (:{THEIRS}:Person {{name: 'a customer'}})",
    "a company label alone": f"CREATE (:{THEIRS}:Company {{name: 'ACME'}})",
    "a role between their nodes":
        f"CREATE (:{THEIRS} {{id: 'a'}})-[:HOLDS_ROLE {{since: 2020}}]->(:{THEIRS} {{id: 'b'}})",
    "a benefit between their nodes": f"CREATE (:{THEIRS})-[:BENEFITS]->(:{THEIRS})",
}


@pytest.mark.parametrize("what", list(FOREIGN))
def test_a_database_holding_another_applications_data_is_refused_and_left_as_it_was(db, what, tmp_path):
    db.run(FOREIGN[what], {})
    before = _everything(db)
    runner = CliRunner()
    for args in (["load", str(DEMO)], ["sweep", str(DEMO), "-o", str(tmp_path / "f.csv")],
                 ["sweep", "--no-load", "-o", str(tmp_path / "f.csv")], ["view", "-o", str(tmp_path / "v.html")],
                 ["load", str(DEMO), "--adopt"]):
        said = one_error(runner.invoke(main, [*args, "--backend", "neo4j", "-q"]),
                          "the Neo4j database at bolt://", "another application's data, which govties never deletes "
                          "or merges into", "NEO4J_DATABASE", "on Neo4j Community, which has one database, a "
                          "separate server")
        assert ":" + THEIRS not in said
    assert _everything(db) == before
    assert not (tmp_path / "f.csv").exists()


def test_another_applications_data_beside_govties_graph_is_never_touched(db, tmp_path):
    """Their labels (and a workbench's Govties* labels) and their relationships to govties' nodes survive loads, the
    stale sweep of a smaller load, and a wipe; counts and reads see govties' graph only."""
    db.load(load_dataset(DEMO).tables)
    expected_rows, expected_counts = graph_rows(db), db.counts()
    db.run(f"MATCH (p:Person {{id: 'P0000000'}}), (d:Decision {{id: 'D0000000'}}) "
           f"CREATE (:{THEIRS}:Case {{id: 'case-1'}})-[:ABOUT]->(p), (:GovtiesCase {{id: 'case-2'}})-[:ABOUT]->(d), "
           f"(p)-[:FLAGGED_BY]->(:{THEIRS} {{id: 'analyst'}})", {})

    def theirs():
        return db.run(f"MATCH (n) WHERE n:{THEIRS} OR n:GovtiesCase OPTIONAL MATCH (n)-[r]-() "
                      "RETURN n.id AS id, count(r) AS rels ORDER BY id", {})

    assert theirs() == [{"id": "analyst", "rels": 1}, {"id": "case-1", "rels": 1}, {"id": "case-2", "rels": 1}]
    db.load(load_dataset(DEMO).tables)  # merges, stamps, sweeps what it did not write
    assert graph_rows(db) == expected_rows and db.counts() == expected_counts
    assert theirs() == [{"id": "analyst", "rels": 1}, {"id": "case-1", "rels": 1}, {"id": "case-2", "rels": 1}]
    edges = {e["type"] for e in db.edges_of(["P0000000", "D0000000"])}
    assert edges and not edges & {"ABOUT", "FLAGGED_BY"}
    db.load(load_dataset(write_dataset(tmp_path / "small", MINIMAL)).tables)  # P0000000 and D0000000 are gone
    assert db.counts()["person"] == 2
    assert theirs() == [{"id": "analyst", "rels": 0}, {"id": "case-1", "rels": 0}, {"id": "case-2", "rels": 0}]
    db.wipe()
    assert sum(db.counts().values()) == 0 and len(theirs()) == 3


def _unmark(backend) -> None:
    """The graph as a govties without the marker wrote it."""
    backend.run("MATCH (n:Govties) CALL (n) { REMOVE n:Govties } IN TRANSACTIONS OF 10000 ROWS", {})
    backend.run("MATCH (m:GovtiesMeta) DELETE m", {})


def test_a_graph_of_an_earlier_govties_is_refused_with_the_way_forward_and_adopted_on_request(db, tmp_path):
    tables = load_dataset(DEMO).tables
    db.load(tables)
    expected = graph_rows(db)
    _unmark(db)
    before = _everything(db)
    runner = CliRunner()
    for args in (["load", str(DEMO)], ["sweep", "--no-load", "-o", str(tmp_path / "f.csv")]):
        one_error(runner.invoke(main, [*args, "--backend", "neo4j", "-q"]),
                   "if an earlier govties wrote this graph, `govties load DATASET --backend neo4j --adopt` marks it")
    assert _everything(db) == before
    res = runner.invoke(main, ["load", str(DEMO), "--backend", "neo4j", "--adopt", "-q"])
    assert res.exit_code == 0, res.output
    assert graph_rows(db) == expected
    assert db.run("MATCH (n) WHERE (n:Entity OR n:Decision OR n:Declaration) AND NOT n:Govties "
                  "RETURN count(n) AS n", {}) == [{"n": 0}]
    found = sorted(f["finding_id"] for f in sweep(db, list(catalog().values())).findings)
    assert len(found) > 20


def test_adopt_refuses_what_does_not_have_govties_shape(db):
    db.load(load_dataset(DEMO).tables)
    _unmark(db)
    db.run(f"CREATE (:{THEIRS}:Decision {{id: 'X1'}})", {})  # a decision nobody issued: not govties' shape
    before = _everything(db)
    res = CliRunner().invoke(main, ["load", str(DEMO), "--backend", "neo4j", "--adopt", "-q"])
    one_error(res, "another application's data")
    assert _everything(db) == before


def test_the_library_refuses_a_database_that_is_not_govties(db):
    db.run(FOREIGN["a decision node"], {})
    with pytest.raises(BackendError, match=r"holds nodes 1 :Decision without the label Govties"):
        Neo4jBackend.from_env()
    with pytest.raises(BackendError, match="another application's data"):
        db.counts()
    db.run(f"MATCH (n:{THEIRS}) DETACH DELETE n", {})
    with pytest.raises(BackendError, match="holds no govties graph: load one first"):
        Neo4jBackend.from_env(purpose="read")
