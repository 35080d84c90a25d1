"""Shared fixtures. Neo4j tests need a real server (NEO4J_URI, NEO4J_PASSWORD): `.ci/neo4j start` gives one.
Without a server they skip with the reason, except under CI (CI set), where they must run."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest

from govties.graph.backend import BackendError
from govties.graph.duckdb_backend import DuckDBBackend
from govties.graph.model import TABLES

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "examples" / "demo"


def needs_module(name: str, extra: str):
    """Import an optional extra's module, or skip with the install hint; under CI (which installs every extra) a
    missing one fails instead of skipping silently."""
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {name} is not installed (pip install '.[{extra}]')")
        pytest.skip(f"{name} is not installed: pip install 'govties[{extra}]'", allow_module_level=True)


#: Modules whose tests start Neo4j servers of their own: they run beside the others though their names say Neo4j.
OWN_SERVERS = ("tests/test_neo4j_faults.py",)


def shares_neo4j(nodeid: str) -> bool:
    """Whether a test reaches the one shared Neo4j server, read from its id: its module's name, its own or its
    parameters' says Neo4j (test_neo4j_*.py, *_on_neo4j, [neo4j]). When the suite runs on several workers
    (pytest-xdist, `-n 2` in pyproject.toml), all of these run on one worker, one after another: they empty and fill
    the same database, and a wrong password (a test of its refusal) locks the user out for a moment."""
    return "neo4j" in nodeid.lower() and nodeid.partition("::")[0] not in OWN_SERVERS


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """How the workers share the suite: the tests that share Neo4j (shares_neo4j) as one unit of work, every other
    test with the rest of its module (a module's fixtures, a served demo or a browser, are made once)."""
    from xdist.scheduler import LoadScopeScheduling

    class ByModuleAndServer(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "neo4j" if shares_neo4j(nodeid) else nodeid.split("::")[0]

    return ByModuleAndServer(config, log)


#: The id of the test running in this process (set before its fixtures are made; see pytest_runtest_setup).
_RUNNING = {"nodeid": ""}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    _RUNNING["nodeid"] = item.nodeid


def neo4j_available_or_skip():
    if os.environ.get("PYTEST_XDIST_WORKER") and not shares_neo4j(_RUNNING["nodeid"]):
        pytest.fail(f"{_RUNNING['nodeid']} reaches the shared Neo4j server but may run beside the tests that do: say "
                    "Neo4j in its name (…_on_neo4j, or a module test_neo4j_*.py) so that it runs with them")
    if not os.environ.get("NEO4J_URI"):
        if os.environ.get("CI"):
            pytest.fail("CI is set but NEO4J_URI is not: .ci/run must start Neo4j (.ci/neo4j start)")
        pytest.skip("no Neo4j server: set NEO4J_URI and NEO4J_PASSWORD (`.ci/neo4j start` runs one)")


@pytest.fixture(scope="session")
def neo4j_session_backend():
    neo4j_available_or_skip()
    from govties.graph.neo4j_backend import Neo4jBackend

    try:
        backend = Neo4jBackend.from_env()
    except BackendError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but Neo4j is not reachable: {exc}")
        pytest.skip(f"Neo4j not reachable: {exc}")
    yield backend
    backend.close()


@pytest.fixture
def neo4j_backend(neo4j_session_backend):
    neo4j_session_backend.wipe()
    return neo4j_session_backend


@pytest.fixture
def duckdb_backend():
    backend = DuckDBBackend()
    yield backend
    backend.close()


@pytest.fixture(params=["duckdb", "neo4j"])
def backend(request):
    """Each test using this runs on both backends."""
    if request.param == "duckdb":
        b = DuckDBBackend()
        yield b
        b.close()
    else:
        yield request.getfixturevalue("neo4j_backend")


def free_port() -> int:
    """A loopback port nothing listens on (for a server that is down, or a spare one)."""
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def write_dataset(folder: Path, files: dict[str, str], encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        data = textwrap.dedent(text).lstrip("\n")
        (folder / name).write_bytes(data.encode(encoding) if isinstance(data, str) else data)
    return folder


MINIMAL = {
    "people.csv": """
        person_id,name,id_number
        P1,王建国,330102197001010013
        P2,李梅,330102197202020023
        """,
    "organizations.csv": """
        org_id,name,kind,region,industry
        A1,市住建局,agency,330100,
        C1,华兴建设有限公司,company,330102,construction
        """,
    "relatives.csv": """
        person_id,relative_id,relation
        P1,P2,spouse
        """,
    "company_roles.csv": """
        holder_id,org_id,role,share,start_date
        P2,C1,shareholder,0.6,2018-01-01
        """,
    "decisions.csv": """
        decision_id,kind,date,agency_id,beneficiary_id,amount
        D1,permit,2020-05-01,A1,C1,2000000
        """,
    "decision_makers.csv": """
        decision_id,person_id,role
        D1,P1,approver
        """,
}


def demo_changed(folder: Path, decision_id: str, column: str, value: str) -> tuple[Path, int]:
    """A copy of the demo in `folder` with one decision's cell changed; and that decision's line in decisions.csv."""
    import pandas as pd

    shutil.copytree(DEMO, folder)
    decisions = pd.read_csv(folder / "decisions.csv", dtype=str, keep_default_na=False)
    row = int(decisions.index[decisions["decision_id"] == decision_id][0])
    decisions.loc[row, column] = value
    decisions.to_csv(folder / "decisions.csv", index=False)
    return folder, row + 2


@pytest.fixture
def minimal_dataset(tmp_path) -> Path:
    return write_dataset(tmp_path / "data", MINIMAL)


def sheet_rows(text: str) -> list[list[str]]:
    """CSV text (indented as in a test) as a sheet's rows."""
    return [line.split(",") for line in textwrap.dedent(text).strip().splitlines()]


def write_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """An .xlsx workbook with one sheet per name, holding the rows given."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


def one_error(res, *needles: str) -> str:
    """A CliRunner result that ended with exit status 2 and one line `error: ...` holding every needle."""
    assert res.exit_code == 2, res.output
    lines = [line for line in res.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), res.output
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def graph_snapshot(backend) -> dict:
    """Every model table the backend holds, as text, rows in key order (lists as tuples): two snapshots of the
    same graph are equal whichever backend or load path made it."""
    out = {}
    for name, table in TABLES.items():
        df = backend.table(name)
        df = df.map(lambda v: tuple(v) if hasattr(v, "__len__") and not isinstance(v, str) else v)
        out[name] = df.astype(str).sort_values(list(table.key)).reset_index(drop=True)
    return out


def graph_rows(backend) -> dict[str, list[tuple]]:
    """graph_snapshot as plain rows, to compare with ==."""
    return {name: list(df.itertuples(index=False, name=None)) for name, df in graph_snapshot(backend).items()}


def ended(res, code: int) -> None:
    """A CliRunner result ended with exit status `code` by design: no exception escaped the command (under
    CliRunner an escaped exception is in res.exception, never in the output, and gives exit status 1)."""
    assert res.exit_code == code, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)


CHROMIUM = os.environ.get("GOVTIES_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def launch_browser():
    """A module's headless Chromium, Debian's, driven by Playwright (nothing downloaded); skipped with the reason
    when either is missing, a failure under CI (use as `browser = pytest.fixture(scope="module")(launch_browser)`)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("CI is set but playwright is not installed (pip install -e '.[dev]')")
        pytest.skip("playwright is not installed")
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def fresh_graph(backend: str, tmp_path):
    """A fresh graph on `backend` (a DuckDB file under tmp_path, or the Neo4j database with its graph and workspace
    emptied)."""
    import govties.api as gt

    if backend == "duckdb":
        return gt.open_graph(store=tmp_path / "g.duckdb", create=True)
    neo4j_available_or_skip()
    graph = gt.open_graph("neo4j", create=True)
    graph.backend.wipe()
    graph.workspace().store.clear()
    return graph


@pytest.fixture(params=["duckdb", "neo4j"])
def demo_recorded(request, tmp_path):
    """The demo loaded and swept (recorded) into a fresh graph on each backend."""
    import govties.api as gt

    graph = fresh_graph(request.param, tmp_path)
    graph.load(DEMO)
    graph.sweep(gt.sweep_settings(lang="en"))
    yield graph
    graph.close()
