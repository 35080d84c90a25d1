"""`govties serve` (the investigator workbench), `govties users` (its accounts) and `govties triage` (export and
import the workspace's triage as the triage CSV)."""

from __future__ import annotations

import getpass
import os
import socket
import sys

import click

from .. import api
from ..files import noting_replaced
from .options import (CONTEXT, Fail, Progress, backend_options, claim_outputs, inputs_of, lang_option, mask_option,
                      open_graph)

DEFAULT_PORT = 8750


def os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no passwd entry (some containers)
        return os.environ.get("USER") or "local"


def _graph(backend, store, neo4j_uri, neo4j_user, neo4j_database) -> api.Graph:
    if not api.keeps_graph(backend, store):
        raise Fail("the workbench works on a stored graph: pass --store FILE (made by `govties load DATA --store "
                   "FILE`) or --backend neo4j")
    if store and not os.path.exists(store):
        raise Fail(f"no store file {store}: make it with `govties load DATA --store {store}`")
    return open_graph(backend, store, neo4j_uri, neo4j_user, neo4j_database, create=False)


def _port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            raise Fail(f"cannot listen on {host}:{port} ({exc.strerror}): choose another --port, or another "
                       "--host") from None


@click.command(context_settings=CONTEXT, short_help="Start the investigator workbench on a stored graph.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but 127.0.0.1, ::1 or localhost needs accounts first "
                   "(govties users add).")
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True)
@lang_option("Language of the pages (each user can switch in the page).")
@mask_option("Mask resident IDs and phone numbers on every page and export.")
@click.option("--user", "local_user", default=None, metavar="NAME",
              help="Who you are on loopback without accounts (default: your OS user name); recorded in the "
                   "audit trail.")
@click.option("--public-url", default=None, metavar="URL",
              help="The address people open when a reverse proxy (TLS) serves it, e.g. https://gt.example.org: "
                   "requests naming it are answered, besides the bound address.")
@click.option("--timezone", default=None, metavar="ZONE",
              help="The time zone pages show times in, an IANA name such as Asia/Shanghai (default: this "
                   "machine's). The workspace records times in UTC, and triage downloads write them so.")
