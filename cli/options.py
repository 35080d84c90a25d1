"""Options shared by commands: backends, parameters, config files, errors that exit with status 2."""

from __future__ import annotations

import sys
import time
import tomllib
from contextlib import contextmanager
from typing import Any

import click

from ..graph.backend import BACKENDS, Backend, BackendError, open_backend
from ..loaders import DataError
from ..loaders.limits import NotReadable, read_small
from ..loaders.values import DATE_EXPECTED, parse_date

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
                      neo4j_database: str | None) -> Backend:
    if backend == "neo4j" and store:
        raise Fail("--store is for the embedded backend; for Neo4j the graph lives on the server (NEO4J_URI)")
    try:
        opened = open_backend(backend, store=store, uri=neo4j_uri, user=neo4j_user, database=neo4j_database)
    except BackendError as exc:
        raise Fail(str(exc)) from None
    try:
        busy = opened.writer()  # a graph half written: a sweep or a view would mix old and new rows
    except BackendError as exc:
        opened.close()
        raise Fail(str(exc)) from None
    if busy:
        opened.close()
        raise Fail(busy)
    return opened


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
    """A TOML config: lang, rules, as_of and [params.RULE] tables, each checked for its shape (one line and exit
    status 2 for anything else)."""
    if not path:
        return {}
    try:
        data = tomllib.loads(read_small(path, "config file").decode("utf-8"))
    except NotReadable as exc:
        raise Fail(f"the config file {path} {exc}; {exc.fix}") from None
    except OSError as exc:
        raise Fail(f"cannot read the config file {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise Fail(f"the config file {path} is not UTF-8 text (bad byte at offset {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise Fail(f"the config file {path} is not valid TOML: {exc}") from None
    except RecursionError:
        raise Fail(f"the config file {path} is nested too deeply to be a config file") from None
    known = {"lang", "rules", "params", "as_of"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise Fail(f"the config file {path} has unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    if "lang" in data and data["lang"] not in ("zh", "en"):
        raise Fail(f"the config file {path}: lang = {data['lang']!r}; expected \"zh\" or \"en\"")
    if "rules" in data:
        rules = data["rules"]
        if isinstance(rules, str):
            rules = rules.split(",")
        if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
            raise Fail(f"the config file {path}: rules must be a list of rule ids, e.g. rules = [\"self-dealing\"]")
        data["rules"] = rule_ids(",".join(rules))
    params = data.get("params", {})
    if not isinstance(params, dict) or not all(isinstance(v, dict) for v in params.values()):
        raise Fail(f"the config file {path}: params must hold one table per rule, e.g. [params.split-decisions] "
                   "threshold = 500000")
    if "as_of" in data:
        data["as_of"] = as_of_date(str(data["as_of"]), f"as_of in the config file {path}")
    return data


def rule_ids(text: str | None) -> list[str] | None:
    """Comma-separated rule ids, each once, in the order given (None when none are given)."""
    ids = list(dict.fromkeys(i.strip() for i in (text or "").split(",") if i.strip()))
    return ids or None


def as_of_date(value: str | None, what: str = "--as-of") -> str | None:
    """A reference date as ISO text; Fail naming `what` when it is not a date."""
    if value is None:
        return None
    iso = parse_date(value.strip()) if isinstance(value, str) else None
    if iso is None:
        raise Fail(f"{what}: {value!r} is not a date; expected {DATE_EXPECTED}")
    return iso


def header_row_option(f):
    """--header-row N: the line (sheet row) every file's and sheet's header is on; kept in the context's meta for
    the loads the command makes (current_header_row)."""
    def keep(ctx, _param, value):
        ctx.meta["govties.header_row"] = value
        return value

    return click.option("--header-row", type=click.IntRange(1, 1000), default=None, metavar="N", expose_value=False,
                        callback=keep,
                        help="The line (sheet row) the header is on in every file and sheet, when title lines come "
                             "first (default 1: in a sheet, the first row with a value). A mapping file's "
                             "header_row sets it for one file or sheet.")(f)


def current_header_row() -> int | None:
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get("govties.header_row") if ctx is not None else None


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
