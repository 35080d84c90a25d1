"""What DuckDB needs merely to read the same CSV files, against pyarrow's parse, in one run.

    python bench/duckdb_read.py                   # the 1M-people province (generated into bench/out if missing)
    python bench/duckdb_read.py --size 100000

govties parses with pyarrow, checks and builds on Arrow, and then stores into DuckDB. The other design would read
the files with DuckDB's own CSV reader and check and build inside DuckDB, straight into the store. This measures
that design's first step: every file read as text (no types, no checks, nothing derived, nothing written to
disk) into an in-memory database, timed against pyarrow's parse of the same files (page cache warm for both;
each in a fresh process). govties' own parse costs about 1.1x pyarrow's; compare with `sweep_bench.py`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sweep_bench import baseline, ensure_data  # noqa: E402


def duckdb_read(data: Path) -> float:
    import duckdb

    files = [f for f in sorted(data.glob("*.csv")) if f.name != "planted.csv" and not f.name.startswith("findings")]
    con = duckdb.connect(":memory:")
    con.execute("SET enable_progress_bar = false")
    t = time.perf_counter()
    for i, f in enumerate(files):  # file names are the generator's; the path is a parameter
        con.execute(f"CREATE TABLE t{i} AS SELECT * FROM read_csv($path, all_varchar = true, header = true)",
                    {"path": str(f)})
    seconds = time.perf_counter() - t
    con.close()
    return seconds


def _measure(what: str, data: Path) -> float:
    """One measurement in a fresh process, so none pays for the memory another left behind."""
    out = subprocess.run([sys.executable, __file__, "--child", what, "--data", str(data)], check=True,
                         stdout=subprocess.PIPE, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=1_000_000, help="people in the generated province")
    ap.add_argument("--child", choices=("pyarrow", "duckdb"), help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child == "pyarrow":
        print(json.dumps(baseline(args.data)))
        return
    if args.child:
        print(json.dumps(duckdb_read(Path(args.data))))
        return
    data = ensure_data(args.size, Path(__file__).resolve().parent / "out")
    base = _measure("pyarrow", data)
    print(f"{args.size:,} people, {base['rows']:,} rows: pyarrow parse {base['seconds']:.2f} s")
    seconds = _measure("duckdb", data)
    print(f"DuckDB read_csv, all text, in memory: {seconds:.2f} s = {seconds / base['seconds']:.1f}x the pyarrow parse")


if __name__ == "__main__":
    main()
