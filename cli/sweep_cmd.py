"""`govties sweep`, `load`, `validate` and `resolve`: the main job, over govties.api."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from .. import api
from ..api.run_index import RunOutputs, note, ranking_notes, resolution_note, write_run_index
from .options import (CONTEXT, Fail, Progress, backend_options, claim_outputs, input_options, inputs_of,
                      layout_from, layout_options, mask_option, open_graph, say, settings_from, sweep_options)
from .summary import print_load, print_recorded, print_sweep, print_triage


@click.command(context_settings=CONTEXT, short_help="Load a dataset, run the rules, write the findings.")
@click.argument("dataset", required=False, type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="findings.csv", show_default=True,
              help="Findings file; the format follows the extension (.csv .jsonl .xlsx .parquet). JSON lines and "
                   "Parquet always carry the contract's column names and ids.")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "xlsx", "parquet"]), default=None,
              help="Output format, when the file name does not tell.")
@sweep_options
@click.option("--no-load", is_flag=True, help="Sweep the graph already in --store or the Neo4j server.")
@input_options
@click.option("--resolution-out", type=click.Path(dir_okay=False), default=None,
              help="Also write the entity-resolution list (merged and possible matches) as CSV.")
@click.option("--aggregate-out", type=click.Path(), default=None,
              help="Also write ranked tables per official, company, agency and region: officials.csv ... into this "
                   "folder, or one workbook with a sheet each when the name ends in .xlsx.")
@click.option("--index", "index_page", type=click.Path(dir_okay=False), default=None,
              help="Also write an HTML index page of this run: links to everything it wrote, its parameters, the "
                   "input's fingerprint and the data warnings.")
@mask_option("Mask resident IDs and phone numbers in everything written and printed; finding ids become keyed ids "
             "(GOVTIES_MASK_KEY or the key file in the config folder; see README).")
@layout_options
@click.option("-q", "--quiet", is_flag=True, help="No progress lines on stderr.")
@click.option("--rule-workers", type=click.IntRange(1, 32), default=1, show_default=True,
              help="Neo4j: run this many rules at once, each on its own session (a Community server runs a query "
                   "on one core; give up to its core count). The findings are the same.")
@click.option("--no-record", is_flag=True,
              help="Do not record this sweep in the workspace of a stored graph (--store FILE or Neo4j). By "
                   "default such a sweep is recorded: the workbench shows its findings, what is new, and what "
                   "changed since triage.")
@backend_options(in_memory=True)
def sweep(dataset, output, fmt, rule_ids, params, config, profile, lang, as_of, triage, no_load, inputs,
          resolution_out, aggregate_out, index_page, mask, no_bom, raw_cells, headers, quiet, rule_workers, no_record,
          backend, store, neo4j_uri, neo4j_user, neo4j_database):
    """Load DATASET (a folder of the contract's CSV files, or an .xlsx workbook with one sheet per file),
    resolve people, run every rule, write findings.

    \b
    Examples:
      govties sweep data/ -o findings.csv
      govties sweep registries.xlsx -o findings.csv --mapping our-systems.yaml
      govties sweep data/ -o out.xlsx --rules relative-business,self-dealing --lang en
      govties sweep data/ -p post-retirement.senior_years=5 -p indirect-relative-business.min_share=0.3
      govties sweep data/ --profile uk                           # the UK's two years, any employer
      govties sweep data/ -o findings.csv --aggregate-out ranks/   # officials.csv, undated.csv ...
      govties sweep data/ -o findings.xlsx --aggregate-out ranks.xlsx --index run.html
      govties sweep data/ --backend neo4j -o findings.jsonl      # NEO4J_URI, NEO4J_PASSWORD set
      govties sweep --backend neo4j --no-load -o findings.csv    # the graph already on the server
      govties sweep --backend neo4j --no-load --rule-workers 4   # four rules at once on a 4-core server
      govties sweep --store graph.duckdb --no-load --triage triage.csv   # what changed since triage

    A sweep of a stored graph (--store FILE, or Neo4j) is recorded in the graph's workspace for `govties serve`
    (unless --no-record): for each rule that ran, its recorded findings are replaced by this sweep's.
    """
    settings = settings_from(rule_ids, params, config, profile, lang, as_of)  # every option checked before any work
    layout = layout_from(settings.lang, no_bom, raw_cells, api.check_headers(headers))
    out_path = Path(output)
    api.check_format(out_path, fmt)
    triage_table = api.read_triage(triage) if triage else None
    if not no_load and not dataset:
        raise Fail("give the DATASET folder to load, or --no-load to sweep a graph already stored "
                   "(--store FILE or --backend neo4j)")
    if no_load and not api.keeps_graph(backend, store):
        raise Fail("--no-load needs a stored graph: pass --store FILE (embedded) or --backend neo4j")
    if resolution_out:
        api.table_format(resolution_out, "--resolution-out")
    if resolution_out and no_load:
        raise Fail("--resolution-out lists what a load resolved: drop --no-load, or use `govties resolve DATASET`")
    claim_outputs({"-o": out_path, "--resolution-out": resolution_out,
                   "--aggregate-out": api.ranking_files(aggregate_out) if aggregate_out else None,
                   "--index": index_page},
                  inputs_of(None if no_load else dataset, inputs.mapping, config, triage, store=store), mask=mask)
    progress = Progress(quiet)
    with open_graph(backend, store, neo4j_uri, neo4j_user, neo4j_database, create=not no_load) as graph:
        if rule_workers > 1 and "concurrent-queries" not in graph.backend.features:
            raise Fail(f"--rule-workers is for --backend neo4j: the {graph.name} backend runs one rule at a time, "
                       "and each rule already uses every core; drop --rule-workers")
        loaded = None
        if not no_load:
            loaded = graph.load(dataset, progress=progress, **inputs.kwargs())
            print_load(loaded)
        n = len(settings.rules)
        progress.note(api.counted(f"running {n} rule(s)", n) + f" on {graph.name}")
        result = graph.sweep(settings, progress=progress, workers=rule_workers, record=False if no_record else None)
        archive = None
        if triage_table is not None and graph.persistent and "fingerprint" in triage_table.columns:
            archive = graph.workspace().facts_many(triage_table["fingerprint"])  # the evidence triaged on
        frame = api.findings_table(result, graph=graph, triage=triage_table, mask=mask, archive=archive)
        about = api.about(result, dataset, graph.name, mask=mask, profile=settings.profile)
        api.write_findings(frame, out_path, fmt, about, layout)
        run = RunOutputs(files=[(out_path, note("findings", settings.lang, n=len(frame)))])
        run.start = list(run.files)  # the findings file is where this run's reader starts
        if resolution_out and loaded is not None:
            resolution, _ = api.resolution_list(loaded.dataset, lang=settings.lang)
            api.write_csv(api.mask_frame(resolution) if mask else resolution, resolution_out, layout)
            run.files.append((Path(resolution_out), resolution_note(resolution, settings.lang)))
        written = {}
        if aggregate_out:
            written = api.write_rankings(graph.rankings(result), aggregate_out, mask=mask, layout=layout,
                                         about=about)
            run.files += ranking_notes(api.ranking_files(aggregate_out), settings.lang)
        if index_page:
            write_run_index(index_page, lang=settings.lang, about=about, findings=frame, outputs=run,
                            sources=[] if no_load else [dataset, inputs.mapping],
                            warnings=loaded.dataset.warnings if loaded else [], mask=mask)
    print_sweep(result, aggregate_out)
    print_recorded(graph.recorded, settings.lang)
    if triage_table is not None:
        named = {f["finding_id"] for f in result.findings} | set(frame["finding_id"])  # plain, and keyed if masked
        print_triage(frame, settings.lang, [str(i) for i in triage_table.index if str(i) not in named], not mask)
    say(api.counted(f"\nwrote {len(frame)} finding(s)", len(frame)) + f" to {out_path}"
        + (" (identifiers masked)" if mask else ""))
    if aggregate_out:
        say(f"wrote ranked tables to {aggregate_out}: "
            + ", ".join(f"{name} (" + api.counted(f"{n} row(s)", n) + ")" for name, n in written.items())
            + "".join(f", and {p.name} (what the tables are)" for p in api.ranking_files(aggregate_out)
                      if p.name not in written and p.parent == Path(aggregate_out)))
    if index_page:
        say(f"wrote {index_page}: open it in a browser to see everything this run wrote")


@click.command(context_settings=CONTEXT, short_help="Check a dataset against the contract.")
@click.argument("dataset", type=click.Path())
@input_options
def validate(dataset, inputs):
    """Check DATASET against the dataset contract without storing anything; list every problem.

    DATASET is a folder of CSV files or an .xlsx workbook. Prints which file or sheet fills each contract file
    and which header mapped to which column. Exit status 0 when it loads (warnings may be listed), 2 when it
    has errors: then every problem and warning is listed on stderr (the other commands list the first 20).

    \b
    Example:
      govties validate data/
      govties validate registries.xlsx --mapping our-systems.yaml
      govties validate ledger.xlsx --header-row 3      # two title rows above each sheet's header
    """
    try:
        ds = api.validate(dataset, **inputs.kwargs())
    except api.DataError as refused:  # every problem and warning, on stderr as every command's refusal is
        say(refused.report(limit=None), err=True)
        raise click.exceptions.Exit(2) from None
    width = max((len(name) for name in ds.rows), default=0)
    for name, n in ds.rows.items():
        say(f"{name:<{width}} {n:>11,} " + api.counted("row(s)", n))
    say("would be stored: " + api.stored_counts(ds.counts()))
    for name, enc in sorted(ds.encodings.items()):
        if enc not in ("utf-8", "xlsx"):
            say(f"{ds.sources.get(name, name)}: read as {enc}")
    for name, source in ds.sources.items():
        if source != name:
            say(f"{name}: from {source}")
    for name, pairs in ds.header_maps.items():
        say(f"{name}: " + ", ".join(f"{src} -> {dst}" for src, dst in pairs))
    for w in ds.warnings:
        say(f"warning: {w}")
    say(ds.resolution.summary())
    say(f"{dataset}: valid ({len(ds.warnings)} warnings)")


@click.command(context_settings=CONTEXT, short_help="List merged people and possible matches.")
@click.argument("dataset", type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the list as CSV instead of printing it.")
@input_options
@sweep_options
@mask_option("Mask resident IDs and phone numbers in what is printed or written.")
@layout_options
def resolve(dataset, output, inputs, rule_ids, params, config, profile, lang, as_of, triage, mask, no_bom,
            raw_cells, headers):
    """List how people were resolved across sources: merges by resident ID, possible matches by name and
    birth date, and company-role holders without a resident ID whose name (also in simplified characters or
    pinyin) matches someone else — listed for review, never merged. Takes and checks the same options as sweep,
    so that one command line serves both; the rules are not run, and of the sweep's options only --lang changes
    what is written (the column titles and the words).

    \b
    Example:
      govties resolve data/ -o merges.csv
    """
    settings = settings_from(rule_ids, params, config, profile, lang, as_of)
    layout = layout_from(settings.lang, no_bom, raw_cells, api.check_headers(headers))
    if triage:
        api.read_triage(triage)
    claim_outputs({"-o": output}, inputs_of(dataset, inputs.mapping, config, triage), mask=mask)
    if output:
        api.table_format(output)  # before any work
    ds = api.validate(dataset, **inputs.kwargs())
    frame, notes = api.resolution_list(ds, name_help=True, lang=settings.lang)
    if mask:
        frame = api.mask_frame(frame)
    names = int((frame["decision"] == "name").sum()) if len(frame) else 0
    if output:
        api.write_csv(frame, output, layout)
        say(api.counted(f"wrote {len(frame)} row(s)", len(frame)) + f" to {output}")
    else:
        for row in frame.itertuples(index=False):
            target = f" -> {row.canonical_id}" if row.canonical_id else ""
            say(f"{row.decision:<8} {row.person_ids}{target}  {row.names}  ({row.reason})")
    say(ds.resolution.summary() + f"; {names} name-only matches of company-role holders for review")
    for text in notes:
        say(f"note: {text}")


@click.command(context_settings=CONTEXT, short_help="Store a dataset's graph for sweeps and the workbench.")
@click.argument("dataset", type=click.Path())
@input_options
@click.option("--append", is_flag=True,
              help="Add DATASET's rows (e.g. next month's decisions) to the stored graph instead of replacing it.")
@click.option("--adopt", is_flag=True,
              help="Neo4j: the database holds a graph an earlier govties wrote, without the Govties label: mark it as "
                   "govties' and load (refused unless it has exactly the shape govties writes).")
@click.option("-q", "--quiet", is_flag=True, help="No progress lines on stderr.")
@backend_options
def load(dataset, inputs, append, adopt, quiet, backend, store, neo4j_uri, neo4j_user, neo4j_database):
    """Load DATASET into a persistent graph (--store FILE, or a Neo4j server), so later sweeps can use --no-load.

    A load replaces the stored graph; loading the same data twice gives the same graph. With --append, DATASET
    may hold any of the contract's files; its rows are validated against the stored graph (references may point
    to stored ids) and added, ending in the graph a full load of everything would give.

    \b
    Examples:
      govties load data/ --store graph.duckdb
      govties load 2026-12/ --store graph.duckdb --append      # next month's decisions
      govties load data/ --backend neo4j        # NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD set
    """
    if not api.keeps_graph(backend, store):
        raise Fail("loading into memory keeps nothing: pass --store FILE, or --backend neo4j")
    if adopt and append:
        raise Fail("--adopt goes with a full load (without --append): it marks the stored graph, then replaces it")
    progress = Progress(quiet)
    with open_graph(backend, store, neo4j_uri, neo4j_user, neo4j_database, create=True, append=append,
                    adopt=adopt) as graph:
        loaded = graph.load(dataset, append=append, progress=progress, **inputs.kwargs())
    print_load(loaded)
    # where the graph now is, and what opens it (never the server's address: it may hold a password)
    if store:
        graph_args, where = f"--store {shlex.quote(str(store))}", str(store)
    else:
        graph_args = "--backend neo4j" + "".join(f" {flag} {shlex.quote(value)}" for flag, value in (
            ("--neo4j-user", neo4j_user), ("--neo4j-database", neo4j_database)) if value)
        where = "the Neo4j database" + (" at the --neo4j-uri given (pass it again)" if neo4j_uri else " (NEO4J_URI)")
    say(f"the graph is in {where}: `govties sweep --no-load {graph_args} -o findings.csv` sweeps it, "
        f"`govties serve {graph_args}` opens the workbench on it")


COMMANDS = (sweep, load, validate, resolve)
