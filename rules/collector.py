"""Pausing the cyclic garbage collector around work that makes many small objects and no reference cycles.

Building findings makes many small dicts and no reference cycles: while the queries' rows are alive, each full
pass of the cyclic collector walks them all (half the findings stage's time on a province of 16k findings). Right
after a sweep, the findings (and the queries' rows) are many young objects; each full pass of the cyclic
collector walks them all, and the work that follows (the findings table, its files) allocates enough to start
such passes. Paused, reference counting frees what that work drops as usual; the collector resumes as it was.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


__all__ = ["no_cycle_collection"]
