"""Work ahead: produce the next items on a thread while the caller handles the current one.

A Neo4j load waits on the server most of the time (the socket read releases the GIL); building the next batch's
rows meanwhile hides the client's own cost.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()


def ahead(items: Iterable[T], depth: int = 2) -> Iterator[T]:
    """The items of `items`, produced up to `depth` ahead on a thread. An error in the producer is raised here;
    when the caller stops early (an error of its own, or Ctrl-C), the producer stops too."""
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
        try:
            for item in items:
                if not put((item, None)):
                    return
            put((_DONE, None))
        except BaseException as exc:  # handed to the consumer, which raises it
            put((_DONE, exc))

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
