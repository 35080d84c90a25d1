"""What a sweep prints: per rule, findings by severity, skipped rules with their reasons, the disclaimer."""

from __future__ import annotations

import click

from .. import DISCLAIMER_EN, DISCLAIMER_ZH
from ..loaders import Dataset
from ..rules.engine import SweepResult


def print_load(dataset: Dataset, counts: dict[str, int], verbose_warnings: int = 20) -> None:
    shown = ", ".join(f"{name} {n}" for name, n in counts.items() if n)
    click.echo(f"loaded {dataset.source}: {shown}")
    for w in dataset.warnings[:verbose_warnings]:
        click.echo(f"warning: {w}")
    if len(dataset.warnings) > verbose_warnings:
        click.echo(f"... and {len(dataset.warnings) - verbose_warnings} more warnings (govties validate lists all)")
    click.echo(dataset.resolution.summary())


def print_sweep(result: SweepResult) -> None:
    click.echo(f"\nsweep as of {result.as_of or 'n/a'}:")
    width = max((len(r.rule.id) for r in result.runs), default=10)
    total = {"high": 0, "medium": 0, "low": 0}
    for run in result.runs:
        if run.status == "skipped":
            click.echo(f"  {run.rule.id:<{width}}  skipped: {run.reason}")
            continue
        sev = {"high": 0, "medium": 0, "low": 0}
        for f in run.findings:
            sev[f["severity"]] += 1
            total[f["severity"]] += 1
        click.echo(f"  {run.rule.id:<{width}}  {len(run.findings):5d} findings  (high {sev['high']}, "
                   f"medium {sev['medium']}, low {sev['low']})  {run.seconds:.2f}s")
        if run.rule.undated is not None:
            click.echo(f"  {'':<{width}}  {len(run.undated):5d} role(s) without a start date not placed"
                       + (" (listed in undated.csv with --aggregate-out)" if run.undated else ""))
    n = sum(total.values())
    click.echo(f"  {'total':<{width}}  {n:5d} findings  (high {total['high']}, medium {total['medium']}, "
               f"low {total['low']})")
    click.echo(f"\n{DISCLAIMER_EN if result.lang == 'en' else DISCLAIMER_ZH}")
    if result.lang != "en":
        click.echo(DISCLAIMER_EN)


def print_triage(frame) -> None:
    counts = frame["triage_status"].value_counts().to_dict() if len(frame) else {}
    click.echo("triage: " + ", ".join(f"{s} {counts.get(s, 0)}" for s in ("open", "in_review", "confirmed",
                                                                          "dismissed"))
               + " (dismissed findings stay in the table, marked as dismissed)")
    if len(frame) and "triage_evidence" in frame.columns:
        changed = frame[(frame["triage_evidence"] == "changed")
                        & frame["triage_status"].isin(["confirmed", "dismissed"])]
        if len(changed):
            click.echo(f"evidence changed since triage (triage_evidence = changed): {len(changed)} confirmed or "
                       "dismissed finding(s) to review again")
            for row in changed.head(20).itertuples(index=False):
                click.echo(f"  {row.finding_id} {row.triage_status}: {row.triage_changes or 'evidence changed'}")


def print_recorded(recorded: dict | None) -> None:
    if recorded:
        click.echo(f"recorded {recorded['sweep_id']} in the workspace: {recorded['findings']} findings, "
                   f"{recorded['new']} new, {recorded['changed']} with changed evidence, {recorded['reopened']} "
                   "reopened (their evidence changed since they were confirmed or dismissed)")
