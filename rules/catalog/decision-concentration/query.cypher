// decision-concentration: one company receives at least min_share of an official's decisions.
// One official at a time: their distinct decisions are read once, counted, and grouped by beneficiary company.
MATCH (o:Person) WHERE COUNT { (o)-[:DECIDED]->() } >= $min_decisions  // cheap: roles, not yet distinct decisions
CALL (o) {
  MATCH (o)-[:DECIDED]->(d:Decision)
  WITH collect(DISTINCT d) AS made
  WITH made, size(made) AS total WHERE total >= $min_decisions
  UNWIND made AS d
  MATCH (d)-[:BENEFITS]->(c)
  WITH total, c, collect(d) AS ds
  WHERE toFloat(size(ds)) / total >= $min_share AND c:Company
  RETURN total, c, ds
}
UNWIND ds AS d
RETURN o.id AS official_id, c.id AS org_id, null AS via_id, d.id AS decision_id,
       d.date AS first_date, d.date AS last_date, d.amount AS amount,
       total AS official_total, size(ds) AS company_count,
       toString(toInteger(round(100.0 * size(ds) / total))) + '%' AS company_share,
       [{src: o.id, dst: d.id, type: 'DECIDED', label: null, share: null, start: toString(d.date), end: null},
        {src: d.id, dst: c.id, type: 'BENEFITS', label: d.kind, share: null, start: toString(d.date), end: null}
       ] AS edges
