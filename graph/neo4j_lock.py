"""One govties load at a time per Neo4j database.

Two loads into one database at once would each delete, at their end, what the other wrote under its own stamp,
and leave a graph neither of them meant. So a load (or append, or wipe) first creates the database's one
`GovtiesLoad` node, behind a uniqueness constraint: a second load finds it and stops with a message naming the
first (since when, from which host and process) before it writes anything.

The holder refreshes the node's `beat` (server time) every BEAT_SECONDS on a thread, and deletes the node when it
ends, failed or not, unless it failed because the driver gave up reaching the server (the release would be
retried as long again before the error is said). A load that was killed, or lost its server, leaves the node;
once its beat is older than STALE_SECONDS the next load takes the lock over. A holder that finds its lock taken
over (it stalled that long) stops with an error at its next batch. A lock left by a process of this host that has
ended (or by this process, in a load that has ended) is taken over at once: a load that failed because the server
went away can be run again as soon as the server is back.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable
from typing import Any

from neo4j.exceptions import ConstraintError, Neo4jError, ServiceUnavailable, SessionExpired

from .backend import BackendError
from .neo4j_connect import ConnectionLost
from .lock_timing import BEAT_SECONDS, STALE_MINUTES, STALE_SECONDS
CONSTRAINT = "CREATE CONSTRAINT govties_load_lock IF NOT EXISTS FOR (l:GovtiesLoad) REQUIRE l.name IS UNIQUE"
_TAKE = ("CREATE (l:GovtiesLoad {name: 'load', stamp: $stamp, started: datetime(), beat: datetime(), "
         "host: $host, pid: $pid, work: $work})")
HOLDER = ("MATCH (l:GovtiesLoad {name: 'load'}) RETURN l.stamp AS stamp, toString(l.started) AS started, "
          "l.host AS host, l.pid AS pid, l.work AS work, duration.inSeconds(l.beat, datetime()).seconds AS idle")
# take the node's write lock first (SET), then read: two loads clearing the same stale lock cannot both succeed
CLEAR_STALE = ("MATCH (l:GovtiesLoad {name: 'load'}) SET l._clearing = true "
               "WITH l WHERE l.stamp = $stamp DELETE l RETURN count(*) AS n")
_BEAT = "MATCH (l:GovtiesLoad {name: 'load', stamp: $stamp}) SET l.beat = datetime() RETURN count(l) AS n"
_RELEASE = "MATCH (l:GovtiesLoad {name: 'load', stamp: $stamp}) DELETE l"


def holder(rows: list[tuple]) -> dict[str, Any] | None:
    """The lock's holder from the records of HOLDER: stamp, started, host, pid, work, idle (seconds since its last
    beat), alive (whether it may still be writing) and held_by (all that in words); None when no load holds the
    lock."""
    if not rows:
        return None
    found = dict(zip(("stamp", "started", "host", "pid", "work", "idle"), rows[0], strict=True))
    found["alive"] = _alive(found)
    found["held_by"] = held_by(found)
    return found


def _alive(found: dict[str, Any]) -> bool:
    """Whether the lock's holder may still be writing: it beat within STALE_SECONDS and is not known to be gone."""
    return found["idle"] < STALE_SECONDS and not _left_behind(found)


_HELD: set[str] = set()  # the stamps of the locks this process holds now


def _left_behind(found: dict[str, Any]) -> bool:
    """A lock whose holder is known to be gone though it could not free it (the server was down when it tried):
    taken on this host by a process that has ended, or by this process in a load that has ended. Such a lock does
    not make the user wait STALE_SECONDS before running the failed load again."""
    if found["host"] != socket.gethostname() or not isinstance(found["pid"], int):
        return False
    if found["pid"] == os.getpid():
        return found["stamp"] not in _HELD
    if os.name == "nt":  # os.kill(pid, 0) would signal the process there: leave it to the beat
        return False
    try:
        os.kill(found["pid"], 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


def held_by(found: dict[str, Any]) -> str:
    """Who holds the lock, in words: the work, since when, where, and its last beat."""
    return (f"a {found['work']} started {found['started']} on host {found['host']}, process {found['pid']}, "
            f"its last beat {found['idle']} s ago")


def describe(found: dict[str, Any], where: str) -> str:
    return (f"another govties {found['work']} has been writing to the Neo4j database at {where} since "
            f"{found['started']} (host {found['host']}, process {found['pid']}): wait until it ends, then run this "
            f"command again (a load that was killed frees the database after {STALE_MINUTES} minutes; if you "
            "know it is gone, `govties neo4j-unlock --force` frees it now)")


class LoadLock:
    """`with LoadLock(schema, write, stamp, "load", uri):` holds the database's load lock; `check()` raises if it
    was lost. `schema(statement)` runs a schema statement; `write(query, **params)` runs one write transaction and
    returns its records as tuples (the backend's)."""

    def __init__(self, schema: Callable[[str], Any], write: Callable[..., list[tuple]], stamp: str, work: str,
                 where: str):
        self.schema, self.write, self.stamp, self.work, self.where = schema, write, stamp, work, where
        self.lost = False
        self._stop = threading.Event()
        self._beater: threading.Thread | None = None

    def __enter__(self) -> LoadLock:
        self.schema(CONSTRAINT)
        for _ in range(3):
            if self._try_take():
                break
            found = holder(self.write(HOLDER))
            if found is None:
                continue  # released in between: try again
            if found["alive"]:
                raise BackendError(describe(found, self.where))
            self.write(CLEAR_STALE, stamp=found["stamp"])  # its holder is gone or stopped beating: take over
        else:
            raise BackendError(f"could not take the load lock of the Neo4j database at {self.where}: other loads "
                               "keep taking it; run this command again")
        _HELD.add(self.stamp)
        self._beater = threading.Thread(target=self._beat, name="govties-load-lock", daemon=True)
        self._beater.start()
        return self

    def _try_take(self) -> bool:
        try:
            self.write(_TAKE, stamp=self.stamp, host=socket.gethostname(), pid=os.getpid(), work=self.work)
        except ConstraintError:
            return False
        return True

    def _beat(self) -> None:
        while not self._stop.wait(BEAT_SECONDS):
            try:
                rows = self.write(_BEAT, stamp=self.stamp)
            except (Neo4jError, ServiceUnavailable, SessionExpired, OSError):
                continue  # the load itself will meet the same trouble and report it
            if not rows or not rows[0][0]:
                self.lost = True
                return

    def check(self) -> None:
        if self.lost:
            raise BackendError(f"this load lost the lock of the Neo4j database at {self.where}: it stalled for over "
                               f"{STALE_MINUTES} minutes and another govties load took over, or the lock was "
                               "cleared with `govties neo4j-unlock --force`; run this command again once no other "
                               "load is writing")

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        _HELD.discard(self.stamp)
        if isinstance(exc[1], (ServiceUnavailable, SessionExpired, ConnectionLost)):
            # the server is gone (the driver gave up retrying): the lock goes stale and the next load takes it
            # over; neither a last beat nor the release would be answered, and each would retry as long again
            return
        if self._beater is not None:
            self._beater.join()
        try:
            self.write(_RELEASE, stamp=self.stamp)
        except (Neo4jError, ServiceUnavailable, SessionExpired):
            pass  # the server is gone: the lock goes stale and the next load takes it over
