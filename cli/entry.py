"""The `govties` command's entry point (pyproject's [project.scripts]). It imports nothing heavy before it can
answer Ctrl-C: an interrupt while the libraries load ends with one line and exit status 130, like an interrupt
during a command (handled in cli/main.py), never with a traceback."""

from __future__ import annotations

import sys

STARTING = "interrupted while starting: nothing was read or written"


def run() -> None:
    try:
        from .main import main
    except KeyboardInterrupt:
        _stop(STARTING)
    try:
        main(prog_name="govties")
    except KeyboardInterrupt:  # in the instants between click's handlers; the commands handle their own
        from .main import INTERRUPTED

        _stop(INTERRUPTED)


def _stop(message: str) -> None:
    sys.stderr.write(f"\n{message}\n")
    sys.stderr.flush()
    sys.exit(130)
