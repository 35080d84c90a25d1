"""Recording a sweep in the workspace: the sweep (when, as of, settings), and for each rule that ran, its findings
replacing that rule's previously recorded ones, each with its evidence fingerprint, when it was first seen, when
its evidence last changed, and the agency and region it belongs to (as the ranked tables assign them). A confirmed
or dismissed finding whose evidence changed since triage is flagged (`reopened`) and an event says so.

Also where each loaded record came from (file or sheet and line), written at load."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from .. import __version__
from ..graph.workspace import Cond
from ..rules.aggregate import agency_region, held_then, spans
from ..rules.casework import total_amounts
from ..rules.findings import facts_text

if TYPE_CHECKING:
    from ..loaders import Dataset
    from ..rules.engine import SweepResult
    from .settings import SweepSettings

SEVERITY_RANK = {"high": 3, "medium": 2, "low": 1}
TRIAGED = ("confirmed", "dismissed")
SYSTEM = "govties"  # who an automatic change is recorded as


def _chunks(items: list[str], size: int = 20000) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class Recording:
    """Mixin of api.workspace.Workspace."""

    store: Any
    backend: Any

    @property
    def atomic(self) -> bool:
        """Whether a whole recording fits in one transaction here (DuckDB); on Neo4j it is written in batches and
        the sweep row says `recording` until the last one is in (a rerun of the sweep completes it)."""
        return "transactions" in self.backend.features

    def file_without_region(self) -> int:
        """File under NO_REGION, as recording now does, the findings a workspace recorded earlier with an agency
        but no region (agencies that record none): the evaluation's (none) row links to them. Returns how many."""
        unfiled = [Cond("region", "null"), Cond("agency_id", "not_null")]
        if not self.store.count("finding", unfiled):  # a read: a workspace filed so already is not written to
            return 0
        return self.store.update("finding", unfiled, {"region": agency_region(None)})

    # -- sweeps ----------------------------------------------------------------------------------------
    def record(self, result: SweepResult, settings: SweepSettings | None = None, *, by: str = SYSTEM
               ) -> dict[str, Any]:
        """Record a sweep's findings. For every rule that ran or was skipped, the recorded findings of that rule
        are replaced by this sweep's. Returns the sweep row with counts of new, changed and reopened findings."""
        at = self.now()  # type: ignore[attr-defined]
        sweep_id = "sweep-" + at[:19].replace(":", "").replace("-", "") + "-" + uuid.uuid4().hex[:6]
        rules = [run.rule.id for run in result.runs]
        findings = result.findings
        ids = [f["finding_id"] for f in findings]
        seen = {r["finding_id"]: r for chunk in _chunks(ids) for r in self.store.select(
            "seen", [Cond("finding_id", "in", chunk)])}
        triage = {r["finding_id"]: r for chunk in _chunks(ids) for r in self.store.select(
            "triage", [Cond("finding_id", "in", chunk)])}
        stored_facts = {r["fingerprint"] for chunk in _chunks(sorted({f["fingerprint"] for f in findings}))
                        for r in self.store.select("evidence", [Cond("fingerprint", "in", chunk)])}
        places = self._places(findings)
        amounts = total_amounts(self.backend, findings)  # as the findings table's total_amount
        rows, seen_rows, events, facts = [], [], [], {}
        counts = {"new": 0, "changed": 0, "reopened": 0}
        for f, amount in zip(findings, amounts, strict=True):
            fid, fp = f["finding_id"], f["fingerprint"]
            before = seen.get(fid)
            if before is None:
                counts["new"] += 1
                before = {"first_seen": at, "first_seen_sweep": sweep_id, "fingerprint": fp, "changed_at": at}
            elif before["fingerprint"] != fp:
                counts["changed"] += 1
                before = {**before, "fingerprint": fp, "changed_at": at}
            seen_rows.append({"finding_id": fid, **{k: before[k] for k in ("first_seen", "first_seen_sweep",
                                                                           "fingerprint", "changed_at")}})
            t = triage.get(fid) or {}
            reopened = bool(t.get("status") in TRIAGED and t.get("fingerprint") and t["fingerprint"] != fp)
            if reopened and seen.get(fid, {}).get("fingerprint") != fp:
                counts["reopened"] += 1
                events.append(self.event(f"{SYSTEM} ({sweep_id})", "evidence", fid, "fingerprint",  # type: ignore
                                         t["fingerprint"], fp, at=at))
            if fp not in stored_facts and fp not in facts:
                facts[fp] = facts_text(f)
            rows.append(self._row(f, sweep_id, before, t, reopened, places.get(fid, {}), amount))
        sweep = {"sweep_id": sweep_id, "at": at, "state": "recording", "as_of": result.as_of,
                 "backend": self.backend.name, "lang": result.lang, "rules": rules,
                 "params": json.dumps({"params": {run.rule.id: run.params for run in result.runs},
                                       "skipped": {r.rule.id: r.reason for r in result.runs if r.status != "ran"},
                                       "govties": __version__}, ensure_ascii=False, sort_keys=True, default=str),
                 "findings": len(rows), "by": by}
        with self.store.transaction() if self.atomic else nullcontext():
            self.store.insert("sweep", [sweep])
            self.store.upsert("evidence", [{"fingerprint": k, "facts": v} for k, v in facts.items()])
            self.store.delete("finding", [Cond("rule", "in", rules)])
            self.store.insert("finding", rows)
            self.store.upsert("seen", seen_rows)
            self.store.insert("event", events)
            self.store.update("sweep", [Cond("sweep_id", "eq", sweep_id)], {"state": "recorded"})
        return {**sweep, "state": "recorded", **counts}

    def latest_sweep(self) -> dict[str, Any] | None:
        rows = self.store.select("sweep", order=[("at", True)], limit=1)
        return rows[0] if rows else None

    def sweep_params(self, sweep_id: str | None) -> dict[str, dict[str, Any]]:
        """The parameters a recorded sweep ran each rule with (rule id -> name -> value); {} for an unknown sweep."""
        rows = self.store.select("sweep", [Cond("sweep_id", "eq", sweep_id)]) if sweep_id else []
        try:
            return json.loads(rows[0]["params"] or "{}").get("params", {}) if rows else {}
        except ValueError:
            return {}

    def sweeps(self, limit: int = 50) -> list[dict[str, Any]]:
        return self.store.select("sweep", order=[("at", True)], limit=limit)

    def _row(self, f: dict[str, Any], sweep_id: str, seen: dict[str, Any], triage: dict[str, Any], reopened: bool,
             place: dict[str, Any], amount: float | None) -> dict[str, Any]:
        evidence = json.loads(f["evidence"]) if isinstance(f["evidence"], str) else f["evidence"]
        entities = sorted({n["id"] for n in evidence.get("nodes", [])}
                          | {x for x in (f.get("official_id"), f.get("org_id"), f.get("via_id")) if x})
        texts = f.get("_explanations") or {"zh": f["explanation"], "en": f["explanation"]}
        # the finding's id first: a masked inbox searches the text after it (Inbox._searched, hide_ids)
        search = " ".join(str(v) for v in (f["finding_id"], f["rule"], f.get("official_id"), f.get("official_name"),
                                           f.get("org_id"), f.get("org_name"), f.get("via_id"), f.get("via_name"),
                                           f.get("decision_ids"), place.get("agency_name"), texts.get("zh"),
                                           texts.get("en")) if v).lower()
        return {
            "finding_id": f["finding_id"], "sweep_id": sweep_id, "rule": f["rule"], "severity": f["severity"],
            "severity_rank": SEVERITY_RANK.get(f["severity"], 0), "score": f["score"],
            **{k: f.get(k) or None for k in ("official_id", "official_name", "org_id", "org_name", "via_id",
                                             "via_name", "first_date", "last_date")},
            "decision_ids": f.get("decision_ids") or "", "amount": amount,
            "agency_id": place.get("agency_id"), "agency_name": place.get("agency_name"),
            "region": place.get("region"), "explanation_zh": texts.get("zh"), "explanation_en": texts.get("en"),
            "evidence": f["evidence"] if isinstance(f["evidence"], str) else json.dumps(evidence, sort_keys=True),
            "fingerprint": f["fingerprint"], "entity_ids": entities, "search": search,
            "first_seen": seen["first_seen"], "first_seen_sweep": seen["first_seen_sweep"],
            "changed_at": seen["changed_at"], "status": triage.get("status") or "open",
            "assignee": triage.get("assignee") or None, "reopened": reopened,
            "ring_id": (evidence.get("ring") or {}).get("id"),
        }

    def _places(self, findings: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """finding id -> the agency it belongs to and that agency's region: the agency that issued its first
        decision, else the organization of the latest post its official held within its evidence dates (of any
        post, when he held none then): one of those rules/aggregate.py ranks it under (held_then), which counts a
        finding at every agency of its decisions and posts held then; the region is the agency's region code cut
        to the city (4 digits), or NO_REGION ("(none)") for an agency that records none."""
        decisions = sorted({d for f in findings for d in (f.get("decision_ids") or "").split(";") if d})
        agency_of: dict[str, str] = {}
        for chunk in _chunks(decisions):
            dec = self.backend.lookup("decision", chunk)
            agency_of.update(zip(dec["decision_id"], dec["agency_id"], strict=True))
        chosen: dict[str, str] = {}
        without = []
        for f in findings:
            first = next((agency_of.get(d) for d in (f.get("decision_ids") or "").split(";") if agency_of.get(d)),
                         None)
            if first:
                chosen[f["finding_id"]] = first
            elif f.get("official_id"):
                without.append(f)
        if without:
            posts = pd.concat([self.backend.lookup("post", chunk) for chunk in
                               _chunks(sorted({f["official_id"] for f in without}))])
            frame = pd.DataFrame([{c: f.get(c) for c in ("finding_id", "official_id", "first_date", "last_date")}
                                  for f in without])
            held = held_then(frame, spans(posts)).sort_values(["finding_id", "start_date", "org_id"],
                                                              na_position="first")
            latest = held.groupby("finding_id")["org_id"].last()  # of those, the latest
            chosen.update(zip(map(str, latest.index), map(str, latest), strict=True))
        orgs = pd.concat([self.backend.lookup("org", chunk) for chunk in _chunks(sorted(set(chosen.values())))]) \
            if chosen else None
        info = {} if orgs is None else {o: (n, r) for o, n, r in zip(orgs["org_id"], orgs["name"],
                                                                     orgs["region_code"], strict=True)}
        out = {}
        for fid, agency in chosen.items():
            name, region = info.get(agency, (None, None))
            out[fid] = {"agency_id": agency, "agency_name": name,
                        "region": agency_region(region)}
        return out

    # -- where records came from ---------------------------------------------------------------------
    def record_sources(self, dataset: Dataset, *, append: bool = False) -> int:
        """The load's source records (file or sheet, line) and its possible matches by name and birth date,
        replacing those of the previous full load (or added to them, for an append); the name-only matches of
        company-role holders without a resident ID are found when a person's page asks (Entities.name_matches_of):
        a province's namesakes are many. Recording the same load again leaves one copy of each record: a full load
        replaces them all; an append first removes the records of its own dataset with its record ids (written by
        an earlier run of it that Ctrl-C cut short on Neo4j, where records are written in batches, or by appending
        the same folder again). Returns the records written."""
        table = dataset.records
        if table is None:
            return 0
        rows = table.append_column("dataset", pa.repeat(pa.scalar(dataset.source, pa.string()), table.num_rows))
        matches: list[dict[str, Any]] = [
            {"match_id": hashlib.sha256("|".join(m.ids).encode()).hexdigest()[:16], "entity_ids": m.ids,
             "name": m.name, "birth_date": m.birth_date, "reason": m.code} for m in dataset.resolution.possible]
        with self.store.transaction() if self.atomic else nullcontext():
            if append:
                self._forget_sources(rows, dataset.source)
            else:
                self.store.delete("record", [])
                self.store.delete("match", [])
            self.store.insert("record", rows)
            self.store.upsert("match", matches)
        return rows.num_rows

    def _forget_sources(self, rows: pa.Table, source: str) -> None:
        """Remove the recorded records of `source` that `rows` records again (same kind and record id)."""
        import pyarrow.compute as pc

        for kind in pc.unique(rows.column("kind")).to_pylist():
            ids = pc.unique(rows.filter(pc.equal(rows.column("kind"), kind)).column("record_id")).drop_null()
            for chunk in _chunks(sorted(ids.to_pylist())):
                self.store.delete("record", [Cond("dataset", "eq", source), Cond("kind", "eq", kind),
                                             Cond("record_id", "in", chunk)])


__all__ = ["Recording", "SEVERITY_RANK", "SYSTEM"]
