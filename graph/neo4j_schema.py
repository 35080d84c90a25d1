"""Neo4j schema statements and the read-back queries that present the graph as the model's tables."""

from __future__ import annotations

from .model import GRAPH_LABEL as G

# Uniqueness constraints: MERGE finds nodes through them, so they exist before any data is written.
CONSTRAINTS = (
    "CREATE CONSTRAINT govties_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT govties_decision_id IF NOT EXISTS FOR (n:Decision) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT govties_declaration_rid IF NOT EXISTS FOR (n:Declaration) REQUIRE n.rid IS UNIQUE",
)
# Indexes the rules read through: built once the data is in (populating an index in bulk is cheaper than
# updating it row by row). Relationship rids carry no index: MERGE finds a relationship from its end nodes,
# and maintaining five relationship indexes cost a quarter of the load time.
INDEXES = (
    "CREATE INDEX govties_decision_date IF NOT EXISTS FOR (n:Decision) ON (n.date)",
    # nepotism starts from the few appointments instead of reading every decision's kind (1M people: 4.7 s)
    "CREATE INDEX govties_decision_kind IF NOT EXISTS FOR (n:Decision) ON (n.kind)",
    "CREATE INDEX govties_org_phone IF NOT EXISTS FOR (n:Organization) ON (n.phone_norm)",
    "CREATE INDEX govties_org_address IF NOT EXISTS FOR (n:Organization) ON (n.address_norm)",
)
# Dropped from stores written by earlier versions.
RETIRED_INDEXES = ("govties_post_rid", "govties_kin_rid", "govties_role_rid", "govties_dm_rid", "govties_bid_rid")

# Rows per model table, as keys of the ownership census (graph/neo4j_owner.py): counted from the count store.
COUNTED = {"person": "l_Person", "org": "l_Organization", "post": "t_HOLDS_POST", "kin": "t_RELATIVE_OF",
           "role": "t_HOLDS_ROLE", "decision": "l_Decision", "decision_maker": "t_DECIDED", "bid": "t_BID",
           "declaration": "l_Declaration"}

# Reads touch govties' own elements only: nodes with the marker label, relationships between two of them.
TABLE_QUERIES = {
    "person": f"MATCH (n:Person:{G}) RETURN n.id AS person_id, n.name AS name, n.id_number AS id_number, "
              "n.birth_date AS birth_date, n.gender AS gender, n.aliases AS aliases, n.source_ids AS source_ids, "
              "n.props AS props ORDER BY person_id",
    "org": f"MATCH (n:Organization:{G}) RETURN n.id AS org_id, n.name AS name, n.kind AS kind, "
           "n.credit_code AS credit_code, n.region AS region, n.region_code AS region_code, n.industry AS industry, "
           "n.industry_norm AS industry_norm, n.address AS address, n.address_norm AS address_norm, "
           "n.phone AS phone, n.phone_norm AS phone_norm, n.founded_on AS founded_on, n.props AS props "
           "ORDER BY org_id",
    "post": f"MATCH (p:{G})-[r:HOLDS_POST]->(o:{G}) RETURN r.rid AS rid, p.id AS person_id, o.id AS org_id, "
            "r.title AS title, r.rank AS rank, r.start_date AS start_date, r.end_date AS end_date, "
            "r.end_reason AS end_reason, r.region AS region, r.jurisdiction AS jurisdiction, "
            "r.portfolio AS portfolio, r.props AS props ORDER BY rid",
    "kin": f"MATCH (p:{G})-[r:RELATIVE_OF]->(q:{G}) RETURN r.rid AS rid, p.id AS person_id, "
           "q.id AS relative_id, r.relation AS relation, r.start_date AS start_date, r.end_date AS end_date, "
           "r.stated AS stated, r.props AS props ORDER BY rid",
    "role": f"MATCH (h:{G})-[r:HOLDS_ROLE]->(o:{G}) RETURN r.rid AS rid, h.id AS holder_id, o.id AS org_id, "
            "r.role AS role, r.share AS share, r.start_date AS start_date, r.end_date AS end_date, "
            "r.reported_on AS reported_on, r.props AS props ORDER BY rid",
    "decision": f"MATCH (d:Decision:{G}) RETURN d.id AS decision_id, d.kind AS kind, d.date AS date, "
                "d.agency_id AS agency_id, d.beneficiary_id AS beneficiary_id, d.amount AS amount, "
                "d.title AS title, d.region AS region, d.region_code AS region_code, d.industry AS industry, "
                "d.industry_norm AS industry_norm, d.props AS props ORDER BY decision_id",
    "decision_maker": f"MATCH (p:{G})-[r:DECIDED]->(d:{G}) RETURN r.rid AS rid, d.id AS decision_id, "
                      "p.id AS person_id, r.role AS role, r.props AS props ORDER BY rid",
    "bid": f"MATCH (o:{G})-[r:BID]->(d:{G}) RETURN r.rid AS rid, d.id AS tender_id, o.id AS org_id, "
           "r.amount AS amount, r.won AS won, r.props AS props ORDER BY rid",
    "declaration": f"MATCH (x:Declaration:{G}) RETURN x.rid AS rid, x.person_id AS person_id, x.year AS year, "
                   "x.relative_id AS relative_id, x.org_id AS org_id, x.role AS role, x.props AS props ORDER BY rid",
}


def _filtered(query: str, match: str, where: str) -> str:
    """A table query restricted to `where` (the filter goes right after its MATCH pattern)."""
    assert query.startswith(match)
    return match + f" WHERE {where}" + query[len(match):]


