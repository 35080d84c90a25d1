"""The `govties` command: argument parsing and printing over the library (govties.api). Every command lives in a
module of its own and is registered here; every error a user can fix (a govties.errors.GovtiesError) is printed
in one place and ends with exit status 2, Ctrl-C with 130."""

from __future__ import annotations

import logging
import signal
from typing import NoReturn

import click
import duckdb

from .. import __version__
from ..api import DataError, is_interrupt, prefer_jemalloc
from ..cells import for_terminal
from ..errors import GovtiesError
from ..files import noting_replaced
from ..privacy import mask_text
from . import demo, diff_cmd, ftm_cmd, neo4j_cmd, rules_cmd, sweep_cmd, view_cmd, workbench_cmd
from .entry import STARTING, ctrl_c_seen
from .options import CONTEXT, error_line, interrupted_note

# A group given no command shows its help (click 8.2 and later raise this usage error for it; earlier ones exit).
NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())
# Ctrl-C in the instants between the command's end and the program's (cli/entry.py): the command had finished.
INTERRUPTED = "interrupted as govties ended: the command had finished its work"


class GovtiesGroup(click.Group):
    """Ends every command the same way: a user's error is printed (one line per problem) with exit status 2;
    Ctrl-C prints, in one line, what the interrupted load did to a stored graph, if anything, and exits with 130.
    A command that masks identifiers (--mask) sets ctx.meta["mask"], and the error is printed masked too. Run as
    the program, once the command has ended (or said why it stopped), a further Ctrl-C changes nothing: it is
    ignored while the interpreter shuts down, instead of ending in a traceback."""

    as_program = False
    #: the commands in the order a new user meets them, as the help lists them (any other after, by name)
    ORDER = ("demo", "validate", "sweep", "load", "serve", "resolve", "diff", "report", "view", "triage", "users",
             "rules", "generate", "ftm-import", "ftm-export", "neo4j-import", "neo4j-unlock")

    def list_commands(self, ctx):
        return sorted(super().list_commands(ctx), key=lambda n: (self.ORDER.index(n) if n in self.ORDER
                                                                  else len(self.ORDER), n))

    def main(self, args=None, *rest, **kwargs):
        self.as_program = args is None  # the console script passes no args; a test's runner always does
        try:
            return super().main(args, *rest, **kwargs)
        finally:
            self._ignore_ctrl_c()

    def _ignore_ctrl_c(self) -> None:
        if self.as_program:
            signal.signal(signal.SIGINT, signal.SIG_IGN)

    def make_context(self, *args, **kwargs):
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt:  # while the arguments are parsed: click alone would say "Aborted!", exit 1
            click.echo("\n" + STARTING, err=True)
            raise click.exceptions.Exit(130) from None
        except NO_ARGS_IS_HELP:  # a group given no command: its help, as click prints it
            raise
        except click.UsageError as exc:
            _usage(exc)

    def invoke(self, ctx):
        try:
            with noting_replaced() as ctx.meta["govties.replaced"]:  # the outputs written whole (interrupted_note)
                done = super().invoke(ctx)
            self._ignore_ctrl_c()  # the command has ended
            return done
        except NO_ARGS_IS_HELP:
            raise
        except click.UsageError as exc:  # a subcommand's arguments: one line, as for every other error
            self._ignore_ctrl_c()
            _usage(exc)
        except click.ClickException as exc:  # a command's own refusal (options.Fail): printed masked like the rest
            self._ignore_ctrl_c()
            click.echo(shown(error_line(exc), ctx), err=True)
            ctx.exit(exc.exit_code)
        except (KeyboardInterrupt, RuntimeError, duckdb.Error, GovtiesError) as exc:  # DuckDB reports a Ctrl-C
            if interrupted_by(exc):  # as any of the first three; after one, an error is the interrupt's doing
                self._ignore_ctrl_c()
                click.echo("\n" + shown(interrupted_note(ctx, exc), ctx), err=True)
                ctx.exit(130)
            if not isinstance(exc, GovtiesError):
                raise
            self._ignore_ctrl_c()
            click.echo(shown(_report(exc), ctx), err=True)
            ctx.exit(2)


def _report(exc: GovtiesError) -> str:
    """An error as the command line prints it; a dataset refused with its first DataError.SHOWN problems (and
    warnings), saying where the rest are listed."""
    if isinstance(exc, DataError) and exc.outcome == DataError.NOT_LOADED:
        return exc.report(more=" (`govties validate`, given the same input options, lists every one)")
    return exc.report()


def interrupted_by(exc: BaseException) -> bool:
    """Whether the error is Ctrl-C's doing: an interrupt however reported (graph.backend.is_interrupt), or a
    library's error of its own after the program was sent Ctrl-C (cli/entry.py); a command's exit is not one."""
    return not isinstance(exc, click.exceptions.Exit) and (is_interrupt(exc) or ctrl_c_seen())


def _usage(exc: click.UsageError) -> NoReturn:
    """A command line click refuses (an unknown option, a bad value, a missing argument), in one line with the fix,
    instead of click's usage block; exit status 2."""
    where, command = _refused(exc.ctx)
    message = " ".join(exc.format_message().split())
    what = "commands" if isinstance(command, click.Group) else "arguments and options"
    text = f"{where}: {message} (fix: `{where} --help` lists the {what})"
    ctx = exc.ctx or click.get_current_context(silent=True)
    click.echo(shown(text, ctx) if ctx else text, err=True)
    raise click.exceptions.Exit(2)


def _refused(ctx: click.Context | None) -> tuple[str, click.Command | None]:
    """The command whose line was refused, and its path. An option's missing value is refused before the command's
    own context exists, and the error carries none: then the group's context names the command it was invoking."""
    if ctx is None:
        ctx = click.get_current_context(silent=True)
        if ctx is None:
            return "govties", None
        name = ctx.invoked_subcommand
        if isinstance(ctx.command, click.Group) and name and (sub := ctx.command.get_command(ctx, name)) is not None:
            return f"{ctx.command_path} {name}", sub
    return ctx.command_path, ctx.command


def shown(text: str, ctx: click.Context) -> str:
    """What is printed of a message that may quote data: masked under --mask, without control sequences."""
    if ctx.meta.get("mask"):
        text = mask_text(text)
    return "\n".join(for_terminal(line) for line in text.split("\n"))


@click.group(cls=GovtiesGroup, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version")
def main() -> None:
    """govties: find conflicts of interest hidden in the joins between cadre records, family declarations,
    the business registry and government decisions.

    Findings are leads for review, not proof of wrongdoing.

    \b
    Example:
      govties demo                                   # the whole path on a bundled province
      govties validate data/                         # your registers against the contract
      govties sweep data/ -o findings.xlsx --store graph.duckdb
      govties serve --store graph.duckdb             # the workbench: triage, cases, entity pages
    """
    # The Neo4j driver logs each retry and failure (e.g. "Unable to retrieve routing information"); govties reports
    # the outcome itself, in one line.
    logging.getLogger("neo4j").setLevel(logging.CRITICAL)
    prefer_jemalloc()  # loads free and reuse gigabytes of Arrow buffers (loaders/memory.py)


for _command in (*sweep_cmd.COMMANDS, *view_cmd.COMMANDS, *diff_cmd.COMMANDS, *neo4j_cmd.COMMANDS,
                 *ftm_cmd.COMMANDS, *demo.COMMANDS, *rules_cmd.COMMANDS, *workbench_cmd.COMMANDS):
    main.add_command(_command)
