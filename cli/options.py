"""Options shared by commands (backends, inputs, what a sweep is asked to do), and how they become library calls."""

from __future__ import annotations

import functools
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from .. import api
from ..files import check_outputs, input_files
from ..titles import HEADERS

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 110}


class Fail(click.ClickException):
    """An error the user can fix: one message, exit status 2, no traceback."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(error_line(self), err=True)


def error_line(exc: click.ClickException) -> str:
    """A command's refusal as the command line prints it: one line."""
    return f"error: {exc.format_message()}"


def mask_option(help_text: str):
    """--mask, as every command that masks takes it: the mask key is checked when the option is read, before any
    data is (a GOVTIES_MASK_KEY too short to be a secret, or a key file that cannot be made, is one line with exit
    status 2, not an error after a whole sweep)."""
    return click.option("--mask", is_flag=True, callback=_key_checked, help=help_text)


def _key_checked(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    from ..privacy import mask_key

    if value:
        mask_key()
    return value


def lang_option(help_text: str, default: str | None = "zh"):
    """--lang: a language govties writes (api.LANGS), in any case (EN is en); with no default, a config file's
    or zh."""
    return click.option("--lang", type=click.Choice(api.LANGS, case_sensitive=False), default=default,
                        show_default=default is not None, help=help_text)


def _stack(f, options):
    for option in reversed(options):
        f = option(f)
    return f


def neo4j_options(f):
    return _stack(f, (
        click.option("--neo4j-uri", default=None, metavar="URI",
                     help="bolt://, neo4j:// (cluster) or neo4j+s:// (Aura) URI (default: NEO4J_URI)."),
        click.option("--neo4j-user", default=None, metavar="USER",
                     help="Neo4j user (default: NEO4J_USERNAME, else neo4j). The password is read from "
                          "NEO4J_PASSWORD only."),
        click.option("--neo4j-database", default=None, metavar="NAME",
                     help="Neo4j database (default: NEO4J_DATABASE, else the server's default)."),
    ))


def backend_options(f=None, *, in_memory: bool = False):
    """--backend, --store and the Neo4j options; `in_memory`: the command can keep a dataset's graph in memory
    (a sweep, a view), said in --store's help."""
    if f is None:
        return functools.partial(backend_options, in_memory=in_memory)
    f = neo4j_options(f)
    return _stack(f, (
        click.option("--backend", type=click.Choice(api.BACKENDS), default="duckdb", show_default=True,
                     help="duckdb: embedded, needs no server; neo4j: a Neo4j server, cluster or Aura."),
        click.option("--store", type=click.Path(dir_okay=False), default=None,
                     help="The DuckDB file that holds the embedded graph"
                          + (" (without one, a DATASET's graph is kept in memory for this run)." if in_memory
                             else ".")),
    ))


@dataclass(frozen=True)
class Inputs:
    """How a dataset is read (--encoding, --mapping, --header-row), as Graph.load and api.validate take it."""
    encoding: str | None = None
    mapping: str | None = None
    header_row: int | None = None

    def kwargs(self) -> dict[str, Any]:
        return {"encoding": self.encoding, "mapping": self.mapping, "header_row": self.header_row}


def input_options(f):
    """How a dataset is read: its encoding, a mapping of its files, columns and words to the contract, and the line
    its headers are on. The command receives them as one `inputs` (Inputs)."""
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        inputs = Inputs(kwargs.pop("encoding"), kwargs.pop("mapping"), kwargs.pop("header_row"))
        return f(*args, inputs=inputs, **kwargs)

    return _stack(wrapper, (
        click.option("--encoding", default=None, type=click.Choice(api.ENCODINGS, case_sensitive=False),
                     metavar="NAME", help="Input encoding (utf-8, gb18030 or big5); detected when not given."),
        click.option("--mapping", type=click.Path(dir_okay=False), default=None,
                     help="YAML mapping of source files/sheets, columns and words to the contract."),
        click.option("--header-row", type=click.IntRange(1, 1000), default=None, metavar="N",
                     help="The line (sheet row) the header is on in every file and sheet, when title lines come "
                          "first (default 1: in a sheet, the first row with a value). A mapping file's header_row "
                          "sets it for one file or sheet."),
    ))


def sweep_options(f):
    """What a sweep is asked to do; every command that sweeps takes and checks the same values."""
    return _stack(f, (
        click.option("--rules", "rule_ids", default=None, metavar="ID,ID",
                     help="Run only these rules (comma-separated ids; `govties rules list` shows them)."),
        click.option("-p", "--param", "params", multiple=True, metavar="RULE.NAME=VALUE",
                     help="Change a rule parameter; repeatable. Lists are comma-separated."),
        click.option("-c", "--config", type=click.Path(dir_okay=False), default=None,
                     help="TOML file with lang, rules, as_of and [params.RULE] tables; --param wins over it."),
        click.option("--profile", default=None, metavar="NAME",
                     help="Read the rules as a jurisdiction does: a named set of parameters citing its legal basis "
                          "(`govties rules profiles` lists them) [cn]. A config file and --param win over it."),
        lang_option("Language of explanations and pages (default: a config file's lang, else zh).", default=None),
        click.option("--as-of", default=None, metavar="DATE",
                     help="Reference date for recency in scores (default: the latest date in the data that is not "
                          "after today); any date form the data accepts. It leaves no row out: rows dated after it "
                          "are swept too (a warning says so)."),
        click.option("--triage", type=click.Path(dir_okay=False), default=None,
                     help="Triage CSV (finding_id, status, note, who, when, assignee): findings carry their triage "
                          "status; dismissed ones are reported as dismissed, not as new."),
    ))


def layout_options(f):
    """How tables are laid out for the people who open them (CSV, Excel)."""
    return _stack(f, (
        click.option("--no-bom", is_flag=True,
                     help="CSV without the UTF-8 byte order mark (by default CSV starts with one, so that Excel on a "
                          "Chinese Windows reads it as UTF-8)."),
        click.option("--raw-cells", is_flag=True,
                     help="Keep text that starts with = + - @ as it is in CSV and Excel (by default such a cell gets "
                          "a leading apostrophe so that a spreadsheet does not run it as a formula)."),
        click.option("--headers", type=click.Choice(HEADERS), default=None,
                     help="contract: the contract's column names; lang: column titles in the --lang language, "
                          "and the vocabularies' values (severity, triage status, relation, rank, decision kinds) in "
                          "its words (高, not high; govties reads either back) "
                          "[default: lang in .xlsx, contract in .csv]."),
    ))


def layout_from(lang: str, no_bom: bool, raw_cells: bool, headers: str | None) -> api.Layout:
    return api.Layout(lang=lang, headers=headers, bom=not no_bom, raw_cells=raw_cells)


def inputs_of(*paths, store: str | None = None) -> list[Path]:
    """Every file a command reads, so that no output overwrites one: a dataset folder's files, a workbook, a
    mapping, config or triage file, a store and its write-ahead log."""
    files = [f for p in paths for f in input_files(p)]
    if store:
        files += [Path(store), Path(f"{store}.wal")]
    return files


def claim_outputs(outputs: dict, inputs: list[Path], mask: bool = False) -> None:
    """Before any work: outputs must not overwrite inputs or each other, and their folders must be writable.
    With --mask, errors printed later are masked too (cli.main)."""
    click.get_current_context().meta["mask"] = mask
    check_outputs(outputs, inputs)


def settings_from(rule_ids: str | None, params: tuple[str, ...], config: str | None, profile: str | None,
                  lang: str | None, as_of: str | None) -> api.SweepSettings:
    return api.sweep_settings(rules=rule_ids, params=params, config=config, profile=profile, lang=lang, as_of=as_of,
                              named=OPTION_NAMES)


#: The options that give sweep_settings' arguments, as its messages name them on the command line.
OPTION_NAMES = {"lang": "--lang", "rules": "--rules", "params": "--param", "as_of": "--as-of"}


def open_graph(backend: str, store: str | None, neo4j_uri: str | None, neo4j_user: str | None,
               neo4j_database: str | None, *, create: bool = False, append: bool = False,
               adopt: bool = False) -> api.Graph:
    graph = api.open_graph(backend, store, uri=neo4j_uri, user=neo4j_user, database=neo4j_database, create=create,
                           append=append, adopt=adopt)
    ctx = click.get_current_context(silent=True)
    if ctx is not None:  # what a Ctrl-C message reports on (interrupted_note)
        ctx.meta.setdefault("govties.opened", []).append(graph.backend)
    return graph


def interrupted_note(ctx: click.Context, exc: BaseException) -> str:
    """What is true after Ctrl-C: what the interrupted load or append, if any, did to the stored graph, and which
    outputs were written whole before it (each replaced its previous file; the one being written did not)."""
    outcome = getattr(exc, "outcome", None)
    if outcome is None:
        writes = [b.last_write for b in ctx.meta.get("govties.opened", []) if b.last_write is not None]
        outcome = writes[-1] if writes else None
    stored = outcome.describe() if outcome else "nothing stored was changed"
    done = [str(p) for p in ctx.meta.get("govties.replaced", [])]
    more = f" and {len(done) - 3} more" if len(done) > 3 else ""
    written = f"written whole before it: {', '.join(done[:3])}{more}; " if done else ""
    return f"interrupted: {stored}; {written}files being written were left as they were"


class Progress:
    """Stage progress on stderr where a person watches it (a terminal; silent with --quiet, and where stderr goes
    to a file or a pipe: a log or a script reads the command's own lines, an error's one line first of all)."""

    def __init__(self, quiet: bool = False):
        self.quiet = quiet
        self.watched = not quiet and sys.stderr.isatty()
        self.started = time.perf_counter()
        self.last = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.watched:
            return
        if total > 1000 or stage != self.last:
            pct = f" {done * 100 // total}%" if total else ""
            end = "\n" if done >= total or total <= 1000 else "\r"
            if total <= 1000 and done < total and stage == self.last:
                return
            sys.stderr.write(f"[{time.perf_counter() - self.started:7.1f}s] {stage}{pct}{end}")
            sys.stderr.flush()
            self.last = stage

    def note(self, text: str) -> None:
        if not self.quiet:
            say(f"[{time.perf_counter() - self.started:7.1f}s] {text}", err=True)


def echo_lines(lines: list[str] | tuple[str, ...], prefix: str = "") -> None:
    for line in lines:
        say(f"{prefix}{line}")


def say(text: str, err: bool = False) -> None:
    """Print a line that may quote data: masked under --mask, control sequences and bidirectional overrides shown
    as escapes."""
    from ..cells import for_terminal
    from ..privacy import mask_text

    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.meta.get("mask"):
        text = mask_text(text)
    click.echo("\n".join(for_terminal(line) for line in str(text).split("\n")), err=err)


__all__ = ["CONTEXT", "Fail", "Inputs", "Progress", "backend_options", "input_options", "neo4j_options",
           "mask_option", "sweep_options", "layout_options", "layout_from", "inputs_of", "claim_outputs",
           "settings_from", "open_graph", "interrupted_note", "echo_lines", "say", "error_line"]
