"""Finding people and organizations by what an investigator types: a name (or part of one, or an alias), an id
(also a merged person's source id), a resident ID or a credit code (already normalized by the caller). Read-only
queries over the graph's own tables, one per query language, values as parameters.

Used by the workbench's search until the backends offer `find(text, limit)` themselves (api.entities switches to
that when present)."""

from __future__ import annotations

from typing import Any

from .backend import Backend

SQL = """
SELECT * FROM (
  SELECT person_id AS id, 'person' AS type, name, NULL AS kind, id_number AS key,
         CASE WHEN person_id = $exact OR list_contains(source_ids, $exact) THEN 0
              WHEN id_number IN ($id_key, $exact_upper) THEN 0 WHEN name = $exact THEN 1 ELSE 2 END AS rank
    FROM person
   WHERE person_id = $exact OR list_contains(source_ids, $exact) OR id_number IN ($id_key, $exact_upper)
      OR contains(lower(name), $text) OR list_contains(aliases, $exact) OR list_contains($names, name)
  UNION ALL
  SELECT org_id, 'organization', name, kind, credit_code,
         CASE WHEN org_id = $exact OR credit_code IN ($code, $exact_upper) THEN 0 WHEN name = $exact THEN 1
              ELSE 2 END
    FROM org
   WHERE org_id = $exact OR credit_code IN ($code, $exact_upper) OR contains(lower(name), $text)
      OR list_contains($names, name)
  UNION ALL
  SELECT decision_id, 'decision', coalesce(title, decision_id), kind, NULL, 0 FROM decision
   WHERE decision_id = $exact
) ORDER BY rank, length(name), name, id LIMIT $limit
"""

CYPHER = """
CALL () {
  MATCH (n:Person)
  WHERE n.id = $exact OR $exact IN coalesce(n.source_ids, []) OR n.id_number IN [$id_key, $exact_upper]
     OR toLower(n.name) CONTAINS $text OR $exact IN coalesce(n.aliases, []) OR n.name IN $names
  RETURN n.id AS id, 'person' AS type, n.name AS name, null AS kind, n.id_number AS key,
         CASE WHEN n.id = $exact OR $exact IN coalesce(n.source_ids, []) THEN 0
              WHEN n.id_number IN [$id_key, $exact_upper] THEN 0 WHEN n.name = $exact THEN 1 ELSE 2 END AS rank
  UNION ALL
  MATCH (n:Organization)
  WHERE n.id = $exact OR n.credit_code IN [$code, $exact_upper] OR toLower(n.name) CONTAINS $text
     OR n.name IN $names
  RETURN n.id AS id, 'organization' AS type, n.name AS name, n.kind AS kind, n.credit_code AS key,
         CASE WHEN n.id = $exact OR n.credit_code IN [$code, $exact_upper] THEN 0 WHEN n.name = $exact THEN 1
              ELSE 2 END AS rank
  UNION ALL
  MATCH (n:Decision {id: $exact})
  RETURN n.id AS id, 'decision' AS type, coalesce(n.title, n.id) AS name, n.kind AS kind, null AS key, 0 AS rank
}
RETURN id, type, name, kind, key, rank ORDER BY rank, size(name), name, id LIMIT $limit
"""

NAMES = {"sql": "SELECT DISTINCT name FROM person WHERE name IS NOT NULL",
         "cypher": "MATCH (n:Person) WHERE n.name IS NOT NULL RETURN DISTINCT n.name AS name"}


def find(backend: Backend, text: str, limit: int = 20, *, id_key: str | None = None, code: str | None = None,
         names: list[str] | None = None) -> list[dict[str, Any]]:
    """Entities matching `text`: exact ids first, then exact names, then names containing it (shortest first).
    `id_key` / `code`: the text as a normalized resident ID / credit code; `names`: names it stands for (e.g.
    found by pinyin)."""
    exact = text.strip()
    params = {"exact": exact, "exact_upper": exact.upper(), "text": exact.lower(), "id_key": id_key or "",
              "code": code or "", "names": list(names or []), "limit": int(limit)}
    query = SQL if backend.query_language == "sql" else CYPHER
    return backend.run(query, params)


def person_names(backend: Backend) -> list[str]:
    """Every distinct person name (for a pinyin index)."""
    return [r["name"] for r in backend.run(NAMES[backend.query_language], {})]
