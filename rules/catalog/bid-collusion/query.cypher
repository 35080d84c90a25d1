// bid-collusion: bidders in one tender sharing a holder (on the tender date), an address or a phone
MATCH (a:Organization)-[:BID]->(t:Decision)<-[:BID]-(b:Organization)
WHERE a <> b
WITH DISTINCT a, b, t
MATCH (h:Entity)-[r1:HOLDS_ROLE]->(a)
WHERE (r1.start_date IS NULL OR r1.start_date <= t.date) AND (r1.end_date IS NULL OR r1.end_date >= t.date)
MATCH (h)-[r2:HOLDS_ROLE]->(b)
WHERE (r2.start_date IS NULL OR r2.start_date <= t.date) AND (r2.end_date IS NULL OR r2.end_date >= t.date)
  AND size(COLLECT { MATCH (h)-[:HOLDS_ROLE]->(x) RETURN DISTINCT x }) <= $max_shared_orgs
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
