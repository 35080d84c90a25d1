"""Checks across files: unique ids, references to defined ids, organization kinds, date order, self-relations."""

from __future__ import annotations

import pandas as pd

from .problems import Problem, Problems
from .validate import MAX_PER_COLUMN, Checked

ID_FILES = {"people.csv": "person_id", "organizations.csv": "org_id", "decisions.csv": "decision_id"}


def _emit(problems: Problems, checked: Checked, column: str, mask: pd.Series, message: str, fix: str,
          values: pd.Series | None = None, level: str = "error") -> None:
    idx = [i for i, bad in enumerate(mask.tolist()) if bad]
    vals = (values if values is not None else checked.frame[column]).tolist()
    for i in idx[:MAX_PER_COLUMN]:
        v = vals[i]
        problems.items.append(Problem(checked.file, checked.line(i), column, message,
                                      None if v is None else str(v), fix, checked.col_no.get(column), level))
    if len(idx) > MAX_PER_COLUMN:
        problems.items.append(Problem(checked.file, None, column, f"{len(idx) - MAX_PER_COLUMN} more rows: {message}",
                                      None, fix, checked.col_no.get(column), level))


def check_ids(files: dict[str, Checked], problems: Problems, known=None) -> dict[str, pd.Index]:
    """Unique ids within and across people, organizations and decisions (and, when appending, the stored
    graph's); returns file -> its ids, stored ones included."""
    owner: dict[str, pd.Index] = {}
    stored = {f: pd.Index(sorted(known.ids_for(f)), dtype=object) for f in ID_FILES} if known else {}
    seen = pd.Index([], dtype=object)
    for index in stored.values():
        seen = seen.append(index)
    for file, col in ID_FILES.items():
        checked = files.get(file)
        if checked is None:
            continue
        ids = checked.frame[col]
        dup = ids.notna() & ids.duplicated(keep="first")
        _emit(problems, checked, col, dup, f"duplicate {col}: each id must be unique across the whole dataset",
              "give each row its own id, or remove the repeated row")
        clash = ids.notna() & ids.isin(seen)
        if clash.any():
            _emit(problems, checked, col, clash,
                  "this id is already defined in another file or in the stored graph (ids are unique)",
                  "use distinct ids for people, organizations and decisions; to change stored rows, run a full "
                  "load")
        mine = pd.Index(ids.dropna().unique())
        owner[file] = mine.difference(seen)
        seen = seen.append(mine)
    for f, index in stored.items():
        owner[f] = owner[f].append(index) if f in owner else index
    return owner


REF_TARGETS = {"person": ("people.csv",), "org": ("organizations.csv",),
               "entity": ("people.csv", "organizations.csv"), "decision": ("decisions.csv",)}


def check_references(files: dict[str, Checked], owner: dict[str, pd.Index], problems: Problems) -> None:
    for checked in files.values():
        for col in checked.spec.columns:
            targets = REF_TARGETS.get(col.kind)
            if not targets or col.name not in checked.col_no:
                continue
            series = checked.frame[col.name]
            valid = [owner[t] for t in targets if t in owner]
            known = valid[0].append(valid[1:]) if valid else pd.Index([])
            bad = series.notna() & ~series.isin(known)
            if bad.any():
                what = " or ".join(targets)
                _emit(problems, checked, col.name, bad, f"refers to an id that {what} does not define",
                      f"add the id to {what}, or correct the reference")


def check_semantics(files: dict[str, Checked], problems: Problems, known=None) -> None:
    orgs = files["organizations.csv"].frame if "organizations.csv" in files else None
    kinds = dict(known.org_kind) if known else {}
    if orgs is not None:
        kinds.update(zip(orgs["org_id"], orgs["kind"]))
    pos = files.get("positions.csv")
    if pos is not None:
        k = pos.frame["org_id"].map(kinds)
        bad = k.notna() & ~k.isin(["agency", "village"])
        _emit(problems, pos, "org_id", bad, "a post must be at an organization of kind agency or village",
              "correct org_id, or the organization's kind in organizations.csv")
    roles = files.get("company_roles.csv")
    if roles is not None:
        k = roles.frame["org_id"].map(kinds)
        bad = k.notna() & (k != "company")
        _emit(problems, roles, "org_id", bad, "a company role must be at an organization of kind company",
              "correct org_id, or the organization's kind in organizations.csv")
        share_wrong = roles.frame["share"].notna() & (roles.frame["role"] != "shareholder") & roles.frame["role"].notna()
        _emit(problems, roles, "share", share_wrong, "a share is given for a role that is not shareholder; "
              "it is kept but not used", "move the share to the shareholder row", level="warning")
    rel = files.get("relatives.csv")
    if rel is not None:
        f = rel.frame
        bad = f["person_id"].notna() & (f["person_id"] == f["relative_id"])
        _emit(problems, rel, "relative_id", bad, "a person cannot be their own relative",
              "correct person_id or relative_id")
    for name in ("positions.csv", "company_roles.csv", "relatives.csv"):
        checked = files.get(name)
        if checked is None:
            continue
        f = checked.frame
        bad = f["start_date"].notna() & f["end_date"].notna() & (f["end_date"] < f["start_date"])
        _emit(problems, checked, "end_date", bad, "the end date is before the start date",
              "swap or correct the dates")
