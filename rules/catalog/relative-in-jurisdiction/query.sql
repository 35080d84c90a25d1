-- relative-in-jurisdiction: a close relative's role, during the tenure, in a company in the post's jurisdiction
-- and portfolio; dated by the overlap of post, kinship and role (an empty date is open; greatest and least pass
-- over them), an overlap still open running to the sweep's date
SELECT p.person_id AS official_id, r.org_id, k.relative_id AS via_id, CAST(NULL AS VARCHAR) AS decision_id,
       greatest(p.start_date, k.start_date, r.start_date) AS first_date,
       coalesce(least(p.end_date, k.end_date, r.end_date), greatest(first_date, CAST($as_of AS DATE))) AS last_date,
       CASE WHEN least(p.end_date, k.end_date, r.end_date) IS NULL AND CAST($as_of AS DATE) >= first_date
            THEN 'open' ELSE 'ended' END AS overlap,
       CAST(NULL AS DOUBLE) AS amount, k.relation, r.role, p.rank, p.title AS post_title, a.name AS agency_name,
       [edge(p.person_id, p.org_id, 'HOLDS_POST', p.title, NULL, p.start_date, p.end_date),
        edge(p.person_id, k.relative_id, 'RELATIVE_OF', k.relation, NULL, k.start_date, k.end_date),
        edge(k.relative_id, r.org_id, 'HOLDS_ROLE', r.role, r.share, r.start_date, r.end_date,
             reported := r.reported_on)] AS edges
FROM post p
JOIN org a ON a.org_id = p.org_id
JOIN kin k ON k.person_id = p.person_id AND list_contains($relations, k.relation)
          AND (k.start_date IS NULL OR p.end_date IS NULL OR k.start_date <= p.end_date)
          AND (k.end_date IS NULL OR k.end_date >= p.start_date)
JOIN role r ON r.holder_id = k.relative_id
          AND (r.start_date IS NULL OR p.end_date IS NULL OR r.start_date <= p.end_date)
          AND (r.end_date IS NULL OR r.end_date >= p.start_date)
JOIN org c ON c.org_id = r.org_id AND c.kind = 'company'
WHERE list_contains($ranks, p.rank)
  AND (least(p.end_date, k.end_date, r.end_date) IS NULL
       OR greatest(p.start_date, k.start_date, r.start_date) <= least(p.end_date, k.end_date, r.end_date))
  AND in_jurisdiction(c.region_code, p.jurisdiction)
  AND (list_contains(p.portfolio, '*')
       OR coalesce(c.industry_norm, '') <> '' AND list_contains(p.portfolio, c.industry_norm))
