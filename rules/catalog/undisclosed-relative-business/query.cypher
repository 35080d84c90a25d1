// undisclosed-relative-business: a relative's role in a company during a declared year that the declaration does
// not list
MATCH (o:Person)-[:FILED]->(x:Declaration)
WITH DISTINCT o, x.year AS year
WITH o, year, date({year: year, month: 1, day: 1}) AS y0, date({year: year, month: 12, day: 31}) AS y1
MATCH (o)-[k:RELATIVE_OF]->(rel:Person)-[r:HOLDS_ROLE]->(c:Company)
WHERE k.relation IN $relations
  AND (k.start_date IS NULL OR k.start_date <= y1) AND (k.end_date IS NULL OR k.end_date >= y0)
  AND (r.start_date IS NULL OR r.start_date <= y1) AND (r.end_date IS NULL OR r.end_date >= y0)
  AND NOT EXISTS {
      MATCH (o)-[:FILED]->(d:Declaration)
      WHERE d.year = year AND d.org_id = c.id
        AND (d.relative_id IS NULL OR d.relative_id = rel.id)
        AND (d.role IS NULL OR d.role = r.role) }
RETURN o.id AS official_id, c.id AS org_id, rel.id AS via_id, null AS decision_id,
       y0 AS first_date, y1 AS last_date, null AS amount, k.relation AS relation, r.role AS role, year,
       [{src: o.id, dst: rel.id, type: 'RELATIVE_OF', label: k.relation, share: null,
         start: toString(k.start_date), end: toString(k.end_date)},
        {src: rel.id, dst: c.id, type: 'HOLDS_ROLE', label: r.role, share: r.share,
         start: toString(r.start_date), end: toString(r.end_date),
         reported_on: toString(r.reported_on)}] AS edges