@click.option("-q", "--quiet", is_flag=True, help="No progress lines on stderr.")
@backend_options
def serve(host, port, lang, mask, local_user, public_url, timezone, quiet, backend, store, neo4j_uri, neo4j_user,
          neo4j_database):
    """Start the investigator workbench on a stored graph and print its URL: the findings inbox, triage and cases
    with an audit trail, entity pages, graph exploration, case sheets, early warning and evaluation.

    Loopback only by default. To serve a team, add accounts first (`govties users add NAME --role
    investigator`), then bind another address (--host). When the graph has no recorded sweep yet, one is run
    (every rule, default parameters) and recorded first.

    \b
    Examples:
      govties serve --store graph.duckdb
      govties serve --backend neo4j --lang en
      govties users add li --role investigator --store graph.duckdb && govties serve --store graph.duckdb --host 0.0.0.0
    """
    import uvicorn

    from ..workbench import Options, create_app
    from ..workbench.clock import UnknownZone, named_zone
    from ..workbench.security import WILDCARD, is_loopback, public_origin, valid_host

    if public_url is not None and public_origin(public_url) is None:
        raise Fail(f"--public-url {public_url!r} is not an http(s) address: give one like https://gt.example.org")
    if timezone is not None:
        try:
            named_zone(timezone)
        except UnknownZone as exc:
            raise Fail(str(exc)) from None
    if not valid_host(host):
        raise Fail(f"--host {host!r} is not an IP address: give one, e.g. 127.0.0.1 or 0.0.0.0")
    graph = _graph(backend, store, neo4j_uri, neo4j_user, neo4j_database)
    try:
        if not any(graph.counts().values()):
            raise Fail("the graph is empty: load one first (`govties load DATA --store FILE` or --backend neo4j)")
        ws = graph.workspace()
        if not is_loopback(host) and not ws.has_accounts():
            raise Fail(f"binding {host} would let anyone who reaches it read and change triage: add accounts "
                       "first (`govties users add NAME --role investigator` with the same --store/--backend), or "
                       "serve on 127.0.0.1")
        _port_free(host, port)
        if ws.latest_sweep() is None:
            progress = Progress(quiet)
            progress.note("no recorded sweep yet: sweeping every rule once")
            graph.sweep(api.sweep_settings(lang=lang), progress=progress, record=True)
        options = Options(lang=lang, mask=mask, user=local_user or os_user(), host=host, port=port,
                          public_url=public_url, timezone=timezone)
        app = create_app(graph, options)
        if host in WILDCARD:  # every address of this machine: open it by the machine's name
            name = socket.gethostname() or "this-machine"
            click.echo(f"govties workbench: http://{name}:{port}/  (on every address of this machine: open it "
                       "by this machine's name or address; Ctrl-C stops it)")
        else:
            shown = f"[{host}]" if ":" in host else host
            click.echo(f"govties workbench: http://{shown}:{port}/  (Ctrl-C stops it)")
        if is_loopback(host) and not ws.has_accounts():
            click.echo(f"no accounts: you are {options.user} on this machine only")
        sys.stdout.flush()
        server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                                               server_header=False))
        try:  # serves until Ctrl-C; then raises KeyboardInterrupt (unless SIGINT is ignored, as in a `cmd &`)
            with noting_replaced(on=False):  # its downloads are written to temporary files: no command's outputs
                server.run()
        except KeyboardInterrupt:
            pass
        if not server.started:
            raise Fail(f"the workbench could not start on {host}:{port} (see the message above)")
        click.echo("\nworkbench stopped: every saved change is in the workspace", err=True)
        raise click.exceptions.Exit(130)
    finally:
        graph.close()


def _password(stdin: bool) -> str:
    if stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    try:
        return click.prompt("password", hide_input=True, confirmation_prompt=True)
    except click.Abort as exc:  # click's answer to both Ctrl-C and the end of input at its prompt
        if isinstance(exc.__context__, KeyboardInterrupt):
            raise KeyboardInterrupt from None
        raise Fail("no password was given: the input ended at the prompt; fix: type it at the prompt (twice), or "
                   "pass it on one line of standard input with --password-stdin") from None


@click.group(context_settings=CONTEXT, short_help="The workbench's accounts: add, list, passwd, remove.")
def users():
    """The workbench's accounts: `add`, `list`, `passwd`, `remove` (stored hashed with argon2, in the graph's
    workspace). Passwords are read from a prompt, or one line of standard input with --password-stdin; never from
    an argument.

    \b
    Example:
      govties users add li --role investigator --store graph.duckdb
      govties users list --store graph.duckdb
    """


@users.command("add", context_settings=CONTEXT)
@click.argument("name")
@click.option("--role", type=click.Choice(["viewer", "investigator"]), required=True,
              help="viewer: reads; investigator: reads, triages, works cases.")
@click.option("--password-stdin", is_flag=True, help="Read the password from one line of standard input.")
@backend_options
def users_add(name, role, password_stdin, backend, store, neo4j_uri, neo4j_user, neo4j_database):
    """Add an account.

    \b
    Example:
      govties users add li --role investigator --store graph.duckdb
      printf '%s\\n' "$PW" | govties users add wang --role viewer --password-stdin --backend neo4j
    """
    from ..api.accounts import check_name

    check_name(name)
    with _graph(backend, store, neo4j_uri, neo4j_user, neo4j_database) as graph:
        graph.workspace().add_user(name, role, _password(password_stdin), by=os_user())
    click.echo(f"added {name} ({role})")


