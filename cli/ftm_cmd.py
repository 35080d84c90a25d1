"""`govties ftm-import` and `govties ftm-export`: FollowTheMoney in and out (OpenSanctions, Aleph)."""

from __future__ import annotations

import click

from pathlib import Path

from .. import api
from .options import CONTEXT, Progress, claim_outputs, inputs_of


@click.command("ftm-import", context_settings=CONTEXT, short_help="Turn FollowTheMoney entities into a dataset.")
@click.argument("entities", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), required=True,
              help="Folder to write the dataset (contract CSV files) into: new or empty, unless --force.")
@click.option("--force", is_flag=True,
              help="Replace the dataset in a folder that is not empty: its contract files are all rewritten, or "
                   "removed when this import has no rows for them (other files are left alone).")
def ftm_import(entities, out_dir, force):
    """Turn FollowTheMoney entities (JSON lines, e.g. OpenSanctions PEP data) into a dataset folder that
    `govties validate` and `govties sweep` read like any other.

    \b
    Example:
      govties ftm-import peps.ftm.json --out peps/ && govties sweep peps/ -o findings.csv
    """
    warnings: list = []
    counts = api.ftm_import(entities, out_dir, force=force, warnings=warnings)
    for w in warnings:
        click.echo(f"warning: {w}", err=True)
    for name, n in counts.items():
        click.echo(f"{name:<22} {n:>8} " + api.counted("row(s)", n))
    click.echo(f"wrote {out_dir}")


@click.command("ftm-export", context_settings=CONTEXT, short_help="Write findings and evidence as FollowTheMoney.")
@click.argument("findings", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="FtM JSON lines to write.")
@click.option("--dataset", type=click.Path(exists=True), default=None,
              help="The swept dataset: adds the decisions' amounts, dates, titles and issuers.")
def ftm_export(findings, output, dataset):
    """Write a findings table and its evidence as FollowTheMoney entities for Aleph: people, organizations and
    decisions on each path, each edge as the schema's own link (Ownership, Directorship, Employment, Family,
    Occupancy, ContractAward, Payment; UnknownLink where FtM has none), a Note per finding with its explanation.

    \b
    Examples:
      govties ftm-export findings.csv -o findings.ftm.json
      govties ftm-export findings.csv -o findings.ftm.json --dataset data/
    """
    import json

    claim_outputs({"-o": output}, inputs_of(findings, dataset))
    rows = api.read_findings(findings).to_dict(orient="records")
    details = None
    if dataset:
        with api.open_graph() as graph:
            graph.load(dataset, progress=Progress(quiet=True))
            ev = [json.loads(r["evidence"]) if isinstance(r["evidence"], str) else r["evidence"] for r in rows]
            details = graph.details([n["id"] for e in ev for n in e.get("nodes", []) if n.get("type") == "decision"])
    n = api.ftm_export(rows, output, details, source=Path(findings).name)
    click.echo(f"wrote {n} entities to {output}")


COMMANDS = (ftm_import, ftm_export)
