"""The Neo4j backend against a real server: idempotent loads, clear connection errors, no leaked password."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from govties.cli.main import main
from govties.graph.backend import BackendError
from govties.graph.model import GRAPH_LABEL, ORG_KIND_LABEL
from govties.loaders import load_dataset

from conftest import (DEMO, MINIMAL, ended, free_port, graph_rows, neo4j_available_or_skip,  # noqa: F401
                      write_dataset)


def test_loading_twice_gives_the_same_counts(neo4j_backend):
    tables = load_dataset(DEMO).tables
    first = neo4j_backend.load(tables)
    c1 = neo4j_backend.counts()
    neo4j_backend.load(tables)
    assert neo4j_backend.counts() == c1
    assert c1["person"] == first["person"] and c1["role"] == first["role"]


def test_batches_side_by_side_give_the_same_graph_as_one_at_a_time(neo4j_backend, monkeypatch):
    tables = load_dataset(DEMO).tables
    monkeypatch.setattr(neo4j_backend, "batch_size", 40)  # many batches per step, two in flight at once
    snapshots = {}
    for writers in (1, 2):
        neo4j_backend.wipe()
        monkeypatch.setattr(neo4j_backend, "writers", writers)
        neo4j_backend.load(tables)
        snapshots[writers] = graph_rows(neo4j_backend)
    assert snapshots[1] == snapshots[2]
    assert len(snapshots[2]["role"]) == tables["role"].num_rows and len(snapshots[2]["person"]) > 10
    neo4j_backend.load(tables)  # over the stored graph: every relationship merges with its stored twin
    assert graph_rows(neo4j_backend) == snapshots[1]
    assert neo4j_backend.append(tables, []) == {}  # an append of rows already stored adds nothing (nothing sweeps)
    assert graph_rows(neo4j_backend) == snapshots[1]


@pytest.mark.parametrize("table, pattern, nth", [
    ("role", "(a)-[r:HOLDS_ROLE", 3),  # the third batch of roles fails (once), two are in
    ("decision", "(n:Decision", 2),  # a node step: the second batch of decisions
])
def test_a_first_load_creates_and_a_rerun_after_a_failure_merges(neo4j_backend, monkeypatch, table, pattern, nth):
    tables = load_dataset(DEMO).tables
    neo4j_backend.load(tables)
    expected, counts = graph_rows(neo4j_backend), neo4j_backend.counts()
    neo4j_backend.wipe()
    monkeypatch.setattr(neo4j_backend, "batch_size", 100)
    original, queries, failed = neo4j_backend._write, [], []

    def failing(query, **params):
        queries.append(query)
        if not failed and sum(pattern in q for q in queries) == nth:
            failed.append(query)
            raise BackendError("simulated failure midway")
        return original(query, **params)

    monkeypatch.setattr(neo4j_backend, "_write", failing)
    with pytest.raises(BackendError):
        neo4j_backend.load(tables)
    assert any("CREATE " + pattern in q for q in queries)  # none stored: created
    assert 0 < neo4j_backend.counts()[table] < counts[table]
    queries.clear()
    neo4j_backend.load(tables)
    assert any("MERGE " + pattern in q for q in queries)  # some stored now: merged, none twice
    assert not any("CREATE " + pattern in q for q in queries)
    assert neo4j_backend.counts() == counts and graph_rows(neo4j_backend) == expected


def test_a_reload_replaces_what_is_gone(neo4j_backend, tmp_path):
    big = load_dataset(DEMO).tables
    neo4j_backend.load(big)
    small = load_dataset(write_dataset(tmp_path / "d", MINIMAL)).tables
    neo4j_backend.load(small)
    counts = neo4j_backend.counts()
    assert counts["person"] == 2 and counts["role"] == 1 and counts["decision"] == 1


def test_a_failed_first_load_leaves_nothing_in_a_later_smaller_load(neo4j_backend, monkeypatch, tmp_path):
    """A first load creates without stamps; what it left when it failed is swept by the next full load, however
    different that load's data."""
    small = load_dataset(write_dataset(tmp_path / "d", MINIMAL)).tables
    neo4j_backend.load(small)
    expected, counts = graph_rows(neo4j_backend), neo4j_backend.counts()
    neo4j_backend.wipe()
    monkeypatch.setattr(neo4j_backend, "batch_size", 100)
    original, roles = neo4j_backend._write, []

    def failing(query, **params):
        if "r:HOLDS_ROLE" in query:
            roles.append(query)
            if len(roles) == 3:  # decisions, their edges and two batches of roles are in
                raise BackendError("simulated failure midway")
        return original(query, **params)

    monkeypatch.setattr(neo4j_backend, "_write", failing)
    with pytest.raises(BackendError):
        neo4j_backend.load(load_dataset(DEMO).tables)
    assert neo4j_backend.counts()["role"] > counts["role"] and neo4j_backend.counts()["decision"] > counts["decision"]
    monkeypatch.setattr(neo4j_backend, "_write", original)
    neo4j_backend.load(small)
    assert neo4j_backend.counts() == counts and graph_rows(neo4j_backend) == expected


