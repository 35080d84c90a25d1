"""Benchmark: each rule's queries alone (the findings query and any undated-roles query), on one graph held in
memory as a sweep holds it, best of several, in wall time and in CPU time.

    python bench/queries_bench.py bench/out/people-160000-density4-merged0.02-dirty0.1
    python bench/queries_bench.py DATA --repeat 7 --rules bid-collusion,split-decisions

The province is loaded once into a DuckDB file next to it (`graph.duckdb`, the one findings_bench.py uses), copied
into an in-memory database, and each query runs `--repeat` times with its default parameters, rows fetched as a
sweep fetches them (`backend.run`). CPU time is the process's, DuckDB's threads included: other work on the machine
moves it less than wall time; the load average is printed with it.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

from stored import stored_graph


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", help="a province folder (the generator's CSV files)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--rules", default="", help="comma-separated rule ids (default: every rule)")
    args = ap.parse_args()

    from govties.graph.duckdb_backend import DuckDBBackend
    from govties.graph.model import TABLES
    from govties.rules.catalog import catalog
    from govties.rules.engine import default_as_of, resolve_params

    store = stored_graph(args.data)
    memory = DuckDBBackend()
    memory.con.execute("ATTACH ? AS stored (READ_ONLY)", [str(store)])
    for name in TABLES:  # names from the model's whitelist
        memory.con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM stored."{name}"')
    memory.con.execute("DETACH stored")
    as_of = default_as_of(memory)  # as a sweep takes it

    wanted = {r for r in args.rules.split(",") if r}
    rules = [r for r in catalog().values() if not wanted or r.id in wanted]
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    print(f"{'rule':32s} {'query':8s} {'rows':>7s} {'wall s':>8s} {'cpu s':>8s}")
    total_wall = total_cpu = 0.0
    for rule in rules:
        params = {**resolve_params(rule, None), "as_of": as_of}
        queries = [("findings", rule.queries["sql"])]
        if rule.undated is not None:
            queries.append(("undated", rule.undated.queries["sql"]))
        for label, query in queries:
            walls, cpus, rows = [], [], 0
            for _ in range(args.repeat):
                cpu, wall = time.process_time(), time.perf_counter()
                rows = len(memory.run(query, params))
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            total_wall += min(walls)
            total_cpu += min(cpus)
            print(f"{rule.id:32s} {label:8s} {rows:7d} {min(walls):8.3f} {min(cpus):8.3f}", flush=True)
    print(f"{'all':32s} {'':8s} {'':7s} {total_wall:8.3f} {total_cpu:8.3f}   (best of {args.repeat} each)")
    print("load average (1, 5, 15 min):", " ".join(f"{x:.1f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
