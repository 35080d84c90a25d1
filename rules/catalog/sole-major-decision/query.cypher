// sole-major-decision: a major decision (三重一大) with exactly one decision maker after entity resolution; one
// atom per DECIDED relationship of such a decision (one person recorded twice, say as approver and signer).
// Decisions are found through the index on their kind.
MATCH (d:Decision)
WHERE d.kind IN $kinds AND (d.kind IN $any_amount_kinds OR d.amount >= $min_amount)
MATCH (p:Person)-[dm:DECIDED]->(d)
WITH d, collect([p, dm]) AS made, count(DISTINCT p) AS makers
WHERE makers = 1
UNWIND made AS m
WITH d, m[0] AS p, m[1] AS dm
MATCH (d)-[:ISSUED_BY]->(a)
MATCH (d)-[:BENEFITS]->(b)
RETURN p.id AS official_id, CASE WHEN b:Organization THEN b.id END AS org_id,
       CASE WHEN b:Organization THEN null ELSE b.id END AS via_id, d.id AS decision_id, d.date AS first_date,
       d.date AS last_date, d.amount AS amount, d.kind AS decision_kind, coalesce(d.title, d.id) AS decision_title,
       a.name AS agency_name, b.name AS beneficiary_name,
       [{src: p.id, dst: d.id, type: 'DECIDED', label: dm.role, share: null, start: toString(d.date), end: null},
        {src: d.id, dst: a.id, type: 'ISSUED_BY', label: d.kind, share: null, start: toString(d.date), end: null},
        {src: d.id, dst: b.id, type: 'BENEFITS', label: d.kind, share: null, start: toString(d.date), end: null}
       ] AS edges
