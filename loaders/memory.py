"""Which allocator Arrow uses while govties loads.

A load allocates and frees gigabytes of short-lived Arrow buffers (a file's cells, then the columns built from
them). With pyarrow's default pool (mimalloc) freed memory goes back to the kernel soon and the next buffer pays
for fresh, zeroed pages; jemalloc keeps it for reuse a little longer. At province scale (bench/README.md) that
took the embedded sweep's peak from 6.1 to 4.9 GB and its load about a tenth faster, the same findings.
"""

from __future__ import annotations

import os

import pyarrow as pa


def prefer_jemalloc() -> str:
    """Make jemalloc Arrow's default pool where this pyarrow has it; return the pool's name. A pool chosen with
    ARROW_DEFAULT_MEMORY_POOL is left as it is (the user's choice), as is the default where jemalloc is not built
    in (e.g. pyarrow's Windows wheels): the allocator changes speed and memory, never results."""
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return pa.default_memory_pool().backend_name
    try:
        pool = pa.jemalloc_memory_pool()
    except NotImplementedError:
        return pa.default_memory_pool().backend_name
    pa.set_memory_pool(pool)
    return pool.backend_name
