"""From validated contract files to the graph model's tables (govties.graph.model), with canonical person ids.

Tables are Arrow tables typed as the model says (graph.columns); the work is column-at-a-time, and Python
touches only the rows that need it (merged people, alias lists, posts' portfolios).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..graph.columns import to_arrow
from ..graph.model import INVERSE_RELATION, TABLES
from . import values as V
from .codes import credit_codes, resident_ids
from .contract import PERSON_REFS
from .problems import Problems, Zh
from .read import Lines, line_number
from .parallel import run_all
from .resolve import Resolution, births
from .validate import Checked
from .vector import (NULL_TEXT, column, concat_strings, lookup, map_distinct, mask, replace_values, sql,
                     strings)


def row_ids(table: pa.Table, columns: list[str], prefix: str) -> tuple[pa.Array, np.ndarray]:
    """A stable id for each row from its content (so reloading the same data yields the same ids): the prefix and
    the first 16 hex digits of an md5 of the row; and those 64 bits as integers, to find repeated rows fast."""
    if table.num_rows == 0:
        return strings([]), np.zeros(0, dtype=np.uint64)
    parts = ", ".join(f"coalesce(CAST(\"{c}\" AS VARCHAR), '')" for c in columns)  # names from the contract
    # md5_number's low 64 bits are the digest's first 8 bytes read little-endian: in memory, those 8 bytes in order
    out = sql(f"SELECT CAST(md5_number(concat_ws(chr(31), {parts})) & 18446744073709551615 AS UBIGINT) AS k "
              "FROM t", t=table.select(columns))
    keys = out.column("k").to_numpy()
    return _hex_ids(prefix, keys), keys


#: every two bytes (a little-endian uint16) as their four lower-case hex digits, in the bytes' order
_HEX_DIGITS = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_HEX_QUADS = np.ascontiguousarray(np.stack([_HEX_DIGITS[(np.arange(65536) >> shift) & 15] for shift in (4, 0, 12, 8)],
                                           axis=1)).view("<u4").ravel()


def _hex_ids(prefix: str, keys: np.ndarray) -> pa.Array:
    """prefix + the 8 bytes of each (little-endian) key, in memory order, as 16 lower-case hex digits: one Arrow
    string buffer of fixed-width cells (a prefix field, then a digits field), two bytes' digits looked up at once."""
    n, head = len(keys), prefix.encode()
    assert head, "a row id has a prefix"  # the cells' first field (a field of no bytes is no numpy type)
    keys = np.ascontiguousarray(keys, dtype="<u8")
    width = len(head) + 16
    cell = np.dtype({"names": ["prefix", "digits"], "formats": [f"V{len(head)}", "V16"],
                     "offsets": [0, len(head)], "itemsize": width})
    cells = np.empty(n, dtype=cell)
    cells["prefix"] = np.frombuffer(head, dtype=f"V{len(head)}")[0]
    cells["digits"] = _HEX_QUADS[keys.view("<u2")].view("V16")  # indexing, not take: no index array made first
    large = (n + 1) * width >= 2**31
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int64 if large else np.int32)
    ids = pa.Array.from_buffers(pa.large_string() if large else pa.string(), n,
                                [None, pa.py_buffer(offsets), pa.py_buffer(cells.view(np.uint8))])
    return ids.cast(pa.string()) if large else ids


def _repeats(keys: np.ndarray) -> np.ndarray:
    """True for every row whose key an earlier row has. Repeats are rare: a sort finds there are none."""
    ordered = np.sort(keys)
    if not (ordered[1:] == ordered[:-1]).any():
        return np.zeros(len(keys), dtype=bool)
    return pd.Series(keys).duplicated(keep="first").to_numpy()


def _set(table: pa.Table, name: str, values: pa.Array) -> pa.Table:
    i = table.schema.get_field_index(name)
    return table.set_column(i, name, values) if i >= 0 else table.append_column(name, values)


