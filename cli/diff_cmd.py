"""`govties diff OLD NEW`: new, resolved and changed findings between two sweeps, by finding_id."""

from __future__ import annotations

import click
import pandas as pd

from ..loaders.findings_file import read_findings
from ..loaders.triage import read_triage_file
from .main import main
from .options import CONTEXT, data_problems_exit

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


@main.command(context_settings=CONTEXT)
@click.argument("old", type=click.Path())
@click.argument("new", type=click.Path())
@click.option("--triage", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Triage CSV: dismissed findings that reappear are listed as dismissed, not new.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write the diff as CSV.")
def diff(old, new, triage, output):
    """List new, resolved and changed findings between two sweeps (matched by finding_id).

    \b
    Example:
      govties diff january/findings.csv february/findings.csv --triage triage.csv -o changes.csv
    """
    with data_problems_exit():
        table = diff_frames(read_findings(old), read_findings(new), read_triage_file(triage) if triage else None)
    counts = table["change"].value_counts().to_dict()
    for row in table.itertuples(index=False):
        extra = f" [{row.fields}]" if row.fields else ""
        click.echo(f"{row.change:<9} {row.finding_id}  {row.rule}  {row.official_name or ''} / {row.org_name or ''}"
                   f"{extra}")
    click.echo(", ".join(f"{k} {counts.get(k, 0)}" for k in ("new", "changed", "resolved", "dismissed")))
    if output:
        table.to_csv(output, index=False)
        click.echo(f"wrote {output}")
