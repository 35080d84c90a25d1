// post-retirement: a role taken within the cooling-off period after leaving office
MATCH (o:Person)-[p:HOLDS_POST]->(a:Organization)
WHERE p.end_date IS NOT NULL
  AND NOT EXISTS {
      MATCH (o)-[q:HOLDS_POST]->()
      WHERE q.rid <> p.rid AND q.start_date <= p.end_date + duration({days: $reappointment_gap_days})
        AND (q.end_date IS NULL OR q.end_date > p.end_date) }
WITH o, p, a, CASE WHEN p.rank IN $senior_ranks THEN $senior_years ELSE $junior_years END AS years
MATCH (o)-[r:HOLDS_ROLE]->(c:Company)
WHERE r.start_date > p.end_date AND r.start_date <= p.end_date + duration({years: years})
MATCH (o)-[dm:DECIDED]->(d:Decision)-[:BENEFITS]->(c)
WHERE d.date <= p.end_date
RETURN o.id AS official_id, c.id AS org_id, null AS via_id, d.id AS decision_id,
       d.date AS first_date, r.start_date AS last_date, d.amount AS amount,
       p.end_date AS left_on, years, p.rank AS rank, p.title AS post_title, a.name AS agency_name,
       r.role AS taken_role, r.start_date AS role_start, 'decided' AS basis,
       [{src: o.id, dst: a.id, type: 'HOLDS_POST', label: p.title, share: null, start: toString(p.start_date),
         end: toString(p.end_date)},
        {src: o.id, dst: c.id, type: 'HOLDS_ROLE', label: r.role, share: r.share, start: toString(r.start_date),
         end: toString(r.end_date)},
        {src: o.id, dst: d.id, type: 'DECIDED', label: dm.role, share: null, start: toString(d.date), end: null},
        {src: d.id, dst: c.id, type: 'BENEFITS', label: d.kind, share: null, start: toString(d.date), end: null}
       ] AS edges
UNION ALL
MATCH (o:Person)-[p:HOLDS_POST]->(a:Organization)
WHERE p.end_date IS NOT NULL
  AND NOT EXISTS {
      MATCH (o)-[q:HOLDS_POST]->()
      WHERE q.rid <> p.rid AND q.start_date <= p.end_date + duration({days: $reappointment_gap_days})
        AND (q.end_date IS NULL OR q.end_date > p.end_date) }
WITH o, p, a, CASE WHEN p.rank IN $senior_ranks THEN $senior_years ELSE $junior_years END AS years
MATCH (o)-[r:HOLDS_ROLE]->(c:Company)
WHERE r.start_date > p.end_date AND r.start_date <= p.end_date + duration({years: years})
  AND (p.jurisdiction = '' OR (coalesce(c.region_code, '') <> '' AND c.region_code STARTS WITH p.jurisdiction))
  AND coalesce(c.industry_norm, '') <> '' AND c.industry_norm IN coalesce(p.portfolio, [])
RETURN o.id AS official_id, c.id AS org_id, null AS via_id, null AS decision_id,
       p.end_date AS first_date, r.start_date AS last_date, null AS amount,
       p.end_date AS left_on, years, p.rank AS rank, p.title AS post_title, a.name AS agency_name,
       r.role AS taken_role, r.start_date AS role_start, 'jurisdiction' AS basis,
       [{src: o.id, dst: a.id, type: 'HOLDS_POST', label: p.title, share: null, start: toString(p.start_date),
         end: toString(p.end_date)},
        {src: o.id, dst: c.id, type: 'HOLDS_ROLE', label: r.role, share: r.share, start: toString(r.start_date),
         end: toString(r.end_date)}] AS edges
