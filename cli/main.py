"""The govties command line: load registries, resolve people, sweep rules, export findings."""

from __future__ import annotations

import logging
import signal
from pathlib import Path

import click
import duckdb
import pandas as pd

from .. import __version__
from ..graph.backend import BackendError, UnsupportedFeature, is_interrupt, open_backend
from ..loaders import load_dataset
from ..loaders.memory import prefer_jemalloc
from ..rules import catalog as rule_catalog
from ..rules.engine import resolve_params, sweep as run_sweep
from ..rules.export import ExportError, findings_frame, write_findings
from ..rules.spec import RuleDefinitionError
from .options import (CONTEXT, Fail, Progress, backend_options, data_problems_exit, interrupted_note, neo4j_options,
                      open_from_options, parse_params, read_config)
from ..loaders.triage import apply_triage, read_triage_file
from ..privacy import mask_value
from .summary import print_load, print_sweep, print_triage


def read_triage(path: str):
    with data_problems_exit():
        return read_triage_file(path)


class GovtiesGroup(click.Group):
    """Ctrl-C ends a command cleanly: loads are transactions (DuckDB) or resumable (Neo4j), so nothing is left
    half-written; one line says what the interrupted load did (the backend knows), and the exit status is 130.
    Run as the program, once the command has ended (or said why it stopped), a further Ctrl-C changes nothing:
    it is ignored while the interpreter shuts down, instead of ending in a traceback."""

    as_program = False

    def main(self, args=None, *rest, **kwargs):
        self.as_program = args is None  # the console script passes no args; a test's runner always does
        try:
            return super().main(args, *rest, **kwargs)
        finally:
            self._ignore_ctrl_c()

    def _ignore_ctrl_c(self) -> None:
        if self.as_program:
            signal.signal(signal.SIGINT, signal.SIG_IGN)

    def invoke(self, ctx):
        try:
            done = super().invoke(ctx)
            self._ignore_ctrl_c()  # the command has ended
            return done
        except (KeyboardInterrupt, RuntimeError, duckdb.Error) as exc:  # DuckDB reports a Ctrl-C as any of these
            if not is_interrupt(exc):
                raise
            self._ignore_ctrl_c()
            click.echo("\n" + interrupted_note(ctx, exc), err=True)
            ctx.exit(130)


@click.group(cls=GovtiesGroup, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version")
def main() -> None:
    """govties: find conflicts of interest hidden in the joins between cadre records, family declarations,
    the business registry and government decisions.

    Findings are leads for review, not proof of wrongdoing.

    \b
    Example:
      govties demo
      govties sweep data/ -o findings.csv --lang en
    """
    # The Neo4j driver logs each retry and failure (e.g. "Unable to retrieve routing information"); govties reports
    # the outcome itself, in one line.
    logging.getLogger("neo4j").setLevel(logging.CRITICAL)
    prefer_jemalloc()  # loads free and reuse gigabytes of Arrow buffers (loaders/memory.py)


def write_aggregates(backend, result, rules, folder, mask: bool = False) -> list[str]:
    from ..rules.aggregate import aggregate

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    tables = aggregate(backend, result.findings, [r.id for r in rules])
    for name, df in tables.items():
        (df.map(mask_value) if mask else df).to_csv(out / f"{name}.csv", index=False)
    return [f"{name}.csv ({len(df)} rows)" for name, df in tables.items()]


def append_into(backend, dataset_path: str, encoding: str | None, progress: Progress, mapping: str | None = None):
    from ..loaders.known import Known

    with data_problems_exit():
        dataset = load_dataset(dataset_path, encoding=encoding, progress=progress, mapping=mapping,
                               known=Known.from_backend(backend))
    try:
        added = backend.append(dataset.tables, dataset.alias_updates, progress=progress)
    except BackendError as exc:
        raise Fail(str(exc)) from None
    dataset.release()
    return dataset, added


def load_into(backend, dataset_path: str, encoding: str | None, progress: Progress, mapping: str | None = None):
    with data_problems_exit():
        dataset = load_dataset(dataset_path, encoding=encoding, progress=progress, mapping=mapping)
    progress.note("storing the graph")
    try:
        counts = backend.load(dataset.tables, progress=progress)
    except BackendError as exc:
        raise Fail(str(exc)) from None
    dataset.release()
    return dataset, counts


@main.command(context_settings=CONTEXT)
@click.argument("dataset", required=False, type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="findings.csv", show_default=True,
              help="Findings file; the format follows the extension (.csv .jsonl .xlsx .parquet).")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "xlsx", "parquet"]), default=None,
              help="Output format, when the file name does not tell.")
