"""`govties ftm-import` and `govties ftm-export`: FollowTheMoney in and out (OpenSanctions, Aleph)."""

from __future__ import annotations

import click

from ..loaders.findings_file import read_findings
from .main import main
from .options import CONTEXT, Fail, data_problems_exit


@main.command("ftm-import", context_settings=CONTEXT)
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
    from ..loaders.ftm import ftm_to_contract

    warnings = []
    with data_problems_exit():
        counts = ftm_to_contract(entities, out_dir, force=force, warnings=warnings)
    for w in warnings:
        click.echo(f"warning: {w}", err=True)
    for name, n in counts.items():
        click.echo(f"{name:<22} {n:>8} rows")
    click.echo(f"wrote {out_dir}")


@main.command("ftm-export", context_settings=CONTEXT)
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

    with data_problems_exit():
        rows = read_findings(findings).to_dict(orient="records")
    try:
        n = findings_to_ftm(rows, output)
    except RuntimeError as exc:
        raise Fail(str(exc)) from None
    click.echo(f"wrote {n} entities to {output}")
