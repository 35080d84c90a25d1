"""`govties demo` (the whole path on the bundled synthetic province) and `govties generate`."""

from __future__ import annotations

from pathlib import Path

import click

from .main import main, sweep
from .options import CONTEXT, Fail

DEMO_DIR = Path(__file__).resolve().parent.parent / "examples" / "demo"


@main.command(context_settings=CONTEXT)
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), default="govties-demo", show_default=True,
              help="Folder for the outputs.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.pass_context
def demo(ctx, out_dir, lang):
    """Run the whole path on the bundled synthetic province: load, resolve, sweep every rule, export.

    Writes findings.csv, findings.xlsx and resolution.csv into the output folder and says where they are.
    The data are synthetic (examples/demo); planted.csv there lists what a correct sweep finds.

    \b
    Example:
      govties demo --out /tmp/demo --lang en
    """
    if not (DEMO_DIR / "people.csv").exists():
        raise Fail(f"the demo dataset is missing from {DEMO_DIR}; reinstall govties or run "
                   "`govties generate --out DIR` and `govties sweep DIR`")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    click.echo(f"demo dataset: {DEMO_DIR}")
    ctx.invoke(sweep, dataset=str(DEMO_DIR), output=str(out / "findings.csv"), lang=lang,
               resolution_out=str(out / "resolution.csv"), quiet=True)
    from ..rules.export import write_findings
    import pandas as pd

    frame = pd.read_csv(out / "findings.csv", dtype=str, keep_default_na=False)
    write_findings(frame, out / "findings.xlsx", about={"source": str(DEMO_DIR)})
    click.echo(f"\noutputs in {out.resolve()}:")
    for name in ("findings.csv", "findings.xlsx", "resolution.csv"):
        click.echo(f"  {out.resolve() / name}")


@main.command(context_settings=CONTEXT)
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), required=True, help="Folder to write.")
@click.option("--people", type=int, default=1000, show_default=True,
              help="Size: per person the province has 2 organizations, 10 company roles and 5 decisions.")
@click.option("--seed", type=int, default=7, show_default=True, help="Random seed (same seed, same data).")
def generate(out_dir, people, seed):
    """Write a synthetic province in the dataset contract's format, with planted positives, near-misses and
    entity-resolution traps for every rule (listed in planted.csv).

    \b
    Example:
      govties generate --out /tmp/province --people 100000
    """
    from ..examples.generator import write_dataset

    if people < 1:
        raise Fail("--people must be at least 1")
    counts = write_dataset(out_dir, people, seed)
    for name, n in counts.items():
        click.echo(f"{name:<22} {n:>10} rows")
    click.echo(f"wrote {out_dir}")