@click.option("--rules", "rule_ids", default=None, metavar="ID,ID",
              help="Run only these rules (comma-separated ids; `govties rules list` shows them).")
@click.option("-p", "--param", "params", multiple=True, metavar="RULE.NAME=VALUE",
              help="Change a rule parameter; repeatable. Lists are comma-separated.")
@click.option("-c", "--config", type=click.Path(exists=True, dir_okay=False), default=None,
              help="TOML file with lang, rules and [params.RULE] tables; --param wins over it.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language of explanations [zh].")
@click.option("--as-of", default=None, metavar="YYYY-MM-DD",
              help="Reference date for recency in scores (default: the latest date in the data).")
@click.option("--no-load", is_flag=True, help="Sweep the graph already in --store or the Neo4j server.")
@click.option("--encoding", default=None, help="Input encoding (utf-8 or gb18030); detected when not given.")
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False), default=None,
              help="YAML mapping of source files/sheets, columns and words to the contract.")
@click.option("--resolution-out", type=click.Path(dir_okay=False), default=None,
              help="Also write the entity-resolution list (merged and possible matches) as CSV.")
@click.option("--aggregate-out", type=click.Path(file_okay=False), default=None,
              help="Also write ranked tables per official, company, agency and region into this folder.")
@click.option("--mask", is_flag=True, help="Mask resident IDs and phone numbers in everything written.")
@click.option("--triage", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Triage CSV (finding_id, status, note, who, when): adds triage columns; dismissed findings are "
                   "reported as dismissed, not as new.")
@click.option("-q", "--quiet", is_flag=True, help="No progress lines on stderr.")
@click.option("--rule-workers", type=click.IntRange(1, 32), default=1, show_default=True,
              help="Neo4j: run this many rules at once, each on its own session (a Community server runs a query "
                   "on one core; give up to its core count). The findings are the same.")
