// bid-collusion: bidders in one tender sharing a holder (a person or a company, on the tender date), an address or a
// phone.
// Holders go one tender at a time (a CALL per tender, so memory stays that of one tender): the roles in its
// bidders are grouped by holder, and dates are read and pairs made only where one holder has roles in two or
// more of them, so that bidders are never paired blindly and no transaction holds every tender's groups at once.
// Tenders are found from the bids, not by reading every decision; BID and HOLDS_ROLE start only at organizations
// and entities (the model), so their end nodes' labels are not read.
MATCH (t:Decision)<-[:BID]-() WITH DISTINCT t WHERE COUNT { (t)<-[:BID]-() } > 1
CALL (t) {
  MATCH (t)<-[:BID]-(a)
  WITH DISTINCT a
  MATCH (h)-[r:HOLDS_ROLE]->(a)
  WITH h, collect([a, r]) AS held
  WHERE size(held) > 1  // most holders hold roles in one bidder only: their dates are never read
  UNWIND held AS x
  WITH h, x
  WHERE (x[1].start_date IS NULL OR x[1].start_date <= t.date) AND (x[1].end_date IS NULL OR x[1].end_date >= t.date)
  WITH h, collect(x) AS held
  WHERE size(held) > 1 AND (h:Person OR h:Company)
    AND size(COLLECT { MATCH (h)-[:HOLDS_ROLE]->(x) RETURN DISTINCT x }) <= $max_shared_orgs
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
         end: toString(r1.end_date), reported_on: toString(r1.reported_on)},
        {src: h.id, dst: b.id, type: 'HOLDS_ROLE', label: r2.role, share: r2.share, start: toString(r2.start_date),
         end: toString(r2.end_date), reported_on: toString(r2.reported_on)}] AS edges
UNION ALL
// Addresses and phones: the values two to max_shared_orgs organizations share, grouped in the order of their
// index (a streaming aggregation); then the pairs of those organizations that bid in one tender, so that only
// bidders sharing a value are paired.
CALL () {
  MATCH (x:Organization) WHERE x.address_norm > ''
  WITH x.address_norm AS value, collect(x) AS orgs
  WHERE size(orgs) > 1 AND size(orgs) <= $max_shared_orgs
  RETURN 'address' AS link, 'SHARES_ADDRESS' AS edge_type, value, orgs
  UNION ALL
  MATCH (x:Organization) WHERE x.phone_norm > ''
  WITH x.phone_norm AS value, collect(x) AS orgs
  WHERE size(orgs) > 1 AND size(orgs) <= $max_shared_orgs
  RETURN 'phone' AS link, 'SHARES_PHONE' AS edge_type, value, orgs
}
UNWIND orgs AS a
UNWIND orgs AS b
WITH a, b, link, edge_type, value WHERE a <> b
MATCH (a)-[:BID]->(t:Decision)<-[:BID]-(b)
WITH DISTINCT a, b, t, link, edge_type, value
RETURN null AS official_id, a.id AS org_id, null AS via_id, t.id AS decision_id, t.date AS first_date,
       t.date AS last_date, null AS amount, b.id AS other_bidder, b.name AS other_name, link,
       [{src: a.id, dst: t.id, type: 'BID', label: null, share: null, start: toString(t.date), end: null},
        {src: b.id, dst: t.id, type: 'BID', label: null, share: null, start: toString(t.date), end: null},
        {src: a.id, dst: b.id, type: edge_type, label: value, share: null, start: null,
         end: null}] AS edges
