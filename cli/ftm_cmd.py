"""`govties ftm-import` and `govties ftm-export`: FollowTheMoney in and out (OpenSanctions, Aleph)."""

from __future__ import annotations

import click

from pathlib import Path

from .. import api
from .options import CONTEXT, claim_outputs, inputs_of


@click.command("ftm-import", context_settings=CONTEXT)
@click.argument("entities", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), required=True,
              help="Folder to write the dataset (contract CSV files) into.")
def ftm_import(entities, out_dir):
    """Turn FollowTheMoney entities (JSON lines, e.g. OpenSanctions PEP data) into a dataset folder that
    `govties validate` and `govties sweep` read like any other.

    \b
    Example:
      govties ftm-import peps.ftm.json --out peps/ && govties sweep peps/ -o findings.csv
    """
    from ..loaders.ftm import ftm_to_contract

    counts = ftm_to_contract(entities, out_dir)
    for name, n in counts.items():
        click.echo(f"{name:<22} {n:>8} rows")
    click.echo(f"wrote {out_dir}")


@click.command("ftm-export", context_settings=CONTEXT)
@click.argument("findings", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="FtM JSON lines to write.")
def ftm_export(findings, output):
    """Write a findings table and its evidence as FollowTheMoney entities for Aleph: people, organizations and
    decisions on each path, an UnknownLink per edge, a Note per finding with its explanation.

    \b
    Example:
      govties ftm-export findings.csv -o findings.ftm.json
    """
    from ..rules.ftm_export import findings_to_ftm

    claim_outputs({"-o": output}, inputs_of(findings))
    rows = api.read_findings(findings).to_dict(orient="records")
    n = findings_to_ftm(rows, output, source=Path(findings).name)
    click.echo(f"wrote {n} entities to {output}")


COMMANDS = (ftm_import, ftm_export)
