// relative-business: one atom per (decision, relation, role) in force on the decision date.
// Each official's relatives' companies are gathered first; the official's decisions are then read once and kept
// when their beneficiary is among them, so that an official's decisions are read once, not once per relative.
// The officials are found from the DECIDED relationships' own index (which starts only at people), not by
// checking every person or every relative's role for a decision.
MATCH (o)-[:DECIDED]->() WITH DISTINCT o
MATCH (o)-[k:RELATIVE_OF]->(rel:Person)-[r:HOLDS_ROLE]->(c:Company)
WHERE k.relation IN $relations AND r.role IN $roles
WITH o, collect([k, rel, r, c]) AS links, collect(DISTINCT c) AS companies
MATCH (o)-[dm:DECIDED]->(d:Decision)-[:BENEFITS]->(c)
WHERE c IN companies
UNWIND links AS link
WITH o, dm, d, c, link WHERE link[3] = c
WITH o, dm, d, c, link[0] AS k, link[1] AS rel, link[2] AS r
WHERE (k.start_date IS NULL OR k.start_date <= d.date) AND (k.end_date IS NULL OR k.end_date >= d.date)
  AND (r.start_date IS NULL OR r.start_date <= d.date) AND (r.end_date IS NULL OR r.end_date >= d.date)
RETURN o.id AS official_id, c.id AS org_id, rel.id AS via_id, d.id AS decision_id,
       d.date AS first_date, d.date AS last_date, d.amount AS amount, k.relation AS relation, r.role AS role,
       [{src: o.id, dst: rel.id, type: 'RELATIVE_OF', label: k.relation, share: null,
         start: toString(k.start_date), end: toString(k.end_date)},
        {src: rel.id, dst: c.id, type: 'HOLDS_ROLE', label: r.role, share: r.share,
         start: toString(r.start_date), end: toString(r.end_date),
         reported_on: toString(r.reported_on)},
        {src: o.id, dst: d.id, type: 'DECIDED', label: dm.role, share: null, start: toString(d.date), end: null},
        {src: d.id, dst: c.id, type: 'BENEFITS', label: d.kind, share: null, start: toString(d.date), end: null}
       ] AS edges
