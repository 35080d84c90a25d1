-- nepotism: the decision maker of an appointment is a relative of the appointee
SELECT
    dm.person_id   AS official_id,
    d.agency_id    AS org_id,
    d.beneficiary_id AS via_id,
    d.decision_id  AS decision_id,
    d.date         AS first_date,
    d.date         AS last_date,
    d.amount       AS amount,
    k.relation     AS relation,
    [edge(dm.person_id, d.beneficiary_id, 'RELATIVE_OF', k.relation, NULL, k.start_date, k.end_date),
     edge(dm.person_id, d.decision_id, 'DECIDED', dm.role, NULL, d.date, NULL),
     edge(d.decision_id, d.agency_id, 'ISSUED_BY', d.kind, NULL, d.date, NULL),
     edge(d.decision_id, d.beneficiary_id, 'BENEFITS', d.kind, NULL, d.date, NULL)] AS edges
FROM decision_maker dm
JOIN decision d ON d.decision_id = dm.decision_id AND list_contains($kinds, d.kind)
JOIN kin k ON k.person_id = dm.person_id AND k.relative_id = d.beneficiary_id
          AND list_contains($relations, k.relation)
          AND held(k.start_date, k.end_date, d.date)
