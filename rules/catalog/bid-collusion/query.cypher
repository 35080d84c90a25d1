// bid-collusion: bidders in one tender sharing a holder (on the tender date), an address or a phone.
// The holder branch starts from a tender's bidders and groups their holders' roles by (tender, holder): only a
// holder with roles in two or more of the bidders is looked at further (dates, then pairs). Pairing every two
// bidders first, then looking for a common holder, cost 4-5x as much at 100k people.
MATCH (t:Decision)<-[:BID]-(a:Organization)
WITH DISTINCT t, a
MATCH (h:Entity)-[r:HOLDS_ROLE]->(a)
WITH t, h, collect([a, r]) AS held
WHERE size(held) > 1
UNWIND held AS x
WITH t, h, x
WHERE (x[1].start_date IS NULL OR x[1].start_date <= t.date) AND (x[1].end_date IS NULL OR x[1].end_date >= t.date)
WITH t, h, collect(x) AS held
WHERE size(held) > 1 AND size(COLLECT { MATCH (h)-[:HOLDS_ROLE]->(x) RETURN DISTINCT x }) <= $max_shared_orgs
UNWIND held AS one
UNWIND held AS other
WITH t, h, one[0] AS a, one[1] AS r1, other[0] AS b, other[1] AS r2
WHERE a <> b
RETURN null AS official_id, a.id AS org_id, h.id AS via_id, t.id AS decision_id, t.date AS first_date,
       t.date AS last_date, null AS amount, b.id AS other_bidder, b.name AS other_name, 'holder' AS link,
       [{src: a.id, dst: t.id, type: 'BID', label: null, share: null, start: toString(t.date), end: null},
        {src: b.id, dst: t.id, type: 'BID', label: null, share: null, start: toString(t.date), end: null},
        {src: h.id, dst: a.id, type: 'HOLDS_ROLE', label: r1.role, share: r1.share, start: toString(r1.start_date),
         end: toString(r1.end_date)},
        {src: h.id, dst: b.id, type: 'HOLDS_ROLE', label: r2.role, share: r2.share, start: toString(r2.start_date),
         end: toString(r2.end_date)}] AS edges
UNION ALL
MATCH (a:Organization)-[:BID]->(t:Decision)<-[:BID]-(b:Organization)
WHERE a <> b AND coalesce(a.address_norm, '') <> '' AND a.address_norm = b.address_norm
WITH DISTINCT a, b, t
WHERE COUNT { MATCH (x:Organization) WHERE x.address_norm = a.address_norm } <= $max_shared_orgs
RETURN null AS official_id, a.id AS org_id, null AS via_id, t.id AS decision_id, t.date AS first_date,
       t.date AS last_date, null AS amount, b.id AS other_bidder, b.name AS other_name, 'address' AS link,
       [{src: a.id, dst: t.id, type: 'BID', label: null, share: null, start: toString(t.date), end: null},
        {src: b.id, dst: t.id, type: 'BID', label: null, share: null, start: toString(t.date), end: null},
        {src: a.id, dst: b.id, type: 'SHARES_ADDRESS', label: a.address_norm, share: null, start: null,
         end: null}] AS edges
UNION ALL
MATCH (a:Organization)-[:BID]->(t:Decision)<-[:BID]-(b:Organization)
WHERE a <> b AND coalesce(a.phone_norm, '') <> '' AND a.phone_norm = b.phone_norm
WITH DISTINCT a, b, t
WHERE COUNT { MATCH (x:Organization) WHERE x.phone_norm = a.phone_norm } <= $max_shared_orgs
RETURN null AS official_id, a.id AS org_id, null AS via_id, t.id AS decision_id, t.date AS first_date,
       t.date AS last_date, null AS amount, b.id AS other_bidder, b.name AS other_name, 'phone' AS link,
       [{src: a.id, dst: t.id, type: 'BID', label: null, share: null, start: toString(t.date), end: null},
        {src: b.id, dst: t.id, type: 'BID', label: null, share: null, start: toString(t.date), end: null},
        {src: a.id, dst: b.id, type: 'SHARES_PHONE', label: a.phone_norm, share: null, start: null,
         end: null}] AS edges
