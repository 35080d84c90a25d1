// relative-business: one atom per (decision, relation, role) in force on the decision date
MATCH (o:Person)-[dm:DECIDED]->(d:Decision)-[:BENEFITS]->(c:Company)
MATCH (o)-[k:RELATIVE_OF]->(rel:Person)-[r:HOLDS_ROLE]->(c)
WHERE k.relation IN $relations
  AND (k.start_date IS NULL OR k.start_date <= d.date) AND (k.end_date IS NULL OR k.end_date >= d.date)
  AND r.role IN $roles
  AND (r.start_date IS NULL OR r.start_date <= d.date) AND (r.end_date IS NULL OR r.end_date >= d.date)
RETURN o.id AS official_id, c.id AS org_id, rel.id AS via_id, d.id AS decision_id,
       d.date AS first_date, d.date AS last_date, d.amount AS amount, k.relation AS relation, r.role AS role,
       [{src: o.id, dst: rel.id, type: 'RELATIVE_OF', label: k.relation, share: null,
         start: toString(k.start_date), end: toString(k.end_date)},
        {src: rel.id, dst: c.id, type: 'HOLDS_ROLE', label: r.role, share: r.share,
         start: toString(r.start_date), end: toString(r.end_date)},
        {src: o.id, dst: d.id, type: 'DECIDED', label: dm.role, share: null, start: toString(d.date), end: null},
        {src: d.id, dst: c.id, type: 'BENEFITS', label: d.kind, share: null, start: toString(d.date), end: null}
       ] AS edges
