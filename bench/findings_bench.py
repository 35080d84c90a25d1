"""Benchmark: building findings alone (ids, scores, the explanation in the sweep's language, evidence, fingerprints,
the one node lookup), on one stored graph, in CPU time, the best and the median of several builds.

    python bench/findings_bench.py bench/out/people-160000-density4-merged0.02-dirty0.1
    python bench/findings_bench.py DATA --repeat 5 --profile     # also a cProfile of one build, by own time

The province is loaded once into a DuckDB file next to it (`graph.duckdb`, reused by later runs); every rule's
queries run once; then the findings stage of a sweep (rules.engine: one node lookup, each rule's findings and
undated roles: rules.engine.finish_runs) is timed `--repeat` times in CPU time (the process's, DuckDB's threads
included), the best and the median of them: other work on the machine moves CPU time less than wall time (one build
in several can take a quarter less than the others: read the median); the load average is printed with it.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import sys
import time

from stored import stored_graph


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", help="a province folder (the generator's CSV files)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--profile", action="store_true", help="also profile one build (top functions by own time)")
    args = ap.parse_args()

    from govties.graph.backend import open_backend
    from govties.rules.catalog import catalog
    from govties.rules.engine import default_as_of, finish_runs, query_rule, resolve_params

    backend = open_backend("duckdb", store=str(stored_graph(args.data)))
    rules = list(catalog().values())
    counts = backend.counts()
    as_of = default_as_of(backend)  # as a sweep takes it
    queried = [query_rule(backend, r, resolve_params(r, None), as_of, counts) for r in rules]

    def build() -> tuple[int, float]:
        """The findings stage as a sweep runs it; returns the findings and its CPU seconds."""
        t = time.process_time()
        found = sum(len(run.findings) for run in finish_runs(backend, [queried], "zh", as_of))
        return found, time.process_time() - t

    runs = []
    for _ in range(args.repeat):
        for q in queried:  # each build starts from the query's rows, as a sweep does
            q.run.findings, q.run.undated = [], []
        runs.append(build())
    found, best = runs[0][0], min(r[1] for r in runs)
    median = sorted(r[1] for r in runs)[len(runs) // 2]
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}")
    print(f"{found:,} findings; CPU seconds per build: {', '.join(f'{r[1]:.3f}' for r in runs)}; best {best:.3f} s "
          f"= {best / max(found, 1) * 1e6:.1f} µs per finding, median {median / max(found, 1) * 1e6:.1f} µs; load "
          f"average {os.getloadavg()[0]:.1f}")
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        build()
        profile.disable()
        pstats.Stats(profile, stream=sys.stdout).sort_stats("tottime").print_stats(25)
    backend.close()


if __name__ == "__main__":
    main()
