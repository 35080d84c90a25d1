"""The `govties` command's entry point (pyproject's [project.scripts]). It imports nothing heavy before it can
answer Ctrl-C: an interrupt while the libraries load ends with one line and exit status 130, like an interrupt
during a command (handled in cli/main.py), never with a traceback."""

from __future__ import annotations

import signal
import sys

STARTING = "interrupted while starting: nothing was read or written"


class _Interrupts:
    """Whether Ctrl-C came. While the libraries load, the signal is only noted, and answered once they are loaded
    (within a second): an exception raised inside a compiled extension's initialization (DuckDB's, pyarrow's) can
    abort the process or surface as an ImportError. From then on it raises KeyboardInterrupt, as Python's own
    handler does, and stays noted: a library interrupted inside its compiled code may report it as an error of its
    own (DuckDB's conversion of a result to pandas as `RuntimeError: std::bad_cast`)."""
    seen = False

    @classmethod
    def note(cls, signum, frame):
        cls.seen = True

    @classmethod
    def interrupt(cls, signum, frame):
        cls.seen = True
        raise KeyboardInterrupt


def ctrl_c_seen() -> bool:
    """Whether this process (the `govties` program) has been sent Ctrl-C."""
    return _Interrupts.seen


def run() -> None:
    signal.signal(signal.SIGINT, _Interrupts.note)
    from .main import main

    signal.signal(signal.SIGINT, _Interrupts.interrupt)  # from here a Ctrl-C raises; one before is answered
    try:
        if _Interrupts.seen:
            _stop(STARTING)
        main(prog_name="govties")
    except (KeyboardInterrupt, RuntimeError) as exc:  # in the instants between click's handlers (the commands
        from .main import INTERRUPTED, interrupted_by  # handle their own), however the interrupt was reported

        if not interrupted_by(exc):
            raise
        _stop(INTERRUPTED)


def _stop(message: str) -> None:
    sys.stderr.write(f"\n{message}\n")
    sys.stderr.flush()
    sys.exit(130)
