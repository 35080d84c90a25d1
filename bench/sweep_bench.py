"""Benchmark: CSV files to a findings file, every stage timed, at several sizes and shapes of province.

    python bench/sweep_bench.py                                  # 10k, 100k and 1M people on DuckDB
    python bench/sweep_bench.py --sizes 10000,40000,160000 --density 4 --merged 0.02 --dirty 0.1
    python bench/sweep_bench.py --sizes 10000,100000 --neo4j     # also Neo4j (NEO4J_URI, NEO4J_PASSWORD)

Provinces come from the repository's generator (cached in --out, one folder per size and shape). Each size runs
in a fresh child process, so its peak memory is its own. Printed per size and stage: seconds, seconds per million
input rows and per thousand findings, and peak memory; the baseline of merely parsing the same CSV files with
pyarrow, measured in the same run (the best of five parses), and the end-to-end ratio to it; with --neo4j the same
stages on Neo4j. Then, across sizes, each stage's cost per million rows and per thousand findings, flagging a stage
whose cost per unit grows with size. Nothing here asserts a timing.
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
#: A stage is flagged when its cost per unit at a size exceeds the cost at the size before by this factor (single
#: runs on a shared machine move by ±15%) and it is at least MATERIAL of that size's total time.
GROWTH = 1.3
MATERIAL = 0.02
LOAD_STAGES = ("parse", "validate", "resolve", "build", "store")


def _peak_mb() -> float:
    """This process's peak resident memory since it started, in MiB (Linux: VmHWM, its own memory's high-water mark).
    Not ru_maxrss: Linux carries that across exec from the process that forked it, so a child of a parent that has
    just generated a province would report the parent's peak."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one(data: str, backend_name: str) -> dict:
    """Runs in the child: load, store, each rule's queries, the findings, the findings file; returns the stages."""
    import govties.api as gt
    from govties.graph.backend import open_backend
    from govties.loaders import load_dataset
    from govties.loaders.memory import prefer_jemalloc
    from govties.rules.catalog import catalog
    from govties.rules.engine import FINDING_COLUMNS, sweep

    pool = prefer_jemalloc()  # as the CLI does
    cpu, wall = _cpu(), time.perf_counter()
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
    t = time.perf_counter()  # every rule as `govties sweep` runs them: queries ahead on the reader, findings here
    result = sweep(backend, list(catalog().values()), lang="zh")
    stages["rules and findings"] = time.perf_counter() - t
    findings = result.findings
    # the parts, which overlap (not summed into the total): each rule's queries on the reader's thread, and the
    # findings built on this thread (node lookups, ids, explanations, evidence) meanwhile
    parts = {f"rule {run.rule.id}": run.query_seconds for run in result.runs if run.status == "ran"}
    parts["findings"] = sum(run.seconds - run.query_seconds for run in result.runs)
    _tell(backend_name, {"rules and findings": stages["rules and findings"], **parts})
    t = time.perf_counter()  # the findings file as `govties sweep -o findings.csv` writes it
    graph = gt.Graph(backend)
    frame = gt.findings_table(result, graph=graph)
    gt.write_findings(frame, Path(data) / f"findings-{backend_name}.csv")
    stages["export"] = time.perf_counter() - t
    _tell(backend_name, {"export": stages["export"]})
    assert list(frame.columns[:len(FINDING_COLUMNS)]) == FINDING_COLUMNS
    cores = (_cpu() - cpu) / (time.perf_counter() - wall)
    backend.close()
    return {"rows": rows, "findings": len(findings), "stages": stages, "parts": parts, "peak_mb": _peak_mb(),
            "arrow_pool": pool, "cores": cores}


def _cpu() -> float:
    """This process's CPU time, every thread's (DuckDB's and pyarrow's included), user and system."""
    t = os.times()
    return t.user + t.system


def _tell(backend: str, figures: dict[str, float]) -> None:
    """Stage figures as they come, on stderr: a long run that is stopped still shows how far it got."""
    for name, value in figures.items():
        print(f"  [{backend}] {name}: {value:,.2f}", file=sys.stderr, flush=True)


