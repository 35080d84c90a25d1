// in-office-business: a business role held on a day the official held a post of a rank not exempt; each atom is
// one role and one post it overlaps, dated by the overlap (an overlap still open runs to the sweep's date).
// Each official's posts are gathered first and their roles read from there, so that only officials' roles are
// read, never every role of every holder.
MATCH (o:Person)-[p:HOLDS_POST]->(a:Organization)
WHERE p.rank IS NULL OR NOT p.rank IN $exempt_ranks
WITH o, collect([p, a]) AS posts
MATCH (o)-[r:HOLDS_ROLE]->(c:Organization)
WHERE r.start_date IS NOT NULL AND r.role IN $roles AND c.kind IN $org_kinds
UNWIND posts AS post
WITH o, r, c, post[0] AS p, post[1] AS a
WHERE (p.end_date IS NULL OR r.start_date <= p.end_date) AND (r.end_date IS NULL OR r.end_date >= p.start_date)
WITH o, p, a, r, c, CASE WHEN r.start_date > p.start_date THEN r.start_date ELSE p.start_date END AS first
RETURN o.id AS official_id, c.id AS org_id, null AS via_id, null AS decision_id, first AS first_date,
       CASE WHEN r.end_date IS NULL AND p.end_date IS NULL
              THEN CASE WHEN $as_of IS NULL OR date($as_of) < first THEN first ELSE date($as_of) END
            WHEN r.end_date IS NULL THEN p.end_date
            WHEN p.end_date IS NULL OR r.end_date < p.end_date THEN r.end_date
            ELSE p.end_date END AS last_date,
       null AS amount, r.role AS role, a.name + p.title AS post,
       CASE WHEN r.end_date IS NULL AND p.end_date IS NULL AND $as_of IS NOT NULL AND date($as_of) >= first
            THEN 'open' ELSE 'ended' END AS overlap,
       [{src: o.id, dst: a.id, type: 'HOLDS_POST', label: p.title, share: null, start: toString(p.start_date),
         end: toString(p.end_date)},
        {src: o.id, dst: c.id, type: 'HOLDS_ROLE', label: r.role, share: r.share, start: toString(r.start_date),
         end: toString(r.end_date), reported_on: toString(r.reported_on)}] AS edges
