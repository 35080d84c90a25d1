"""From validated contract files to the graph model's tables (govties.graph.model), with canonical person ids."""

from __future__ import annotations


import pandas as pd

from ..graph.model import INVERSE_RELATION, TABLES
from . import values as V
from .contract import PERSON_REFS
from .problems import Problems
from .resolve import Resolution, birth_from_id
from .validate import Checked


def text(v) -> str | None:
    """A cell as text, or None for empty, None and NaN (pandas turns None into NaN in places)."""
    return v if isinstance(v, str) and v else None


def row_ids(frame: pd.DataFrame, columns: list[str], prefix: str) -> pd.Series:
    """A stable id for each row from its content (so reloading the same data yields the same ids)."""
    if frame.empty:
        return pd.Series([], dtype=object)
    basis = frame[columns].astype(str)
    hashed = pd.util.hash_pandas_object(basis, index=False)
    return prefix + hashed.map(lambda h: f"{h:016x}")


def _canon(frame: pd.DataFrame, file: str, res: Resolution) -> pd.DataFrame:
    if not res.canonical or file not in PERSON_REFS:
        return frame
    frame = frame.copy(deep=False)
    for col in PERSON_REFS.get(file, ()):
        frame[col] = frame[col].map(res.map)
    return frame


def _people(checked: Checked, res: Resolution) -> pd.DataFrame:
    f = checked.frame.copy()
    f["canonical"] = f["person_id"].map(res.map)
    f["key"] = [V.normalize_id_number(v)[0] if text(v) else None for v in f["id_number"]]
    f["birth_date"] = [text(b) or birth_from_id(k) for b, k in zip(f["birth_date"], f["key"])]
    f = f.sort_values(["canonical", "person_id"], kind="stable")
    first = f.groupby("canonical", sort=True).first()  # first non-null value of each column, canonical row first
    merged = f[f["canonical"] != f["person_id"]]
    aliases = {}
    sources = {}
    if not merged.empty:
        for canon, grp in f[f["canonical"].isin(merged["canonical"])].groupby("canonical"):
            names = set()
            for n, al in zip(grp["name"], grp["aliases"]):
                names.add(n)
                names.update(al or [])
            aliases[canon] = names
            sources[canon] = sorted(grp["person_id"])
    out = pd.DataFrame({
        "person_id": first.index,
        "name": first["name"].values,
        "id_number": [text(k) or text(raw) for k, raw in zip(first["key"], first["id_number"])],
        "birth_date": first["birth_date"].values,
        "gender": first["gender"].values,
        "aliases": [sorted((set(a or []) | aliases.get(pid, set())) - {n})
                    for pid, a, n in zip(first.index, first["aliases"], first["name"])],
        "source_ids": [sources.get(pid, [pid]) for pid in first.index],
        "props": first["props"].values,
    })
    return out.reset_index(drop=True)


def _orgs(f: pd.DataFrame) -> pd.DataFrame:
    f = f.copy(deep=False)
    f["region_code"] = V.map_unique(f["region"], V.region_code)
    f["industry_norm"] = V.map_unique(f["industry"], V.fold)
    f["address_norm"] = V.map_unique(f["address"], V.address_key)
    f["phone_norm"] = V.map_unique(f["phone"], V.phone_key)
    f["credit_code"] = V.map_unique(f["credit_code"], lambda v: V.check_credit_code(v)[0] or v if text(v) else None)
    return f


def _posts(f: pd.DataFrame, org_region: dict) -> pd.DataFrame:
    f = f.copy(deep=False)
    f["jurisdiction"] = [V.region_code(text(r) or text(org_region.get(o))) for r, o in zip(f["region"], f["org_id"])]
    f["portfolio"] = f["portfolio"].map(lambda items: sorted({V.fold(i) for i in items or []}))
    f["rid"] = row_ids(f, ["person_id", "org_id", "title", "rank", "start_date", "end_date"], "post-")
    return f


def _kin(f: pd.DataFrame, problems: Problems) -> pd.DataFrame:
    self_rows = f["person_id"] == f["relative_id"]
    if self_rows.any():
        problems.warn("relatives.csv", None, "relative_id",
                      f"{int(self_rows.sum())} row(s) relate two records that entity resolution merged into one "
                      "person; they were dropped", fix="check the resident IDs of the two records")
        f = f[~self_rows]
    stated = f.assign(stated=True)
    inverse = f.rename(columns={"person_id": "relative_id", "relative_id": "person_id"}).assign(stated=False)
    inverse["relation"] = inverse["relation"].map(INVERSE_RELATION)
    both = pd.concat([stated, inverse], ignore_index=True)
    both = both.sort_values("stated", ascending=False, kind="stable")
    both = both.drop_duplicates(["person_id", "relative_id", "relation", "start_date", "end_date"])
    both["rid"] = row_ids(both, ["person_id", "relative_id", "relation", "start_date", "end_date"], "kin-")
    return both


def _decisions(f: pd.DataFrame) -> pd.DataFrame:
    f = f.copy(deep=False)
    f["region_code"] = V.map_unique(f["region"], V.region_code)
    f["industry_norm"] = V.map_unique(f["industry"], V.fold)
    return f


def _rid(f: pd.DataFrame, prefix: str, problems: Problems, file: str) -> pd.DataFrame:
    cols = [c for c in f.columns if c not in ("props",)]
    f = f.copy(deep=False)
    f["rid"] = row_ids(f, cols, prefix)
    dup = f["rid"].duplicated()
    if dup.any():
        problems.warn(file, None, None, f"{int(dup.sum())} exact duplicate row(s) were counted once",
                      fix="remove repeated rows from the source export")
        f = f[~dup]
    return f


def build_tables(files: dict[str, Checked], res: Resolution, problems: Problems,
                 known=None) -> dict[str, pd.DataFrame]:
    get = {name: _canon(c.frame, name, res) for name, c in files.items()}
    people = files.get("people.csv")
    del files  # the rest is in `get` now
    tables: dict[str, pd.DataFrame] = {}
    if people is not None:
        tables["person"] = _people(people, res)
        if known is not None:  # records that joined a stored person are not new rows
            tables["person"] = tables["person"][~tables["person"]["person_id"].isin(known.person_ids)]
    if "organizations.csv" in get:
        tables["org"] = _orgs(get["organizations.csv"])
    if "positions.csv" in get:
        regions = dict(known.org_region) if known else {}
        if "org" in tables:
            regions.update(zip(tables["org"]["org_id"], tables["org"]["region"]))
        tables["post"] = _posts(get["positions.csv"], regions)
    if "relatives.csv" in get:
        tables["kin"] = _kin(get["relatives.csv"], problems)
    if "company_roles.csv" in get:
        tables["role"] = _rid(get["company_roles.csv"], "role-", problems, "company_roles.csv")
    if "decisions.csv" in get:
        tables["decision"] = _decisions(get["decisions.csv"])
    if "decision_makers.csv" in get:
        tables["decision_maker"] = _rid(get["decision_makers.csv"], "dm-", problems, "decision_makers.csv")
    if "bids.csv" in get:
        tables["bid"] = _rid(get["bids.csv"], "bid-", problems, "bids.csv")
    if "declarations.csv" in get:
        tables["declaration"] = _rid(get["declarations.csv"], "decl-", problems, "declarations.csv")
    for name, df in tables.items():
        for col in TABLES[name].column_names:
            if col not in df.columns:
                df[col] = None
        if "props" in df.columns:
            df["props"] = df["props"].map(lambda v: v if v else "{}")
        tables[name] = df[TABLES[name].column_names].reset_index(drop=True)
    return tables

