// relative-in-jurisdiction: a close relative's role, during the tenure, in a company in the post's jurisdiction
// and portfolio; dated by the overlap of post and role (an overlap still open runs to the sweep's date)
MATCH (o:Person)-[p:HOLDS_POST]->(a:Organization)
WHERE p.rank IN $ranks
MATCH (o)-[k:RELATIVE_OF]->(rel:Person)-[r:HOLDS_ROLE]->(c:Company)
WHERE k.relation IN $relations
  AND (k.start_date IS NULL OR p.end_date IS NULL OR k.start_date <= p.end_date)
  AND (k.end_date IS NULL OR k.end_date >= p.start_date)
  AND (r.start_date IS NULL OR p.end_date IS NULL OR r.start_date <= p.end_date)
  AND (r.end_date IS NULL OR r.end_date >= p.start_date)
  AND (p.jurisdiction = '' OR (coalesce(c.region_code, '') <> '' AND c.region_code STARTS WITH p.jurisdiction))
  AND ('*' IN coalesce(p.portfolio, [])
       OR (coalesce(c.industry_norm, '') <> '' AND c.industry_norm IN coalesce(p.portfolio, [])))
WITH o, p, a, k, rel, r, c,
     CASE WHEN r.start_date IS NULL OR r.start_date < p.start_date THEN p.start_date ELSE r.start_date END AS first
RETURN o.id AS official_id, c.id AS org_id, rel.id AS via_id, null AS decision_id, first AS first_date,
       CASE WHEN p.end_date IS NULL AND r.end_date IS NULL
              THEN CASE WHEN $as_of IS NULL OR date($as_of) < first THEN first ELSE date($as_of) END
            WHEN p.end_date IS NULL THEN r.end_date WHEN r.end_date IS NULL THEN p.end_date
            WHEN r.end_date < p.end_date THEN r.end_date ELSE p.end_date END AS last_date,
       CASE WHEN p.end_date IS NULL AND r.end_date IS NULL AND $as_of IS NOT NULL AND date($as_of) >= first
            THEN 'open' ELSE 'ended' END AS overlap,
       null AS amount, k.relation AS relation, r.role AS role, p.rank AS rank, p.title AS post_title,
       a.name AS agency_name,
       [{src: o.id, dst: a.id, type: 'HOLDS_POST', label: p.title, share: null, start: toString(p.start_date),
         end: toString(p.end_date)},
        {src: o.id, dst: rel.id, type: 'RELATIVE_OF', label: k.relation, share: null,
         start: toString(k.start_date), end: toString(k.end_date)},
        {src: rel.id, dst: c.id, type: 'HOLDS_ROLE', label: r.role, share: r.share,
         start: toString(r.start_date), end: toString(r.end_date),
         reported_on: toString(r.reported_on)}] AS edges
