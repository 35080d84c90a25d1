"""Work ahead: produce the next items on a thread while the caller handles the current one (`ahead`), and keep
several calls in flight at once (`in_flight`).

A Neo4j load waits on the server most of the time (the socket read releases the GIL); building the next batch's
rows meanwhile hides the client's own cost, and a second batch in flight gives the server's second core work.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

import pyarrow as pa

from ..errors import GovtiesError

T = TypeVar("T")
R = TypeVar("R")
_DONE = object()
# What producing items (rows built from Arrow tables) can raise: handed to the consumer, which raises it. pyarrow's
# errors derive from these builtins or from ArrowException.
HANDED_OVER = (GovtiesError, pa.ArrowException, ArithmeticError, LookupError, TypeError, ValueError, MemoryError,
               OSError)
BROKEN = "the thread working ahead stopped on an unexpected error (reported above)"


def ahead(items: Iterable[T], depth: int = 2) -> Iterator[T]:
    """The items of `items`, produced up to `depth` ahead on a thread. An error in the producer (HANDED_OVER) is
    raised here; any other ends the producer's thread with its report and raises a RuntimeError here. When the
    caller stops early (an error of its own, or Ctrl-C), the producer stops too."""
    box: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                box.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        end: tuple[object, Exception | None] = (_DONE, RuntimeError(BROKEN))  # unless it ends as below
        try:
            for item in items:
                if not put((item, None)):
                    return
            end = (_DONE, None)
        except HANDED_OVER as exc:  # handed to the consumer, which raises it
            end = (_DONE, exc)
        finally:
            put(end)  # the consumer never waits for an end that does not come

    worker = threading.Thread(target=produce, name="govties-ahead", daemon=True)
    worker.start()
    try:
        while True:
            item, error = box.get()
            if error is not None:
                raise error
            if item is _DONE:
                return
            yield item
    finally:
        stop.set()
        worker.join(timeout=5)


def in_flight(items: Iterable[T], work: Callable[[T], R], width: int) -> Iterator[tuple[T, R]]:
    """(item, work(item)) for each item, in the items' order, with up to `width` calls of `work` running at once on
    threads (width 1: one at a time, on the caller's thread). A call's error is raised here, in its turn; calls not
    started by then are cancelled, and calls already running are waited for."""
    if width <= 1:
        for item in items:
            yield item, work(item)
        return
    pending: deque[tuple[T, Future]] = deque()
    with ThreadPoolExecutor(max_workers=width, thread_name_prefix="govties-write") as pool:
        try:
            for item in items:
                pending.append((item, pool.submit(work, item)))
                if len(pending) >= width:
                    first, future = pending.popleft()
                    yield first, future.result()
            while pending:
                first, future = pending.popleft()
                yield first, future.result()
        finally:
            for _, future in pending:
                future.cancel()
