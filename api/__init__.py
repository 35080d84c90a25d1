"""govties as a library: everything the `govties` command and the workbench do, as documented functions.

    import govties.api as gt

    settings = gt.sweep_settings(lang="en", params={"post-retirement": {"senior_years": 5}})   # checked up front
    with gt.open_graph(store="graph.duckdb", create=True) as g:  # or gt.open_graph("neo4j") (NEO4J_URI ...)
        loaded = g.load("data/")               # validate, resolve, store; DataError lists every problem
        result = g.sweep(settings)             # every rule; result.runs says what ran, was skipped, took how long
        findings = gt.findings_table(result, graph=g)   # a DataFrame: the contract's columns, then the case columns
        gt.write_findings(findings, "findings.xlsx", layout=gt.Layout(lang="zh"))   # whole or not at all
        ranks = g.rankings(result)             # officials, companies, agencies, regions
        path = g.finding(result, findings.finding_id[0]).graph   # one finding's evidence as a networkx graph

A stored graph (a store file or Neo4j) records each sweep in its workspace, beside the graph: the findings with
their evidence fingerprints, triage with its history, cases, accounts (api.workspace.Workspace):

    with gt.open_graph(store="graph.duckdb") as g:
        g.sweep(settings)                      # recorded (record=False to skip); g.recorded says what changed
        ws = g.workspace()
        page = ws.inbox(gt.InboxQuery(severity=["high"], status=["open"], size=20))   # paged by the backend
        fid = page.rows[0]["finding_id"]
        ws.save_triage(fid, version=ws.triage(fid)["version"], who="li", status="confirmed")  # StaleTriage if
        ws.export_triage().to_csv("triage.csv", index=False)                                 # someone saved first

What a front end shows beside the views (the vocabularies' words, a recorded finding drawn as the static views
draw it, node categories, safe JSON for a page) is in api.display; the workbench uses nothing else of govties.

Every error a user can fix is a govties.errors.GovtiesError whose message says what to do (DataError lists each
problem with file, line and column). A finding is a lead for review, not proof of wrongdoing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

import pandas as pd

from ..errors import GovtiesError
from ..graph.backend import BackendError
from ..graph.model import between_entities as between_entities  # what a neighbourhood shows first
from ..graph.vocabulary import LANGS, SEVERITY, TRIAGE_STATUS
from ..loaders import DataError, Dataset, load_dataset
from ..loaders.findings_file import read_about, read_findings
from ..loaders.triage import not_recorded, not_shown, read_triage_file
from ..rules.catalog import catalog
from ..rules.engine import SweepResult
from ..rules.export import Layout
from ..rules.tracking import Diff, apply_triage, diff as diff_tables
from .graph import VIEW_LIMITS, Graph, Loaded, open_graph
from .inbox import InboxError, InboxQuery, Page
from .outputs import (about, findings_table, mask_findings, mask_frame, masked_result, param_text, ranking_files,
                      resolution_list, warnings_table, write_csv, write_findings, write_rankings)
from .triage import StaleTriage, TriageError
from .workspace import Workspace
from .changes import worded_change, worded_diff
from .settings import SettingsError, SweepSettings, check_as_of, read_config, select_rules, sweep_settings
from . import display, tools
from .display import *  # noqa: F403 - what a front end shows beside the views (display.__all__)
from .tools import *  # noqa: F403 - what the command line does beyond load and sweep (tools.__all__)


def validate(source: str | Path, *, encoding: str | None = None, mapping: str | Path | None = None,
             header_row: int | None = None) -> Dataset:
    """Read, check and resolve a dataset without storing it; raises DataError listing every problem."""
    return load_dataset(source, encoding=encoding, mapping=mapping, header_row=header_row)


def read_triage(path: str | Path, unrecorded: Callable[[list[str]], Collection[str]] | None = None,
                given: Callable[[list[str]], list[str]] | None = None, shown_keyed: bool = False) -> pd.DataFrame:
    """A triage CSV (finding_id, status, note, who, when), checked whole; indexed by finding_id. With `unrecorded`
    (Workspace.unrecorded: the ids, of those given, that name no recorded finding), a row naming none is a problem
    in the same report as the others; `given` maps the ids as read first (a masked workbench's keyed ids). An
    optional column the file does not have is None in every row (not given), an empty cell "". With
    `shown_keyed` (a masked workbench's upload, which takes finding ids only as it shows them, keyed), a row naming
    no finding is said so: not a finding id as the workbench shows them."""
    return read_triage_file(path, unrecorded, given, not_shown if shown_keyed else not_recorded)


def compare(old: str | Path | pd.DataFrame, new: str | Path | pd.DataFrame,
            triage: str | Path | pd.DataFrame | None = None) -> Diff:
    """New, resolved and changed findings between two findings tables (files of any export format, or frames),
    each change as `field: old → new`, scores compared under one reference date (rules.tracking); a dismissed
    finding that reappears is reported as dismissed, not as new, and a confirmed or dismissed one whose evidence
    fingerprint differs from the one its triage recorded as reopened. `.table` is the diff, `.notes` what to
    know."""
    def frame(x):
        return x if isinstance(x, pd.DataFrame) else read_findings(x)

    # what each file records of its sweep (an Excel file's about sheet): the rules it ran, whether it is masked
    old_about, new_about = (None if isinstance(x, pd.DataFrame) else read_about(x) for x in (old, new))
    if old_about is not None and new_about is not None and ("masked" in old_about) != ("masked" in new_about):
        raise SettingsError(f"the {'old' if 'masked' in old_about else 'new'} findings file is masked and the other "
                            "is not, so their finding ids differ (masked ids are keyed); fix: compare two files "
                            "masked with the same key, or two unmasked ones")

    def ran(about: dict[str, str] | None) -> set[str] | None:
        return None if about is None or "rules" not in about else {r for r in about["rules"].split(",") if r}

    if triage is not None and not isinstance(triage, pd.DataFrame):
        triage = read_triage_file(triage)
    return diff_tables(frame(old), frame(new), triage, (ran(old_about), ran(new_about)))


def diff(old: str | Path | pd.DataFrame, new: str | Path | pd.DataFrame,
         triage: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """compare(...).table"""
    return compare(old, new, triage).table


def rules():
    """The rule catalog: id -> rules.spec.Rule (titles, description, basis, parameters, queries)."""
    return catalog()


__all__ = [
    "GovtiesError", "BackendError", "DataError", "SettingsError", "Dataset", "Graph", "Loaded", "SweepSettings",
    "open_graph", "sweep_settings", "read_config", "select_rules", "check_as_of", "validate", "read_findings",
    "read_triage", "apply_triage", "diff", "compare", "Diff", "rules", "findings_table", "mask_frame",
    "mask_findings", "masked_result", "about", "write_findings", "write_csv", "write_rankings", "ranking_files",
    "resolution_list", "warnings_table", "Layout", "Workspace", "InboxQuery", "InboxError", "Page", "StaleTriage",
    "TriageError", "param_text", "LANGS", "SEVERITY", "TRIAGE_STATUS", "SweepResult", "VIEW_LIMITS", "worded_change",
    "worded_diff",
]
__all__ += display.__all__ + tools.__all__
