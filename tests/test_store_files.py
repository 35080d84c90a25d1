"""An embedded store is a DuckDB file govties wrote, and says so (its govties_meta record): a store that does not
exist is created only by a command that writes a graph, and any other file (text, another application's database,
a newer format) is refused in one line, exit status 2, and left as it was."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import duckdb
import pytest
from click.testing import CliRunner

from govties.cli.main import main
from govties.graph.duckdb_backend import DuckDBBackend
from govties.graph.model import FORMAT_VERSION, GRAPH_FORMAT, META_TABLE

from conftest import DEMO, one_error


def _run(*args):
    res = CliRunner().invoke(main, [str(a) for a in args])
    return res


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "g.duckdb"
    res = _run("load", DEMO, "--store", path, "-q")
    assert res.exit_code == 0, res.output
    return path


READS = [("sweep", "--no-load", "-o"), ("view", "-o"), ("report", "--out")]


@pytest.mark.parametrize("command", READS, ids=[c[0] for c in READS])
def test_reading_a_store_that_does_not_exist_creates_nothing_and_keeps_the_output(command, tmp_path):
    out = tmp_path / ("out" if command[0] == "report" else "f.html" if command[0] == "view" else "f.csv")
    if command[0] != "report":
        out.write_text("the findings of yesterday\n", encoding="utf-8")
    typo = tmp_path / "grpah.duckdb"
    one_error(_run(*command[:-1], "--store", typo, command[-1], out), f"the store {typo} does not exist")
    assert not typo.exists()
    if command[0] == "report":
        assert not out.exists()
    else:
        assert out.read_text(encoding="utf-8") == "the findings of yesterday\n"


@pytest.mark.parametrize("kind, content, says", [
    ("csv", b"person_id,name\nP1,x\n", "it is a text file, e.g. CSV"),
    ("xlsx", None, "it is a zip file, e.g. an .xlsx workbook"),
    ("sqlite", b"SQLite format 3\x00" + b"\x00" * 100, "it is an SQLite database"),
])
def test_a_file_that_is_not_a_duckdb_database_is_refused_and_unchanged(tmp_path, kind, content, says):
    path = tmp_path / f"data.{kind}"
    if content is None:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("xl/workbook.xml", "<workbook/>")
    else:
        path.write_bytes(content)
    before = path.read_bytes()
    for args in (("load", DEMO, "--store", path), ("sweep", "--no-load", "--store", path, "-o", tmp_path / "f.csv"),
                 ("load", DEMO, "--store", path, "--append")):
        one_error(_run(*args, "-q"), f"the store {path} is not a DuckDB database ({says})")
    assert path.read_bytes() == before and not (tmp_path / "f.csv").exists()


def test_another_applications_duckdb_file_is_refused_and_unchanged(tmp_path):
    path = tmp_path / "crm.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE person (customer VARCHAR, balance INTEGER)")
    con.execute("INSERT INTO person VALUES ('ACME', 12), ('Initech', 7)")
    con.execute("CREATE TABLE orders AS SELECT 1 AS n")
    con.close()
    for args in (("load", DEMO, "--store", path, "-q"), ("sweep", "--no-load", "--store", path, "-q"),
                 ("sweep", DEMO, "--store", path, "-q", "-o", tmp_path / "f.csv")):
        one_error(_run(*args), f"the store {path} is a DuckDB database of another application (tables orders, "
                                "person;", "give --store a new file name")
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT * FROM person ORDER BY customer").fetchall() == [("ACME", 12), ("Initech", 7)]
    assert sorted(r[0] for r in con.execute("SHOW TABLES").fetchall()) == ["orders", "person"]
    con.close()


def test_a_load_records_the_format_and_a_newer_format_is_refused(store, tmp_path):
    con = duckdb.connect(str(store))
    meta = dict(con.execute(f"SELECT key, value FROM {META_TABLE}").fetchall())
    assert meta["format"] == GRAPH_FORMAT and meta["version"] == str(FORMAT_VERSION) and len(meta["load"]) == 32
    con.execute(f"UPDATE {META_TABLE} SET value = '{FORMAT_VERSION + 1}' WHERE key = 'version'")
    con.close()
    for args in (("sweep", "--no-load", "--store", store, "-o", tmp_path / "f.csv"), ("load", DEMO, "--store", store)):
        one_error(_run(*args, "-q"), f"the store {store} was written by a newer govties (store format "
                                      f"{FORMAT_VERSION + 1}", "upgrade govties")


def test_a_store_written_before_records_is_reloaded_and_never_read_as_is(store, tmp_path):
    con = duckdb.connect(str(store))
    con.execute(f"DROP TABLE {META_TABLE}")  # a store as govties wrote it before it kept the record
    con.close()
    one_error(_run("sweep", "--no-load", "--store", store, "-q"),
               f"the store {store} was written by an earlier govties", f"govties load DATASET --store {store}")
    one_error(_run("load", DEMO, "--store", store, "--append", "-q"), "was written by an earlier govties")
    assert _run("load", DEMO, "--store", store, "-q").exit_code == 0
    res = _run("sweep", "--no-load", "--store", store, "-q", "-o", tmp_path / "f.csv")
    assert res.exit_code == 0, res.output


def test_a_govties_store_keeps_tables_it_does_not_own(store, tmp_path):
    con = duckdb.connect(str(store))
    con.execute("CREATE TABLE govties_scratch AS SELECT 'abc' AS finding_id, 'dismissed' AS status")
    con.execute("CREATE TABLE notes AS SELECT 'mine' AS note")
    con.close()
    assert _run("load", DEMO, "--store", store, "-q").exit_code == 0
    con = duckdb.connect(str(store), read_only=True)
    assert con.execute("SELECT * FROM govties_scratch").fetchall() == [("abc", "dismissed")]
    assert con.execute("SELECT * FROM notes").fetchall() == [("mine",)]
    con.close()


def test_append_needs_a_stored_graph_and_creates_no_file(tmp_path):
    path = tmp_path / "new.duckdb"
    one_error(_run("load", DEMO, "--store", path, "--append", "-q"), "--append adds to a stored graph, and the "
                                                                       f"store {path} does not exist")
    assert not path.exists()


def test_the_library_opens_stores_for_a_purpose(tmp_path):
    from govties.graph.backend import BackendError

    with pytest.raises(BackendError, match="does not exist"):
        DuckDBBackend(tmp_path / "none.duckdb", purpose="read")
    assert not (tmp_path / "none.duckdb").exists()
    empty = tmp_path / "empty.duckdb"
    empty.touch()  # e.g. made by mktemp: a load may write into it, a read finds no graph
    with pytest.raises(BackendError, match="is an empty file, not a govties store"):
        DuckDBBackend(empty, purpose="read")
    DuckDBBackend(empty, purpose="load").close()


def test_a_store_another_process_holds_is_named_with_that_process(tmp_path):
    """DuckDB lets one process write a file: a second govties (a `serve` left running) is told which process holds
    it, in one line, exit 2 — not DuckDB's own message."""
    store = tmp_path / "graph.duckdb"
    assert CliRunner().invoke(main, ["sweep", str(DEMO), "--store", str(store), "-o", str(tmp_path / "a.csv"),
                                     "-q"]).exit_code == 0
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); sys.stdin.read()", str(store)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        res = CliRunner().invoke(main, ["sweep", "--store", str(store), "--no-load", "-o", str(tmp_path / "b.csv")])
        line = one_error(res, f"the store {store} is open in another process (PID {holder.pid}")
        assert "stop it first" in line and "another --out folder" in line and "IO Error" not in line
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def test_a_first_load_that_fails_leaves_no_store_file(tmp_path):
    """A store file the command creates is removed again when its load fails (here: bad input, exit 2), so the next
    command does not find an empty store; a store that existed before is never removed."""
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "people.csv").write_text("person_id,name\nP1,王\n", encoding="utf-8")
    store = tmp_path / "new" / "graph.duckdb"
    res = CliRunner().invoke(main, ["sweep", str(bad), "--store", str(store), "-o", str(tmp_path / "f.csv")])
    assert res.exit_code == 2, res.output
    assert not store.exists() and not store.with_name("graph.duckdb.wal").exists()
    good = CliRunner().invoke(main, ["sweep", str(DEMO), "--store", str(store), "-o", str(tmp_path / "f.csv"), "-q"])
    assert good.exit_code == 0 and store.exists()
    res = CliRunner().invoke(main, ["sweep", str(bad), "--store", str(store), "-o", str(tmp_path / "g.csv")])
    assert res.exit_code == 2 and store.exists()  # the graph stored before stays
    kept = CliRunner().invoke(main, ["sweep", "--store", str(store), "--no-load", "-o", str(tmp_path / "h.csv"), "-q"])
    assert kept.exit_code == 0, kept.output


