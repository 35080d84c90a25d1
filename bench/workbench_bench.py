"""Benchmark: the workbench's findings inbox at 100 and 100,000 recorded findings, on DuckDB (and Neo4j).

    python bench/workbench_bench.py                      # DuckDB, 100 and 100,000 findings
    python bench/workbench_bench.py --neo4j              # also Neo4j (NEO4J_URI, NEO4J_PASSWORD; its workspace is
                                                         # emptied first)
    python bench/workbench_bench.py --sizes 100,1000000  # other sizes

Findings are synthetic rows shaped like a sweep's (eleven rules, severities, scores, amounts, dates, names, 40
agencies in 12 regions, explanations in both languages, evidence JSON) written straight into an empty workspace;
recording through Workspace.record is timed too (a sweep result of the same findings). Each inbox request is what
the page asks for — one page of 50 and the counts of eight facets — and is timed `--repeat` times: median and
slowest; so is the whole inbox page as a browser gets it from `govties serve`'s app over HTTP (the query, the
names of the facets' entities, the HTML). Nothing here is asserted; tests never time anything.
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import json
import random
import statistics
import tempfile
import time
import urllib.parse
import urllib.request

RULES = ["relative-business", "indirect-relative-business", "self-dealing", "post-retirement",
         "undisclosed-relative-business", "relative-in-jurisdiction", "bid-collusion", "split-decisions",
         "decision-concentration", "village-relatives", "nepotism"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"


def findings(n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        rule = RULES[i % len(RULES)]
        score = rng.randint(20, 100)
        official = f"P{rng.randint(0, n // 3 + 10):07d}"
        org = f"C{rng.randint(0, n // 2 + 10):07d}"
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        company = rng.choice(SURNAMES) + "某建设有限公司"
        first = f"{rng.randint(2012, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        amount = float(rng.choice([0, 50_000, 300_000, 1_200_000, 8_000_000]) * rng.random())
        decision = f"D{i:08d}"
        edges = [{"src": official, "dst": decision, "type": "DECIDED", "label": "approver", "share": None,
                  "start": first, "end": None},
                 {"src": decision, "dst": org, "type": "BENEFITS", "label": "permit", "share": None,
                  "start": first, "end": None}]
        evidence = {"nodes": [{"id": official, "type": "person", "kind": None, "name": name, "role": "official"},
                              {"id": org, "type": "organization", "kind": "company", "name": company,
                               "role": "org"},
                              {"id": decision, "type": "decision", "kind": "permit", "name": decision,
                               "role": "decision"}], "edges": edges}
        texts = {"zh": f"{name}参与了1项决定（{decision}），涉及金额{amount:,.0f}元，受益方为{company}。线索仅供核查。",
                 "en": f"{name} took part in 1 decision ({decision}) worth {amount:,.0f} yuan for {company}. "
                       "A finding is a lead for review, not proof of wrongdoing."}
        out.append({"finding_id": f"{rng.getrandbits(64):016x}", "rule": rule,
                    "severity": "high" if score >= 80 else "medium" if score >= 40 else "low", "score": score,
                    "official_id": official, "official_name": name, "org_id": org, "org_name": company,
                    "via_id": None, "via_name": None, "decision_ids": decision, "first_date": first,
                    "last_date": first, "explanation": texts["zh"], "_explanations": texts,
                    "evidence": json.dumps(evidence, ensure_ascii=False, sort_keys=True),
                    "fingerprint": f"{rng.getrandbits(64):016x}", "_amount": amount,
                    "_facts": {"edges": edges, "decisions": [[decision, amount]], "first_date": first,
                               "last_date": first},
                    "agency_id": f"A{i % 40:03d}", "region": f"33{(i % 12):02d}"})
    return out


def _rows(ws, result) -> list[dict]:
    """The rows Workspace.record writes, with the agencies and regions the synthetic findings carry."""
    rows = []
    for f in result.findings:
        seen = {"first_seen": "2026-01-01T00:00:00+00:00", "first_seen_sweep": "bench", "changed_at":
                "2026-01-01T00:00:00+00:00"}
        rows.append(ws._row(f, "bench", seen, {}, False, {"agency_id": f["agency_id"], "agency_name":
                                                          f"某局{f['agency_id']}", "region": f["region"]},
                            f["_amount"] or None))
    return rows


def timed(call, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        call()
        times.append(time.perf_counter() - t)
    return statistics.median(times), max(times)


@contextlib.contextmanager
def served(graph):
    """The workbench over `graph` in uvicorn on a free loopback port (a thread of this process), and a function
    that GETs a path with the session's cookie and returns the page's bytes."""
    import socket
    import threading

    import uvicorn

    from govties.workbench import Options, create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(graph, Options(port=port)), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(path: str) -> bytes:
        with opener.open(f"http://127.0.0.1:{port}{path}") as response:
            return response.read()

    try:
        yield get
    finally:
        server.should_exit = True
        thread.join()


def run(backend: str, size: int, repeat: int) -> dict[str, tuple[float, float]]:
    import govties.api as gt
    from govties.api.inbox import InboxQuery
    from govties.rules.catalog import catalog
    from govties.rules.engine import RuleRun, SweepResult

    with contextlib.ExitStack() as stack:
        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="govties-bench-"))
        graph = stack.enter_context(gt.open_graph("neo4j") if backend == "neo4j"
                                    else gt.open_graph(store=f"{folder}/g.duckdb", create=True))
        ws = graph.workspace()
        ws.store.clear()
        found = findings(size)
        rules = catalog()
        result = SweepResult([RuleRun(rules[r], "ran", findings=[f for f in found if f["rule"] == r])
                              for r in RULES], "2024-12-31", "zh")
        out: dict[str, tuple[float, float]] = {}
        t = time.perf_counter()
        ws.record(result)
        out["record (Workspace.record)"] = (time.perf_counter() - t, 0.0)
        ws.store.delete("finding", [])
        ws.store.insert("finding", _rows(ws, result))
        deep = max(1, size // 50 // 2)
        queries = {
            "first page + 8 facets": InboxQuery(),
            "a middle page + 8 facets": InboxQuery(page=deep),
            "high, open, by amount + facets": InboxQuery(severity=["high"], status=["open"], sort="amount"),
            "search a name + facets": InboxQuery(q=found[size // 2]["official_name"]),
            "one region, dates + facets": InboxQuery(region=["3305"], date_from="2020-01-01", date_to="2022-12-31"),
        }
        for name, query in queries.items():
            out[name] = timed(lambda q=query: ws.inbox(q), repeat)
        out["first page, no facets"] = timed(lambda: ws.inbox(InboxQuery(), facets=False), repeat)
        with served(graph) as get:  # the page a browser gets: the query, the names, the HTML
            get("/findings")  # the session's first request (it records the visit)
            out["inbox page over HTTP"] = timed(lambda: get("/findings"), repeat)
            target = "/findings?" + urllib.parse.urlencode({"severity": "high", "status": "open", "sort": "amount",
                                                            "q": found[size // 2]["official_name"]})
            out["inbox page, filtered, over HTTP"] = timed(lambda: get(target), repeat)
        ws.store.clear()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,100000")
    parser.add_argument("--neo4j", action="store_true")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    backends = ["duckdb"] + (["neo4j"] if args.neo4j else [])
    results = {(b, s): run(b, s, args.repeat) for b in backends for s in sizes}
    names = list(next(iter(results.values())))
    head = f"{'request':<34}" + "".join(f"{f'{b} {s:,}':>24}" for b in backends for s in sizes)
    print(head)
    print(f"{'':<34}" + "".join(f"{'median / slowest (s)':>24}" for _ in backends for _ in sizes))
    for name in names:
        cells = []
        for b in backends:
            for s in sizes:
                med, worst = results[(b, s)][name]
                cells.append(f"{med:>12.3f} / {worst:.3f}" if worst else f"{med:>12.2f}" + " " * 8)
        print(f"{name:<34}" + "".join(f"{c:>24}" for c in cells))


if __name__ == "__main__":
    main()
