"""Independent jobs (one per file or table) on a few threads.

The loader's work is pyarrow, numpy and DuckDB calls that release the GIL, and most of them use one core: two
files checked at once use a machine's second core. Results come back in the order the jobs were given, so the
outcome never depends on which job finished first.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, TypeVar

T = TypeVar("T")


def cores() -> int:
    """The cores this process may run on (its CPU affinity, where the system says; else the machine's)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def workers() -> int:
    """Threads for the loader: the cores, at most four (GOVTIES_THREADS overrides; 1 runs in order)."""
    given = os.environ.get("GOVTIES_THREADS", "")
    if given.isdigit() and int(given) > 0:
        return int(given)
    return min(4, cores())


def run_all(jobs: Sequence[tuple[str, Callable[[], T]]], done: Callable[[str, int], Any] | None = None,
            threads: int | None = None) -> dict[str, T]:
    """Run every job; return name -> result in the jobs' order. `done(name, count)` is called (on this thread) as
    each finishes. An exception in a job is raised here once the running jobs have stopped; jobs not yet started
    are cancelled (also on Ctrl-C)."""
    threads = threads or workers()
    if threads == 1 or len(jobs) <= 1:
        out = {}
        for i, (name, job) in enumerate(jobs):
            out[name] = job()
            if done:
                done(name, i + 1)
        return out
    pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="govties-load")
    futures: dict[Future, str] = {}
    try:
        futures = {pool.submit(job): name for name, job in jobs}
        pending, finished = set(futures), 0
        while pending:
            ready, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in ready:
                future.result()  # raises the job's own exception
                finished += 1
                if done:
                    done(futures[future], finished)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    results = {name: future.result() for future, name in futures.items()}
    return {name: results[name] for name, _ in jobs}
