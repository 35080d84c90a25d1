"""`python -m govties`: the same as the `govties` command."""

from .cli.entry import run

run()
