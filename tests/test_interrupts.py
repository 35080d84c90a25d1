"""Ctrl-C, as a real SIGINT to the real `govties` command: one line, exit status 130, never a traceback, and the
line tells the truth about the store. A DuckDB load is one transaction: it either happened or not, and the message
says which (DuckDB may finish a COMMIT and still report the interrupt: the store's record tells)."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time

import duckdb
import pandas as pd
import pytest

from conftest import DEMO

from govties.cli.entry import STARTING

GOVTIES = shutil.which("govties")
NOTHING_STORED = "interrupted: nothing stored was changed; files being written were left as they were"


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    """A generated province of 5,000 people, and the row counts a load of it stores."""
    out = tmp_path_factory.mktemp("p5k") / "p5k"
    subprocess.run([GOVTIES, "generate", "--out", str(out), "--people", "5000"], check=True, capture_output=True)
    return out


def _people(store) -> int:
    con = duckdb.connect(str(store), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM person").fetchone()[0]
    finally:
        con.close()


def _sources(store) -> list[tuple]:
    con = duckdb.connect(str(store), read_only=True)
    try:
        return con.execute("SELECT * FROM govties_record ORDER BY ALL").fetchall()
    finally:
        con.close()


def _interrupt(args, trigger: str, delay: float):
    """Run govties with progress on stderr; once a line contains `trigger`, wait `delay` s and send SIGINT."""
    proc = subprocess.Popen([GOVTIES, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if trigger in line:
            time.sleep(delay)
            proc.send_signal(signal.SIGINT)
            break
    out, err = proc.communicate(timeout=300)
    return proc.returncode, out, "".join(seen) + err


def _said(rc: int, err: str) -> str:
    """The one line a Ctrl-C leaves (progress lines, which start with `[`, and the load's warnings aside)."""
    assert "Traceback" not in err, err
    said = [line for line in err.splitlines() if line.strip() and not line.startswith(("[", "warning: "))]
    if rc == 0:  # finished before the signal
        assert said == [], err
        return ""
    assert rc == 130 and len(said) == 1 and said[0].startswith("interrupted"), (rc, err)
    return said[0]


def _demo_patched(tmp_path, patch: str) -> tuple:
    """`govties demo` in a real process whose Python code is first patched by `patch` (to make an interrupt land at
    one chosen place): the demo's folder and the one line it ended with (checked by _said)."""
    out = tmp_path / "demo"
    script = "\n".join(["import sys", "from govties.cli import entry", patch,
                         "sys.argv = ['govties', 'demo', '--out', sys.argv[1]]", "entry.run()"])
    done = subprocess.run([sys.executable, "-c", script, str(out)], capture_output=True, text=True, timeout=300)
    return out, _said(done.returncode, done.stderr)


def _stored(out) -> str:
    """What a Ctrl-C after the demo's load has committed says."""
    return (f"interrupted: the load into the store {out / 'graph.duckdb'} had completed: it holds the new graph; "
            "files being written were left as they were")


@pytest.mark.parametrize("trigger, delay", [("validate", 0.0), ("store ", 0.0), ("store ", 0.3), ("store ", 0.6),
                                            ("store ", 0.9), ("store ", 1.5)])
def test_ctrl_c_during_a_load_says_what_the_store_holds(province, tmp_path, trigger, delay):
    store = tmp_path / "g.duckdb"
    subprocess.run([GOVTIES, "load", str(DEMO), "--store", str(store), "-q"], check=True, capture_output=True)
    old = _people(store)
    rc, _, err = _interrupt(["load", province, "--store", store], trigger, delay)
    said = _said(rc, err)
    now = _people(store)
    if rc == 0 or "had completed: it holds the new graph" in said:
        assert now > old  # the province, stored whole
    elif "was rolled back: the stored graph is as it was before" in said or "nothing stored was changed" in said:
        assert now == old
    else:
        assert "holds either the previous graph or the new one, whole" in said, said


@pytest.mark.parametrize("delay", [0.0, 0.3, 1.0])
def test_ctrl_c_during_a_sweep_query(province, tmp_path, delay):
    store = tmp_path / "g.duckdb"
    subprocess.run([GOVTIES, "load", str(province), "--store", str(store), "-q"], check=True, capture_output=True)
    rc, _, err = _interrupt(["sweep", "--no-load", "--store", store, "-o", tmp_path / "f.csv"], "running ", delay)
    said = _said(rc, err)
    written = NOTHING_STORED.replace("; files", f"; written whole before it: {tmp_path / 'f.csv'}; files")
    assert rc == 0 or said == NOTHING_STORED or said == written and (tmp_path / "f.csv").exists(), said


def test_ctrl_c_while_a_load_records_its_sources_says_the_graph_is_stored_but_not_its_sources(
        province, tmp_path, monkeypatch):
    """The load has committed the graph; DuckDB reports the Ctrl-C (as it does, a bare RuntimeError) in the
    workspace's recording of where each record came from, which is rolled back: one line says both, exit 130."""
    from click.testing import CliRunner

    from conftest import ended
    from govties.cli.main import main
    from govties.graph.workspace_duckdb import DuckDBWorkspace

    store = tmp_path / "g.duckdb"
    ended(CliRunner().invoke(main, ["load", str(DEMO), "--store", str(store), "-q"]), 0)
    old, sources = _people(store), _sources(store)
    real = DuckDBWorkspace._cur

    class Interrupted:
        """The store's cursor, but the insert of the source records is interrupted the way DuckDB reports it."""

        def __init__(self, cur):
            self.cur = cur

        def execute(self, sql, params=None):
            if sql.startswith('INSERT INTO "govties_record"'):
                raise RuntimeError("Query interrupted")
            return self.cur.execute(sql, params)

        def __getattr__(self, name):
            return getattr(self.cur, name)

    monkeypatch.setattr(DuckDBWorkspace, "_cur", lambda self: Interrupted(real(self)))
    res = CliRunner().invoke(main, ["load", str(province), "--store", str(store), "-q"])
    ended(res, 130)
    said = [line for line in res.output.splitlines() if line.strip()]
    assert len(said) == 1 and said[0].startswith("interrupted: the load into "), res.output
    assert "had completed: it holds the new graph" in said[0] and "not where its records came from" in said[0]
    assert _people(store) > old  # the province, stored whole
    assert _sources(store) == sources  # the demo's source records, as they were: not part of the province's


@pytest.mark.parametrize("delay", [0.4, 0.7, 1.0, 1.4])
def test_ctrl_c_during_the_demo_says_what_its_store_holds(tmp_path, delay):
    """The demo loads its graph into OUT/graph.duckdb, then writes its files: a Ctrl-C at any point says whether
    that store holds the graph, and the store agrees."""
    out = tmp_path / "demo"
    proc = subprocess.Popen([GOVTIES, "demo", "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=300)
    said = _said(proc.returncode, err)
    store = out / "graph.duckdb"
    if proc.returncode == 0 or "had completed: it holds the new graph" in said:
        assert _people(store) > 0
    else:
        rolled_back = said.startswith("interrupted: the load into ") and "was rolled back" in said
        assert said in (NOTHING_STORED, STARTING) or rolled_back, said  # STARTING: still loading libraries
        assert not store.exists()


def test_ctrl_c_in_the_demo_after_its_load_says_the_store_holds_the_graph(tmp_path, monkeypatch):
    """The same at a fixed point: the interrupt comes in the sweep, after the load has committed."""
    from click.testing import CliRunner

    from conftest import ended
    from govties import api
    from govties.cli.main import main

    def interrupted(self, *args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(api.Graph, "sweep", interrupted)
    out = tmp_path / "demo"
    res = CliRunner().invoke(main, ["demo", "--out", str(out)])
    ended(res, 130)
    said = [line for line in res.output.splitlines() if line.startswith("interrupted")]
    assert said == [_stored(out)], res.output
    assert _people(out / "graph.duckdb") > 0


@pytest.mark.parametrize("where", ["connect", "before-with"])
def test_ctrl_c_where_no_close_follows_leaves_no_store(tmp_path, where):
    """A Ctrl-C inside `duckdb.connect`, after it has created the file (the connection is lost with the exception),
    or between opening the store and the `with` that would close it: the command says nothing was stored, and
    the empty file it made is gone when the process has exited."""
    patch = f"""
import duckdb
import pandas as pd
from govties import api
if {where!r} == "connect":
    real = duckdb.connect
    def connect(database=":memory:", *args, **kwargs):
        con = real(database, *args, **kwargs)
        if str(database).endswith("graph.duckdb"):
            duckdb.connect = real  # once
            raise KeyboardInterrupt
        return con
    duckdb.connect = connect
else:
    def enter(self):
        raise KeyboardInterrupt
    api.Graph.__enter__ = enter
"""
    out, said = _demo_patched(tmp_path, patch)
    assert said == NOTHING_STORED
    assert not (out / "graph.duckdb").exists() and not (out / "graph.duckdb.wal").exists()


def test_a_store_holding_the_graph_is_kept_when_no_close_settled_it(tmp_path):
    """The other half: the demo's load has committed, then Ctrl-C lands where the store is closed without being
    looked at; when the process exits, the store is looked at again, and kept, because it holds the graph."""
    out, said = _demo_patched(tmp_path, """
from govties import api
from govties.graph.duckdb_backend import DuckDBBackend
def sweep(self, *args, **kwargs):
    raise KeyboardInterrupt
real = DuckDBBackend.close
def close(self):  # as when Ctrl-C lands in the store's close() before it has looked
    if not self._made:
        return real(self)
    self.con.close()
    raise KeyboardInterrupt
api.Graph.sweep = sweep
DuckDBBackend.close = close
""")
    assert said == _stored(out)
    assert _people(out / "graph.duckdb") > 0


def test_an_error_a_ctrl_c_caused_is_an_interrupt():
    """Python 3.11 reports a KeyboardInterrupt raised while a class is created as a RuntimeError it caused."""
    from govties.graph.backend import is_interrupt

    class Field:
        def __set_name__(self, owner, name):
            raise KeyboardInterrupt

    try:
        type("Partition", (), {"partition": Field()})
    except (RuntimeError, KeyboardInterrupt) as exc:  # RuntimeError on 3.11; the interrupt itself later
        caught = exc
    assert is_interrupt(caught)
    wrapped = RuntimeError("Error calling __set_name__")
    wrapped.__cause__ = KeyboardInterrupt()
    assert is_interrupt(wrapped)
    assert not is_interrupt(RuntimeError("Error calling __set_name__"))


def test_ctrl_c_while_a_module_is_imported_during_a_command(tmp_path):
    """A Ctrl-C that lands while a library module creates its classes (a sweep or a view imports some lazily)
    surfaces as Python's RuntimeError "Error calling __set_name__", caused by the KeyboardInterrupt: it is an
    interrupt all the same, one line and exit status 130, and the line tells what the store holds."""
    out, said = _demo_patched(tmp_path, """
from govties import api
class Field:
    def __set_name__(self, owner, name):
        raise KeyboardInterrupt
def sweep(self, *args, **kwargs):
    class Partition:  # as a dataclass field in a module the sweep imports
        partition = Field()
api.Graph.sweep = sweep
""")
    assert said == _stored(out)
    assert _people(out / "graph.duckdb") > 0


@pytest.mark.parametrize("error", ['RuntimeError("std::bad_cast")',
                                   'BackendError("DuckDB query failed: INTERNAL Error: std::bad_cast")'])
def test_ctrl_c_a_library_reports_as_its_own_error_is_an_interrupt(tmp_path, error):
    """DuckDB interrupted while it converts a result to pandas can report `RuntimeError: std::bad_cast` instead of
    the KeyboardInterrupt, and a backend may report that as a failed query: after the program was sent Ctrl-C,
    that error is the interrupt's, one line and exit status 130."""
    out, said = _demo_patched(tmp_path, f"""
import os, signal, time
from govties.graph.backend import BackendError
from govties.graph.duckdb_backend import DuckDBBackend
def lookup(self, *args, **kwargs):  # as DuckDB's .df() does it
    try:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)
    except KeyboardInterrupt:
        raise {error} from None
DuckDBBackend._lookup = lookup
""")
    assert said == _stored(out)
    assert _people(out / "graph.duckdb") > 0


def test_ctrl_c_after_some_outputs_says_which_were_written_whole(tmp_path):
    """Ctrl-C after the demo has written its findings files and before its ranked tables: the line names the
    outputs that replaced their previous files (it said only that files being written were left as they were),
    and those files are whole; the ranked tables, not begun, are not there."""
    out, said = _demo_patched(tmp_path, """
from govties import api
def write_rankings(*args, **kwargs):
    raise KeyboardInterrupt
api.write_rankings = write_rankings
""")
    written = [out / name for name in ("findings.csv", "findings.xlsx", "resolution.csv")]
    assert said == _stored(out).replace("; files being written", "; written whole before it: "
                                        + ", ".join(map(str, written)) + " and 1 more; files being written"), said
    assert pd.read_csv(written[0])["finding_id"].is_unique and len(pd.read_csv(written[0])) > 0
    assert (out / "warnings.csv").exists() and not (out / "ranks.xlsx").exists() and not (out / "ranks").exists()


def test_ctrl_c_under_mask_names_the_outputs_masked(tmp_path):
    """--mask means masked everywhere: an output named after a resident ID is named masked in the Ctrl-C line."""
    out = tmp_path / "330102197001010013.csv"
    script = "\n".join(["import sys", "from govties.cli import entry", "from govties import api",
                         "def write_rankings(*args, **kwargs):", "    raise KeyboardInterrupt",
                         "api.write_rankings = write_rankings",
                         "sys.argv = ['govties', 'sweep', sys.argv[1], '-o', sys.argv[2], '--aggregate-out', "
                         "sys.argv[3], '--mask', '-q']", "entry.run()"])
    done = subprocess.run([sys.executable, "-c", script, str(DEMO), str(out), str(tmp_path / "ranks")],
                          capture_output=True, text=True, timeout=300)
    said = _said(done.returncode, done.stderr)
    assert out.exists() and "330102197001010013" not in said, said
    assert said.startswith("interrupted: nothing stored was changed; written whole before it: ") and \
        "330102" in said and said.endswith(".csv; files being written were left as they were"), said
