"""Options shared by commands: backends, parameters, config files, errors that exit with status 2."""

from __future__ import annotations

import sys
import time
import tomllib
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from ..graph.backend import BACKENDS, Backend, BackendError, open_backend
from ..loaders import DataError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 110}


class Fail(click.ClickException):
    """An error the user can fix: one message, exit status 2, no traceback."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


@contextmanager
def data_problems_exit():
    """Bad input: print every problem (file, line, column, fix) on stderr and exit with status 2."""
    try:
        yield
    except DataError as exc:
        click.echo(exc.report(), err=True)
        raise SystemExit(2) from None


def neo4j_options(f):
    f = click.option("--neo4j-database", default=None, metavar="NAME",
                     help="Neo4j database (default: NEO4J_DATABASE, else the server's default).")(f)
    f = click.option("--neo4j-user", default=None, metavar="USER",
                     help="Neo4j user (default: NEO4J_USERNAME, else neo4j). The password is read from "
                          "NEO4J_PASSWORD only.")(f)
    return click.option("--neo4j-uri", default=None, metavar="URI",
                        help="bolt://, neo4j:// (cluster) or neo4j+s:// (Aura) URI (default: NEO4J_URI).")(f)


def backend_options(f):
    f = neo4j_options(f)
    f = click.option("--store", type=click.Path(dir_okay=False), default=None,
                     help="Keep the embedded graph in this DuckDB file (default: in memory).")(f)
    f = click.option("--backend", type=click.Choice(BACKENDS), default="duckdb", show_default=True,
                     help="duckdb: embedded, needs no server; neo4j: a Neo4j server, cluster or Aura.")(f)
    return f


def open_from_options(backend: str, store: str | None, neo4j_uri: str | None, neo4j_user: str | None,
                      neo4j_database: str | None, purpose: str = "load", adopt: bool = False) -> Backend:
    """The backend the options name, opened for `purpose` ("read": the store must hold a govties graph; "load": it
    may be new; "append": it must hold one). A store that is not govties' is refused whatever the purpose."""
    if backend == "neo4j" and store:
        raise Fail("--store is for the embedded backend; for Neo4j the graph lives on the server (NEO4J_URI)")
    if adopt and backend != "neo4j":
        raise Fail("--adopt is for --backend neo4j: a load into an embedded store written by an earlier govties "
                   "rewrites it without it")
    try:
        opened = open_backend(backend, purpose, store=store, uri=neo4j_uri, user=neo4j_user, database=neo4j_database,
                              adopt=adopt)
    except BackendError as exc:
        raise Fail(str(exc)) from None
    ctx = click.get_current_context(silent=True)
    if ctx is not None:  # what a Ctrl-C message reports on (interrupted_note)
        ctx.meta.setdefault("govties.opened", []).append(opened)
    try:
        busy = opened.writer()  # a graph half written: a sweep or a view would mix old and new rows
    except BackendError as exc:
        opened.close()
        raise Fail(str(exc)) from None
    if busy:
        opened.close()
        raise Fail(busy)
    return opened


def interrupted_note(ctx: click.Context, exc: BaseException) -> str:
    """What is true of the stored graph after Ctrl-C: what the interrupted load or append, if any, did."""
    outcome = getattr(exc, "outcome", None)
    if outcome is None:
        written = [b.last_write for b in ctx.meta.get("govties.opened", []) if b.last_write is not None]
        outcome = written[-1] if written else None
    stored = outcome.describe() if outcome else "nothing stored was changed"
    return f"interrupted: {stored}; files being written may be incomplete"


def parse_params(items: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """`rule.param=value` items to {rule: {param: value}} (values are checked later against the rule)."""
    out: dict[str, dict[str, Any]] = {}
    for item in items:
        key, sep, value = item.partition("=")
        rule, dot, name = key.strip().rpartition(".")
        if not sep or not dot or not rule or not name:
            raise Fail(f"--param {item!r}: write RULE.PARAMETER=VALUE, e.g. --param post-retirement.senior_years=5")
        out.setdefault(rule, {})[name] = value.strip()
    return out


def read_config(path: str | None) -> dict[str, Any]:
    """A TOML config: lang, rules, backend, and [params.RULE] tables."""
    if not path:
        return {}
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise Fail(f"cannot read the config file {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise Fail(f"the config file {path} is not valid TOML: {exc}") from None
    known = {"lang", "rules", "params", "as_of"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise Fail(f"the config file {path} has unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return data


class Progress:
    """Stage progress on stderr (silent with --quiet)."""

    def __init__(self, quiet: bool = False):
        self.quiet = quiet
        self.started = time.perf_counter()
        self.last = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.quiet:
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
            click.echo(f"[{time.perf_counter() - self.started:7.1f}s] {text}", err=True)