@users.command("passwd", context_settings=CONTEXT)
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from one line of standard input.")
@backend_options
def users_passwd(name, password_stdin, backend, store, neo4j_uri, neo4j_user, neo4j_database):
    """Set a new password for an account.

    \b
    Example:
      govties users passwd li --store graph.duckdb
    """
    with _graph(backend, store, neo4j_uri, neo4j_user, neo4j_database) as graph:
        graph.workspace().set_password(name, _password(password_stdin), by=os_user())
    click.echo(f"password of {name} changed")


@users.command("remove", context_settings=CONTEXT)
@click.argument("name")
@backend_options
def users_remove(name, backend, store, neo4j_uri, neo4j_user, neo4j_database):
    """Remove an account (its triage, notes and audit trail stay).

    \b
    Example:
      govties users remove li --backend neo4j
    """
    with _graph(backend, store, neo4j_uri, neo4j_user, neo4j_database) as graph:
        graph.workspace().remove_user(name, by=os_user())
    click.echo(f"removed {name}")


@users.command("list", context_settings=CONTEXT)
@backend_options
def users_list(backend, store, neo4j_uri, neo4j_user, neo4j_database):
    """List the accounts.

    \b
    Example:
      govties users list --store graph.duckdb
    """
    with _graph(backend, store, neo4j_uri, neo4j_user, neo4j_database) as graph:
        rows = graph.workspace().users()
    for u in rows:
        click.echo(f"{u['name']:<24} {u['role']:<13} {u['created_at'][:19].replace('T', ' ')}")
    if not rows:
        click.echo("no accounts (the workbench serves loopback only)")


@click.group(context_settings=CONTEXT, short_help="Export or import the workspace's triage as CSV.")
def triage():
    """The workspace's triage as the triage CSV that `govties sweep --triage` and `govties diff --triage` read:
    `export` and `import`.

    \b
    Example:
      govties triage export --store graph.duckdb -o triage.csv
      govties triage import triage.csv --store graph.duckdb
    """


@triage.command("export", context_settings=CONTEXT,
                short_help="Write every triaged finding as a triage CSV.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="The CSV file to write.")
@mask_option("Mask resident IDs and phone numbers in notes, and write finding ids as keyed ids (as `sweep "
             "--mask` does).")
@backend_options
def triage_export(output, mask, backend, store, neo4j_uri, neo4j_user, neo4j_database):
    """Write every triaged finding (finding_id, status, note, who, when, assignee, fingerprint).

    \b
    Example:
      govties triage export --store graph.duckdb -o triage.csv
    """
    claim_outputs({"-o": output}, inputs_of(store=store), mask=mask)  # never over the store it reads
    api.table_format(output, suffixes=(".csv",))  # what `triage import` and `--triage` read
    with _graph(backend, store, neo4j_uri, neo4j_user, neo4j_database) as graph:
        frame = graph.workspace().export_triage()
    api.write_csv(api.mask_findings(frame) if mask else frame, output)
    click.echo(f"wrote {api.counted(f'{len(frame)} triaged finding(s)', len(frame))} to {output}")


@triage.command("import", context_settings=CONTEXT)
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--user", "who", default=None, metavar="NAME",
              help="Who the changes are recorded as where a row has no `who` (default: your OS user name).")
@backend_options
def triage_import(path, who, backend, store, neo4j_uri, neo4j_user, neo4j_database):
    """Apply a triage CSV to the workspace. The file is checked whole first: a finding id that is not recorded
    is an error naming its line (nothing is applied then). Each change is an audit event of kind import. It needs
    the columns finding_id and status; a column it does not have (note, assignee ...) leaves what is stored, and
    an empty note or assignee cell clears it.

    \b
    Example:
      govties triage import triage.csv --store graph.duckdb
    """
    with _graph(backend, store, neo4j_uri, neo4j_user, neo4j_database) as graph:
        done = graph.workspace().import_triage(path, who=who or os_user())
    click.echo(f"{path}: " + api.counted(f"{done['changed']} finding(s) changed", done["changed"])
               + f", {done['unchanged']} unchanged")


COMMANDS = (serve, users, triage)
