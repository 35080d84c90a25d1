// indirect-relative-business: relative -> company -> ... -> beneficiary, every link a shareholder >= min_share in
// a company.
// Each official's relatives' shareholding chains are followed first (the companies they reach); the official's
// decisions are then read once and kept when the beneficiary is among those companies; dates are checked last.
// The officials are found from the DECIDED relationships' own index (which starts only at people), not by
// checking every person or every kinship for a decision.
MATCH (o)-[:DECIDED]->() WITH DISTINCT o
MATCH (o)-[k:RELATIVE_OF]->(rel:Person)
WHERE k.relation IN $relations
MATCH p = (rel)-[:HOLDS_ROLE]->()-[:HOLDS_ROLE*{{min_intermediates.min}}..{{max_intermediates.max}}]->(c:Company)
WHERE length(p) - 1 >= $min_intermediates AND length(p) - 1 <= $max_intermediates
  AND all(r IN relationships(p) WHERE r.role = 'shareholder' AND r.share >= $min_share)
  AND all(x IN nodes(p)[1..-1] WHERE x:Company)
  AND all(i IN range(1, length(p)) WHERE NOT nodes(p)[i] IN nodes(p)[0..i])
WITH o, collect([k, rel, p, c]) AS links, collect(DISTINCT c) AS companies
MATCH (o)-[dm:DECIDED]->(d:Decision)-[:BENEFITS]->(c)
WHERE c IN companies
UNWIND links AS link
WITH o, dm, d, c, link WHERE link[3] = c
WITH o, dm, d, c, link[0] AS k, link[1] AS rel, link[2] AS p
WHERE (k.start_date IS NULL OR k.start_date <= d.date) AND (k.end_date IS NULL OR k.end_date >= d.date)
  AND all(r IN relationships(p)
          WHERE (r.start_date IS NULL OR r.start_date <= d.date) AND (r.end_date IS NULL OR r.end_date >= d.date))
RETURN o.id AS official_id, c.id AS org_id, rel.id AS via_id, d.id AS decision_id,
       d.date AS first_date, d.date AS last_date, d.amount AS amount, k.relation AS relation,
       length(p) - 1 AS hops,
       [{src: o.id, dst: rel.id, type: 'RELATIVE_OF', label: k.relation, share: null,
         start: toString(k.start_date), end: toString(k.end_date)},
        {src: o.id, dst: d.id, type: 'DECIDED', label: dm.role, share: null, start: toString(d.date), end: null},
        {src: d.id, dst: c.id, type: 'BENEFITS', label: d.kind, share: null, start: toString(d.date), end: null}]
       + [r IN relationships(p) | {src: startNode(r).id, dst: endNode(r).id, type: 'HOLDS_ROLE',
                                   label: 'shareholder', share: r.share, start: toString(r.start_date),
                                   end: toString(r.end_date), reported_on: toString(r.reported_on)}] AS edges
