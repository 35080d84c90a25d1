-- bid-collusion: bidders in one tender sharing a holder (on the tender date), an address or a phone
WITH bidder AS (
    SELECT DISTINCT b.tender_id, d.date, b.org_id, o.name, o.address_norm, o.phone_norm
    FROM bid b
    JOIN decision d ON d.decision_id = b.tender_id
    JOIN org o ON o.org_id = b.org_id
),
pair AS (
    SELECT a.tender_id, a.date, a.org_id, b.org_id AS other_bidder, b.name AS other_name,
           a.address_norm, b.address_norm AS other_address, a.phone_norm, b.phone_norm AS other_phone
    FROM bidder a JOIN bidder b ON a.tender_id = b.tender_id AND a.org_id <> b.org_id
),
holder_reach AS (SELECT holder_id, count(DISTINCT org_id) AS n FROM role GROUP BY holder_id),
address_reach AS (SELECT address_norm, count(*) AS n FROM org WHERE coalesce(address_norm, '') <> '' GROUP BY 1),
phone_reach AS (SELECT phone_norm, count(*) AS n FROM org WHERE coalesce(phone_norm, '') <> '' GROUP BY 1)
SELECT CAST(NULL AS VARCHAR) AS official_id, p.org_id, r1.holder_id AS via_id, p.tender_id AS decision_id,
       p.date AS first_date, p.date AS last_date, CAST(NULL AS DOUBLE) AS amount, p.other_bidder, p.other_name,
       'holder' AS link,
       [edge(p.org_id, p.tender_id, 'BID', NULL, NULL, p.date, NULL),
        edge(p.other_bidder, p.tender_id, 'BID', NULL, NULL, p.date, NULL),
        edge(r1.holder_id, p.org_id, 'HOLDS_ROLE', r1.role, r1.share, r1.start_date, r1.end_date),
        edge(r2.holder_id, p.other_bidder, 'HOLDS_ROLE', r2.role, r2.share, r2.start_date, r2.end_date)] AS edges
FROM pair p
JOIN role r1 ON r1.org_id = p.org_id AND held(r1.start_date, r1.end_date, p.date)
JOIN role r2 ON r2.org_id = p.other_bidder AND r2.holder_id = r1.holder_id AND held(r2.start_date, r2.end_date, p.date)
JOIN holder_reach h ON h.holder_id = r1.holder_id AND h.n <= $max_shared_orgs
UNION ALL
SELECT NULL, p.org_id, NULL, p.tender_id, p.date, p.date, NULL, p.other_bidder, p.other_name, 'address',
       [edge(p.org_id, p.tender_id, 'BID', NULL, NULL, p.date, NULL),
        edge(p.other_bidder, p.tender_id, 'BID', NULL, NULL, p.date, NULL),
        edge(p.org_id, p.other_bidder, 'SHARES_ADDRESS', p.address_norm, NULL, NULL, NULL)]
FROM pair p
JOIN address_reach ar ON ar.address_norm = p.address_norm AND ar.n <= $max_shared_orgs
WHERE p.address_norm = p.other_address
UNION ALL
SELECT NULL, p.org_id, NULL, p.tender_id, p.date, p.date, NULL, p.other_bidder, p.other_name, 'phone',
       [edge(p.org_id, p.tender_id, 'BID', NULL, NULL, p.date, NULL),
        edge(p.other_bidder, p.tender_id, 'BID', NULL, NULL, p.date, NULL),
        edge(p.org_id, p.other_bidder, 'SHARES_PHONE', p.phone_norm, NULL, NULL, NULL)]
FROM pair p
JOIN phone_reach pr ON pr.phone_norm = p.phone_norm AND pr.n <= $max_shared_orgs
WHERE p.phone_norm = p.other_phone