@backend_options
def sweep(dataset, output, fmt, rule_ids, params, config, lang, as_of, no_load, encoding, mapping, resolution_out,
          aggregate_out, mask, triage, quiet, rule_workers, backend, store, neo4j_uri, neo4j_user, neo4j_database):
    """Load DATASET (a folder of the contract's CSV files, or an .xlsx workbook with one sheet per file),
    resolve people, run every rule, write findings.

    \b
    Examples:
      govties sweep data/ -o findings.csv
      govties sweep registries.xlsx -o findings.csv --mapping our-systems.yaml
      govties sweep data/ -o out.xlsx --rules relative-business,self-dealing --lang en
      govties sweep data/ -p post-retirement.senior_years=5 -p indirect-relative-business.min_share=0.3
      govties sweep data/ -o findings.csv --aggregate-out ranks/   # officials.csv, companies.csv ...
      govties sweep data/ --backend neo4j -o findings.jsonl      # NEO4J_URI, NEO4J_PASSWORD set
      govties sweep --backend neo4j --no-load -o findings.csv    # the graph already on the server
      govties sweep --backend neo4j --no-load --rule-workers 4   # four rules at once on a 4-core server
    """
    cfg = read_config(config)
    lang = lang or cfg.get("lang", "zh")
    overrides = {k: dict(v) for k, v in cfg.get("params", {}).items()}
    for rule, values in parse_params(params).items():
        overrides.setdefault(rule, {}).update(values)
    ids = [i.strip() for i in rule_ids.split(",") if i.strip()] if rule_ids else cfg.get("rules")
    out_path = Path(output)
    try:
        rules = rule_catalog.select(ids)
        unknown = sorted(set(overrides) - set(rule_catalog.catalog()))
        if unknown:
            raise Fail(f"--param names unknown rule(s) {', '.join(unknown)}; `govties rules list` shows them")
        for rule in rules:
            resolve_params(rule, overrides.get(rule.id))
        from ..rules.export import format_for
        format_for(out_path, fmt)
    except (RuleDefinitionError, ExportError) as exc:
        raise Fail(str(exc)) from None
    triage_table = read_triage(triage) if triage else None
    if not no_load and not dataset:
        raise Fail("give the DATASET folder to load, or --no-load to sweep a graph already stored "
                   "(--store FILE or --backend neo4j)")
    if no_load and backend == "duckdb" and not store:
        raise Fail("--no-load needs a stored graph: pass --store FILE (embedded) or --backend neo4j")
    progress = Progress(quiet)
    be = open_from_options(backend, store, neo4j_uri, neo4j_user, neo4j_database, "read" if no_load else "load")
    try:
        if rule_workers > 1:  # asked before any loading; the engine asks the backend the same
            be.require("concurrent-queries")
        loaded = None
        if not no_load:
            loaded, counts = load_into(be, dataset, encoding, progress, mapping)
            print_load(loaded, counts)
        progress.note(f"running {len(rules)} rule(s) on {be.name}")
        result = run_sweep(be, rules, overrides, lang=lang, as_of=as_of or cfg.get("as_of"), progress=progress,
                           workers=rule_workers)
        frame = findings_frame(result.findings)
        if triage_table is not None:
            frame = apply_triage(frame, triage_table)
        if mask:
            frame = frame.map(mask_value)
        about = {"source": dataset or "(stored graph)", "backend": be.name, "as_of": result.as_of,
                 "rules": ",".join(r.id for r in rules), "govties": __version__}
        write_findings(frame, out_path, fmt, about)
        if resolution_out and loaded is not None:
            resolution = loaded.resolution.frame()
            (resolution.map(mask_value) if mask else resolution).to_csv(resolution_out, index=False)
        if aggregate_out:
            written = write_aggregates(be, result, rules, aggregate_out, mask)
    except UnsupportedFeature as exc:
        if exc.feature != "concurrent-queries":
            raise Fail(str(exc)) from None
        raise Fail(f"--rule-workers is for --backend neo4j: the {exc.backend} backend runs one rule at a time, and "
                   "each rule already uses every core; drop --rule-workers") from None
    except (BackendError, ExportError, RuleDefinitionError) as exc:
        raise Fail(str(exc)) from None
    finally:
        be.close()
    print_sweep(result)
    if triage_table is not None:
        print_triage(frame)
    click.echo(f"\nwrote {len(frame)} findings to {out_path}" + (" (identifiers masked)" if mask else ""))
    if aggregate_out:
        click.echo(f"wrote ranked tables to {aggregate_out}: " + ", ".join(written))


@main.command(context_settings=CONTEXT)
@click.argument("dataset", type=click.Path())
@click.option("--encoding", default=None, help="Input encoding (utf-8 or gb18030); detected when not given.")
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False), default=None,
              help="YAML mapping of source files/sheets, columns and words to the contract.")
