"""Where each person, organization and decision of a load came from: one row per source record (file or sheet,
line, the record's own id, name or title, and resident ID or credit code) with the entity it became after
resolution. Entity pages and a finding's evidence show them, including the records that resolution merged into one
person."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from .read import line_array
from .resolve import Resolution, births
from .validate import Checked
from .vector import column, lookup, strings

COLUMNS = ("record_id", "entity_id", "kind", "name", "key", "birth_date", "file", "line")


def _lines(checked: Checked) -> pa.Array:
    """Each row's line in its file, as each problem is located (a totals row dropped at the end leaves a line over)."""
    return pa.array(line_array(checked.lines, checked.frame.num_rows), pa.int64())


def source_records(files: dict[str, Checked], res: Resolution) -> pa.Table:
    """The source records of people.csv, organizations.csv and decisions.csv (whichever are present), entity ids
    resolved."""
    parts = []
    people = files.get("people.csv")
    if people is not None:
        t = people.frame
        ids = column(t, "person_id")
        keys = people.keys.get("id_number")
        key = pc.coalesce(keys, column(t, "id_number")) if keys is not None else column(t, "id_number")
        entity = ids
        if res.canonical:
            entity = pc.coalesce(lookup(ids, strings(list(res.canonical)), strings(list(res.canonical.values()))),
                                 ids)
        born = births(t, keys) if keys is not None else column(t, "birth_date")
        parts.append(pa.table({"record_id": ids, "entity_id": entity, "kind": pa.repeat("person", t.num_rows),
                               "name": column(t, "name"), "key": key, "birth_date": born.cast(pa.string()),
                               "file": pa.repeat(people.source, t.num_rows), "line": _lines(people)}))
    orgs = files.get("organizations.csv")
    if orgs is not None:
        t = orgs.frame
        codes = orgs.keys.get("credit_code")
        key = pc.coalesce(codes, column(t, "credit_code")) if codes is not None else column(t, "credit_code")
        parts.append(pa.table({"record_id": column(t, "org_id"), "entity_id": column(t, "org_id"),
                               "kind": pa.repeat("organization", t.num_rows), "name": column(t, "name"),
                               "key": key, "birth_date": pa.nulls(t.num_rows, pa.string()),
                               "file": pa.repeat(orgs.source, t.num_rows), "line": _lines(orgs)}))
    decisions = files.get("decisions.csv")
    if decisions is not None:
        t = decisions.frame
        ids = column(t, "decision_id")
        title = column(t, "title") if "title" in t.column_names else pa.nulls(t.num_rows, pa.string())
        parts.append(pa.table({"record_id": ids, "entity_id": ids, "kind": pa.repeat("decision", t.num_rows),
                               "name": title, "key": pa.nulls(t.num_rows, pa.string()),
                               "birth_date": pa.nulls(t.num_rows, pa.string()),
                               "file": pa.repeat(decisions.source, t.num_rows), "line": _lines(decisions)}))
    if not parts:
        return pa.table({c: pa.array([], pa.int64() if c == "line" else pa.string()) for c in COLUMNS})
    return pa.concat_tables([p.cast(parts[0].schema) for p in parts])


__all__ = ["COLUMNS", "source_records"]
