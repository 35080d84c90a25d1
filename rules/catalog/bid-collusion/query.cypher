// bid-collusion: bidders in one tender sharing a holder (on the tender date), an address or a phone.
// Holders go one tender at a time (a CALL per tender, so memory stays that of one tender): the roles in its
// bidders are grouped by holder, and dates are read and pairs made only where one holder has roles in two or
// more of them. Pairing every two bidders of every tender and then looking for a common holder took 5x as long
// at 1M people; grouping all tenders at once ran out of transaction memory there.
MATCH (t:Decision) WHERE COUNT { (t)<-[:BID]-() } > 1
CALL (t) {
  MATCH (t)<-[:BID]-(a:Organization)
  WITH DISTINCT a
  MATCH (h:Entity)-[r:HOLDS_ROLE]->(a)
  WITH h, collect([a, r]) AS held
  WHERE size(held) > 1  // most holders hold roles in one bidder only: their dates are never read
  UNWIND held AS x
  WITH h, x
  WHERE (x[1].start_date IS NULL OR x[1].start_date <= t.date) AND (x[1].end_date IS NULL OR x[1].end_date >= t.date)
  WITH h, collect(x) AS held
  WHERE size(held) > 1 AND size(COLLECT { MATCH (h)-[:HOLDS_ROLE]->(x) RETURN DISTINCT x }) <= $max_shared_orgs
  UNWIND held AS one
  UNWIND held AS other
  WITH h, one[0] AS a, one[1] AS r1, other[0] AS b, other[1] AS r2
  WHERE a <> b
  RETURN h, a, r1, b, r2
}
RETURN null AS official_id, a.id AS org_id, h.id AS via_id, t.id AS decision_id, t.date AS first_date,
       t.date AS last_date, null AS amount, b.id AS other_bidder, b.name AS other_name, 'holder' AS link,
       [{src: a.id, dst: t.id, type: 'BID', label: null, share: null, start: toString(t.date), end: null},
        {src: b.id, dst: t.id, type: 'BID', label: null, share: null, start: toString(t.date), end: null},
        {src: h.id, dst: a.id, type: 'HOLDS_ROLE', label: r1.role, share: r1.share, start: toString(r1.start_date),
         end: toString(r1.end_date)},
        {src: h.id, dst: b.id, type: 'HOLDS_ROLE', label: r2.role, share: r2.share, start: toString(r2.start_date),
         end: toString(r2.end_date)}] AS edges
UNION ALL
// Addresses and phones: every two bidders of a tender are compared once for both
MATCH (a:Organization)-[:BID]->(t:Decision)<-[:BID]-(b:Organization)
WHERE a <> b AND (coalesce(a.address_norm, '') <> '' AND a.address_norm = b.address_norm
                  OR coalesce(a.phone_norm, '') <> '' AND a.phone_norm = b.phone_norm)
WITH DISTINCT a, b, t
UNWIND [['address', 'SHARES_ADDRESS', a.address_norm, b.address_norm],
        ['phone', 'SHARES_PHONE', a.phone_norm, b.phone_norm]] AS shared
WITH a, b, t, shared[0] AS link, shared[1] AS edge_type, shared[2] AS value, shared[3] AS other_value
WHERE coalesce(value, '') <> '' AND value = other_value
  AND CASE link WHEN 'address' THEN COUNT { MATCH (x:Organization) WHERE x.address_norm = value }
                ELSE COUNT { MATCH (x:Organization) WHERE x.phone_norm = value } END <= $max_shared_orgs
RETURN null AS official_id, a.id AS org_id, null AS via_id, t.id AS decision_id, t.date AS first_date,
       t.date AS last_date, null AS amount, b.id AS other_bidder, b.name AS other_name, link,
       [{src: a.id, dst: t.id, type: 'BID', label: null, share: null, start: toString(t.date), end: null},
        {src: b.id, dst: t.id, type: 'BID', label: null, share: null, start: toString(t.date), end: null},
        {src: a.id, dst: b.id, type: edge_type, label: value, share: null, start: null,
         end: null}] AS edges