#: The baseline is the best of this many parses: one parse moves two to five times with other work on the machine
BASELINE_RUNS = 5


def baseline(data: str, runs: int = BASELINE_RUNS) -> dict:
    """Merely parsing the same CSV files with pyarrow: the practical floor. The best (shortest) of `runs` parses,
    and the slowest, are returned."""
    import pyarrow.csv as pacsv

    files = [f for f in sorted(Path(data).glob("*.csv"))
             if f.name != "planted.csv" and not f.name.startswith("findings")]
    for f in files:  # warm the page cache first, so neither side of the ratio pays for the disk
        f.read_bytes()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        rows = 0
        for f in files:
            rows += pacsv.read_csv(f).num_rows
        times.append(time.perf_counter() - t)
    return {"rows": rows, "seconds": min(times), "slowest": max(times), "runs": runs, "peak_mb": _peak_mb()}


def child(mode: str, data: str, backend: str = "duckdb") -> dict:
    cmd = [sys.executable, __file__, "--child", mode, "--data", data, "--backend", backend]
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, env=os.environ)
    return json.loads(out.stdout.strip().splitlines()[-1])


def shape_name(size: int, density: float | None, merged: float, dirty: float) -> str:
    """The cache folder's name: the size and any shape option that is on."""
    parts = [f"people-{size}"]
    if density is not None:
        parts.append(f"density{density:g}")
    if merged:
        parts.append(f"merged{merged:g}")
    if dirty:
        parts.append(f"dirty{dirty:g}")
    return "-".join(parts)


def ensure_data(size: int, root: Path, density: float | None = None, merged: float = 0.0, dirty: float = 0.0) -> Path:
    folder = root / shape_name(size, density, merged, dirty)
    if not (folder / "people.csv").exists():
        from govties.examples.generator import write_dataset
        from govties.examples.shapes import Shape

        print(f"generating {folder.name} into {folder} ...", flush=True)
        write_dataset(folder, size, shape=Shape(density=density, merged=merged, dirty=dirty))
    return folder


def per_unit(run: dict, input_rows: int) -> dict[str, tuple[float, float]]:
    """Each stage, each part of the rules and findings stage (and the rules' queries together, and the total: the
    stages') as (seconds per million input rows, seconds per thousand findings)."""
    stages = {**run["stages"], **run["parts"]}
    stages["rules (queries)"] = sum(v for k, v in run["parts"].items() if k.startswith("rule "))
    stages["total"] = sum(run["stages"].values())
    found = max(run["findings"], 1)
    return {k: (v / input_rows * 1e6, v / found * 1e3) for k, v in stages.items()}


def report(size: int, base: dict, runs: dict[str, dict]) -> None:
    duck = runs["duckdb"]
    rows = base["rows"]
    findings = duck["findings"]
    print(f"\n== {size:,} people, {rows:,} input rows, {findings:,} findings ({findings / rows * 1e3:.2f} per 1,000 "
          f"rows); pyarrow parse {base['seconds']:.2f}s, the best of {base.get('runs', 1)} (slowest "
          f"{base.get('slowest', base['seconds']):.2f}s; {rows / base['seconds']:,.0f} rows/s)")
    units = per_unit(duck, rows)
    neo = per_unit(runs["neo4j"], rows) if "neo4j" in runs else {}
    head = f"{'stage':<40}{'seconds':>9}{'s/M rows':>10}{'s/k findings':>14}"
    if "neo4j" in runs:
        head += f"{'neo4j s':>10}{'neo4j/duckdb':>14}"
    print(head)
    for name in [*duck["stages"], *(f"  {p}" for p in duck["parts"]), "  rules (queries)", "total"]:
        shown, name = name, name.strip()
        s = units[name][0] * rows / 1e6
        line = f"{shown:<40}{s:>9.2f}{units[name][0]:>10.3f}{units[name][1]:>14.3f}"
        if neo:
            n = neo[name][0] * rows / 1e6 if name in neo else 0.0
            line += f"{n:>10.2f}{(n / s if s else 0):>14.1f}"
        print(line)
    total = units["total"][0] * rows / 1e6
    print(f"peak memory: {duck['peak_mb']:,.0f} MiB (Arrow memory pool {duck['arrow_pool']}; the baseline: pyarrow's "
          f"default)")
    print(f"end to end vs. pyarrow parse: {total / base['seconds']:.1f}x;  findings built at "
          f"{duck['parts']['findings'] / max(findings, 1) * 1e3:.3f} ms per finding (beside the queries)")
    if "cores" in duck:
        print(f"cores busy on average: {duck['cores']:.2f} (the process's CPU time over its wall time, from the "
              f"load to the findings file, of {os.cpu_count()} cores)")


