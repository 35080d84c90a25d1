"""The `govties` command: argument parsing and printing over the library (govties.api). Every command lives in a
module of its own and is registered here; every error a user can fix (a govties.errors.GovtiesError) is printed
in one place and ends with exit status 2, Ctrl-C with 130."""

from __future__ import annotations

import logging

import click

from .. import __version__
from ..errors import GovtiesError
from ..loaders.memory import prefer_jemalloc
from . import demo, diff_cmd, ftm_cmd, neo4j_cmd, rules_cmd, sweep_cmd, view_cmd, workbench_cmd
from .options import CONTEXT

INTERRUPTED = ("interrupted: a stored graph is as it was before this command (an interrupted Neo4j load resumes to "
               "the same graph when run again); files being written were left as they were")


class GovtiesGroup(click.Group):
    """Ends every command the same way: a user's error is printed (one line per problem) with exit status 2;
    Ctrl-C prints what state things are in and exits with 130."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except GovtiesError as exc:
            click.echo(exc.report(), err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            click.echo("\n" + INTERRUPTED, err=True)
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
    # The Neo4j driver logs each retry; govties reports the outcome itself, in one line.
    logging.getLogger("neo4j").setLevel(logging.ERROR)
    prefer_jemalloc()  # loads free and reuse gigabytes of Arrow buffers (loaders/memory.py)


for _command in (*sweep_cmd.COMMANDS, *view_cmd.COMMANDS, *diff_cmd.COMMANDS, *neo4j_cmd.COMMANDS,
                 *ftm_cmd.COMMANDS, *demo.COMMANDS, *rules_cmd.COMMANDS, *workbench_cmd.COMMANDS):
    main.add_command(_command)
