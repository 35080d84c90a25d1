-- decision-concentration: one company receives at least min_share of an official's decisions
WITH made AS (
    SELECT DISTINCT dm.person_id, d.decision_id, d.beneficiary_id, d.date, d.amount, d.kind
    FROM decision_maker dm JOIN decision d ON d.decision_id = dm.decision_id
),
totals AS (
    SELECT person_id, count(*) AS total FROM made GROUP BY person_id HAVING count(*) >= $min_decisions
),
per_company AS (
    SELECT m.person_id, m.beneficiary_id, count(*) AS n, t.total
    FROM made m
    JOIN totals t ON t.person_id = m.person_id
    JOIN org c ON c.org_id = m.beneficiary_id AND c.kind = 'company'
    GROUP BY m.person_id, m.beneficiary_id, t.total
    HAVING CAST(count(*) AS DOUBLE) / t.total >= $min_share
)
SELECT m.person_id AS official_id, m.beneficiary_id AS org_id, CAST(NULL AS VARCHAR) AS via_id,
       m.decision_id, m.date AS first_date, m.date AS last_date, m.amount,
       p.total AS official_total, p.n AS company_count,
       CAST(round(100.0 * p.n / p.total) AS BIGINT) || '%' AS company_share,
       [edge(m.person_id, m.decision_id, 'DECIDED', NULL, NULL, m.date, NULL),
        edge(m.decision_id, m.beneficiary_id, 'BENEFITS', m.kind, NULL, m.date, NULL)] AS edges
FROM made m
JOIN per_company p ON p.person_id = m.person_id AND p.beneficiary_id = m.beneficiary_id