LOOKUP_QUERIES = {
    "decision": _filtered(TABLE_QUERIES["decision"], f"MATCH (d:Decision:{G})", "d.id IN $ids"),
    "post": _filtered(TABLE_QUERIES["post"], f"MATCH (p:{G})-[r:HOLDS_POST]->(o:{G})", "p.id IN $ids"),
    "org": _filtered(TABLE_QUERIES["org"], f"MATCH (n:Organization:{G})", "n.id IN $ids"),
    "person": _filtered(TABLE_QUERIES["person"], f"MATCH (n:Person:{G})", "n.id IN $ids"),
}


EDGES_OF = f"""
MATCH (n:{G}) WHERE (n:Entity OR n:Decision) AND n.id IN $ids
MATCH (n)-[r]-(m:{G}) WHERE (m:Entity OR m:Decision) AND type(r) IN $types
  AND (type(r) <> 'RELATIVE_OF' OR r.stated)
WITH DISTINCT r
WITH r, startNode(r) AS a, endNode(r) AS b, type(r) AS t
RETURN a.id AS src, b.id AS dst, t AS type,
       CASE t WHEN 'HOLDS_POST' THEN r.title WHEN 'RELATIVE_OF' THEN r.relation WHEN 'HOLDS_ROLE' THEN r.role
              WHEN 'DECIDED' THEN r.role WHEN 'BID' THEN CASE WHEN r.won THEN 'won' ELSE 'bid' END
              ELSE a.kind END AS label,
       CASE t WHEN 'HOLDS_ROLE' THEN r.share ELSE null END AS share,
       CASE t WHEN 'DECIDED' THEN b.date WHEN 'BID' THEN b.date WHEN 'ISSUED_BY' THEN a.date
              WHEN 'BENEFITS' THEN a.date ELSE r.start_date END AS start,
       CASE WHEN t IN ['HOLDS_POST', 'RELATIVE_OF', 'HOLDS_ROLE'] THEN r.end_date ELSE null END AS end,
       CASE t WHEN 'HOLDS_ROLE' THEN r.reported_on ELSE null END AS reported_on
"""


# Entities whose id, name, alias or credit code contains $needle (already lower-cased); exact matches first.
FIND = f"""
CALL () {{
  MATCH (n:Person:{G})
  WHERE toLower(n.id) CONTAINS $needle OR any(x IN coalesce(n.source_ids, []) WHERE toLower(x) CONTAINS $needle)
  RETURN n.id AS id, 'person' AS type, n.name AS name, null AS kind, 'id' AS matched,
         toLower(n.id) = $needle OR any(x IN coalesce(n.source_ids, []) WHERE toLower(x) = $needle) AS exact
  UNION ALL
  MATCH (n:Person:{G}) WHERE toLower(n.name) CONTAINS $needle
  RETURN n.id AS id, 'person' AS type, n.name AS name, null AS kind, 'name' AS matched,
         toLower(n.name) = $needle AS exact
  UNION ALL
  MATCH (n:Person:{G}) WHERE any(x IN coalesce(n.aliases, []) WHERE toLower(x) CONTAINS $needle)
  RETURN n.id AS id, 'person' AS type, n.name AS name, null AS kind, 'alias' AS matched,
         any(x IN n.aliases WHERE toLower(x) = $needle) AS exact
  UNION ALL
  MATCH (n:Organization:{G})
  WHERE toLower(n.id) CONTAINS $needle OR toLower(coalesce(n.credit_code, '')) CONTAINS $needle
  RETURN n.id AS id, 'organization' AS type, n.name AS name, n.kind AS kind,
         CASE WHEN toLower(n.id) CONTAINS $needle THEN 'id' ELSE 'credit_code' END AS matched,
         toLower(n.id) = $needle OR toLower(coalesce(n.credit_code, '')) = $needle AS exact
  UNION ALL
  MATCH (n:Organization:{G}) WHERE toLower(n.name) CONTAINS $needle
  RETURN n.id AS id, 'organization' AS type, n.name AS name, n.kind AS kind, 'name' AS matched,
         toLower(n.name) = $needle AS exact
  UNION ALL
  MATCH (d:Decision:{G}) WHERE toLower(d.id) CONTAINS $needle
  RETURN d.id AS id, 'decision' AS type, coalesce(d.title, d.id) AS name, d.kind AS kind, 'id' AS matched,
         toLower(d.id) = $needle AS exact
  UNION ALL
  MATCH (d:Decision:{G}) WHERE toLower(coalesce(d.title, '')) CONTAINS $needle
  RETURN d.id AS id, 'decision' AS type, coalesce(d.title, d.id) AS name, d.kind AS kind, 'name' AS matched,
         toLower(d.title) = $needle AS exact
}}
RETURN id, type, name, kind, matched, exact ORDER BY exact DESC, id, type, matched LIMIT $cap
"""


# Entity ids (persons' with their merged source ids, organizations', decisions') holding $part and matching
# $pattern (`=~` matches a whole id: $pattern is wrapped in `.*`).
IDS_MATCHING = f"""
CALL () {{
  MATCH (n:Entity:{G}) RETURN n.id AS id
  UNION
  MATCH (n:Person:{G}) UNWIND coalesce(n.source_ids, []) AS id RETURN id
  UNION
  MATCH (n:Decision:{G}) RETURN n.id AS id
}}
WITH id WHERE id CONTAINS $part AND id =~ ('(?s).*' + $pattern + '.*')
RETURN DISTINCT id ORDER BY id LIMIT $limit
"""
