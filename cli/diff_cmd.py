"""`govties diff OLD NEW`: new, resolved and changed findings between two sweeps, by finding_id."""

from __future__ import annotations

import click

from .. import api
from .options import CONTEXT


@click.command(context_settings=CONTEXT)
@click.argument("old", type=click.Path())
@click.argument("new", type=click.Path())
@click.option("--triage", type=click.Path(dir_okay=False), default=None,
              help="Triage CSV: dismissed findings that reappear are listed as dismissed, not new.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write the diff as CSV.")
def diff(old, new, triage, output):
    """List new, resolved and changed findings between two sweeps (matched by finding_id), with what changed in
    their evidence (old -> new). With a triage CSV that records each decision's evidence fingerprint (the
    workbench exports one), a confirmed or dismissed finding whose evidence changed since is listed as reopened.

    \b
    Example:
      govties diff january/findings.csv february/findings.csv --triage triage.csv -o changes.csv
    """
    table = api.diff(old, new, triage)
    counts = table["change"].value_counts().to_dict()
    for row in table.itertuples(index=False):
        extra = f" [{row.fields}]" if row.fields else ""
        triaged = f" (was {row.triage_status}; evidence changed since triage)" if row.change == "reopened" else ""
        click.echo(f"{row.change:<9} {row.finding_id}  {row.rule}  {row.official_name or ''} / {row.org_name or ''}"
                   f"{extra}{triaged}")
        if row.differences:
            click.echo(f"          {row.differences}")
    click.echo(", ".join(f"{k} {counts.get(k, 0)}" for k in ("new", "reopened", "changed", "resolved", "dismissed")))
    if output:
        api.write_csv(table, output)
        click.echo(f"wrote {output}")


COMMANDS = (diff,)
