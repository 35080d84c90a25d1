"""`govties demo` (the whole path on the bundled synthetic province) and `govties generate`."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from .. import api
from .options import CONTEXT, Fail, Progress
from .summary import print_load, print_sweep

DEMO_DIR = Path(__file__).resolve().parent.parent / "examples" / "demo"


@click.command(context_settings=CONTEXT)
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), default="govties-demo", show_default=True,
              help="Folder for the outputs.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def demo(out_dir, lang):
    """Run the whole path on the bundled synthetic province: load, resolve, sweep every rule, write the findings
    (CSV and Excel), the resolution list, the ranked tables, the HTML report and the network overview; the graph
    and its recorded sweep stay in OUT/graph.duckdb, and the command that opens the workbench on it is printed.

    The data are synthetic (examples/demo); planted.csv there lists what a correct sweep finds.

    \b
    Example:
      govties demo --out /tmp/demo --lang en
    """
    from ..visualize import views
    from ..visualize.report import write_report

    if not (DEMO_DIR / "people.csv").exists():
        raise Fail(f"the demo dataset is missing from {DEMO_DIR}; reinstall govties or run "
                   "`govties generate --out DIR` and `govties sweep DIR`")
    out = Path(out_dir)
    click.echo(f"demo dataset: {DEMO_DIR}")
    settings = api.sweep_settings(lang=lang)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise Fail(f"cannot create the folder {out}: {exc.strerror}") from None
    store = out / "graph.duckdb"  # the workbench opens it: the graph and the sweep recorded in its workspace
    with api.open_graph(store=store, create=True) as graph:
        loaded = graph.load(DEMO_DIR, progress=Progress(quiet=True))
        print_load(loaded.dataset, loaded.counts)
        result = graph.sweep(settings)
        frame = api.findings_table(result)
        about = api.about(result, str(DEMO_DIR), graph.name)
        written = [api.write_findings(frame, out / "findings.csv"),
                   api.write_findings(frame, out / "findings.xlsx", about=about)]
        resolution, _ = api.resolution_list(loaded.dataset)
        written.append(api.write_csv(resolution, out / "resolution.csv"))
        ranks = graph.rankings(result)
        api.write_rankings(ranks, out / "ranks")
        written.append(out / "ranks")
        written.append(views.write_view(graph.overview(result), out / "overview.html", lang=lang))
        written.append(write_report(result, ranks, out / "report.html", overview="overview.html", lang=lang))
    print_sweep(result)
    click.echo(f"\noutputs in {out.resolve()}:")
    for path in written:
        click.echo(f"  {Path(path).resolve()}")
    click.echo(f"\nopen {(out / 'report.html').resolve()} in a browser to start")
    click.echo("or open the investigator workbench on the demo (triage, cases, entity pages, exploration):\n"
               f"  govties serve --store {shlex.quote(str(store.resolve()))}" + (" --lang en" if lang == "en" else ""))


@click.command(context_settings=CONTEXT)
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


COMMANDS = (demo, generate)
