-- indirect-relative-business: relative -> company -> ... -> beneficiary, every link a shareholder >= min_share in
-- a company
WITH RECURSIVE
dec AS (
    SELECT dm.person_id AS official_id, dm.role AS maker_role, d.decision_id, d.date, d.amount, d.kind,
           d.beneficiary_id AS target, k.relative_id, k.relation, k.start_date AS k_start, k.end_date AS k_end
    FROM decision_maker dm
    JOIN decision d ON d.decision_id = dm.decision_id
    JOIN org c ON c.org_id = d.beneficiary_id AND c.kind = 'company'
    JOIN kin k ON k.person_id = dm.person_id
              AND list_contains($relations, k.relation)
              AND held(k.start_date, k.end_date, d.date)
),
-- a role's organization is always in org (a dataset naming an undefined id is refused), so "a company" is "not one
-- of the few organizations of another kind": an anti-join with those instead of a join with every company
link AS (
    SELECT holder_id, org_id, share, start_date, end_date, reported_on FROM role
    WHERE role = 'shareholder' AND share >= $min_share
      AND org_id NOT IN (SELECT org_id FROM org WHERE kind IS DISTINCT FROM 'company')
),
chain AS (
    SELECT dec.*, l.org_id AS cur, 1 AS depth, [l.org_id] AS visited,
           [edge(dec.relative_id, l.org_id, 'HOLDS_ROLE', 'shareholder', l.share, l.start_date, l.end_date,
                 reported := l.reported_on)] AS links
    FROM dec JOIN link l ON l.holder_id = dec.relative_id AND held(l.start_date, l.end_date, dec.date)
    UNION ALL
    SELECT ch.official_id, ch.maker_role, ch.decision_id, ch.date, ch.amount, ch.kind, ch.target, ch.relative_id,
           ch.relation, ch.k_start, ch.k_end, l.org_id, ch.depth + 1, list_append(ch.visited, l.org_id),
           list_append(ch.links, edge(ch.cur, l.org_id, 'HOLDS_ROLE', 'shareholder', l.share, l.start_date,
                                      l.end_date, reported := l.reported_on))
    FROM chain ch
    JOIN link l ON l.holder_id = ch.cur AND held(l.start_date, l.end_date, ch.date)
    WHERE ch.depth <= $max_intermediates
      AND ch.cur <> ch.target
      AND NOT list_contains(ch.visited, l.org_id)
)
SELECT
    official_id,
    target       AS org_id,
    relative_id  AS via_id,
    decision_id,
    date         AS first_date,
    date         AS last_date,
    amount,
    relation,
    depth - 1    AS hops,
    list_concat(
        [edge(official_id, relative_id, 'RELATIVE_OF', relation, NULL, k_start, k_end),
         edge(official_id, decision_id, 'DECIDED', maker_role, NULL, date, NULL),
         edge(decision_id, target, 'BENEFITS', kind, NULL, date, NULL)],
        links) AS edges
FROM chain
WHERE cur = target AND depth - 1 BETWEEN $min_intermediates AND $max_intermediates
