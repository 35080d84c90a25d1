"""The inbox's findings as the file a case handler sorts: every recorded finding an inbox query selects (not one
page), in its order, with the columns `govties sweep --triage` writes — the contract's, the case handler's (rule
title, amounts, decision kinds, the official's post and rank then, the relation), the sweep's as_of and the triage
columns as the workspace holds them — as CSV, Excel or JSON lines. A workbench serving a store holds it alone;
this is how its findings leave it while it runs."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from ..loaders.values import parse_moment
from ..rules.casework import case_columns
from ..rules.export import Layout, findings_frame, write_findings
from ..rules.tracking import apply_triage
from ..titles import FINDING_COLUMNS
from .inbox import InboxQuery, selected
from .outputs import mask_findings

#: the formats a download is offered in: name -> (file suffix, media type)
DOWNLOADS = {
    "csv": (".csv", "text/csv; charset=utf-8"),
    "xlsx": (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "jsonl": (".jsonl", "application/x-ndjson; charset=utf-8"),
}


class Downloads:
    """Mixin of api.workspace.Workspace."""

    store: Any
    backend: Any

    def inbox_table(self, query: InboxQuery, lang: str = "zh", *, key: bytes | None = None) -> pd.DataFrame:
        """Every recorded finding `query` selects (its page and page size aside), in its order, as a findings
        table (the module's columns), the explanation in `lang`; with `key` (the mask key), masked and with keyed
        finding ids, as `sweep --mask` writes them."""
        rows = self.store.select("finding", selected(*self._searched(query)),  # type: ignore[attr-defined]
                                 order=query.order())
        findings = [{**{c: row.get(c) for c in FINDING_COLUMNS if c != "explanation"},
                     "explanation": row.get(f"explanation_{lang}") or row.get("explanation_zh"),
                     "decision_ids": row.get("decision_ids") or "", "fingerprint": row.get("fingerprint")}
                    for row in rows]
        sweep = self.latest_sweep()  # type: ignore[attr-defined]
        as_of = sweep.get("as_of") if sweep else None
        frame = findings_frame(findings)
        if findings:
            frame = pd.concat([frame.reset_index(drop=True), case_columns(self.backend, findings, lang, as_of)],
                              axis=1)
        else:
            frame["as_of"] = pd.Series(dtype=object)
        triage = self.export_triage().set_index("finding_id")  # type: ignore[attr-defined]
        # `when` as sweep --triage reads a triage file's (2026-12-03T14:28, UTC): triage_when has one form
        triage["when"] = triage["when"].map(lambda v: parse_moment(v) or v if v else v)
        frame = apply_triage(frame, triage)
        return mask_findings(frame, key) if key is not None else frame

    def downloaded(self, who: str, fmt: str, filters: str, count: int) -> None:
        """Record in the audit trail that `who` downloaded `count` findings selected by `filters` as `fmt`."""
        self.store.insert("event", [self.event(who, "download", "inbox", fmt, None,  # type: ignore[attr-defined]
                                               {"filters": filters, "findings": count})])


def download_bytes(frame: pd.DataFrame, fmt: str, lang: str, about: dict[str, Any] | None = None) -> bytes:
    """A findings table as the bytes of a file in `fmt` (a key of DOWNLOADS), as `govties sweep -o` writes it."""
    suffix = DOWNLOADS[fmt][0]
    with tempfile.TemporaryDirectory(prefix="govties-download-") as folder:
        return write_findings(frame, Path(folder) / f"findings{suffix}", fmt, about=about,
                              layout=Layout(lang=lang)).read_bytes()
