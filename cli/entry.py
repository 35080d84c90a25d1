"""The `govties` command's entry point (pyproject's [project.scripts]). It imports nothing heavy before it can
answer Ctrl-C: an interrupt while the libraries load ends with one line and exit status 130, like an interrupt
during a command (handled in cli/main.py), never with a traceback."""

from __future__ import annotations

import signal
import sys

STARTING = "interrupted while starting: nothing was read or written"


class _Interrupts:
    """Whether Ctrl-C came while the libraries loaded: a compiled extension (DuckDB, pyarrow) interrupted while it
    initializes reports an ImportError, not the KeyboardInterrupt."""
    seen = False

    @classmethod
    def handler(cls, signum, frame):
        cls.seen = True
        raise KeyboardInterrupt


def run() -> None:
    signal.signal(signal.SIGINT, _Interrupts.handler)
    try:
        from .main import main
    except KeyboardInterrupt:
        _stop(STARTING)
    except ImportError:
        if _Interrupts.seen:
            _stop(STARTING)
        raise
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        main(prog_name="govties")
    except KeyboardInterrupt:  # in the instants between click's handlers; the commands handle their own
        from .main import INTERRUPTED

        _stop(INTERRUPTED)


def _stop(message: str) -> None:
    sys.stderr.write(f"\n{message}\n")
    sys.stderr.flush()
    sys.exit(130)
