"""The normalized graph model shared by every backend.

Loaders produce one Arrow table per table below (backends also take pandas DataFrames), with exactly these
columns (in this order) and canonical (entity-resolved) ids. Backends store them; rules query them.
Labels and relationship types that may appear in a query come only from the whitelists here.
"""

from __future__ import annotations

from dataclasses import dataclass

from .vocabulary import ORG_KIND, RELATION

# Column types: str, date, float, int, bool, list (of str), json (a JSON object as text)


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[tuple[str, str], ...]
    key: tuple[str, ...]  # what makes a row unique (for idempotent loads)

    @property
    def column_names(self) -> list[str]:
        return [c for c, _ in self.columns]

    def types(self) -> dict[str, str]:
        return dict(self.columns)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "person",
            (
                ("person_id", "str"), ("name", "str"), ("id_number", "str"), ("birth_date", "date"),
                ("gender", "str"), ("aliases", "list"), ("source_ids", "list"), ("props", "json"),
            ),
            ("person_id",),
        ),
        Table(
            "org",
            (
                ("org_id", "str"), ("name", "str"), ("kind", "str"), ("credit_code", "str"),
                ("region", "str"), ("region_code", "str"), ("industry", "str"), ("industry_norm", "str"),
                ("address", "str"), ("address_norm", "str"), ("phone", "str"), ("phone_norm", "str"),
                ("founded_on", "date"), ("props", "json"),
            ),
            ("org_id",),
        ),
        Table(
            "post",
            (
                ("rid", "str"), ("person_id", "str"), ("org_id", "str"), ("title", "str"), ("rank", "str"),
                ("start_date", "date"), ("end_date", "date"), ("end_reason", "str"), ("region", "str"),
                ("jurisdiction", "str"), ("portfolio", "list"), ("props", "json"),
            ),
            ("rid",),
        ),
        Table(
            "kin",
            (
                ("rid", "str"), ("person_id", "str"), ("relative_id", "str"), ("relation", "str"),
                ("start_date", "date"), ("end_date", "date"), ("stated", "bool"), ("props", "json"),
            ),
            ("rid",),
        ),
        Table(
            "role",
            (
                ("rid", "str"), ("holder_id", "str"), ("org_id", "str"), ("role", "str"), ("share", "float"),
                ("start_date", "date"), ("end_date", "date"), ("reported_on", "date"), ("props", "json"),
            ),
            ("rid",),
        ),
        Table(
            "decision",
            (
                ("decision_id", "str"), ("kind", "str"), ("date", "date"), ("agency_id", "str"),
                ("beneficiary_id", "str"), ("amount", "float"), ("title", "str"), ("region", "str"),
                ("region_code", "str"), ("industry", "str"), ("industry_norm", "str"), ("props", "json"),
            ),
            ("decision_id",),
        ),
        Table(
            "decision_maker",
            (("rid", "str"), ("decision_id", "str"), ("person_id", "str"), ("role", "str"), ("props", "json")),
            ("rid",),
        ),
        Table(
            "bid",
            (
                ("rid", "str"), ("tender_id", "str"), ("org_id", "str"), ("amount", "float"), ("won", "bool"),
                ("props", "json"),
            ),
            ("rid",),
        ),
        Table(
            "declaration",
            (
                ("rid", "str"), ("person_id", "str"), ("year", "int"), ("relative_id", "str"), ("org_id", "str"),
                ("role", "str"), ("props", "json"),
            ),
            ("rid",),
        ),
    )
}

# Which contract file fills which table (the loader's map; rules name files as their inputs).
FILE_TABLE = {
    "people.csv": "person",
    "organizations.csv": "org",
    "positions.csv": "post",
    "relatives.csv": "kin",
    "company_roles.csv": "role",
    "decisions.csv": "decision",
    "decision_makers.csv": "decision_maker",
    "bids.csv": "bid",
    "declarations.csv": "declaration",
}

# What a table's rows are, as a person reading a load's summary says them (singular, plural): a load stores what
# its files' rows say, not one row per row (records of one person are one person, a relatives row links both ways).
TABLE_NOUNS = {
    "person": ("person", "people"),
    "org": ("organization", "organizations"),
    "post": ("post", "posts"),
    "kin": ("kinship link", "kinship links"),
    "role": ("company role", "company roles"),
    "decision": ("decision", "decisions"),
    "decision_maker": ("decision-maker link", "decision-maker links"),
    "bid": ("bid", "bids"),
    "declaration": ("declaration entry", "declaration entries"),
}
assert set(TABLE_NOUNS) == set(FILE_TABLE.values()), "every table needs the words a load's summary says it in"


