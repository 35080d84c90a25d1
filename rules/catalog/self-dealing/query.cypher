// self-dealing: the decision maker held a role in the beneficiary company on the decision date.
// Each decision maker's own companies are gathered first; their decisions are then read once and kept when the
// beneficiary is among them.
// The officials are found from the DECIDED relationships' own index (which starts only at people), not by
// checking every person or every role for a decision.
MATCH (o)-[:DECIDED]->() WITH DISTINCT o
MATCH (o)-[r:HOLDS_ROLE]->(c:Company)
WHERE r.role IN $roles
WITH o, collect([r, c]) AS held, collect(DISTINCT c) AS companies
MATCH (o)-[dm:DECIDED]->(d:Decision)-[:BENEFITS]->(c)
WHERE c IN companies
UNWIND held AS role
WITH o, dm, d, c, role WHERE role[1] = c
WITH o, dm, d, c, role[0] AS r
WHERE (r.start_date IS NULL OR r.start_date <= d.date) AND (r.end_date IS NULL OR r.end_date >= d.date)
RETURN o.id AS official_id, c.id AS org_id, null AS via_id, d.id AS decision_id,
       d.date AS first_date, d.date AS last_date, d.amount AS amount, r.role AS role,
       [{src: o.id, dst: c.id, type: 'HOLDS_ROLE', label: r.role, share: r.share,
         start: toString(r.start_date), end: toString(r.end_date),
         reported_on: toString(r.reported_on)},
        {src: o.id, dst: d.id, type: 'DECIDED', label: dm.role, share: null, start: toString(d.date), end: null},
        {src: d.id, dst: c.id, type: 'BENEFITS', label: d.kind, share: null, start: toString(d.date), end: null}
       ] AS edges
