"""The real govties command in a child process, bounded: its exit status, stdout and stderr exactly as a user sees
them (a traceback, an abort or a MemoryError included), a time limit and an address-space limit (RLIMIT_AS), so
that an input that would exhaust memory fails its test instead of the test run."""

from __future__ import annotations

import re
import resource
import subprocess
import sys

MEMORY = 4 << 30  # the command's address space: DuckDB, jemalloc and thread stacks reserve about 3 GB
ENTRY = "from govties.cli.main import main; main()"


def run_cli(*args, timeout: float = 90, memory: int = MEMORY, env: dict | None = None,
            cwd=None) -> subprocess.CompletedProcess:
    def bound() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run([sys.executable, "-c", ENTRY, *map(str, args)], preexec_fn=bound, capture_output=True,
                          text=True, timeout=timeout, env=env, cwd=cwd, stdin=subprocess.DEVNULL)


# what a report of one problem ends its one line with: what was done (loaders.problems.DataError.report)
LONE = re.compile(r" \((?:nothing was (?:loaded|applied|written)|the dataset was not written whole|"
                  r"the (?:triage|findings) file was not read)\)$")


def problem_lines(stderr: str) -> list[str]:
    """The problem lines of a command's report, without a failed one's closing summary line (several problems) or
    the outcome its one line ends with (one problem); the warnings told with them (`warning: `) kept."""
    lines = [line for line in stderr.splitlines() if line]
    kept = [line for line in lines if not line.endswith(" and run again.")]
    if kept and len(kept) == len(lines):
        kept = [LONE.sub("", line) for line in kept]
    return kept
