// split-decisions: decisions of one kind for one company by one official within window_days, each below the
// threshold, together at or above it. An official's small decisions for a company are grouped by kind once; only
// a group that reaches min_count and the threshold in all can hold a window that does (as in the SQL), and its
// windows are cut from the group's list, so that the official's decisions are matched once, not once per start.
MATCH (o:Person)-[:DECIDED]->(d:Decision)-[:BENEFITS]->(c)
WHERE d.amount IS NOT NULL AND d.amount < $threshold
WITH DISTINCT o, c, d
WITH o, c, d.kind AS kind, collect(d) AS made
WHERE size(made) >= $min_count AND c:Company AND reduce(t = 0.0, x IN made | t + x.amount) >= $threshold
UNWIND made AS s
WITH o, c, [m IN made WHERE m.date >= s.date AND m.date <= s.date + duration({days: $window_days})] AS members
WHERE size(members) >= $min_count AND reduce(t = 0.0, x IN members | t + x.amount) >= $threshold
UNWIND members AS m
WITH DISTINCT o, c, m
RETURN o.id AS official_id, c.id AS org_id, null AS via_id, m.id AS decision_id,
       m.date AS first_date, m.date AS last_date, m.amount AS amount, m.kind AS kind,
       [{src: o.id, dst: m.id, type: 'DECIDED', label: null, share: null, start: toString(m.date), end: null},
        {src: m.id, dst: c.id, type: 'BENEFITS', label: m.kind, share: null, start: toString(m.date), end: null}
       ] AS edges
