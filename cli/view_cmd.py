"""`govties view` (interactive network views, GEXF/GraphML) and `govties report` (one HTML sweep report)."""

from __future__ import annotations

from pathlib import Path

import click

from ..graph.backend import BackendError
from ..rules import catalog as rule_catalog
from ..rules.engine import sweep as run_sweep
from ..rules.spec import RuleDefinitionError
from .main import load_into, main
from .options import CONTEXT, Fail, Progress, backend_options, open_from_options, parse_params


def drawing_options(f):
    """Options view and report share: which rules, their parameters, language, input, masking, the backend."""
    for option in reversed((
        click.option("--rules", "rule_ids", default=None, metavar="ID,ID", help="Only these rules' findings."),
        click.option("-p", "--param", "params", multiple=True, metavar="RULE.NAME=VALUE",
                     help="Rule parameter; repeatable."),
        click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True),
        click.option("--encoding", default=None, help="Input encoding (utf-8 or gb18030); detected when not given."),
        click.option("--mask", is_flag=True, help="Mask resident IDs and phone numbers in what is written."),
        click.option("-q", "--quiet", is_flag=True, help="No progress lines on stderr."),
    )):
        f = option(f)
    return backend_options(f)


def _open(dataset, backend, store, neo4j_uri, neo4j_user, neo4j_database, encoding, quiet):
    if not dataset and not (store or backend == "neo4j"):
        raise Fail("give the DATASET folder, or a stored graph with --store FILE or --backend neo4j")
    be = open_from_options(backend, store, neo4j_uri, neo4j_user, neo4j_database, "load" if dataset else "read")
    if dataset:
        load_into(be, dataset, encoding, Progress(quiet))
    return be


def _sweep(be, rule_ids, params, lang):
    try:
        rules = rule_catalog.select([i.strip() for i in rule_ids.split(",")] if rule_ids else None)
        return run_sweep(be, rules, parse_params(params), lang=lang), rules
    except RuleDefinitionError as exc:
        raise Fail(str(exc)) from None


@main.command(context_settings=CONTEXT)
@click.argument("dataset", required=False, type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="view.html", show_default=True,
              help="The view file: .html (interactive, offline), .gexf (Gephi) or .graphml (yEd).")
@click.option("--finding", "finding_id", default=None, metavar="ID", help="Draw one finding's evidence path.")
@click.option("--around", "center", default=None, metavar="ID", help="Draw a person's or organization's neighbourhood.")
@click.option("--path", "ends", nargs=2, default=None, metavar="A B", help="Draw how two entities are connected.")
@click.option("--all", "whole", is_flag=True, help="The whole graph (for .gexf / .graphml export).")
@click.option("--hops", type=click.IntRange(1, 8), default=2, show_default=True, help="Steps for --around / --path.")
@click.option("-k", "--paths", "k", type=click.IntRange(1, 50), default=5, show_default=True,
              help="How many shortest paths --path draws.")
@click.option("--max-nodes", type=click.IntRange(2, 20000), default=300, show_default=True,
              help="Node cap for --around and --path; the view notes when it cut something.")
@drawing_options
def view(dataset, output, finding_id, center, ends, whole, hops, k, max_nodes, rule_ids, params, lang, encoding, mask,
         quiet, backend, store, neo4j_uri, neo4j_user, neo4j_database):
    """Write a network view investigators open offline: by default the sweep overview (every finding's evidence,
    filterable by rule and severity, with a side list; clicking a finding focuses its path).

    \b
    Examples:
      govties view data/ -o overview.html
      govties view data/ --finding 3f2a9c0d1e2b4a5c -o finding.html
      govties view data/ --around P0001 --hops 2 -o around.html
      govties view data/ --path P0001 C0042 --hops 4 -o how.html
      govties view --store graph.duckdb --around P0001 -o around.gexf
      govties view data/ --all -o whole.graphml
    """
    from ..visualize import views

    chosen = [x for x in (finding_id, center, ends, whole) if x]
    if len(chosen) > 1:
        raise Fail("choose one of --finding, --around, --path and --all")
    if whole and not output.lower().endswith((".gexf", ".graphml")):
        raise Fail("--all exports the whole graph for Gephi or yEd: name the output .gexf or .graphml")
    be = _open(dataset, backend, store, neo4j_uri, neo4j_user, neo4j_database, encoding, quiet)
    try:
        if whole:
            v = views.whole_graph(be)
            title = "govties: whole graph"
        elif center:
            v = views.neighbourhood(be, center, hops, max_nodes)
            title = f"govties: {center}"
        elif ends:
            v = views.connections(be, ends[0], ends[1], hops, k, max_nodes)
            title = f"govties: {ends[0]} — {ends[1]}"
        else:
            result, _ = _sweep(be, rule_ids, params, lang)
            if finding_id:
                v = views.finding(be, result.findings, finding_id)
                title = f"govties: {finding_id}"
            else:
                v = views.overview(be, result.findings)
                title = "govties: overview"
        path = views.write_view(v, output, lang=lang, title=title, mask=mask)
    except views.ViewError as exc:
        raise Fail(str(exc)) from None
    except BackendError as exc:
        raise Fail(str(exc)) from None
    finally:
        be.close()
    for note in v.notes:
        click.echo(f"note: {note}")
    click.echo(f"wrote {path} ({v.graph.number_of_nodes()} nodes, {v.graph.number_of_edges()} edges)")


@main.command(context_settings=CONTEXT)
@click.argument("dataset", required=False, type=click.Path())
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), default="govties-report", show_default=True,
              help="Folder for report.html and the overview view it links to.")
@drawing_options
def report(dataset, out_dir, rule_ids, params, lang, encoding, mask, quiet, backend, store, neo4j_uri, neo4j_user,
           neo4j_database):
    """Write one offline HTML sweep report: counts per rule and severity, findings over time, the ranked officials,
    and links into the overview view.

    \b
    Example:
      govties report data/ --out report/ --lang en
    """
    from ..rules.aggregate import aggregate
    from ..visualize import views
    from ..visualize.report import write_report

    be = _open(dataset, backend, store, neo4j_uri, neo4j_user, neo4j_database, encoding, quiet)
    out = Path(out_dir)
    try:
        result, rules = _sweep(be, rule_ids, params, lang)
        ranks = aggregate(be, result.findings, [r.id for r in rules])
        views.write_view(views.overview(be, result.findings), out / "overview.html", lang=lang,
                         title="govties: overview", mask=mask)
        path = write_report(result, ranks, out / "report.html", overview="overview.html", lang=lang, mask=mask)
    except BackendError as exc:
        raise Fail(str(exc)) from None
    finally:
        be.close()
    click.echo(f"wrote {path} and {out / 'overview.html'}")
