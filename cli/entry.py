"""The `govties` command's entry point (pyproject's [project.scripts]). It imports nothing heavy before it can
answer Ctrl-C: an interrupt while the libraries load ends with one line and exit status 130, like an interrupt
during a command (handled in cli/main.py), never with a traceback."""

from __future__ import annotations

import signal
import sys

STARTING = "interrupted while starting: nothing was read or written"


class _Interrupts:
    """Whether Ctrl-C came while the libraries loaded. The signal is only noted then, and answered once they are
    loaded (within a second): an exception raised inside a compiled extension's initialization (DuckDB's, pyarrow's)
    can abort the process or surface as an ImportError."""
    seen = False

    @classmethod
    def note(cls, signum, frame):
        cls.seen = True


def run() -> None:
    signal.signal(signal.SIGINT, _Interrupts.note)
    from .main import main

    signal.signal(signal.SIGINT, signal.default_int_handler)  # from here a Ctrl-C raises; one before is answered
    try:
        if _Interrupts.seen:
            _stop(STARTING)
        main(prog_name="govties")
    except (KeyboardInterrupt, RuntimeError) as exc:  # in the instants between click's handlers (the commands
        from .main import INTERRUPTED, is_interrupt  # handle their own), however Python reported the interrupt

        if not is_interrupt(exc):
            raise
        _stop(INTERRUPTED)


def _stop(message: str) -> None:
    sys.stderr.write(f"\n{message}\n")
    sys.stderr.flush()
    sys.exit(130)
