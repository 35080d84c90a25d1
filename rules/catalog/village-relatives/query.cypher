// village-relatives: a village decision benefits a relative of a cadre of that village
MATCH (d:Decision)-[:ISSUED_BY]->(v:Village)<-[p:HOLDS_POST]-(cadre:Person)
WHERE p.start_date <= d.date AND (p.end_date IS NULL OR p.end_date >= d.date)
MATCH (d)-[:BENEFITS]->(b:Person)<-[k:RELATIVE_OF]-(cadre)
WHERE k.relation IN $relations
  AND (k.start_date IS NULL OR k.start_date <= d.date) AND (k.end_date IS NULL OR k.end_date >= d.date)
RETURN cadre.id AS official_id, null AS org_id, b.id AS via_id, d.id AS decision_id,
       d.date AS first_date, d.date AS last_date, d.amount AS amount, k.relation AS relation, null AS role,
       v.name AS village_name, 'person' AS target,
       [{src: cadre.id, dst: v.id, type: 'HOLDS_POST', label: p.title, share: null, start: toString(p.start_date),
         end: toString(p.end_date)},
        {src: cadre.id, dst: b.id, type: 'RELATIVE_OF', label: k.relation, share: null,
         start: toString(k.start_date), end: toString(k.end_date)},
        {src: d.id, dst: v.id, type: 'ISSUED_BY', label: d.kind, share: null, start: toString(d.date), end: null},
        {src: d.id, dst: b.id, type: 'BENEFITS', label: d.kind, share: null, start: toString(d.date), end: null}
       ] AS edges
UNION ALL
MATCH (d:Decision)-[:ISSUED_BY]->(v:Village)<-[p:HOLDS_POST]-(cadre:Person)
WHERE p.start_date <= d.date AND (p.end_date IS NULL OR p.end_date >= d.date)
MATCH (d)-[:BENEFITS]->(c:Company)<-[r:HOLDS_ROLE]-(h:Person)<-[k:RELATIVE_OF]-(cadre)
WHERE (r.start_date IS NULL OR r.start_date <= d.date) AND (r.end_date IS NULL OR r.end_date >= d.date)
  AND k.relation IN $relations
  AND (k.start_date IS NULL OR k.start_date <= d.date) AND (k.end_date IS NULL OR k.end_date >= d.date)
RETURN cadre.id AS official_id, c.id AS org_id, h.id AS via_id, d.id AS decision_id,
       d.date AS first_date, d.date AS last_date, d.amount AS amount, k.relation AS relation, r.role AS role,
       v.name AS village_name, 'company' AS target,
       [{src: cadre.id, dst: v.id, type: 'HOLDS_POST', label: p.title, share: null, start: toString(p.start_date),
         end: toString(p.end_date)},
        {src: cadre.id, dst: h.id, type: 'RELATIVE_OF', label: k.relation, share: null,
         start: toString(k.start_date), end: toString(k.end_date)},
        {src: h.id, dst: c.id, type: 'HOLDS_ROLE', label: r.role, share: r.share, start: toString(r.start_date),
         end: toString(r.end_date), reported_on: toString(r.reported_on)},
        {src: d.id, dst: v.id, type: 'ISSUED_BY', label: d.kind, share: null, start: toString(d.date), end: null},
        {src: d.id, dst: c.id, type: 'BENEFITS', label: d.kind, share: null, start: toString(d.date), end: null}
       ] AS edges