def _canon(table: pa.Table, file: str, res: Resolution) -> pa.Table:
    if not res.canonical or file not in PERSON_REFS:
        return table
    ids, canon = strings(list(res.canonical)), strings(list(res.canonical.values()))
    for col in PERSON_REFS[file]:
        refs = column(table, col)
        table = _set(table, col, pc.coalesce(lookup(refs, ids, canon), refs))
    return table


def _no_blanks(items) -> list[str]:
    return [i for i in items or [] if i]


def _people(checked: Checked, res: Resolution) -> pa.Table:
    t = checked.frame
    keys = checked.keys.get("id_number")
    if keys is None:
        keys, _ = resident_ids(column(t, "id_number"))
    t = _set(t, "birth_date", births(t, keys))
    t = _set(t, "id_number", pc.coalesce(keys, column(t, "id_number")))
    pids = column(t, "person_id")
    grouped = set(res.canonical) | set(res.canonical.values())
    in_group = mask(pc.is_in(pids, value_set=strings(sorted(grouped)))) if grouped else np.zeros(len(pids), bool)
    single = t.filter(pa.array(~in_group))
    listed = pa.array(np.flatnonzero(mask(pc.greater(pc.list_value_length(column(single, "aliases")), 0))),
                      type=pa.int64())
    fixed: list[list[str]] = [[]] * single.num_rows
    for i, a, n in zip(listed.to_pylist(), column(single, "aliases").take(listed).to_pylist(),
                       column(single, "name").take(listed).to_pylist(), strict=True):
        fixed[i] = sorted(set(_no_blanks(a)) - {n})
    single = _set(single, "aliases", pa.array(fixed, type=pa.list_(pa.string())))
    single = _set(single, "source_ids", pa.ListArray.from_arrays(pa.array(np.arange(single.num_rows + 1,
                                                                                     dtype=np.int32)),
                                                                 column(single, "person_id")))
    merged = _merged_people(t.filter(pa.array(in_group)), res)
    cols = TABLES["person"].column_names
    out = pa.concat_tables([to_arrow("person", single.select(cols)), to_arrow("person", merged)])
    return out.take(pc.sort_indices(out, [("person_id", "ascending")]))


def _merged_people(rows: pa.Table, res: Resolution) -> pa.Table:
    """One row per merged person: its fields from the first record (by id) that has them, all names as aliases."""
    groups: dict[str, list[dict]] = {}
    for r in sorted(rows.to_pylist(), key=lambda r: (res.map(r["person_id"]), r["person_id"])):
        groups.setdefault(res.map(r["person_id"]), []).append(r)
    out = []
    for canon, members in groups.items():
        first = {c: next((m[c] for m in members if m[c] is not None), None)
                 for c in ("name", "id_number", "birth_date", "gender", "aliases", "props")}
        names = {m["name"] for m in members} | {a for m in members for a in _no_blanks(m["aliases"])}
        out.append({**first, "person_id": canon, "aliases": sorted(names - {first["name"]}),
                    "source_ids": sorted(m["person_id"] for m in members)})
    cols = TABLES["person"].column_names
    return pa.table({c: pa.array([r[c] for r in out], type=_TYPES[c]) for c in cols})


_TYPES = {"aliases": pa.list_(pa.string()), "source_ids": pa.list_(pa.string())}
_TYPES.update({c: pa.string() for c in TABLES["person"].column_names if c not in _TYPES})


def _nfkc(arr: pa.Array) -> pa.Array:
    return pc.utf8_normalize(pc.fill_null(arr, ""), form="NFKC")


def _orgs(t: pa.Table, codes: pa.Array | None) -> pa.Table:
    t = _set(t, "region_code", map_distinct(column(t, "region"), V.region_code, pa.string()))
    t = _set(t, "industry_norm", map_distinct(column(t, "industry"), V.fold, pa.string()))
    t = _set(t, "address_norm", address_keys(column(t, "address")))
    t = _set(t, "phone_norm", phone_keys(column(t, "phone")))
    if codes is None:
        codes, _ = credit_codes(column(t, "credit_code"))
    return _blank_keys(_set(t, "credit_code", pc.coalesce(codes, column(t, "credit_code"))),
                       ("region_code", "industry_norm"))


