"""Tracking findings across sweeps: what is new, resolved or changed between two findings tables (matched by
finding_id), with an investigator's triage taken into account.

A changed finding lists each changed field as `field: old → new` (the evidence as the nodes and edges added and
removed). Scores are compared under one reference date: a findings file carries its sweep's `as_of`, and when the
two files' dates differ, each score's recency points (rules.scoring) are taken out before comparing, so a score
(or a severity) that moved only because the reference date moved is not a change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pandas as pd

from . import scoring

COMPARED = ("severity", "score", "official_id", "org_id", "via_id", "decision_ids", "first_date", "last_date",
            "evidence")
ARROW = "→"
COLUMNS = ["finding_id", "change", "triage_status", "fields", "changes", "rule", "severity", "score", "official_id",
           "official_name", "org_id", "org_name", "explanation"]


@dataclass
class Diff:
    table: pd.DataFrame
    old_as_of: str | None = None
    new_as_of: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def date_moved(self) -> bool:
        return bool(self.old_as_of and self.new_as_of and self.old_as_of != self.new_as_of)


def as_of_of(frame: pd.DataFrame) -> str | None:
    """The reference date a findings table was computed against (its as_of column), if it says."""
    if "as_of" not in frame.columns:
        return None
    dates = {str(v) for v in frame["as_of"] if str(v).strip()}
    return dates.pop() if len(dates) == 1 else None


def diff_frames(old: pd.DataFrame, new: pd.DataFrame, triage: pd.DataFrame | None = None) -> pd.DataFrame:
    """The diff table (see `diff`)."""
    return diff(old, new, triage).table


def diff(old: pd.DataFrame, new: pd.DataFrame, triage: pd.DataFrame | None = None) -> Diff:
    old_as_of, new_as_of = as_of_of(old), as_of_of(new)
    result = Diff(pd.DataFrame(), old_as_of, new_as_of)
    o = old.drop_duplicates("finding_id").set_index("finding_id")
    n = new.drop_duplicates("finding_id").set_index("finding_id")
    rows = []
    for fid in n.index.difference(o.index):
        rows.append({"finding_id": fid, "change": "new", "fields": "", "changes": "", **_who(n.loc[fid])})
    for fid in o.index.difference(n.index):
        rows.append({"finding_id": fid, "change": "resolved", "fields": "", "changes": "", **_who(o.loc[fid])})
    recency_only = 0
    for fid in n.index.intersection(o.index):
        changes = _changes(o.loc[fid], n.loc[fid], old_as_of, new_as_of)
        if changes is None:
            recency_only += 1
            continue
        if changes:
            rows.append({"finding_id": fid, "change": "changed", "fields": ";".join(c for c, _ in changes),
                         "changes": "; ".join(text for _, text in changes), **_who(n.loc[fid])})
    if result.date_moved:
        result.notes.append(f"the reference date moved: {old_as_of} {ARROW} {new_as_of}; scores and severities are "
                            f"compared without their recency points ({recency_only} finding(s) changed only by them)")
    elif (old_as_of is None) != (new_as_of is None):
        result.notes.append("one of the files does not say its reference date (as_of): a score may differ only "
                            "because the reference date moved")
    out = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "triage_status"])
    status = out["finding_id"].map(triage["status"]) if triage is not None else pd.Series("", index=out.index)
    out.insert(2, "triage_status", status.fillna("").where(status.notna(), ""))
    # a dismissed finding that shows up again is reported as dismissed, not as new
    out.loc[(out["change"] == "new") & (out["triage_status"] == "dismissed"), "change"] = "dismissed"
    order = {"new": 0, "changed": 1, "resolved": 2, "dismissed": 3}
    result.table = out.sort_values(["change", "finding_id"],
                                   key=lambda s: s.map(order) if s.name == "change" else s).reset_index(drop=True)
    return result


def _changes(o: pd.Series, n: pd.Series, old_as_of: str | None, new_as_of: str | None) -> list[tuple[str, str]] | None:
    """Each changed field with `old → new`; None when only the recency points of the score (and so perhaps the
    severity) changed because the reference date moved."""
    changed = [c for c in COMPARED if c in n.index and c in o.index and _s(n[c]) != _s(o[c])]
    out = [(c, _evidence_change(o[c], n[c]) if c == "evidence" else f"{c}: {_s(o[c]) or '∅'} {ARROW} "
            f"{_s(n[c]) or '∅'}") for c in changed]
    if old_as_of and new_as_of and old_as_of != new_as_of and {"score"} <= set(changed) <= {"score", "severity"}:
        if _base(o, old_as_of) == _base(n, new_as_of):
            return None
    return out


def _base(row: pd.Series, as_of: str) -> int | None:
    """The score without its recency points."""
    try:
        last = _s(row.get("last_date")) or None
        return int(float(_s(row["score"]))) - scoring.recency_points(last, as_of)
    except ValueError:
        return None


def _evidence_change(old: object, new: object) -> str:
    def parts(text: object) -> tuple[set[str], set[str]]:
        try:
            ev = json.loads(_s(text))
            return ({json.dumps(x, sort_keys=True) for x in ev.get("nodes", [])},
                    {json.dumps(x, sort_keys=True) for x in ev.get("edges", [])})
        except (ValueError, AttributeError):
            return set(), set()

    (on, oe), (nn, ne) = parts(old), parts(new)
    bits = [f"{len(nn - on)} node(s) added", f"{len(on - nn)} removed", f"{len(ne - oe)} edge(s) added",
            f"{len(oe - ne)} removed"]
    return "evidence: " + ", ".join(bits)


def _s(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _who(row: pd.Series) -> dict:
    return {k: row.get(k, "") for k in ("rule", "severity", "score", "official_id", "official_name", "org_id",
                                        "org_name", "explanation")}


def apply_triage(findings: pd.DataFrame, triage: pd.DataFrame) -> pd.DataFrame:
    """Adds triage_status (open when not triaged), triage_note, triage_who, triage_when after the other columns."""
    out = findings.copy()
    ids = out["finding_id"]
    out["triage_status"] = ids.map(triage["status"]).fillna("open")
    out["triage_note"] = ids.map(triage["note"]).fillna("")
    out["triage_who"] = ids.map(triage["who"]).fillna("")
    out["triage_when"] = ids.map(triage["when"]).fillna("")
    return out
