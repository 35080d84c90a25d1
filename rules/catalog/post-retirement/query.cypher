// post-retirement: a role taken after leaving office, within the cooling-off period after the latest leaving
// before it. A post's end is a leaving when no other post covers any of the next reappointment_gap_days days; a
// role's start is after leaving office when no post covers it (a role taken back in post is not one).
// An official's leavings and the roles they took in the cooling-off period are found once; each pair is then a
// lead if the official decided for the organization while in office, or if it lies in the post's jurisdiction and
// portfolio.
MATCH (o:Person)-[p:HOLDS_POST]->(a:Organization)
WHERE p.end_date IS NOT NULL
  AND NOT EXISTS {
      MATCH (o)-[q:HOLDS_POST]->()
      WHERE q.rid <> p.rid AND q.start_date <= p.end_date + duration({days: $reappointment_gap_days})
        AND (q.end_date IS NULL OR q.end_date > p.end_date) }
WITH o, p, a, CASE WHEN p.rank IN $senior_ranks THEN $senior_years ELSE $junior_years END AS years
MATCH (o)-[r:HOLDS_ROLE]->(c:Organization)
WHERE r.start_date > p.end_date AND r.start_date <= p.end_date + duration({years: years}) AND c.kind IN $org_kinds
  AND NOT EXISTS {  // back in office on the role's start
      MATCH (o)-[q:HOLDS_POST]->()
      WHERE q.start_date <= r.start_date AND (q.end_date IS NULL OR q.end_date >= r.start_date) }
  AND NOT EXISTS {  // a later leaving before the role's start: the window runs from that one
      MATCH (o)-[m:HOLDS_POST]->()
      WHERE m.end_date > p.end_date AND m.end_date < r.start_date
        AND NOT EXISTS {
            MATCH (o)-[q:HOLDS_POST]->()
            WHERE q.rid <> m.rid AND q.start_date <= m.end_date + duration({days: $reappointment_gap_days})
              AND (q.end_date IS NULL OR q.end_date > m.end_date) } }
CALL (o, p, c) {
  MATCH (o)-[dm:DECIDED]->(d:Decision)-[:BENEFITS]->(c)
  WHERE d.date <= p.end_date
    AND EXISTS {  // decided while in office: a post covers the decision's date
        MATCH (o)-[q:HOLDS_POST]->()
        WHERE q.start_date <= d.date AND (q.end_date IS NULL OR q.end_date >= d.date) }
  RETURN d, dm, 'decided' AS basis
  UNION ALL
  WITH o, p, c
  WHERE (p.jurisdiction = '' OR (coalesce(c.region_code, '') <> '' AND c.region_code STARTS WITH p.jurisdiction))
    AND ('*' IN coalesce(p.portfolio, [])
         OR (coalesce(c.industry_norm, '') <> '' AND c.industry_norm IN coalesce(p.portfolio, [])))
  RETURN null AS d, null AS dm, 'jurisdiction' AS basis
}
RETURN o.id AS official_id, c.id AS org_id, null AS via_id, d.id AS decision_id,
       coalesce(d.date, p.end_date) AS first_date, r.start_date AS last_date, d.amount AS amount,
       p.end_date AS left_on, years, p.rank AS rank, p.title AS post_title, a.name AS agency_name,
       r.role AS taken_role, r.start_date AS role_start, basis,
       [{src: o.id, dst: a.id, type: 'HOLDS_POST', label: p.title, share: null, start: toString(p.start_date),
         end: toString(p.end_date)},
        {src: o.id, dst: c.id, type: 'HOLDS_ROLE', label: r.role, share: r.share, start: toString(r.start_date),
         end: toString(r.end_date), reported_on: toString(r.reported_on)}]
       + CASE WHEN d IS NULL THEN [] ELSE
         [{src: o.id, dst: d.id, type: 'DECIDED', label: dm.role, share: null, start: toString(d.date), end: null},
          {src: d.id, dst: c.id, type: 'BENEFITS', label: d.kind, share: null, start: toString(d.date), end: null}]
         END AS edges