def stored_counts(counts: dict[str, int]) -> str:
    """A graph's (or a load's) tables as a summary says them: 433 people, 911 organizations, 178 kinship links
    (counted each way) ...; empty tables left out, "nothing" when every one is."""
    said = []
    for table, n in counts.items():
        if n and table in TABLE_NOUNS:
            one, many = TABLE_NOUNS[table]
            said.append(f"{n:,} {one if n == 1 else many}" + (" (counted each way)" if table == "kin" else ""))
    return ", ".join(said) or "nothing"


# Neo4j labels: whitelisted, never taken from data.
ORG_KIND_LABEL = {"company": "Company", "agency": "Agency", "village": "Village", "institution": "Institution",
                  "association": "Association", "other": "OtherOrg"}
assert set(ORG_KIND_LABEL) == set(ORG_KIND.ids), "every organization kind needs its Neo4j label"
NODE_LABELS = frozenset({"Entity", "Person", "Organization", "Decision", "Declaration", *ORG_KIND_LABEL.values()})
# Every node a load writes has exactly one of these: an entity (a person or an organization), a decision, a
# declaration row.
NODE_GROUPS = ("Entity", "Decision", "Declaration")
# Each relationship type with the groups of its start and end nodes.
REL_ENDS = {
    "HOLDS_POST": ("Entity", "Entity"), "RELATIVE_OF": ("Entity", "Entity"), "HOLDS_ROLE": ("Entity", "Entity"),
    "ISSUED_BY": ("Decision", "Entity"), "BENEFITS": ("Decision", "Entity"), "DECIDED": ("Entity", "Decision"),
    "BID": ("Entity", "Decision"), "FILED": ("Entity", "Declaration"),
}
REL_TYPES = frozenset(REL_ENDS)


def between_entities(rel_type: str) -> bool:
    """A relationship between two people or organizations (a post, kinship, a company role), not one with a
    decision or a declaration: what a neighbourhood shows first (an agency's officials before its decisions)."""
    return REL_ENDS.get(rel_type) == ("Entity", "Entity")

# What marks govties' own data in a store it shares with others (README "Security").
# - Neo4j: every node govties writes carries the label GRAPH_LABEL besides its model labels; govties' relationships
#   are those of REL_TYPES between two such nodes. Labels starting with "Govties" (GovtiesLoad, GovtiesMeta, and any
#   a workbench adds) are govties' non-graph data: never swept, counted or read as graph.
# - DuckDB: the model's tables, and tables whose names start with "govties_" (META_TABLE, and any a workbench adds).
GRAPH_LABEL = "Govties"
META_LABEL = "GovtiesMeta"
META_TABLE = "govties_meta"
OWN_PREFIX = "govties"  # reserved: DuckDB tables govties_*, Neo4j labels Govties*, property names govties*
GRAPH_FORMAT = "govties-graph"
FORMAT_VERSION = 1  # of the stored graph; a store without a record was written before records were kept


def reserved_property(name: str) -> bool:
    """Whether a source column may not become a Neo4j property of its own: a model column of any table (the rules
    and reads use them), the keys govties itself writes (id, rid, props, _load), anything starting with `_` or with
    `govties`. Such a column is kept in the row's `props` JSON only, like every unknown column."""
    return (name in _MODEL_PROPERTIES or name.startswith("_") or name.casefold().startswith(OWN_PREFIX))


_MODEL_PROPERTIES = frozenset({c for t in TABLES.values() for c in t.column_names} | {"id", "rid", "props", "_load"})

# (A, B, rel) means B is A's rel; then A is B's INVERSE[rel].
INVERSE_RELATION = {
    "spouse": "spouse", "child": "parent", "parent": "child", "sibling": "sibling",
    "child_spouse": "spouse_parent", "spouse_parent": "child_spouse",
    "spouse_sibling": "sibling_spouse", "sibling_spouse": "spouse_sibling",
    "grandchild": "grandparent", "grandparent": "grandchild", "other": "other",
}
assert set(INVERSE_RELATION) == set(RELATION.ids), "every relation needs its inverse"
