// relative-in-jurisdiction: a close relative's role, during the tenure, in a company in the post's jurisdiction
// and portfolio; dated by the overlap of post, kinship and role (an empty date is open), an overlap still open
// running to the sweep's date
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
WITH o, p, a, k, rel, r, c, [x IN [k.start_date, r.start_date] WHERE x IS NOT NULL] AS starts,
     [x IN [p.end_date, k.end_date, r.end_date] WHERE x IS NOT NULL] AS ends
WITH o, p, a, k, rel, r, c, reduce(m = p.start_date, x IN starts | CASE WHEN x > m THEN x ELSE m END) AS first,
     reduce(m = null, x IN ends | CASE WHEN m IS NULL OR x < m THEN x ELSE m END) AS last
WHERE last IS NULL OR first <= last
RETURN o.id AS official_id, c.id AS org_id, rel.id AS via_id, null AS decision_id, first AS first_date,
       CASE WHEN last IS NOT NULL THEN last
            WHEN $as_of IS NULL OR date($as_of) < first THEN first ELSE date($as_of) END AS last_date,
       CASE WHEN last IS NULL AND $as_of IS NOT NULL AND date($as_of) >= first
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
