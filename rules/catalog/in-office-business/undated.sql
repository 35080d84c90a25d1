-- in-office-business, undated: roles without a start date that the rule would check if it knew when they began:
-- a role of `roles` at an organization of `org_kinds`, held by someone with a post (of a rank not exempt) that the
-- role did not end before. The reason says whether a post covers the date a source first recorded the role.
WITH candidate AS (
    SELECT r.rid, r.holder_id, r.org_id, r.role, r.end_date, r.reported_on, p.start_date AS post_start,
           a.name || p.title AS post,
           coalesce(p.start_date <= r.reported_on AND (p.end_date IS NULL OR p.end_date >= r.reported_on), false)
               AS covers
    FROM post p
    JOIN org a ON a.org_id = p.org_id
    JOIN role r ON r.holder_id = p.person_id AND r.start_date IS NULL AND list_contains($roles, r.role)
              AND (r.end_date IS NULL OR r.end_date >= p.start_date)
    JOIN org c ON c.org_id = r.org_id AND list_contains($org_kinds, c.kind)
    WHERE p.rank IS NULL OR NOT list_contains($exempt_ranks, p.rank)
)
SELECT holder_id, org_id, role, end_date, reported_on, min(post_start) AS post_start,
       min(post) FILTER (WHERE covers) AS post,
       CASE WHEN bool_or(covers) THEN 'recorded_in_office' ELSE 'no_start' END AS reason
FROM candidate
GROUP BY rid, holder_id, org_id, role, end_date, reported_on
