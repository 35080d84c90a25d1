-- in-office-business: a business role held on a day the official held a post of a rank not exempt; each atom is
-- one role and one post it overlaps, dated by the overlap (an overlap still open runs to the sweep's date)
SELECT p.person_id AS official_id, r.org_id, CAST(NULL AS VARCHAR) AS via_id, CAST(NULL AS VARCHAR) AS decision_id,
       greatest(r.start_date, p.start_date) AS first_date,
       CASE WHEN r.end_date IS NULL AND p.end_date IS NULL
            THEN greatest(r.start_date, p.start_date, CAST($as_of AS DATE))
            ELSE least(r.end_date, p.end_date) END AS last_date,
       CAST(NULL AS DOUBLE) AS amount, r.role, a.name || p.title AS post,
       CASE WHEN r.end_date IS NULL AND p.end_date IS NULL
                 AND CAST($as_of AS DATE) >= greatest(r.start_date, p.start_date) THEN 'open'
            ELSE 'ended' END AS overlap,
       [edge(p.person_id, p.org_id, 'HOLDS_POST', p.title, NULL, p.start_date, p.end_date),
        edge(r.holder_id, r.org_id, 'HOLDS_ROLE', r.role, r.share, r.start_date, r.end_date,
             reported := r.reported_on)] AS edges
FROM post p
JOIN org a ON a.org_id = p.org_id
JOIN role r ON r.holder_id = p.person_id AND r.start_date IS NOT NULL AND list_contains($roles, r.role)
          AND (p.end_date IS NULL OR r.start_date <= p.end_date)
          AND (r.end_date IS NULL OR r.end_date >= p.start_date)
JOIN org c ON c.org_id = r.org_id AND list_contains($org_kinds, c.kind)
WHERE p.rank IS NULL OR NOT list_contains($exempt_ranks, p.rank)
