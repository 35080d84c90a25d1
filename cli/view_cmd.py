"""`govties view` (interactive network views, GEXF/GraphML) and `govties report` (one HTML sweep report)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import click

from .. import api
from ..privacy import keyed_id, mask_key
from .summary import WORDS, tell_warnings
from .options import (CONTEXT, Fail, Progress, backend_options, claim_outputs, input_options, inputs_of,
                      mask_option, open_graph, say, settings_from, sweep_options)


MASK_HELP = ("Mask resident IDs and phone numbers in what is written and printed; finding ids become keyed ids (as "
             "in sweep --mask).")


def drawing_options(f, mask_help: str = MASK_HELP + " HTML only: .gexf and .graphml carry the data as it is."):
    """Options view and report share: what to sweep (as sweep takes them), the input, masking, the backend."""
    for option in reversed((
        sweep_options,
        input_options,
        mask_option(mask_help),
        click.option("-q", "--quiet", is_flag=True, help="No progress lines on stderr."),
    )):
        f = option(f)
    return backend_options(f, in_memory=True)


def _open(dataset, backend, store, neo4j_uri, neo4j_user, neo4j_database, inputs, quiet):
    """The graph, with DATASET loaded into it when given; and the load (its warnings), or None."""
    if not dataset and not api.keeps_graph(backend, store):
        raise Fail("give the DATASET folder, or a stored graph with --store FILE or --backend neo4j")
    graph = open_graph(backend, store, neo4j_uri, neo4j_user, neo4j_database, create=bool(dataset))
    loaded = None
    if dataset:
        try:
            loaded = graph.load(dataset, progress=Progress(quiet), **inputs.kwargs())
        except BaseException:
            graph.close()
            raise
        tell_warnings(loaded.dataset)  # as sweep tells them: what a view or report is drawn from was read so
    return graph, loaded


def _shown(result, mask: bool):
    """The sweep as a masked page shows it (values masked, finding ids keyed), or as it is."""
    return api.masked_result(result) if mask else result


def _finding_id(given: str, result, mask: bool) -> str:
    """Under --mask a finding may be named by its plain id or by its keyed id."""
    if mask and any(f["finding_id"] == given for f in result.findings):
        return keyed_id(given, mask_key())
    return given


def _mark_triage(result, triage: str | None) -> None:
    """Each finding carries its triage status (open when not triaged), when a triage file is given."""
    if triage:
        table = api.read_triage(triage)
        for f in result.findings:
            f["triage_status"] = table["status"].get(f["finding_id"], "open")


def _choose_one(exc: api.AmbiguousName, mask: bool) -> Fail:
    """A name of several entities, refused with each of them a line (id, type, name, what tells it apart), and
    what is wrong with a path's other end after them; under --mask the ids are printed masked, and --around and
    --path take them so when each stands for one id."""
    said = []
    for e in (exc, *exc.also):
        if isinstance(e, api.AmbiguousName):
            said += [f"{e}:", *(f"  {m['id']}\t{m['type']}\t{m['name']}\t{detail}"
                                for m, detail in zip(e.matches, e.details("en", mask), strict=True))]
        else:
            said.append(f"and {e}")
    return Fail("\n".join(said))


def _a_value(ctx: click.Context, param: click.Parameter, value):
    """An option's value that is the next option (`--around -o x.html`: the value forgotten) is refused as such,
    not read as an id while the rest of the line is said to be an unexpected argument."""
    values = value if isinstance(value, tuple) else (value,)
    taken = next((v for v in values if isinstance(v, str) and v.startswith("-") and v.lstrip("-")[:1].isalpha()),
                 None)
    if taken is not None:
        wanted = ("two ids or names" if isinstance(value, tuple) else "a finding id" if param.name == "finding_id"
                  else "an id or a name")
        raise click.BadParameter(f"{param.opts[-1]} takes {wanted}, not the option {taken}: give "
                                 f"{'them' if isinstance(value, tuple) else 'it'} right after {param.opts[-1]}")
    return value


@click.command(context_settings=CONTEXT, short_help="Write an offline network view (HTML, Gephi, yEd).")
@click.argument("dataset", required=False, type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="view.html", show_default=True,
              help="The view file: .html (interactive, offline), .gexf (Gephi) or .graphml (yEd).")
@click.option("--finding", "finding_id", default=None, metavar="ID", callback=_a_value,
              help="Draw one finding's evidence path.")
@click.option("--around", "center", default=None, metavar="ID|NAME", callback=_a_value,
              help="Draw a person's or organization's neighbourhood and list its findings (an id, or a name; an id "
                   "masked as --mask lists it when it stands for one id).")
@click.option("--path", "ends", nargs=2, default=None, metavar="A B", callback=_a_value,
              help="Draw how two entities are connected (ids, names, a person's resident ID or an organization's "
                   "credit code; an id masked as --mask lists it when it stands for one id).")
@click.option("--all", "whole", is_flag=True, help="The whole graph (for .gexf / .graphml export).")
@click.option("--hops", type=click.IntRange(*api.VIEW_LIMITS["hops"]), default=2, show_default=True,
              help="Steps for --around / --path.")
@click.option("-k", "--paths", "k", type=click.IntRange(*api.VIEW_LIMITS["k"]), default=5, show_default=True,
              help="How many shortest paths --path draws.")
@click.option("--max-nodes", type=click.IntRange(*api.VIEW_LIMITS["max_nodes"]), default=300, show_default=True,
              help="Node cap for --around and --path; the view notes when it cut something (--around also draws "
                   "the evidence of its findings, beyond the cap).")
@click.option("--fold", is_flag=True, help="--around / --all: decisions between the same issuer and beneficiary as "
                                           "one weighted edge (the page can unfold them).")
@drawing_options
def view(dataset, output, finding_id, center, ends, whole, hops, k, max_nodes, fold, rule_ids, params, config, profile,
         lang, as_of, triage, inputs, mask, quiet, backend, store, neo4j_uri, neo4j_user, neo4j_database):
    """Write a network view investigators open offline: by default the sweep overview (every finding's evidence,
    filterable by rule and severity, with a side list; clicking a finding focuses its path).

    \b
    Examples:
      govties view data/ -o overview.html
      govties view data/ --finding 3f2a9c0d1e2b4a5c -o finding.html
      govties view data/ --around P0000001 --hops 2 -o around.html
      govties view data/ --around 程洋军 --fold -o around.html
      govties view data/ --path P0000001 O0000042 --hops 4 -o how.html
      govties view --store graph.duckdb --around P0000001 -o around.gexf
      govties view data/ --all -o whole.graphml
    """

    settings = settings_from(rule_ids, params, config, profile, lang, as_of)
    if triage:
        api.read_triage(triage)  # checked before any work
    chosen = [x for x in (finding_id, center, ends, whole) if x]
    if len(chosen) > 1:
        raise Fail("choose one of --finding, --around, --path and --all")
    api.view_format(output, mask)  # an extension it cannot write (or not masked) is refused before any work
    if whole and not output.lower().endswith((".gexf", ".graphml")):
        raise Fail("--all exports the whole graph for Gephi or yEd: name the output .gexf or .graphml")
    if fold and not (center or whole):
        raise Fail("--fold applies to --around and --all (a finding's or a path's decisions are its evidence)")
    claim_outputs({"-o": output}, inputs_of(dataset, inputs.mapping, config, triage, store=store), mask=mask)
    graph, _ = _open(dataset, backend, store, neo4j_uri, neo4j_user, neo4j_database, inputs, quiet)
    with graph:
        try:
            if whole:
                v = graph.whole()
            elif ends:
                v = graph.paths(graph.unmasked(ends[0]), graph.unmasked(ends[1]), hops, k, max_nodes)
            else:
                result = graph.sweep(settings, record=False)  # a view draws a sweep; `govties sweep` records one
                _mark_triage(result, triage)
                shown = _shown(result, mask)
                if center:
                    v = graph.around(graph.unmasked(center), hops, max_nodes, shown, fold)
                elif finding_id:
                    v = graph.finding(shown, _finding_id(finding_id, result, mask))
                else:
                    v = graph.overview(shown)
        except api.AmbiguousName as exc:
            raise _choose_one(exc, mask) from None
        path = api.write_view(v, output, lang=settings.lang, mask=mask, fold=fold)
    for note in v.note_texts(settings.lang):  # in the view's language, as the view says it
        say(WORDS[settings.lang]["note"].format(text=note))
    nodes, edges = api.drawn_size(v, fold)
    say(f"wrote {path} ({nodes} nodes, {edges} edges" + (", decisions folded)" if fold else ")"))


@click.command(context_settings=CONTEXT, short_help="Write an offline HTML report of a sweep.")
@click.argument("dataset", required=False, type=click.Path())
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), default="govties-report", show_default=True,
              help="Folder for report.html and the overview view it links to.")
@click.option("--index", "index_page", is_flag=True,
              help="Also write index.html in the folder: links to the report and the overview, the run's parameters, "
                   "the input's fingerprint and the data warnings.")
@partial(drawing_options, mask_help=MASK_HELP)  # a report is HTML alone
def report(dataset, out_dir, index_page, rule_ids, params, config, profile, lang, as_of, triage, inputs, mask, quiet,
           backend, store, neo4j_uri, neo4j_user, neo4j_database):
    """Write one offline HTML sweep report: counts per rule and severity, findings over time, the ranked officials,
    and links into the overview view.

    \b
    Example:
      govties report data/ --out report/ --lang en
    """

    from ..api.run_index import RunOutputs, note, write_run_index

    settings = settings_from(rule_ids, params, config, profile, lang, as_of)
    if triage:
        api.read_triage(triage)  # checked before any work
    api.refuse_empty(out_dir, "--out", "folder")
    out = Path(out_dir)
    pages = {"report": out / "report.html", "overview": out / "overview.html", "index": out / "index.html"}
    claim_outputs({f"--out ({p.name})": p for name, p in pages.items() if name != "index" or index_page},
                  inputs_of(dataset, inputs.mapping, config, triage, store=store), mask=mask)
    graph, loaded = _open(dataset, backend, store, neo4j_uri, neo4j_user, neo4j_database, inputs, quiet)
    with graph:
        result = graph.sweep(settings, record=False)  # a report shows a sweep; `govties sweep` records one
        _mark_triage(result, triage)
        ranks = graph.rankings(result)
        shown = _shown(result, mask)
        index = [("index.html", "nav_index")] if index_page else []
        api.write_view(graph.overview(shown), pages["overview"], lang=settings.lang, mask=mask,
                       links=[*index, ("report.html", "nav_report")])
        path = api.write_report(shown, ranks, pages["report"], overview="overview.html", lang=settings.lang, mask=mask,
                                warnings=loaded.dataset.warnings if loaded else None,
                                index="index.html" if index_page else None)
        if index_page:
            frame = api.findings_table(result, graph=graph, mask=mask)
            run = RunOutputs(start=[(pages["report"], note("report", settings.lang)),
                                    (pages["overview"], note("overview", settings.lang))], overview=pages["overview"])
            about = api.about(result, dataset, graph.name, mask=mask, profile=settings.profile)
            write_run_index(pages["index"], lang=settings.lang, about=about, findings=frame, outputs=run,
                            sources=[dataset, inputs.mapping] if dataset else [],
                            warnings=loaded.dataset.warnings if loaded else [], mask=mask)
    say(f"wrote {path} and {pages['overview']}" + (f"; open {pages['index']} to start" if index_page else ""))
    if not index_page and pages["index"].exists():  # an earlier run's: its figures and parameters are not these
        say(f"warning: {pages['index']} was left as an earlier run wrote it: it links the pages just written but "
            "describes that run; fix: add --index to write it for this run, or remove it", err=True)


COMMANDS = (view, report)
