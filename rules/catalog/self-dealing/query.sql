-- self-dealing: the decision maker held a role in the beneficiary company on the decision date
WITH maker AS MATERIALIZED (SELECT DISTINCT person_id FROM decision_maker),  -- tens of thousands, not millions
maker_role AS MATERIALIZED (  -- roles of people who take decisions: few, so join them first
    SELECT r.* FROM role r JOIN maker m ON m.person_id = r.holder_id
    WHERE list_contains($roles, r.role)
)
SELECT
    dm.person_id     AS official_id,
    d.beneficiary_id AS org_id,
    CAST(NULL AS VARCHAR) AS via_id,
    d.decision_id    AS decision_id,
    d.date           AS first_date,
    d.date           AS last_date,
    d.amount         AS amount,
    r.role           AS role,
    [edge(dm.person_id, r.org_id, 'HOLDS_ROLE', r.role, r.share, r.start_date, r.end_date,
          reported := r.reported_on),
     edge(dm.person_id, d.decision_id, 'DECIDED', dm.role, NULL, d.date, NULL),
     edge(d.decision_id, d.beneficiary_id, 'BENEFITS', d.kind, NULL, d.date, NULL)] AS edges
FROM maker_role r
JOIN decision_maker dm ON dm.person_id = r.holder_id
JOIN decision d ON d.decision_id = dm.decision_id AND d.beneficiary_id = r.org_id
          AND held(r.start_date, r.end_date, d.date)
JOIN org c ON c.org_id = d.beneficiary_id AND c.kind = 'company'
