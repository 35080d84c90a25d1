"""Connecting to Neo4j without ever showing a credential.

The password comes from NEO4J_PASSWORD only. A URI is shown only as `scheme://host:port` (`shown`): no user
name, password, path or query, whatever the user put there. A URI that carries a user name or password is refused
before the driver sees it (the driver would echo it in its own error). Every way a connection can fail (a bad
scheme, a malformed URI, DNS, a server that is down, TLS, routing, credentials, a missing database) ends in a
BackendError of one line; driver messages pass through `scrub` first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from .backend import BackendError

try:  # the driver is a dependency, but keep the import error readable
    from neo4j import GraphDatabase
    from neo4j.exceptions import (AuthError, ClientError, ConfigurationError, DriverError, Neo4jError,
                                  ServiceUnavailable, SessionExpired)
except ImportError as exc:  # pragma: no cover - exercised only without the driver
    raise BackendError("the neo4j backend needs the neo4j driver: pip install neo4j") from exc

SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
RETRY_SECONDS = 10  # how long the driver retries a transaction on a lost connection before govties reports it
_URI_HINT = ("use bolt://HOST:7687, neo4j://HOST:7687 (cluster) or neo4j+s://ID.databases.neo4j.io (Aura), and "
             "put the user name and password in NEO4J_USERNAME and NEO4J_PASSWORD")
# Neo4j's naming rules for databases: 3-63 ASCII letters, digits, dots and dashes, starting with a letter or digit
# and not ending with a dot or dash; names starting with `system` (or `_`) are reserved for the server.
_DATABASE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]{1,61}[A-Za-z0-9]\Z")
_URI = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"<>]*")


def shown(uri: str) -> str:
    """The URI as messages may show it: scheme, host and port only."""
    try:
        parts = urlsplit(uri)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(the given Neo4j URI)"
    if not parts.scheme or not host:
        return "(the given Neo4j URI)"
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host}{port}"


def scrub(text: str, *secrets: str | None) -> str:
    """A driver's message with every URI in it shown as `shown` shows it, and without the given secrets."""
    text = _URI.sub(lambda m: shown(m.group(0)), text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def check_uri(uri: str, source: str) -> None:
    """Refuse a URI govties cannot use, or that carries credentials. `source` names where it came from."""
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018  (raises ValueError on a port that is not a number)
    except ValueError:
        raise BackendError(f"{source} is not a Neo4j URI: {_URI_HINT}") from None
    if "@" in parts.netloc:
        raise BackendError(f"{source} carries a user name or password ({parts.scheme}://USER:PASSWORD@...): remove "
                           f"it from the URI ({shown(uri)}) and set NEO4J_USERNAME and NEO4J_PASSWORD in the "
                           "environment instead")
    if parts.scheme not in SCHEMES:
        scheme = f"its scheme is {parts.scheme!r}" if parts.scheme else "it has no scheme"
        raise BackendError(f"{source} is not a Neo4j Bolt URI ({scheme}; govties speaks "
                           f"{', '.join(s + '://' for s in SCHEMES)}): {_URI_HINT}")
    if not parts.hostname:
        raise BackendError(f"{source} names no server: {_URI_HINT}")


def check_database(name: str, source: str) -> str:
    """A database name by Neo4j's naming rules, or a one-line error naming `source`."""
    if not _DATABASE.match(name) or name.lower().startswith("system"):
        raise BackendError(f"{source} {name!r} is not a Neo4j database name: 3 to 63 ASCII letters, digits, dots "
                           "or dashes, starting with a letter or digit, not ending with a dot or dash, and not "
                           "`system`")
    return name


def connect(uri: str, user: str, password: str, database: str | None):
    """A driver that has reached the server and opened the database; a BackendError of one line otherwise."""
    where = shown(uri)
    driver = None
    try:
        # a port that answers but not in Bolt (Neo4j's HTTP port 7474, another server) is given up on within
        # the acquisition timeout (the driver's default waits a minute)
        driver = GraphDatabase.driver(uri, auth=(user, password), connection_timeout=10,
                                      connection_acquisition_timeout=30, notifications_min_severity="OFF",
                                      max_transaction_retry_time=RETRY_SECONDS)
        driver.verify_connectivity()
        driver.execute_query("RETURN 1", database_=database)
        return driver
    except AuthError:
        _close(driver)
        raise BackendError(f"Neo4j at {where} refused the credentials of user {user!r}: check NEO4J_USERNAME and "
                           "NEO4J_PASSWORD") from None
    except ClientError as exc:
        _close(driver)
        if "DatabaseNotFound" in (exc.code or ""):
            raise BackendError(f"Neo4j at {where} has no database {database!r}: check NEO4J_DATABASE (SHOW "
                               "DATABASES lists them)") from None
        raise BackendError(f"Neo4j at {where} refused the connection: {scrub(exc.message or '', password)}") from None
    except (ConfigurationError, ValueError) as exc:  # a TLS setting, a URI option the driver does not take
        _close(driver)
        raise BackendError(f"cannot use the Neo4j URI {where}: {scrub(str(exc), password)}; {_URI_HINT}") from None
    except (DriverError, Neo4jError, OSError) as exc:  # down, DNS, TLS handshake, routing table
        _close(driver)
        raise BackendError(f"cannot reach Neo4j at {where}: check that the server is running, NEO4J_URI, and for "
                           f"+s schemes its certificate ({_reason(exc)})") from None


NOT_BOLT = "no Bolt answer: is the port Neo4j's Bolt port (7687), not its HTTP port (7474)?"


def _reason(exc: BaseException) -> str:
    """The kind of failure in a few words, never the driver's message (it may quote addresses and settings)."""
    text = str(exc).lower()
    for needle, why in (("looks like http", NOT_BOLT), ("bolt handshake", NOT_BOLT), ("handshake response", NOT_BOLT),
                        ("ssl", "TLS handshake failed"), ("certificate", "TLS certificate refused"),
                        ("routing", "no routing table"), ("name or service", "host name not found"),
                        ("nodename", "host name not found"), ("refused", "connection refused"),
                        ("timed out", "timed out")):
        if needle in text:
            return why
    return type(exc).__name__


def _close(driver) -> None:
    if driver is not None:
        driver.close()


class ConnectionLost(BackendError):
    """The driver gave up reaching the server (it went away, or the session it held expired) after its retries."""


@contextmanager
def reported(where: str, during: str, refused: str, again: str = "then run the same command again") -> Iterator[None]:
    """Driver and server errors inside the block as one-line BackendErrors: a lost connection names the server and
    what was being done (`during`); a statement the server refused gives `refused` and the server's message."""
    try:
        yield
    except (ServiceUnavailable, SessionExpired) as exc:
        raise ConnectionLost(f"lost the connection to Neo4j at {where} {during}: check the server, {again} "
                             f"({type(exc).__name__})") from None
    except Neo4jError as exc:
        raise BackendError(f"{refused}: {scrub(exc.message or '')}") from None
    except DriverError as exc:  # any other failure of the driver (e.g. closed)
        raise BackendError(f"the Neo4j driver failed {during} at {where}: {scrub(str(exc))}") from None
