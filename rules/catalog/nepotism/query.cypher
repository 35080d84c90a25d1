// nepotism: the decision maker of an appointment is a relative of the appointee
MATCH (o:Person)-[dm:DECIDED]->(d:Decision)-[:BENEFITS]->(b:Person)
WHERE d.kind IN $kinds
MATCH (o)-[k:RELATIVE_OF]->(b)
WHERE k.relation IN $relations
  AND (k.start_date IS NULL OR k.start_date <= d.date) AND (k.end_date IS NULL OR k.end_date >= d.date)
MATCH (d)-[:ISSUED_BY]->(a:Organization)
RETURN o.id AS official_id, a.id AS org_id, b.id AS via_id, d.id AS decision_id,
       d.date AS first_date, d.date AS last_date, d.amount AS amount, k.relation AS relation,
       [{src: o.id, dst: b.id, type: 'RELATIVE_OF', label: k.relation, share: null,
         start: toString(k.start_date), end: toString(k.end_date)},
        {src: o.id, dst: d.id, type: 'DECIDED', label: dm.role, share: null, start: toString(d.date), end: null},
        {src: d.id, dst: a.id, type: 'ISSUED_BY', label: d.kind, share: null, start: toString(d.date), end: null},
        {src: d.id, dst: b.id, type: 'BENEFITS', label: d.kind, share: null, start: toString(d.date), end: null}
       ] AS edges
