-- village-relatives: a village decision benefits a relative of a cadre of that village
WITH vd AS MATERIALIZED (
    -- village decisions first (few), then their cadres: equality joins, the date test as a filter
    SELECT d.*, v.name AS village_name, p.person_id AS cadre, p.title AS post_title, p.start_date AS post_start,
           p.end_date AS post_end
    FROM (SELECT * FROM decision WHERE agency_id IN (SELECT org_id FROM org WHERE kind = 'village')) d
    JOIN org v ON v.org_id = d.agency_id
    JOIN post p ON p.org_id = d.agency_id
    WHERE held(p.start_date, p.end_date, d.date)
),
vrole AS MATERIALIZED (
    SELECT vd.*, r.holder_id, r.org_id AS role_org, r.role AS role_name, r.share AS role_share,
           r.start_date AS role_start, r.end_date AS role_end, r.reported_on AS role_reported
    FROM vd
    JOIN org c ON c.org_id = vd.beneficiary_id AND c.kind = 'company'
    JOIN role r ON r.org_id = vd.beneficiary_id
    WHERE held(r.start_date, r.end_date, vd.date)
)
SELECT vd.cadre AS official_id, CAST(NULL AS VARCHAR) AS org_id, vd.beneficiary_id AS via_id,
       vd.decision_id, vd.date AS first_date, vd.date AS last_date, vd.amount, k.relation,
       CAST(NULL AS VARCHAR) AS role, vd.village_name, 'person' AS target,
       [edge(vd.cadre, vd.agency_id, 'HOLDS_POST', vd.post_title, NULL, vd.post_start, vd.post_end),
        edge(vd.cadre, vd.beneficiary_id, 'RELATIVE_OF', k.relation, NULL, k.start_date, k.end_date),
        edge(vd.decision_id, vd.agency_id, 'ISSUED_BY', vd.kind, NULL, vd.date, NULL),
        edge(vd.decision_id, vd.beneficiary_id, 'BENEFITS', vd.kind, NULL, vd.date, NULL)] AS edges
FROM vd
JOIN kin k ON k.person_id = vd.cadre AND k.relative_id = vd.beneficiary_id
          AND list_contains($relations, k.relation) AND held(k.start_date, k.end_date, vd.date)
UNION ALL
SELECT v.cadre, v.beneficiary_id, v.holder_id, v.decision_id, v.date, v.date, v.amount, k.relation,
       v.role_name, v.village_name, 'company',
       [edge(v.cadre, v.agency_id, 'HOLDS_POST', v.post_title, NULL, v.post_start, v.post_end),
        edge(v.cadre, v.holder_id, 'RELATIVE_OF', k.relation, NULL, k.start_date, k.end_date),
        edge(v.holder_id, v.role_org, 'HOLDS_ROLE', v.role_name, v.role_share, v.role_start, v.role_end,
             reported := v.role_reported),
        edge(v.decision_id, v.agency_id, 'ISSUED_BY', v.kind, NULL, v.date, NULL),
        edge(v.decision_id, v.beneficiary_id, 'BENEFITS', v.kind, NULL, v.date, NULL)]
FROM vrole v
JOIN kin k ON k.person_id = v.cadre AND k.relative_id = v.holder_id
WHERE list_contains($relations, k.relation) AND held(k.start_date, k.end_date, v.date)
