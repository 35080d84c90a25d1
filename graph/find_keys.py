"""Finding people and organizations by what Backend.find does not match: a resident ID (already normalized by the
caller) against persons' stored IDs, a part of a resident ID (six or more of its digits in a row, as an
investigator may hold an ID's last six), a credit code against organizations', and exact names (the names a pinyin
spelling stands for). Read-only queries over the graph's own tables, one per query language, values as parameters.
Rows come back as Backend.find gives them: {id, type, name, kind, matched, exact}."""

from __future__ import annotations

from typing import Any

from .backend import Backend

SQL = """
SELECT * FROM (
  SELECT person_id AS id, 'person' AS type, name, NULL AS kind,
         CASE WHEN id_number IN ($id_key, $raw) THEN 'resident_id' WHEN list_contains($names, name) THEN 'pinyin'
              ELSE 'resident_id_part' END AS matched,
         coalesce(id_number IN ($id_key, $raw) OR list_contains($names, name), false) AS exact
    FROM person WHERE id_number IN ($id_key, $raw) OR list_contains($names, name) OR contains(id_number, $id_part)
  UNION ALL
  SELECT org_id, 'organization', name, kind, 'credit_code', true FROM org WHERE credit_code IN ($code, $raw)
) ORDER BY CASE matched WHEN 'pinyin' THEN 1 WHEN 'resident_id_part' THEN 2 ELSE 0 END, name, id LIMIT $limit
"""

CYPHER = """
CALL () {
  MATCH (n:Person) WHERE n.id_number IN [$id_key, $raw] OR n.name IN $names OR n.id_number CONTAINS $id_part
  RETURN n.id AS id, 'person' AS type, n.name AS name, null AS kind,
         CASE WHEN n.id_number IN [$id_key, $raw] THEN 'resident_id' WHEN n.name IN $names THEN 'pinyin'
              ELSE 'resident_id_part' END AS matched,
         coalesce(n.id_number IN [$id_key, $raw] OR n.name IN $names, false) AS exact
  UNION ALL
  MATCH (n:Organization) WHERE n.credit_code IN [$code, $raw]
  RETURN n.id AS id, 'organization' AS type, n.name AS name, n.kind AS kind, 'credit_code' AS matched,
         true AS exact
}
RETURN id, type, name, kind, matched, exact
ORDER BY CASE matched WHEN 'pinyin' THEN 1 WHEN 'resident_id_part' THEN 2 ELSE 0 END, name, id LIMIT $limit
"""

NAMES = {"sql": "SELECT DISTINCT name FROM person WHERE name IS NOT NULL",
         "cypher": "MATCH (n:Person) WHERE n.name IS NOT NULL RETURN DISTINCT n.name AS name"}


def find_by_keys(backend: Backend, text: str, *, id_key: str | None = None, code: str | None = None,
                 names: list[str] | None = None, id_part: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """Persons whose resident ID is `id_key` (or the text as typed), whose name is among `names` (matched
    "pinyin"), or whose resident ID holds `id_part` (matched "resident_id_part", not exact); organizations whose
    credit code is `code` (or the text as typed). Whole matches first, then pinyin, then parts."""
    raw = "".join(text.split()).upper()
    params = {"raw": raw or "\x00", "id_key": id_key or "\x00", "code": code or "\x00", "names": list(names or []),
              "id_part": id_part or "\x00",
              "limit": int(limit)}
    return backend.run(SQL if backend.query_language == "sql" else CYPHER, params)


def person_names(backend: Backend) -> list[str]:
    """Every distinct person name (for a pinyin index)."""
    return [r["name"] for r in backend.run(NAMES[backend.query_language], {})]
