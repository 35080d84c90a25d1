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
