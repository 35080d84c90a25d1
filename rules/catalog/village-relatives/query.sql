-- village-relatives: a village decision benefits a relative of a cadre of that village
WITH vd AS (
    SELECT d.*, v.name AS village_name, p.person_id AS cadre, p.title AS post_title, p.start_date AS post_start,
           p.end_date AS post_end
    FROM decision d
    JOIN org v ON v.org_id = d.agency_id AND v.kind = 'village'
    JOIN post p ON p.org_id = v.org_id AND held(p.start_date, p.end_date, d.date)
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
SELECT vd.cadre, vd.beneficiary_id, r.holder_id, vd.decision_id, vd.date, vd.date, vd.amount, k.relation,
       r.role, vd.village_name, 'company',
       [edge(vd.cadre, vd.agency_id, 'HOLDS_POST', vd.post_title, NULL, vd.post_start, vd.post_end),
        edge(vd.cadre, r.holder_id, 'RELATIVE_OF', k.relation, NULL, k.start_date, k.end_date),
        edge(r.holder_id, r.org_id, 'HOLDS_ROLE', r.role, r.share, r.start_date, r.end_date),
        edge(vd.decision_id, vd.agency_id, 'ISSUED_BY', vd.kind, NULL, vd.date, NULL),
        edge(vd.decision_id, vd.beneficiary_id, 'BENEFITS', vd.kind, NULL, vd.date, NULL)]
FROM vd
JOIN org c ON c.org_id = vd.beneficiary_id AND c.kind = 'company'
JOIN role r ON r.org_id = c.org_id AND held(r.start_date, r.end_date, vd.date)
JOIN kin k ON k.person_id = vd.cadre AND k.relative_id = r.holder_id
          AND list_contains($relations, k.relation) AND held(k.start_date, k.end_date, vd.date)
