-- undisclosed-relative-business: a relative's role in a company during a declared year that the declaration does
-- not list
WITH filed AS (
    SELECT DISTINCT person_id, year, make_date(CAST(year AS BIGINT), 1, 1) AS y0,
           make_date(CAST(year AS BIGINT), 12, 31) AS y1
    FROM declaration
)
SELECT f.person_id AS official_id, r.org_id, k.relative_id AS via_id, CAST(NULL AS VARCHAR) AS decision_id,
       f.y0 AS first_date, f.y1 AS last_date, CAST(NULL AS DOUBLE) AS amount, k.relation, r.role,
       CAST(f.year AS BIGINT) AS year,
       [edge(f.person_id, k.relative_id, 'RELATIVE_OF', k.relation, NULL, k.start_date, k.end_date),
        edge(k.relative_id, r.org_id, 'HOLDS_ROLE', r.role, r.share, r.start_date, r.end_date,
             reported := r.reported_on)] AS edges
FROM filed f
JOIN kin k ON k.person_id = f.person_id AND list_contains($relations, k.relation)
          AND (k.start_date IS NULL OR k.start_date <= f.y1) AND (k.end_date IS NULL OR k.end_date >= f.y0)
JOIN role r ON r.holder_id = k.relative_id
          AND (r.start_date IS NULL OR r.start_date <= f.y1) AND (r.end_date IS NULL OR r.end_date >= f.y0)
JOIN org c ON c.org_id = r.org_id AND c.kind = 'company'
WHERE NOT EXISTS (
    SELECT 1 FROM declaration x
    WHERE x.person_id = f.person_id AND x.year = f.year AND x.org_id = r.org_id
      AND (x.relative_id IS NULL OR x.relative_id = k.relative_id)
      AND (x.role IS NULL OR x.role = r.role))