def test_interrupted_load_can_be_run_again(neo4j_backend, monkeypatch):
    tables = load_dataset(DEMO).tables
    neo4j_backend.load(tables)
    expected = neo4j_backend.counts()
    neo4j_backend.wipe()
    calls = {"n": 0}
    original = neo4j_backend._write

    def failing(query, **params):
        calls["n"] += 1
        if calls["n"] == 8:
            raise BackendError("simulated failure midway")
        return original(query, **params)

    monkeypatch.setattr(neo4j_backend, "_write", failing)
    with pytest.raises(BackendError):
        neo4j_backend.load(tables)
    monkeypatch.setattr(neo4j_backend, "_write", original)
    neo4j_backend.load(tables)
    assert neo4j_backend.counts() == expected


def test_values_are_parameters_not_query_text(neo4j_backend, tmp_path):
    evil = "x') DETACH DELETE n //"
    folder = write_dataset(tmp_path / "d", {**MINIMAL, "people.csv": f"""
        person_id,name
        P1,"{evil}"
        P2,'; DROP TABLE person; --
        """})
    neo4j_backend.load(load_dataset(folder).tables)
    names = sorted(neo4j_backend.table("person")["name"])
    assert names == sorted([evil, "'; DROP TABLE person; --"])
    assert neo4j_backend.counts()["person"] == 2


def test_unknown_columns_become_properties_when_created_and_when_merged(neo4j_backend, tmp_path):
    folder = write_dataset(tmp_path / "d", {**MINIMAL, "people.csv": """
        person_id,name,民族,note
        P1,王建国,汉,
        P2,李梅,汉,谨慎
        """, "company_roles.csv": """
        holder_id,org_id,role,share,start_date,备注
        P2,C1,shareholder,0.6,2015-01-01,代持
        """})
    tables = load_dataset(folder).tables
    for _ in range(2):  # a first load creates; the second merges into what is stored
        neo4j_backend.load(tables)
        people = neo4j_backend.run("MATCH (p:Person) RETURN p.id AS id, properties(p) AS props ORDER BY id", {})
        assert [(r["id"], r["props"].get("民族"), r["props"].get("note"), r["props"]["name"]) for r in people] == \
            [("P1", "汉", None, "王建国"), ("P2", "汉", "谨慎", "李梅")]
        roles = neo4j_backend.run("MATCH ()-[r:HOLDS_ROLE]->() RETURN properties(r) AS props", {})
        assert [(r["props"].get("备注"), r["props"]["role"], r["props"]["share"]) for r in roles] == \
            [("代持", "shareholder", 0.6)]