def address_keys(addresses: pa.Array) -> pa.Array:
    """Addresses compared without whitespace and punctuation (NFKC-folded, lower-cased); '' for none."""
    return pc.utf8_lower(pc.replace_substring_regex(_nfkc(addresses), r"[^\p{L}\p{N}]", ""))


def phone_keys(phones: pa.Array) -> pa.Array:
    """Phones compared by their digits alone (full-width digits folded); '' for none."""
    return pc.replace_substring_regex(_nfkc(phones), r"[^0-9]", "")


def _blank_keys(t: pa.Table, names: tuple[str, ...]) -> pa.Table:
    """Comparison keys are '' (never null) for missing values."""
    for name in names:
        t = _set(t, name, pc.fill_null(column(t, name), ""))
    return t


def _posts(t: pa.Table, org_ids: pa.Array, org_regions: pa.Array) -> pa.Table:
    region = pc.coalesce(column(t, "region"), lookup(column(t, "org_id"), org_ids, org_regions))
    t = _blank_keys(_set(t, "jurisdiction", map_distinct(region, V.region_code, pa.string())), ("jurisdiction",))
    portfolio = [sorted({V.fold(i) for i in items or []}) for items in column(t, "portfolio").to_pylist()]
    t = _set(t, "portfolio", pa.array(portfolio, type=pa.list_(pa.string())))
    return _set(t, "rid", row_ids(t, ["person_id", "org_id", "title", "rank", "start_date", "end_date"], "post-")[0])


def _kin(t: pa.Table, problems: Problems, file: str, label: str = "relative_id") -> pa.Table:
    self_rows = mask(pc.equal(column(t, "person_id"), column(t, "relative_id")))
    if self_rows.any():
        n = int(self_rows.sum())
        problems.warn(file, None, label,
                      f"{n} row(s) relate two records that entity resolution merged into one "
                      "person; they were dropped", fix="check the resident IDs of the two records",
                      zh=Zh(f"{n}行所关联的两条记录已按身份证号合并为同一人；这些行已删去", "核对这两条记录的身份证号"))
        t = t.filter(pa.array(~self_rows))
    stated = _set(t, "stated", pa.array(np.ones(t.num_rows, dtype=bool)))
    inverse = _set(stated, "person_id", column(t, "relative_id"))
    inverse = _set(inverse, "relative_id", column(t, "person_id"))
    inverse = _set(inverse, "relation", replace_values(column(t, "relation"), INVERSE_RELATION))
    inverse = _set(inverse, "stated", pa.array(np.zeros(t.num_rows, dtype=bool)))
    both = pa.concat_tables([stated, inverse])  # stated rows first: a stated row wins over an inverse one
    key = ["person_id", "relative_id", "relation", "start_date", "end_date"]
    rid, k = row_ids(both, key, "kin-")
    keep = pa.array(~_repeats(k))
    return _set(both.filter(keep), "rid", rid.filter(keep))


def _decisions(t: pa.Table) -> pa.Table:
    t = _set(t, "region_code", map_distinct(column(t, "region"), V.region_code, pa.string()))
    t = _set(t, "industry_norm", map_distinct(column(t, "industry"), V.fold, pa.string()))
    return _blank_keys(t, ("region_code", "industry_norm"))


def _rid(t: pa.Table, prefix: str, problems: Problems, file: str, lines: Lines = None) -> pa.Table:
    """The table with its row ids, a row that repeats an earlier one (the same values in every contract column,
    people merged) counted once; the first repeat named with its line and the line it repeats (`lines`: as
    Checked.lines)."""
    rid, k = row_ids(t, [c for c in t.column_names if c != "props"], prefix)
    t = _set(t, "rid", rid)
    dup = _repeats(k)
    if dup.any():
        n = int(dup.sum())
        again = int(np.flatnonzero(dup)[0])
        line, earlier = line_number(lines, again), line_number(lines, int(np.flatnonzero(k == k[again])[0]))
        said = f"repeats line {earlier}: the same values in every column read (once records of one person are merged)"
        said_zh = f"与第{earlier}行重复：读取的每一列值都相同（同一人的记录合并之后）"
        more, more_zh = (f"; {n} repeated rows in all, each counted once", f"；共{n}行重复，均只计一次") if n > 1 else \
            ("; counted once", "；只计一次")
        problems.warn(file, line, None, said + more, fix="remove repeated rows from the source export",
                      zh=Zh(said_zh + more_zh, "从源系统的导出数据中删去重复的行"))
        t = t.filter(pa.array(~dup))
    return t


