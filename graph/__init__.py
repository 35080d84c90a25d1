"""The graph model and its storage backends.

`graph` imports nothing from `loaders`, `rules` or `visualize`: they all build on it.

Graph model (the same facts on every backend; see README "Graph model"):

====================  =============================  ===========================================
DuckDB table          Neo4j                          meaning
====================  =============================  ===========================================
person                (:Entity:Person {id})          a human, after entity resolution
org                   (:Entity:Organization:<Kind>)  company / agency / village / institution ...
post                  -[:HOLDS_POST]-> (Org)         a dated position at an agency or village
kin                   -[:RELATIVE_OF]-> (Person)     kinship, stored in both directions
role                  -[:HOLDS_ROLE]-> (Org)         shareholder, legal rep, director ... dated
decision              (:Decision {id})               approval, permit, contract ...
  (agency_id)         (Decision)-[:ISSUED_BY]->(Org)
  (beneficiary_id)    (Decision)-[:BENEFITS]->(Entity)
decision_maker        (Person)-[:DECIDED]->(Decision)
bid                   (Org)-[:BID]->(Decision)
declaration           (:Declaration)<-[:FILED]-(Person)
====================  =============================  ===========================================

Dates are DATE in DuckDB and Neo4j `Date` values; both come back as ISO strings.
"""

from .model import TABLES, NODE_LABELS, REL_TYPES  # noqa: F401
