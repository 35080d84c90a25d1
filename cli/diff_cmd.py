"""`govties diff OLD NEW`: new, resolved and changed findings between two sweeps, by finding_id."""

from __future__ import annotations

import click

from .. import api
from .options import CONTEXT, claim_outputs, inputs_of, lang_option, layout_from, layout_options, say


LISTED_WITH_FILE = 20  # changes listed on the terminal when they are written to a file too


@click.command(context_settings=CONTEXT, short_help="Compare two findings files: new, resolved, changed.")
@click.argument("old", type=click.Path())
@click.argument("new", type=click.Path())
@click.option("--triage", type=click.Path(dir_okay=False), default=None,
              help="Triage CSV: dismissed findings that reappear are listed as dismissed, not new.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the diff as CSV (or Excel, when the name ends in .xlsx); the terminal then lists the first "
                   f"{LISTED_WITH_FILE} changes.")
@lang_option("Language of the column titles (with --headers lang, and in .xlsx).")
@layout_options
def diff(old, new, triage, output, lang, no_bom, raw_cells, headers):
    """List new, resolved and changed findings between two sweeps (matched by finding_id), each change as
    `field: old → new`. Scores are compared under one reference date: when the two sweeps' as_of differ, a score
    that changed only by its recency points is not a change (the summary says the date moved). With a triage CSV
    that records each decision's evidence fingerprint (the workbench exports one), a confirmed or dismissed finding
    whose evidence changed since is listed as reopened.

    \b
    Example:
      govties diff january/findings.csv february/findings.csv --triage triage.csv -o changes.csv
    """
    layout = layout_from(lang, no_bom, raw_cells, api.check_headers(headers))
    if output:
        api.table_format(output)
    claim_outputs({"-o": output}, inputs_of(old, new, triage))
    result = api.compare(old, new, triage)
    table = result.table
    counts = table["change"].value_counts().to_dict()
    listed = table.head(LISTED_WITH_FILE) if output else table  # with a file, the first ones (the file has all)
    for row in listed.itertuples(index=False):
        extra = f"  [{row.changes}]" if row.changes else ""
        triaged = f" (was {row.triage_status}; evidence changed since triage)" if row.change == "reopened" else ""
        say(f"{row.change:<9} {row.finding_id}  {row.rule}  {row.official_name or ''} / {row.org_name or ''}"
            f"{extra}{triaged}")
    for note in result.notes:
        say(f"note: {note}")
    say(", ".join(f"{k} {counts.get(k, 0)}" for k in ("new", "reopened", "changed", "resolved", "dismissed")))
    if output:  # under titles (Excel, --headers lang) the changes are in the titles' language too
        worded = str(output).lower().endswith(".xlsx") or layout.headers == "lang"
        api.write_csv(api.worded_diff(result, lang) if worded else table, output, layout)
        rest = len(table) - len(listed)
        say(f"wrote {output}" + (f"; the {rest} changes not listed above are in it" if rest else ""))


COMMANDS = (diff,)
