"""`govties neo4j-import` (files for neo4j-admin's offline import) and `govties neo4j-unlock`."""

from __future__ import annotations

from pathlib import Path

import click

from .. import api
from .options import CONTEXT, Fail, claim_outputs, input_options, inputs_of, neo4j_options


@click.command("neo4j-import", context_settings=CONTEXT, short_help="Write the files for a fast first Neo4j load.")
@click.argument("dataset", type=click.Path())
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), required=True,
              help="Folder for the CSV files, import.sh and schema.cypher.")
@click.option("--database", default="neo4j", show_default=True, help="The database neo4j-admin imports into.")
@input_options
def neo4j_import(dataset, out_dir, database, inputs):
    """Validate and resolve DATASET, then write the files `neo4j-admin database import full` needs to build the
    same graph a govties load builds — the fast way to a first load of a province into an empty database.

    \b
    Example:
      govties neo4j-import data/ --out import/ && sh import/import.sh
    """
    api.check_neo4j_database(database, "--database")  # before the dataset is read
    api.refuse_empty(out_dir, "--out", "folder")
    claim_outputs({"--out": [Path(out_dir) / "import.sh"]}, inputs_of(dataset))
    ds = api.validate(dataset, **inputs.kwargs())
    counts = api.neo4j_import_files(ds.tables, out_dir, database)
    for name, n in counts.items():
        click.echo(f"{name:<26} {n:>10} " + api.counted("row(s)", n))
    click.echo(f"wrote {out_dir}: run import.sh on the Neo4j server (database stopped), then cypher-shell -f "
               "schema.cypher")


@click.command("neo4j-unlock", context_settings=CONTEXT, short_help="Show or clear the Neo4j database's load lock.")
@click.option("--force", is_flag=True,
              help=f"Clear the lock even though its holder beat within the last {api.lock_stale_minutes()} minutes "
                   "(it may still be writing).")
@neo4j_options
def neo4j_unlock(force, neo4j_uri, neo4j_user, neo4j_database):
    """Show who holds the Neo4j database's load lock, and clear it when its load is gone.

    A load or append holds the lock while it writes, so that two never write at once. A load killed on
    another machine keeps it until its last beat is 10 minutes old; when you know that load is gone (its machine
    crashed), clear it here instead of waiting. A lock whose holder beat recently is cleared only with --force:
    if that load is in fact still running, it stops with an error at its next batch; run it again then, and it
    ends in the graph it would have written.

    \b
    Examples:
      govties neo4j-unlock                 # who holds the lock (NEO4J_URI, NEO4J_PASSWORD set)
      govties neo4j-unlock --force         # the load on the crashed machine is gone
    """
    with api.open_neo4j_lock(neo4j_uri, neo4j_user, neo4j_database) as graph:
        found = graph.backend.load_lock()
        if found is None:
            click.echo(f"no govties load holds the Neo4j database at {graph.backend.where}")
            return
        held = found["held_by"]
        if found["alive"] and not force:
            raise Fail(f"the load lock is held by {held}: it may still be writing. Wait for it to end; if you know "
                       "it is gone, run `govties neo4j-unlock --force`")
        cleared = graph.backend.clear_load_lock(found["stamp"])
        click.echo(f"cleared the load lock held by {held}" if cleared else "the lock was released meanwhile")


COMMANDS = (neo4j_import, neo4j_unlock)
