"""Tracking findings across sweeps: what is new, resolved or changed between two findings tables (matched by
finding_id), with an investigator's triage taken into account."""

from __future__ import annotations

import pandas as pd

COMPARED = ("severity", "score", "official_id", "org_id", "via_id", "decision_ids", "first_date", "last_date",
            "evidence")


def diff_frames(old: pd.DataFrame, new: pd.DataFrame, triage: pd.DataFrame | None = None) -> pd.DataFrame:
    o, n = old.set_index("finding_id"), new.set_index("finding_id")
    rows = []
    for fid in n.index.difference(o.index):
        rows.append({"finding_id": fid, "change": "new", "fields": "", **_who(n.loc[fid])})
    for fid in o.index.difference(n.index):
        rows.append({"finding_id": fid, "change": "resolved", "fields": "", **_who(o.loc[fid])})
    for fid in n.index.intersection(o.index):
        changed = [c for c in COMPARED if c in n.columns and c in o.columns
                   and str(n.loc[fid, c]) != str(o.loc[fid, c])]
        if changed:
            rows.append({"finding_id": fid, "change": "changed", "fields": ";".join(changed), **_who(n.loc[fid])})
    out = pd.DataFrame(rows, columns=["finding_id", "change", "fields", "rule", "severity", "score", "official_id",
                                      "official_name", "org_id", "org_name", "explanation"])
    status = out["finding_id"].map(triage["status"]) if triage is not None else pd.Series("", index=out.index)
    out.insert(2, "triage_status", status.fillna("").where(status.notna(), ""))
    # a dismissed finding that shows up again is reported as dismissed, not as new
    out.loc[(out["change"] == "new") & (out["triage_status"] == "dismissed"), "change"] = "dismissed"
    order = {"new": 0, "changed": 1, "resolved": 2, "dismissed": 3}
    return out.sort_values(["change", "finding_id"], key=lambda s: s.map(order) if s.name == "change" else s) \
        .reset_index(drop=True)


def _who(row: pd.Series) -> dict:
    return {k: row.get(k, "") for k in ("rule", "severity", "score", "official_id", "official_name", "org_id",
                                        "org_name", "explanation")}


def apply_triage(findings: pd.DataFrame, triage: pd.DataFrame) -> pd.DataFrame:
    """Adds triage_status (open when not triaged), triage_note, triage_who, triage_when after the contract columns."""
    out = findings.copy()
    ids = out["finding_id"]
    out["triage_status"] = ids.map(triage["status"]).fillna("open")
    out["triage_note"] = ids.map(triage["note"]).fillna("")
    out["triage_who"] = ids.map(triage["who"]).fillna("")
    out["triage_when"] = ids.map(triage["when"]).fillna("")
    return out
