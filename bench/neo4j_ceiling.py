"""What the Neo4j server itself can write on this machine, with no client data at all.

    python bench/neo4j_ceiling.py                 # NEO4J_URI and NEO4J_PASSWORD set; an empty database is best
    python bench/neo4j_ceiling.py --nodes 300000 --rels 500000
    python bench/neo4j_ceiling.py --concurrent 2  # two transactions at once (MERGE may report `deadlocked`)
    python bench/neo4j_ceiling.py --marker        # every node created with a second label, as govties' nodes
                                                  # carry `Govties`: the marker's cost to the server

The server generates rows itself (`UNWIND range(...)` with `CALL { ... } IN TRANSACTIONS OF 5000 ROWS`), so no
Bolt traffic, no parameters and no Python are involved: this is the ceiling for any client's load, measured in
the same way govties' driver loads write (a node per id behind a uniqueness constraint; a relationship between
two nodes found through that constraint, with a few properties). It writes under the label GovtiesCeiling and
deletes it afterwards. Compare its figures with the `Neo4j load rows/s` of `sweep_bench.py --neo4j`.
"""

from __future__ import annotations

import argparse
import os
import time

LABEL = "GovtiesCeiling"  # the benchmark's own label: nothing of govties' graph is touched
MARKER = "GovtiesCeilingMark"  # --marker: a second label on every node, as govties' nodes carry `Govties`


def main() -> None:
    from neo4j import GraphDatabase
    from neo4j.exceptions import TransientError

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nodes", type=int, default=300_000)
    ap.add_argument("--rels", type=int, default=500_000)
    ap.add_argument("--rounds", type=int, default=2, help="repeat (the first round also warms the server's JIT)")
    ap.add_argument("--concurrent", type=int, default=1,
                    help="transactions the server runs at once (IN n CONCURRENT TRANSACTIONS); relationships "
                         "written at once may deadlock on shared nodes, which is reported")
    ap.add_argument("--marker", action="store_true",
                    help="nodes are created with a second label, as govties' nodes carry Govties besides their model "
                         "labels (relationships find their ends as before: govties finds them by element id)")
    args = ap.parse_args()
    node = f"{LABEL}:{MARKER}" if args.marker else LABEL
    batches = (f"IN {args.concurrent} CONCURRENT TRANSACTIONS OF 5000 ROWS" if args.concurrent > 1
               else "IN TRANSACTIONS OF 5000 ROWS")
    driver = GraphDatabase.driver(os.environ["NEO4J_URI"], notifications_min_severity="OFF",
                                  auth=(os.environ.get("NEO4J_USERNAME", "neo4j"), os.environ["NEO4J_PASSWORD"]))

    def run(query: str, **params) -> float:
        t = time.perf_counter()
        with driver.session(database=os.environ.get("NEO4J_DATABASE")) as session:
            session.run(query, **params).consume()
        return time.perf_counter() - t

    def rate(count: int, query: str, **params) -> str:
        try:
            return f"{count / run(query, **params):,.0f}/s"
        except TransientError as exc:
            if "DeadlockDetected" not in (exc.code or ""):
                raise
            return "deadlocked"

    run(f"CREATE CONSTRAINT govties_ceiling_id IF NOT EXISTS FOR (n:{LABEL}) REQUIRE n.id IS UNIQUE")
    try:
        for round_ in range(1, args.rounds + 1):
            _clean(run)
            n, r = args.nodes, args.rels
            nodes = rate(n, f"UNWIND range(0, $n - 1) AS i CALL (i) {{ CREATE (:{node} {{id: 'E' + toString(i), "
                        "name: 'n' + toString(i)}) } " + batches, n=n)
            # a reload: every node is stored, MERGE finds it through the constraint (and checks the marker)
            again = rate(n, f"UNWIND range(0, $n - 1) AS i CALL (i) {{ MERGE (x:{node} {{id: 'E' + toString(i)}}) "
                        "SET x.seen = true } " + batches, n=n)
            rels = rate(r, f"UNWIND range(0, $r - 1) AS i CALL (i) {{ MATCH (a:{LABEL} {{id: 'E' + toString(i % $n)}}) "
                       f"MATCH (b:{LABEL} {{id: 'E' + toString((i * 7919) % $n)}}) "
                       "CREATE (a)-[:CEILING_REL {rid: 'r' + toString(i), role: 'director', share: 0.5, "
                       "start_date: date('2020-01-01')}]->(b) } " + batches, n=n, r=r)
            merged = rate(r, f"UNWIND range(0, $r - 1) AS i CALL (i) {{ "
                         f"MATCH (a:{LABEL} {{id: 'E' + toString(i % $n)}}) "
                         f"MATCH (b:{LABEL} {{id: 'E' + toString((i * 7919) % $n)}}) "
                         "MERGE (a)-[x:CEILING_REL {rid: 'm' + toString(i)}]->(b) SET x.role = 'director', "
                         "x.share = 0.5 } " + batches, n=n, r=r)
            marked = ", marker label" if args.marker else ""
            print(f"round {round_} ({args.concurrent} at once{marked}): server-side nodes CREATE {nodes}, MERGE "
                  f"stored {again}; relationships through the id constraint: CREATE {rels}, MERGE {merged}",
                  flush=True)
    finally:
        _clean(run)
        run("DROP CONSTRAINT govties_ceiling_id IF EXISTS")
        driver.close()


def _clean(run) -> None:
    run(f"MATCH (n:{LABEL}) CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF 5000 ROWS")


if __name__ == "__main__":
    main()