@pytest.mark.parametrize("case", ["down", "password", "database"])
def test_connection_errors_are_one_line_exit_2(case, monkeypatch, minimal_dataset, tmp_path):
    neo4j_available_or_skip()
    secret = "definitely-wrong-secret"
    args = ["sweep", str(minimal_dataset), "--backend", "neo4j", "-o", str(tmp_path / "f.csv")]
    if case == "down":
        monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{free_port()}")
        expect = "cannot reach Neo4j"
    elif case == "password":
        monkeypatch.setenv("NEO4J_PASSWORD", secret)
        expect = "refused the credentials"
    else:
        args += ["--neo4j-database", "nosuchdb"]
        expect = "has no database 'nosuchdb'"
    res = CliRunner().invoke(main, args)
    ended(res, 2)
    assert expect in res.output
    assert len(res.output.strip().splitlines()) == 1
    assert secret not in res.output and os.environ["NEO4J_PASSWORD"] not in res.output


def test_sweep_on_neo4j_then_no_load(neo4j_backend, minimal_dataset, tmp_path):
    runner = CliRunner()
    out = tmp_path / "f.csv"
    res = runner.invoke(main, ["sweep", str(minimal_dataset), "--backend", "neo4j", "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    assert os.environ["NEO4J_PASSWORD"] not in res.output
    first = out.read_text(encoding="utf-8")
    res = runner.invoke(main, ["sweep", "--backend", "neo4j", "--no-load", "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8") == first


def test_a_routing_uri_reaches_the_same_graph(neo4j_backend, tmp_path):
    """neo4j:// (cluster routing; a single server routes to itself) loads and sweeps as bolt:// does."""
    runner, out = CliRunner(), {}
    for scheme in ("bolt", "neo4j"):
        uri = os.environ["NEO4J_URI"].replace("bolt://", f"{scheme}://", 1)
        assert uri.startswith(f"{scheme}://")
        out[scheme] = tmp_path / f"{scheme}.csv"
        res = runner.invoke(main, ["sweep", str(DEMO), "--backend", "neo4j", "--neo4j-uri", uri, "-o",
                                   str(out[scheme]), "-q"])
        assert res.exit_code == 0, res.output
    bolt = out["bolt"].read_text(encoding="utf-8")
    assert bolt.count("\n") > 10 and out["neo4j"].read_text(encoding="utf-8") == bolt


def test_neo4j_admin_import_files(tmp_path):
    import csv

    from govties.graph.neo4j_import import write_import_files

    tables = load_dataset(DEMO).tables
    counts = write_import_files(tables, tmp_path / "imp")
    assert counts["nodes_person.csv"] == len(tables["person"])
    assert counts["rels_holds_role.csv"] == len(tables["role"])
    with (tmp_path / "imp" / "nodes_org.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:3] == ["id:ID(Entity)", ":LABEL", "_load"] and "founded_on:date" in rows[0]
    labels = {r[1] for r in rows[1:]}
    assert labels <= {f"Entity;Organization;{kind};Govties" for kind in ORG_KIND_LABEL.values()}
    assert {"Entity;Organization;Institution;Govties", "Entity;Organization;Association;Govties"} <= labels
    for name in ("person", "decision", "declaration"):  # every node carries govties' marker, as a driver load's do
        with (tmp_path / "imp" / f"nodes_{name}.csv").open(encoding="utf-8") as fh:
            assert all(r[1].endswith(";Govties") for r in list(csv.reader(fh))[1:])
    with (tmp_path / "imp" / "rels_holds_post.csv").open(encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header[:3] == [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE"] and "portfolio:string[]" in header
    script = (tmp_path / "imp" / "import.sh").read_text(encoding="utf-8")
    assert "neo4j-admin database import full" in script and "--relationships=rels_decided.csv" in script
    schema = (tmp_path / "imp" / "schema.cypher").read_text(encoding="utf-8")
    assert "CREATE CONSTRAINT" in schema and "MERGE (m:GovtiesMeta {name: 'graph'})" in schema


def _fake_neo4j_admin(tmp_path):
    """A neo4j-admin on PATH that writes the arguments it was given, each ended by a NUL."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "neo4j-admin"
    fake.write_text('#!/bin/sh\nfor a in "$@"; do printf \'%s\\0\' "$a"; done > "$ARGS_OUT"\n', encoding="utf-8")
    fake.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "ARGS_OUT": str(tmp_path / "args.txt")}


def test_import_sh_passes_every_word_as_one_argument_and_runs_nothing_else(tmp_path):
    """Run by sh with a stand-in neo4j-admin: the database name arrives as one argument, whatever it holds."""
    import subprocess

    from govties.graph.neo4j_import import import_command

    env = _fake_neo4j_admin(tmp_path)
    for hostile in ("neo4j; touch PWNED", "$(touch PWNED)", "`touch PWNED`", "x' ; touch PWNED ; '", "a\ntouch PWNED"):
        script = tmp_path / "import.sh"
        script.write_text(import_command(hostile, ["nodes_a.csv"], ["rels_b.csv"]) + "\n", encoding="utf-8")
        done = subprocess.run(["sh", str(script)], cwd=tmp_path, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert not (tmp_path / "PWNED").exists()
        args = (tmp_path / "args.txt").read_text(encoding="utf-8").split("\0")[:-1]
        assert args[-1] == hostile and len(args) == 8
        assert args[:6] == ["database", "import", "full", "--array-delimiter=;", "--overwrite-destination",
                            "--nodes=nodes_a.csv"]


def test_neo4j_import_refuses_a_database_name_neo4j_would_refuse(tmp_path):
    import subprocess

    for name in ("neo4j; touch PWNED", "system", "_x", "ab", "a" * 64, "end-", "名字"):
        res = CliRunner().invoke(main, ["neo4j-import", str(DEMO), "--out", str(tmp_path / "imp"), "--database", name])
        assert res.exit_code == 2, res.output
        assert res.output.startswith(f"error: --database {name!r} is not a Neo4j database name") and \
            len(res.output.strip().splitlines()) == 1, res.output
        assert not (tmp_path / "imp").exists()
    res = CliRunner().invoke(main, ["neo4j-import", str(DEMO), "--out", str(tmp_path / "imp"), "--database",
                                    "gov-ties.2026"])
    assert res.exit_code == 0, res.output
    env = _fake_neo4j_admin(tmp_path)
    done = subprocess.run(["sh", str(tmp_path / "imp" / "import.sh")], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    args = (tmp_path / "args.txt").read_text(encoding="utf-8").split("\0")[:-1]
    assert args[-1] == "gov-ties.2026" and "--nodes=nodes_person.csv" in args and not (tmp_path / "PWNED").exists()


def test_any_id_of_a_merged_person_finds_it(neo4j_backend):
    neo4j_backend.load(load_dataset(DEMO).tables)
    assert neo4j_backend.canonical("XP0013") == "XP0012"  # merged by resident ID into XP0012
    assert neo4j_backend.canonical("XP0012") == "XP0012" and neo4j_backend.canonical("nope") is None


def test_an_organization_whose_kind_changes_changes_its_label(neo4j_backend, tmp_path):
    """A company that a later export calls an institution is one: its Company label goes (rules that mean
    companies read the label), its Institution label comes."""
    orgs = MINIMAL["organizations.csv"]
    for kind, label in (("company", "Company"), ("institution", "Institution"), ("company", "Company")):
        files = {**MINIMAL,
                 "organizations.csv": orgs.replace("C1,华兴建设有限公司,company", f"C1,华兴建设有限公司,{kind}")}
        neo4j_backend.load(load_dataset(write_dataset(tmp_path / kind, files)).tables)
        rows = neo4j_backend.run("MATCH (n:Entity {id: 'C1'}) RETURN labels(n) AS labels, n.kind AS kind", {})
        assert rows[0]["kind"] == kind
        assert sorted(rows[0]["labels"]) == sorted(["Entity", "Organization", label, GRAPH_LABEL])