def build_tables(files: dict[str, Checked], res: Resolution, problems: Problems,
                 known=None) -> dict[str, pa.Table]:
    """The model's tables, each built on its own (two or more at a time, see loaders.parallel); every job takes
    its file's cells out of `waiting`, so each file's cells are freed once its table is built."""
    waiting = dict(files)
    source = {name: checked.source for name, checked in files.items()}  # as the user named it (a sheet, a file)
    del files  # the rest is in `waiting` now

    lines = {name: checked.lines for name, checked in waiting.items()}
    named = {name: checked.label for name, checked in waiting.items()}  # a column as the file's problems name it

    def take(name: str) -> pa.Table:
        return _canon(waiting.pop(name).frame, name, res)

    def rid(name: str, prefix: str) -> pa.Table:
        return _rid(take(name), prefix, problems, source[name], lines[name])

    def person() -> pa.Table:
        tables = _people(waiting.pop("people.csv"), res)
        if known is not None:  # records that joined a stored person are not new rows
            stored = strings(sorted(known.person_ids))
            tables = tables.filter(pc.invert(pc.is_in(tables.column("person_id"), value_set=stored)))
        return tables

    def org_and_post() -> dict[str, pa.Table]:
        out = {}
        if "organizations.csv" in waiting:
            checked = waiting.pop("organizations.csv")
            out["org"] = _orgs(checked.frame, checked.keys.get("credit_code"))
        if "positions.csv" in waiting:
            ids, regions = [], []
            if known:
                ids.append(strings(list(known.org_region)))
                regions.append(strings(list(known.org_region.values())))
            if "org" in out:
                ids.append(column(out["org"], "org_id"))
                regions.append(column(out["org"], "region"))
            out["post"] = _posts(take("positions.csv"), concat_strings(ids), concat_strings(regions))
        return out

    jobs = [  # (the contract files a job reads, the job: model table -> table)
        (("people.csv",), lambda: {"person": person()}),
        (("organizations.csv", "positions.csv"), org_and_post),
        (("relatives.csv",), lambda: {"kin": _kin(take("relatives.csv"), problems, source["relatives.csv"],
                                                  named["relatives.csv"]("relative_id"))}),
        (("company_roles.csv",),
         lambda: {"role": rid("company_roles.csv", "role-")}),
        (("decisions.csv",), lambda: {"decision": _decisions(take("decisions.csv"))}),
        (("decision_makers.csv",),
         lambda: {"decision_maker": rid("decision_makers.csv", "dm-")}),
        (("bids.csv",), lambda: {"bid": rid("bids.csv", "bid-")}),
        (("declarations.csv",),
         lambda: {"declaration": rid("declarations.csv", "decl-")}),
    ]
    rows = {reads: sum(waiting[f].frame.num_rows for f in reads if f in waiting) for reads, _ in jobs}
    present = sorted((j for j in jobs if any(f in waiting for f in j[0])), key=lambda j: -rows[j[0]])
    built = run_all([("/".join(reads), partial(_finished, job)) for reads, job in present])
    tables = {name: table for part in built.values() for name, table in part.items()}
    return {name: tables[name] for name in TABLES if name in tables}


def _finished(job: Callable[[], dict[str, pa.Table]]) -> dict[str, pa.Table]:
    return {n: _finish(n, t) for n, t in job().items()}


def _finish(name: str, t: pa.Table) -> pa.Table:
    """Empty or missing source columns become '{}', and the table is typed as the model says."""
    if "props" in t.column_names:
        props = column(t, "props")
        t = _set(t, "props", pc.fill_null(pc.if_else(pc.equal(props, ""), NULL_TEXT, props), "{}"))
    return to_arrow(name, t)