def validate(dataset, encoding, mapping):
    """Check DATASET against the dataset contract without storing anything; list every problem.

    DATASET is a folder of CSV files or an .xlsx workbook. Prints which file or sheet fills each contract file
    and which header mapped to which column. Exit status 0 when it loads (warnings may be listed), 2 when it
    has errors.

    \b
    Example:
      govties validate data/
      govties validate registries.xlsx --mapping our-systems.yaml
    """
    with data_problems_exit():
        ds = load_dataset(dataset, encoding=encoding, mapping=mapping)
    for name, n in ds.counts().items():
        click.echo(f"{name:<15} {n:>9} rows")
    for name, enc in sorted(ds.encodings.items()):
        if enc not in ("utf-8", "xlsx"):
            click.echo(f"{name}: read as {enc}")
    for name, source in ds.sources.items():
        if source != name:
            click.echo(f"{name}: from {source}")
    for name, pairs in ds.header_maps.items():
        click.echo(f"{name}: " + ", ".join(f"{src} -> {dst}" for src, dst in pairs))
    for w in ds.warnings:
        click.echo(f"warning: {w}")
    click.echo(ds.resolution.summary())
    click.echo(f"{dataset}: valid ({len(ds.warnings)} warnings)")


@main.command(context_settings=CONTEXT)
@click.argument("dataset", type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the list as CSV instead of printing it.")
@click.option("--encoding", default=None, help="Input encoding (utf-8 or gb18030); detected when not given.")
def resolve(dataset, output, encoding):
    """List how people were resolved across sources: merges by resident ID, possible matches by name and
    birth date, and company-role holders without a resident ID whose name (also in simplified characters or
    pinyin) matches someone else — listed for review, never merged.

    \b
    Example:
      govties resolve data/ -o merges.csv
    """
    with data_problems_exit():
        ds = load_dataset(dataset, encoding=encoding)
    frame = ds.resolution.frame()
    from ..loaders.names import name_matches

    matches, notes = name_matches(ds.frame("person"), ds.frame("role"))
    if matches:
        frame = pd.concat([frame, pd.DataFrame(
            [{"canonical_id": "", "person_ids": f"{m.holder_id};{m.candidate_id}",
              "names": f"{m.holder_name};{m.candidate_name}", "id_number": "", "decision": "name",
              "reason": f"company-role holder without a resident ID: {m.reason} (not merged)"} for m in matches])],
            ignore_index=True)
    if output:
        frame.to_csv(output, index=False)
        click.echo(f"wrote {len(frame)} rows to {output}")
    else:
        for row in frame.itertuples(index=False):
            target = f" -> {row.canonical_id}" if row.canonical_id else ""
            click.echo(f"{row.decision:<8} {row.person_ids}{target}  {row.names}  ({row.reason})")
    click.echo(ds.resolution.summary() + f"; {len(matches)} name-only matches of company-role holders for review")
    for note in notes:
        click.echo(f"note: {note}")


@main.command(context_settings=CONTEXT)
@click.argument("dataset", type=click.Path())
@click.option("--encoding", default=None, help="Input encoding (utf-8 or gb18030); detected when not given.")
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False), default=None,
              help="YAML mapping of source files/sheets, columns and words to the contract.")
@click.option("--append", is_flag=True,
              help="Add DATASET's rows (e.g. next month's decisions) to the stored graph instead of replacing it.")
@click.option("--adopt", is_flag=True,
              help="Neo4j: the database holds a graph an earlier govties wrote, without the Govties label: mark it as "
                   "govties' and load (refused unless it has exactly the shape govties writes).")
@click.option("-q", "--quiet", is_flag=True, help="No progress lines on stderr.")
@backend_options
def load(dataset, encoding, mapping, append, adopt, quiet, backend, store, neo4j_uri, neo4j_user, neo4j_database):
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
    if backend == "duckdb" and not store:
        raise Fail("loading into memory keeps nothing: pass --store FILE, or --backend neo4j")
    if adopt and append:
        raise Fail("--adopt goes with a full load (without --append): it marks the stored graph, then replaces it")
    progress = Progress(quiet)
    be = open_from_options(backend, store, neo4j_uri, neo4j_user, neo4j_database, "append" if append else "load",
                           adopt)
    try:
        if append:
            ds, counts = append_into(be, dataset, encoding, progress, mapping)
        else:
            ds, counts = load_into(be, dataset, encoding, progress, mapping)
    finally:
        be.close()
    print_load(ds, counts)


