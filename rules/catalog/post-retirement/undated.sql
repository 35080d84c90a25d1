-- post-retirement, undated: roles without a start date that the rule would check if it knew when they began. A
-- role counts when its holder left office, it is at an organization of org_kinds that the official decided for
-- while in office (a post covered the decision's date) before leaving, or that lies in the post's jurisdiction and
-- portfolio, and it may have begun after that leaving (it did not end on or before it, and no source recorded it on
-- or before it).
WITH leave AS MATERIALIZED (
    SELECT p.person_id, p.end_date AS left_on, p.jurisdiction, p.portfolio
    FROM post p
    WHERE p.end_date IS NOT NULL
      AND NOT EXISTS (
          SELECT 1 FROM post q
          WHERE q.person_id = p.person_id AND q.rid <> p.rid
            AND q.start_date <= plus_days(p.end_date, $reappointment_gap_days)
            AND (q.end_date IS NULL OR q.end_date > p.end_date))
),
candidate AS (
    SELECT r.rid, r.holder_id, r.org_id, r.role, r.end_date, r.reported_on, l.left_on
    FROM leave l
    JOIN role r ON r.holder_id = l.person_id AND r.start_date IS NULL
               AND (r.end_date IS NULL OR r.end_date > l.left_on)
               AND (r.reported_on IS NULL OR r.reported_on > l.left_on)
    JOIN org c ON c.org_id = r.org_id AND list_contains($org_kinds, c.kind)
    WHERE (in_jurisdiction(c.region_code, l.jurisdiction)
           AND (list_contains(l.portfolio, '*')
                OR coalesce(c.industry_norm, '') <> '' AND list_contains(l.portfolio, c.industry_norm)))
       OR EXISTS (
           SELECT 1 FROM decision_maker dm JOIN decision d ON d.decision_id = dm.decision_id
           WHERE dm.person_id = l.person_id AND d.beneficiary_id = r.org_id AND d.date <= l.left_on
             AND EXISTS (SELECT 1 FROM post q  -- decided while in office: a post covers the decision's date
                         WHERE q.person_id = l.person_id AND held(q.start_date, q.end_date, d.date)))
)
SELECT holder_id, org_id, role, end_date, reported_on, min(left_on) AS left_on,
       CASE WHEN reported_on IS NULL THEN 'no_start' ELSE 'recorded_after_leaving' END AS reason
FROM candidate
GROUP BY rid, holder_id, org_id, role, end_date, reported_on
