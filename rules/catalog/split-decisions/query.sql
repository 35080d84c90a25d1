-- split-decisions: decisions of one kind for one company by one official within window_days, each below the
-- threshold, together at or above it
-- (a decision appears twice for an official with two roles in it: harmless in grp, which only picks candidates;
-- cand keeps each decision once)
WITH small AS (
    SELECT dm.person_id, d.beneficiary_id, d.kind, d.decision_id, d.date, d.amount
    FROM decision_maker dm
    JOIN decision d ON d.decision_id = dm.decision_id
    WHERE d.amount IS NOT NULL AND d.amount < $threshold
),
-- only (official, company, kind) groups that reach min_count and the threshold in all can hold a window that does;
-- whether the beneficiary is a company is asked of those few groups
grp AS (
    SELECT g.* FROM (SELECT person_id, beneficiary_id, kind FROM small
                     GROUP BY ALL HAVING count(*) >= $min_count AND sum(amount) >= $threshold) g
    JOIN org c ON c.org_id = g.beneficiary_id AND c.kind = 'company'
),
-- their decisions, read again through the few groups (cheaper than keeping every small decision)
cand AS MATERIALIZED (
    SELECT DISTINCT dm.person_id, d.beneficiary_id, d.kind, d.decision_id, d.date, d.amount
    FROM grp g
    JOIN decision_maker dm ON dm.person_id = g.person_id
    JOIN decision d ON d.decision_id = dm.decision_id AND d.beneficiary_id = g.beneficiary_id AND d.kind = g.kind
    WHERE d.amount IS NOT NULL AND d.amount < $threshold
),
win AS (
    SELECT s.decision_id AS start_id, m.*,
           count(*) OVER (PARTITION BY s.person_id, s.beneficiary_id, s.kind, s.decision_id) AS n,
           sum(m.amount) OVER (PARTITION BY s.person_id, s.beneficiary_id, s.kind, s.decision_id) AS total
    FROM cand s
    JOIN cand m ON m.person_id = s.person_id AND m.beneficiary_id = s.beneficiary_id AND m.kind = s.kind
                AND m.date >= s.date AND m.date <= plus_days(s.date, $window_days)
)
SELECT DISTINCT person_id AS official_id, beneficiary_id AS org_id, CAST(NULL AS VARCHAR) AS via_id, decision_id,
       date AS first_date, date AS last_date, amount, kind,
       [edge(person_id, decision_id, 'DECIDED', NULL, NULL, date, NULL),
        edge(decision_id, beneficiary_id, 'BENEFITS', kind, NULL, date, NULL)] AS edges
FROM win
WHERE n >= $min_count AND total >= $threshold