def test_ctrl_c_while_a_new_store_opens_leaves_no_file(tmp_path, monkeypatch):
    """Ctrl-C just after DuckDB made the new file, while govties checks and sets the connection up, leaves no empty
    store behind (the next command would refuse it as holding no graph), and a store that was there stays."""
    import govties.graph.duckdb_backend as module

    def interrupted(con, path, purpose):
        raise KeyboardInterrupt

    store = tmp_path / "d" / "graph.duckdb"
    monkeypatch.setattr(module, "check_store", interrupted)
    with pytest.raises(KeyboardInterrupt):
        DuckDBBackend(str(store))
    assert not store.exists() and not store.with_name("graph.duckdb.wal").exists()
    monkeypatch.undo()
    earlier = DuckDBBackend(str(store))  # a store an earlier command wrote
    earlier.con.execute("CREATE TABLE kept (a INTEGER)")
    earlier.close()
    monkeypatch.setattr(module, "check_store", interrupted)
    with pytest.raises(KeyboardInterrupt):
        DuckDBBackend(str(store), purpose="read")
    assert store.exists()


def test_every_read_leaves_the_store_connection_free_for_the_next(store):
    """DuckDB refuses other work on a connection holding a result not fetched to its end: each read the backend
    offers, in any order, must leave none (a node lookup registers its ids on the same connection)."""
    backend = DuckDBBackend(str(store), purpose="read")
    try:
        person = backend.run("SELECT min(person_id) AS id FROM person", {})[0]["id"]
        reads = [lambda: backend.columns("SELECT person_id, name FROM person WHERE name <> $x", {"x": ""}),
                 backend.latest_date, backend.last_stamp, lambda: backend.canonical("no-such-id")]
        for read in reads:
            read()
            assert person in backend.nodes([person]), read
        assert backend.columns("SELECT person_id, name FROM person", {}) == ["person_id", "name"]
    finally:
        backend.close()
