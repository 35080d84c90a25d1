-- post-retirement: a role taken after leaving office, within the cooling-off period after the latest leaving
-- before it. A post's end is a leaving when no other post covers any of the next reappointment_gap_days days; a
-- role's start is after leaving office when no post covers it (a role taken back in post is not one).
WITH leave AS MATERIALIZED (
    SELECT p.person_id, p.org_id AS agency_id, p.title AS post_title, p.rank, p.start_date AS post_start,
           p.end_date AS left_on, p.jurisdiction, p.portfolio,
           CASE WHEN list_contains($senior_ranks, p.rank) THEN $senior_years ELSE $junior_years END AS years
    FROM post p
    WHERE p.end_date IS NOT NULL
      AND NOT EXISTS (
          SELECT 1 FROM post q
          WHERE q.person_id = p.person_id AND q.rid <> p.rid
            AND q.start_date <= plus_days(p.end_date, $reappointment_gap_days)
            AND (q.end_date IS NULL OR q.end_date > p.end_date))
),
took AS (
    SELECT l.*, r.org_id, r.role AS taken_role, r.share, r.start_date AS role_start, r.end_date AS role_end,
           r.reported_on, c.region_code, c.industry_norm, a.name AS agency_name
    FROM leave l
    JOIN role r ON r.holder_id = l.person_id
               AND r.start_date > l.left_on
               AND r.start_date <= plus_years(l.left_on, l.years)
    JOIN org c ON c.org_id = r.org_id AND list_contains($org_kinds, c.kind)
    JOIN org a ON a.org_id = l.agency_id
    WHERE NOT EXISTS (  -- back in office on the role's start
          SELECT 1 FROM post q
          WHERE q.person_id = l.person_id AND q.start_date <= r.start_date
            AND (q.end_date IS NULL OR q.end_date >= r.start_date))
      AND NOT EXISTS (  -- a later leaving before the role's start: the window runs from that one
          SELECT 1 FROM leave m
          WHERE m.person_id = l.person_id AND m.left_on > l.left_on AND m.left_on < r.start_date)
),
decided AS (
    SELECT t.*, d.decision_id, d.date, d.amount, d.kind, dm.role AS maker_role
    FROM took t
    JOIN decision_maker dm ON dm.person_id = t.person_id
    JOIN decision d ON d.decision_id = dm.decision_id AND d.beneficiary_id = t.org_id AND d.date <= t.left_on
    WHERE EXISTS (  -- decided while in office: a post covers the decision's date
          SELECT 1 FROM post q WHERE q.person_id = t.person_id AND held(q.start_date, q.end_date, d.date))
)
SELECT person_id AS official_id, org_id, CAST(NULL AS VARCHAR) AS via_id, decision_id,
       date AS first_date, role_start AS last_date, amount,
       left_on, years, rank, post_title, agency_name, taken_role, role_start, 'decided' AS basis,
       [edge(person_id, agency_id, 'HOLDS_POST', post_title, NULL, post_start, left_on),
        edge(person_id, org_id, 'HOLDS_ROLE', taken_role, share, role_start, role_end, reported := reported_on),
        edge(person_id, decision_id, 'DECIDED', maker_role, NULL, date, NULL),
        edge(decision_id, org_id, 'BENEFITS', kind, NULL, date, NULL)] AS edges
FROM decided
UNION ALL
SELECT person_id, org_id, CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR),
       left_on, role_start, CAST(NULL AS DOUBLE),
       left_on, years, rank, post_title, agency_name, taken_role, role_start, 'jurisdiction',
       [edge(person_id, agency_id, 'HOLDS_POST', post_title, NULL, post_start, left_on),
        edge(person_id, org_id, 'HOLDS_ROLE', taken_role, share, role_start, role_end, reported := reported_on)]
FROM took
WHERE in_jurisdiction(region_code, jurisdiction)
  AND (list_contains(portfolio, '*') OR coalesce(industry_norm, '') <> '' AND list_contains(portfolio, industry_norm))
