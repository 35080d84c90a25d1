"""The benchmark scripts still run against the library they measure (never their timings): each is run as a user
runs it, on the smallest size it takes, and must end with exit status 0 and print its table."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"


def test_the_workbench_bench_runs_on_duckdb_and_leaves_nothing_behind(tmp_path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    out = subprocess.run([sys.executable, str(BENCH / "workbench_bench.py"), "--sizes", "100", "--repeat", "1"],
                         cwd=BENCH, capture_output=True, text=True, timeout=300,
                         env={**os.environ, "TMPDIR": str(scratch)})
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.splitlines()
    assert lines[0].split()[:3] == ["request", "duckdb", "100"]
    rows = {line[:34].strip() for line in lines[2:]}
    assert {"record (Workspace.record)", "first page + 8 facets", "inbox page over HTTP"} <= rows
    assert list(scratch.iterdir()) == []  # its workspace's folder is removed


def test_the_sweep_bench_table_gives_neo4j_the_same_sums_as_duckdb(capsys):
    """The Neo4j column of sweep_bench's table is computed as the embedded one is: the rules' queries summed, the
    total the stages' sum (its rules' queries row read 0.00 when it looked the sum up by name)."""
    sys.path.insert(0, str(BENCH))
    try:
        import sweep_bench
    finally:
        sys.path.remove(str(BENCH))

    def run(scale: float) -> dict:
        return {"findings": 10, "peak_mb": 1.0, "arrow_pool": "system",
                "stages": {"parse": 1.0 * scale, "rules and findings": 3.0 * scale},
                "parts": {"rule a": 1.0 * scale, "rule b": 0.5 * scale, "findings": 2.0 * scale}}
    sweep_bench.report(1000, {"rows": 1_000_000, "seconds": 1.0}, {"duckdb": run(1.0), "neo4j": run(4.0)})
    lines = {line[:40].strip(): line[40:].split() for line in capsys.readouterr().out.splitlines()}
    assert lines["rules (queries)"][0] == "1.50" and lines["rules (queries)"][3:] == ["6.00", "4.0"]
    assert lines["total"][0] == "4.00" and lines["total"][3:] == ["16.00", "4.0"]
