-- sole-major-decision: a major decision (三重一大) with exactly one decision maker after entity resolution; one
-- atom per decision-maker row of such a decision (one person recorded twice, say as approver and signer)
WITH major AS MATERIALIZED (
    SELECT * FROM decision
    WHERE list_contains($kinds, kind)
      AND (list_contains($any_amount_kinds, kind) OR amount >= $min_amount)
),
major_maker AS MATERIALIZED (  -- their decision makers, read once
    SELECT dm.decision_id, dm.person_id, dm.role FROM decision_maker dm
    WHERE dm.decision_id IN (SELECT decision_id FROM major)
),
sole AS MATERIALIZED (
    SELECT decision_id FROM major_maker GROUP BY decision_id HAVING count(DISTINCT person_id) = 1
)
SELECT dm.person_id AS official_id,
       CASE WHEN o.org_id IS NOT NULL THEN m.beneficiary_id END AS org_id,
       CASE WHEN o.org_id IS NULL THEN m.beneficiary_id END AS via_id,
       m.decision_id, m.date AS first_date, m.date AS last_date, m.amount,
       m.kind AS decision_kind, coalesce(m.title, m.decision_id) AS decision_title, a.name AS agency_name,
       coalesce(o.name, p.name) AS beneficiary_name,
       [edge(dm.person_id, m.decision_id, 'DECIDED', dm.role, NULL, m.date, NULL),
        edge(m.decision_id, m.agency_id, 'ISSUED_BY', m.kind, NULL, m.date, NULL),
        edge(m.decision_id, m.beneficiary_id, 'BENEFITS', m.kind, NULL, m.date, NULL)] AS edges
FROM sole s
JOIN major m ON m.decision_id = s.decision_id
JOIN major_maker dm ON dm.decision_id = s.decision_id
JOIN org a ON a.org_id = m.agency_id
LEFT JOIN org o ON o.org_id = m.beneficiary_id
LEFT JOIN person p ON p.person_id = m.beneficiary_id
