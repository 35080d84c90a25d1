-- relative-business: one atom per (decision, relation, role) in force on the decision date
SELECT
    dm.person_id   AS official_id,
    d.beneficiary_id AS org_id,
    k.relative_id  AS via_id,
    d.decision_id  AS decision_id,
    d.date         AS first_date,
    d.date         AS last_date,
    d.amount       AS amount,
    k.relation     AS relation,
    r.role         AS role,
    [edge(dm.person_id, k.relative_id, 'RELATIVE_OF', k.relation, NULL, k.start_date, k.end_date),
     edge(k.relative_id, r.org_id, 'HOLDS_ROLE', r.role, r.share, r.start_date, r.end_date,
          reported := r.reported_on),
     edge(dm.person_id, d.decision_id, 'DECIDED', dm.role, NULL, d.date, NULL),
     edge(d.decision_id, d.beneficiary_id, 'BENEFITS', d.kind, NULL, d.date, NULL)] AS edges
FROM decision_maker dm
JOIN decision d ON d.decision_id = dm.decision_id
JOIN org c ON c.org_id = d.beneficiary_id AND c.kind = 'company'
JOIN kin k ON k.person_id = dm.person_id
          AND list_contains($relations, k.relation)
          AND held(k.start_date, k.end_date, d.date)
JOIN role r ON r.holder_id = k.relative_id AND r.org_id = d.beneficiary_id
          AND list_contains($roles, r.role)
          AND held(r.start_date, r.end_date, d.date)