@main.command("neo4j-import", context_settings=CONTEXT)
@click.argument("dataset", type=click.Path())
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), required=True,
              help="Folder for the CSV files, import.sh and schema.cypher.")
@click.option("--database", default="neo4j", show_default=True, help="The database neo4j-admin imports into.")
@click.option("--encoding", default=None, help="Input encoding (utf-8 or gb18030); detected when not given.")
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False), default=None,
              help="YAML mapping of source files/sheets, columns and words to the contract.")
def neo4j_import(dataset, out_dir, database, encoding, mapping):
    """Validate and resolve DATASET, then write the files `neo4j-admin database import full` needs to build the
    same graph a govties load builds — the fast way to a first load of a province into an empty database.

    \b
    Example:
      govties neo4j-import data/ --out import/ && sh import/import.sh
    """
    from ..graph.neo4j_connect import check_database
    from ..graph.neo4j_import import write_import_files

    try:
        check_database(database, "--database")
    except BackendError as exc:
        raise Fail(str(exc)) from None
    with data_problems_exit():
        ds = load_dataset(dataset, encoding=encoding, mapping=mapping)
    counts = write_import_files(ds.tables, out_dir, database)
    for name, n in counts.items():
        click.echo(f"{name:<26} {n:>10} rows")
    click.echo(f"wrote {out_dir}: run import.sh on the Neo4j server (database stopped), then cypher-shell -f "
               "schema.cypher")


@main.command("neo4j-unlock", context_settings=CONTEXT)
@click.option("--force", is_flag=True,
              help="Clear the lock even though its holder beat within the last 10 minutes (it may still be writing).")
@neo4j_options
def neo4j_unlock(force, neo4j_uri, neo4j_user, neo4j_database):
    """Show who holds the Neo4j database's load lock, and clear it when its load is gone.

    A load, append or wipe holds the lock while it writes, so that two never write at once. A load killed on
    another machine keeps it until its last beat is 10 minutes old; when you know that load is gone (its machine
    crashed), clear it here instead of waiting. A lock whose holder beat recently is cleared only with --force:
    if that load is in fact still running, it stops with an error at its next batch; run it again then, and it
    ends in the graph it would have written.

    \b
    Examples:
      govties neo4j-unlock                 # who holds the lock (NEO4J_URI, NEO4J_PASSWORD set)
      govties neo4j-unlock --force         # the load on the crashed machine is gone
    """
    try:
        be = open_backend("neo4j", "unlock", uri=neo4j_uri, user=neo4j_user, database=neo4j_database)
    except BackendError as exc:
        raise Fail(str(exc)) from None
    try:
        found = be.load_lock()
        if found is None:
            click.echo(f"no govties load holds the Neo4j database at {be.where}")
            return
        held = found["held_by"]
        if found["alive"] and not force:
            raise Fail(f"the load lock is held by {held}: it may still be writing. Wait for it to end; if you know "
                       "it is gone, run `govties neo4j-unlock --force`")
        cleared = be.clear_load_lock(found["stamp"])
        click.echo(f"cleared the load lock held by {held}" if cleared else "the lock was released meanwhile")
    except BackendError as exc:
        raise Fail(str(exc)) from None
    finally:
        be.close()


from . import demo as _demo  # noqa: E402,F401  (registers demo, generate)
from . import view_cmd as _view_cmd  # noqa: E402,F401  (registers view, report)
from . import diff_cmd as _diff_cmd  # noqa: E402,F401  (registers diff)
from . import ftm_cmd as _ftm_cmd  # noqa: E402,F401  (registers ftm-import, ftm-export)
from . import rules_cmd as _rules_cmd  # noqa: E402,F401  (registers rules list/show/test)
