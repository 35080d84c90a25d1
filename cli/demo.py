"""`govties demo` (the whole path on the bundled synthetic province) and `govties generate`."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from .. import api
from ..api.run_index import RunOutputs, note, ranking_notes, resolution_note, write_run_index
from .options import (CONTEXT, Fail, Progress, claim_outputs, inputs_of, lang_option, layout_from, layout_options,
                      open_graph, say)
from .summary import print_load, print_sweep

DEMO_DIR = Path(__file__).resolve().parent.parent / "examples" / "demo"


@click.command(context_settings=CONTEXT, short_help="Run the whole path on the bundled demo province (start here).")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), default="govties-demo", show_default=True,
              help="Folder for the outputs.")
@lang_option("Language of the outputs: explanations, column titles, pages.")
@click.option("--views", "n_views", type=click.IntRange(0, 10000), default=20, show_default=True,
              help="Write a view for each of this many highest-scoring findings (0: none).")
@layout_options
def demo(out_dir, lang, n_views, no_bom, raw_cells, headers):
    """Run the whole path on the bundled synthetic province: load, resolve, sweep every rule, write the findings
    (CSV and Excel), the resolution list, the data warnings, the ranked tables (CSV and Excel), the HTML report,
    the network overview, a view of each of the top findings, and index.html, which links them all. The graph and
    its recorded sweep stay in OUT/graph.duckdb, and the command that opens the workbench on it is printed.

    The data are synthetic (examples/demo); planted.csv there lists what a correct sweep finds.

    \b
    Example:
      govties demo --out /tmp/demo --lang en
    """

    if not (DEMO_DIR / "people.csv").exists():
        raise Fail(f"the demo dataset is missing from {DEMO_DIR}; reinstall govties or run "
                   "`govties generate --out DIR` and `govties sweep DIR`")
    layout = layout_from(lang, no_bom, raw_cells, api.check_headers(headers))
    out = Path(out_dir)
    paths = {name: out / name for name in ("findings.csv", "findings.xlsx", "resolution.csv", "warnings.csv",
                                           "ranks.xlsx", "overview.html", "report.html", "index.html",
                                           "graph.duckdb")}
    claim_outputs({**{f"--out ({name})": p for name, p in paths.items()},
                   "--out (ranks/)": api.ranking_files(out / "ranks")}, inputs_of(DEMO_DIR))
    say(f"demo dataset: {DEMO_DIR}")
    settings = api.sweep_settings(lang=lang)
    run = RunOutputs()
    store = paths["graph.duckdb"]  # the workbench opens it: the graph and the sweep recorded in its workspace
    with open_graph("duckdb", str(store), None, None, None, create=True) as graph:  # a Ctrl-C tells what it holds
        loaded = graph.load(DEMO_DIR, progress=Progress(quiet=True))
        print_load(loaded)
        result = graph.sweep(settings)
        frame = api.findings_table(result, graph=graph)
        about = api.about(result, str(DEMO_DIR), graph.name)
        api.write_findings(frame, paths["findings.csv"], layout=layout)
        api.write_findings(frame, paths["findings.xlsx"], about=about, layout=layout)
        resolution, _ = api.resolution_list(loaded.dataset, lang=lang)
        api.write_csv(resolution, paths["resolution.csv"], layout)
        api.write_csv(api.warnings_table(loaded.dataset, lang), paths["warnings.csv"], layout)
        ranks = graph.rankings(result)
        api.write_rankings(ranks, out / "ranks", layout=layout, about=about)
        api.write_rankings(ranks, paths["ranks.xlsx"], layout=layout, about=about)
        api.write_view(graph.overview(result), paths["overview.html"], lang=lang,
                       links=[("index.html", "nav_index"), ("report.html", "nav_report")])
        viewed = {fid: f"views/{fid}.html" for fid in frame["finding_id"].head(n_views)}  # under `out`
        api.write_report(result, ranks, paths["report.html"], overview="overview.html", lang=lang,
                         warnings=loaded.dataset.warnings, views=viewed, index="index.html")  # each to its view
        up = [("../index.html", "nav_index"), ("../report.html", "nav_report"), ("../overview.html", "nav_overview")]
        for fid, view in viewed.items():
            run.views[fid] = api.write_view(graph.finding(result, fid), out / view, lang=lang, links=up)
    n = len(frame)
    run.start = [(paths["report.html"], note("report", lang)), (paths["overview.html"], note("overview", lang)),
                 (paths["findings.xlsx"], note("findings_xlsx", lang, n=n))]
    run.files = [(paths["findings.csv"], note("findings", lang, n=n)),
                 (paths["findings.xlsx"], note("findings_xlsx", lang, n=n)),
                 (paths["ranks.xlsx"], note("ranks_xlsx", lang)),
                 *ranking_notes(api.ranking_files(out / "ranks"), lang),
                 (paths["resolution.csv"], resolution_note(resolution, lang)),
                 (paths["warnings.csv"], note("warnings", lang, n=len(loaded.dataset.warnings)))]
    run.warnings_file = paths["warnings.csv"]
    run.overview = paths["overview.html"]
    write_run_index(paths["index.html"], lang=lang, about=about, findings=frame, outputs=run, sources=[DEMO_DIR],
                    warnings=loaded.dataset.warnings)
    print_sweep(result, out / "ranks")
    say(f"\noutputs in {out.resolve()}:")
    for path in [*paths.values(), out / "ranks", out / "views"]:
        say(f"  {path.resolve()}")
    say(f"views of the {len(run.views)} highest-scoring of {len(frame)} findings in {(out / 'views').resolve()}")
    say(f"\nopen {paths['index.html'].resolve()} in a browser to start")
    say("or open the investigator workbench on the demo (triage, cases, entity pages, exploration):\n"
        f"  govties serve --store {shlex.quote(str(store.resolve()))}" + (" --lang en" if lang == "en" else ""))


@click.command(context_settings=CONTEXT, short_help="Write a synthetic province, with planted cases.")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), required=True, help="Folder to write.")
@click.option("--people", type=int, default=1000, show_default=True,
              help="Size: per person the province has 2 organizations, 10 company roles and 5 decisions.")
@click.option("--seed", type=int, default=7, show_default=True, help="Random seed (same seed, same data).")
@click.option("--density", type=float, default=None,
              help="Findings per 1,000 input rows to aim at (0-50; default: the background's own, about 1).")
@click.option("--merged", type=float, default=0.0, show_default=True,
              help="Share of people records that are a human recorded again, resident ID in another form (0-0.5).")
@click.option("--dirty", type=float, default=0.0, show_default=True,
              help="Share of cells in another accepted form: 配偶, 2021年3月5日, full-width digits, 120万 (0-0.5).")
@click.option("--force", is_flag=True, help="Write into a folder that already holds files (they may be replaced).")
def generate(out_dir, people, seed, density, merged, dirty, force):
    """Write a synthetic province in the dataset contract's format, with planted positives, near-misses and
    entity-resolution traps for every rule (listed in planted.csv).

    \b
    Example:
      govties generate --out /tmp/province --people 100000
      govties generate --out /tmp/dense --people 160000 --density 4 --merged 0.02 --dirty 0.1
    """
    counts = api.generate(out_dir, people, seed, density=density, merged=merged, dirty=dirty, force=force)
    for name, n in counts.items():
        click.echo(f"{name:<22} {n:>10} " + api.counted("row(s)", n))
    click.echo(f"wrote {out_dir}")


COMMANDS = (demo, generate)
