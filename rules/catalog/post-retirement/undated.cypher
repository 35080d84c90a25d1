// post-retirement, undated: roles without a start date that the rule would check if it knew when they began. A
// role counts when its holder left office, it is at an organization of org_kinds that the official decided for
// while in office (a post covered the decision's date) before leaving, or that lies in the post's jurisdiction and
// portfolio, and it may have begun after that leaving (it did not end on or before it, and no source recorded it on
// or before it).
MATCH (o:Person)-[p:HOLDS_POST]->()
WHERE p.end_date IS NOT NULL
  AND NOT EXISTS {
      MATCH (o)-[q:HOLDS_POST]->()
      WHERE q.rid <> p.rid AND q.start_date <= p.end_date + duration({days: $reappointment_gap_days})
        AND (q.end_date IS NULL OR q.end_date > p.end_date) }
MATCH (o)-[r:HOLDS_ROLE]->(c:Organization)
WHERE r.start_date IS NULL AND c.kind IN $org_kinds
  AND (r.end_date IS NULL OR r.end_date > p.end_date)
  AND (r.reported_on IS NULL OR r.reported_on > p.end_date)
  AND (((p.jurisdiction = '' OR (coalesce(c.region_code, '') <> '' AND c.region_code STARTS WITH p.jurisdiction))
        AND ('*' IN coalesce(p.portfolio, [])
             OR (coalesce(c.industry_norm, '') <> '' AND c.industry_norm IN coalesce(p.portfolio, []))))
       OR EXISTS { MATCH (o)-[:DECIDED]->(d:Decision)-[:BENEFITS]->(c)
                   WHERE d.date <= p.end_date
                     AND EXISTS {  // decided while in office: a post covers the decision's date
                         MATCH (o)-[q:HOLDS_POST]->()
                         WHERE q.start_date <= d.date AND (q.end_date IS NULL OR q.end_date >= d.date) } })
WITH o, r, c, min(p.end_date) AS left_on
RETURN o.id AS holder_id, c.id AS org_id, r.role AS role, r.end_date AS end_date, r.reported_on AS reported_on,
       left_on, CASE WHEN r.reported_on IS NULL THEN 'no_start' ELSE 'recorded_after_leaving' END AS reason
