"""Benchmark: the export alone (the findings table with the case handler's columns, then the file), as
`govties sweep DATA -o FILE` does it right after its sweep, in CPU time, best of several.

    python bench/export_bench.py DATA --store /tmp/graph.duckdb                  # CSV, 3 sweeps
    python bench/export_bench.py DATA --store /tmp/graph.duckdb --format xlsx --repeat 1 --lang en --mask

The province is loaded once into the DuckDB file `--store` (reused by later runs; nothing is written next to the
data). Each repeat sweeps the stored graph (not timed), then times `api.findings_table` and `api.write_findings`
in CPU time (the process's, DuckDB's threads included) on the sweep's fresh findings, as the command meets them;
the best repeat is printed per finding, with the load average.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", help="a province folder (the generator's CSV files)")
    ap.add_argument("--store", required=True, help="the DuckDB file the province is loaded into once")
    ap.add_argument("--format", default="csv", choices=["csv", "jsonl", "xlsx", "parquet"])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--lang", default="zh", choices=["zh", "en"])
    ap.add_argument("--mask", action="store_true")
    args = ap.parse_args()

    import govties.api as gt
    from govties.rules.export import Layout

    if not Path(args.store).exists():
        with gt.open_graph(store=args.store, create=True) as graph:
            graph.load(args.data)
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}")
    runs = []
    with gt.open_graph(store=args.store) as graph, tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            result = graph.sweep(gt.sweep_settings(lang=args.lang), record=False)
            t0 = time.process_time()
            frame = gt.findings_table(result, graph=graph, mask=args.mask)
            t1 = time.process_time()
            gt.write_findings(frame, Path(tmp) / f"findings.{args.format}", None,
                              gt.about(result, args.data, graph.name, mask=args.mask), Layout(lang=args.lang))
            runs.append((t1 - t0, time.process_time() - t1, len(frame)))
            del result, frame
    table, write, n = min(runs, key=lambda r: r[0] + r[1])
    print(f"{n:,} findings, {args.format}{' masked' if args.mask else ''}, best of {args.repeat}: findings table "
          f"{table:.3f} s ({table / n * 1e6:.0f} µs/finding), file {write:.3f} s ({write / n * 1e6:.0f} µs/finding), "
          f"export {table + write:.3f} s ({(table + write) / n * 1e6:.0f} µs/finding); load average "
          f"{os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
