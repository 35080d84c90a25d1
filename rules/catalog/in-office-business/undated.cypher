// in-office-business, undated: roles without a start date that the rule would check if it knew when they began:
// a role of `roles` at an organization of `org_kinds`, held by someone with a post (of a rank not exempt) that the
// role did not end before. The reason says whether a post covers the date a source first recorded the role.
// Each official's posts are gathered first and their roles read from there.
MATCH (o:Person)-[p:HOLDS_POST]->(a:Organization)
WHERE p.rank IS NULL OR NOT p.rank IN $exempt_ranks
WITH o, collect([p, a]) AS posts
MATCH (o)-[r:HOLDS_ROLE]->(c:Organization)
WHERE r.start_date IS NULL AND r.role IN $roles AND c.kind IN $org_kinds
UNWIND posts AS post
WITH o, r, c, post[0] AS p, post[1] AS a
WHERE r.end_date IS NULL OR r.end_date >= p.start_date
WITH o, r, c, p, a,
     coalesce(p.start_date <= r.reported_on AND (p.end_date IS NULL OR p.end_date >= r.reported_on), false) AS covers
WITH o, r, c, min(p.start_date) AS post_start, min(CASE WHEN covers THEN a.name + p.title END) AS post,
     max(CASE WHEN covers THEN 1 ELSE 0 END) AS covered
RETURN o.id AS holder_id, c.id AS org_id, r.role AS role, r.end_date AS end_date, r.reported_on AS reported_on,
       post_start, post, CASE WHEN covered = 1 THEN 'recorded_in_office' ELSE 'no_start' END AS reason
