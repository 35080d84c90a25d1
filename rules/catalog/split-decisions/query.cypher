// split-decisions: decisions of one kind for one company by one official within window_days, each below the
// threshold, together at or above it
MATCH (o:Person)-[:DECIDED]->(s:Decision)-[:BENEFITS]->(c:Company)
WHERE s.amount IS NOT NULL AND s.amount < $threshold
WITH DISTINCT o, s, c
MATCH (o)-[:DECIDED]->(m:Decision)-[:BENEFITS]->(c)
WHERE m.kind = s.kind AND m.amount IS NOT NULL AND m.amount < $threshold
  AND m.date >= s.date AND m.date <= s.date + duration({days: $window_days})
WITH o, c, s, collect(DISTINCT m) AS members
WHERE size(members) >= $min_count AND reduce(t = 0.0, x IN members | t + x.amount) >= $threshold
UNWIND members AS m
WITH DISTINCT o, c, m
RETURN o.id AS official_id, c.id AS org_id, null AS via_id, m.id AS decision_id,
       m.date AS first_date, m.date AS last_date, m.amount AS amount, m.kind AS kind,
       [{src: o.id, dst: m.id, type: 'DECIDED', label: null, share: null, start: toString(m.date), end: null},
        {src: m.id, dst: c.id, type: 'BENEFITS', label: m.kind, share: null, start: toString(m.date), end: null}
       ] AS edges