def grows(costs: list[float], shares: list[float], factor: float = GROWTH, material: float = MATERIAL) -> bool:
    """Whether a stage's cost per unit grows with size: at some size it exceeds the cost at the size before by
    more than `factor`, while the stage is at least `material` of that size's total time. `costs` and `shares`
    are per size, smallest first."""
    return any(later > earlier * factor and share >= material
               for earlier, later, share in zip(costs, costs[1:], shares[1:], strict=False))


def growth(results: dict) -> list[str]:
    """Seconds per million input rows and per thousand findings of each stage at each size (embedded); returns the
    stages flagged as growing, as 'stage (per row)' or 'stage (per finding)'."""
    sizes = list(results)
    if len(sizes) < 2:
        return []
    units = {size: per_unit(results[size]["duckdb"], results[size]["baseline"]["rows"]) for size in sizes}
    totals = {size: units[size]["total"][0] for size in sizes}
    flagged = []
    for i, title in ((0, "seconds per million input rows"), (1, "seconds per thousand findings")):
        print(f"\n== {title} (embedded), by size")
        print(f"{'stage':<40}" + "".join(f"{s:>12,}" for s in sizes))
        for stage in units[sizes[0]]:
            costs = [units[s].get(stage, (0.0, 0.0))[i] for s in sizes]
            shares = [units[s].get(stage, (0.0, 0.0))[0] / totals[s] if totals[s] else 0.0 for s in sizes]
            flag = stage != "total" and grows(costs, shares)
            if flag:
                flagged.append(f"{stage} ({'per row' if i == 0 else 'per finding'})")
            print(f"{stage:<40}" + "".join(f"{c:>12.3f}" for c in costs) + ("  <- grows" if flag else ""))
    print("\nstages whose cost per unit grows: " + (", ".join(flagged) if flagged else "none"))
    return flagged


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000", help="people per province, comma-separated")
    ap.add_argument("--density", type=float, default=None, help="findings per 1,000 input rows to aim at")
    ap.add_argument("--merged", type=float, default=0.0, help="share of people records recorded twice")
    ap.add_argument("--dirty", type=float, default=0.0, help="share of cells in another accepted form")
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
          f"{platform.python_version()}; shape: density {args.density}, merged {args.merged}, dirty {args.dirty}")
    results = {}
    for size in (int(s) for s in args.sizes.split(",")):
        data = ensure_data(size, Path(args.out), args.density, args.merged, args.dirty)
        base = child("baseline", str(data))
        runs = {"duckdb": child("run", str(data))}
        if args.neo4j and size <= args.neo4j_max:
            runs["neo4j"] = child("run", str(data), "neo4j")
        report(size, base, runs)
        print("load average (1, 5, 15 min) after this size: {:.1f} {:.1f} {:.1f} (other work on the machine slows "
              "every figure)".format(*os.getloadavg()))
        results[size] = {"baseline": base, **runs}
    growth(results)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    name = shape_name(0, args.density, args.merged, args.dirty).replace("people-0", "results")
    name += "-neo4j" if args.neo4j else ""  # a run with Neo4j keeps its own file: it covers fewer sizes
    (Path(args.out) / f"{name}.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
