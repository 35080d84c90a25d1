"""Tracking findings across sweeps: what is new, resolved or changed between two findings tables (matched by
finding_id), with an investigator's triage taken into account — including whether the evidence of a triaged
finding changed since it was triaged (its fingerprint differs from the one the triage recorded).

A changed finding lists each changed field as `field: old → new`, and what changed in its evidence (decisions,
edges with their dates and shares, the span's dates). Scores are compared under one reference date: a findings
file carries its sweep's `as_of`, and when the two files' dates differ, each score's recency points
(rules.scoring) are taken out before comparing, so a score (or a severity) that moved only because the reference
date moved is not a change.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..graph.vocabulary import counted
from . import scoring

COMPARED = ("severity", "score", "official_id", "official_name", "org_id", "org_name", "via_id", "via_name",
            "decision_ids", "total_amount", "first_date", "last_date", "evidence")
TRIAGED = ("confirmed", "dismissed")  # decisions that new evidence reopens


def facts_from_row(row: Mapping[str, Any] | pd.Series) -> dict[str, Any]:
    """The evidence facts a findings row shows (edges, decisions, dates); amounts are not in a row, so they are
    unknown (None) here, unlike the facts a sweep archives."""
    evidence = row.get("evidence") or "{}"
    try:
        edges = (json.loads(evidence) if isinstance(evidence, str) else evidence).get("edges", [])
    except ValueError:
        edges = []
    decisions = [[d, None] for d in sorted(str(row.get("decision_ids") or "").split(";")) if d]
    return {"edges": edges, "decisions": decisions, "first_date": row.get("first_date") or None,
            "last_date": row.get("last_date") or None}


def _edge_key(e: Mapping[str, Any]) -> str:
    return f"{e.get('type')} {e.get('src')}→{e.get('dst')}" + (f" ({e['label']})" if e.get("label") else "")


MOMENTS = ("DECIDED", "BENEFITS", "ISSUED_BY", "BID")  # edges dated by one day, not a span


def _edge_value(e: Mapping[str, Any] | None) -> str | None:
    if e is None:
        return None
    parts = []
    if e.get("share") not in (None, ""):
        parts.append(f"{float(e['share']) * 100:g}%")
    if e.get("type") in MOMENTS and not e.get("end"):
        parts.append(e.get("start") or "")
    elif e.get("start") or e.get("end"):
        parts.append(f"{e.get('start') or ''}–{e.get('end') or ''}")
    return " ".join(parts) or "present"


def _money(v: Any) -> str | None:
    return None if v is None else f"{float(v):,.0f}"


def evidence_changes(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """What changed between two sets of evidence facts: one {what, item, old, new} per decision added, removed or
    with another amount, per edge added, removed or with other dates or share, and per changed date of the span
    (None: absent). Amounts unknown on one side (facts from a findings row) are not compared."""
    old, new = old or {}, new or {}
    out: list[dict[str, Any]] = []
    before = {d: a for d, a in old.get("decisions", [])}
    after = {d: a for d, a in new.get("decisions", [])}
    for d in sorted(set(before) | set(after)):
        if d not in before:
            out.append({"what": "decision", "item": d, "old": None, "new": _money(after[d]) or "present"})
        elif d not in after:
            out.append({"what": "decision", "item": d, "old": _money(before[d]) or "present", "new": None})
        elif None not in (before[d], after[d]) and before[d] != after[d]:
            out.append({"what": "amount", "item": d, "old": _money(before[d]), "new": _money(after[d])})
    e_old = {_edge_key(e): e for e in old.get("edges", [])}
    e_new = {_edge_key(e): e for e in new.get("edges", [])}
    for k in sorted(set(e_old) | set(e_new)):
        a, b = _edge_value(e_old.get(k)), _edge_value(e_new.get(k))
        if a != b:
            out.append({"what": "edge", "item": k, "old": a, "new": b})
    for k in ("first_date", "last_date"):
        if old.get(k) != new.get(k) and (old or new):
            out.append({"what": k, "item": k, "old": old.get(k), "new": new.get(k)})
    return out


def changes_text(changes: list[dict[str, Any]]) -> str:
    return "; ".join(f"{c['item']}: {c['old'] or '—'} → {c['new'] or '—'}" for c in changes)


ARROW = "→"
COLUMNS = ["finding_id", "change", "triage_status", "since_triage", "fields", "changes", "rule", "severity", "score",
           "official_id", "official_name", "org_id", "org_name", "explanation"]


@dataclass
class Diff:
    """`table`: the diff (COLUMNS), its `changes` column in ids (`field: old → new`); `details`: each changed
    finding's changes as data, for words in another language (api.worded_diff): {field, old, new} for a field, and
    for the evidence {field: "evidence"} with `changes` (evidence_changes), `nodes` ((id, key, old, new): the same
    nodes, a property changed) or `counts` ((added, removed) nodes)."""
    table: pd.DataFrame
    old_as_of: str | None = None
    new_as_of: str | None = None
    notes: list[str] = field(default_factory=list)
    details: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

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


def diff(old: pd.DataFrame, new: pd.DataFrame, triage: pd.DataFrame | None = None,
         ran: tuple[set[str] | None, set[str] | None] = (None, None)) -> Diff:
    """`ran`: the rules each sweep ran, where its file records them (an Excel file's about sheet): only the rules
    both ran are compared. Where a file does not say, a rule with findings on one side only is pointed out."""
    old_as_of, new_as_of = as_of_of(old), as_of_of(new)
    result = Diff(pd.DataFrame(), old_as_of, new_as_of)
    old, new = _rules_both_ran(old, new, ran, result.notes)
    o = old.drop_duplicates("finding_id").set_index("finding_id")
    n = new.drop_duplicates("finding_id").set_index("finding_id")
    if len(o) and len(n) and o.index.intersection(n.index).empty:
        result.notes.append("no finding id is in both files: if one file is masked and the other not, or they were "
                            "masked with different keys, every finding reads as new or resolved")
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
            rows.append({"finding_id": fid, "change": "changed", "fields": ";".join(c["field"] for c in changes),
                         "changes": "; ".join(map(change_text, changes)), **_who(n.loc[fid])})
            result.details[fid] = changes
    if result.date_moved:
        result.notes.append(f"the reference date moved: {old_as_of} {ARROW} {new_as_of}; scores and severities are "
                            + counted(f"compared without their recency points ({recency_only} finding(s) changed only "
                                      "by them)", recency_only))
    elif (old_as_of is None) != (new_as_of is None):
        result.notes.append("one of the files does not say its reference date (as_of): a score may differ only "
                            "because the reference date moved")
    out = pd.DataFrame(rows, columns=[c for c in COLUMNS if c not in ("triage_status", "since_triage")])
    status = out["finding_id"].map(triage["status"]) if triage is not None else pd.Series("", index=out.index)
    out.insert(2, "triage_status", status.fillna("").where(status.notna(), ""))
    since = pd.Series("", index=out.index)
    if triage is not None and "fingerprint" in triage.columns and "fingerprint" in n.columns:
        then = _texts(out["finding_id"].map(triage["fingerprint"]))
        now = _texts(out["finding_id"].map(n["fingerprint"]))
        known = (then != "") & (now != "")
        since = pd.Series("", index=out.index).mask(known & (then == now), "unchanged").mask(known & (then != now),
                                                                                             "changed")
    out.insert(3, "since_triage", since)
    # a dismissed finding that shows up again is reported as dismissed, not as new
    out.loc[(out["change"] == "new") & (out["triage_status"] == "dismissed"), "change"] = "dismissed"
    # new evidence reopens a triaged finding
    out.loc[(out["since_triage"] == "changed") & out["triage_status"].isin(TRIAGED)
            & (out["change"] != "resolved"), "change"] = "reopened"
    score = pd.to_numeric(out["score"], errors="coerce")  # read as text from the files: sorted as numbers
    if score.notna().all() and (score == score.round()).all():
        out["score"] = score.astype("int64")
    order = {"reopened": 0, "new": 1, "changed": 2, "resolved": 3, "dismissed": 4}
    result.table = out.sort_values(["change", "finding_id"],
                                   key=lambda s: s.map(order) if s.name == "change" else s).reset_index(drop=True)
    return result


def _rules_both_ran(old: pd.DataFrame, new: pd.DataFrame, ran: tuple[set[str] | None, set[str] | None],
                    notes: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The findings of the rules both sweeps ran (when both files say which), with a note on those left out; else
    both tables whole, with a note on each rule whose findings are all on one side (perhaps a rule not run)."""
    if ran[0] is not None and ran[1] is not None:
        both = ran[0] & ran[1]
        once = {side: sorted(r - both) for side, r in (("old", ran[0]), ("new", ran[1])) if r - both}
        for side, rules in once.items():
            frame = old if side == "old" else new
            left_out = int(frame["rule"].isin(rules).sum())
            notes.append(f"not compared: {', '.join(rules)} ran in the {side} sweep only ("
                         + counted(f"{left_out} finding(s) left out)", left_out))
        return old[old["rule"].isin(both)], new[new["rule"].isin(both)]
    known = next(((side, r) for side, r in zip(("old", "new"), ran, strict=True) if r is not None), None)
    if known is not None:  # one file says which rules its sweep ran: the other's findings of the rest are not compared
        side, ran_there = known
        other, frame = ("new", new) if side == "old" else ("old", old)
        gone = sorted(set(frame["rule"]) - ran_there)
        if gone:
            left_out = int(frame["rule"].isin(gone).sum())
            notes.append(f"not compared: {', '.join(gone)}, which the {side} sweep did not run (its file says which "
                         "ran): " + counted(f"{left_out} finding(s) of the {other} file left out", left_out))
            old, new = old[old["rule"].isin(ran_there)], new[new["rule"].isin(ran_there)]
    for side, here, there in (("old", old, new), ("new", new, old)):
        alone = sorted(set(here["rule"]) - set(there["rule"]))
        if alone and len(there):
            k = int(here["rule"].isin(alone).sum())
            listed = "resolved" if side == "old" else "new"
            other = "new" if side == "old" else "old"
            notes.append(f"{', '.join(alone)}: " + counted(f"{k} finding(s)", k) + f" in the {side} file, none in the "
                         f"{other} one, listed as {listed}; if the {other} sweep did not run "
                         + ("it" if len(alone) == 1 else "them") + f" (--rules), they are not {listed}. Excel files "
                         "name the rules their sweep ran, and diff then compares only the rules both ran")
    return old, new


def _changes(o: pd.Series, n: pd.Series, old_as_of: str | None, new_as_of: str | None) -> list[dict[str, Any]] | None:
    """Each changed field (Diff.details); None when only the recency points of the score (and so perhaps the
    severity) changed because the reference date moved."""
    changed = [c for c in COMPARED if c in n.index and c in o.index and _s(n[c]) != _s(o[c])]
    if ("last_date" in changed and old_as_of and new_as_of and old_as_of != new_as_of
            and _s(o["last_date"]) == old_as_of and _s(n["last_date"]) == new_as_of):
        changed.remove("last_date")  # a span still open runs to each sweep's date: the date moved, nothing else
    out = [_evidence_change(o, n) if c == "evidence" else {"field": c, "old": _s(o[c]), "new": _s(n[c])}
           for c in changed]
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


def change_text(change: Mapping[str, Any]) -> str:
    """One change of Diff.details as the diff's `changes` column says it, in ids: `score: 41 → 55`, `evidence: …`."""
    if change["field"] != "evidence":
        return f"{change['field']}: {change['old'] or '∅'} {ARROW} {change['new'] or '∅'}"
    if "changes" in change:
        return f"evidence: {changes_text(change['changes'])}"
    if "nodes" in change:
        return "evidence: " + "; ".join(f"{i} {k}: {a or '∅'} {ARROW} {b or '∅'}" for i, k, a, b in change["nodes"])
    added, removed = change["counts"]
    return f"evidence: {added} node(s) added, {removed} removed"


def _evidence_change(old: pd.Series, new: pd.Series) -> dict[str, Any]:
    """What changed in the evidence: the decisions, edges and dates (old → new), or, when only what the evidence
    shows of its nodes changed, those properties, else how many nodes were added and removed."""
    dated = ("first_date", "last_date")  # fields of their own in the diff: not told again as evidence
    detail = [c for c in evidence_changes(facts_from_row(old), facts_from_row(new)) if c["what"] not in dated]
    if detail:  # with the names the evidence gives its nodes (a decision's is its title, if any)
        named = {str(x.get("id")): x.get("name") for row in (old, new) for x in _nodes_of(row) if x.get("name")}
        return {"field": "evidence", "changes": detail, "names": named}

    def nodes(row: pd.Series) -> set[str]:
        return {json.dumps(x, sort_keys=True) for x in _nodes_of(row)}

    before, after = nodes(old), nodes(new)
    changed = _node_changes(before, after)
    if changed:  # the same nodes, what the evidence shows of some of them changed (a company renamed)
        return {"field": "evidence", "nodes": changed}
    return {"field": "evidence", "counts": (len(after - before), len(before - after))}


def _nodes_of(row: pd.Series) -> list[dict[str, Any]]:
    """The nodes a findings row's evidence shows (none when it holds no readable evidence)."""
    try:
        found = json.loads(_s(row.get("evidence"))).get("nodes", [])
    except (ValueError, AttributeError):
        return []
    return [x for x in found if isinstance(x, dict)]


def _node_changes(before: set[str], after: set[str]) -> list[tuple[str, str, str, str]]:
    """When the evidence holds the same nodes (by id) before and after, each changed property of each node
    ((XO0014, name, old, new)); else none."""
    old, new = ({n.get("id"): n for n in map(json.loads, side)} for side in (before, after))
    if set(old) != set(new) or None in old:
        return []
    return [(str(i), k, _s(old[i].get(k)), _s(new[i].get(k)))
            for i in sorted(old) for k in sorted(set(old[i]) | set(new[i])) if old[i].get(k) != new[i].get(k)]


def _s(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _who(row: pd.Series) -> dict:
    return {k: row.get(k, "") for k in ("rule", "severity", "score", "official_id", "official_name", "org_id",
                                        "org_name", "explanation")}


def _texts(values: pd.Series) -> pd.Series:
    """Text cells, a missing one empty (a triage file's column it does not have is None in every row)."""
    return values.astype(object).where(values.notna(), "")


def apply_triage(findings: pd.DataFrame, triage: pd.DataFrame,
                 old_facts: Mapping[str, Mapping[str, Any]] | None = None,
                 new_facts: Mapping[str, Mapping[str, Any]] | None = None) -> pd.DataFrame:
    """Adds triage_status (open when not triaged), triage_assignee (who the finding is assigned to, when the triage
    says), triage_note, triage_who, triage_when after the contract columns,
    and, for rows whose triage recorded the evidence fingerprint, triage_evidence (`unchanged`, or `changed` when
    the finding's fingerprint differs) with triage_changes (old → new) where the evidence then and now are known
    (`old_facts`: fingerprint -> facts, `new_facts`: finding id -> facts)."""
    out = findings.copy()
    ids = out["finding_id"]
    out["triage_status"] = ids.map(triage["status"]).fillna("open")
    out["triage_assignee"] = _texts(ids.map(triage["assignee"])) if "assignee" in triage.columns else ""
    out["triage_note"] = _texts(ids.map(triage["note"]))
    out["triage_who"] = _texts(ids.map(triage["who"]))
    out["triage_when"] = _texts(ids.map(triage["when"]))
    then = _texts(ids.map(triage["fingerprint"])) if "fingerprint" in triage.columns else pd.Series("", ids.index)
    now = out["fingerprint"] if "fingerprint" in out.columns else pd.Series("", ids.index)
    out["triage_evidence"] = [("" if not t else "unchanged" if t == n else "changed")
                              for t, n in zip(then, now, strict=True)]
    texts = []
    for fid, t, state in zip(ids, then, out["triage_evidence"], strict=True):
        if state == "changed" and old_facts and new_facts and t in old_facts and fid in new_facts:
            texts.append(changes_text(evidence_changes(old_facts[t], new_facts[fid])))
        else:
            texts.append("")
    out["triage_changes"] = texts
    return out
