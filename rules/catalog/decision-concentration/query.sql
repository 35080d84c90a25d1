-- decision-concentration: one company receives at least min_share of an official's decisions
WITH made AS MATERIALIZED (  -- (official, decision, beneficiary), once per decision however many roles
    SELECT m.person_id, m.decision_id, d.beneficiary_id
    FROM (SELECT DISTINCT person_id, decision_id FROM decision_maker) m
    JOIN decision d ON d.decision_id = m.decision_id
),
totals AS (
    SELECT person_id, count(*) AS total FROM made GROUP BY person_id HAVING count(*) >= $min_decisions
),
-- counted per beneficiary first; only the few that reach min_share are then looked up among companies
per_company AS (
    SELECT g.person_id, g.beneficiary_id, g.n, g.total
    FROM (SELECT m.person_id, m.beneficiary_id, count(*) AS n, any_value(t.total) AS total
          FROM made m
          JOIN totals t ON t.person_id = m.person_id
          GROUP BY m.person_id, m.beneficiary_id
          HAVING CAST(count(*) AS DOUBLE) / any_value(t.total) >= $min_share) g
    JOIN org c ON c.org_id = g.beneficiary_id AND c.kind = 'company'
)
SELECT m.person_id AS official_id, m.beneficiary_id AS org_id, CAST(NULL AS VARCHAR) AS via_id,
       m.decision_id, d.date AS first_date, d.date AS last_date, d.amount,
       p.total AS official_total, p.n AS company_count,
       CAST(round(100.0 * p.n / p.total) AS BIGINT) || '%' AS company_share,
       [edge(m.person_id, m.decision_id, 'DECIDED', NULL, NULL, d.date, NULL),
        edge(m.decision_id, m.beneficiary_id, 'BENEFITS', d.kind, NULL, d.date, NULL)] AS edges
FROM made m
JOIN per_company p ON p.person_id = m.person_id AND p.beneficiary_id = m.beneficiary_id
JOIN decision d ON d.decision_id = m.decision_id
