-- bid-collusion: bidders in one tender sharing a holder (on the tender date), an address or a phone
WITH bidder AS MATERIALIZED (
    SELECT b.tender_id, d.date, b.org_id, o.name, o.address_norm, o.phone_norm
    FROM (SELECT DISTINCT tender_id, org_id FROM bid) b
    JOIN decision d ON d.decision_id = b.tender_id
    JOIN org o ON o.org_id = b.org_id
),
-- (tender, holder) where one holder (a person or a company) holds roles, on the tender date, in two or more of
-- its bidders
tender_holder AS MATERIALIZED (
    SELECT a.tender_id, r.holder_id
    FROM bidder a JOIN role r ON r.org_id = a.org_id AND held(r.start_date, r.end_date, a.date)
    GROUP BY ALL HAVING count(*) > 1  -- two roles in one company are weeded out below (b.org_id <> a.org_id)
),
holder_kind AS MATERIALIZED (  -- holders that are organizations of another kind than company
    SELECT DISTINCT th.holder_id FROM tender_holder th JOIN org o ON o.org_id = th.holder_id AND o.kind <> 'company'
),
-- the roles of those holders, read once
holder_role AS MATERIALIZED (
    SELECT * FROM role WHERE holder_id IN (SELECT holder_id FROM tender_holder)
),
holder_reach AS (
    SELECT holder_id, count(DISTINCT org_id) AS n FROM holder_role GROUP BY holder_id
),
-- pairs of bidders in one tender with the same address or phone (most addresses and phones are shared by a few
-- organizations, but two bidders of one tender rarely share one), then one row per pair and shared value
pair AS MATERIALIZED (
    SELECT a.tender_id, a.date, a.org_id, a.address_norm, a.phone_norm, b.org_id AS other_org,
           b.name AS other_name, b.address_norm AS other_address, b.phone_norm AS other_phone
    FROM bidder a JOIN bidder b ON b.tender_id = a.tender_id AND b.org_id <> a.org_id
                               AND (b.address_norm = a.address_norm AND a.address_norm <> ''
                                    OR b.phone_norm = a.phone_norm AND a.phone_norm <> '')
),
contact AS MATERIALIZED (
    SELECT tender_id, date, org_id, other_org, other_name, 'address' AS link, 'SHARES_ADDRESS' AS edge_type,
           address_norm AS value
    FROM pair WHERE other_address = address_norm AND address_norm <> ''
    UNION ALL
    SELECT tender_id, date, org_id, other_org, other_name, 'phone', 'SHARES_PHONE', phone_norm
    FROM pair WHERE other_phone = phone_norm AND phone_norm <> ''
),
-- of those values, the ones two to max_shared_orgs organizations have
shared AS (
    SELECT 'address' AS link, address_norm AS value FROM org
    WHERE address_norm IN (SELECT value FROM contact WHERE link = 'address')
    GROUP BY 2 HAVING count(*) BETWEEN 2 AND $max_shared_orgs
    UNION ALL
    SELECT 'phone', phone_norm FROM org
    WHERE phone_norm IN (SELECT value FROM contact WHERE link = 'phone')
    GROUP BY 2 HAVING count(*) BETWEEN 2 AND $max_shared_orgs
)
SELECT CAST(NULL AS VARCHAR) AS official_id, a.org_id, r1.holder_id AS via_id, a.tender_id AS decision_id,
       a.date AS first_date, a.date AS last_date, CAST(NULL AS DOUBLE) AS amount, b.org_id AS other_bidder,
       b.name AS other_name, 'holder' AS link,
       [edge(a.org_id, a.tender_id, 'BID', NULL, NULL, a.date, NULL),
        edge(b.org_id, a.tender_id, 'BID', NULL, NULL, a.date, NULL),
        edge(r1.holder_id, a.org_id, 'HOLDS_ROLE', r1.role, r1.share, r1.start_date, r1.end_date,
             reported := r1.reported_on),
        edge(r2.holder_id, b.org_id, 'HOLDS_ROLE', r2.role, r2.share, r2.start_date, r2.end_date,
             reported := r2.reported_on)] AS edges
FROM tender_holder th
JOIN holder_reach h ON h.holder_id = th.holder_id AND h.n <= $max_shared_orgs
          AND th.holder_id NOT IN (SELECT holder_id FROM holder_kind)
JOIN bidder a ON a.tender_id = th.tender_id
JOIN holder_role r1 ON r1.org_id = a.org_id AND r1.holder_id = th.holder_id AND held(r1.start_date, r1.end_date, a.date)
JOIN bidder b ON b.tender_id = th.tender_id AND b.org_id <> a.org_id
JOIN holder_role r2 ON r2.org_id = b.org_id AND r2.holder_id = th.holder_id AND held(r2.start_date, r2.end_date, a.date)
UNION ALL
SELECT NULL, a.org_id, NULL, a.tender_id, a.date, a.date, NULL, a.other_org, a.other_name, a.link,
       [edge(a.org_id, a.tender_id, 'BID', NULL, NULL, a.date, NULL),
        edge(a.other_org, a.tender_id, 'BID', NULL, NULL, a.date, NULL),
        edge(a.org_id, a.other_org, a.edge_type, a.value, NULL, NULL, NULL)]
FROM contact a SEMI JOIN shared s ON s.link = a.link AND s.value = a.value
