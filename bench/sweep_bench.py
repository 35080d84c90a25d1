"""Benchmark: load and sweep at several sizes made by the generator, on the embedded backend (and Neo4j).

    python bench/sweep_bench.py                                  # 10k, 100k and 1M people on DuckDB
    python bench/sweep_bench.py --sizes 10000,100000 --neo4j     # also Neo4j (NEO4J_URI, NEO4J_PASSWORD)

Each size runs in a fresh child process so its peak memory is its own. Printed per size and stage: seconds,
rows per second and peak memory; and, measured in the same run on the same files, the baseline of merely
parsing the CSV files with pyarrow, and the Neo4j/DuckDB ratios. Nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one(data: str, backend_name: str) -> dict:
    """Runs in the child: load, store, each rule, export; returns the stage timings."""
    from govties.graph.backend import open_backend
    from govties.loaders import load_dataset
    from govties.loaders.memory import prefer_jemalloc
    from govties.rules.catalog import catalog
    from govties.rules.engine import build_findings, resolve_params
    from govties.rules.export import findings_frame, write_findings

    pool = prefer_jemalloc()  # as the CLI does
    ds = load_dataset(data)
    stages: dict[str, float] = dict(ds.seconds)  # parse, validate, resolve, build
    _tell(backend_name, stages)
    rows = sum(ds.counts().values())
    backend = open_backend(backend_name)
    if backend_name == "neo4j":
        backend.wipe()
    t = time.perf_counter()
    backend.load(ds.tables)
    stages["store"] = time.perf_counter() - t
    _tell(backend_name, {"store": stages["store"], "store rows/s": rows / stages["store"]})
    ds.release()  # as the CLI does: the store holds the graph now
    as_of = backend.latest_date()
    findings = []
    for rule in catalog().values():
        t = time.perf_counter()
        atoms = backend.run(rule.queries[backend.query_language], {**resolve_params(rule, None), "as_of": as_of})
        found = build_findings(backend, rule, atoms, rule.defaults(), "zh", as_of)
        stages[f"rule {rule.id}"] = time.perf_counter() - t
        _tell(backend_name, {f"rule {rule.id}": stages[f"rule {rule.id}"]})
        findings += found
    t = time.perf_counter()
    write_findings(findings_frame(findings), Path(data) / f"findings-{backend_name}.csv")
    stages["export"] = time.perf_counter() - t
    backend.close()
    return {"rows": rows, "findings": len(findings), "stages": stages, "peak_mb": _peak_mb(), "arrow_pool": pool}


def _tell(backend: str, figures: dict[str, float]) -> None:
    """Stage figures as they come, on stderr: a long run that is stopped still shows how far it got."""
    for name, value in figures.items():
        print(f"  [{backend}] {name}: {value:,.2f}", file=sys.stderr, flush=True)


def baseline(data: str) -> dict:
    """Merely parsing the same CSV files with pyarrow: the practical floor."""
    import pyarrow.csv as pacsv

    files = [f for f in sorted(Path(data).glob("*.csv"))
             if f.name != "planted.csv" and not f.name.startswith("findings")]
    for f in files:  # warm the page cache first, so neither side of the ratio pays for the disk
        f.read_bytes()
    t = time.perf_counter()
    rows = 0
    for f in files:
        rows += pacsv.read_csv(f).num_rows
    return {"rows": rows, "seconds": time.perf_counter() - t, "peak_mb": _peak_mb()}


def child(mode: str, data: str, backend: str = "duckdb") -> dict:
    cmd = [sys.executable, __file__, "--child", mode, "--data", data, "--backend", backend]
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, env=os.environ)
    return json.loads(out.stdout.strip().splitlines()[-1])


def ensure_data(size: int, root: Path) -> Path:
    folder = root / f"people-{size}"
    if not (folder / "people.csv").exists():
        from govties.examples.generator import write_dataset

        print(f"generating {size} people into {folder} ...", flush=True)
        write_dataset(folder, size)
    return folder


def report(size: int, base: dict, runs: dict[str, dict]) -> None:
    duck = runs["duckdb"]
    rows = duck["rows"]
    print(f"\n== {size:,} people, {rows:,} input rows "
          f"(baseline: pyarrow parse {base['seconds']:.2f}s, {rows / base['seconds']:,.0f} rows/s, "
          f"{base['peak_mb']:,.0f} MB)")
    names = list(duck["stages"])
    head = f"{'stage':<40}{'duckdb s':>10}{'rows/s':>14}"
    if "neo4j" in runs:
        head += f"{'neo4j s':>10}{'neo4j/duckdb':>14}"
    print(head)
    for name in names:
        s = duck["stages"][name]
        line = f"{name:<40}{s:>10.2f}{rows / s if s else 0:>14,.0f}"
        if "neo4j" in runs:
            n = runs["neo4j"]["stages"].get(name, 0.0)
            line += f"{n:>10.2f}{(n / s if s else 0):>14.1f}"
        print(line)
    total = sum(duck["stages"].values())
    line = f"{'total':<40}{total:>10.2f}{rows / total:>14,.0f}"
    if "neo4j" in runs:
        ntotal = sum(runs["neo4j"]["stages"].values())
        line += f"{ntotal:>10.2f}{ntotal / total:>14.1f}"
    print(line)
    print(f"{'peak memory (MB)':<40}{duck['peak_mb']:>10,.0f}" +
          (f"{'':>14}{runs['neo4j']['peak_mb']:>10,.0f} (client)" if "neo4j" in runs else ""))
    print(f"end to end vs. pyarrow parse: {total / base['seconds']:.1f}x;  per million rows: "
          f"{total / rows * 1e6:.2f}s;  findings: {duck['findings']};  Arrow memory pool: {duck['arrow_pool']} "
          "(the baseline: pyarrow's default)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--neo4j", action="store_true", help="also run on Neo4j (NEO4J_URI, NEO4J_PASSWORD)")
    ap.add_argument("--neo4j-max", type=int, default=100000, help="largest size also run on Neo4j")
    ap.add_argument("--out", default=str(HERE / "out"))
    ap.add_argument("--child", choices=["run", "baseline"])
    ap.add_argument("--data")
    ap.add_argument("--backend", default="duckdb")
    args = ap.parse_args()
    if args.child == "run":
        print(json.dumps(one(args.data, args.backend)))
        return
    if args.child == "baseline":
        print(json.dumps(baseline(args.data)))
        return
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}")
    results = {}
    for size in (int(s) for s in args.sizes.split(",")):
        data = ensure_data(size, Path(args.out))
        base = child("baseline", str(data))
        runs = {"duckdb": child("run", str(data))}
        if args.neo4j and size <= args.neo4j_max:
            runs["neo4j"] = child("run", str(data), "neo4j")
        report(size, base, runs)
        results[size] = {"baseline": base, **runs}
    growth(results)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    (Path(args.out) / "results.json").write_text(json.dumps(results, indent=1))


def growth(results: dict) -> None:
    """Seconds per million input rows for each stage at each size: a stage whose cost per row grows with size
    shows up as a rising row."""
    sizes = list(results)
    if len(sizes) < 2:
        return
    print("\n== seconds per million input rows (embedded), by size")
    print(f"{'stage':<40}" + "".join(f"{s:>14,}" for s in sizes) + f"{'growth':>10}")
    stages = list(results[sizes[0]]["duckdb"]["stages"])
    for stage in stages + ["total"]:
        per = []
        for size in sizes:
            run = results[size]["duckdb"]
            secs = sum(run["stages"].values()) if stage == "total" else run["stages"].get(stage, 0.0)
            per.append(secs / run["rows"] * 1e6)
        ratio = per[-1] / per[0] if per[0] else 0.0
        flag = "  <- grows" if ratio > 1.5 and per[-1] > 0.05 else ""
        print(f"{stage:<40}" + "".join(f"{p:>14.3f}" for p in per) + f"{ratio:>9.1f}x{flag}")


if __name__ == "__main__":
    main()
