"""What the Neo4j server itself can write on this machine, with no client data at all.

    python bench/neo4j_ceiling.py                 # NEO4J_URI and NEO4J_PASSWORD set; an empty database is best
    python bench/neo4j_ceiling.py --nodes 300000 --rels 500000

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


def main() -> None:
    from neo4j import GraphDatabase

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nodes", type=int, default=300_000)
    ap.add_argument("--rels", type=int, default=500_000)
    ap.add_argument("--rounds", type=int, default=2, help="repeat (the first round also warms the server's JIT)")
    args = ap.parse_args()
    driver = GraphDatabase.driver(os.environ["NEO4J_URI"], notifications_min_severity="OFF",
                                  auth=(os.environ.get("NEO4J_USERNAME", "neo4j"), os.environ["NEO4J_PASSWORD"]))

    def run(query: str, **params) -> float:
        t = time.perf_counter()
        with driver.session(database=os.environ.get("NEO4J_DATABASE")) as session:
            session.run(query, **params).consume()
        return time.perf_counter() - t

    run(f"CREATE CONSTRAINT govties_ceiling_id IF NOT EXISTS FOR (n:{LABEL}) REQUIRE n.id IS UNIQUE")
    try:
        for round_ in range(1, args.rounds + 1):
            _clean(run)
            n, r = args.nodes, args.rels
            nodes = run(f"UNWIND range(0, $n - 1) AS i CALL (i) {{ CREATE (:{LABEL} {{id: 'E' + toString(i), "
                        "name: 'n' + toString(i)}) } IN TRANSACTIONS OF 5000 ROWS", n=n)
            rels = run(f"UNWIND range(0, $r - 1) AS i CALL (i) {{ MATCH (a:{LABEL} {{id: 'E' + toString(i % $n)}}) "
                       f"MATCH (b:{LABEL} {{id: 'E' + toString((i * 7919) % $n)}}) "
                       "CREATE (a)-[:CEILING_REL {rid: 'r' + toString(i), role: 'director', share: 0.5, "
                       "start_date: date('2020-01-01')}]->(b) } IN TRANSACTIONS OF 5000 ROWS", n=n, r=r)
            merged = run(f"UNWIND range(0, $r - 1) AS i CALL (i) {{ MATCH (a:{LABEL} {{id: 'E' + toString(i % $n)}}) "
                         f"MATCH (b:{LABEL} {{id: 'E' + toString((i * 7919) % $n)}}) "
                         "MERGE (a)-[x:CEILING_REL {rid: 'm' + toString(i)}]->(b) SET x.role = 'director', "
                         "x.share = 0.5 } IN TRANSACTIONS OF 5000 ROWS", n=n, r=r)
            print(f"round {round_}: server-side CREATE nodes {n / nodes:,.0f}/s; relationships through the id "
                  f"constraint: CREATE {r / rels:,.0f}/s, MERGE {r / merged:,.0f}/s", flush=True)
    finally:
        _clean(run)
        run("DROP CONSTRAINT govties_ceiling_id IF EXISTS")
        driver.close()


def _clean(run) -> None:
    run(f"MATCH (n:{LABEL}) CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF 5000 ROWS")


if __name__ == "__main__":
    main()
