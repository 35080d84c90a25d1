"""What a sweep writes for people: the findings table (with triage and masking), ranked tables, the
entity-resolution list, views and the report. Every file is written whole or not at all (govties.files)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__
from ..files import atomic_path
from ..loaders import Dataset
from ..loaders.names import name_matches
from ..privacy import mask_value
from ..rules.engine import SweepResult
from ..rules.export import findings_frame, write_findings
from ..rules.tracking import apply_triage


def findings_table(result: SweepResult, *, triage: pd.DataFrame | None = None, mask: bool = False,
                   archive: Mapping[str, Mapping[str, Any]] | None = None) -> pd.DataFrame:
    """A sweep's findings as a DataFrame: the contract's columns first and in order, the evidence fingerprint, then
    the triage columns when a triage table is given (read with api.read_triage): a triaged finding whose evidence
    changed since its triage says so, and what changed when `archive` (fingerprint -> the evidence facts then, as
    Workspace.facts_many gives) holds the evidence it was triaged on. Resident IDs and phones masked with `mask`."""
    findings = result.findings
    frame = findings_frame(findings)
    if triage is not None:
        frame = apply_triage(frame, triage, archive,
                             {f["finding_id"]: f["_facts"] for f in findings if f.get("_facts") is not None})
    return mask_frame(frame) if mask else frame


def mask_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.map(mask_value) if len(frame) else frame


def about(result: SweepResult, source: str | None, backend: str, profile: str | None = None) -> dict[str, Any]:
    """The run's parameters, written beside the findings (the Excel `about` sheet)."""
    return {"source": source or "(stored graph)", "backend": backend, "as_of": result.as_of,
            "rules": ",".join(run.rule.id for run in result.runs), "profile": profile or "cn",
            "govties": __version__}


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False)
    return Path(path)


def write_rankings(tables: dict[str, pd.DataFrame], folder: str | Path, *, mask: bool = False) -> dict[str, int]:
    """officials.csv, companies.csv, agencies.csv, regions.csv (and undated.csv: the roles rules could not place
    for want of a start date) into `folder`; returns rows per file."""
    out = Path(folder)
    written = {}
    for name, df in tables.items():
        write_csv(mask_frame(df) if mask else df, out / f"{name}.csv")
        written[f"{name}.csv"] = len(df)
    return written


def resolution_list(dataset: Dataset, *, name_help: bool = False) -> tuple[pd.DataFrame, list[str]]:
    """Who was merged by resident ID and the possible matches by name and birth date; with `name_help`, also
    company-role holders without a resident ID whose name matches someone else (simplified characters, pinyin
    with govties[names]). Listed for review, never merged. Returns the list and notes on what was not checked."""
    frame = dataset.resolution.frame()
    notes: list[str] = []
    if name_help:
        matches, notes = name_matches(dataset.frame("person"), dataset.frame("role"))
        if matches:
            frame = pd.concat([frame, pd.DataFrame(
                [{"canonical_id": "", "person_ids": f"{m.holder_id};{m.candidate_id}",
                  "names": f"{m.holder_name};{m.candidate_name}", "id_number": "", "decision": "name",
                  "reason": f"company-role holder without a resident ID: {m.reason} (not merged)"}
                 for m in matches])], ignore_index=True)
    return frame, notes


__all__ = ["findings_table", "mask_frame", "about", "write_csv", "write_findings", "write_rankings",
           "resolution_list"]
